"""Honest times: every notebook's "About N minutes; M with the exercises" and the README's table hold to one rule.

The rule is tools/estimate_time.py's (prose at 110 words a minute, code and
output lines, figures, explorers, predictions, exercises; CONTRIBUTING.md
states it). A stated time must be within 20 % of the rule's, both without
and with the exercises. The tests also prove that the rule reproduces the
learner's reading it was calibrated on, that it counts what it says on a
hand-made notebook, and that the check fails on a time that is off.
"""

from __future__ import annotations

import json
import sys

import pytest
from support import NOTEBOOK_PATHS, ROOT

sys.path.insert(0, str(ROOT / "tools"))
import estimate_time  # tools/estimate_time.py
import predictions  # tools/predictions.py
from estimate_time import Counts

# The stated times of these notebooks were set before the rule and are not within 20 % of it: they are set in
# the final pass of issue 22, after the content changes. Strict, so each entry must go once its time is right.
TIMES_NOT_YET_SET: set[str] = set()
README_TIMES = estimate_time.stated_in_readme((ROOT / "README.md").read_text(encoding="utf-8"))


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def each_notebook_with_times_pending():
    return pytest.mark.parametrize(
        "path",
        [
            pytest.param(
                path,
                id=path.name,
                marks=[pytest.mark.xfail(strict=True, reason="times are set in the final pass of issue 22")]
                if path.stem in TIMES_NOT_YET_SET
                else [],
            )
            for path in NOTEBOOK_PATHS
        ],
    )


@each_notebook_with_times_pending()
def test_notebook_time_line_holds_to_the_rule(path):
    notebook = load(path)
    stated = estimate_time.stated_in_notebook(notebook)
    assert estimate_time.time_problems(stated, estimate_time.count(notebook), path.name) == []


@each_notebook_with_times_pending()
def test_readme_time_holds_to_the_rule(path):
    stated = README_TIMES.get(path.stem)
    assert estimate_time.time_problems(stated, estimate_time.count(load(path)), f"README, {path.name}") == []


def test_readme_and_notebooks_state_the_same_times():
    stated = {path.stem: estimate_time.stated_in_notebook(load(path)) for path in NOTEBOOK_PATHS}
    assert stated == README_TIMES


@pytest.mark.parametrize("stem", sorted(estimate_time.LEARNER_READINGS))
def test_the_rule_reproduces_the_learners_reading(stem):
    """Calibration: on the counts of 01 and 04 when they were read, the rule gives the learner's minutes (±10 %)."""
    reading = estimate_time.LEARNER_READINGS[stem]
    estimate = estimate_time.Estimate(reading.main, reading.exercises, Counts())
    assert estimate.minutes == pytest.approx(reading.minutes, rel=0.10)
    assert estimate.with_exercises == pytest.approx(reading.with_exercises, rel=0.10)


# ---- the rule on a hand-made notebook --------------------------------------------------


def markdown(text, **metadata):
    return {"cell_type": "markdown", "metadata": metadata, "source": text}


