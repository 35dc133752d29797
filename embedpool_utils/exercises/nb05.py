"""Exercises of notebook 05 (a tiny classifier): positions read right, a held-out split, the forward pass, label pairs."""

from __future__ import annotations

import functools
import inspect
from typing import Any

import numpy as np

from embedpool_utils import core
from embedpool_utils.exercises.engine import Exercise, Mistake, register
from embedpool_utils.experiments import learned_weights, sentiment_data, stacked_classifier, training
from embedpool_utils.validation import is_int

# ---------------------------------------------------------------- which positions read sentiment right

# The run the exercise reads: one channels_first training on experiment A's recipe (sentiment words at positions
# 0-3). Its weight seed gives positive words the *smaller* row means, so a positive weight is not a right one.
_RIGHT_WAY_SEED = 503


@functools.lru_cache(maxsize=1)
def _trained_channels_first() -> tuple[np.ndarray, np.ndarray]:
    """(table (31, 8), kernel (10, 1)) of one channels_first run trained as in notebook 05's experiment A."""
    model = training.Classifier(len(sentiment_data.VOCAB), 8, 10, data_format="channels_first")
    start = training.initial_weights(model, [_RIGHT_WAY_SEED])
    data = sentiment_data.make_sentences(1024, seed=_RIGHT_WAY_SEED)
    trained, _ = training.fit(model, start, data.ids, data.labels, epochs=15, batch_size=32, learning_rate=0.01)
    return trained.table[0], trained.kernel[0]


def _right_way_inputs() -> dict:
    table, kernel = _trained_channels_first()
    return {
        "table": table.copy(),
        "kernel": kernel.copy(),
        "positive_ids": sentiment_data.ids_of(sentiment_data.POSITIVE),
        "negative_ids": sentiment_data.ids_of(sentiment_data.NEGATIVE),
    }


def _reading_right(d: dict) -> np.ndarray:
    """Positions whose weight has the sign of (positive words' row mean - negative words' row mean)."""
    weights = stacked_classifier.Weights(d["table"][np.newaxis], d["kernel"][np.newaxis], np.zeros((1, 1)))
    return np.flatnonzero(learned_weights.positions_reading_right(weights, d["positive_ids"], d["negative_ids"])[0])


# The positions (0-9) at which a trained channels_first model reads a sentiment word the right way round.
register(
    Exercise(
        "05-right-way-round",
        inputs=_right_way_inputs,
        expected=_reading_right,
        mistakes=(
            Mistake(
                lambda d: np.flatnonzero(d["kernel"][:, 0] > 0),
                "A positive weight reads a positive word as positive only if positive words get the larger "
                "numbers from the pooling. Compare the positive and the negative words' numbers first.",
            ),
            Mistake(
                lambda d: np.arange(4),
                "Training pushed positions 0 to 3 the right way; the others kept their random start weights, "
                "and a random sign can be right too. Check every position.",
            ),
        ),
        shape_hint="A sorted 1-D array of positions, e.g. np.flatnonzero(...).",
    )
)


def _forward_inputs() -> dict:
    rng = np.random.default_rng(505)
    return {
        "table": core.init_embedding(31, 8, seed=505, minval=-1.0, maxval=1.0),
        "kernel": rng.uniform(-1, 1, size=(8, 1)).astype("float32"),
        "bias": np.array([0.1], dtype="float32"),
        "ids": np.array([[3, 17, 22, 0, 0, 0], [9, 12, 0, 0, 0, 0], [1, 20, 25, 14, 30, 11]]),
    }


def _probabilities(d: dict, masked: bool) -> np.ndarray:
    """Notebook 05's channels_last classifier, one run (a runs axis of length 1): shape (batch,)."""
    vocab_size, embedding_dim = d["table"].shape
    model = stacked_classifier.Classifier(vocab_size, embedding_dim, d["ids"].shape[1], mask_zero=masked)
    one_run = stacked_classifier.Weights(d["table"][np.newaxis], d["kernel"][np.newaxis], d["bias"][np.newaxis])
    return stacked_classifier.predict(model, one_run, d["ids"])[0, :, 0]


# Probabilities of the masked channels_last model for data["ids"].
register(
    Exercise(
        "05-forward",
        inputs=_forward_inputs,
        expected=lambda d: _probabilities(d, masked=True),
        mistakes=(
            Mistake(
                lambda d: _probabilities(d, masked=False), "You forgot the mask: the padding rows were averaged in."
            ),
            Mistake(
                lambda d: np.log(_probabilities(d, masked=True) / (1 - _probabilities(d, masked=True))),
                "Those are the logits; apply the sigmoid to get probabilities.",
            ),
        ),
    )
)

