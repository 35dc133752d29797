"""The self-check engine: ``check(exercise_id, answer)`` judges an answer and prints a verdict or a hint.

The exercises themselves live beside it in :mod:`embedpool_utils.exercises`,
one bank module per notebook (``nb01`` ... ``nb07``); the bank is imported the first time an exercise is
looked up, so ``import embedpool_utils`` does not build it. Each exercise is
registered there with :func:`register` and has

* ``inputs``: a function that builds the exercise's data (seeded, so every
  learner gets the same arrays from :func:`exercise_inputs`);
* ``expected``: a function of those inputs that computes the right answer
  with the helper's numeric core;
* ``mistakes``: the classic wrong answers, each with the hint it deserves
  (averaging axis 2 instead of 1, forgetting the mask, (7, 10) for (10, 7) ...);
* optionally ``accepts``: a function of the answer and the inputs that judges
  an answer itself, for an exercise with more than one right answer (a model
  to repair, the arguments of a held-out split) or whose answer is not an
  array, a shape, a bool, a string or a dict.

A wrong answer gets a hint, never the solution; an answer of the wrong kind
(a string for a number, a float inside a shape) gets a hint too, never a
traceback and never a pass. Only numpy is needed here.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from embedpool_utils.validation import is_int

__all__ = [
    "Exercise",
    "Mistake",
    "Verdict",
    "check",
    "evaluate",
    "exercise_ids",
    "exercise_inputs",
    "get_exercise",
    "register",
]

Inputs = dict[str, Any]


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer (computed from the inputs) and the hint it earns."""

    answer: Callable[[Inputs], Any]
    hint: str


@dataclass(frozen=True)
class Exercise:
    """One exercise: how to build its data, its answer, and its classic mistakes.

    Attributes
    ----------
    exercise_id : str
        ``"NN-slug"``, NN the notebook's number.
    expected : callable
        ``expected(inputs)``: the right answer, computed with the numeric core.
    inputs : callable
        ``inputs()``: a fresh dict of the exercise's data.
    mistakes : tuple of Mistake
    shape_hint : str
        Added to the hints about a wrong shape, e.g. "Think (batch, seq_len, embedding_dim)."
    accepts : callable, optional
        ``accepts(answer, inputs)``, for an exercise that more than one answer
        solves: it returns True to accept the answer, a hint (a non-empty
        str) to reject it with that hint, or False to reject it and leave the
        hint to ``mistakes`` and the generic hints. With ``accepts``, the
        answer is never compared with ``expected``, which is then one right
        answer (for the tests, and to word the generic hints).
    """

    exercise_id: str
    expected: Callable[[Inputs], Any]
    inputs: Callable[[], Inputs] = dict
    mistakes: tuple[Mistake, ...] = ()
    shape_hint: str = ""
    accepts: Callable[[Any, Inputs], bool | str] | None = None


@dataclass(frozen=True)
class Verdict:
    """The outcome of :func:`evaluate`: right or not, and what to tell the learner."""

    correct: bool
    message: str

    def __str__(self) -> str:
        return self.message


_REGISTRY: dict[str, Exercise] = {}
_PACKAGE = "embedpool_utils.exercises"


def register(exercise: Exercise) -> Exercise:
    """Add an exercise to the registry (the bank's modules call this once per exercise).

    Parameters
    ----------
    exercise : Exercise

    Returns
    -------
    Exercise
        The same exercise, so that a bank module can keep a name for it.

    Raises
    ------
    ValueError
        If an exercise with the same id is already registered.
    """
    if exercise.exercise_id in _REGISTRY:
        raise ValueError(f"exercise id {exercise.exercise_id!r} is registered twice")
    _REGISTRY[exercise.exercise_id] = exercise
    return exercise


_bank_loaded = False


