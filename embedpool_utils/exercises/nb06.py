"""Exercises of notebook 06 (the same pitfalls elsewhere): an embedding bag, PyTorch's pooling, Dense parameters."""

from __future__ import annotations

import numpy as np

from embedpool_utils import core, pytorch_standins
from embedpool_utils.exercises.engine import Exercise, Mistake, register


def _bag_inputs() -> dict:
    rng = np.random.default_rng(606)
    lengths = [3, 0, 5, 2]
    sentences = [np.append(rng.integers(1, 12, size=max(n - 1, 0)), [0] * min(n, 1)) for n in lengths]
    return {
        "table": core.init_embedding(12, 4, seed=606),
        "indices": np.concatenate(sentences).astype(int),
        "offsets": np.cumsum([0] + lengths[:-1]),
    }


def _bag_means(d: dict, padding_idx: int | None) -> np.ndarray:
    return pytorch_standins.embedding_bag(d["table"], d["indices"], d["offsets"], padding_idx=padding_idx)


def _bag_means_keras_style(d: dict) -> np.ndarray:
    """The masked means with NaN for an empty bag, as Keras' masked average would give."""
    means = _bag_means(d, padding_idx=0)
    sizes = np.diff(np.append(d["offsets"], len(d["indices"])))
    means[sizes == 0] = np.nan
    return means


# EmbeddingBag(mode="mean", padding_idx=0) of data["indices"] cut at data["offsets"].
register(
    Exercise(
        "06-bag-mean",
        inputs=_bag_inputs,
        expected=lambda d: _bag_means(d, padding_idx=0),
        mistakes=(
            Mistake(
                lambda d: _bag_means(d, padding_idx=None),
                "The padding id 0 was counted. padding_idx is left out of the sum and of the count.",
            ),
            Mistake(_bag_means_keras_style, "An empty bag is not NaN in PyTorch: it gives a row of zeros."),
        ),
        shape_hint="One row per bag, including the empty one: (number of bags, embedding_dim).",
    )
)

# Sentence vectors from a PyTorch-layout embedding output with AdaptiveAvgPool1d(1), squeezed.
register(
    Exercise(
        "06-torch-pool",
        inputs=lambda: {"x": np.random.default_rng(616).normal(size=(3, 8, 5)).astype("float32")},
        expected=lambda d: d["x"].mean(axis=1),
        mistakes=(
            Mistake(
                lambda d: d["x"].mean(axis=2),
                "That averages each token's features: the pooling read (N, L, E) as (N, C, L). Transpose first.",
            ),
            Mistake(
                lambda d: d["x"].mean(axis=1, keepdims=True).transpose(0, 2, 1),
                "Right numbers, but squeeze the length-1 axis that the pooling keeps.",
            ),
        ),
        shape_hint="One vector per sentence: (N, E).",
    )
)

# Parameters of Dense(128) after channels_last pooling of a (None, 500, 3) tensor.
register(
    Exercise(
        "06-dense-params",
        expected=lambda _: 3 * 128 + 128,
        mistakes=(
            Mistake(
                lambda _: 500 * 128 + 128,
                "That is what channels_first would hand over: 500 numbers. channels_last keeps the features.",
            ),
            Mistake(lambda _: 3 * 128, "Count the 128 biases too."),
            Mistake(lambda _: 128 + 128, "With one feature that would be right; here there are 3."),
        ),
    )
)
