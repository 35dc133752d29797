"""How long a learner needs for each notebook, by one written rule; compares it with the notebook's stated time.

    python tools/estimate_time.py [notebooks/NN_x.ipynb ...]   # every notebook of the series by default
    python tools/estimate_time.py --write                      # state the rule's times in the notebooks and README

The rule (CONTRIBUTING.md, "Honest times"), in minutes:

    main path  = prose words / 110
               + code lines x 5 s + output lines x 2 s
               + 1 per figure + 3 per explorer + 1.5 per prediction
    exercises  = 3 per exercise (an `ep.check` cell)
               + the Exercises section's prose, code and output at the rates above

* prose: the words of the markdown cells (inline code counts as words; link
  targets, HTML tags and solution blocks do not), read for understanding at
  110 words a minute; a fenced code block in markdown counts as code lines;
* code lines: non-blank lines of code cells, each read and run; output lines:
  non-blank lines of stored text outputs (streams, text, tables), skimmed;
* figures: stored PNG outputs, each looked at; explorers: cells that make an
  explorer, each tried for a while; predictions: marked prediction cells
  (tools/predictions.py), each read, answered and its explanation read (their
  words are in these 1.5 minutes, not in the prose);
* exercises: each ``ep.check`` cell is 3 minutes of trying (reading its
  solution included), plus its prompt and code at the rates above;
* a section whose heading says "(optional)" or starts "Going further" is
  counted apart and printed as optional: it is in neither stated time.

"About N minutes; M with the exercises" should state the main path as N and
main path + exercises as M. The rates were calibrated on a learner's reading
of notebooks 01 and 04 as they stood at commit 4a0afba (``LEARNER_READINGS``):
01 took about 32 minutes (44 with the exercises), 04 about 27 (39). Stated
times are rounded to 5 minutes; tests/test_times.py holds them within 20 % of
the rule. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, fields
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import predictions  # tools/predictions.py
from notebook_parts import EXERCISES, FENCED_CODE, MAIN, OPTIONAL, SOLUTION, cell_parts, is_check_cell, source

ROOT = Path(__file__).resolve().parents[1]

WORDS_PER_MINUTE = 110
SECONDS_PER_CODE_LINE = 5
SECONDS_PER_OUTPUT_LINE = 2
MINUTES_PER_FIGURE = 1.0
MINUTES_PER_EXPLORER = 3.0
MINUTES_PER_PREDICTION = 1.5
MINUTES_PER_EXERCISE = 3.0
TOLERANCE = 0.20  # a stated time within 20 % of the rule's
ROUND_TO = 5  # stated times are given in steps of 5 minutes

LINK_TARGET = re.compile(r"\]\([^)]*\)")
HTML_TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"[^\W_][\w'’.-]*")
EXPLORER = re.compile(r"\bexplorers\.\w+_explorer\(")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

# "**Time.** About 25 minutes; 35 with the exercises." in a title cell.
STATED_IN_NOTEBOOK = re.compile(r"\*\*Time\.?\*\*\.?\s*About\s+(\d+)\s+minutes?;\s*(\d+)\s+with the exercises", re.I)
# "| 25 min (35 with exercises) |" in the README's table of notebooks, on the row that links the notebook.
STATED_IN_README = re.compile(
    r"^\|.*?notebooks/(\d\d_[\w-]+)\.ipynb.*?\|\s*(\d+)\s*min\s*\((\d+) with exercises\)", re.M
)


@dataclass
class Counts:
    """What the rule counts in one part of a notebook (main path, exercises or optional sections)."""

    words: int = 0
    code_lines: int = 0
    output_lines: int = 0
    figures: int = 0
    explorers: int = 0
    predictions: int = 0
    exercises: int = 0

    def minutes(self) -> float:
        """The rule's minutes for this part."""
        return (
            self.words / WORDS_PER_MINUTE
            + self.code_lines * SECONDS_PER_CODE_LINE / 60
            + self.output_lines * SECONDS_PER_OUTPUT_LINE / 60
            + self.figures * MINUTES_PER_FIGURE
            + self.explorers * MINUTES_PER_EXPLORER
            + self.predictions * MINUTES_PER_PREDICTION
            + self.exercises * MINUTES_PER_EXERCISE
        )

    def add(self, other: Counts) -> None:
        for field in fields(self):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))


