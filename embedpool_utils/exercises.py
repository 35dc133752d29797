"""Self-check exercises: ``check(exercise_id, answer)`` prints a verdict and a hint.

Each exercise is registered once, below, with

* ``inputs``: a function that builds the exercise's data (seeded, so every
  learner gets the same arrays from :func:`exercise_inputs`);
* ``expected``: a function of those inputs that computes the right answer
  with the helper's numeric core;
* ``mistakes``: the classic wrong answers, each with the hint it deserves
  (averaging axis 2 instead of 1, forgetting the mask, (7, 10) for (10, 7) ...).

A wrong answer gets a hint, never the solution; an answer of the wrong type
gets a hint too, not a traceback. Only numpy is needed here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from embedpool_utils import core

__all__ = ["Exercise", "Mistake", "Verdict", "check", "evaluate", "exercise_ids", "exercise_inputs", "EXERCISES"]

Inputs = dict[str, Any]


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer (computed from the inputs) and the hint it earns."""

    answer: Callable[[Inputs], Any]
    hint: str


@dataclass(frozen=True)
class Exercise:
    """One exercise: how to build its data, its answer, and its classic mistakes."""

    exercise_id: str
    question: str
    expected: Callable[[Inputs], Any]
    inputs: Callable[[], Inputs] = dict
    mistakes: tuple[Mistake, ...] = ()
    shape_hint: str = ""


@dataclass(frozen=True)
class Verdict:
    """The outcome of :func:`evaluate`: right or not, and what to tell the learner."""

    correct: bool
    message: str

    def __str__(self) -> str:
        return self.message


EXERCISES: dict[str, Exercise] = {}


def _register(exercise: Exercise) -> None:
    if exercise.exercise_id in EXERCISES:
        raise ValueError(f"exercise id {exercise.exercise_id!r} is registered twice")
    EXERCISES[exercise.exercise_id] = exercise


def exercise_ids() -> list[str]:
    """All registered exercise ids, sorted (they start with the notebook number)."""
    return sorted(EXERCISES)


def _lookup(exercise_id: str) -> Exercise:
    try:
        return EXERCISES[exercise_id]
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
    return _lookup(exercise_id).inputs()


# --------------------------------------------------------------------------
# comparing an answer with the expected one
# --------------------------------------------------------------------------

_NOT_ANSWERED = "Not answered yet: replace the ... (or None) with your answer and run the cell again."


def _same(answer: Any, expected: Any) -> bool:
    """Whether two answers agree: exact for ints, bools, strings and shapes, close for floats."""
    if isinstance(expected, (bool, np.bool_)):
        return isinstance(answer, (bool, np.bool_)) and bool(answer) == bool(expected)
    if isinstance(expected, str):
        return isinstance(answer, str) and answer.strip().lower() == expected.lower()
    if isinstance(expected, tuple):
        try:
            return tuple(answer) == expected  # lists and numpy ints compare equal too
        except TypeError:
            return False
    try:
        got = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return False
    want = np.asarray(expected, dtype=float)
    return got.shape == want.shape and np.allclose(got, want, rtol=1e-5, atol=1e-7, equal_nan=True)


