"""Claims about an experiment as data: a sentence, the runs it must hold in, and a printed verdict with the count.

A notebook that reports an experiment over many runs backs each quantified
sentence of its prose ("in every run", "in most runs", "in no run") with a claim
that it checks on its own results and prints as one line::

    holds: channels_last gets every late sentence right, in every run (25 of 25 runs)
    FAILS: channels_first scores below chance, in every run (22 of 25 runs)

The sentence is made from the claim's words and its quantifier, so that the
words cannot say more than the check does; the count in brackets changes with
the seeds, the words do not. :func:`every`, :func:`no`, :func:`some` and
:func:`share` count the units (runs, weights, shuffles) for which something is
true; :func:`measure` checks one number measured over all runs, such as a mean
or a correlation.

Examples
--------
>>> print(every("the model gets every sentence right", [True, True, True]))
holds: the model gets every sentence right, in every run (3 of 3 runs)
>>> print(share("the model scores below chance", [True, False, True, True], at_least=3 / 4))
holds: the model scores below chance, in at least three quarters of the runs (3 of 4 runs)
>>> print(no("the model gets every sentence right", [False, True]))
FAILS: the model gets every sentence right, in no run (1 of 2 runs)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from embedpool_utils.plain_text import plural_noun

__all__ = ["Verdict", "every", "measure", "no", "share", "some"]

# Shares that read better in words than as percentages.
_SHARE_WORDS = {1 / 2: "half", 1 / 3: "a third", 2 / 3: "two thirds", 1 / 4: "a quarter", 3 / 4: "three quarters"}


@dataclass(frozen=True)
class Verdict:
    """A checked claim: its sentence, whether it holds, and the evidence in brackets.

    Attributes
    ----------
    sentence : str
        The claim in words, quantifier included; the same for every seed.
    holds : bool
    evidence : str
        What was counted or measured, e.g. "23 of 25 runs"; changes with the seeds.
    """

    sentence: str
    holds: bool
    evidence: str

    def __str__(self) -> str:
        return f"{'holds' if self.holds else 'FAILS'}: {self.sentence} ({self.evidence})"


def _share_words(share: float) -> str:
    for value, words in _SHARE_WORDS.items():
        if math.isclose(share, value):
            return words
    return f"{share:.0%}"


def _flags(satisfied: ArrayLike) -> np.ndarray:
    flags = np.asarray(satisfied)
    if flags.dtype != bool or flags.ndim != 1 or flags.size == 0:
        raise ValueError(
            "satisfied must be a non-empty 1-d array of True/False, one per run (or unit); got "
            f"{'dtype ' + str(flags.dtype) if flags.dtype != bool else 'shape ' + str(flags.shape)}."
        )
    return flags


def _words(words: str) -> str:
    if not isinstance(words, str) or not words.strip():
        raise ValueError(f"a claim needs its words, a non-empty string; got {words!r}.")
    return words.strip()


def _count(words: str, satisfied: ArrayLike, unit: str, scope: str, low: int, high: int | None = None) -> Verdict:
    """Shared by every counting claim: the verdict that ``low <= count <= high`` (``high`` None: the number of units)."""
    flags = _flags(satisfied)
    count, units = int(flags.sum()), flags.size
    holds = low <= count <= (units if high is None else high)
    return Verdict(
        f"{_words(words)}, {scope}", holds, f"{count} of {units} {unit if units == 1 else plural_noun(unit)}"
    )


def _preposition(unit: str) -> str:
    return "in" if unit == "run" else "for"


def every(words: str, satisfied: ArrayLike, *, unit: str = "run") -> Verdict:
    """Claim that ``words`` are true in every run (or every unit).

    Parameters
    ----------
    words : str
        What is true in one run, without a quantifier: "channels_last gets every late sentence right".
    satisfied : array_like of bool, shape (runs,)
        Whether it is true in each run.
    unit : str
        What ``satisfied`` counts, in the singular: "run", "late weight", "shuffle".

    Returns
    -------
    Verdict
        Holds when every entry of ``satisfied`` is True.
    """
    return _count(words, satisfied, unit, f"{_preposition(unit)} every {unit}", len(_flags(satisfied)))


def no(words: str, satisfied: ArrayLike, *, unit: str = "run") -> Verdict:
    """Claim that ``words`` are true in no run (or unit).

    Parameters
    ----------
    words : str
        What would be true in one run, without a quantifier.
    satisfied : array_like of bool, shape (runs,)
        Whether it is true in each run.
    unit : str
        What ``satisfied`` counts, in the singular.

    Returns
    -------
    Verdict
        Holds when every entry of ``satisfied`` is False.
    """
    return _count(words, satisfied, unit, f"{_preposition(unit)} no {unit}", 0, 0)


def some(words: str, satisfied: ArrayLike, *, unit: str = "run") -> Verdict:
    """Claim that ``words`` are true in at least one run (or unit).

    Parameters
    ----------
    words : str
        What is true in one run, without a quantifier.
    satisfied : array_like of bool, shape (runs,)
        Whether it is true in each run.
    unit : str
        What ``satisfied`` counts, in the singular.

    Returns
    -------
    Verdict
        Holds when at least one entry of ``satisfied`` is True.
    """
    return _count(words, satisfied, unit, f"{_preposition(unit)} at least one {unit}", 1)


def share(
    words: str, satisfied: ArrayLike, *, at_least: float = 0.0, at_most: float = 1.0, unit: str = "run"
) -> Verdict:
    """Claim that ``words`` are true in a share of the runs (or units): at least ``at_least``, at most ``at_most``.

    Parameters
    ----------
    words : str
        What is true in one run, without a quantifier.
    satisfied : array_like of bool, shape (runs,)
        Whether it is true in each run.
    at_least, at_most : float
        Bounds on the share of True entries, 0 to 1 (inclusive); give at least one of them.
    unit : str
        What ``satisfied`` counts, in the singular.

    Returns
    -------
    Verdict
        Its sentence says the bounds in words: "in at least three quarters of the runs".
    """
    if not 0 <= at_least <= at_most <= 1 or (at_least == 0 and at_most == 1):
        raise ValueError(
            "share needs 0 <= at_least <= at_most <= 1, and at least one bound (at_least above 0 or at_most "
            f"below 1); got at_least={at_least}, at_most={at_most}."
        )
    units = len(_flags(satisfied))
    if at_most == 1:
        scope = f"at least {_share_words(at_least)}"
    elif at_least == 0:
        scope = f"at most {_share_words(at_most)}"
    else:
        scope = f"{_share_words(at_least)} to {_share_words(at_most)}"
    # a tiny tolerance: 3 of 4 is three quarters, whatever the last bit of 3 / 4 says
    low, high = math.ceil(at_least * units - 1e-9), math.floor(at_most * units + 1e-9)
    return _count(words, satisfied, unit, f"{_preposition(unit)} {scope} of the {plural_noun(unit)}", low, high)


def measure(words: str, value: float, *, above: float | None = None, below: float | None = None, shown: str) -> Verdict:
    """Claim about one number measured over all runs (a mean, a correlation): it lies above and/or below a bound.

    Parameters
    ----------
    words : str
        The whole claim, bound included: "the correlation is above 0.6".
    value : float
        The measured number.
    above, below : float, optional
        The claim holds when ``value > above`` and ``value < below`` (give at least one).
    shown : str
        The measurement as the bracket should show it, e.g. ``f"{value:.2f} over 25 runs"``.

    Returns
    -------
    Verdict
    """
    if above is None and below is None:
        raise ValueError("measure needs a bound: above=..., below=..., or both.")
    value = float(value)
    holds = (above is None or value > above) and (below is None or value < below)
    return Verdict(_words(words), bool(holds), shown)
