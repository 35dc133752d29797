"""Numeric core: an embedding lookup and 1-D global average pooling in numpy.

Every function here mirrors what Keras 3 computes, so that a notebook can
show an idea in a few lines of numpy and then confirm it with the real layer.
The parity tests in ``tests/test_keras_parity.py`` prove the agreement.

Where Keras is silent about a mistake we refuse instead (a clear exception
that names the problem and what was expected):

* float ids: Keras casts them to int, so ``2.7`` quietly becomes row 2;
* negative ids: ``ops.take`` (and numpy) count them from the end, so ``-1``
  quietly becomes the last row;
* ids ``>= vocab_size``: on the JAX backend Keras returns a row of NaN;
* a mask that does not run along the pooled axis: Keras either fails deep
  inside a broadcast or, when the two lengths happen to be equal, averages
  the wrong numbers without a word.

A fully masked sequence is not refused: Keras returns NaN for it (0 / 0) and
so do we, but we also warn and name the rows.
"""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import ArrayLike, DTypeLike, NDArray

from embedpool_utils.plain_text import plural
from embedpool_utils.shapes import DataFormat, pooled_axis
from embedpool_utils.validation import (
    check_ids,
    check_int,
    check_mask,
    check_pooling_input,
    check_table_and_ids,
    new_array,
    positive_int,
)

__all__ = [
    "FullyMaskedWarning",
    "embedding_lookup",
    "global_average_pool_1d",
    "init_embedding",
    "one_hot",
    "padding_mask",
]


# init_embedding draws this many numbers at a time (8 MiB of float64).
DRAW_BLOCK_NUMBERS = 1 << 20

NEGATIVE_PAD_ID = (
    "A pad_id is a token id, and negative ids are refused everywhere in this package (numpy and Keras would "
    "read them from the end of the table); Keras' mask_zero=True pads with 0."
)


class FullyMaskedWarning(RuntimeWarning):
    """A sequence in the batch has no unmasked step, so its average is NaN."""


# --------------------------------------------------------------------------
# the embedding table
# --------------------------------------------------------------------------


