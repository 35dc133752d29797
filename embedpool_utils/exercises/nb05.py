"""Exercises of notebook 05 (a tiny classifier): Dense parameters, the forward pass, gradient rows, a held-out split."""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from embedpool_utils import core
from embedpool_utils.exercises.engine import Exercise, Mistake, register
from embedpool_utils.experiments import sentiment_data, stacked_classifier
from embedpool_utils.validation import is_int

# Parameters of Dense(2) after channels_first pooling of sequences of length 20 (embedding_dim 8).
register(
    Exercise(
        "05-dense-params",
        expected=lambda _: 20 * 2 + 2,
        mistakes=(
            Mistake(
                lambda _: 8 * 2 + 2,
                "That would be channels_last, which hands over the 8 features. "
                "channels_first hands over one number per position.",
            ),
            Mistake(lambda _: 20 * 2, "Count the biases too: one per output."),
            Mistake(lambda _: 20 + 1, "Dense(2) has two outputs, and each reads every pooled number."),
        ),
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

# Rows of the table with a non-zero gradient for data["ids"] in the masked model.
register(
    Exercise(
        "05-gradient-rows",
        inputs=lambda: {"ids": np.array([[4, 12, 4, 0, 0], [27, 3, 0, 0, 0]])},
        expected=lambda d: np.unique(d["ids"][d["ids"] != 0]),
        mistakes=(
            Mistake(
                lambda d: np.unique(d["ids"]),
                "Row 0 is padding, and with mask_zero=True it is masked: does it get a gradient?",
            ),
            Mistake(lambda d: np.sort(d["ids"][d["ids"] != 0]), "List each row once, even if its id occurs twice."),
        ),
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
