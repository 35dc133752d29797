"""Exercises of notebook 05 (a tiny classifier): Dense parameters, the forward pass, which rows get a gradient."""

from __future__ import annotations

import numpy as np

from embedpool_utils import core, tiny_model
from embedpool_utils.exercises import Exercise, Mistake, register

# Parameters of Dense(1) after channels_first pooling with seq_len 10.
register(
    Exercise(
        "05-dense-params",
        expected=lambda _: 11,
        mistakes=(
            Mistake(lambda _: 9, "That would be channels_last with 8 features. channels_first hands over one number per position."),
            Mistake(lambda _: 10, "Count the bias too."),
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
    return tiny_model.forward(tiny_model.Params(d["table"], d["kernel"], d["bias"]), d["ids"], masked=masked)


# Probabilities of the masked channels_last model for data["ids"].
register(
    Exercise(
        "05-forward",
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

# Rows of the table with a non-zero gradient for data["ids"] in the masked model.
register(
    Exercise(
        "05-gradient-rows",
        inputs=lambda: {"ids": np.array([[4, 12, 4, 0, 0], [27, 3, 0, 0, 0]])},
        expected=lambda d: np.unique(d["ids"][d["ids"] != 0]),
        mistakes=(
            Mistake(lambda d: np.unique(d["ids"]), "Row 0 is padding, and with mask_zero=True it is masked: does it get a gradient?"),
            Mistake(lambda d: np.sort(d["ids"][d["ids"] != 0]), "List each row once, even if its id occurs twice."),
        ),
    )
)