def _load_bank() -> None:
    """Import every bank module (each registers its exercises); later calls do nothing."""
    global _bank_loaded
    if _bank_loaded:
        return
    package = importlib.import_module(_PACKAGE)
    for module in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if module.name.startswith("nb"):  # a bank module, one per notebook; the rest is the engine
            importlib.import_module(f"{_PACKAGE}.{module.name}")
    _bank_loaded = True


def exercise_ids() -> list[str]:
    """All registered exercise ids, sorted (they start with the notebook number).

    Returns
    -------
    list of str
    """
    _load_bank()
    return sorted(_REGISTRY)


def get_exercise(exercise_id: str) -> Exercise:
    """The registered :class:`Exercise` with this id.

    Parameters
    ----------
    exercise_id : str
        For example ``"02-summary-shape"``.

    Returns
    -------
    Exercise

    Raises
    ------
    KeyError
        If no exercise has that id (the message lists the ids).
    """
    _load_bank()
    try:
        return _REGISTRY[exercise_id]
    except KeyError:
        known = ", ".join(repr(i) for i in exercise_ids())
        raise KeyError(f"no exercise called {exercise_id!r}; the exercises are: {known}") from None


def exercise_inputs(exercise_id: str) -> Inputs:
    """The data an exercise works on: a dict of name -> array (a fresh copy each call).

    Parameters
    ----------
    exercise_id : str
        For example ``"03-sentence-vectors"``.

    Returns
    -------
    dict
        The same, seeded arrays for every learner.

    Raises
    ------
    KeyError
        If no exercise has that id (the message lists the ids).
    """
    return get_exercise(exercise_id).inputs()


# --------------------------------------------------------------------------
# reading an answer as the kind of thing the exercise asks for
# --------------------------------------------------------------------------

_NOT_ANSWERED = "Not answered yet: replace the ... (or None) with your answer and run the cell again."


def _kind(expected: Any) -> str:
    """What an exercise asks for: "bool", "str", "dict", "shape" (a tuple of ints) or "number" (a number or array)."""
    if isinstance(expected, (bool, np.bool_)):
        return "bool"
    if isinstance(expected, str):
        return "str"
    if isinstance(expected, dict):
        return "dict"
    if isinstance(expected, tuple):
        return "shape"
    return "number"


def _is_size(value: Any) -> bool:
    """An entry of a shape: an int, or None for an axis of unknown length (Keras' batch axis)."""
    return value is None or is_int(value)


def _as_shape(answer: Any) -> tuple[int | None, ...] | None:
    """The answer as a shape (a sequence of ints or None), or None if it is not one: floats are never rounded."""
    if isinstance(answer, (str, bytes)):
        return None
    try:
        sizes = tuple(answer)
    except TypeError:
        return None
    return tuple(None if s is None else int(s) for s in sizes) if all(_is_size(s) for s in sizes) else None


def _as_numbers(answer: Any) -> np.ndarray | None:
    """The answer as a float array if it holds only numbers (or bools); None for text, objects, ragged lists."""
    if isinstance(answer, (str, bytes)):
        return None
    try:
        values = np.asarray(answer)
    except (TypeError, ValueError):  # ragged nested lists
        return None
    if values.dtype.kind not in "biuf":  # text ("U", "S"), objects ("O"), complex, ...
        return None
    return values.astype(float)


def _same(answer: Any, expected: Any) -> bool:
    """Whether two answers agree: exact for bools, strings and shapes, close for numbers."""
    kind = _kind(expected)
    if kind == "bool":
        return isinstance(answer, (bool, np.bool_)) and bool(answer) == bool(expected)
    if kind == "str":
        return isinstance(answer, str) and answer.strip().lower() == expected.lower()
    if kind == "dict":
        return (
            isinstance(answer, dict)
            and answer.keys() == expected.keys()
            and all(_same(answer[key], value) for key, value in expected.items())
        )
    if kind == "shape":
        return _as_shape(answer) == _as_shape(expected)
    got = _as_numbers(answer)
    want = np.asarray(expected, dtype=float)
    return (
        got is not None
        and got.shape == want.shape
        and bool(np.allclose(got, want, rtol=1e-5, atol=1e-7, equal_nan=True))
    )


