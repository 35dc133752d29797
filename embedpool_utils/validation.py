"""Input checks shared by the helper: one place that words each error message.

Every public function of the helper that takes ids, a table, a size or a mask
runs its argument through one of these. Each returns the argument as a numpy
array (or an int) when it is valid, and otherwise raises an exception whose
message says what was wrong and what was expected, never numpy's own.
"""

from __future__ import annotations

import os
from typing import TypeGuard

import numpy as np
from numpy.typing import ArrayLike, DTypeLike, NDArray

__all__ = [
    "PAD_HINT",
    "as_array",
    "available_memory_bytes",
    "check_ids",
    "check_int",
    "check_mask",
    "check_pooling_input",
    "check_table",
    "check_table_and_ids",
    "first_index",
    "index_words",
    "is_int",
    "new_array",
    "positive_int",
]

# How the series makes sequences of different lengths into one batch (notebook 02).
PAD_HINT = (
    "Pad every sequence to one length first, with the padding id 0 at the end: "
    'keras.utils.pad_sequences(sequences, padding="post") does it, and padding_mask(ids) '
    "then marks the padding so that the pooling can leave it out."
)


def first_index(condition: NDArray[np.bool_]) -> tuple[int, ...]:
    """Index of the first True entry of ``condition`` (assumed to have one).

    Parameters
    ----------
    condition : ndarray of bool, any shape, e.g. (batch, seq_len)

    Returns
    -------
    tuple of int, length ``condition.ndim``
    """
    return tuple(int(i) for i in np.unravel_index(int(np.argmax(condition)), condition.shape))


def index_words(where: tuple[int, ...]) -> str:
    """Where an entry stands, as a learner indexes it: ``" at index 1"`` (1-D), ``" at index (0, 1)"``.

    Parameters
    ----------
    where : tuple of int, length ``ids.ndim``
        The entry's index, e.g. from :func:`first_index`.

    Returns
    -------
    str
        To follow the value found; ``""`` for a single id (0-D), which has no place to name.
    """
    if not where:
        return ""
    return f" at index {where[0]}" if len(where) == 1 else f" at index {tuple(int(i) for i in where)}"


def is_int(value: object) -> TypeGuard[int | np.integer]:
    """Whether ``value`` is an integer: a Python or numpy int, but not a bool and not a float such as ``3.0``.

    Python counts ``True`` as the int 1; a learner does not, so a bool is never taken for a size or an id.

    Parameters
    ----------
    value : object

    Returns
    -------
    bool
    """
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def check_int(value: object, name: str, *, min_value: int | None = None, too_small_hint: str = "") -> int:
    """Return ``value`` as an int if it is one (see :func:`is_int`) and at least ``min_value``; else raise.

    The one place that words a bad integer argument: a TypeError when it is
    not an int, a ValueError when it is too small.

    Parameters
    ----------
    value : object
    name : str
        Its name in the error message, e.g. ``"vocab_size"``.
    min_value : int, optional
        The smallest value allowed; 1 words it as "a positive int".
    too_small_hint : str
        A sentence added to the message when ``value`` is below ``min_value``.

    Returns
    -------
    int
    """
    wanted = "an int" if min_value is None else "a positive int" if min_value == 1 else f"an int >= {min_value}"
    if not is_int(value):
        raise TypeError(f"{name} must be {wanted}; got {value!r} of type {type(value).__name__}.")
    if min_value is not None and value < min_value:
        raise ValueError(f"{name} must be {wanted}; got {value}. {too_small_hint}".rstrip())
    return int(value)


def positive_int(value: object, name: str) -> int:
    """Return ``value`` as an int if it is a positive int: :func:`check_int` with ``min_value=1``.

    Parameters
    ----------
    value : object
    name : str
        Its name in the error message, e.g. ``"vocab_size"``.

    Returns
    -------
    int
        At least 1; otherwise a TypeError (not an int) or ValueError (below 1).
    """
    return check_int(value, name, min_value=1)