def init_embedding(
    vocab_size: int,
    embedding_dim: int,
    *,
    seed: int | None = None,
    minval: float = -0.05,
    maxval: float = 0.05,
    dtype: DTypeLike = "float32",
) -> NDArray[np.floating]:
    """Make an embedding table the way Keras' default ``"uniform"`` initializer does.

    Every entry is drawn independently and uniformly from ``[minval, maxval)``;
    Keras' ``Embedding`` uses ``RandomUniform(-0.05, 0.05)`` unless told otherwise.
    The numbers come from numpy's generator, not Keras', so they are not the
    same draws; to give a Keras layer *this* table, pass it as its weights.

    Parameters
    ----------
    vocab_size : int
        Number of rows: one per token id, ids ``0 ... vocab_size - 1``.
    embedding_dim : int
        Number of columns: the length of each token's vector.
    seed : int, optional
        Seed for ``numpy.random.default_rng``; the same seed gives the same table.
    minval, maxval : float
        Bounds of the uniform distribution, ``minval < maxval``.
    dtype : dtype-like
        A floating dtype; Keras' default is ``float32``.

    Returns
    -------
    ndarray, shape (vocab_size, embedding_dim)
        The table. It has ``vocab_size * embedding_dim`` trainable numbers.

    Raises
    ------
    TypeError
        If a size is not an int, or ``dtype`` is not a floating dtype.
    ValueError
        If a size is not positive, or ``minval >= maxval``.
    MemoryError
        If the table would need more memory than is available; the message
        states the size asked for. This is checked before anything is drawn.

    Examples
    --------
    >>> table = init_embedding(30, 7, seed=0)
    >>> table.shape, table.dtype.name
    ((30, 7), 'float32')
    >>> bool((table >= -0.05).all() and (table < 0.05).all())
    True
    """
    vocab_size = positive_int(vocab_size, "vocab_size")
    embedding_dim = positive_int(embedding_dim, "embedding_dim")
    if not np.issubdtype(np.dtype(dtype), np.floating):
        raise TypeError(f"dtype must be a floating dtype such as 'float32'; got {np.dtype(dtype)}.")
    if not minval < maxval:
        raise ValueError(f"minval must be smaller than maxval; got minval={minval}, maxval={maxval}.")
    table = new_array((vocab_size, embedding_dim), dtype, f"init_embedding({vocab_size}, {embedding_dim})")
    rng = np.random.default_rng(seed)
    # Draw block by block into the table itself, so that no float64 copy of the
    # whole table ever exists (peak memory: the table plus one block). The
    # generator's stream does not depend on the block size: a seed gives the
    # same table as one uniform(minval, maxval, size) draw rounded to dtype.
    rows_per_block = max(1, DRAW_BLOCK_NUMBERS // embedding_dim)
    for start in range(0, vocab_size, rows_per_block):
        block = table[start : start + rows_per_block]
        block[...] = rng.uniform(minval, maxval, size=block.shape)
    # Rounding to float32 can land exactly on maxval; keep the interval half-open.
    upper = np.nextafter(np.asarray(maxval, dtype=dtype), np.asarray(minval, dtype=dtype))
    return np.minimum(table, upper, out=table)


def embedding_lookup(table: ArrayLike, ids: ArrayLike) -> NDArray[np.floating]:
    """Replace every token id by its row of the table, as ``keras.layers.Embedding`` does.

    Parameters
    ----------
    table : array_like, shape (vocab_size, embedding_dim)
        The embedding matrix (Keras: ``layer.embeddings``).
    ids : array_like of int, any shape
        Token ids, each in ``0 ... vocab_size - 1``. A batch of sequences has
        shape ``(batch, seq_len)``.

    Returns
    -------
    ndarray, shape ``ids.shape + (embedding_dim,)``
        ``out[..., :] = table[ids[...]]``. For ids of shape (2, 10) and a
        (30, 7) table: (2, 10, 7), one 10 x 7 matrix per sequence.

    Raises
    ------
    ValueError
        If ``table`` is not 2-D, ``ids`` is an empty list, or the id sequences
        have different lengths (pad them first).
    TypeError
        If ``ids`` are not integers (text, None, floats, bools), ``table`` does
        not hold numbers, or the two arguments come in the wrong order.
    IndexError
        If an id is negative or ``>= vocab_size``.

    Examples
    --------
    >>> table = init_embedding(30, 7, seed=0)
    >>> out = embedding_lookup(table, [[4, 4, 9]])
    >>> out.shape
    (1, 3, 7)
    >>> bool((out[0, 0] == out[0, 1]).all())
    True
    """
    table, ids = check_table_and_ids(table, ids)
    return np.take(table, ids, axis=0)


def one_hot(ids: ArrayLike, depth: int, *, dtype: DTypeLike = "float32") -> NDArray[np.floating]:
    """Encode token ids as one-hot vectors, so that ``one_hot(ids, V) @ table`` is the lookup.

    Parameters
    ----------
    ids : array_like of int, any shape
        Token ids in ``0 ... depth - 1``.
    depth : int
        Length of each one-hot vector (the vocabulary size).
    dtype : dtype-like
        Dtype of the result.

    Returns
    -------
    ndarray, shape ``ids.shape + (depth,)``
        1 at position ``ids[...]``, 0 elsewhere.

    Raises
    ------
    TypeError
        If ``ids`` are not integers or ``depth`` is not an int.
    ValueError
        If ``depth`` is not positive.
    IndexError
        If an id is negative or ``>= depth``.

    Examples
    --------
    >>> one_hot([2, 0], 4)
    array([[0., 0., 1., 0.],
           [1., 0., 0., 0.]], dtype=float32)
    """
    depth = positive_int(depth, "depth")
    ids = check_ids(ids, depth, size_name="depth")
    return (ids[..., np.newaxis] == np.arange(depth)).astype(dtype)


def padding_mask(ids: ArrayLike, pad_id: int = 0) -> NDArray[np.bool_]:
    """True where a real token stands, False at padding (Keras' ``mask_zero=True``).

    Parameters
    ----------
    ids : array_like of int, any shape
        Token ids, usually ``(batch, seq_len)``.
    pad_id : int
        The id used for padding. Keras' ``mask_zero=True`` always uses 0.

    Returns
    -------
    ndarray of bool, shape ``ids.shape``
        ``ids != pad_id``.

    Raises
    ------
    TypeError
        If ``ids`` are not integers or ``pad_id`` is not an int.
    IndexError
        If an id is negative.
    ValueError
        If ``pad_id`` is negative.

    Examples
    --------
    >>> padding_mask([[5, 3, 0, 0]])
    array([[ True,  True, False, False]])
    """
    pad_id = check_int(pad_id, "pad_id", min_value=0, too_small_hint=NEGATIVE_PAD_ID)
    ids = check_ids(ids)
    return ids != pad_id


# --------------------------------------------------------------------------
# pooling
# --------------------------------------------------------------------------


def global_average_pool_1d(
    x: ArrayLike,
    *,
    data_format: DataFormat = "channels_last",
    mask: ArrayLike | None = None,
    keepdims: bool = False,
) -> NDArray[np.inexact]:
    """Average a 3-D tensor over its steps, as ``keras.layers.GlobalAveragePooling1D``.

    For an embedding output ``(batch, seq_len, embedding_dim)`` the default
    ``channels_last`` averages the tokens, giving one vector per sequence;
    ``channels_first`` reads the same tensor as ``(batch, features, steps)``
    and so averages the features of each token instead.

    Parameters
    ----------
    x : array_like of numbers, shape (batch, steps, features) or (batch, features, steps)
        ``data_format="channels_last"``: shape ``(batch, steps, features)``.
        ``data_format="channels_first"``: shape ``(batch, features, steps)``.
    data_format : {"channels_last", "channels_first"}
        Where the steps are: axis 1 (``channels_last``) or axis 2 (``channels_first``).
    mask : array_like of bool, shape (batch, steps), optional
        True for the steps that count (0/1 integers work too). Masked steps are
        left out of both the sum and the count: they are replaced by 0 before
        adding up, so even a NaN there stays out (as in Keras >= 3.15; Keras
        3.12 multiplies by the mask, and a NaN there gets through).
    keepdims : bool
        Keep the steps axis, with length 1.

    Returns
    -------
    ndarray
        ``keepdims=False``: shape ``(batch, features)``.
        ``keepdims=True`` and ``channels_last``: shape ``(batch, 1, features)``.
        ``keepdims=True`` and ``channels_first``: shape ``(batch, features, 1)``.
        The dtype of ``x`` (float64 for integers). A sequence with no step to
        average gives NaN (0 / 0), exactly as Keras does, with a
        :class:`FullyMaskedWarning` that names it.

    Raises
    ------
    ValueError
        If ``x`` is not 3-D, ``data_format`` is unknown, or the mask shape is
        not ``(batch, steps)`` for the chosen ``data_format``.
    TypeError
        If ``x`` does not hold numbers or ``mask`` is not boolean (or 0/1).

    Warns
    -----
    FullyMaskedWarning
        If a row of the mask is all False, or ``x`` has no steps at all.

    Notes
    -----
    float16 input is added up in float32 and the mean rounded to float16 once,
    as Keras on JAX and numpy's own ``mean`` do: a float16 running sum of 4096
    ones would stop at 2048.

    Examples
    --------
    >>> x = np.arange(2 * 3 * 4, dtype="float32").reshape(2, 3, 4)
    >>> global_average_pool_1d(x).shape, global_average_pool_1d(x, data_format="channels_first").shape
    ((2, 4), (2, 3))
    >>> global_average_pool_1d(x, mask=[[True, False, False], [True, True, True]])[:, 0]
    array([ 0., 16.], dtype=float32)
    """
    steps_axis = pooled_axis(data_format)
    x = check_pooling_input(x)
    dtype = x.dtype if np.issubdtype(x.dtype, np.inexact) else np.dtype(np.float64)
    sum_dtype = np.promote_types(dtype, np.float32)  # float16 is added up in float32
    if mask is None:
        _warn_if_no_steps(x.shape, steps_axis)
        total = x.sum(axis=steps_axis, keepdims=keepdims, dtype=sum_dtype)
        count = x.shape[steps_axis]
    else:
        mask = check_mask(mask, x.shape, steps_axis, data_format)
        _warn_if_fully_masked(mask)
        keep = np.expand_dims(mask, 3 - steps_axis)  # (batch, steps, 1) or (batch, 1, steps)
        total = np.where(keep, x, 0).sum(axis=steps_axis, keepdims=keepdims, dtype=sum_dtype)
        count = keep.sum(axis=steps_axis, keepdims=keepdims)
    with np.errstate(invalid="ignore", divide="ignore"):  # 0 / 0 = NaN where there is nothing to average
        return (total / count).astype(dtype)


def _warn_if_no_steps(x_shape: tuple[int, ...], steps_axis: int) -> None:
    """Warn that every row averages to NaN if ``x`` has no steps (and some rows with features)."""
    if x_shape[steps_axis] == 0 and x_shape[0] * x_shape[3 - steps_axis] > 0:
        warnings.warn(
            f"x has no steps to average (shape {x_shape}: axis {steps_axis} has length 0), so every "
            "row's average is 0 / 0 = NaN, just as in Keras. Keep at least one token in each "
            "sequence (pad short ones), or skip empty batches.",
            FullyMaskedWarning,
            stacklevel=3,
        )


def _warn_if_fully_masked(mask: NDArray[np.bool_]) -> None:
    """Warn, naming the rows, if some row of the (batch, steps) mask is all False."""
    empty_rows = np.flatnonzero(~mask.any(axis=1))
    if empty_rows.size:
        warnings.warn(
            f"Every step is masked (no real token) in {plural(empty_rows.size, 'row')} of the batch, "
            f"{empty_rows.tolist()}, so the average there is 0 / 0 = NaN, just as in Keras. Drop empty "
            "sequences, or keep at least one real token in each.",
            FullyMaskedWarning,
            stacklevel=3,
        )
