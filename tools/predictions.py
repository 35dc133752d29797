"""Predictions, the series' "predict, then run" questions: write one into a notebook, read one back, check all.

    python tools/predictions.py check [notebooks/NN_x.ipynb ...]     # every prediction's problems (exit 1 if any)
    python tools/predictions.py list [notebooks/NN_x.ipynb ...]      # each prediction: cell, question, options
    python tools/predictions.py add notebooks/NN_x.ipynb --before 12 --spec prediction.json

A prediction is one markdown cell, placed right before the code cell that
reveals the answer, and marked in its metadata: ``{"embedpool":
{"prediction": true}}``. Its text is a question and then 3 or 4 options, each
a ``<details>`` block whose ``<summary>`` is the option (lettered A., B., ...)
and whose body starts with ``**Right:**`` or ``**Not quite:**`` and says why.
Exactly one option is right. Plain HTML and markdown: it needs no JavaScript,
so it works in JupyterLab (also in an untrusted notebook), on GitHub, in the
slide decks and on the static site, and the browser makes each option a
keyboard-operable disclosure button that screen readers announce as one::

    **Predict.** A batch of 2 sentences of 10 ids goes through `Embedding(30, 7)`. What shape comes out?

    _Choose one, then open it: each option says whether it is right, and why._

    <details><summary>A. <code>(10, 7)</code></summary>

    **Not quite:** that is the matrix of one sentence; a layer keeps the batch axis in front.
    </details>

    <details><summary>B. <code>(2, 10, 7)</code></summary>

    **Right:** one row of 7 numbers per id, 10 ids per sentence, 2 sentences.
    </details>
    ...

The spec for ``add`` is JSON: ``{"question": "...", "options": [{"text": "...",
"right": false, "why": "..."}, ...]}``; backticks in the question, the option
texts and the explanations are code, as in any markdown. Only the standard
library is needed, so the student copy and the time estimate can read
predictions without the test tooling.
"""

from __future__ import annotations

import argparse
import html
import itertools
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_PATTERN = "[0-9][0-9]_*.ipynb"

METADATA_KEY = "embedpool"
MARKER = "prediction"
LEAD = "**Predict.**"
HOW_TO_ANSWER = "_Choose one, then open it: each option says whether it is right, and why._"
RIGHT = "**Right:**"
NOT_QUITE = "**Not quite:**"
LETTERS = "ABCD"
MIN_OPTIONS, MAX_OPTIONS = 3, 4
# An explanation says why; "Not quite: wrong." does not.
MIN_EXPLANATION_WORDS = 6

OPTION_BLOCK = re.compile(r"<details>\s*<summary>(?P<summary>.*?)</summary>(?P<body>.*?)</details>", re.DOTALL)
LETTERED = re.compile(r"^(?P<letter>[A-Z])\.\s+(?P<text>\S.*)$", re.DOTALL)
TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"[^\W_][\w'’.-]*")


class PredictionError(ValueError):
    """A prediction cell that does not follow the format; the message says what is wrong."""


@dataclass(frozen=True)
class Option:
    """One answer a learner can choose: its text, whether it is right, and why."""

    text: str
    right: bool
    why: str


@dataclass(frozen=True)
class Prediction:
    """A question and its options, as read from a prediction cell."""

    question: str
    options: tuple[Option, ...]

    @property
    def right_index(self) -> int:
        """Position of the right option (0 for A)."""
        return next(index for index, option in enumerate(self.options) if option.right)


# ---- writing ---------------------------------------------------------------


def inline_html(text: str) -> str:
    """``text`` with `backtick` spans as <code> and everything else escaped: markdown is not read inside <summary>."""
    parts = text.split("`")
    if len(parts) % 2 == 0:
        raise PredictionError(f"unpaired backtick in option text {text!r}")
    return "".join(
        f"<code>{html.escape(part, quote=False)}</code>" if index % 2 else html.escape(part, quote=False)
        for index, part in enumerate(parts)
    )


def prediction_markdown(question: str, options: list[Option]) -> str:
    """The markdown of a prediction cell: the question, how to answer, and one <details> block per option."""
    prediction = Prediction(question.strip(), tuple(options))
    problems = prediction_problems(prediction)
    if problems:
        raise PredictionError("; ".join(problems))
    blocks = [f"{LEAD} {prediction.question}", HOW_TO_ANSWER]
    for letter, option in zip(LETTERS, prediction.options):
        verdict = RIGHT if option.right else NOT_QUITE
        blocks.append(
            f"<details><summary>{letter}. {inline_html(option.text)}</summary>\n\n{verdict} {option.why.strip()}\n</details>"
        )
    return "\n\n".join(blocks) + "\n"