def _length(value: object) -> int | None:
    """len(value) for a list, tuple or array; None for a scalar or a string."""
    if isinstance(value, (str, bytes)):
        return None
    try:
        return len(value)  # type: ignore[arg-type]  # any object may come: a TypeError here means it has no length
    except TypeError:
        return None


def _ragged_lengths(value: object, depth: int = 0) -> tuple[int, list[int | None]] | None:
    """(depth, lengths) of the first nested list whose items have different lengths."""
    if _length(value) is None or depth > 8:
        return None
    items = list(value)  # type: ignore[call-overload]  # it has a length (checked above), so it can be listed
    lengths = [_length(item) for item in items]
    if len(set(lengths)) > 1:
        return depth, lengths
    for item in items:
        found = _ragged_lengths(item, depth + 1)
        if found:
            return found
    return None


def as_array(value: ArrayLike, name: str, hint: str = PAD_HINT) -> NDArray:
    """``np.asarray(value)``, except that ragged nested lists are refused in words.

    numpy cannot make one array out of lists of different lengths and says so
    in terms of "inhomogeneous shapes"; here the message names the lengths and
    says how to make them equal (``hint``).

    Parameters
    ----------
    value : array_like, any shape
    name : str
        Its name in the error message, e.g. ``"ids"``.
    hint : str
        The sentence that says how to make ragged lists rectangular.

    Returns
    -------
    ndarray, the shape of ``value``
    """
    try:
        return np.asarray(value)
    except (ValueError, TypeError):
        found = _ragged_lengths(value)
        if found is None:
            raise TypeError(f"{name} could not be read as one numeric array; got {type(value).__name__}.") from None
        depth, lengths = found
        shown = ", ".join("a scalar" if n is None else str(n) for n in lengths[:8]) + (
            ", ..." if len(lengths) > 8 else ""
        )
        where = "its sequences" if depth == 0 else f"the lists at depth {depth + 1}"
        raise ValueError(
            f"{name} must be one rectangular array, but {where} have different lengths ({shown}). {hint}"
        ) from None


def _ids_from_objects(arr: NDArray[np.object_], name: str) -> NDArray[np.integer]:
    """An object array (Python objects) as int ids, or an error naming the first thing that is not an id."""
    for where in np.ndindex(arr.shape):
        item = arr[where]
        if item is None:
            raise TypeError(
                f"{name} must be integer token ids; found None{index_words(where)}. Every position needs an "
                "id: put the padding id (0) in an empty slot, and mask it with padding_mask(ids)."
            )
        if not is_int(item):
            raise TypeError(
                f"{name} must be integer token ids; found {item!r} ({type(item).__name__}){index_words(where)}."
            )
    return arr.astype(np.int64)


