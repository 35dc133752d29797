"""Figures for the notebooks: labelled, colour-blind-safe, legible when projected.

matplotlib is imported inside each function, so ``import embedpool_utils``
(and even ``from embedpool_utils import plotting``) stays light. Every
function returns the matplotlib ``Figure`` it drew and never calls
``plt.show()``; a notebook cell ends with ``plt.show()`` to display it
without printing the figure's repr.

Colours: sequential data uses ``cividis`` and signed data (embedding values,
centred on 0) uses ``PuOr``, both readable with the common colour-vision
deficiencies; highlights use the Okabe-Ito palette below.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator

import numpy as np
from numpy.typing import ArrayLike

if TYPE_CHECKING:  # pragma: no cover - for type hints only
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "DIVERGING_CMAP",
    "OKABE_ITO",
    "SEQUENTIAL_CMAP",
    "draw_heatmap",
    "new_figure",
    "projector_style",
]

SEQUENTIAL_CMAP = "cividis"
DIVERGING_CMAP = "PuOr"
# Okabe & Ito (2008), a palette distinguishable under the common colour-vision deficiencies.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
}

# Large type and thick lines for a projector at the back of a lecture hall;
# a modest dpi keeps the stored PNGs small.
_PROJECTOR_RC = {
    "figure.dpi": 80,
    "savefig.dpi": 80,
    "font.size": 14,
    "axes.titlesize": 16,
    "axes.labelsize": 14,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "legend.fontsize": 12,
    "lines.linewidth": 2.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "image.cmap": SEQUENTIAL_CMAP,
}


@contextmanager
def projector_style() -> Iterator[None]:
    """Context in which figures use the series' large, projector-friendly style."""
    import matplotlib.pyplot as plt

    with plt.rc_context(_PROJECTOR_RC):
        yield


def new_figure(ncols: int = 1, nrows: int = 1, *, size: tuple[float, float] = (8.0, 4.5), **kwargs) -> tuple["Figure", np.ndarray]:
    """A figure in the series' style with a flat array of ``nrows * ncols`` axes.

    Parameters
    ----------
    ncols, nrows : int
        Grid of axes.
    size : (float, float)
        Figure size in inches; at the style's 80 dpi, 8 x 4.5 is 640 x 360 pixels.
    **kwargs
        Passed to ``plt.subplots`` (e.g. ``gridspec_kw``).

    Returns
    -------
    (Figure, ndarray of Axes)
        The axes array is always 1-D, even for a single axes.
    """
    import matplotlib.pyplot as plt

    with projector_style():
        fig, axes = plt.subplots(nrows, ncols, figsize=size, squeeze=False, layout="constrained", **kwargs)
    return fig, axes.ravel()


def draw_heatmap(
    ax: "Axes",
    values: ArrayLike,
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    signed: bool = True,
    limit: float | None = None,
    highlight_rows: ArrayLike | None = None,
    highlight_color: str = OKABE_ITO["vermillion"],
    colorbar: bool = True,
    tick_every: int | None = None,
):
    """Draw a 2-D array as a labelled heatmap on ``ax``; return the image artist.

    Parameters
    ----------
    ax : Axes
        Where to draw.
    values : array_like, shape (rows, cols)
        The numbers; row 0 at the top, as when printing an array.
    title, xlabel, ylabel : str
        Every heatmap in the series says what it shows and what its axes are.
    signed : bool
        True for values centred on 0 (diverging ``PuOr``, symmetric limits);
        False for sequential ``cividis``.
    limit : float, optional
        Colour scale limit; default: the largest absolute value.
    highlight_rows : array_like of int, optional
        Rows to outline (e.g. the rows a lookup reads).
    highlight_color : str
        Outline colour.
    colorbar : bool
        Add a colour bar.
    tick_every : int, optional
        Label every n-th row and column; default: all when there are at most
        12, else about 10 labels.

    Returns
    -------
    matplotlib.image.AxesImage
        The image, so an explorer can update it with ``set_data``.
    """
    data = np.asarray(values, dtype=float)
    if data.ndim != 2:
        raise ValueError(f"a heatmap needs a 2-D array; got shape {data.shape}")
    if signed:
        bound = limit if limit is not None else float(np.nanmax(np.abs(data))) or 1.0
        image = ax.imshow(data, cmap=DIVERGING_CMAP, vmin=-bound, vmax=bound, aspect="auto", interpolation="nearest")
    else:
        image = ax.imshow(data, cmap=SEQUENTIAL_CMAP, aspect="auto", interpolation="nearest")
    for axis_len, set_ticks in ((data.shape[0], ax.set_yticks), (data.shape[1], ax.set_xticks)):
        step = tick_every or (1 if axis_len <= 12 else max(1, round(axis_len / 10)))
        set_ticks(np.arange(0, axis_len, step))
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if highlight_rows is not None:
        import matplotlib.patches as patches

        for row in np.unique(np.asarray(highlight_rows, dtype=int)):
            ax.add_patch(
                patches.Rectangle((-0.5, row - 0.5), data.shape[1], 1, fill=False, edgecolor=highlight_color, linewidth=3)
            )
    if colorbar:
        ax.figure.colorbar(image, ax=ax, shrink=0.8)
    return image


# ---- notebook 01: an embedding is a lookup table ---------------------------

# ---- notebook 02: the 3-D output tensor ------------------------------------

# ---- notebook 03: averaging along an axis ----------------------------------

# ---- notebook 04: the data_format pitfall ----------------------------------

# ---- notebook 05: a tiny classifier ----------------------------------------

# ---- notebook 06: the same pitfalls elsewhere -------------------------------
