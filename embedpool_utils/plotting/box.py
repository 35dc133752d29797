"""The 3-D picture of an embedding output: a labelled box, batch x tokens x features, with words on its token rows.

The learner's question is about a 3-D tensor, so notebook 02 draws it once
as a box: one card per sentence (axis 0), stacked one behind the other, each
card a grid of token rows (axis 1, its words written beside them) by feature
columns (axis 2). Notebooks 03 and 04 draw the same box again beside what a
pooling leaves of it, the pooled axis squashed to length 1. The picture holds
no values, only the axes: the heatmaps show the numbers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from embedpool_utils.plotting.display import set_alt_text
from embedpool_utils.plotting.style import OKABE_ITO, new_figure, styled

if TYPE_CHECKING:  # pragma: no cover - for type hints only
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["AXIS_NAMES", "TOY_VOCABULARY", "box_description", "draw_box", "plot_box", "words_of"]

AXIS_NAMES = {0: "batch", 1: "tokens", 2: "features"}
# A word for each id of the series' 30-row tables, so that a picture can write words on the token rows.
TOY_VOCABULARY = (
    "<pad>", "the", "a", "film", "plot", "was", "is", "not", "good", "bad",
    "great", "dull", "actors", "story", "very", "and", "but", "i", "it", "loved",
    "hated", "music", "too", "long", "short", "funny", "sad", "end", "really", "so",
)  # fmt: skip
# Where each card behind the front one sits: a step right and up, in cell units.
DEPTH_STEP = (1.1, -0.8)
CARD_FILL = "#E0E0E0"
RESULT_FILL = OKABE_ITO["sky_blue"]
EDGE = OKABE_ITO["black"]


def words_of(ids: Sequence[int]) -> list[str]:
    """The words of :data:`TOY_VOCABULARY` for a sentence of token ids 0 ... 29 (0 is ``"<pad>"``).

    Parameters
    ----------
    ids : sequence of int, shape (seq_len,)

    Returns
    -------
    list of str, length seq_len

    Raises
    ------
    IndexError
        If an id has no word (not in 0 ... 29).

    Examples
    --------
    >>> words_of([3, 5, 0])
    ['film', 'was', '<pad>']
    """
    words = []
    for token in ids:
        if not 0 <= int(token) < len(TOY_VOCABULARY):
            raise IndexError(f"ids must be 0 ... {len(TOY_VOCABULARY) - 1} to have a word; got {int(token)}")
        words.append(TOY_VOCABULARY[int(token)])
    return words


def _check_box(shape: Sequence[int], words: Sequence[str] | None, pooled_axis: int | None) -> tuple[int, int, int]:
    if len(shape) != 3 or any(int(n) < 1 for n in shape):
        raise ValueError(f"shape must be (batch, seq_len, embedding_dim), three sizes >= 1; got {tuple(shape)}")
    batch, seq_len, dim = (int(n) for n in shape)
    if words is not None and len(words) != seq_len:
        raise ValueError(f"words must give one word per token row, {seq_len}; got {len(words)}")
    if pooled_axis not in (None, 0, 1, 2):
        raise ValueError(f"pooled_axis must be 0, 1, 2 or None; got {pooled_axis!r}")
    return batch, seq_len, dim


@styled
def draw_box(
    ax: Axes,
    shape: Sequence[int],
    *,
    words: Sequence[str] | None = None,
    title: str,
    squashed_axis: int | None = None,
    frame: Sequence[int] | None = None,
) -> None:
    """Draw a (batch, seq_len, embedding_dim) tensor as a labelled box on ``ax``.

    Parameters
    ----------
    ax : Axes
    shape : (int, int, int)
        (batch, seq_len, embedding_dim).
    words : sequence of str, length seq_len, optional
        The front sentence's words, written beside its token rows.
    title : str
    squashed_axis : {0, 1, 2}, optional
        The axis a pooling collapsed (length 1 in ``shape``): the box is
        filled in blue and its axis label says "pooled".
    frame : (int, int, int), optional
        The shape whose box sets the drawing's limits (default ``shape``), so
        that a pooled box is drawn at the scale of the box it came from.
    """
    import matplotlib.patches as patches

    batch, seq_len, dim = _check_box(shape, words, squashed_axis)
    frame_batch, frame_len, frame_dim = _check_box(frame or shape, None, None)
    fill = RESULT_FILL if squashed_axis is not None else CARD_FILL
    dx, dy = DEPTH_STEP
    for b in reversed(range(batch)):  # the back card first, the front card over it
        x0, y0 = b * dx, b * dy
        layer = 2 * (batch - b)  # a nearer card, and its grid, over the cards behind it
        card = patches.Rectangle((x0, y0), dim, seq_len, facecolor=fill, edgecolor=EDGE, linewidth=2, zorder=layer)
        ax.add_patch(card)
        for row in range(1, seq_len):
            ax.plot([x0, x0 + dim], [y0 + row, y0 + row], color=EDGE, linewidth=0.6, zorder=layer + 1)
        for column in range(1, dim):
            ax.plot([x0 + column, x0 + column], [y0, y0 + seq_len], color=EDGE, linewidth=0.6, zorder=layer + 1)
    # the box's edges along the batch axis, from the front card's corners to the back card's
    back_x, back_y = (batch - 1) * dx, (batch - 1) * dy
    for cx, cy in ((0, 0), (dim, 0), (dim, seq_len)):
        ax.plot([cx, cx + back_x], [cy, cy + back_y], color=EDGE, linewidth=2, zorder=1)
    if words is not None:
        for row, word in enumerate(words):
            ax.text(-0.25, row + 0.5, f"{row}: {word}", ha="right", va="center", fontsize=11)
    elif squashed_axis == 1:
        ax.text(-0.25, 0.5, f"mean of the\n{frame_len} tokens", ha="right", va="center", fontsize=11)
    arrow = {"arrowstyle": "->", "color": EDGE, "lw": 1.5}
    ax.annotate("", xy=(dim, seq_len + 0.6), xytext=(0, seq_len + 0.6), arrowprops=arrow)
    depth_end = (dim + max(back_x, dx) + 0.3, seq_len + min(back_y, dy) + 0.3)
    ax.annotate("", xy=depth_end, xytext=(dim + 0.3, seq_len + 0.3), arrowprops=arrow)
    batch_words = "x[0] in front" if batch > 1 else "the mean of the batch"
    ax.text(depth_end[0] + 0.2, depth_end[1] - 0.1, f"axis 0: batch ({batch})\n{batch_words}", va="bottom", fontsize=11)
    pooled = {axis: " (pooled)" if axis == squashed_axis else "" for axis in range(3)}
    ax.set_xlabel(f"axis 2: features ({dim}){pooled[2]}")
    ax.set_ylabel(f"axis 1: tokens ({seq_len}){pooled[1]}")
    ax.set_title(title)
    word_room = 0.0 if words is None else 0.5 * max(len(f"{i}: {w}") for i, w in enumerate(words))
    frame_back = (frame_batch - 1) * dx
    ax.set_xlim(-0.4 - max(word_room, 4.0), frame_dim + max(frame_back, dx) + 6.5)
    ax.set_ylim(frame_len + 1.4, (frame_batch - 1) * dy - 0.6)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.spines[["left", "bottom"]].set_visible(False)


def box_description(
    shape: Sequence[int], words: Sequence[str] | None = None, pooled_axis: int | None = None, pooled_by: str = ""
) -> str:
    """Alternative text of :func:`plot_box`: the box's axes, its words, and what the pooling leaves.

    Parameters
    ----------
    shape : (int, int, int)
        (batch, seq_len, embedding_dim).
    words : sequence of str, optional
    pooled_axis : {0, 1, 2}, optional
    pooled_by : str
        The pooling in words, e.g. ``"GlobalAveragePooling1D()"``.

    Returns
    -------
    str
    """
    batch, seq_len, dim = _check_box(shape, words, pooled_axis)
    text = (
        f"A box for a tensor of shape {(batch, seq_len, dim)}: {batch} cards stacked one behind the other "
        f"(axis 0, the batch), each {seq_len} token rows (axis 1) by {dim} feature columns (axis 2)."
    )
    if words is not None:
        text += f" The front sentence's words label its rows: {' '.join(words)}."
    if pooled_axis is not None:
        left = [n for axis, n in enumerate((batch, seq_len, dim)) if axis != pooled_axis]
        named = re.sub(r"\(\s+", "(", " ".join(pooled_by.split())) or "the pooling"  # the label, on one line
        text += (
            f" An arrow labelled {named} leads to what is left after averaging axis "
            f"{pooled_axis} ({AXIS_NAMES[pooled_axis]}): a box with that axis squashed to 1, shape {tuple(left)}."
        )
    return text


@styled
def plot_box(
    shape: Sequence[int] = (2, 10, 7),
    words: Sequence[str] | None = None,
    *,
    pooled_axis: int | None = None,
    pooled_by: str = "",
) -> Figure:
    """The 3-D picture of an embedding output, and optionally what a pooling over one axis leaves of it.

    Parameters
    ----------
    shape : (int, int, int)
        (batch, seq_len, embedding_dim).
    words : sequence of str, length seq_len, optional
        The first sentence's words, written beside its token rows.
    pooled_axis : {0, 1, 2}, optional
        The axis a pooling averages: a second box beside the first shows
        the result, that axis squashed to length 1.
    pooled_by : str
        The pooling, as the arrow between the boxes names it (e.g.
        ``'GlobalAveragePooling1D(data_format="channels_first")'``).

    Returns
    -------
    Figure
        One box, or the box and the pooled box, with alt text attached.

    Raises
    ------
    ValueError
        If ``shape`` is not three sizes >= 1, ``words`` does not give one word
        per token, or ``pooled_axis`` is not 0, 1, 2 or None.
    """
    batch, seq_len, dim = _check_box(shape, words, pooled_axis)
    if pooled_axis is None:
        fig, (ax,) = new_figure(size=(7.5, 6.5))
        draw_box(ax, shape, words=words, title=f"embedding output {(batch, seq_len, dim)}")
        return set_alt_text(fig, box_description(shape, words))
    from matplotlib.patches import ConnectionPatch

    squashed = [1 if axis == pooled_axis else n for axis, n in enumerate((batch, seq_len, dim))]
    left = tuple(n for axis, n in enumerate((batch, seq_len, dim)) if axis != pooled_axis)
    fig, axes = new_figure(2, size=(13.0, 6.5))
    draw_box(axes[0], shape, words=words, title=f"embedding output {(batch, seq_len, dim)}")
    draw_box(
        axes[1],
        squashed,
        words=words if pooled_axis != 1 else None,
        title=f"{pooled_by or 'the pooling'}\naverages axis {pooled_axis} ({AXIS_NAMES[pooled_axis]}): {left}",
        squashed_axis=pooled_axis,
        frame=shape,
    )
    axes[1].yaxis.set_label_position("right")  # the gap between the boxes holds the arrow
    fig.add_artist(
        ConnectionPatch(
            xyA=(dim + 5.0, seq_len / 2),
            coordsA=axes[0].transData,
            xyB=(-0.6 - (0.5 * max(len(f"{i}: {w}") for i, w in enumerate(words)) if words else 0.0), seq_len / 2),
            coordsB=axes[1].transData,
            arrowstyle="-|>",
            mutation_scale=25,
            color=OKABE_ITO["vermillion"],
            linewidth=4,
        )
    )
    return set_alt_text(fig, box_description(shape, words, pooled_axis, pooled_by))