def prediction_cell(question: str, options: list[Option], slide_type: str = "fragment") -> dict:
    """A markdown cell (nbformat 4 dict) holding the prediction, marked as one in its metadata.

    ``slide_type`` goes to ``metadata.slideshow`` (every cell of the series has one): by default the
    prediction appears on the slide of the section, as a step of its own.
    """
    return {
        "cell_type": "markdown",
        "metadata": {METADATA_KEY: {MARKER: True}, "slideshow": {"slide_type": slide_type}},
        "source": prediction_markdown(question, options),
    }


def options_from_spec(spec: dict) -> tuple[str, list[Option]]:
    """(question, options) from a spec dict ``{"question": ..., "options": [{"text", "right", "why"}, ...]}``."""
    try:
        options = [Option(str(o["text"]), bool(o.get("right", False)), str(o["why"])) for o in spec["options"]]
        return str(spec["question"]), options
    except (KeyError, TypeError) as error:
        raise PredictionError(
            f"a prediction spec needs 'question' and 'options', each option with 'text', 'why' and "
            f"'right' (true for exactly one); missing or malformed: {error}"
        ) from None


def insert_prediction(path: Path, before: int, question: str, options: list[Option], slide_type: str = "fragment"):
    """Insert a prediction cell into the notebook at ``path`` before cell number ``before`` (0-based).

    The cell that follows must be a code cell: the one that reveals the answer. Returns the new cell.
    """
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = notebook["cells"]
    if not 0 <= before < len(cells) or cells[before]["cell_type"] != "code":
        kind = cells[before]["cell_type"] if 0 <= before < len(cells) else "no"
        raise PredictionError(
            f"cell {before} of {path.name} is {kind} cell: a prediction goes right before the code cell that reveals it"
        )
    cell = prediction_cell(question, options, slide_type)
    if notebook.get("nbformat_minor", 0) >= 5:
        taken = {c.get("id") for c in cells}
        number = 0
        while f"prediction-{number}" in taken:
            number += 1
        cell = {"id": f"prediction-{number}", **cell}
    cells.insert(before, cell)
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return cell


# ---- reading ---------------------------------------------------------------


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def is_prediction(cell: dict) -> bool:
    """Whether a cell is marked as a prediction (metadata ``embedpool.prediction``)."""
    return bool(cell.get("metadata", {}).get(METADATA_KEY, {}).get(MARKER))


def looks_like_prediction(cell: dict) -> bool:
    """Whether a markdown cell has the text of a prediction (an option with a verdict), marked or not."""
    if cell.get("cell_type") != "markdown":
        return False
    return any(
        _plain(match.group("body")).startswith(("Right:", "Not quite:"))
        for match in OPTION_BLOCK.finditer(_source(cell))
    )


def _plain(fragment: str) -> str:
    """Text of an HTML/markdown fragment as read aloud: tags and ** dropped, entities decoded, spaces squeezed."""
    return " ".join(html.unescape(TAG.sub("", fragment)).replace("**", "").split())


def read_prediction(cell: dict) -> Prediction:
    """The question and options of a prediction cell; raises PredictionError if its text breaks the format."""
    if cell.get("cell_type") != "markdown":
        raise PredictionError("a prediction is a markdown cell")
    text = _source(cell)
    blocks = list(OPTION_BLOCK.finditer(text))
    if not blocks:
        raise PredictionError("no option: each option is a <details><summary>A. ...</summary> ... </details> block")
    question = text[: blocks[0].start()].strip()
    if not question.startswith(LEAD):
        raise PredictionError(f"the question must open with {LEAD!r}, so that a learner sees it is one")
    question = question[len(LEAD) :].replace(HOW_TO_ANSWER, "").strip()
    between = [text[a.end() : b.start()] for a, b in itertools.pairwise(blocks)] + [text[blocks[-1].end() :]]
    if any(gap.strip() for gap in between):
        raise PredictionError("text between or after the options: the options must be the last thing in the cell")
    options = []
    for number, block in enumerate(blocks):
        summary = block.group("summary").strip()
        if "`" in summary:
            raise PredictionError(f"option {number + 1}: write code in a <summary> as <code>...</code>, not backticks")
        lettered = LETTERED.match(summary)
        expected_letter = chr(ord("A") + number)
        if not lettered or lettered.group("letter") != expected_letter:
            raise PredictionError(f"option {number + 1} must start with {expected_letter}. (got {summary[:40]!r})")
        body = block.group("body").strip()
        if body.startswith(RIGHT):
            right, why = True, body[len(RIGHT) :]
        elif body.startswith(NOT_QUITE):
            right, why = False, body[len(NOT_QUITE) :]
        else:
            raise PredictionError(
                f"option {expected_letter}: its explanation must start with {RIGHT} or {NOT_QUITE} (got {body[:40]!r})"
            )
        options.append(Option(_plain(lettered.group("text")), right, why.strip()))
    return Prediction(question, tuple(options))


