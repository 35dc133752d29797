"""The parts of a series notebook: which cells are the main path, the Exercises section or an optional section.

Shared by tools/estimate_time.py (the time rule counts the parts apart) and
tools/student_copy.py (it blanks the exercises and removes the solutions).
A part starts at a heading: ``## Exercises`` opens the exercises, the next
``##`` (or ``#``) heading closes them; a heading that says "(optional)" or
starts "Going further" opens an optional section, which ends at the next
heading of the same or a higher level. Headings inside fenced code and
inside hidden solutions are not headings. Standard library only.
"""

from __future__ import annotations

import re

MAIN, EXERCISES, OPTIONAL = "main", "exercises", "optional"

# A hidden solution, as CONTRIBUTING.md writes one: <details><summary>Solution</summary> ... </details>.
SOLUTION = re.compile(r"<details>\s*<summary>\s*Solution\s*</summary>.*?</details>", re.DOTALL | re.IGNORECASE)
FENCED_CODE = re.compile(r"^\s*```.*?^\s*```[^\n]*$", re.DOTALL | re.MULTILINE)
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.MULTILINE)
EXERCISES_HEADING = re.compile(r"^exercises\b", re.IGNORECASE)
OPTIONAL_HEADING = re.compile(r"\(optional\)|^going further\b", re.IGNORECASE)
CHECK_CALL = re.compile(r"\bep\.check\(")


def source(cell: dict) -> str:
    """A cell's source as one string (nbformat stores a string or a list of lines)."""
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else text


def headings(markdown: str) -> list[tuple[int, str]]:
    """(level, title) of each heading of a markdown text, skipping fenced code and hidden solutions."""
    text = FENCED_CODE.sub("", SOLUTION.sub("", markdown))
    return [(len(hashes), title) for hashes, title in HEADING.findall(text)]


def is_check_cell(cell: dict) -> bool:
    """Whether a cell is an exercise's check: a code cell that calls ``ep.check(``."""
    return cell.get("cell_type") == "code" and bool(CHECK_CALL.search(source(cell)))


def cell_parts(notebook: dict) -> list[str]:
    """The part of each cell, in order: MAIN, EXERCISES or OPTIONAL (a heading cell belongs to the part it opens)."""
    parts = []
    section = MAIN
    optional_level = None  # level of the heading that opened the optional section we are in
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "markdown":
            for level, title in headings(source(cell)):
                if optional_level is not None and level <= optional_level:
                    optional_level = None
                if level <= 2:
                    section = EXERCISES if EXERCISES_HEADING.search(title) else MAIN
                if optional_level is None and OPTIONAL_HEADING.search(title):
                    optional_level = level
        parts.append(OPTIONAL if optional_level is not None else section)
    return parts
