"""Exercises of notebook 04 (the data_format pitfall): channels_first shape, a table of row means, which masks fit."""

from __future__ import annotations

import numpy as np

from embedpool_utils import core
from embedpool_utils.exercises.engine import Exercise, Mistake, register

# Output shape of GlobalAveragePooling1D(data_format="channels_first") on (8, 20, 16).
register(
    Exercise(
        "04-channels-first-shape",
        expected=lambda _: (8, 20),
        mistakes=(
            Mistake(lambda _: (8, 16), "That is the channels_last result. Which axis does channels_first average?"),
            Mistake(lambda _: (8, 20, 1), "Without keepdims the averaged axis disappears."),
            Mistake(lambda _: (20, 16), "The batch axis always stays in front."),
        ),
    )
)

# channels_first pooling of the embedding of data["ids"], via a table of row means.
register(
    Exercise(
        "04-row-means",
        inputs=lambda: {
            "table": core.init_embedding(30, 7, seed=404),
            "ids": np.random.default_rng(404).integers(0, 30, size=(3, 9)),
        },
        expected=lambda d: core.global_average_pool_1d(
            core.embedding_lookup(d["table"], d["ids"]), data_format="channels_first"
        ),
        mistakes=(
            Mistake(
                lambda d: core.embedding_lookup(d["table"], d["ids"]).mean(axis=1),
                "That is channels_last (one vector per sentence). channels_first gives one number per token.",
            ),
            Mistake(
                lambda d: d["table"].mean(axis=0)[d["ids"] % 7],
                "Average each row (a token's features), not each column.",
            ),
        ),
        shape_hint="One number per token: (batch, seq_len).",
    )
)


def _first_batch_fails(maxlen: int, embedding_dim: int) -> bool:
    """Whether a (batch, maxlen) token mask is refused by channels_first pooling of (batch, maxlen, embedding_dim)."""
    x = np.zeros((1, maxlen, embedding_dim), dtype="float32")
    try:
        core.global_average_pool_1d(x, data_format="channels_first", mask=np.ones((1, maxlen), dtype=bool))
    except ValueError:
        return True
    return False


# Embedding(5000, 32, mask_zero=True) + channels_first pooling: which padded lengths fail at the first predict?
register(
    Exercise(
        "04-mask-fit",
        inputs=lambda: {"maxlens": (16, 32, 64), "embedding_dim": 32},
        expected=lambda d: np.array([_first_batch_fails(n, d["embedding_dim"]) for n in d["maxlens"]]),
        mistakes=(
            Mistake(
                lambda d: np.zeros(len(d["maxlens"]), dtype=bool),
                "Keras builds every one of these models, but the first batch is another matter: compare the "
                "length of the token mask with the length of the axis that channels_first averages.",
            ),
            Mistake(
                lambda d: np.ones(len(d["maxlens"]), dtype=bool),
                "Look at section 3 again: at one length the token mask has exactly the shape channels_first "
                "expects, and nothing fails.",
            ),
            Mistake(
                lambda d: ~np.array([_first_batch_fails(n, d["embedding_dim"]) for n in d["maxlens"]]),
                "The other way round: an error needs a mask that does not fit the averaged axis.",
            ),
        ),
        shape_hint="One True or False per maxlen, in the order given.",
    )
)
