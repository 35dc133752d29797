"""Exercises of notebook 04 (the data_format pitfall): channels_first shape, a table of row means, the same-size trap."""

from __future__ import annotations

import numpy as np

from embedpool_utils import core
from embedpool_utils.exercises import Exercise, Mistake, register

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

# seq_len == embedding_dim == 7 with mask_zero and channels_first pooling: does Keras raise?
register(
    Exercise(
        "04-same-size-trap",
        expected=lambda _: False,
        mistakes=(
            Mistake(lambda _: True,
                    "Compare the shapes: the token mask is (batch, 7), and channels_first pools 7 features. "
                    "Does anything fail to fit?"),
        ),
    )
)
