"""Figures of notebook 01: the embedding table, a lookup in it, and what a lookup costs.

Each ``plot_*`` function returns a matplotlib ``Figure`` with alternative text
attached (see :mod:`~embedpool_utils.plotting.display`); show it with
``plotting.show(fig)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NotRequired, TypedDict

import numpy as np
from numpy.typing import ArrayLike

from embedpool_utils.plain_text import plural
from embedpool_utils.plotting.display import set_alt_text
from embedpool_utils.plotting.style import (
    OKABE_ITO,
    colour_limit,
    draw_heatmap,
    log_scale_in_decades,
    new_figure,
    outline_rows,
    styled,
    value_range,
)

if TYPE_CHECKING:  # pragma: no cover - for type hints only
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["draw_lookup", "lookup_description", "plot_cost_comparison", "plot_lookup", "plot_table"]


# Outlines must stand out on both halves of the diverging colormap (dark orange
# and dark purple at its ends, near-white in the middle, mid tones between), so
# each outline is a black line on a wider white band: one of the two contrasts
# with every cell colour. The selected id's outline adds blue dashes on top, so
# it differs from the others by its pattern as well as its colour.
HALO = "#FFFFFF"
LINE = OKABE_ITO["black"]


class OutlineStyle(TypedDict):
    """The keyword arguments of :func:`_outline`: line and band widths, and the dashes' colour if any."""

    linewidth: float
    halo: float
    dashes: NotRequired[str]


READ_OUTLINE: OutlineStyle = {"linewidth": 2.0, "halo": 4.5}
SELECTED_OUTLINE: OutlineStyle = {"linewidth": 3.5, "halo": 6.5, "dashes": OKABE_ITO["blue"]}
DASH_PATTERN = (0, (2.0, 1.0))


def _id_list(ids: Iterable[int]) -> str:
    return ", ".join(str(int(i)) for i in ids)


def _outline(
    ax: Axes, rows: ArrayLike, width: int, *, linewidth: float, halo: float, dashes: str | None = None
) -> None:
    """Outline ``rows`` of a heatmap: a white band of width ``halo``, a black line, optionally dashes of colour ``dashes``."""
    outline_rows(ax, rows, width, colour=HALO, linewidth=halo)
    outline_rows(ax, rows, width, colour=LINE, linewidth=linewidth)
    if dashes is not None:
        first_dash = len(ax.patches)
        outline_rows(ax, rows, width, colour=dashes, linewidth=linewidth)
        for patch in ax.patches[first_dash:]:
            patch.set_linestyle(DASH_PATTERN)


def _tick_rows(ax: Axes, rows: ArrayLike, vocab_size: int) -> None:
    """Label exactly the outlined rows (and the first and last id), so that each can be read off the axis."""
    ticks = sorted({0, vocab_size - 1} | {int(r) for r in np.asarray(rows).reshape(-1)})
    ax.set_yticks(ticks, [str(t) for t in ticks], fontsize=10)


@styled
def plot_table(table: ArrayLike, *, highlight_ids: ArrayLike | None = None, title: str | None = None) -> Figure:
    """Heatmap of an embedding table, shape (vocab_size, embedding_dim): one row per token id.

    Parameters
    ----------
    table : array_like, shape (vocab_size, embedding_dim)
    highlight_ids : array_like of int, shape (n,), optional
        Token ids whose rows are outlined.
    title : str, optional
        Default: "Embedding table, shape (vocab_size, embedding_dim)".

    Returns
    -------
    Figure
    """
    values = np.asarray(table)
    fig, (ax,) = new_figure(size=(6.0, 7.0))
    draw_heatmap(
        ax,
        values,
        title=title or f"Embedding table, shape {values.shape}",
        xlabel="feature (column)",
        ylabel="token id (row)",
        tick_every=None,
    )
    if highlight_ids is not None:
        _outline(ax, highlight_ids, values.shape[1], **READ_OUTLINE)
        _tick_rows(ax, highlight_ids, values.shape[0])
    rows, cols = values.shape
    outlined = (
        ""
        if highlight_ids is None
        else (f" Rows {_id_list(np.unique(highlight_ids))} are outlined in black on a white band and labelled.")
    )
    return set_alt_text(
        fig,
        (
            f"Heatmap of an embedding table of shape {values.shape}: {rows} rows, one per token id 0 to {rows - 1}, "
            f"and {cols} columns, one per feature. Values range {value_range(values)}, orange for negative, "
            f"purple for positive.{outlined}"
        ),
    )


