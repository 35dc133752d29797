"""Figures of notebook 02: a (batch, seq_len, embedding_dim) output drawn as matrices side by side, and its slices.

:func:`draw_block` is how the whole series pictures an embedding layer's 3-D
output; the averaging and data_format figures (notebooks 03 and 04) and the
explorers draw on it too. Each ``plot_*`` function returns a ``Figure`` with
alternative text attached; show it with ``plotting.show(fig)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from embedpool_utils.plotting.display import set_alt_text
from embedpool_utils.plotting.style import DIVERGING_CMAP, OKABE_ITO, colour_limit, new_figure, styled, value_range

if TYPE_CHECKING:  # pragma: no cover - for type hints only
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.patheffects import AbstractPathEffect

__all__ = ["block_description", "draw_block", "plot_block", "plot_slices"]

_ARROW = {"arrowstyle": "->", "color": OKABE_ITO["vermillion"], "lw": 3}
# In words, what an average along each axis of (batch, seq_len, embedding_dim) runs over.
AVERAGED_WHAT = {0: "the samples", 1: "the tokens", 2: "the features"}


def block_description(
    shape: tuple[int, int, int], averaged_axis: int | None = None, padding: ArrayLike | None = None
) -> str:
    """Alternative text of a :func:`draw_block` drawing: the matrices it shows, and the arrows.

    Parameters
    ----------
    shape : (int, int, int)
        (batch, seq_len, embedding_dim).
    averaged_axis : {0, 1, 2}, optional
        The axis whose arrows are drawn.
    padding : array_like of bool, shape (batch, seq_len), optional
        The padding positions, hatched in the drawing.

    Returns
    -------
    str
    """
    batch, seq_len, dim = shape
    text = (
        f"A tensor of shape {tuple(shape)} drawn as {batch} matri{'x' if batch == 1 else 'ces'} side by side, "
        f"one per sample, each {seq_len} rows (tokens) by {dim} columns (features)."
    )
    if averaged_axis == 0 and batch > 1:
        text += (
            " Curved arrows join the same outlined cell (same token, same feature) of neighbouring samples, "
            "with a plus sign between the samples: the average along axis 0 is taken over the samples, "
            "cell by cell."
        )
    elif averaged_axis is not None:
        text += f" Arrows run along axis {averaged_axis}: the average is taken over {AVERAGED_WHAT[averaged_axis]}."
    if padding is not None:
        counts = np.asarray(padding, dtype=bool).sum(axis=1).tolist()
        per_sample = ", ".join(f"{n} in x[{b}]" for b, n in enumerate(counts))
        text += f" Padding rows are faded, hatched and outlined: {per_sample}."
    return text


@styled
def draw_block(
    ax: Axes,
    x: ArrayLike,
    *,
    highlight: ArrayLike | None = None,
    title: str | None = None,
    limit: float | None = None,
    averaged_axis: int | None = None,
    padding: ArrayLike | None = None,
    colorbar: bool = True,
) -> None:
    """Draw a (batch, seq_len, embedding_dim) tensor as ``batch`` matrices side by side.

    Each matrix is one sample: rows are its tokens (axis 1), columns its
    features (axis 2). This is how the series pictures the 3-D output of an
    embedding layer.

    Parameters
    ----------
    ax : Axes
    x : array_like, shape (batch, seq_len, embedding_dim)
    highlight : array_like of bool, shape like ``x``, optional
        Cells to keep bright; all other cells are faded and hatched in grey (e.g. a
        slice ``x[:, 3]``), so that a faded cell does not pass for a value
        near 0.
    title : str, optional
        Default: the shape.
    limit : float, optional
        Colour limit (symmetric about 0); default: :func:`~embedpool_utils.plotting.style.colour_limit` of ``x``.
    averaged_axis : {0, 1, 2}, optional
        Draw arrows along the axis that an average runs over.
    padding : array_like of bool, shape (batch, seq_len), optional
        Token positions that are padding: their rows are faded, crossed out
        (hatched) and outlined (not marked by colour alone).
    colorbar : bool
        Add a colour bar (a figure that draws a result on the same scale
        beside the tensor gives the colour bar to the result instead).

    Raises
    ------
    ValueError
        If ``x`` is not 3-D, or ``highlight`` or ``padding`` has another shape.
    """
    import matplotlib.patches as patches

    x = np.asarray(x, dtype=float)
    if x.ndim != 3:
        raise ValueError(f"draw_block needs a 3-D (batch, seq_len, embedding_dim) array; got shape {x.shape}")
    batch, seq_len, dim = x.shape
    bound = limit if limit is not None else colour_limit(x)
    gap = 1.6
    keep = None if highlight is None else np.asarray(highlight, dtype=bool)
    if keep is not None and keep.shape != x.shape:
        raise ValueError(f"highlight must have the shape of x, {x.shape}; got {keep.shape}")
    pad = None if padding is None else np.asarray(padding, dtype=bool)
    if pad is not None and pad.shape != x.shape[:2]:
        raise ValueError(f"padding must have shape (batch, seq_len) = {x.shape[:2]}; got {pad.shape}")
    if pad is not None:
        keep = ~np.broadcast_to(pad[:, :, None], x.shape) if keep is None else keep & ~pad[:, :, None]
    image = None
    for b in range(batch):
        left = b * (dim + gap)
        extent = (left - 0.5, left + dim - 0.5, seq_len - 0.5, -0.5)
        image = ax.imshow(
            x[b], cmap=DIVERGING_CMAP, vmin=-bound, vmax=bound, extent=extent, interpolation="nearest", aspect="auto"
        )
        if keep is not None:
            fade = np.zeros((seq_len, dim, 4))
            fade[..., :3] = 1.0
            fade[..., 3] = np.where(keep[b], 0.0, 0.75)
            ax.imshow(fade, extent=extent, interpolation="nearest", aspect="auto")
            padded_rows = set() if pad is None else set(np.flatnonzero(pad[b]).tolist())
            _mark_faded(ax, ~keep[b], left, skip_rows=padded_rows)
            for row in sorted(padded_rows):
                ax.add_patch(
                    patches.Rectangle(
                        (left - 0.5, row - 0.5),
                        dim,
                        1,
                        fill=False,
                        hatch=PADDING_HATCH,
                        linewidth=1.5,
                        edgecolor=OKABE_ITO["black"],
                    )
                )
        ax.add_patch(
            patches.Rectangle((left - 0.5, -0.5), dim, seq_len, fill=False, linewidth=2, edgecolor=OKABE_ITO["black"])
        )
        ax.text(left + (dim - 1) / 2, -0.7, f"x[{b}]", ha="center", va="bottom", fontsize=13)
        if averaged_axis == 1:
            ax.annotate(
                "", xy=(left + dim - 0.5 + 0.6, seq_len - 0.7), xytext=(left + dim - 0.5 + 0.6, -0.3), arrowprops=_ARROW
            )
        elif averaged_axis == 2:
            ax.annotate(
                "",
                xy=(left + dim - 0.3, seq_len + 0.1),
                xytext=(left - 0.7, seq_len + 0.1),
                arrowprops=_ARROW,
                annotation_clip=False,
            )
    if averaged_axis == 0 and batch > 1:
        _draw_across_samples(ax, batch, seq_len, dim, gap)
    ax.set_xlim(-0.8, batch * (dim + gap) - gap - 0.2 + (0.8 if averaged_axis == 1 else 0))
    ax.set_ylim(seq_len - 0.5 + (0.9 if averaged_axis in (0, 2) else 0), -1.6)
    ax.set_xticks(
        [b * (dim + gap) + c for b in range(batch) for c in (0, dim - 1)],
        [str(c) for _ in range(batch) for c in (0, dim - 1)],
    )
    ax.set_yticks([0, seq_len - 1])
    ax.set_xlabel("axis 2: features of each token")
    ax.set_ylabel("axis 1: tokens")
    ax.set_title(title or f"shape {x.shape}: {batch} matrices of {seq_len} x {dim}")
    ax.spines[["left", "bottom"]].set_visible(False)
    if colorbar and image is not None:  # no colour bar for an empty batch: nothing was drawn
        ax.figure.colorbar(image, ax=ax, shrink=0.8, label="value")


FADED_HATCH = "/"  # thin grey lines: a faded cell does not pass for a value near 0
PADDING_HATCH = "xx"  # padding is crossed out, as in notebook 06's bags
FADED_EDGE = "#808080"


def _mark_faded(ax: Axes, faded: np.ndarray, left: float, *, skip_rows: set[int]) -> None:
    """Hatch every run of faded cells of one sample's (seq_len, dim) matrix, row by row (padding rows aside)."""
    import matplotlib.patches as patches

    for row in range(faded.shape[0]):
        if row in skip_rows:
            continue
        columns = np.flatnonzero(faded[row])
        if not columns.size:
            continue
        # split the row's faded columns into runs of neighbours: one patch per run
        runs = np.split(columns, np.flatnonzero(np.diff(columns) > 1) + 1)
        for run in runs:
            ax.add_patch(
                patches.Rectangle(
                    (left + run[0] - 0.5, row - 0.5),
                    len(run),
                    1,
                    fill=False,
                    hatch=FADED_HATCH,
                    linewidth=0,
                    edgecolor=FADED_EDGE,
                )
            )


