"""Exercises of notebook 06 (the same pitfalls elsewhere): an embedding bag, PyTorch's pooling, a port's shape."""

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


def _port_inputs() -> dict:
    # a PyTorch port of a text model: nn.Embedding(1000, 32) on 16 sentences of 40 ids, then nn.AvgPool1d(4) as is
    return {"embedded_shape": (16, 40, 32), "kernel_size": 4}


def _avg_pool1d_shape(shape: tuple[int, int, int], kernel_size: int) -> tuple[int, int, int]:
    """nn.AvgPool1d(kernel_size) (stride = kernel_size, no padding) reads (N, C, L) and pools windows along L."""
    n, c, length = shape
    return (n, c, (length - kernel_size) // kernel_size + 1)


# The shape nn.AvgPool1d(4) gives for an (N, L, E) = (16, 40, 32) embedding output fed to it as is.
register(
    Exercise(
        "06-port-shape",
        inputs=_port_inputs,
        expected=lambda d: _avg_pool1d_shape(d["embedded_shape"], d["kernel_size"]),
        mistakes=(
            Mistake(
                lambda d: (16, 10, 32),
                "That pools windows of tokens, as Keras' AveragePooling1D would. Which axis does PyTorch's "
                "pooling take as the length?",
            ),
            Mistake(
                lambda d: (16, 32, 10),
                "That is the port done right, after x.transpose(1, 2). The question is what the port gives as is.",
            ),
            Mistake(
                lambda d: (16, 40, 1),
                "AvgPool1d(4) averages windows of 4 numbers, not the whole axis (that is AdaptiveAvgPool1d(1)).",
            ),
        ),
        shape_hint="PyTorch's 1-D pooling reads (N, C, L).",
    )
)
