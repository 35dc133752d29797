"""Exercises of notebook 03 (averaging along an axis): sentence vectors, the masked mean, keepdims, Flatten."""

from __future__ import annotations

import numpy as np

from embedpool_utils import core
from embedpool_utils.exercises.engine import Exercise, Mistake, register

PADDED_IDS = ((7, 3, 22, 9, 0, 0, 0, 0), (14, 2, 0, 0, 0, 0, 0, 0), (5, 18, 11, 27, 6, 13, 1, 8))

# One vector per sentence from data["x"] (4, 12, 7), as GlobalAveragePooling1D() would.
register(
    Exercise(
        "03-sentence-vectors",
        inputs=lambda: {
            "x": core.embedding_lookup(
                core.init_embedding(30, 7, seed=303), np.random.default_rng(303).integers(0, 30, size=(4, 12))
            )
        },
        expected=lambda d: core.global_average_pool_1d(d["x"]),
        mistakes=(
            Mistake(
                lambda d: d["x"].mean(axis=2),
                "You averaged the features of each token (one number per token). "
                "Which axis holds the tokens of a sentence?",
            ),
            Mistake(
                lambda d: d["x"].mean(axis=0),
                "You averaged across the sentences: that mixes different sentences together.",
            ),
            Mistake(lambda d: d["x"].sum(axis=1), "That is the sum of the tokens; divide by how many there are."),
        ),
        shape_hint="One vector per sentence: (number of sentences, embedding_dim).",
    )
)


def _embedded(d: dict) -> np.ndarray:
    return core.embedding_lookup(d["table"], d["ids"])


# Sentence vectors of Embedding(mask_zero=True) + GlobalAveragePooling1D for data["ids"].
register(
    Exercise(
        "03-masked-mean",
        inputs=lambda: {"table": core.init_embedding(30, 7, seed=313), "ids": np.array(PADDED_IDS)},
        expected=lambda d: core.global_average_pool_1d(_embedded(d), mask=core.padding_mask(d["ids"])),
        mistakes=(
            Mistake(
                lambda d: _embedded(d).mean(axis=1),
                "You forgot the mask: the padding rows (id 0) were averaged in and dilute the result.",
            ),
            Mistake(
                lambda d: (_embedded(d) * core.padding_mask(d["ids"])[..., None]).sum(axis=1) / d["ids"].shape[1],
                "You left the padding out of the sum but not out of the count: divide by the number of real tokens.",
            ),
            Mistake(
                lambda d: _embedded(d).mean(axis=2),
                "That averages each token's features; average over the tokens instead, leaving padding out.",
            ),
        ),
    )
)

# Output shape of GlobalAveragePooling1D(keepdims=True) on (3, 12, 5); the notebook itself prints (2, 10, 7)'s.
register(
    Exercise(
        "03-keepdims-shape",
        expected=lambda _: (3, 1, 5),
        mistakes=(
            Mistake(lambda _: (3, 5), "keepdims=True keeps the averaged axis, with length 1."),
            Mistake(
                lambda _: (3, 12, 1), "Which axis does the default channels_last pooling average: tokens or features?"
            ),
            Mistake(lambda _: (1, 12, 5), "The pooling averages within each sentence, never across the batch."),
        ),
    )
)

# Parameters of Dense(4) after Embedding(1000, 16) and Flatten() on sentences of 20 tokens.
VOCAB_SIZE, SEQ_LEN, EMBEDDING_DIM, UNITS = 1000, 20, 16, 4
register(
    Exercise(
        "03-flatten-params",
        expected=lambda _: SEQ_LEN * EMBEDDING_DIM * UNITS + UNITS,
        mistakes=(
            Mistake(
                lambda _: EMBEDDING_DIM * UNITS + UNITS,
                "That is the Dense layer after GlobalAveragePooling1D. Flatten keeps every token's features: "
                "how many numbers per sentence reach the Dense layer?",
            ),
            Mistake(lambda _: SEQ_LEN * EMBEDDING_DIM * UNITS, "Almost: a Dense layer also holds one bias per unit."),
            Mistake(
                lambda _: SEQ_LEN * EMBEDDING_DIM + UNITS,
                "Each of the Dense layer's units has its own weight for every input number.",
            ),
            Mistake(
                lambda _: VOCAB_SIZE * EMBEDDING_DIM,
                "That is the embedding table. The question asks about the Dense layer after Flatten.",
            ),
        ),
    )
)