def _kind_problem(answer: Any, expected: Any) -> str | None:
    """A hint when the answer is not the kind of thing asked for, else None.

    No hint repeats the answer the learner typed when it could be the
    expected one written the wrong way (the text "800" for the number 800).
    """
    kind = _kind(expected)
    if kind == "shape":
        if is_int(answer):
            return (
                "A shape is a tuple of ints, one per axis; you gave a single int. In Python a number in "
                "brackets is just that number: a one-axis shape needs a trailing comma, (n,)."
            )
        if isinstance(answer, (str, bytes)):
            return "A shape is a tuple of ints, not text: write it without quotes."
        try:
            sizes = tuple(answer)
        except TypeError:
            return f"A shape is a tuple of ints, one per axis; you gave a {type(answer).__name__}."
        for size in sizes:
            if not _is_size(size):
                return (
                    f"Each size in a shape is a whole number of type int; you gave a "
                    f"{type(size).__name__} among the sizes."
                )
        return None
    if kind in ("bool", "str", "dict"):
        wanted = {"bool": (bool, np.bool_), "str": (str,), "dict": (dict,)}[kind]
        if not isinstance(answer, wanted):
            what = {"bool": "a bool (a yes-or-no value)", "str": "a str (text)", "dict": "a dict, {name: value, ...}"}[
                kind
            ]
            return f"The answer here is {what}; you gave a {type(answer).__name__}."
        return None
    if isinstance(answer, (str, bytes)):
        return "The answer here is a number or an array of numbers, not text: write it without quotes."
    if _as_numbers(answer) is None:
        if isinstance(answer, (list, tuple)):
            return (
                "Could not read your answer as an array of numbers: check that every row has the same "
                "length and that it holds only numbers."
            )
        return f"The answer here is a number or an array of numbers; you gave a {type(answer).__name__}."
    return None


def _generic_hint(answer: Any, expected: Any, exercise: Exercise) -> str:
    """A hint for an answer of the right kind that is neither right nor a registered mistake."""
    shape_hint = f" {exercise.shape_hint}" if exercise.shape_hint else ""
    kind = _kind(expected)
    if kind == "shape":
        got, want = _as_shape(answer), _as_shape(expected)
        assert got is not None and want is not None, "called only for an answer of the right kind"
        if len(got) != len(want):
            return f"Your shape has {len(got)} axes; count the axes again.{shape_hint}"
        if Counter(got) == Counter(want):
            return "The right sizes, but in the wrong order: which axis comes first?"
        return f"Check each axis size again.{shape_hint}"
    if kind in ("bool", "str"):
        return "Think again about what the notebook showed, and try once more."
    if kind == "dict":
        return "Check each entry of your dict again: its names and its values."
    numbers, wanted = _as_numbers(answer), np.asarray(expected, dtype=float)
    assert numbers is not None, "called only for an answer of the right kind"
    if wanted.ndim == 0:
        if numbers.ndim > 0:
            return "The answer here is a single number, not an array or a list."
        return "That is not the number asked for; recount, or recompute it step by step."
    if numbers.shape != wanted.shape:
        if numbers.shape == wanted.shape[::-1] and numbers.ndim > 1:
            return f"Your answer has shape {numbers.shape}: the axes are the other way round.{shape_hint}"
        return f"Your answer has shape {numbers.shape}, which is not the shape asked for.{shape_hint}"
    return "The shape is right, but the values differ: check which axis you averaged and which entries should count."