@dataclass(frozen=True)
class Reading:
    """A learner's reading of a notebook (issue 22), and what the rule counted in it at the time."""

    minutes: float
    with_exercises: float
    main: Counts
    exercises: Counts


# The calibration: the learner's minutes for 01 and 04, and the rule's counts in them at commit 4a0afba.
LEARNER_READINGS = {
    "01_lookup_table": Reading(
        32,
        44,
        Counts(words=1554, code_lines=111, output_lines=47, figures=4, explorers=1),
        Counts(words=111, code_lines=11, output_lines=5, exercises=4),
    ),
    "04_data_format_pitfall": Reading(
        27,
        39,
        Counts(words=1248, code_lines=105, output_lines=56, figures=2, explorers=1),
        Counts(words=96, code_lines=7, output_lines=3, exercises=3),
    ),
}


@dataclass(frozen=True)
class Estimate:
    """The rule's minutes for a notebook: the main path, with the exercises, and its optional sections apart."""

    main: Counts
    exercises: Counts
    optional: Counts

    @property
    def minutes(self) -> float:
        return self.main.minutes()

    @property
    def with_exercises(self) -> float:
        return self.main.minutes() + self.exercises.minutes()

    @property
    def optional_minutes(self) -> float:
        return self.optional.minutes()


def _nonblank_lines(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.strip())


def markdown_counts(text: str) -> Counts:
    """Prose words and fenced code lines of a markdown cell (solutions left out)."""
    text = SOLUTION.sub(" ", text)
    code_lines = sum(max(_nonblank_lines(block) - 2, 0) for block in FENCED_CODE.findall(text))
    prose = HTML_TAG.sub(" ", LINK_TARGET.sub("]", FENCED_CODE.sub(" ", text)))
    return Counts(words=len(WORD.findall(prose)), code_lines=code_lines)


def code_counts(cell: dict) -> Counts:
    """Code lines, output lines, figures, an explorer and an exercise check of a code cell."""
    counts = Counts(
        code_lines=_nonblank_lines(source(cell)),
        explorers=1 if EXPLORER.search(source(cell)) else 0,
        exercises=1 if is_check_cell(cell) else 0,
    )
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if "image/png" in data:
            counts.figures += 1
        elif WIDGET_VIEW in data:
            continue  # the explorer itself, counted above
        else:
            text = output.get("text") or data.get("text/plain") or output.get("evalue") or ""
            counts.output_lines += _nonblank_lines("".join(text) if isinstance(text, list) else text)
    return counts


def count(notebook: dict) -> Estimate:
    """Count the parts of a notebook as the rule reads it."""
    parts = {MAIN: Counts(), EXERCISES: Counts(), OPTIONAL: Counts()}
    for cell, part in zip(notebook.get("cells", []), cell_parts(notebook)):
        if predictions.is_prediction(cell):
            parts[part].predictions += 1
        elif cell.get("cell_type") == "markdown":
            parts[part].add(markdown_counts(source(cell)))
        elif cell.get("cell_type") == "code":
            parts[part].add(code_counts(cell))
    # A check cell outside the Exercises section is still an exercise (it is in M, not in N).
    for part in (MAIN, OPTIONAL):
        parts[EXERCISES].exercises += parts[part].exercises
        parts[part].exercises = 0
    return Estimate(parts[MAIN], parts[EXERCISES], parts[OPTIONAL])


def stated_in_notebook(notebook: dict) -> tuple[int, int] | None:
    """(N, M) from the title cell's "**Time.** About N minutes; M with the exercises", or None."""
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "markdown":
            match = STATED_IN_NOTEBOOK.search(source(cell))
            return (int(match.group(1)), int(match.group(2))) if match else None
    return None


def stated_in_readme(readme_text: str) -> dict[str, tuple[int, int]]:
    """{notebook stem: (N, M)} from the README's table ("25 min (35 with exercises)")."""
    return {m.group(1): (int(m.group(2)), int(m.group(3))) for m in STATED_IN_README.finditer(readme_text)}


def rounded(minutes: float) -> int:
    """A stated time: the rule's minutes to the nearest 5 (at least 5)."""
    return max(ROUND_TO, ROUND_TO * round(minutes / ROUND_TO))


def within_tolerance(stated: float, estimated: float) -> bool:
    return abs(stated - estimated) <= TOLERANCE * estimated


