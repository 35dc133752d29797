"""The series' figure style and drawing primitives: colours, projector style, heatmaps, outlines.

Every figure of the series is made from these pieces, so that all of them read
alike: large type for a projector, colour-blind-safe colours, labelled axes.
matplotlib is imported inside the functions, so importing this module stays
light.

Colours: sequential data uses ``cividis`` and signed data (embedding values,
centred on 0) uses ``PuOr``, both readable with the common colour-vision
deficiencies; lines and highlights use the Okabe-Ito palette below.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import numpy as np
from numpy.typing import ArrayLike

if TYPE_CHECKING:  # pragma: no cover - for type hints only
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.image import AxesImage
    from matplotlib.typing import RcKeyType

__all__ = [
    "DIVERGING_CMAP",
    "OKABE_ITO",
    "SEQUENTIAL_CMAP",
    "colour_limit",
    "draw_heatmap",
    "log_scale_in_decades",
    "new_figure",
    "outline_rows",
    "projector_style",
    "styled",
    "value_range",
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
PROJECTOR_RC: dict[RcKeyType, Any] = {
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

    with plt.rc_context(PROJECTOR_RC):
        yield


_P = ParamSpec("_P")
_R = TypeVar("_R")


def styled(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run a drawing function inside :func:`projector_style`.

    Titles and labels take their sizes from the style when they are drawn, not
    when the figure is made, so the whole function runs in it.

    Parameters
    ----------
    function : callable
        A function that draws (a figure function or a ``draw_*`` helper).

    Returns
    -------
    callable
        ``function`` with the same signature, run in the series' style.
    """

    @functools.wraps(function)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with projector_style():
            return function(*args, **kwargs)

    return wrapper


@styled
def new_figure(
    ncols: int = 1, nrows: int = 1, *, size: tuple[float, float] = (8.0, 4.5), **kwargs: Any
) -> tuple[Figure, np.ndarray]:
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

    fig, axes = plt.subplots(nrows, ncols, figsize=size, squeeze=False, layout="constrained", **kwargs)
    return fig, axes.ravel()


def colour_limit(*arrays: ArrayLike) -> float:
    """The symmetric colour limit that shows every value of ``arrays``: their largest absolute value.

    NaN and empty arrays are ignored; if nothing is left, or everything is 0,
    the limit is 1.0 (a colour scale needs a non-zero width).

    Parameters
    ----------
    *arrays : array_like of numbers, any shapes
        E.g. a (vocab_size, embedding_dim) table and a (seq_len, embedding_dim) lookup.

    Returns
    -------
    float
        Greater than 0: the colour scale runs from ``-limit`` to ``limit``.

    Examples
    --------
    >>> colour_limit([[0.5, -2.0]], [1.0])
    2.0
    >>> colour_limit([], [[0.0]])
    1.0
    """
    largest = 0.0
    for values in arrays:
        data = np.abs(np.asarray(values, dtype=float))
        if np.isfinite(data).any():
            largest = max(largest, float(np.nanmax(data)))
    return largest or 1.0


def outline_rows(
    ax: Axes,
    rows: ArrayLike,
    width: int,
    *,
    colour: str = OKABE_ITO["vermillion"],
    linewidth: float = 3,
    hatch: str | None = None,
) -> None:
    """Outline whole rows of a heatmap drawn with ``imshow`` (row ``r`` spans y = r - 0.5 ... r + 0.5).

    Parameters
    ----------
    ax : Axes
    rows : array_like of int, shape (n,)
        The rows to outline; a row given twice is outlined once.
    width : int
        Number of columns of the heatmap.
    colour : str
        Outline colour.
    linewidth : float
    hatch : str, optional
        A hatch pattern inside the outline (e.g. ``"xx"`` to cross a row out),
        so that the mark does not rely on colour alone.
    """
    import matplotlib.patches as patches

    for row in np.unique(np.asarray(rows, dtype=int)):
        ax.add_patch(
            patches.Rectangle(
                (-0.5, row - 0.5), width, 1, fill=False, edgecolor=colour, linewidth=linewidth, hatch=hatch
            )
        )


@styled
def draw_heatmap(
    ax: Axes,
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
    colorbar_label: str = "value",
    tick_every: int | None = None,
) -> AxesImage:
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
        Colour scale limit; default: :func:`colour_limit` of the values.
    highlight_rows : array_like of int, shape (n_rows,), optional
        Rows to outline (e.g. the rows a lookup reads).
    highlight_color : str
        Outline colour.
    colorbar : bool
        Add a colour bar.
    colorbar_label : str
        What the colour bar's colours mean.
    tick_every : int, optional
        Label every n-th row and column; default: all when there are at most
        12, else about 10 labels.

    Returns
    -------
    matplotlib.image.AxesImage
        The image, so a caller can attach a colour bar to it.

    Raises
    ------
    ValueError
        If ``values`` is not 2-D.
    """
    data = np.asarray(values, dtype=float)
    if data.ndim != 2:
        raise ValueError(f"a heatmap needs a 2-D array; got shape {data.shape}")
    if signed:
        bound = limit if limit is not None else colour_limit(data)
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
        outline_rows(ax, highlight_rows, data.shape[1], colour=highlight_color)
    if colorbar:
        ax.figure.colorbar(image, ax=ax, shrink=0.8, label=colorbar_label)
    return image


SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _power_of_ten(value: float, _position: object = None) -> str:
    """A decade tick as plain text, "10⁴"."""
    return "10" + str(round(np.log10(value))).translate(SUPERSCRIPT_DIGITS)


def log_scale_in_decades(ax: Axes, which: str = "y") -> None:
    """Put ``ax``'s x or y axis on a log scale with one plain-text label per decade ("10⁴") and no minor ticks.

    Plain text instead of matplotlib's default mathtext labels: nothing to
    parse (the figure renders several times faster), and readable from the
    back of a room.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    which : {"x", "y"}
    """
    from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

    if which not in ("x", "y"):
        raise ValueError(f"which must be 'x' or 'y'; got {which!r}")
    getattr(ax, f"set_{which}scale")("log")
    axis = getattr(ax, f"{which}axis")
    axis.set_major_locator(LogLocator(base=10, numticks=12))
    axis.set_minor_locator(NullLocator())
    axis.set_major_formatter(FuncFormatter(_power_of_ten))


def value_range(values: ArrayLike) -> str:
    """The range of ``values`` in words, for alternative text: ``"from -0.05 to 0.05"``.

    Two decimals, so that the last bits of a float sum (which differ between
    machines and library versions) never change the text.

    Parameters
    ----------
    values : array_like of numbers, any shape
        NaN and infinite values are left out.

    Returns
    -------
    str
        ``"from LOW to HIGH"``, or ``"with no finite values"``.

    Examples
    --------
    >>> value_range([[0.5, -0.25], [0.125, 0.0]])
    'from -0.25 to 0.50'
    """
    data = np.asarray(values, dtype=float)
    data = data[np.isfinite(data)]
    if data.size == 0:
        return "with no finite values"
    low, high = (f"{float(v):.2f}".replace("-0.00", "0.00") for v in (data.min(), data.max()))
    return f"from {low} to {high}"