def check_ids(
    ids: ArrayLike, vocab_size: int | None = None, *, name: str = "ids", size_name: str = "vocab_size"
) -> NDArray[np.integer]:
    """Return ``ids`` as an integer array; refuse text, None, floats, bools, empty lists and bad ids.

    Parameters
    ----------
    ids : array_like of int, any shape, e.g. (batch, seq_len)
    vocab_size : int, optional
        When given, every id must be below it (an IndexError names the first that is not).
    name, size_name : str
        What the messages call the ids and the size (``"input_dim"`` in Keras' words).

    Returns
    -------
    ndarray of int, the shape of ``ids``
        Every id in 0 … ``vocab_size`` − 1.
    """
    arr = as_array(ids, name)
    if arr.dtype == object:
        arr = _ids_from_objects(arr, name)
    if arr.dtype.kind in "US":
        texts = [str(t) for t in arr.reshape(-1)[:50]]
        example = next((t for t in texts if not t.strip().isdigit()), texts[0] if texts else "")
        raise TypeError(
            f"{name} must be integer token ids, not text; got strings such as {example!r} (dtype {arr.dtype}). "
            "Look each word up in your vocabulary first (word -> id); if the strings are digits such as "
            f"'5', convert them with np.asarray({name}).astype(int)."
        )
    if arr.size == 0 and not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(
            f"{name} is empty (shape {arr.shape}): there is no token id to look up. A sentence needs at least "
            "one id; check what your tokenizer returned. An empty batch on purpose must be an integer array, "
            "e.g. np.zeros((0, 10), dtype=int)."
        )
    if arr.dtype == np.bool_:
        raise TypeError(
            f"{name} must be integer token ids; got dtype bool (True/False). A mask is not a list of ids: "
            "pass it to the pooling as mask=..., and the ids to the lookup."
        )
    if not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(
            f"{name} must be integer token ids; got dtype {arr.dtype}. Keras would silently truncate a float id "
            "such as 2.7 to row 2; if that is really what you want, convert first with ids.astype(int)."
        )
    if arr.size == 0:
        return arr
    # min() and max() are one cheap pass each; locate the culprit only on error.
    if arr.min() < 0:
        where = first_index(arr < 0)
        raise IndexError(
            f"{name} must be >= 0; found {int(arr[where])}{index_words(where)}. numpy and Keras would silently "
            "read a negative id from the end of the table (-1 -> the last row); valid ids are 0 ... vocab_size - 1."
        )
    if vocab_size is not None and arr.max() >= vocab_size:
        where = first_index(arr >= vocab_size)
        raise IndexError(
            f"{name} must be < {size_name} = {vocab_size}; found {int(arr[where])}{index_words(where)}. "
            f"Valid ids are 0 ... {vocab_size - 1}. (Keras on the JAX backend would return a row of NaN for it.)"
        )
    return arr


def check_table(table: ArrayLike) -> NDArray[np.number]:
    """Return ``table`` as a 2-D numeric array (vocab_size, embedding_dim); refuse anything else.

    Parameters
    ----------
    table : array_like of numbers, shape (vocab_size, embedding_dim)

    Returns
    -------
    ndarray, shape (vocab_size, embedding_dim)
    """
    arr = as_array(table, "table", hint="Every row of a table has embedding_dim numbers.")
    if arr.ndim != 2:
        raise ValueError(
            f"table must be 2-D with shape (vocab_size, embedding_dim); got {arr.ndim}-D shape {arr.shape}."
        )
    if arr.dtype == np.bool_ or not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"table must hold numbers; got dtype {arr.dtype}.")
    return arr


def check_table_and_ids(
    table: ArrayLike, ids: ArrayLike, *, call: str = "embedding_lookup", name: str = "ids"
) -> tuple[NDArray[np.number], NDArray[np.integer]]:
    """Check a (table, ids) pair, and say so when the two were passed the other way round.

    Parameters
    ----------
    table : array_like of numbers, shape (vocab_size, embedding_dim)
    ids : array_like of int, any shape, e.g. (batch, seq_len)
    call : str
        The function being called, named in the message about swapped arguments.
    name : str
        What the messages call the ids.

    Returns
    -------
    table : ndarray, shape (vocab_size, embedding_dim)
    ids : ndarray of int, the shape of ``ids``
    """
    first = as_array(table, "table", hint="Every row of a table has embedding_dim numbers.")
    second = as_array(ids, name)
    if first.dtype.kind in "iu" and second.dtype.kind == "f" and second.ndim == 2:
        raise TypeError(
            f"{call} takes the table first, then the {name}: {call}(table, {name}). The first argument "
            f"holds integers with shape {first.shape}, like {name}; the second holds floats with shape "
            f"{second.shape}, like a (vocab_size, embedding_dim) table."
        )
    table_array = check_table(first)
    return table_array, check_ids(second, table_array.shape[0], name=name)


