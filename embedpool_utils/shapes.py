"""Shape arithmetic of 1-D pooling: which axis it averages, what shape is left, which positions it reads.

Everything here works on shapes (tuples, with ``None`` for an open size) and
on axis names (``"batch"``, ``"tokens"``, ``"features"``, or ``"?"`` where
nothing can be known), never on data and never on Keras objects. It answers
"what shape will this pooling give?", "which axis disappeared?" and, for the
model inspector, "which axis does this pooling layer reduce, over how many
positions?", from a layer's class name and its configuration dictionary
(``layer.get_config()``). What the axes of any other layer's output mean is
:mod:`~embedpool_utils.inspector.axes`, built on the functions here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from embedpool_utils.validation import is_int

__all__ = [
    "BATCH",
    "DATA_FORMATS",
    "FEATURES",
    "POOLINGS_1D",
    "TOKENS",
    "UNKNOWN",
    "DataFormat",
    "PoolingReduction",
    "averaged_axes",
    "pooled_axis",
    "pooled_shape",
    "pooling_reduction",
    "reduce_axis",
    "shape_tuple",
    "window_coverage",
]

DataFormat = Literal["channels_last", "channels_first"]
DATA_FORMATS: tuple[DataFormat, ...] = ("channels_last", "channels_first")


def pooled_axis(data_format: str) -> int:
    """Axis of a ``(batch, ·, ·)`` tensor that ``GlobalAveragePooling1D`` averages.

    Parameters
    ----------
    data_format : {"channels_last", "channels_first"}
        How the layer reads its 3-D input: ``channels_last`` as
        ``(batch, steps, features)``, ``channels_first`` as
        ``(batch, features, steps)``.

    Returns
    -------
    int
        1 for ``channels_last`` (the tokens of an embedding output),
        2 for ``channels_first`` (the features of each token).

    Raises
    ------
    ValueError
        If ``data_format`` is not one of the two names Keras accepts.

    Examples
    --------
    >>> pooled_axis("channels_last"), pooled_axis("channels_first")
    (1, 2)
    """
    if data_format == "channels_last":
        return 1
    if data_format == "channels_first":
        return 2
    hint = ""
    if isinstance(data_format, str) and data_format.lower().replace("-", "_").strip() in DATA_FORMATS:
        hint = f" Did you mean {data_format.lower().replace('-', '_').strip()!r}?"
    raise ValueError(f"data_format must be 'channels_last' or 'channels_first'; got {data_format!r}.{hint}")


def shape_tuple(shape: Iterable[int | None], name: str) -> tuple[int | None, ...]:
    """Return ``shape`` as a tuple of ints (or None); refuse ``(10)``, floats and negatives.

    Parameters
    ----------
    shape : tuple of int or None, e.g. (2, 10, 7) or (None, 10)
        None stands for a size left open, as Keras' batch axis.
    name : str
        Its name in the error message.

    Returns
    -------
    tuple of int or None, length ``len(shape)``
        Raises a TypeError for a bare int such as ``(10)``, floats or negative sizes.
    """
    try:
        dims = tuple(shape)
    except TypeError:
        raise TypeError(
            f"{name} must be a shape: a tuple of ints such as (2, 10, 7); got {shape!r}. "
            "Note that (10) is the int 10; a one-axis shape is written (10,)."
        ) from None
    for dim in dims:
        if dim is not None and not (is_int(dim) and dim >= 0):
            raise TypeError(f"{name} must hold non-negative ints (or None for an open size); got {shape!r}.")
    return tuple(None if d is None else int(d) for d in dims)


def pooled_shape(
    input_shape: tuple[int | None, ...],
    *,
    data_format: DataFormat = "channels_last",
    keepdims: bool = False,
) -> tuple[int | None, ...]:
    """Shape that ``GlobalAveragePooling1D`` gives for an input shape, without any data.

    Parameters
    ----------
    input_shape : tuple of int or None, length 3
        For an embedding output ``(batch, seq_len, embedding_dim)``; ``None``
        stands for a size left open, as in ``model.summary()``.
    data_format : {"channels_last", "channels_first"}
        Which axis is averaged (see :func:`pooled_axis`).
    keepdims : bool
        Keep the averaged axis with length 1.

    Returns
    -------
    tuple
        The input shape without the averaged axis (or with it set to 1).

    Raises
    ------
    TypeError
        If ``input_shape`` is not a tuple of ints (or None).
    ValueError
        If it does not have 3 axes, or ``data_format`` is unknown.

    Examples
    --------
    >>> pooled_shape((None, 10, 7))
    (None, 7)
    >>> pooled_shape((None, 10, 7), data_format="channels_first")
    (None, 10)
    >>> pooled_shape((2, 10, 7), keepdims=True)
    (2, 1, 7)
    """
    axis = pooled_axis(data_format)
    dims = shape_tuple(input_shape, "input_shape")
    if len(dims) != 3:
        raise ValueError(
            f"GlobalAveragePooling1D takes 3-D input (batch, steps, features); got the {len(dims)}-D shape {dims}."
        )
    return reduce_axis(dims, axis, keepdims=keepdims, kept=1)


def reduce_axis(items: tuple, axis: int, *, keepdims: bool, kept: object) -> tuple:
    """``items`` (a shape, or axis names) without entry ``axis``, or with it replaced by ``kept``.

    The one place that says what a reduction does to a tuple: a shape loses
    the averaged size (``kept=1`` with ``keepdims``); a tuple of axis names
    loses the averaged axis (or keeps its name, ``kept=items[axis]``).

    Parameters
    ----------
    items : tuple, length n
        A shape such as (batch, seq_len, embedding_dim), or one name per axis.
    axis : int
        The reduced axis, 0 … n − 1.
    keepdims : bool
        Keep the axis (as ``kept``) instead of dropping it.
    kept : object
        What stands in its place with ``keepdims``: 1 for a shape, the name for axis names.

    Returns
    -------
    tuple, length n − 1 (or n with ``keepdims``)

    Examples
    --------
    >>> reduce_axis((2, 10, 7), 1, keepdims=False, kept=1)
    (2, 7)
    >>> reduce_axis(("batch", "tokens", "features"), 1, keepdims=True, kept="tokens")
    ('batch', 'tokens', 'features')
    """
    if keepdims:
        return items[:axis] + (kept,) + items[axis + 1 :]
    return items[:axis] + items[axis + 1 :]


def averaged_axes(input_shape: tuple[int | None, ...], output_shape: tuple[int | None, ...]) -> tuple[int, ...]:
    """Which axes a mean could have averaged to turn ``input_shape`` into ``output_shape``.

    A debugging aid: given the shape that went into a pooling layer and the
    shape that came out (both from ``model.summary()``), list every axis whose
    removal (or, for ``keepdims``, whose reduction to length 1) explains the
    result. More than one axis means the shapes alone cannot tell, e.g.
    ``(2, 7, 7) -> (2, 7)``: give the axes different sizes while debugging.

    Parameters
    ----------
    input_shape, output_shape : tuple of int or None
        ``None`` (an open batch size) matches only ``None``.

    Returns
    -------
    tuple of int
        The candidate axes of ``input_shape``, in increasing order; empty if
        no single averaged axis explains the output shape.

    Raises
    ------
    TypeError
        If a shape is not a tuple of ints (or None).

    Examples
    --------
    >>> averaged_axes((None, 10, 7), (None, 7))
    (1,)
    >>> averaged_axes((None, 10, 7), (None, 10))
    (2,)
    >>> averaged_axes((None, 7, 7), (None, 7))
    (1, 2)
    >>> averaged_axes((None, 10, 7), (None, 10, 7))
    ()
    """
    before = shape_tuple(input_shape, "input_shape")
    after = shape_tuple(output_shape, "output_shape")
    candidates = []
    for axis in range(len(before)):
        if after in (reduce_axis(before, axis, keepdims=keep, kept=1) for keep in (False, True)):
            candidates.append(axis)
    return tuple(candidates)


# --------------------------------------------------------------------------
# axis names, and what a 1-D pooling layer reduces
# --------------------------------------------------------------------------

# What an axis holds, as the inspector names it; "?" where nothing can be known.
BATCH, TOKENS, FEATURES, UNKNOWN = "batch", "tokens", "features", "?"
#: 1-D pooling classes -> (what they compute, whether they pool the whole axis)
POOLINGS_1D: dict[str, tuple[str, bool]] = {
    "GlobalAveragePooling1D": ("average", True),
    "GlobalMaxPooling1D": ("max", True),
    "AveragePooling1D": ("average", False),
    "MaxPooling1D": ("max", False),
}


@dataclass(frozen=True)
class PoolingReduction:
    """What a 1-D pooling layer reduces: which axis of its 3-D input, how many positions, in which windows."""

    operation: str  # "average" or "max"
    is_global: bool  # pools the whole axis (GlobalAveragePooling1D, GlobalMaxPooling1D)
    axis: int  # the pooled axis of the input: 1 or 2
    axis_name: str  # its name: "tokens", "features" or "?"
    length: int | None  # its size in the input (None if open)
    other_name: str  # the other non-batch axis, which is kept
    other_length: int | None
    pool_size: int | None = None  # window, step and padding of a windowed pooling
    strides: int | None = None
    padding: str | None = None


def _first_int(value: int | tuple[int, ...] | list[int] | None) -> int | None:
    """``2`` from ``2``, ``(2,)`` or ``[2]``; ``None`` from ``None``."""
    if value is None:
        return None
    if isinstance(value, (tuple, list)):
        value = value[0]
    return int(value)


def pooling_reduction(
    layer_type: str | None,
    config: Mapping[str, Any],
    input_shape: tuple[int | None, ...],
    input_axes: tuple[str, ...],
) -> PoolingReduction | None:
    """Which axis a 1-D pooling layer pools, and over how many positions; None for other layers.

    Parameters
    ----------
    layer_type : str or None
        Keras class name, e.g. ``"AveragePooling1D"``.
    config : mapping
        The layer's ``get_config()`` (``data_format``, ``pool_size``, ...).
    input_shape, input_axes : tuple
        Its 3-D input shape ``(batch, ·, ·)`` and the names of those axes.

    Returns
    -------
    PoolingReduction or None

    Examples
    --------
    >>> r = pooling_reduction("GlobalAveragePooling1D", {"data_format": "channels_first"},
    ...                       (None, 10, 7), ("batch", "tokens", "features"))
    >>> r.axis, r.axis_name, r.length, r.other_name, r.other_length
    (2, 'features', 7, 'tokens', 10)
    """
    if layer_type not in POOLINGS_1D or len(input_shape) != 3 or len(input_axes) != 3:
        return None
    operation, is_global = POOLINGS_1D[layer_type]
    axis = pooled_axis(config.get("data_format", "channels_last"))
    other = 3 - axis
    pool_size = None if is_global else _first_int(config.get("pool_size"))
    strides = None if is_global else (_first_int(config.get("strides")) or pool_size)
    padding = None if is_global else str(config.get("padding", "valid"))
    return PoolingReduction(
        operation,
        is_global,
        axis,
        input_axes[axis],
        input_shape[axis],
        input_axes[other],
        input_shape[other],
        pool_size,
        strides,
        padding,
    )


def window_coverage(
    length: int, pool_size: int | None = None, strides: int | None = None, padding: str = "valid"
) -> np.ndarray:
    """Which of ``length`` positions a pooling reads: all for a global one; windows may leave some out.

    Parameters
    ----------
    length : int
        Number of positions along the pooled axis.
    pool_size, strides : int, optional
        Window and step of a windowed pooling (``strides`` defaults to
        ``pool_size``, as in Keras); leave out for a global one.
    padding : {"valid", "same"}
        ``"valid"``: only whole windows; ``"same"``: ``ceil(length / strides)``
        windows, the input padded evenly (one more at the end when odd).

    Returns
    -------
    ndarray of bool, shape (length,)

    Examples
    --------
    >>> window_coverage(5, pool_size=2).astype(int)
    array([1, 1, 1, 1, 0])
    >>> window_coverage(5, pool_size=1, strides=3, padding="same").astype(int)
    array([1, 0, 0, 1, 0])
    >>> bool(window_coverage(5).all())
    True
    """
    if pool_size is None:
        return np.ones(length, dtype=bool)
    step = strides or pool_size
    if padding == "same":
        windows = -(-length // step)
        before = max((windows - 1) * step + pool_size - length, 0) // 2
    else:
        windows, before = max((length - pool_size) // step + 1, 0), 0
    covered = np.zeros(length, dtype=bool)
    for start in range(-before, windows * step - before, step):
        covered[max(start, 0) : max(start + pool_size, 0)] = True
    return covered
