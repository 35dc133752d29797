"""Figures of notebooks 03 and 04: averaging along an axis, padding drift, and the two data formats.

:func:`draw_average` (a tensor with arrows along the averaged axis, and the
result beside it) and :func:`draw_data_format` (the same for one
``data_format`` of GlobalAveragePooling1D) serve both the static figures and
the explorers. Each ``plot_*`` function returns a ``Figure`` with alternative
text attached; show it with ``plotting.show(fig)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from embedpool_utils.core import global_average_pool_1d
from embedpool_utils.plotting.display import set_alt_text
from embedpool_utils.plotting.style import OKABE_ITO, colour_limit, draw_heatmap, new_figure, styled, value_range
from embedpool_utils.plotting.tensor import AVERAGED_WHAT, draw_block
from embedpool_utils.shapes import DATA_FORMATS, DataFormat, pooled_axis

if TYPE_CHECKING:  # pragma: no cover - for type hints only
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "average_description",
    "data_format_description",
    "draw_average",
    "draw_data_format",
    "plot_averages",
    "plot_data_formats",
    "plot_padding_drift",
]

# (x label, y label) of the 2-D result of averaging axis 0, 1 or 2 of (batch, seq_len, embedding_dim),
# as numpy holds it; draw_average turns the (batch, seq_len) result of axis 2 into columns.
RESULT_LABELS = {0: ("feature", "token"), 1: ("feature", "sample"), 2: ("token", "sample")}
# Panel titles in words, so that no panel relies on its arrows' colour or direction alone.
AVERAGE_IN_WORDS = {
    0: "same cell, across samples",
    1: "down the tokens of each sample",
    2: "across the features of each token",
}
RESULT_IN_WORDS = {0: "one average sample", 1: "one vector per sample", 2: "one number per token"}


def average_description(x_shape: tuple[int, ...], result_shape: tuple[int, ...], axis: int) -> str:
    """Alternative text of one :func:`draw_average` drawing: what was averaged, and the shapes.

    Parameters
    ----------
    x_shape : tuple of int
        (batch, seq_len, embedding_dim).
    result_shape : tuple of int
        The average's shape, ``x_shape`` without ``axis``.
    axis : {0, 1, 2}
        The averaged axis.

    Returns
    -------
    str
    """
    arrows = "arrows joining the same cell of each sample (axis 0)" if axis == 0 else f"arrows along axis {axis}"
    drawn = "a heatmap with one column per sample, tokens down" if axis == 2 else "a heatmap"
    return (
        f"The tensor {tuple(x_shape)} with {arrows}, averaged over {AVERAGED_WHAT[axis]}, and beside it "
        f"the result {tuple(result_shape)}, {RESULT_IN_WORDS[axis]}, as {drawn}, on the input's colour scale."
    )


@styled
def draw_average(
    block_ax: Axes,
    result_ax: Axes,
    x: ArrayLike,
    result: ArrayLike,
    *,
    axis: int,
    block_title: str,
    result_title: str,
    limit: float | None = None,
    highlight: ArrayLike | None = None,
    padding: ArrayLike | None = None,
) -> None:
    """Draw ``x`` with arrows along ``axis`` on ``block_ax``, and the averaged ``result`` on ``result_ax``.

    The series' one colour rule for results: a result is drawn on the colour
    scale of the tensor it came from (``limit``), with the colour bar beside
    the result (the tensor shares it), so that an average that shrinks the
    values looks paler, in the static figures and the explorers alike. A result of one number per token
    (``axis=2``) is drawn as one column per sample, its rows the tokens, as
    they stand in the tensor beside it.

    Parameters
    ----------
    block_ax, result_ax : Axes
    x : array_like, shape (batch, seq_len, embedding_dim)
    result : array_like, shape of ``x`` without ``axis`` (or with it kept at length 1)
        The average of ``x`` along ``axis``.
    axis : {0, 1, 2}
        The averaged axis (it labels the result's rows and columns).
    block_title, result_title : str
    limit : float, optional
        Colour limit of the tensor and of the result (default: the tensor's largest absolute value).
    highlight : array_like of bool, shape like ``x``, optional
        Cells of ``x`` that count (the others are faded and hatched in grey).
    padding : array_like of bool, shape (batch, seq_len), optional
        Token positions that are padding: hatched and outlined in ``x``.
    """
    x = np.asarray(x, dtype=float)
    bound = limit if limit is not None else colour_limit(x)
    draw_block(  # no colour bar of its own: the result's serves both, on one scale
        block_ax,
        x,
        averaged_axis=axis,
        limit=bound,
        highlight=highlight,
        padding=padding,
        title=block_title,
        colorbar=False,
    )
    result = np.asarray(result)
    shown = result.reshape([n for n in result.shape if n != 1] or [1]) if result.ndim > 2 else result
    shown = np.atleast_2d(shown)
    xlabel, ylabel = RESULT_LABELS[axis]
    if axis == 2:  # one number per token: a column per sample, tokens down, as in the tensor
        shown, (xlabel, ylabel) = shown.T, (ylabel, xlabel)
    draw_heatmap(
        result_ax,
        shown,
        title=result_title,
        xlabel=xlabel,
        ylabel=ylabel,
        limit=bound,
        colorbar_label="value (as input)",
    )


@styled
def plot_averages(x: ArrayLike) -> Figure:
    """Average a (batch, seq_len, embedding_dim) tensor along each axis in turn, and draw each result.

    One row per axis: the block with the averaged direction marked, and the
    2-D result of ``x.mean(axis=a)``.

    Parameters
    ----------
    x : array_like, shape (batch, seq_len, embedding_dim)

    Returns
    -------
    Figure
        Three rows (axis 0, 1, 2), each: block on the left, result heatmap on the right.
    """
    x = np.asarray(x, dtype=float)
    fig, axes = new_figure(2, 3, size=(11.0, 10.5), gridspec_kw={"width_ratios": [2.2, 1]})
    limit = colour_limit(x)
    rows = []
    for axis in range(3):
        result = x.mean(axis=axis)
        draw_average(
            axes[2 * axis],
            axes[2 * axis + 1],
            x,
            result,
            axis=axis,
            limit=limit,
            block_title=f"x.mean(axis={axis}): {AVERAGE_IN_WORDS[axis]}",
            result_title=f"result {result.shape}" + (": a column per sample" if axis == 2 else ""),
        )
        rows.append(
            f"x.mean(axis={axis}) averages {AVERAGED_WHAT[axis]} ({AVERAGE_IN_WORDS[axis]}) and gives "
            f"{result.shape}, {RESULT_IN_WORDS[axis]}"
        )
    return set_alt_text(
        fig,
        (
            f"Three rows, one per axis of a tensor of shape {x.shape} drawn as {x.shape[0]} matrices side by side "
            f"(tokens down, features across), each with the averaged direction marked and the result as a heatmap "
            f"on the tensor's colour scale, values {value_range(x)}; the result of axis 2 is drawn as one column "
            f"per sample, tokens down. "
            f"In the axis 0 row, curved arrows join the same outlined cell of each sample. {'; '.join(rows)}."
        ),
    )


@styled
def plot_padding_drift(lengths: ArrayLike, unmasked: ArrayLike, masked: ArrayLike) -> Figure:
    """Distance of a padded sentence's average from its true average, against the padded length.

    Parameters
    ----------
    lengths : array_like of int, shape (n,)
        Padded lengths.
    unmasked, masked : array_like of float, shape (n,)
        Distance of the plain mean, and of the masked mean, from the mean of the real tokens.

    Returns
    -------
    Figure
        Two lines against the padded length, with alt text attached.
    """
    fig, (ax,) = new_figure(size=(8.0, 4.5))
    ax.plot(lengths, unmasked, marker="o", color=OKABE_ITO["vermillion"], label="plain mean (padding counted)")
    ax.plot(
        lengths, masked, marker="s", linestyle="--", color=OKABE_ITO["blue"], label="masked mean (padding left out)"
    )
    ax.set_xlabel("padded length (4 real tokens + padding)")
    ax.set_ylabel("distance from the true average")
    ax.set_title("Padding drags the average away; a mask does not")
    ax.legend()
    lengths, unmasked, masked = (np.asarray(a, dtype=float).reshape(-1) for a in (lengths, unmasked, masked))
    return set_alt_text(
        fig,
        (
            f"Line chart of the distance from the true average against the padded length, {lengths[0]:.0f} to "
            f"{lengths[-1]:.0f}. Plain mean (solid line, circles): from {unmasked[0]:.3f} to {unmasked[-1]:.3f}. "
            f"Masked mean (dashed line, squares): at most {np.abs(masked).max():.3f}."
        ),
    )


@styled
def draw_data_format(
    block_ax: Axes,
    result_ax: Axes,
    x: ArrayLike,
    data_format: DataFormat,
    *,
    limit: float | None = None,
) -> tuple[int, ...]:
    """What GlobalAveragePooling1D(data_format=...) averages in ``x``, drawn with :func:`draw_average`.

    Parameters
    ----------
    block_ax, result_ax : Axes
    x : array_like, shape (batch, seq_len, embedding_dim)
    data_format : {"channels_last", "channels_first"}
    limit : float, optional
        Colour limit of ``x`` and of the pooled result (see :func:`draw_average`).

    Returns
    -------
    tuple of int
        The pooled shape: (batch, embedding_dim) or (batch, seq_len).
    """
    axis = pooled_axis(data_format)
    pooled = global_average_pool_1d(x, data_format=data_format)
    draw_average(
        block_ax,
        result_ax,
        x,
        pooled,
        axis=axis,
        limit=limit,
        block_title=f"{data_format}: averages {AVERAGED_WHAT[axis]}",
        result_title=f"pooled {pooled.shape}" + (": a column per sentence" if axis == 2 else ""),
    )
    return pooled.shape


def data_format_description(
    x_shape: tuple[int, int, int], data_format: DataFormat, pooled_shape: tuple[int, ...]
) -> str:
    """Alternative text of one :func:`draw_data_format` drawing.

    Parameters
    ----------
    x_shape : (int, int, int)
        (batch, seq_len, embedding_dim).
    data_format : {"channels_last", "channels_first"}
    pooled_shape : tuple of int
        (batch, embedding_dim) or (batch, seq_len).

    Returns
    -------
    str
    """
    per = (
        "one vector per sentence"
        if data_format == "channels_last"
        else "one number per token, drawn as a column per sentence beside its tokens"
    )
    return (
        f"{data_format}: the tensor {tuple(x_shape)} with arrows along "
        f"{AVERAGED_WHAT[pooled_axis(data_format)]}, and the pooled result "
        f"{tuple(pooled_shape)}, {per}, on the tensor's colour scale."
    )


@styled
def plot_data_formats(x: ArrayLike) -> Figure:
    """The two readings of an embedding output: which axis each data_format averages, and the result.

    Parameters
    ----------
    x : array_like, shape (batch, seq_len, embedding_dim)

    Returns
    -------
    Figure
        Two rows: channels_last (arrows down the tokens, result (batch, embedding_dim)) and
        channels_first (arrows across the features, result (batch, seq_len)).
    """
    x = np.asarray(x, dtype=float)
    fig, axes = new_figure(2, 2, size=(12.0, 8.5), gridspec_kw={"width_ratios": [2.2, 1]})
    limit = colour_limit(x)
    rows = []
    for row, data_format in enumerate(DATA_FORMATS):  # channels_last, then channels_first
        pooled_shape = draw_data_format(axes[2 * row], axes[2 * row + 1], x, data_format, limit=limit)
        rows.append(data_format_description(x.shape, data_format, pooled_shape))
    return set_alt_text(fig, "Two rows, one per data_format of GlobalAveragePooling1D. " + " ".join(rows))
