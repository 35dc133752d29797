"""The channels_last classifier of notebook 05 in numpy: forward pass, gradient, one SGD step.

Model: ids (batch, seq_len) -> embedding lookup (batch, seq_len, dim) ->
global average pooling over the tokens, masked or not (batch, dim) ->
dense layer with one output and a sigmoid (batch,) -> binary cross-entropy,
averaged over the batch. This is
``Embedding -> GlobalAveragePooling1D -> Dense(1, activation="sigmoid")`` with
``loss="binary_crossentropy"``, written out so that nothing is hidden.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from embedpool_utils import core

__all__ = ["Params", "forward", "gradients", "sgd_step"]


@dataclass
class Params:
    """The three weight arrays.

    Attributes
    ----------
    table : ndarray, shape (vocab_size, dim)
        The embedding table.
    kernel : ndarray, shape (dim, 1)
        The dense layer's weights (Keras' ``Dense(1).kernel``).
    bias : ndarray, shape (1,)
        The dense layer's bias.
    """

    table: NDArray[np.floating]
    kernel: NDArray[np.floating]
    bias: NDArray[np.floating]


def _forward_pass(params: Params, ids: NDArray[np.integer], masked: bool):
    """The forward pass with its intermediates: (kept tokens, pooled vectors, probabilities)."""
    keep = core.padding_mask(ids) if masked else np.ones(ids.shape, dtype=bool)
    pooled = core.global_average_pool_1d(core.embedding_lookup(params.table, ids), mask=keep)
    logits = pooled @ params.kernel[:, 0] + params.bias[0]
    return keep, pooled, 1.0 / (1.0 + np.exp(-logits))


def forward(params: Params, ids: ArrayLike, *, masked: bool = False) -> NDArray[np.floating]:
    """Predicted probability of the positive class for each sentence.

    Parameters
    ----------
    params : Params
    ids : array_like of int, shape (batch, seq_len)
    masked : bool
        Leave padding (id 0) out of the average, as ``mask_zero=True`` does.

    Returns
    -------
    ndarray, shape (batch,)
    """
    return _forward_pass(params, np.asarray(ids), masked)[2]


def gradients(params: Params, ids: ArrayLike, labels: ArrayLike, *, masked: bool = False) -> tuple[float, Params]:
    """The mean binary cross-entropy and its gradient with respect to every weight.

    Backpropagation, step by step:

    - d loss / d logit = (p - y) / batch   (sigmoid and cross-entropy together);
    - the dense layer: d kernel = pooled^T (d logit), d bias = sum of d logit,
      d pooled = (d logit) kernel^T;
    - the average: each kept token of a sentence gets d pooled / (number kept);
      masked-out tokens get nothing;
    - the lookup: each token's gradient is added to the row of its id
      (``np.add.at``, because an id can occur more than once).

    Parameters
    ----------
    params : Params
    ids : array_like of int, shape (batch, seq_len)
    labels : array_like of 0/1, shape (batch,)
    masked : bool

    Returns
    -------
    (float, Params)
        The loss, and the gradients in a :class:`Params` of the same shapes.
    """
    ids = np.asarray(ids)
    y = np.asarray(labels, dtype=params.table.dtype).reshape(-1)
    keep, pooled, p = _forward_pass(params, ids, masked)
    loss = float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))

    d_logit = (p - y) / len(y)
    d_kernel = (pooled.T @ d_logit)[:, np.newaxis]
    d_bias = np.array([d_logit.sum()], dtype=params.bias.dtype)
    d_pooled = d_logit[:, np.newaxis] * params.kernel[:, 0][np.newaxis, :]
    counts = keep.sum(axis=1, keepdims=True)
    d_x = d_pooled[:, np.newaxis, :] * (keep / counts)[:, :, np.newaxis]
    d_table = np.zeros_like(params.table)
    np.add.at(d_table, ids, d_x)
    return loss, Params(d_table, d_kernel.astype(params.kernel.dtype), d_bias)


def sgd_step(params: Params, ids: ArrayLike, labels: ArrayLike, *, learning_rate: float,
             masked: bool = False) -> Params:
    """Weights after one plain SGD step: w - learning_rate * d loss / d w."""
    _, grads = gradients(params, ids, labels, masked=masked)
    return Params(
        params.table - learning_rate * grads.table,
        params.kernel - learning_rate * grads.kernel,
        params.bias - learning_rate * grads.bias,
    )
