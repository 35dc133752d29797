"""Exercises of notebook 01 (an embedding is a lookup table): parameter count, lookup by hand, valid ids, input_dim."""

from __future__ import annotations

import numpy as np

from embedpool_utils import core
from embedpool_utils.exercises.engine import Exercise, Mistake, register

# How many trainable numbers does Embedding(50, 16) hold?
register(
    Exercise(
        "01-param-count",
        expected=lambda _: 50 * 16,
        mistakes=(
            Mistake(lambda _: 50 + 16, "An embedding stores one whole vector per token id: multiply, do not add."),
            Mistake(lambda _: 49 * 16, "Ids run from 0 to 49, which is 50 rows, not 49."),
        ),
    )
)

# The embedding output for data["ids"] from data["table"], without embedding_lookup.
register(
    Exercise(
        "01-lookup-rows",
        inputs=lambda: {"table": core.init_embedding(30, 7, seed=101), "ids": np.array([4, 17, 4, 0, 29, 11])},
        expected=lambda d: core.embedding_lookup(d["table"], d["ids"]),
        mistakes=(
            Mistake(
                lambda d: d["table"][d["ids"]].T,
                "The axes are swapped: one row per id (the tokens), one column per feature.",
            ),
            Mistake(lambda d: d["table"][d["ids"] - 1], "Ids start at 0: id i is row i, not row i - 1."),
        ),
        shape_hint="The output has one row per id and one column per feature.",
    )
)

# Which of data["ids"] are valid for Embedding(30, 7)? A boolean array.
register(
    Exercise(
        "01-valid-ids",
        inputs=lambda: {"ids": np.array([0, 29, 30, -1, 15, 31, 7])},
        expected=lambda d: (d["ids"] >= 0) & (d["ids"] < 30),
        mistakes=(
            Mistake(
                lambda d: (d["ids"] >= 0) & (d["ids"] <= 30), "A table of 30 rows has rows 0 ... 29: is 30 one of them?"
            ),
            Mistake(lambda d: d["ids"] < 30, "What happens to a negative id? Keras would wrap it, silently."),
            Mistake(lambda d: d["ids"] <= 30, "Check both ends of the range: the smallest and the largest valid id."),
        ),
    )
)

# input_dim for 2,000 words numbered 1 ... 2,000, with 0 kept for padding.
register(
    Exercise(
        "01-input-dim",
        expected=lambda _: 2_000 + 1,
        mistakes=(
            Mistake(
                lambda _: 2_000,
                "The largest id is the number of words; a table needs one row more than its largest id.",
            ),
            Mistake(lambda _: 1_999, "Rows run from 0 to input_dim - 1: which row does the last word need?"),
            Mistake(
                lambda _: 2_000 + 2, "Only one id is reserved here, 0 for padding; no extra row for unknown words."
            ),
        ),
    )
)
