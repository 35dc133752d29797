"""A small notebook with one prediction, for the tests of the prediction format until the series has its own.

The browser tests answer a prediction in JupyterLab (tests/browser) and on
the static site (tests/site). They take the first prediction of the real
series once one exists (``first_series_prediction``), and this fixture
before that, so they never wait for the notebooks' authors.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import predictions  # noqa: E402  (tools/predictions.py)

NOTEBOOK_NAME = "01_fixture_prediction.ipynb"
QUESTION = "A batch of 2 sentences of 10 ids each goes through `Embedding(30, 7)`. What shape comes out?"
OPTIONS = [
    predictions.Option(
        "`(10, 7)`", False, "that is the matrix of one sentence; a layer keeps the batch axis in front of it."
    ),
    predictions.Option(
        "`(2, 10, 7)`", True, "each of the 2 sentences becomes 10 rows, one row of 7 numbers for every id."
    ),
    predictions.Option(
        "`(2, 7, 10)`", False, "the features come last in Keras: every id's 7 numbers form one row, not a column."
    ),
    predictions.Option("`(1, 7, 10)`", False, "the batch holds 2 sentences, and the features still come last."),
]


def fixture_notebook() -> dict:
    """Title, question, the prediction, and the code cell that reveals it (with its stored output)."""
    cells = [
        {
            "cell_type": "markdown",
            "metadata": {"slideshow": {"slide_type": "slide"}},
            "source": "# 01 · A fixture prediction\n\n**Time.** About 5 minutes; 10 with the exercises.\n",
        },
        {
            "cell_type": "markdown",
            "metadata": {"slideshow": {"slide_type": "-"}},
            "source": "## The question\n\nWhat shape does an embedding give a batch?\n",
        },
        predictions.prediction_cell(QUESTION, OPTIONS),
        {
            "cell_type": "code",
            "execution_count": 1,
            "metadata": {"slideshow": {"slide_type": "-"}},
            "outputs": [{"output_type": "stream", "name": "stdout", "text": "(2, 10, 7)\n"}],
            "source": "print((2, 10, 7))",
        },
    ]
    for index, cell in enumerate(cells):
        cell["id"] = f"cell-{index}"
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def write_fixture_notebook(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / NOTEBOOK_NAME
    path.write_text(json.dumps(fixture_notebook(), indent=1, ensure_ascii=False), encoding="utf-8")
    return path


@dataclass(frozen=True)
class PredictionUnderTest:
    """A prediction the browser tests answer: where it is, and what each option must say when opened."""

    notebook: Path
    cell_index: int
    prediction: predictions.Prediction

    @property
    def wrong_index(self) -> int:
        """The first option that is not right (the tests choose it first)."""
        return next(index for index, option in enumerate(self.prediction.options) if not option.right)


def first_series_prediction(notebooks_dir: Path = ROOT / "notebooks") -> PredictionUnderTest | None:
    """The first prediction of the real series (notebooks in reading order), or None while it has none."""
    for path in sorted(notebooks_dir.glob(predictions.NOTEBOOK_PATTERN)):
        found = predictions.predictions_in(json.loads(path.read_text(encoding="utf-8")))
        if found:
            index, prediction = found[0]
            return PredictionUnderTest(path, index, prediction)
    return None


def prediction_under_test(fixture_folder: Path) -> PredictionUnderTest:
    """The series' first prediction if it has one, else the fixture's (written into ``fixture_folder``)."""
    real = first_series_prediction()
    if real is not None:
        return real
    path = write_fixture_notebook(fixture_folder)
    (index, prediction) = predictions.predictions_in(fixture_notebook())[0]
    return PredictionUnderTest(path, index, prediction)