def time_problems(stated: tuple[int, int] | None, estimate: Estimate, where: str) -> list[str]:
    """Why a stated (N, M) does not hold against the rule (empty if it does)."""
    if stated is None:
        return [f"{where}: no 'About N minutes; M with the exercises' time"]
    problems = []
    for label, said, rule in (("N", stated[0], estimate.minutes), ("M", stated[1], estimate.with_exercises)):
        if not within_tolerance(said, rule):
            problems.append(
                f"{where}: {label} = {said} minutes is not within {TOLERANCE:.0%} of the rule's {rule:.1f} "
                f"(state {rounded(rule)})"
            )
    return problems


def write_times(paths: list[Path], readme_path: Path) -> list[str]:
    """State the rule's rounded times in each notebook's Time line and its README row; return what changed."""
    changed = []
    readme_text = readme_path.read_text(encoding="utf-8") if readme_path.is_file() else ""
    for path in paths:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        estimate = count(notebook)
        n, m = rounded(estimate.minutes), rounded(estimate.with_exercises)
        for cell in notebook.get("cells", []):
            if cell.get("cell_type") == "markdown":  # the title cell: the first markdown cell
                text = source(cell)
                new = STATED_IN_NOTEBOOK.sub(f"**Time.** About {n} minutes; {m} with the exercises", text, count=1)
                if new != text:
                    cell["source"] = new.splitlines(keepends=True)
                    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
                    changed.append(f"{path.name}: {n}/{m}")
                break

        def row(match: re.Match[str], stem: str = path.stem, n: int = n, m: int = m) -> str:
            if match.group(1) != stem:
                return match.group(0)
            whole = match.group(0)
            return whole[: match.start(2) - match.start(0)] + f"{n} min ({m}" + whole[match.end(3) - match.start(0) :]

        readme_text = STATED_IN_README.sub(row, readme_text)
    if readme_path.is_file() and readme_text != readme_path.read_text(encoding="utf-8"):
        readme_path.write_text(readme_text, encoding="utf-8")
        changed.append(readme_path.name)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--readme", type=Path, default=ROOT / "README.md")
    parser.add_argument("--write", action="store_true", help="state the rule's times in the notebooks and the README")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob(predictions.NOTEBOOK_PATTERN))
    if args.write:
        for line in write_times(paths, args.readme):
            print("wrote", line)
    readme = stated_in_readme(args.readme.read_text(encoding="utf-8")) if args.readme.is_file() else {}
    print(
        f"rule: prose {WORDS_PER_MINUTE} words/min, code {SECONDS_PER_CODE_LINE} s/line, output "
        f"{SECONDS_PER_OUTPUT_LINE} s/line, {MINUTES_PER_FIGURE:g} min/figure, {MINUTES_PER_EXPLORER:g} min/explorer, "
        f"{MINUTES_PER_PREDICTION:g} min/prediction, {MINUTES_PER_EXERCISE:g} min/exercise"
    )
    header = f"{'notebook':26s} {'words':>6s} {'code':>5s} {'out':>5s} {'fig':>4s} {'expl':>4s} {'pred':>4s} {'ex':>3s}"
    print(f"{header}  {'rule N':>6s} {'rule M':>6s}  {'say':>9s}  notebook  README  optional")
    for path in paths:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        estimate = count(notebook)
        main_part, exercises = estimate.main, estimate.exercises
        stated = stated_in_notebook(notebook)
        said = f"{stated[0]}/{stated[1]}" if stated else "-"
        in_readme = readme.get(path.stem)
        said_readme = f"{in_readme[0]}/{in_readme[1]}" if in_readme else "-"
        suggestion = f"{rounded(estimate.minutes)}/{rounded(estimate.with_exercises)}"
        optional = f"+{estimate.optional_minutes:.1f}" if estimate.optional_minutes else ""
        print(
            f"{path.stem:26s} {main_part.words + exercises.words:6d} "
            f"{main_part.code_lines + exercises.code_lines:5d} {main_part.output_lines + exercises.output_lines:5d} "
            f"{main_part.figures:4d} {main_part.explorers:4d} {main_part.predictions:4d} {exercises.exercises:3d}  "
            f"{estimate.minutes:6.1f} {estimate.with_exercises:6.1f}  {suggestion:>9s}  {said:>8s}  {said_readme:>6s}  "
            f"{optional}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