def _describe_type_problem(answer: Any, expected: Any) -> str | None:
    """A hint when the answer is not even the right kind of thing, else None."""
    if isinstance(expected, tuple):
        if isinstance(answer, (int, np.integer)) and not isinstance(answer, bool):
            return (
                f"A shape is a tuple of ints, one per axis; you gave the single int {answer}. "
                "Remember that (10) is just 10 in Python: a one-axis shape is written (10,)."
            )
        try:
            [int(a) for a in answer]
        except (TypeError, ValueError):
            return f"A shape is a tuple of ints such as (2, 3); you gave {type(answer).__name__} {answer!r}."
        return None
    if isinstance(expected, (bool, np.bool_, str)):
        if not isinstance(answer, type(expected)) and not (isinstance(expected, np.bool_) and isinstance(answer, bool)):
            return f"The answer here is a {type(expected).__name__}; you gave a {type(answer).__name__}."
        return None
    if isinstance(answer, str):
        return f"The answer here is a number or an array, not the string {answer!r}."
    try:
        np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return f"Expected a number or an array of numbers; could not read {type(answer).__name__} as one."
    return None


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
        ``correct`` is True only for the right answer. A wrong answer's message
        is a hint; it never contains the solution.

    Raises
    ------
    KeyError
        If no exercise has that id.
    """
    exercise = _lookup(exercise_id)
    if answer is None or answer is Ellipsis:
        return Verdict(False, _NOT_ANSWERED)
    inputs = exercise.inputs()
    expected = exercise.expected(inputs)
    if _same(answer, expected):
        return Verdict(True, f"Correct! ({exercise_id})")
    for mistake in exercise.mistakes:
        if _same(answer, mistake.answer(inputs)):
            return Verdict(False, f"Not quite. {mistake.hint}")
    problem = _describe_type_problem(answer, expected)
    if problem is not None:
        return Verdict(False, f"Not quite. {problem}")
    return Verdict(False, f"Not quite. {_generic_hint(answer, expected, exercise)}")


def _generic_hint(answer: Any, expected: Any, exercise: Exercise) -> str:
    if isinstance(expected, tuple):
        got = tuple(int(a) for a in answer)
        if len(got) != len(expected):
            return f"Your shape has {len(got)} axes; count the axes again. {exercise.shape_hint}".strip()
        if sorted(got) == sorted(expected):
            return "The right sizes, but in the wrong order: which axis comes first?"
        return f"Check each axis size again. {exercise.shape_hint}".strip()
    if isinstance(expected, (bool, np.bool_, str)):
        return "Think again about what the notebook showed, and try once more."
    got = np.asarray(answer, dtype=float)
    want = np.asarray(expected, dtype=float)
    if got.shape != want.shape:
        if got.shape == want.shape[::-1] and got.ndim > 1:
            return f"Your answer has shape {got.shape}: the axes are the other way round. {exercise.shape_hint}".strip()
        return f"Your answer has shape {got.shape}, which is not the shape asked for. {exercise.shape_hint}".strip()
    if want.ndim == 0:
        return "That is not the number asked for; recount, or recompute it step by step."
    return "The shape is right, but the values differ: check which axis you averaged and which entries should count."


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
    >>> check("01-param-count", 50 * 16)
    Correct! (01-param-count)
    >>> check("01-param-count", 50 + 16)
    Not quite. An embedding stores one whole vector per token id: multiply, do not add.
    """
    print(evaluate(exercise_id, answer).message)


# --------------------------------------------------------------------------
# the exercises, grouped by notebook
# --------------------------------------------------------------------------

# ---- notebook 01: an embedding is a lookup table --------------------------

_register(
    Exercise(
        "01-param-count",
        "How many trainable numbers does Embedding(50, 16) hold?",
        expected=lambda _: 50 * 16,
        mistakes=(
            Mistake(lambda _: 50 + 16, "An embedding stores one whole vector per token id: multiply, do not add."),
            Mistake(lambda _: 49 * 16, "Ids run from 0 to 49, which is 50 rows, not 49."),
        ),
    )
)

_register(
    Exercise(
        "01-lookup-rows",
        "Compute the embedding output for data['ids'] from data['table'] without embedding_lookup.",
        inputs=lambda: {"table": core.init_embedding(30, 7, seed=101), "ids": np.array([4, 17, 4, 0, 29, 11])},
        expected=lambda d: core.embedding_lookup(d["table"], d["ids"]),
        mistakes=(
            Mistake(lambda d: d["table"][d["ids"]].T,
                    "The axes are swapped: one row per id (the tokens), one column per feature."),
            Mistake(lambda d: d["table"][d["ids"] - 1], "Ids start at 0: id i is row i, not row i - 1."),
        ),
        shape_hint="The output has one row per id and one column per feature.",
    )
)

_register(
    Exercise(
        "01-valid-ids",
        "Which of data['ids'] are valid for Embedding(30, 7)? A boolean array.",
        inputs=lambda: {"ids": np.array([0, 29, 30, -1, 15, 31, 7])},
        expected=lambda d: (d["ids"] >= 0) & (d["ids"] < 30),
        mistakes=(
            Mistake(lambda d: (d["ids"] >= 0) & (d["ids"] <= 30),
                    "A table of 30 rows has rows 0 ... 29: is 30 one of them?"),
            Mistake(lambda d: d["ids"] < 30, "What happens to a negative id? Keras would wrap it, silently."),
            Mistake(lambda d: d["ids"] <= 30, "Check both ends of the range: the smallest and the largest valid id."),
        ),
    )
)