def lookup_description(table_shape: tuple[int, int], ids: Iterable[int], selected_id: int | None) -> str:
    """Alternative text of a lookup drawing (:func:`draw_lookup`), in words.

    Parameters
    ----------
    table_shape : (int, int)
        (vocab_size, embedding_dim).
    ids : sequence of int, length seq_len
    selected_id : int or None
        The id singled out with blue dashes.

    Returns
    -------
    str
        The table's and the output's shapes, (seq_len, embedding_dim), the ids read and where the selected id went.
    """
    ids = [int(i) for i in ids]
    text = (
        f"Left: the embedding table {tuple(table_shape)} with the rows read outlined in black on a white band "
        f"and labelled on its axis ({_id_list(sorted(set(ids))) or 'none'}). Right: the lookup's output ({len(ids)}, {table_shape[1]}), "
        f"one row per id of [{_id_list(ids)}], each a copy of that id's table row."
    )
    if selected_id is not None:
        positions = [p for p, i in enumerate(ids) if i == selected_id]
        where = (
            f"{plural(len(positions), 'output position')} ({_id_list(positions)})"
            if positions
            else "no output position"
        )
        text += f" Id {selected_id} is outlined with blue dashes: table row {selected_id} and {where}."
    return text


@styled
def draw_lookup(axes: Sequence[Axes], table: ArrayLike, ids: ArrayLike, *, selected_id: int | None = None) -> None:
    """Draw a lookup on two axes: the table with the rows read, and the output matrix.

    Parameters
    ----------
    axes : pair of Axes
        Left: the table (vocab_size, embedding_dim); right: the output (len(ids), embedding_dim).
    table : array_like, shape (vocab_size, embedding_dim)
    ids : array_like of int, shape (seq_len,)
        Valid ids (the caller checks them).
    selected_id : int, optional
        An id to single out: its table row and every output row it fills are
        outlined with blue dashes over the black line. Every outline is a
        black line on a white band, so that it shows on the orange and on the
        purple half of the colormap alike.
    """
    table = np.asarray(table)
    ids = np.asarray(ids, dtype=int).reshape(-1)
    left, right = axes
    limit = colour_limit(table)
    draw_heatmap(
        left,
        table,
        title=f"table {table.shape}: rows read",
        xlabel="feature",
        ylabel="token id (row)",
        limit=limit,
        colorbar=False,
    )
    _outline(left, ids, table.shape[1], **READ_OUTLINE)
    _tick_rows(left, ids, table.shape[0])
    output = table[ids] if ids.size else np.zeros((0, table.shape[1]))
    image = draw_heatmap(
        right,
        output if ids.size else np.full((1, table.shape[1]), np.nan),
        title=f"output {output.shape}: one row per token",
        xlabel="feature",
        ylabel="position: id",
        limit=limit,
        colorbar=False,
    )
    right.set_yticks(np.arange(ids.size), [f"{i}: {t}" for i, t in enumerate(ids)])
    if selected_id is not None:
        _outline(left, [selected_id], table.shape[1], **SELECTED_OUTLINE)
        _outline(right, np.flatnonzero(ids == selected_id), table.shape[1], **SELECTED_OUTLINE)
    left.figure.colorbar(image, ax=list(axes), shrink=0.8, label="value")


@styled
def plot_lookup(table: ArrayLike, ids: ArrayLike, *, selected_id: int | None = None) -> Figure:
    """The table beside the lookup's output, shape (len(ids), embedding_dim); see :func:`draw_lookup`.

    Parameters
    ----------
    table : array_like, shape (vocab_size, embedding_dim)
    ids : array_like of int, shape (seq_len,)
        Valid ids, 0 … vocab_size − 1.
    selected_id : int, optional
        An id whose table row and output rows get blue dashes.

    Returns
    -------
    Figure
        Two heatmaps, (vocab_size, embedding_dim) and (seq_len, embedding_dim), with alt text attached.
    """
    fig, (left, right) = new_figure(2, size=(10.0, 6.0), gridspec_kw={"width_ratios": [1, 1]})
    draw_lookup((left, right), table, ids, selected_id=selected_id)
    return set_alt_text(fig, lookup_description(np.shape(table), np.asarray(ids).reshape(-1), selected_id))