def evaluate(exercise_id: str, answer: Any) -> Verdict:
    """Judge an answer without printing: a :class:`Verdict` with ``correct`` and ``message``.

    Parameters
    ----------
    exercise_id : str
        Which exercise (see :func:`exercise_ids`).
    answer : object
        The learner's answer: an array, a shape tuple, an int, a bool or a string,
        whatever the exercise asks for. ``None`` or ``...`` means "not answered yet".

    Returns
    -------
    Verdict
        ``correct`` is True only for the right answer, of the right kind (the
        text ``"800"`` does not pass for the number 800). A wrong answer's
        message is a hint; it never contains the solution.

    Raises
    ------
    KeyError
        If no exercise has that id.
    """
    exercise = get_exercise(exercise_id)
    if answer is None or answer is Ellipsis:
        return Verdict(False, _NOT_ANSWERED)
    inputs = exercise.inputs()
    if exercise.accepts is not None:
        judged = exercise.accepts(answer, inputs)
        if isinstance(judged, str) and judged.strip():
            return Verdict(False, f"Not quite. {judged}")
        if judged is True:
            return Verdict(True, f"Correct! ({exercise_id})")
    expected = exercise.expected(inputs)
    if exercise.accepts is None and _same(answer, expected):
        return Verdict(True, f"Correct! ({exercise_id})")
    for mistake in exercise.mistakes:
        if _same(answer, mistake.answer(inputs)):
            return Verdict(False, f"Not quite. {mistake.hint}")
    problem = _kind_problem(answer, expected)
    if problem is not None:
        return Verdict(False, f"Not quite. {problem}")
    return Verdict(False, f"Not quite. {_generic_hint(answer, expected, exercise)}")


def check(exercise_id: str, answer: Any) -> None:
    """Print whether ``answer`` solves the exercise, with a hint if it does not.

    Parameters
    ----------
    exercise_id : str
        Which exercise (the notebook's exercise cell gives it).
    answer : object
        Your answer; leave it as ``...`` until you have one.

    Examples
    --------
    Two wrong answers to notebook 02's exercise on a layer's output shape, and their hints:

    >>> check("02-summary-shape", (None, 32))
    Not quite. That is the shape after the average; the Embedding keeps one row per token.
    >>> check("02-summary-shape", "batch, tokens, features")
    Not quite. A shape is a tuple of ints, not text: write it without quotes.
    """
    print(evaluate(exercise_id, answer).message)


# --------------------------------------------------------------------------
# reading the parts of an answer that names things (for a bank's ``accepts``)
# --------------------------------------------------------------------------


def keyed_answer(answer: Any, keys: tuple[str, ...]) -> dict[str, Any] | str:
    """The answer's values by key, if it is a dict with exactly these keys; else a hint saying what to give.

    Parameters
    ----------
    answer : object
        The learner's answer.
    keys : tuple of str
        The keys the exercise asks for, in the order its prompt gives them.

    Returns
    -------
    dict or str
        The answer itself when it is a dict with these keys (written in any order), or a hint.
    """
    wanted = "{" + ", ".join(f'"{key}": ...' for key in keys) + "}"
    if not isinstance(answer, dict):
        return f"The answer here is a dict, {wanted}; you gave a {type(answer).__name__}."
    if set(answer) != set(keys):
        missing = [key for key in keys if key not in answer]
        extra = [repr(key) for key in answer if key not in keys]
        problem = (
            f"it lacks {', '.join(repr(k) for k in missing)}" if missing else f"{', '.join(extra)} is not asked for"
        )
        return f"Give a dict with the keys {', '.join(repr(k) for k in keys)}: {problem}."
    return answer


def layer_class_name(text: str) -> str:
    """A layer's class name as a learner may write it, reduced to compare: ``"keras.layers.Flatten()"`` -> ``"flatten"``.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
        Lower case, without spaces, without a ``keras.layers.`` or ``layers.`` prefix and without a trailing ``()``.
    """
    name = "".join(text.split()).lower()
    for prefix in ("keras.layers.", "layers."):
        name = name.removeprefix(prefix)
    return name.removesuffix("()")
