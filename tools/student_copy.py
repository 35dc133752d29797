"""Build the student copy of the series (`make student`): notebooks to hand out, without what gives answers away.

    python tools/student_copy.py [--notebooks notebooks] [--out build/student]

From every ``notebooks/NN_slug.ipynb`` it writes a copy into the output folder:

* hidden solutions (``<details><summary>Solution</summary> ... </details>``)
  are removed, not collapsed; a cell that held only a solution keeps one line
  saying the check cell above judges the answer;
* the exercises' code cells (every code cell of the Exercises section, and
  any cell that calls ``ep.check``) keep their source (``answer = ...``) and
  lose their stored outputs and run counts: the learner runs them;
* notes for maintainers (cell metadata ``embedpool.maintainer_note``) are
  dropped, and ``instructor_notes.md`` is not copied;
* everything else stays as it is: the teaching cells with their outputs and
  figures, and the predictions, whose answers stay folded until a learner
  opens one.

Pictures stored beside the notebooks are copied too, and the folder is also
packed into one zip file to hand out (``embedpool-student-notebooks.zip``).
The notebooks still need the ``embedpool_utils`` package: see the README's
"Student copies". Standard library only, no network.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import shutil
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from notebook_parts import EXERCISES, SOLUTION, cell_parts, is_check_cell, source  # tools/notebook_parts.py

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_PATTERN = "[0-9][0-9]_*.ipynb"
PICTURE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg"}
ZIP_NAME = "embedpool-student-notebooks.zip"
METADATA_KEY = "embedpool"
MAINTAINER_NOTE = "maintainer_note"
NO_SOLUTION = "_This copy has no solution: the check cell above tells you whether your answer is right._\n"
README_NAME = "README.txt"
SOLUTIONS, BLANKED, NOTES = "solutions removed", "exercise cells blanked", "maintainer notes dropped"
README_TEXT = """embedpool: the student copy of the notebooks

These are the series' notebooks with the solutions left out and the exercise
cells blank. Each exercise's check cell tells you whether your answer is
right, and gives a hint when it is not.

The notebooks import the helper package embedpool_utils. Open them in an
environment where it is installed: the one your lecturer set up, or your
own, made as the series' README.md says ("Set-up without make"). Then start
JupyterLab in this folder (jupyter lab) and open 01 first.
"""


def numbered_notebooks(folder: Path) -> list[Path]:
    """The series' notebooks in reading order: every `NN_slug.ipynb` in ``folder``."""
    return sorted(folder.glob(NOTEBOOK_PATTERN))


def without_solutions(markdown: str) -> tuple[str, int]:
    """``markdown`` with every hidden solution removed, and how many there were."""
    stripped, removed = SOLUTION.subn("", markdown)
    return re.sub(r"\n{3,}", "\n\n", stripped).strip() + ("\n" if stripped.strip() else ""), removed


def student_notebook(notebook: dict) -> tuple[dict, dict[str, int]]:
    """The student copy of one notebook, and what was taken out of it (counts by kind)."""
    student = copy.deepcopy(notebook)
    removed = {SOLUTIONS: 0, BLANKED: 0, NOTES: 0}
    for cell, part in zip(student.get("cells", []), cell_parts(notebook)):
        embedpool = cell.get("metadata", {}).get(METADATA_KEY)
        if isinstance(embedpool, dict) and MAINTAINER_NOTE in embedpool:
            del embedpool[MAINTAINER_NOTE]
            removed[NOTES] += 1
            if not embedpool:
                del cell["metadata"][METADATA_KEY]
        if cell.get("cell_type") == "markdown":
            text, solutions = without_solutions(source(cell))
            if solutions:
                cell["source"] = text or NO_SOLUTION
                removed[SOLUTIONS] += solutions
        elif cell.get("cell_type") == "code" and (part == EXERCISES or is_check_cell(cell)):
            cell["outputs"] = []
            cell["execution_count"] = None
            removed[BLANKED] += 1
    return student, removed


def build_student_copies(notebooks_dir: Path, out_dir: Path) -> dict[str, dict[str, int]]:
    """Write the student copy of every notebook, the pictures, a README and the zip into ``out_dir``.

    ``out_dir`` is emptied first. Returns {notebook name: what was taken out of it}.
    """
    notebooks = numbered_notebooks(notebooks_dir)
    if not notebooks:
        raise SystemExit(f"no notebooks named {NOTEBOOK_PATTERN} in {notebooks_dir}")
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    report = {}
    written = []
    for path in notebooks:
        student, removed = student_notebook(json.loads(path.read_text(encoding="utf-8")))
        target = out_dir / path.name
        target.write_text(json.dumps(student, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(target)
        report[path.name] = removed
    for picture in sorted(notebooks_dir.rglob("*")):
        if picture.suffix.lower() in PICTURE_SUFFIXES and ".ipynb_checkpoints" not in picture.parts:
            target = out_dir / picture.relative_to(notebooks_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(picture, target)
            written.append(target)
    (out_dir / README_NAME).write_text(README_TEXT, encoding="utf-8")
    written.append(out_dir / README_NAME)
    with zipfile.ZipFile(out_dir / ZIP_NAME, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in written:
            archive.write(path, f"embedpool-student/{path.relative_to(out_dir).as_posix()}")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks", help="folder of NN_slug.ipynb files")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "student", help="output folder (emptied first)")
    args = parser.parse_args(argv)
    report = build_student_copies(args.notebooks.resolve(), args.out.resolve())
    for name, removed in report.items():
        print(f"{name}: " + ", ".join(f"{kind} {count}" for kind, count in removed.items()))
    print(f"student copy in {args.out}: {len(report)} notebooks, and all of them in {args.out / ZIP_NAME}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
