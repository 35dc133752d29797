"""Shape arithmetic of 1-D pooling: which axis each data format averages, and what is left.

Everything here works on shapes alone (tuples, with ``None`` for an open
size), never on data, so it answers "what shape will this layer give?" and
"which axis disappeared?" without Keras.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

__all__ = ["DATA_FORMATS", "DataFormat", "averaged_axes", "pooled_axis", "pooled_shape", "shape_tuple"]

DataFormat = Literal["channels_last", "channels_first"]
DATA_FORMATS: tuple[str, ...] = ("channels_last", "channels_first")


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
    raise ValueError(
        f"data_format must be 'channels_last' or 'channels_first'; got {data_format!r}.{hint}"
    )




def shape_tuple(shape: object, name: str) -> tuple[int | None, ...]:
    """Return ``shape`` as a tuple of ints (or None); refuse ``(10)``, floats and negatives."""
    try:
        dims = tuple(shape)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(
            f"{name} must be a shape: a tuple of ints such as (2, 10, 7); got {shape!r}. "
            "Note that (10) is the int 10; a one-axis shape is written (10,)."
        ) from None
    for dim in dims:
        if dim is not None and (isinstance(dim, (bool, np.bool_)) or not isinstance(dim, (int, np.integer)) or dim < 0):
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
    if keepdims:
        return dims[:axis] + (1,) + dims[axis + 1:]
    return dims[:axis] + dims[axis + 1:]


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
        removed = before[:axis] + before[axis + 1:]
        kept = before[:axis] + (1,) + before[axis + 1:]
        if after in (removed, kept):
            candidates.append(axis)
    return tuple(candidates)