# ---- notebook 02: the 3-D output tensor ------------------------------------

_register(
    Exercise(
        "02-output-shape",
        "Output shape of Embedding(1000, 64) for 32 sentences of 20 ids?",
        expected=lambda _: (32, 20, 64),
        mistakes=(
            Mistake(lambda _: (32, 64, 20), "Features come last: each token's vector is a row, not a column."),
            Mistake(lambda _: (20, 64), "A layer works on the whole batch: keep the batch axis in front."),
            Mistake(lambda _: (1000, 64), "That is the shape of the table, not of the output."),
            Mistake(lambda _: (32, 1000, 64), "The output has one vector per token, not one per vocabulary entry."),
        ),
        shape_hint="Think (batch, seq_len, embedding_dim).",
    )
)

_register(
    Exercise(
        "02-sentence-matrix",
        "From data['x'] (3, 10, 7), the matrix of the second sentence.",
        inputs=lambda: {"x": core.embedding_lookup(core.init_embedding(30, 7, seed=202),
                                                    np.random.default_rng(202).integers(0, 30, size=(3, 10)))},
        expected=lambda d: d["x"][1],
        mistakes=(
            Mistake(lambda d: d["x"][1].T, "One row per token, please: the tokens run along the rows (10 x 7)."),
            Mistake(lambda d: d["x"][:, 1], "That is the second token of every sentence; index the first axis instead."),
            Mistake(lambda d: d["x"][0], "Python counts from 0: the second sentence has index 1."),
        ),
    )
)

_register(
    Exercise(
        "02-input-shape",
        "The shape argument of keras.Input for sentences of 10 ids.",
        expected=lambda _: (10,),
        mistakes=(
            Mistake(lambda _: (None, 10), "keras.Input takes the shape of one sample; Keras adds the batch axis."),
            Mistake(lambda _: (10, 7), "keras.Input describes the ids going in, not the embedding coming out."),
        ),
    )
)

# ---- notebook 03: averaging along an axis ----------------------------------

def _padded_ids() -> np.ndarray:
    return np.array([[7, 3, 22, 9, 0, 0, 0, 0], [14, 2, 0, 0, 0, 0, 0, 0], [5, 18, 11, 27, 6, 13, 1, 8]])


_register(
    Exercise(
        "03-sentence-vectors",
        "One vector per sentence from data['x'] (4, 12, 7), as GlobalAveragePooling1D() would.",
        inputs=lambda: {"x": core.embedding_lookup(core.init_embedding(30, 7, seed=303),
                                                    np.random.default_rng(303).integers(0, 30, size=(4, 12)))},
        expected=lambda d: core.global_average_pool_1d(d["x"]),
        mistakes=(
            Mistake(lambda d: d["x"].mean(axis=2),
                    "You averaged the features of each token (one number per token). "
                    "Which axis holds the tokens of a sentence?"),
            Mistake(lambda d: d["x"].mean(axis=0),
                    "You averaged across the sentences: that mixes different sentences together."),
            Mistake(lambda d: d["x"].sum(axis=1), "That is the sum of the tokens; divide by how many there are."),
        ),
        shape_hint="One vector per sentence: (number of sentences, embedding_dim).",
    )
)

_register(
    Exercise(
        "03-masked-mean",
        "Sentence vectors of Embedding(mask_zero=True) + GlobalAveragePooling1D for data['ids'].",
        inputs=lambda: {"table": core.init_embedding(30, 7, seed=313), "ids": _padded_ids()},
        expected=lambda d: core.global_average_pool_1d(core.embedding_lookup(d["table"], d["ids"]),
                                                       mask=core.padding_mask(d["ids"])),
        mistakes=(
            Mistake(lambda d: core.embedding_lookup(d["table"], d["ids"]).mean(axis=1),
                    "You forgot the mask: the padding rows (id 0) were averaged in and dilute the result."),
            Mistake(lambda d: (core.embedding_lookup(d["table"], d["ids"])
                               * core.padding_mask(d["ids"])[..., None]).sum(axis=1) / d["ids"].shape[1],
                    "You left the padding out of the sum but not out of the count: divide by the number of real tokens."),
            Mistake(lambda d: core.embedding_lookup(d["table"], d["ids"]).mean(axis=2),
                    "That averages each token's features; average over the tokens instead, leaving padding out."),
        ),
    )
)

