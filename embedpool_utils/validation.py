"""Input checks shared by the helper: one place that words each error message.

Every public function of the helper that takes ids, a table, a size or a mask
runs its argument through one of these. Each returns the argument as a numpy
array (or an int) when it is valid, and otherwise raises an exception whose
message says what was wrong and what was expected, never numpy's own.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from embedpool_utils.shapes import pooled_axis

__all__ = ["check_ids", "check_mask", "check_table", "first_index", "positive_int"]


def first_index(condition: NDArray[np.bool_]) -> tuple[int, ...]:
    """Index of the first True entry of ``condition`` (assumed to have one)."""
    return tuple(int(i) for i in np.unravel_index(int(np.argmax(condition)), condition.shape))


def positive_int(value: object, name: str) -> int:
    """Return ``value`` as an int if it is a positive int (not a bool, not a float)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a positive int; got {value!r} of type {type(value).__name__}.")
    if value <= 0:
        raise ValueError(f"{name} must be a positive int (at least 1); got {value}.")
    return int(value)


def check_ids(
    ids: ArrayLike, vocab_size: int | None = None, *, name: str = "ids", size_name: str = "vocab_size"
) -> NDArray[np.integer]:
    """Return ``ids`` as an integer array; refuse floats, bools and bad ids."""
    arr = np.asarray(ids)
    if arr.dtype == np.bool_ or not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(
            f"{name} must be integer token ids; got dtype {arr.dtype}. "
            "Keras would silently truncate a float id such as 2.7 to row 2; "
            "if that is really what you want, convert first with ids.astype(int)."
        )
    if arr.size == 0:
        return arr
    # min() and max() are one cheap pass each; locate the culprit only on error.
    if arr.min() < 0:
        where = first_index(arr < 0)
        raise IndexError(
            f"{name} must be >= 0; found {int(arr[where])} at position {where}. "
            "numpy and Keras would silently read a negative id from the end of "
            "the table (-1 -> the last row); valid ids are 0 ... vocab_size - 1."
        )
    if vocab_size is not None and arr.max() >= vocab_size:
        where = first_index(arr >= vocab_size)
        raise IndexError(
            f"{name} must be < {size_name} = {vocab_size}; found {int(arr[where])} at "
            f"position {where}. Valid ids are 0 ... {vocab_size - 1}. "
            "(Keras on the JAX backend would return a row of NaN for it.)"
        )
    return arr


def check_table(table: ArrayLike) -> NDArray[np.floating]:
    """Return ``table`` as a 2-D numeric array (vocab_size, embedding_dim); refuse anything else."""
    arr = np.asarray(table)
    if arr.ndim != 2:
        raise ValueError(
            f"table must be 2-D with shape (vocab_size, embedding_dim); got {arr.ndim}-D "
            f"shape {arr.shape}."
        )
    if arr.dtype == np.bool_ or not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"table must hold numbers; got dtype {arr.dtype}.")
    return arr




def check_mask(
    mask: ArrayLike, expected_shape: tuple[int, int], data_format: str, x_shape: tuple[int, ...]
) -> NDArray[np.bool_]:
    """Return ``mask`` as a bool array of ``expected_shape`` (batch, steps); refuse anything else."""
    arr = np.asarray(mask)
    if arr.dtype != np.bool_:
        if not np.issubdtype(arr.dtype, np.integer):
            raise TypeError(
                f"mask must be boolean (True = keep this step) or 0/1 integers; got dtype "
                f"{arr.dtype}. Build one with padding_mask(ids)."
            )
        if not np.isin(arr, (0, 1)).all():
            raise ValueError(
                f"an integer mask may hold only 0 and 1; got the values {np.unique(arr).tolist()[:6]}."
            )
        arr = arr.astype(bool)
    if arr.shape != expected_shape:
        axis = pooled_axis(data_format)
        hint = ""
        if data_format == "channels_first" and arr.shape == (x_shape[0], x_shape[1]):
            hint = (
                " This looks like a token mask (batch, seq_len), e.g. from mask_zero=True: it runs "
                "along axis 1, but channels_first averages axis 2 (the features), so the two do "
                "not fit. Use data_format='channels_last' to average over the tokens."
            )
        raise ValueError(
            f"mask must have shape (batch, steps) = {expected_shape} for data_format="
            f"{data_format!r} (it averages axis {axis} of x with shape {x_shape}); "
            f"got mask shape {arr.shape}.{hint}"
        )
    return arr