def _sample_cells(seq_len: int, dim: int) -> list[tuple[int, int]]:
    """The (token, feature) cells that the axis-0 drawing joins across the samples: up to three, spread out."""
    cells = [(seq_len // 5, dim // 5), (seq_len // 2, (dim - 1) // 2), ((4 * seq_len) // 5, (4 * dim) // 5)]
    return sorted(set(cells))


def _draw_across_samples(ax: Axes, batch: int, seq_len: int, dim: int, gap: float) -> None:
    """Axis 0: join the same (token, feature) cell of every sample with an arrow, and say so in words.

    One arrow under the matrices read as "across the features"; arrows that
    start and end on the *same* outlined cell of neighbouring samples cannot
    be read that way, and a "+" between the samples says what happens to them.
    """
    import matplotlib.patches as patches
    from matplotlib.patheffects import withStroke

    halo: list[AbstractPathEffect] = [
        withStroke(linewidth=5, foreground="white")
    ]  # visible on dark and light cells alike
    for b in range(batch):
        left = b * (dim + gap)
        for token, feature in _sample_cells(seq_len, dim):
            cell = ax.add_patch(
                patches.Rectangle(
                    (left + feature - 0.5, token - 0.5),
                    1,
                    1,
                    fill=False,
                    linewidth=3,
                    edgecolor=OKABE_ITO["black"],
                    zorder=3,
                )
            )
            cell.set_path_effects(halo)
            if b + 1 < batch:
                arrow = ax.annotate(
                    "",
                    xy=(left + dim + gap + feature - 0.35, token),
                    xytext=(left + feature + 0.35, token),
                    zorder=4,
                    arrowprops={**_ARROW, "lw": 2.5, "connectionstyle": "arc3,rad=-0.25"},
                )
                assert arrow.arrow_patch is not None, "annotate draws an arrow when given arrowprops"
                arrow.arrow_patch.set_path_effects(halo)
        if b + 1 < batch:  # between two samples: what happens to their matching cells
            ax.text(
                left + dim - 0.5 + gap / 2,
                (seq_len - 1) / 2,
                "+",
                ha="center",
                va="center",
                fontsize=22,
                fontweight="bold",
            )
    ax.text(
        (batch * (dim + gap) - gap - 1) / 2,
        seq_len + 0.1,
        "arrows: the same cell, across samples",
        ha="center",
        va="top",
        fontsize=13,
        color=OKABE_ITO["vermillion"],
        fontweight="bold",
    )


@styled
def plot_block(
    x: ArrayLike,
    *,
    highlight: ArrayLike | None = None,
    title: str | None = None,
    averaged_axis: int | None = None,
    padding: ArrayLike | None = None,
) -> Figure:
    """A figure with one :func:`draw_block` drawing of ``x`` (batch, seq_len, embedding_dim).

    Parameters
    ----------
    x : array_like, shape (batch, seq_len, embedding_dim)
    highlight : array_like of bool, shape like ``x``, optional
        Cells to keep bright; the others are faded.
    title : str, optional
        Default: the shape.
    averaged_axis : {0, 1, 2}, optional
        Draw arrows along the axis that an average runs over.
    padding : array_like of bool, shape (batch, seq_len), optional
        Padding positions, hatched and outlined.

    Returns
    -------
    Figure
        ``batch`` matrices of (seq_len, embedding_dim) side by side, with alt text attached.
    """
    x = np.asarray(x)
    width = min(14.0, 3.0 + 1.1 * x.shape[0] * (x.shape[2] + 1.6) * 0.45)
    fig, (ax,) = new_figure(size=(width, 5.0))
    draw_block(ax, x, highlight=highlight, title=title, averaged_axis=averaged_axis, padding=padding)
    description = block_description(x.shape, averaged_axis, padding)
    return set_alt_text(fig, f"{description} Values range {value_range(x)}.")


@styled
def plot_slices(x: ArrayLike, slices: Mapping[str, Any]) -> Figure:
    """One block drawing per slice, with the sliced cells bright and the rest faded.

    Parameters
    ----------
    x : array_like, shape (batch, seq_len, embedding_dim)
    slices : dict of str -> index
        Label (e.g. ``"x[:, 3]"``) -> a numpy index (e.g. ``np.s_[:, 3]``).

    Returns
    -------
    Figure
        One row of axes, each titled with the slice and the shape it gives.
    """
    x = np.asarray(x)
    fig, axes = new_figure(1, len(slices), size=(9.0, 3.6 * len(slices)))
    limit = colour_limit(x)
    kept = []
    for ax, (label, index) in zip(axes, slices.items()):
        keep = np.zeros(x.shape, dtype=bool)
        keep[index] = True
        draw_block(ax, x, highlight=keep, limit=limit, title=f"{label}  ->  shape {x[index].shape}")
        kept.append(f"{label} keeps {int(keep.sum())} numbers, shape {x[index].shape}")
    return set_alt_text(
        fig,
        (
            f"{len(slices)} drawings of the same tensor of shape {x.shape}, one per slice, the sliced cells "
            f"bright and the rest faded and hatched in grey: {'; '.join(kept)}."
        ),
    )
