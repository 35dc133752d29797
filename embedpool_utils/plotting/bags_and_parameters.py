"""Figures of notebook 06: an embedding bag, and the Dense parameters after each pooling.

Each function returns a ``Figure`` with alternative text attached; show it
with ``plotting.show(fig)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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
)

if TYPE_CHECKING:  # pragma: no cover - for type hints only
    from matplotlib.figure import Figure

__all__ = ["plot_bags", "plot_dense_parameters"]


@styled
def plot_bags(
    table: ArrayLike, indices: ArrayLike, offsets: ArrayLike, bags: ArrayLike, *, padding_idx: int | None = None
) -> Figure:
    """An embedding bag in two panels: the rows of the flat ids, cut into bags, and one mean per bag.

    Parameters
    ----------
    table : array_like, shape (vocab_size, embedding_dim)
    indices : array_like of int, shape (n_ids,)
        All bags' ids one after another.
    offsets : array_like of int, shape (n_bags,)
        Where each bag starts in ``indices``.
    bags : array_like, shape (n_bags, embedding_dim)
        The reduced bags (e.g. from ``pytorch_standins.embedding_bag``).
    padding_idx : int, optional
        Rows of this id are crossed out: they are left out of the mean.

    Returns
    -------
    Figure
        Heatmaps (n_ids, embedding_dim) and (n_bags, embedding_dim), with alt text attached.
    """
    ids = np.asarray(indices, dtype=int)
    starts = np.asarray(offsets, dtype=int)
    rows = np.asarray(table, dtype=float)[ids]
    out = np.asarray(bags, dtype=float)
    limit = colour_limit(rows, out)
    fig, (left, right) = new_figure(2, size=(11.0, 5.5), gridspec_kw={"width_ratios": [1, 1]})
    draw_heatmap(
        left,
        rows,
        title="looked-up rows, cut into bags",
        xlabel="feature",
        ylabel="position in the flat ids",
        limit=limit,
        colorbar=False,
    )
    left.set_yticks(np.arange(ids.size), [f"{k}: id {i}" for k, i in enumerate(ids)])
    for start in starts[1:]:
        left.axhline(start - 0.5, color=OKABE_ITO["black"], linewidth=3)
    crossed = np.empty(0, dtype=np.intp) if padding_idx is None else np.flatnonzero(ids == padding_idx)
    outline_rows(left, crossed, rows.shape[1], linewidth=2, hatch="xx")
    sizes = np.diff(np.append(starts, ids.size))
    image = draw_heatmap(
        right, out, title="one mean per bag", xlabel="feature", ylabel="bag", limit=limit, colorbar=False
    )
    right.set_yticks(np.arange(out.shape[0]), [f"bag {b} ({n} ids)" for b, n in enumerate(sizes)])
    fig.colorbar(image, ax=[left, right], shrink=0.8, label="value")
    padding = (
        ""
        if padding_idx is None
        else (f" Crossed out, since they do not count: {plural(len(crossed), 'row')} of the padding id {padding_idx}.")
    )
    return set_alt_text(
        fig,
        (
            f"Left: the {ids.size} looked-up rows of the flat ids, {rows.shape[1]} features each, cut by black lines "
            f"into {starts.size} bags of {', '.join(str(int(n)) for n in sizes)} ids.{padding} Right: the result "
            f"{out.shape}, one mean row per bag.{_empty_bags(out, sizes)}"
        ),
    )


def _empty_bags(out: np.ndarray, sizes: np.ndarray) -> str:
    """What the result holds for each empty bag, in words."""
    said = []
    for b in np.flatnonzero(sizes == 0):
        row = out[b]
        what = "zeros" if np.all(row == 0) else "NaN" if np.all(np.isnan(row)) else "other numbers"
        said.append(f" Bag {b} is empty: its row is {what}.")
    return "".join(said)


@styled
def plot_dense_parameters(pooled_shapes: dict[str, tuple], parameters: dict[str, int], *, units: int) -> Figure:
    """Horizontal bars (log scale): parameters of the Dense layer that follows each pooling.

    Parameters
    ----------
    pooled_shapes : dict of str -> tuple
        data_format -> shape of the pooled tensor, e.g. ``(None, 500)``.
    parameters : dict of str -> int
        data_format -> parameter count of the Dense layer after the pooling.
    units : int
        Units of that Dense layer (for the title).

    Returns
    -------
    Figure
        One bar per data_format, with alt text attached.
    """
    names = list(parameters)
    counts = [parameters[n] for n in names]
    fig, (ax,) = new_figure(size=(9.0, 3.6))
    colours = [OKABE_ITO["blue"], OKABE_ITO["vermillion"]]
    ax.barh(np.arange(len(names)), counts, color=[colours[i % 2] for i in range(len(names))])
    log_scale_in_decades(ax, "x")
    ax.set_yticks(np.arange(len(names)), [f"{n}\npooled {pooled_shapes[n]}" for n in names])
    for i, count in enumerate(counts):
        ax.annotate(f"{count:,}", (count, i), textcoords="offset points", xytext=(6, -5))
    ax.set_xlim(1, max(counts) * 20)  # bars start at 1, so a log axis keeps their lengths honest
    ax.invert_yaxis()  # first entry on top
    ax.set_xlabel("parameters (log scale)")
    ax.set_ylabel("pooling before the Dense layer")
    ax.set_title(f"Dense({units}) after GlobalAveragePooling1D")
    bars = "; ".join(f"{n}, pooled {pooled_shapes[n]}: {parameters[n]:,} parameters" for n in names)
    return set_alt_text(
        fig, f"Horizontal bar chart on a log scale of the parameters of Dense({units}) after each pooling: {bars}."
    )
