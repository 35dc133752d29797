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

import functools
from contextlib import contextmanager
from typing import TYPE_CHECKING, Callable, Iterator, TypeVar

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
    "styled",
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


_F = TypeVar("_F", bound=Callable)


def styled(function: _F) -> _F:
    """Run a drawing function inside :func:`projector_style` (titles and labels take
    their sizes from the style when they are drawn, not when the figure is made)."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with projector_style():
            return function(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


@styled
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


@styled
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


@styled
def plot_table(table: ArrayLike, *, highlight_ids: ArrayLike | None = None, title: str | None = None) -> "Figure":
    """Heatmap of an embedding table, shape (vocab_size, embedding_dim): one row per token id.

    Parameters
    ----------
    table : array_like, shape (vocab_size, embedding_dim)
    highlight_ids : array_like of int, optional
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
        ax, values,
        title=title or f"Embedding table, shape {values.shape}",
        xlabel="feature (column)", ylabel="token id (row)",
        highlight_rows=highlight_ids, tick_every=None,
    )
    return fig


@styled
def draw_lookup(axes, table: ArrayLike, ids: ArrayLike, *, selected_id: int | None = None) -> None:
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
        outlined in a second colour.
    """
    table = np.asarray(table)
    ids = np.asarray(ids, dtype=int).reshape(-1)
    left, right = axes
    limit = float(np.abs(table).max()) or 1.0
    draw_heatmap(left, table, title=f"table {table.shape}: rows read", xlabel="feature",
                 ylabel="token id (row)", limit=limit, highlight_rows=ids, colorbar=False)
    output = table[ids] if ids.size else np.zeros((0, table.shape[1]))
    image = draw_heatmap(right, output if ids.size else np.full((1, table.shape[1]), np.nan),
                         title=f"output {output.shape}: one row per token", xlabel="feature",
                         ylabel="position: id", limit=limit, colorbar=False)
    right.set_yticks(np.arange(ids.size), [f"{i}: {t}" for i, t in enumerate(ids)])
    if selected_id is not None:
        import matplotlib.patches as patches

        colour = OKABE_ITO["blue"]
        left.add_patch(patches.Rectangle((-0.5, selected_id - 0.5), table.shape[1], 1, fill=False,
                                         edgecolor=colour, linewidth=4))
        for position in np.flatnonzero(ids == selected_id):
            right.add_patch(patches.Rectangle((-0.5, position - 0.5), table.shape[1], 1, fill=False,
                                              edgecolor=colour, linewidth=4))
    left.figure.colorbar(image, ax=list(axes), shrink=0.8, label="value")


@styled
def plot_lookup(table: ArrayLike, ids: ArrayLike, *, selected_id: int | None = None) -> "Figure":
    """The table beside the lookup's output, shape (len(ids), embedding_dim); see :func:`draw_lookup`."""
    fig, axes = new_figure(2, size=(10.0, 6.0), gridspec_kw={"width_ratios": [1, 1]})
    draw_lookup(axes, table, ids, selected_id=selected_id)
    return fig


@styled
def plot_cost_comparison(seq_len: int, vocab_size: int, embedding_dim: int) -> "Figure":
    """Bar chart (log scale) of the numbers touched by a lookup vs a one-hot matmul.

    A lookup copies ``seq_len * embedding_dim`` numbers; the one-hot product does
    ``seq_len * vocab_size * embedding_dim`` multiply-adds and first builds a
    ``seq_len * vocab_size`` one-hot matrix.
    """
    lookup = seq_len * embedding_dim
    matmul = seq_len * vocab_size * embedding_dim
    fig, (ax,) = new_figure(size=(7.0, 4.0))
    bars = ax.bar(["lookup\n(copy rows)", "one-hot @ table\n(multiply-adds)"], [lookup, matmul],
                  color=[OKABE_ITO["green"], OKABE_ITO["vermillion"]])
    ax.set_yscale("log")
    ax.bar_label(bars, labels=[f"{lookup:,}", f"{matmul:,}"])
    ax.set_ylabel("operations (log scale)")
    ax.set_xlabel("how the rows are obtained")
    ax.set_title(f"{seq_len} tokens, vocab {vocab_size:,}, dim {embedding_dim}")
    return fig


# ---- notebook 02: the 3-D output tensor ------------------------------------


AXIS_NAMES = ("axis 0: samples (batch)", "axis 1: tokens (seq_len)", "axis 2: features (embedding_dim)")


