"""Reading a notebook's stored text and looking for an exercise's expected answer in it (shared by the answer tests).

An answer is looked for in the forms a notebook would show it: a shape, list
or dict as Python writes it, a number with and without thousands separators,
an array as the series prints arrays. A bare bool, a model or a text shorter
than ``MIN_ANSWER_TEXT`` is not looked for: it turns up anywhere by chance.
"""

from __future__ import annotations

import json
import re

import numpy as np

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# Answers shorter than this ("42", "(5,)") turn up in any text by chance.
MIN_ANSWER_TEXT = 4


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def joined(value):
    return "".join(value) if isinstance(value, list) else value or ""


def cell_text(cell) -> str:
    """Everything a reader of a cell sees: its source and every stored text output (colour codes removed)."""
    parts = [joined(cell.get("source"))]
    for output in cell.get("outputs", []):
        parts.append(joined(output.get("text")))
        parts += [joined(value) for mime, value in output.get("data", {}).items() if mime.startswith("text/")]
        parts += [output.get("evalue", ""), *output.get("traceback", [])]
    return ANSI.sub("", "\n".join(parts))


def notebook_text(notebook) -> str:
    return "\n".join(cell_text(cell) for cell in notebook["cells"])


def exercises_end(notebook) -> int:
    """Index of the first cell after the ``## Exercises`` section: the next level-2 heading, or the end."""
    for index in range(exercises_start(notebook) + 1, len(notebook["cells"])):
        cell = notebook["cells"][index]
        if cell["cell_type"] == "markdown" and re.match(r"\s*##\s", joined(cell["source"])):
            return index
    return len(notebook["cells"])


def exercises_start(notebook) -> int:
    """Index of the cell that opens the ``## Exercises`` section (the series puts it last)."""
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "markdown" and re.match(r"\s*##\s+Exercises\b", joined(cell["source"])):
            return index
    raise AssertionError("the notebook has no '## Exercises' section")


def answer_texts(expected) -> list[str]:
    """The forms in which a notebook would show an expected answer (none for a bare bool or a model)."""
    if isinstance(expected, (bool, np.bool_)) or expected is None:
        return []
    if isinstance(expected, str):
        return [expected]
    if isinstance(expected, (int, np.integer)) or (isinstance(expected, float) and expected.is_integer()):
        return [str(int(expected)), f"{int(expected):,}"]
    if isinstance(expected, (tuple, list, dict)):
        plain = repr(expected)
        return [plain, plain.replace("'", '"')]
    if isinstance(expected, np.ndarray) and expected.size >= 2:
        with np.printoptions(precision=4, suppress=True):
            return [str(expected), repr(expected.tolist())]
    return []


def found(text: str, answer: str) -> bool:
    """Whether ``answer`` occurs in ``text`` as a whole (800 is not found in 1800 or 800.5)."""
    before = r"(?<![\w.])" if answer[0].isalnum() else ""
    after = r"(?![\w]|\.\d)" if answer[-1].isalnum() else ""
    return re.search(before + re.escape(answer) + after, text) is not None