@styled
def plot_cost_comparison(seq_len: int, vocab_size: int, embedding_dim: int) -> Figure:
    """The numbers a lookup copies against the multiply-adds of a one-hot matmul, to scale and on a log scale.

    A lookup copies ``seq_len * embedding_dim`` numbers; the one-hot product does
    ``seq_len * vocab_size * embedding_dim`` multiply-adds. Left, a linear
    axis shows the gap as it is (the lookup's bar is too thin to see); right,
    a log axis that starts at 1 shows both bars, each as long as its number
    of digits, with the factor between them marked.

    Parameters
    ----------
    seq_len, vocab_size, embedding_dim : int
        The sizes of the ids (seq_len,) and of the table (vocab_size, embedding_dim).

    Returns
    -------
    Figure
        Two panels of two bars, with alt text attached.
    """
    from matplotlib.ticker import FuncFormatter

    lookup = seq_len * embedding_dim
    matmul = seq_len * vocab_size * embedding_dim
    factor = matmul // lookup
    fig, (linear, logarithmic) = new_figure(2, size=(11.0, 4.8))
    names = ["lookup\n(copy rows)", "one-hot @ table\n(multiply-adds)"]
    style = {"color": [OKABE_ITO["green"], OKABE_ITO["vermillion"]], "edgecolor": OKABE_ITO["black"]}
    linear.bar(names, [lookup, matmul], hatch=["", "//"], **style)
    linear.set_ylim(0, matmul * 1.15)
    linear.ticklabel_format(axis="y", style="plain")
    linear.yaxis.set_major_formatter(FuncFormatter(_millions))
    linear.text(0, matmul * 0.04, f"{lookup:,}\n(too thin\nto see)", ha="center", va="bottom", fontsize=12)
    linear.text(1, matmul * 1.02, f"{matmul:,}", ha="center", va="bottom", fontsize=12)
    linear.set_ylabel("operations (millions)")
    linear.set_title("to scale")
    bars = logarithmic.bar(names, [lookup, matmul], hatch=["", "//"], **style)
    log_scale_in_decades(logarithmic, "y")
    logarithmic.set_ylim(1, matmul * 30)  # from 1, so each bar is as long as its number of digits
    logarithmic.bar_label(bars, labels=[f"{lookup:,}", f"{matmul:,}"])
    logarithmic.annotate(
        "",
        xy=(0.5, matmul),
        xytext=(0.5, lookup),
        arrowprops={"arrowstyle": "<->", "color": OKABE_ITO["black"], "lw": 2},
    )
    logarithmic.text(0.6, (lookup * matmul) ** 0.5, f"x {factor:,}", ha="left", va="center", fontsize=13)
    logarithmic.set_ylabel("operations (log scale)")
    logarithmic.set_title("log scale from 1")
    for ax in (linear, logarithmic):
        ax.set_xlabel("how the rows are obtained")
    fig.suptitle(f"{seq_len} tokens, vocab {vocab_size:,}, dim {embedding_dim}")
    return set_alt_text(
        fig,
        (
            f"Two bar charts for {seq_len} tokens, a vocabulary of {vocab_size:,} and dimension {embedding_dim}: "
            f"a lookup copies {lookup:,} numbers; the one-hot matrix product does {matmul:,} multiply-adds, "
            f"{factor:,} times more. Left, to scale on a linear axis, the lookup's bar is too thin to see. Right, "
            f"on a log axis starting at 1, a double arrow between the two bars is labelled x {factor:,}."
        ),
    )


def _millions(value: float, _position: object = None) -> str:
    """A linear tick in millions, plain text: "1,500"."""
    return f"{value / 1e6:,.0f}"