def code(source, outputs=()):
    return {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": list(outputs), "source": source}


def stream(text):
    return {"output_type": "stream", "name": "stdout", "text": text}


FIGURE = {"output_type": "display_data", "data": {"image/png": "iVBORw0KGgo=", "text/plain": "alt"}, "metadata": {}}
EXPLORER = {
    "output_type": "execute_result",
    "execution_count": 1,
    "data": {estimate_time.WIDGET_VIEW: {"model_id": "m"}, "text/plain": "<explorer>"},
    "metadata": {},
}


def words(n):
    return " ".join(["word"] * n)


def hand_made(time_line="**Time.** About 10 minutes; 20 with the exercises."):
    prediction = predictions.prediction_cell(
        "Which?",
        [
            predictions.Option("one", True, "because it is the one the cell prints."),
            predictions.Option("two", False, "because the cell prints a different thing."),
            predictions.Option("three", False, "because the cell prints a different thing."),
        ],
    )
    return {
        "cells": [
            markdown(f"# 01 · Hand-made\n\n{time_line}\n"),  # 10 words with the default time line
            markdown(
                f"## 1. A section\n\n{words(100)} [a link](https://example.org/a/long/target)"
            ),  # 3 + 100 + 2 (the link's target is not read)
            code("x = 1\n\ny = 2\nprint(x, y)", [stream("1 2\nmore\n\n")]),  # 3 code lines, 2 output lines
            code("show(fig)", [FIGURE, FIGURE]),  # 1 code line, 2 figures
            code("explorer = explorers.lookup_explorer()\nexplorer", [EXPLORER]),  # 2 code lines, 1 explorer
            prediction,
            code("print(1)", [stream("1\n")]),
            markdown(f"### Going further: costs\n\n{words(50)}\n\n```python\na = 1\nb = 2\n```"),  # optional
            code("print(2)", [stream("2\n")]),  # optional
            markdown("### Back on the path\n\nfive words on the path"),  # 4 + 5 = 9
            markdown(f"## Exercises\n\n**Exercise 1.** {words(20)}"),  # 1 + 2 + 20 = 23
            code("answer = ...\nep.check('01-x', answer)", [stream("Not answered yet.\n")]),
            markdown(
                "<details><summary>Solution</summary>\n\n```python\n# a comment, no heading\nanswer = 3\n```\n</details>"
            ),
            markdown("**Exercise 2.** four more words here"),  # 2 + 4 = 6
            code("answer = ...\nep.check('01-y', answer)", [stream("Not answered yet.\n")]),
            markdown("## Key points\n\nthree more words"),  # back on the main path: 2 + 3 = 5
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def test_the_rule_counts_what_it_says():
    estimate = estimate_time.count(hand_made())
    assert estimate.main == Counts(
        words=10 + 105 + 9 + 5, code_lines=3 + 1 + 2 + 1, output_lines=2 + 1, figures=2, explorers=1, predictions=1
    )
    assert estimate.optional == Counts(words=3 + 50, code_lines=2 + 1, output_lines=1)
    assert estimate.exercises == Counts(words=23 + 6, code_lines=2 + 2, output_lines=1 + 1, exercises=2)
    main = (
        129 / estimate_time.WORDS_PER_MINUTE
        + 7 * estimate_time.SECONDS_PER_CODE_LINE / 60
        + 3 * estimate_time.SECONDS_PER_OUTPUT_LINE / 60
        + 2 * estimate_time.MINUTES_PER_FIGURE
        + estimate_time.MINUTES_PER_EXPLORER
        + estimate_time.MINUTES_PER_PREDICTION
    )
    assert estimate.minutes == pytest.approx(main)
    exercises = (
        29 / estimate_time.WORDS_PER_MINUTE
        + 4 * estimate_time.SECONDS_PER_CODE_LINE / 60
        + 2 * estimate_time.SECONDS_PER_OUTPUT_LINE / 60
        + 2 * estimate_time.MINUTES_PER_EXERCISE
    )
    assert estimate.with_exercises == pytest.approx(main + exercises)


def test_the_time_check_passes_a_right_time_and_fails_a_wrong_one():
    estimate = estimate_time.count(hand_made())
    right = (round(estimate.minutes), round(estimate.with_exercises))
    assert estimate_time.time_problems(right, estimate, "hand-made") == []
    for stated in ((round(estimate.minutes * 0.7), right[1]), (right[0], round(estimate.with_exercises * 1.3))):
        problems = estimate_time.time_problems(stated, estimate, "hand-made")
        assert len(problems) == 1 and "not within 20%" in problems[0], problems
    assert "no 'About N minutes" in estimate_time.time_problems(None, estimate, "hand-made")[0]


def test_stated_times_are_read_from_the_title_cell_and_the_readme():
    assert estimate_time.stated_in_notebook(hand_made()) == (10, 20)
    assert estimate_time.stated_in_notebook(hand_made("**Time.** Ten minutes or so.")) is None
    readme = (
        "| notebook | what | time |\n| --- | --- | --- |\n"
        "| [`notebooks/01_a_b.ipynb`](notebooks/01_a_b.ipynb) | x | 25 min (35 with exercises) |\n"
        "| [`notebooks/02_c.ipynb`](notebooks/02_c.ipynb) | y | about half an hour |\n"
    )
    assert estimate_time.stated_in_readme(readme) == {"01_a_b": (25, 35)}


def test_the_command_prints_every_notebook(capsys):
    assert estimate_time.main([str(path) for path in NOTEBOOK_PATHS]) == 0
    printed = capsys.readouterr().out
    assert all(path.stem in printed for path in NOTEBOOK_PATHS)
    assert f"{estimate_time.WORDS_PER_MINUTE} words/min" in printed