_register(
    Exercise(
        "03-keepdims-shape",
        "Output shape of GlobalAveragePooling1D(keepdims=True) on (2, 10, 7).",
        expected=lambda _: (2, 1, 7),
        mistakes=(
            Mistake(lambda _: (2, 7), "keepdims=True keeps the averaged axis, with length 1."),
            Mistake(lambda _: (2, 10, 1), "Which axis does the default channels_last pooling average: tokens or features?"),
            Mistake(lambda _: (1, 10, 7), "The pooling averages within each sentence, never across the batch."),
        ),
    )
)

# ---- notebook 04: the data_format pitfall ----------------------------------

_register(
    Exercise(
        "04-channels-first-shape",
        "Output shape of GlobalAveragePooling1D(data_format='channels_first') on (8, 20, 16).",
        expected=lambda _: (8, 20),
        mistakes=(
            Mistake(lambda _: (8, 16), "That is the channels_last result. Which axis does channels_first average?"),
            Mistake(lambda _: (8, 20, 1), "Without keepdims the averaged axis disappears."),
            Mistake(lambda _: (20, 16), "The batch axis always stays in front."),
        ),
    )
)

_register(
    Exercise(
        "04-row-means",
        "channels_first pooling of the embedding of data['ids'], via a table of row means.",
        inputs=lambda: {"table": core.init_embedding(30, 7, seed=404),
                        "ids": np.random.default_rng(404).integers(0, 30, size=(3, 9))},
        expected=lambda d: core.global_average_pool_1d(core.embedding_lookup(d["table"], d["ids"]),
                                                       data_format="channels_first"),
        mistakes=(
            Mistake(lambda d: core.embedding_lookup(d["table"], d["ids"]).mean(axis=1),
                    "That is channels_last (one vector per sentence). channels_first gives one number per token."),
            Mistake(lambda d: d["table"].mean(axis=0)[d["ids"] % 7],
                    "Average each row (a token's features), not each column."),
        ),
        shape_hint="One number per token: (batch, seq_len).",
    )
)

_register(
    Exercise(
        "04-same-size-trap",
        "seq_len == embedding_dim == 7 with mask_zero and channels_first pooling: does Keras raise?",
        expected=lambda _: False,
        mistakes=(
            Mistake(lambda _: True,
                    "Compare the shapes: the token mask is (batch, 7), and channels_first pools 7 features. "
                    "Does anything fail to fit?"),
        ),
    )
)

# ---- notebook 05: a tiny classifier --------------------------------------

def _forward_inputs() -> Inputs:
    rng = np.random.default_rng(505)
    return {
        "table": core.init_embedding(31, 8, seed=505, minval=-1.0, maxval=1.0),
        "kernel": rng.uniform(-1, 1, size=(8, 1)).astype("float32"),
        "bias": np.array([0.1], dtype="float32"),
        "ids": np.array([[3, 17, 22, 0, 0, 0], [9, 12, 0, 0, 0, 0], [1, 20, 25, 14, 30, 11]]),
    }


def _probabilities(d: Inputs, masked: bool) -> np.ndarray:
    x = core.embedding_lookup(d["table"], d["ids"])
    keep = core.padding_mask(d["ids"]) if masked else None
    return 1 / (1 + np.exp(-(core.global_average_pool_1d(x, mask=keep) @ d["kernel"][:, 0] + d["bias"][0])))


_register(
    Exercise(
        "05-dense-params",
        "Parameters of Dense(1) after channels_first pooling with seq_len 10.",
        expected=lambda _: 11,
        mistakes=(
            Mistake(lambda _: 9, "That would be channels_last with 8 features. channels_first hands over one number per position."),
            Mistake(lambda _: 10, "Count the bias too."),
        ),
    )
)