def prediction_problems(prediction: Prediction) -> list[str]:
    """What breaks the rules of a prediction: 3-4 distinct options, exactly one right, every option explained."""
    problems = []
    if not prediction.question:
        problems.append("no question")
    count = len(prediction.options)
    if not MIN_OPTIONS <= count <= MAX_OPTIONS:
        problems.append(f"{count} options; a prediction has {MIN_OPTIONS} to {MAX_OPTIONS}")
    right = sum(option.right for option in prediction.options)
    if right != 1:
        problems.append(f"{right} options marked right; exactly one must be")
    texts = [option.text.strip().lower() for option in prediction.options]
    if len(set(texts)) != len(texts):
        problems.append("two options read the same")
    for number, option in enumerate(prediction.options):
        letter = chr(ord("A") + number)
        if not option.text.strip():
            problems.append(f"option {letter} has no text")
        words = WORD.findall(_plain(option.why))
        if len(words) < MIN_EXPLANATION_WORDS:
            problems.append(
                f"option {letter} is explained in {len(words)} words ({option.why.strip()!r}); say why it is "
                f"{'right' if option.right else 'not'} in at least {MIN_EXPLANATION_WORDS}"
            )
    return problems


def cell_problems(cells: list[dict], index: int) -> list[str]:
    """Problems of cell ``index`` of a notebook's ``cells`` as a prediction (empty if it is a good one or none)."""
    cell = cells[index]
    marked, looks = is_prediction(cell), looks_like_prediction(cell)
    if not marked and not looks:
        return []
    if not marked:
        return ['reads like a prediction but its metadata lacks {"embedpool": {"prediction": true}}']
    try:
        problems = prediction_problems(read_prediction(cell))
    except PredictionError as error:
        return [str(error)]
    following = cells[index + 1] if index + 1 < len(cells) else None
    if following is None or following.get("cell_type") != "code":
        problems.append("the next cell is not a code cell: a prediction comes right before the cell that reveals it")
    return problems


def predictions_in(notebook: dict) -> list[tuple[int, Prediction]]:
    """(cell index, prediction) for every marked prediction of a notebook that reads without error."""
    found = []
    for index, cell in enumerate(notebook.get("cells", [])):
        if is_prediction(cell):
            try:
                found.append((index, read_prediction(cell)))
            except PredictionError:
                continue
    return found


def notebook_problems(notebook: dict) -> list[str]:
    """Every prediction problem of a notebook, each as "cell N: ..."."""
    cells = notebook.get("cells", [])
    return [f"cell {index}: {problem}" for index in range(len(cells)) for problem in cell_problems(cells, index)]


# ---- command line ------------------------------------------------------------


def _notebooks(paths: list[Path]) -> list[Path]:
    return paths or sorted((ROOT / "notebooks").glob(NOTEBOOK_PATTERN))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="print every prediction's problems; exit 1 if there are any")
    check.add_argument("notebooks", nargs="*", type=Path)
    listing = commands.add_parser("list", help="print every prediction: notebook, cell, question, options")
    listing.add_argument("notebooks", nargs="*", type=Path)
    add = commands.add_parser("add", help="insert a prediction cell before a code cell")
    add.add_argument("notebook", type=Path)
    add.add_argument(
        "--before", type=int, required=True, help="index (0-based, among all cells) of the code cell that reveals it"
    )
    add.add_argument("--spec", type=Path, required=True, help="JSON file: question and options")
    add.add_argument("--slide-type", default="fragment", help="metadata.slideshow.slide_type (default fragment)")
    args = parser.parse_args(argv)

    if args.command == "add":
        question, options = options_from_spec(json.loads(args.spec.read_text(encoding="utf-8")))
        insert_prediction(args.notebook, args.before, question, options, args.slide_type)
        print(f"{args.notebook.name}: prediction inserted as cell {args.before}")
        return 0
    failed = False
    for path in _notebooks(args.notebooks):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        if args.command == "check":
            for problem in notebook_problems(notebook):
                print(f"{path.name}: {problem}")
                failed = True
        else:
            for index, prediction in predictions_in(notebook):
                print(f"{path.name} cell {index}: {prediction.question}")
                for letter, option in zip(LETTERS, prediction.options):
                    print(f"    {letter}. {option.text}{'   <- right' if option.right else ''}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