# ---------------------------------------------------------------- which label combinations one number can give

LABEL_PAIRS = ((0, 0), (0, 1), (1, 0), (1, 1))  # (sentiment, topic)


def _combinations_inputs() -> dict:
    # Dense(2) weights of a control like notebook 05's: one number s per sentence in, two sigmoid outputs
    return {"kernel": np.array([[2.4, -3.1]], dtype="float32"), "bias": np.array([-0.6, 0.4], dtype="float32")}


def _predicted_pairs(kernel: np.ndarray, bias: np.ndarray) -> list[tuple[int, int]]:
    """The (sentiment, topic) pairs that sigmoid(s * kernel + bias) > 0.5 gives for some number s.

    Each output changes its label where its logit crosses 0, at s = -bias / kernel; between and beyond those
    thresholds the labels are constant, so one s from each piece of the line gives every pair there is.
    """
    thresholds = np.sort(-bias / kernel[0])
    inside = (thresholds[:-1] + thresholds[1:]) / 2
    samples = np.concatenate([[thresholds[0] - 1], inside, [thresholds[-1] + 1]])
    labels = (samples[:, np.newaxis] * kernel[0] + bias > 0).astype(int)
    return sorted({(int(a), int(b)) for a, b in labels})


def _as_pairs(answer: object) -> set[tuple[int, int]] | None:
    """The answer as a set of (0/1, 0/1) pairs, or None if it is not a list of such pairs."""
    if isinstance(answer, (str, bytes, dict)):
        return None
    try:
        values = np.asarray(answer)
    except (TypeError, ValueError):
        return None
    if values.dtype.kind not in "biu" or values.ndim != 2 or values.shape[1] != 2 or not np.isin(values, (0, 1)).all():
        return None
    return {(int(a), int(b)) for a, b in values}


_COMBINATION_MISTAKES = (
    Mistake(
        lambda d: list(LABEL_PAIRS),
        "Each output only asks whether s is above or below a threshold of its own: how many pieces do two "
        "thresholds cut a line into?",
    ),
    Mistake(
        lambda d: _predicted_pairs(np.abs(d["kernel"]), d["bias"] * np.sign(d["kernel"][0])),
        "Look at the sign of each output's weight: with a negative weight, the label is 1 below its threshold, "
        "not above it.",
    ),
)


def _judge_pairs(answer: object, inputs: dict) -> bool | str:
    """True for the predicted pairs in any order; a registered mistake's hint; else False (the engine hints)."""
    pairs = _as_pairs(answer)
    if pairs is None:
        return False
    if pairs == set(_predicted_pairs(inputs["kernel"], inputs["bias"])):
        return True
    for mistake in _COMBINATION_MISTAKES:
        if pairs == set(mistake.answer(inputs)):
            return mistake.hint
    return False


# The (sentiment, topic) label pairs that a one-number-per-sentence model with these Dense(2) weights can predict.
register(
    Exercise(
        "05-combinations",
        inputs=_combinations_inputs,
        expected=lambda d: _predicted_pairs(d["kernel"], d["bias"]),
        accepts=_judge_pairs,
        mistakes=_COMBINATION_MISTAKES,
        shape_hint="A list of (sentiment, topic) pairs, each 0 or 1.",
    )
)


# ---------------------------------------------------------------- design a held-out split
# Many splits are right, so the exercise judges an answer itself (accepts): each classic mistake is a family of
# answers, recognised by a check and named by a hint. The checks run in order: each may assume that the
# earlier ones did not match.

_SIGNATURE = inspect.signature(sentiment_data.make_sentences).parameters
_DEFAULTS = {name: p.default for name, p in _SIGNATURE.items() if p.default is not inspect.Parameter.empty}


def _design_inputs() -> dict:
    # the training set of a model whose sentiment words all stood at positions 4-7
    return {"training": {"n": 1024, "seed": 1, "lengths": (8, 10), "positions": (4, 7)}}


def _refused(answer: dict, inputs: dict) -> bool:
    """make_sentences would raise for these arguments, or n or seed is not a whole number (n at least 1)."""
    if not (is_int(answer["n"]) and is_int(answer["seed"])) or answer["n"] < 1:
        return True
    try:
        sentiment_data.make_sentences(**{**answer, "n": 4})  # a few sentences suffice to test the arguments
    except (TypeError, ValueError, IndexError):
        return True
    return False


