"""The student copy (`make student`, tools/student_copy.py): nothing that gives an answer away, and it still runs.

The copy is built once per run from notebooks/ into a temporary folder, by
the same command `make student` runs, with Python's site-packages switched
off (``python -S``): it needs nothing beyond the standard library, so no
test tooling and no network. Then:

* no solution reaches it: no ``<summary>Solution`` block, and no line of a
  solution that the notebook does not also show outside its solutions;
* no expected answer from the exercise bank reaches it. An answer is looked
  for in the forms a notebook would show it (a shape or list as Python writes
  it, a number with and without thousands separators, an array as the series
  prints arrays), and only where that form is distinctive: absent from the
  notebook's teaching cells (everything before ``## Exercises``), where the
  idea may rightly print it. The same search over the original notebooks
  finds answers (in their solutions), so the check can fail;
* no instructor note reaches it: no instructor_notes.md, no
  ``embedpool.maintainer_note``, none of the notes' lines;
* the teaching cells keep their sources and stored outputs, the exercise
  cells keep their source and lose only their outputs;
* every student notebook runs top to bottom under strict nbval, with the
  exercise cells skipped (their answers are the learner's to write).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile

import pytest
from notebook_answers import (
    MIN_ANSWER_TEXT,
    answer_texts,
    cell_text,
    exercises_end,
    exercises_start,
    found,
    joined,
    load,
    notebook_text,
)
from support import NOTEBOOK_PATHS, NOTEBOOKS_DIR, ROOT

from embedpool_utils.exercises import engine

STUDENT_COPY = ROOT / "tools" / "student_copy.py"
INSTRUCTOR_NOTES = NOTEBOOKS_DIR / "instructor_notes.md"
SOLUTION_BLOCK = re.compile(r"<details>\s*<summary>\s*Solution\s*</summary>(.*?)</details>", re.DOTALL | re.IGNORECASE)
# A line of a solution or of the notes long enough that finding it elsewhere is no accident.
MIN_DISTINCTIVE_LINE = 12


@pytest.fixture(scope="module")
def student_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("student") / "copy"
    result = subprocess.run(
        [sys.executable, "-S", str(STUDENT_COPY), "--notebooks", str(NOTEBOOKS_DIR), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return out


def student(student_dir, path):
    return load(student_dir / path.name)


each_notebook = pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=[p.name for p in NOTEBOOK_PATHS])


# ---- what the copy holds ---------------------------------------------------------


def test_the_copy_has_every_notebook_and_no_notes(student_dir):
    assert sorted(p.name for p in student_dir.glob("*.ipynb")) == [p.name for p in NOTEBOOK_PATHS]
    assert not list(student_dir.rglob("instructor_notes*"))
    with zipfile.ZipFile(student_dir / "embedpool-student-notebooks.zip") as archive:
        names = archive.namelist()
        assert sorted(n.rsplit("/", 1)[-1] for n in names if n.endswith(".ipynb")) == [p.name for p in NOTEBOOK_PATHS]
        assert not [n for n in names if "instructor" in n]
        for path in NOTEBOOK_PATHS:
            assert json.loads(archive.read(f"embedpool-student/{path.name}")) == student(student_dir, path)


def test_the_makefile_target_runs_the_same_command():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    rule = re.search(r"^student:[^\n]*\n((?:\t[^\n]*\n)+)", makefile, re.MULTILINE)
    assert rule, "no `student` target in the Makefile"
    prerequisites = re.search(r"^student:(.*)$", makefile, re.MULTILINE).group(1).split()
    assert prerequisites == [], f"`make student` should need nothing installed, it depends on {prerequisites}"
    assert "tools/student_copy.py" in rule.group(1) and "$(PYTHON)" in rule.group(1)


def solution_lines(notebook) -> set[str]:
    """Lines of the notebook's solutions that it shows nowhere else."""
    whole = notebook_text(notebook)
    outside = SOLUTION_BLOCK.sub("", whole)
    lines = set()
    for block in SOLUTION_BLOCK.findall(whole):
        for line in block.splitlines():
            line = line.strip()
            if len(line) >= MIN_DISTINCTIVE_LINE and not line.startswith("```") and line not in outside:
                lines.add(line)
    return lines


@each_notebook
def test_no_solution_reaches_the_copy(student_dir, path):
    original, copy = load(path), student(student_dir, path)
    lines = solution_lines(original)
    assert lines, f"{path.name}: no distinctive solution line to look for (the check would prove nothing)"
    copied = notebook_text(copy)
    assert [line for line in lines if line in copied] == []
    assert not SOLUTION_BLOCK.search(copied)


