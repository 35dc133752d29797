"""numpy stand-ins for PyTorch's embedding bag and 1-D pooling, for notebook 06.

The series explains Keras; notebook 06 compares its conventions with
PyTorch's without making PyTorch a dependency. The two functions here follow
PyTorch's documented behaviour:

* :func:`embedding_bag` is ``torch.nn.functional.embedding_bag`` for
  ``mode="sum"`` and ``mode="mean"``: a lookup and a per-bag reduction in one
  step. Bags come either as the rows of a 2-D id array or as a flat 1-D id
  array cut by ``offsets``. Ids equal to ``padding_idx`` are left out of the
  sum *and* of the count, and an empty bag gives a row of zeros (where Keras'
  masked average gives NaN).
* :func:`adaptive_avg_pool1d` is ``torch.nn.AdaptiveAvgPool1d(1)``: it reads
  its input as ``(N, C, L)`` and averages the last axis.

Only numpy is imported. Ids are checked as strictly as everywhere in the
helper (integers, ``0 ... vocab_size - 1``).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from embedpool_utils.validation import check_table_and_ids

__all__ = ["adaptive_avg_pool1d", "embedding_bag"]


def _bag_boundaries(n_ids: int, offsets: ArrayLike) -> NDArray[np.int64]:
    """Start of every bag plus the end of the last one, validated."""
    starts = np.asarray(offsets)
    if starts.dtype == np.bool_ or not np.issubdtype(starts.dtype, np.integer) or starts.ndim != 1:
        raise TypeError(
            f"offsets must be a 1-D array of int start positions; got {starts.dtype} with shape {starts.shape}."
        )
    if starts.size and starts[0] != 0:
        raise ValueError(
            f"offsets must start with 0 (the first bag starts at the first id); got {starts.tolist()[:6]}."
        )
    if starts.size and ((np.diff(starts) < 0).any() or starts[-1] > n_ids):
        raise ValueError(
            f"offsets must be non-decreasing and at most len(indices) = {n_ids}; got {starts.tolist()[:8]}."
        )
    return np.append(starts, n_ids if starts.size else []).astype(np.int64)


def embedding_bag(
    table: ArrayLike,
    indices: ArrayLike,
    offsets: ArrayLike | None = None,
    *,
    mode: Literal["mean", "sum"] = "mean",
    padding_idx: int | None = None,
) -> NDArray[np.floating]:
    """Look up bags of ids and reduce each bag to one vector, as PyTorch's ``EmbeddingBag``.

    Parameters
    ----------
    table : array_like, shape (vocab_size, embedding_dim)
        The embedding matrix.
    indices : array_like of int, shape (n_bags, bag_len) or (n_ids,)
        2-D: each row is a bag (then ``offsets`` must be None). 1-D: all bags
        one after another, cut by ``offsets``.
    offsets : array_like of int, shape (n_bags,), optional
        For 1-D ``indices``: where each bag starts. ``[0, 3, 3]`` over five ids
        means bags ``indices[0:3]``, an empty bag, and ``indices[3:5]``.
    mode : {"mean", "sum"}
        How a bag is reduced.
    padding_idx : int, optional
        An id that is left out of the reduction (not summed, not counted).

    Returns
    -------
    ndarray, shape (n_bags, embedding_dim)
        One vector per bag. An empty bag, or one holding only ``padding_idx``,
        gives zeros.

    Raises
    ------
    TypeError
        If ids or offsets are not integers.
    ValueError
        If the shapes do not fit (2-D ids with offsets, 1-D ids without),
        offsets are not valid bag starts, or ``mode`` is unknown.
    IndexError
        If an id is negative or ``>= vocab_size``.

    Examples
    --------
    >>> table = np.arange(8.0).reshape(4, 2)
    >>> embedding_bag(table, [1, 2, 3, 0, 0], offsets=[0, 2, 3, 3], padding_idx=0)
    array([[3., 4.],
           [6., 7.],
           [0., 0.],
           [0., 0.]])
    """
    table, ids = check_table_and_ids(table, indices, call="embedding_bag", name="indices")
    if mode not in ("mean", "sum"):
        raise ValueError(f"mode must be 'mean' or 'sum'; got {mode!r}.")
    if ids.ndim == 2:
        if offsets is not None:
            raise ValueError("offsets are only used with 1-D indices; 2-D indices are already one bag per row.")
        offsets = np.arange(0, ids.size, max(ids.shape[1], 1))[: ids.shape[0]]  # one bag per row
        ids = ids.reshape(-1)
        if ids.size == 0:
            offsets = np.zeros(np.asarray(indices).shape[0], dtype=np.int64)
    elif ids.ndim == 1:
        if offsets is None:
            raise ValueError("1-D indices need offsets (where each bag starts), e.g. offsets=[0].")
    else:
        raise ValueError(f"indices must be 1-D (with offsets) or 2-D (one bag per row); got shape {ids.shape}.")

    bounds = _bag_boundaries(ids.size, offsets)
    keep = np.ones(ids.size, dtype=bool) if padding_idx is None else ids != padding_idx
    rows = np.where(keep[:, np.newaxis], table[ids], 0)
    dtype = table.dtype if np.issubdtype(table.dtype, np.floating) else np.float64
    # reduceat misbehaves on empty segments, so sum through a cumulative sum instead.
    running = np.vstack([np.zeros((1, table.shape[1]), dtype), np.cumsum(rows, axis=0, dtype=dtype)])
    sums = running[bounds[1:]] - running[bounds[:-1]]
    if mode == "sum":
        return sums
    counts = np.diff(np.concatenate([[0], np.cumsum(keep)])[bounds]).astype(dtype)
    return sums / np.maximum(counts, 1)[:, np.newaxis]


def adaptive_avg_pool1d(x: ArrayLike) -> NDArray[np.floating]:
    """Average the last axis, keeping it with length 1, as ``torch.nn.AdaptiveAvgPool1d(1)``.

    PyTorch's 1-D pooling layers read their input as ``(N, C, L)``: batch,
    channels, length. Given an embedding output ``(N, L, E)`` as it is, this
    averages each token's ``E`` features, the ``channels_first`` pitfall;
    transpose to ``(N, E, L)`` first to average the tokens.

    Parameters
    ----------
    x : array_like, shape (N, C, L)

    Returns
    -------
    ndarray, shape (N, C, 1)

    Raises
    ------
    ValueError
        If ``x`` is not 3-D.

    Examples
    --------
    >>> adaptive_avg_pool1d(np.ones((2, 10, 7))).shape
    (2, 10, 1)
    """
    x = np.asarray(x)
    if x.ndim != 3:
        raise ValueError(f"x must be 3-D, (N, C, L) as PyTorch reads it; got shape {x.shape}.")
    return x.mean(axis=-1, keepdims=True)