def _setting(answer: dict, name: str) -> Any:
    return answer.get(name, _DEFAULTS.get(name))


def _overlaps_training(answer: dict, inputs: dict) -> bool:
    first, last = _setting(answer, "positions")
    trained_first, trained_last = inputs["training"]["positions"]
    return not (last < trained_first or first > trained_last)


def _lengths_outside_training(answer: dict, inputs: dict) -> bool:
    low, high = _setting(answer, "lengths")
    trained_low, trained_high = inputs["training"]["lengths"]
    return low < trained_low or high > trained_high


def _lengths_differ_by_label(answer: dict, inputs: dict) -> bool:
    negative = _setting(answer, "negative_lengths")
    return negative is not None and tuple(negative) != tuple(_setting(answer, "lengths"))


# (check, mistake): the check recognises the family, the mistake holds one example of it and its hint
_SPLIT_CHECKS = (
    (
        lambda a, d: not set(a) <= set(_SIGNATURE),
        Mistake(
            lambda d: {"n": 500, "seed": 2, "lengths": (8, 10), "position": (0, 3)},
            "make_sentences has no argument of one of those names: check the spelling with "
            "help(sentiment_data.make_sentences).",
        ),
    ),
    (
        lambda a, d: not {"n", "seed"} <= set(a),
        Mistake(
            lambda d: {"lengths": (8, 10), "positions": (0, 3)},
            "Give at least n (how many sentences) and seed (which ones).",
        ),
    ),
    (
        _refused,
        Mistake(
            lambda d: {"n": 500, "seed": 2, "positions": (8, 9)},
            "make_sentences refuses these arguments: n and seed must be whole numbers, and even the shortest "
            "sentence must be long enough for a position in your range. Run sentiment_data.make_sentences(**answer) "
            "to read its message.",
        ),
    ),
    (
        lambda a, d: a["seed"] == d["training"]["seed"],
        Mistake(
            lambda d: {**d["training"], "n": 500, "positions": (0, 3)},
            "That is the training set's seed: the split would start with the very sentences the model "
            "trained on. Use another seed.",
        ),
    ),
    (
        lambda a, d: _setting(a, "max_len") != _DEFAULTS["max_len"],
        Mistake(
            lambda d: {"n": 500, "seed": 2, "max_len": 12, "lengths": (8, 10), "positions": (0, 3)},
            "The model reads exactly 10 tokens per sentence: leave max_len as it is.",
        ),
    ),
    (
        lambda a, d: a["n"] < 200,
        Mistake(
            lambda d: {"n": 20, "seed": 2, "lengths": (8, 10), "positions": (0, 3)},
            "With so few sentences one sentence moves the accuracy by several points: use a few hundred.",
        ),
    ),
    (
        _overlaps_training,
        Mistake(
            lambda d: {"n": 500, "seed": 2, "lengths": (8, 10), "positions": (6, 9)},
            "Some sentiment words could stand where training put them: those sentences test nothing new. "
            "Choose positions that training never used.",
        ),
    ),
    (
        _lengths_outside_training,
        Mistake(
            lambda d: {"n": 500, "seed": 2, "positions": (0, 3)},
            "Some of your sentences are shorter or longer than any training sentence, so the amount of "
            "padding changes as well: the split would test two things at once. Keep to lengths that "
            "training used.",
        ),
    ),
    (
        _lengths_differ_by_label,
        Mistake(
            lambda d: {"n": 500, "seed": 2, "lengths": (8, 10), "positions": (0, 3), "negative_lengths": (9, 10)},
            "With negative_lengths, length goes with the label: the split would test the padding shortcut "
            "as well. Change one thing at a time.",
        ),
    ),
)


def _judge_split(answer: object, inputs: dict) -> bool | str:
    """True for a split that tests only the new positions; else the hint of the first mistake it makes."""
    if not isinstance(answer, dict):
        return False  # the engine says which kind of answer is asked for
    for check, mistake in _SPLIT_CHECKS:
        if check(answer, inputs):
            return mistake.hint
    return True


# Keyword arguments for sentiment_data.make_sentences: a held-out split that tests only whether the model
# recognises a sentiment word at positions where training never put one.
register(
    Exercise(
        "05-design-split",
        inputs=_design_inputs,
        expected=lambda d: {"n": 500, "seed": 2, "lengths": (8, 10), "positions": (0, 3)},
        accepts=_judge_split,
        mistakes=tuple(mistake for _, mistake in _SPLIT_CHECKS),
    )
)