def distinctive_answers(path) -> list[tuple[str, str]]:
    """(exercise id, answer text) for the notebook's exercises whose answer its teaching cells never show."""
    original = load(path)
    teaching = "\n".join(cell_text(cell) for cell in original["cells"][: exercises_start(original)])
    answers = []
    for exercise_id in engine.exercise_ids():
        if not exercise_id.startswith(path.name[:2] + "-"):
            continue
        exercise = engine.get_exercise(exercise_id)
        for text in answer_texts(exercise.expected(exercise.inputs())):
            if len(text) >= MIN_ANSWER_TEXT and not found(teaching, text):
                answers.append((exercise_id, text))
    return answers


@pytest.fixture(scope="module")
def answers_by_notebook():
    return {path.name: distinctive_answers(path) for path in NOTEBOOK_PATHS}


@each_notebook
def test_no_expected_answer_reaches_the_copy(student_dir, answers_by_notebook, path):
    copied = notebook_text(student(student_dir, path))
    assert [(i, text) for i, text in answers_by_notebook[path.name] if found(copied, text)] == []


def test_the_answer_search_finds_answers_in_the_original_notebooks(answers_by_notebook):
    """Proof that the search bites: the original notebooks show answers (in their solutions)."""
    checked = sum(len(answers) for answers in answers_by_notebook.values())
    assert checked >= 10, f"only {checked} distinctive answer texts to look for"
    leaks = [
        (i, text)
        for path in NOTEBOOK_PATHS
        for i, text in answers_by_notebook[path.name]
        if found(notebook_text(load(path)), text)
    ]
    assert len(leaks) >= 3, leaks


def note_lines() -> list[str]:
    """Lines of the instructor notes and of the maintainer notes that no notebook shows as learner text."""
    learner_text = "\n".join(notebook_text(load(path)) for path in NOTEBOOK_PATHS)
    lines = [line.strip(" -*|#") for line in INSTRUCTOR_NOTES.read_text(encoding="utf-8").splitlines()]
    for path in NOTEBOOK_PATHS:
        for cell in load(path)["cells"]:
            note = cell.get("metadata", {}).get("embedpool", {}).get("maintainer_note")
            if note:
                lines.append(note)
    return [line for line in lines if len(line) >= 30 and line not in learner_text]


def test_no_instructor_note_reaches_the_copy(student_dir):
    lines = note_lines()
    assert len(lines) >= 20, "too few note lines to look for"
    for path in NOTEBOOK_PATHS:
        copy = student(student_dir, path)
        assert not any("maintainer_note" in json.dumps(cell.get("metadata", {})) for cell in copy["cells"]), path.name
        copied = notebook_text(copy)
        assert [line for line in lines if line in copied] == [], path.name


@each_notebook
def test_teaching_cells_are_kept_and_exercise_cells_blanked(student_dir, path):
    original, copy = load(path), student(student_dir, path)
    start, end = exercises_start(original), exercises_end(original)
    assert len(copy["cells"]) == len(original["cells"])
    for index, (before, after) in enumerate(zip(original["cells"], copy["cells"])):
        where = f"{path.name} cell {index}"
        if SOLUTION_BLOCK.search(joined(before["source"])):
            continue  # a solution cell: checked above
        assert joined(after["source"]) == joined(before["source"]), where
        if before["cell_type"] != "code":
            continue
        if not start <= index < end:  # teaching cells, before the exercises or in a later optional section
            assert after["outputs"] == before["outputs"], f"{where}: a teaching cell lost its outputs"
            assert after["execution_count"] == before["execution_count"], where
        else:
            assert after["outputs"] == [] and after["execution_count"] is None, (
                f"{where}: an exercise cell kept outputs"
            )


# ---- it runs ------------------------------------------------------------------------


def test_every_student_notebook_runs_under_strict_nbval(student_dir, tmp_path):
    """Strict nbval over the copies, with the blanked exercise cells skipped (tagged nbval-skip in a scratch copy)."""
    skipped = 0
    for path in NOTEBOOK_PATHS:
        notebook = student(student_dir, path)
        for cell in notebook["cells"][exercises_start(notebook) :]:
            if cell["cell_type"] == "code":
                cell.setdefault("metadata", {}).setdefault("tags", []).append("nbval-skip")
                skipped += 1
        (tmp_path / path.name).write_text(json.dumps(notebook), encoding="utf-8")
    for picture in student_dir.rglob("*.png"):
        shutil.copyfile(picture, tmp_path / picture.name)
    env = {**os.environ, "MPLBACKEND": "Agg", "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu"}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env"]
    result = subprocess.run(
        [*command, *sorted(str(p) for p in tmp_path.glob("*.ipynb"))],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert f"{skipped} skipped" in result.stdout, result.stdout[-500:]