def check_pooling_input(x: ArrayLike) -> NDArray[np.number]:
    """Return ``x`` as a 3-D numeric array, the input of 1-D global pooling; refuse anything else.

    Parameters
    ----------
    x : array_like of numbers, shape (batch, steps, features) or (batch, features, steps)

    Returns
    -------
    ndarray, the shape of ``x``
    """
    arr = as_array(x, "x")
    if arr.ndim != 3:
        raise ValueError(
            f"x must be 3-D, (batch, steps, features) for channels_last or (batch, features, steps) "
            f"for channels_first; got {arr.ndim}-D shape {arr.shape}."
            + (" Add a batch axis first, e.g. x[np.newaxis]." if arr.ndim == 2 else "")
        )
    if arr.dtype == np.bool_ or not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"x must hold numbers; got dtype {arr.dtype}.")
    return arr


def check_mask(mask: ArrayLike, x_shape: tuple[int, ...], axis: int, data_format: str) -> NDArray[np.bool_]:
    """Return ``mask`` as a bool array (batch, steps) that fits ``x`` for the pooling; refuse anything else.

    Parameters
    ----------
    mask : array_like of bool or 0/1, shape (batch, steps)
        ``steps`` is ``x_shape[axis]``, the length of the averaged axis.
    x_shape : tuple of int
        The pooled tensor's shape, e.g. (batch, seq_len, embedding_dim).
    axis : int
        The axis the pooling averages: 1 for channels_last, 2 for channels_first.
    data_format : {"channels_last", "channels_first"}
        Named in the message.

    Returns
    -------
    ndarray of bool, shape (batch, steps)
    """
    expected_shape = (x_shape[0], x_shape[axis])
    arr = as_array(
        mask, "mask", hint="A mask has one True/False per step of each sequence; build it with padding_mask(ids)."
    )
    if arr.dtype != np.bool_:
        if not np.issubdtype(arr.dtype, np.integer):
            raise TypeError(
                f"mask must be boolean (True = keep this step) or 0/1 integers; got dtype "
                f"{arr.dtype}. Build one with padding_mask(ids)."
            )
        if not np.isin(arr, (0, 1)).all():
            raise ValueError(f"an integer mask may hold only 0 and 1; got the values {np.unique(arr).tolist()[:6]}.")
        arr = arr.astype(bool)
    if arr.shape != expected_shape:
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


def available_memory_bytes() -> int | None:
    """Memory this process could still get, in bytes (Linux: MemAvailable), or None if unknown.

    Returns
    -------
    int or None
    """
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def new_array(shape: tuple[int, ...], dtype: DTypeLike, call: str) -> NDArray:
    """An uninitialised array of ``shape``, or a MemoryError that states the size asked for.

    The size is checked against the memory available before anything is
    allocated, so an impossible request fails at once (on Linux an allocation
    larger than the free memory may otherwise succeed and only fail, or get
    the process killed, while it is being filled).

    Parameters
    ----------
    shape : tuple of int
    dtype : dtype-like
    call : str
        The function that asks, named in the message.

    Returns
    -------
    ndarray, shape ``shape``
        Not initialised.
    """
    dtype = np.dtype(dtype)
    count = int(np.prod(shape, dtype=object))
    needed = count * dtype.itemsize
    available = available_memory_bytes()

    def refuse(detail: str) -> MemoryError:
        return MemoryError(
            f"{call} asks for {count:,} {dtype.name} numbers ({dtype.itemsize} bytes each), "
            f"{needed / 2**30:.1f} GiB, {detail}. Ask for a smaller table: keep the most frequent "
            "words (e.g. the top 20 000) and map the rest to one out-of-vocabulary id."
        )

    if available is not None and needed > available:
        raise refuse(f"but only {available / 2**30:.1f} GiB of memory is available")
    try:
        return np.empty(shape, dtype=dtype)
    except (MemoryError, ValueError):  # ValueError: more bytes than an address can count
        raise refuse("which could not be allocated") from None