_register(
    Exercise(
        "05-forward",
        "Probabilities of the masked channels_last model for data['ids'].",
        inputs=_forward_inputs,
        expected=lambda d: _probabilities(d, masked=True),
        mistakes=(
            Mistake(lambda d: _probabilities(d, masked=False),
                    "You forgot the mask: the padding rows were averaged in."),
            Mistake(lambda d: np.log(_probabilities(d, masked=True) / (1 - _probabilities(d, masked=True))),
                    "Those are the logits; apply the sigmoid to get probabilities."),
        ),
    )
)

_register(
    Exercise(
        "05-gradient-rows",
        "Rows of the table with a non-zero gradient for data['ids'] in the masked model.",
        inputs=lambda: {"ids": np.array([[4, 12, 4, 0, 0], [27, 3, 0, 0, 0]])},
        expected=lambda d: np.unique(d["ids"][d["ids"] != 0]),
        mistakes=(
            Mistake(lambda d: np.unique(d["ids"]), "Row 0 is padding, and with mask_zero=True it is masked: does it get a gradient?"),
            Mistake(lambda d: np.sort(d["ids"][d["ids"] != 0]), "List each row once, even if its id occurs twice."),
        ),
    )
)

# ---- notebook 06: the same pitfalls elsewhere -----------------------------


def _bag_inputs() -> Inputs:
    rng = np.random.default_rng(606)
    lengths = [3, 0, 5, 2]
    sentences = [np.append(rng.integers(1, 12, size=max(n - 1, 0)), [0] * min(n, 1)) for n in lengths]
    return {
        "table": core.init_embedding(12, 4, seed=606),
        "indices": np.concatenate(sentences).astype(int),
        "offsets": np.cumsum([0] + lengths[:-1]),
    }


def _bag_means(d: Inputs, padding_idx: int | None) -> np.ndarray:
    from embedpool_utils.frameworks import embedding_bag

    return embedding_bag(d["table"], d["indices"], d["offsets"], padding_idx=padding_idx)


def _bag_means_keras_style(d: Inputs) -> np.ndarray:
    """The masked means with NaN for an empty bag, as Keras' masked average would give."""
    means = _bag_means(d, padding_idx=0)
    sizes = np.diff(np.append(d["offsets"], len(d["indices"])))
    means[sizes == 0] = np.nan
    return means


_register(
    Exercise(
        "06-bag-mean",
        "EmbeddingBag(mode='mean', padding_idx=0) of data['indices'] cut at data['offsets'].",
        inputs=_bag_inputs,
        expected=lambda d: _bag_means(d, padding_idx=0),
        mistakes=(
            Mistake(lambda d: _bag_means(d, padding_idx=None),
                    "The padding id 0 was counted. padding_idx is left out of the sum and of the count."),
            Mistake(_bag_means_keras_style,
                    "An empty bag is not NaN in PyTorch: it gives a row of zeros."),
        ),
        shape_hint="One row per bag, including the empty one: (number of bags, embedding_dim).",
    )
)

_register(
    Exercise(
        "06-torch-pool",
        "Sentence vectors from a PyTorch-layout embedding output with AdaptiveAvgPool1d(1), squeezed.",
        inputs=lambda: {"x": np.random.default_rng(616).normal(size=(3, 8, 5)).astype("float32")},
        expected=lambda d: d["x"].mean(axis=1),
        mistakes=(
            Mistake(lambda d: d["x"].mean(axis=2),
                    "That averages each token's features: the pooling read (N, L, E) as (N, C, L). Transpose first."),
            Mistake(lambda d: d["x"].mean(axis=1, keepdims=True).transpose(0, 2, 1),
                    "Right numbers, but squeeze the length-1 axis that the pooling keeps."),
        ),
        shape_hint="One vector per sentence: (N, E).",
    )
)

_register(
    Exercise(
        "06-dense-params",
        "Parameters of Dense(128) after channels_last pooling of a (None, 500, 3) tensor.",
        expected=lambda _: 3 * 128 + 128,
        mistakes=(
            Mistake(lambda _: 500 * 128 + 128, "That is what channels_first would hand over: 500 numbers. channels_last keeps the features."),
            Mistake(lambda _: 3 * 128, "Count the 128 biases too."),
            Mistake(lambda _: 128 + 128, "With one feature that would be right; here there are 3."),
        ),
    )
)
