"""Exercises of notebook 02 (the 3-D output tensor): output shape, one sentence's matrix, keras.Input's shape."""

from __future__ import annotations

import numpy as np

from embedpool_utils import core
from embedpool_utils.exercises.engine import Exercise, Mistake, register

# Output shape of Embedding(1000, 64) for 32 sentences of 20 ids?
register(
    Exercise(
        "02-output-shape",
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

# From data["x"] (3, 10, 7), the matrix of the second sentence.
register(
    Exercise(
        "02-sentence-matrix",
        inputs=lambda: {
            "x": core.embedding_lookup(
                core.init_embedding(30, 7, seed=202), np.random.default_rng(202).integers(0, 30, size=(3, 10))
            )
        },
        expected=lambda d: d["x"][1],
        mistakes=(
            Mistake(lambda d: d["x"][1].T, "One row per token, please: the tokens run along the rows (10 x 7)."),
            Mistake(
                lambda d: d["x"][:, 1], "That is the second token of every sentence; index the first axis instead."
            ),
            Mistake(lambda d: d["x"][0], "Python counts from 0: the second sentence has index 1."),
        ),
    )
)

# The shape argument of keras.Input for sentences of 25 ids that go into Embedding(1000, 16).
register(
    Exercise(
        "02-input-shape",
        expected=lambda _: (25,),
        mistakes=(
            Mistake(lambda _: (None, 25), "keras.Input takes the shape of one sample; Keras adds the batch axis."),
            Mistake(lambda _: (25, 16), "keras.Input describes the ids going in, not the embedding coming out."),
            Mistake(lambda _: (1000,), "1000 is the number of rows of the table, not the length of a sentence."),
            Mistake(lambda _: (1000, 16), "That is the shape of the table; keras.Input describes one sentence of ids."),
            # A right shape for another model: a length left open takes sentences of any length (section 6). The
            # question fixes the length, and a fixed length lets Keras check every batch, so it gets a nudge.
            Mistake(
                lambda _: (None,),
                "That takes sentences of any length, which works; but this model's "
                "sentences always have the same number of ids: write that number.",
            ),
        ),
    )
)