@styled
def draw_block(
    ax: "Axes",
    x: ArrayLike,
    *,
    highlight: ArrayLike | None = None,
    title: str | None = None,
    limit: float | None = None,
    averaged_axis: int | None = None,
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
        Cells to keep bright; all other cells are faded (e.g. a slice ``x[:, 3]``).
    title : str, optional
        Default: the shape.
    limit : float, optional
        Colour limit (symmetric about 0); default: the largest absolute value.
    averaged_axis : {0, 1, 2}, optional
        Draw arrows along the axis that an average runs over.

    Raises
    ------
    ValueError
        If ``x`` is not 3-D or ``highlight`` has another shape.
    """
    import matplotlib.patches as patches

    x = np.asarray(x, dtype=float)
    if x.ndim != 3:
        raise ValueError(f"draw_block needs a 3-D (batch, seq_len, embedding_dim) array; got shape {x.shape}")
    batch, seq_len, dim = x.shape
    bound = limit if limit is not None else (float(np.nanmax(np.abs(x))) if x.size else 1.0) or 1.0
    gap = 1.6
    keep = None if highlight is None else np.asarray(highlight, dtype=bool)
    if keep is not None and keep.shape != x.shape:
        raise ValueError(f"highlight must have the shape of x, {x.shape}; got {keep.shape}")
    image = None
    for b in range(batch):
        left = b * (dim + gap)
        extent = (left - 0.5, left + dim - 0.5, seq_len - 0.5, -0.5)
        image = ax.imshow(x[b], cmap=DIVERGING_CMAP, vmin=-bound, vmax=bound, extent=extent,
                          interpolation="nearest", aspect="auto")
        if keep is not None:
            fade = np.zeros((seq_len, dim, 4))
            fade[..., :3] = 1.0
            fade[..., 3] = np.where(keep[b], 0.0, 0.75)
            ax.imshow(fade, extent=extent, interpolation="nearest", aspect="auto")
        ax.add_patch(patches.Rectangle((left - 0.5, -0.5), dim, seq_len, fill=False, linewidth=2,
                                       edgecolor=OKABE_ITO["black"]))
        ax.text(left + (dim - 1) / 2, -0.7, f"x[{b}]", ha="center", va="bottom", fontsize=13)
        if averaged_axis == 1:
            ax.annotate("", xy=(left + dim - 0.5 + 0.6, seq_len - 0.7), xytext=(left + dim - 0.5 + 0.6, -0.3),
                        arrowprops={"arrowstyle": "->", "color": OKABE_ITO["vermillion"], "lw": 3})
        elif averaged_axis == 2:
            ax.annotate("", xy=(left + dim - 0.3, seq_len + 0.1), xytext=(left - 0.7, seq_len + 0.1),
                        arrowprops={"arrowstyle": "->", "color": OKABE_ITO["vermillion"], "lw": 3},
                        annotation_clip=False)
    if averaged_axis == 0 and batch > 1:
        ax.annotate("", xy=((batch - 1) * (dim + gap) + dim / 2, seq_len + 0.3), xytext=(dim / 2 - 1, seq_len + 0.3),
                    arrowprops={"arrowstyle": "->", "color": OKABE_ITO["vermillion"], "lw": 3},
                    annotation_clip=False)
    ax.set_xlim(-0.8, batch * (dim + gap) - gap - 0.2 + (0.8 if averaged_axis == 1 else 0))
    ax.set_ylim(seq_len - 0.5 + (0.9 if averaged_axis in (0, 2) else 0), -1.6)
    ax.set_xticks([b * (dim + gap) + c for b in range(batch) for c in (0, dim - 1)],
                  [str(c) for _ in range(batch) for c in (0, dim - 1)])
    ax.set_yticks([0, seq_len - 1])
    ax.set_xlabel("axis 2: features of each token")
    ax.set_ylabel("axis 1: tokens")
    ax.set_title(title or f"shape {x.shape}: {batch} matrices of {seq_len} x {dim}")
    ax.spines[["left", "bottom"]].set_visible(False)
    ax.figure.colorbar(image, ax=ax, shrink=0.8, label="value")


@styled
def plot_block(x: ArrayLike, *, highlight: ArrayLike | None = None, title: str | None = None,
               averaged_axis: int | None = None) -> "Figure":
    """A figure with one :func:`draw_block` drawing of ``x`` (batch, seq_len, embedding_dim)."""
    x = np.asarray(x)
    width = min(14.0, 3.0 + 1.1 * x.shape[0] * (x.shape[2] + 1.6) * 0.45)
    fig, (ax,) = new_figure(size=(width, 5.0))
    draw_block(ax, x, highlight=highlight, title=title, averaged_axis=averaged_axis)
    return fig


@styled
def plot_slices(x: ArrayLike, slices: dict[str, object]) -> "Figure":
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
    limit = float(np.abs(x).max()) or 1.0
    for ax, (label, index) in zip(axes, slices.items()):
        keep = np.zeros(x.shape, dtype=bool)
        keep[index] = True
        draw_block(ax, x, highlight=keep, limit=limit, title=f"{label}  ->  shape {x[index].shape}")
    return fig


# ---- notebook 03: averaging along an axis ----------------------------------


_RESULT_LABELS = {0: ("feature", "token"), 1: ("feature", "sample"), 2: ("token", "sample")}


@styled
def plot_averages(x: ArrayLike) -> "Figure":
    """For each axis of a (batch, seq_len, embedding_dim) tensor: the block with the averaged
    direction marked, and the 2-D result of ``x.mean(axis=a)``.

    Returns
    -------
    Figure
        Three rows (axis 0, 1, 2), each: block on the left, result heatmap on the right.
    """
    x = np.asarray(x, dtype=float)
    fig, axes = new_figure(2, 3, size=(12.0, 12.0), gridspec_kw={"width_ratios": [2.2, 1]})
    limit = float(np.abs(x).max()) or 1.0
    for axis in range(3):
        block_ax, result_ax = axes[2 * axis], axes[2 * axis + 1]
        result = x.mean(axis=axis)
        draw_block(block_ax, x, averaged_axis=axis, limit=limit, title=f"x.mean(axis={axis}): average along the arrows")
        xlabel, ylabel = _RESULT_LABELS[axis]
        draw_heatmap(result_ax, result, title=f"result {result.shape}", xlabel=xlabel, ylabel=ylabel, colorbar=False)
    return fig


@styled
def plot_padding_drift(lengths: ArrayLike, unmasked: ArrayLike, masked: ArrayLike) -> "Figure":
    """Distance of a padded sentence's average from its true average, against the padded length.

    Parameters
    ----------
    lengths : array_like of int, shape (n,)
        Padded lengths.
    unmasked, masked : array_like of float, shape (n,)
        Distance of the plain mean, and of the masked mean, from the mean of the real tokens.
    """
    fig, (ax,) = new_figure(size=(8.0, 4.5))
    ax.plot(lengths, unmasked, marker="o", color=OKABE_ITO["vermillion"], label="plain mean (padding counted)")
    ax.plot(lengths, masked, marker="s", linestyle="--", color=OKABE_ITO["blue"], label="masked mean (padding left out)")
    ax.set_xlabel("padded length (4 real tokens + padding)")
    ax.set_ylabel("distance from the true average")
    ax.set_title("Padding drags the average away; a mask does not")
    ax.legend()
    return fig


# ---- notebook 04: the data_format pitfall ----------------------------------


@styled
def plot_data_formats(x: ArrayLike) -> "Figure":
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
    from embedpool_utils.core import global_average_pool_1d
    from embedpool_utils.shapes import pooled_axis

    x = np.asarray(x, dtype=float)
    fig, axes = new_figure(2, 2, size=(12.0, 8.5), gridspec_kw={"width_ratios": [2.2, 1]})
    limit = float(np.abs(x).max()) or 1.0
    for row, data_format in enumerate(("channels_last", "channels_first")):
        axis = pooled_axis(data_format)
        pooled = global_average_pool_1d(x, data_format=data_format)
        what = "the tokens" if axis == 1 else "the features"
        draw_block(axes[2 * row], x, averaged_axis=axis, limit=limit, title=f"{data_format}: averages {what}")
        draw_heatmap(axes[2 * row + 1], pooled, title=f"pooled {pooled.shape}",
                     xlabel="feature" if axis == 1 else "token", ylabel="sample", colorbar=False)
    return fig


# ---- notebook 05: a tiny classifier ----------------------------------------


_VARIANT_STYLES = ({"color": OKABE_ITO["blue"], "linestyle": "-", "marker": "o"},
                   {"color": OKABE_ITO["green"], "linestyle": "--", "marker": "s"},
                   {"color": OKABE_ITO["vermillion"], "linestyle": ":", "marker": "^"})


@styled
def plot_training_curves(histories: dict[str, dict[str, list[float]]], *, held_out: str) -> "Figure":
    """Training and held-out accuracy per epoch, one colour and line style per model.

    Parameters
    ----------
    histories : dict of str -> dict
        Model name -> ``History.history`` with keys ``"accuracy"`` and ``"val_accuracy"``.
    held_out : str
        Name of the held-out split used as validation data (for the title).
    """
    fig, (train_ax, test_ax) = new_figure(2, size=(12.0, 4.5))
    for style, (name, history) in zip(_VARIANT_STYLES, histories.items()):
        epochs = np.arange(1, len(history["accuracy"]) + 1)
        train_ax.plot(epochs, history["accuracy"], label=name, markersize=5, **style)
        test_ax.plot(epochs, history["val_accuracy"], label=name, markersize=5, **style)
    for ax, title in ((train_ax, "training sentences"), (test_ax, f"held out: {held_out}")):
        ax.set_title(title)
        ax.set_xlabel("epoch")
        ax.set_ylabel("accuracy")
        ax.set_ylim(-0.02, 1.02)
        ax.axhline(0.5, color=OKABE_ITO["black"], linewidth=1, alpha=0.4)
    test_ax.legend(loc="lower left")
    return fig


@styled
def plot_accuracy_bars(accuracy: dict[str, dict[str, float]]) -> "Figure":
    """Grouped bars: held-out accuracy of each model (colour) on each split (group).

    Parameters
    ----------
    accuracy : dict of str -> dict of str -> float
        Split name -> model name -> accuracy in [0, 1].
    """
    splits = list(accuracy)
    models = list(next(iter(accuracy.values())))
    fig, (ax,) = new_figure(size=(12.0, 4.8))
    width = 0.8 / len(models)
    hatches = ("", "//", "..")
    for i, model in enumerate(models):
        positions = np.arange(len(splits)) + (i - (len(models) - 1) / 2) * width
        ax.bar(positions, [accuracy[s][model] * 100 for s in splits], width, label=model,
               color=_VARIANT_STYLES[i % 3]["color"], hatch=hatches[i % 3], edgecolor="white")
    ax.set_xticks(np.arange(len(splits)), splits)
    ax.set_ylabel("held-out accuracy (%)")
    ax.set_xlabel("held-out split")
    ax.set_ylim(0, 105)
    ax.axhline(50, color=OKABE_ITO["black"], linewidth=1, alpha=0.4)
    ax.set_title("Same model, three poolings: accuracy on each held-out split")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=len(models))
    return fig


@styled
def plot_position_weights(weights: ArrayLike, *, trained_positions: tuple[int, int]) -> "Figure":
    """Bar chart of a channels_first model's dense weights, one per token position.

    Parameters
    ----------
    weights : array_like, shape (seq_len,)
    trained_positions : (int, int)
        First and last position that held the sentiment word in training (shaded).
    """
    w = np.asarray(weights, dtype=float).reshape(-1)
    fig, (ax,) = new_figure(size=(8.0, 4.0))
    first, last = trained_positions
    ax.axvspan(first - 0.5, last + 0.5, color=OKABE_ITO["sky_blue"], alpha=0.25, label="sentiment word seen here in training")
    ax.bar(np.arange(w.size), w, color=[OKABE_ITO["blue"] if v >= 0 else OKABE_ITO["vermillion"] for v in w])
    ax.axhline(0, color=OKABE_ITO["black"], linewidth=1)
    ax.set_xticks(np.arange(w.size))
    ax.set_xlabel("token position")
    ax.set_ylabel("dense weight")
    ax.set_title("channels_first: one learned weight per position")
    ax.legend(loc="upper right")
    return fig


@styled
def plot_word_map(coordinates: ArrayLike, words: list[str], groups: list[str]) -> "Figure":
    """Scatter of words in 2-D (e.g. the first two principal components of an embedding table).

    Parameters
    ----------
    coordinates : array_like, shape (n_words, 2)
    words : list of str
        A label for each point.
    groups : list of str
        The group of each word (e.g. "positive"); each group gets its own colour and marker.
    """
    xy = np.asarray(coordinates, dtype=float)
    fig, (ax,) = new_figure(size=(8.0, 6.0))
    palette = [(OKABE_ITO["blue"], "o"), (OKABE_ITO["vermillion"], "s"), (OKABE_ITO["black"], "^"),
               (OKABE_ITO["green"], "D")]
    for (colour, marker), group in zip(palette, dict.fromkeys(groups)):
        chosen = [i for i, g in enumerate(groups) if g == group]
        ax.scatter(xy[chosen, 0], xy[chosen, 1], color=colour, marker=marker, s=80, label=group)
        for i in chosen:
            ax.annotate(words[i], xy[i], textcoords="offset points", xytext=(6, 4), fontsize=12)
    ax.set_xlabel("principal component 1")
    ax.set_ylabel("principal component 2")
    ax.set_title("Learned word vectors, projected to 2-D")
    ax.legend()
    return fig


# ---- notebook 06: the same pitfalls elsewhere -------------------------------


@styled
def plot_bags(table: ArrayLike, indices: ArrayLike, offsets: ArrayLike, bags: ArrayLike, *, padding_idx: int | None = None) -> "Figure":
    """An embedding bag in two panels: the rows of the flat ids, cut into bags, and one mean per bag.

    Parameters
    ----------
    table : array_like, shape (vocab_size, embedding_dim)
    indices : array_like of int, shape (n_ids,)
        All bags' ids one after another.
    offsets : array_like of int, shape (n_bags,)
        Where each bag starts in ``indices``.
    bags : array_like, shape (n_bags, embedding_dim)
        The reduced bags (e.g. from ``frameworks.embedding_bag``).
    padding_idx : int, optional
        Rows of this id are crossed out: they are left out of the mean.
    """
    import matplotlib.patches as patches

    ids = np.asarray(indices, dtype=int)
    starts = np.asarray(offsets, dtype=int)
    rows = np.asarray(table, dtype=float)[ids]
    out = np.asarray(bags, dtype=float)
    limit = float(max(np.abs(rows).max(initial=0), np.abs(out).max(initial=0))) or 1.0
    fig, (left, right) = new_figure(2, size=(11.0, 5.5), gridspec_kw={"width_ratios": [1, 1]})
    draw_heatmap(left, rows, title="looked-up rows, cut into bags", xlabel="feature",
                 ylabel="position in the flat ids", limit=limit, colorbar=False)
    left.set_yticks(np.arange(ids.size), [f"{k}: id {i}" for k, i in enumerate(ids)])
    for start in starts[1:]:
        left.axhline(start - 0.5, color=OKABE_ITO["black"], linewidth=3)
    if padding_idx is not None:
        for k in np.flatnonzero(ids == padding_idx):
            left.add_patch(patches.Rectangle((-0.5, k - 0.5), rows.shape[1], 1, fill=False,
                                             hatch="xx", edgecolor=OKABE_ITO["vermillion"], linewidth=2))
    sizes = np.diff(np.append(starts, ids.size))
    image = draw_heatmap(right, out, title="one mean per bag", xlabel="feature", ylabel="bag",
                         limit=limit, colorbar=False)
    right.set_yticks(np.arange(out.shape[0]), [f"bag {b} ({n} ids)" for b, n in enumerate(sizes)])
    fig.colorbar(image, ax=[left, right], shrink=0.8, label="value")
    return fig


@styled
def plot_dense_parameters(pooled_shapes: dict[str, tuple], parameters: dict[str, int], *, units: int) -> "Figure":
    """Horizontal bars (log scale): parameters of the Dense layer that follows each pooling.

    Parameters
    ----------
    pooled_shapes : dict of str -> tuple
        data_format -> shape of the pooled tensor, e.g. ``(None, 500)``.
    parameters : dict of str -> int
        data_format -> parameter count of the Dense layer after the pooling.
    units : int
        Units of that Dense layer (for the title).
    """
    names = list(parameters)
    counts = [parameters[n] for n in names]
    fig, (ax,) = new_figure(size=(9.0, 3.6))
    colours = [OKABE_ITO["blue"], OKABE_ITO["vermillion"]]
    ax.barh(np.arange(len(names)), counts, color=[colours[i % 2] for i in range(len(names))])
    ax.set_xscale("log")
    ax.set_yticks(np.arange(len(names)), [f"{n}\npooled {pooled_shapes[n]}" for n in names])
    for i, count in enumerate(counts):
        ax.annotate(f"{count:,}", (count, i), textcoords="offset points", xytext=(6, -5))
    ax.set_xlim(1, max(counts) * 20)  # bars start at 1, so a log axis keeps their lengths honest
    ax.invert_yaxis()  # first entry on top
    ax.set_xlabel("parameters (log scale)")
    ax.set_title(f"Dense({units}) after GlobalAveragePooling1D")
    return fig
