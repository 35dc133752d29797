"""What the four explorers of notebooks 01-04 draw and say: one view function each, no widgets.

A view function (``lookup_view(...) -> View``) returns a figure with
alternative text, the sentence that goes with it, and ``update(**inputs)``,
which redraws both; :mod:`~embedpool_utils.explorers` wires ipywidgets
controls to it. The views run without ipywidgets, so tests and the static
pictures use them directly. matplotlib is imported only when a view is made.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from embedpool_utils import core, shapes
from embedpool_utils.explorers.base import View, redrawing_view
from embedpool_utils.plain_text import plural
from embedpool_utils.plotting.display import set_alt_text
from embedpool_utils.plotting.lookup import draw_lookup, lookup_description
from embedpool_utils.plotting.pooling import (
    AVERAGE_IN_WORDS,
    RESULT_IN_WORDS,
    average_description,
    data_format_description,
    draw_average,
    draw_data_format,
)
from embedpool_utils.plotting.tensor import block_description, draw_block
from embedpool_utils.validation import positive_int

if TYPE_CHECKING:  # pragma: no cover - for type hints only
    from matplotlib.figure import Figure

__all__ = [
    "AVERAGING_IDS",
    "averaging_result",
    "averaging_view",
    "data_format_sentence",
    "data_format_view",
    "lookup_view",
    "parse_ids",
    "shape_view",
]


# ---- notebook 01: lookup view -----------------------------------------------


def parse_ids(text: str | Sequence[int]) -> list[int]:
    """Read token ids typed as ``"3, 7, 3"`` (commas and/or spaces); a sequence passes through.

    Parameters
    ----------
    text : str or sequence of int
        What the learner typed (brackets around it are ignored), or ids already
        given as numbers.

    Returns
    -------
    list of int
        The ids in the order given, length = number of ids.

    Raises
    ------
    ValueError
        If a piece of the text is not a whole number.

    Examples
    --------
    >>> parse_ids("3, 7 3")
    [3, 7, 3]
    """
    if not isinstance(text, str):
        return [int(i) for i in text]
    pieces = [p for p in re.split(r"[\s,;]+", text.strip().strip("[]()")) if p]
    bad = [p for p in pieces if not re.fullmatch(r"[+-]?\d+", p)]
    if bad:
        raise ValueError(f"ids must be whole numbers separated by commas; could not read {bad[0]!r}")
    return [int(p) for p in pieces]


def _draw_lookup(figure: Figure, *, table: np.ndarray, ids: str | Sequence[int], selected_id: int) -> str:
    axes = figure.subplots(1, 2)
    try:
        id_list = parse_ids(ids)
        core.embedding_lookup(table, np.asarray(id_list, dtype=int))
    except (ValueError, IndexError, TypeError) as error:
        draw_lookup(axes, table, [], selected_id=selected_id)
        sentence = f"Cannot look these ids up: {error}"
        set_alt_text(figure, f"The embedding table {table.shape} and an empty output. {sentence}")
        return sentence
    draw_lookup(axes, table, id_list, selected_id=selected_id)
    set_alt_text(figure, lookup_description(table.shape, id_list, selected_id))
    positions = [i for i, t in enumerate(id_list) if t == selected_id]
    text = f"ids {id_list} -> output shape ({len(id_list)}, {table.shape[1]}). "
    if not positions:
        return text + f"Id {selected_id} (row {selected_id} of the table) is not in this sequence."
    text += (
        f"Id {selected_id} reads row {selected_id} of the table; it stands at "
        f"{plural(len(positions), 'position')} ({', '.join(map(str, positions))})"
    )
    if len(positions) > 1:
        return text + ", so those output rows are identical."
    return text + "."


def lookup_view(
    ids: str | Sequence[int] = "25, 19, 15, 8, 9, 25",
    selected_id: int = 25,
    *,
    vocab_size: int = 30,
    embedding_dim: int = 7,
    seed: int = 0,
) -> View:
    """The lookup of ``ids`` in a seeded (vocab_size, embedding_dim) table, one id singled out.

    Left: the table with every row read outlined (the selected id's row in blue);
    right: the output, one row per id, shape (len(ids), embedding_dim).

    Parameters
    ----------
    ids : str or sequence of int
        Token ids, e.g. ``"25, 19, 15, 8, 9, 25"``. Invalid ids give a sentence
        that says why, not an exception.
    selected_id : int
        The id whose row and output positions are outlined in blue.
    vocab_size, embedding_dim, seed : int
        The table: ``init_embedding(vocab_size, embedding_dim, seed=seed)``.

    Returns
    -------
    View
        ``view.update(ids=..., selected_id=...)`` redraws it.
    """
    table = core.init_embedding(vocab_size, embedding_dim, seed=seed)

    def draw(figure: Figure, ids: str | Sequence[int], selected_id: int) -> str:
        return _draw_lookup(figure, table=table, ids=ids, selected_id=selected_id)

    return redrawing_view(draw, (10.0, 6.0), ids=ids, selected_id=selected_id)


# ---- notebook 02: shape view -----------------------------------------------


def _embedded_batch(batch: int, seq_len: int, embedding_dim: int, *, vocab_size: int = 30, seed: int = 0) -> np.ndarray:
    """A seeded batch of random ids (batch, seq_len) embedded with a seeded table."""
    rng = np.random.default_rng(seed)
    ids = rng.integers(0, vocab_size, size=(batch, seq_len))
    return core.embedding_lookup(core.init_embedding(vocab_size, embedding_dim, seed=seed), ids)


def _draw_shape(figure: Figure, *, batch: int, seq_len: int, embedding_dim: int) -> str:
    x = _embedded_batch(batch, seq_len, embedding_dim)
    draw_block(figure.subplots(), x)
    set_alt_text(figure, block_description(x.shape))
    sample = "matrix" if batch == 1 else "matrices"
    return (
        f"batch={batch}, seq_len={seq_len}, embedding_dim={embedding_dim} -> output shape {x.shape}: "
        f"{batch} {sample} of {seq_len} rows (one per token) x {embedding_dim} columns (features)."
    )


def shape_view(batch: int = 2, seq_len: int = 10, embedding_dim: int = 7) -> View:
    """The output block of an embedding layer for a batch of random ids.

    Parameters
    ----------
    batch, seq_len, embedding_dim : int
        The output has shape (batch, seq_len, embedding_dim).

    Returns
    -------
    View
        The block drawn as ``batch`` matrices of seq_len x embedding_dim, and a
        sentence with the shape.

    Raises
    ------
    TypeError, ValueError
        If a size is not a positive int.
    """
    sizes = {
        name: positive_int(value, name)
        for name, value in (("batch", batch), ("seq_len", seq_len), ("embedding_dim", embedding_dim))
    }
    return redrawing_view(_draw_shape, (11.0, 5.0), **sizes)


# ---- notebook 03: averaging view -------------------------------------------


AVERAGING_IDS = np.array([[5, 12, 7, 3, 18, 9, 22, 4, 11, 27], [8, 14, 2, 19, 6, 10, 0, 0, 0, 0]])
_AXIS_MEANING = {
    0: "over the samples: one 'average sentence' of 10 tokens x 7 features (mixes different sentences)",
    1: "over the tokens: one 7-vector per sentence (what GlobalAveragePooling1D does)",
    2: "over the features: one number per token",
}


def averaging_result(axis: int, keepdims: bool = False, masked: bool = False) -> tuple[np.ndarray, np.ndarray, str]:
    """The averaging explorer's numbers: (x, result, sentence) for the demo batch.

    ``x`` is the (2, 10, 7) embedding of :data:`AVERAGING_IDS` (the second
    sentence has 4 padding tokens, id 0). With ``masked`` and ``axis=1`` the
    padding is left out as ``Embedding(mask_zero=True)`` + GlobalAveragePooling1D
    does; a token mask does not apply to the other axes, and the sentence says so.

    Parameters
    ----------
    axis : {0, 1, 2}
        Which axis of the (2, 10, 7) batch the mean collapses.
    keepdims : bool
        Keep the averaged axis with length 1.
    masked : bool
        Leave the padding out of an average over the tokens (axis 1).

    Returns
    -------
    x : ndarray, shape (2, 10, 7)
        The embedded demo batch.
    result : ndarray
        The average: shape (10, 7), (2, 7) or (2, 10) for axis 0, 1 or 2, with
        the averaged axis kept as length 1 when ``keepdims``.
    sentence : str
        The call, the shapes before and after, and what was averaged, in words.

    Raises
    ------
    ValueError
        If ``axis`` is not 0, 1 or 2.
    """
    if axis not in (0, 1, 2):
        raise ValueError(f"axis must be 0, 1 or 2 for a 3-D tensor; got {axis!r}")
    x = core.embedding_lookup(core.init_embedding(30, 7, seed=0), AVERAGING_IDS)
    if masked and axis == 1:
        result = core.global_average_pool_1d(x, mask=core.padding_mask(AVERAGING_IDS), keepdims=keepdims)
        how = "masked mean over the real tokens only (10 and 6): one 7-vector per sentence"
    else:
        result = x.mean(axis=axis, keepdims=keepdims)
        how = _AXIS_MEANING[axis]
        if masked:
            how += "; the token mask runs along axis 1, so it does not apply to this average"
    call = "masked mean" if masked and axis == 1 else "x.mean"
    sentence = f"{call}(axis={axis}{', keepdims=True' if keepdims else ''}): {x.shape} -> {result.shape}, {how}."
    return x, result, sentence


def _draw_averaging(figure: Figure, *, axis: int, keepdims: bool, masked: bool) -> str:
    x, result, sentence = averaging_result(axis, keepdims, masked)
    left, right = figure.subplots(1, 2, gridspec_kw={"width_ratios": [2.2, 1]})
    use_mask = masked and axis == 1
    padding = ~core.padding_mask(AVERAGING_IDS) if use_mask else None
    draw_average(
        left,
        right,
        x,
        result,
        axis=axis,
        padding=padding,
        block_title=f"input {x.shape}, axis {axis}: {AVERAGE_IN_WORDS[axis]}",
        result_title=f"result {result.shape}:\n{RESULT_IN_WORDS[axis]}",
    )
    faded = " The padding tokens are hatched and outlined: the mask leaves them out." if use_mask else ""
    set_alt_text(figure, average_description(x.shape, result.shape, axis) + faded)
    return sentence


def averaging_view(axis: int = 1, keepdims: bool = False, masked: bool = False) -> View:
    """The demo batch (2, 10, 7) averaged along ``axis``: the block with an arrow, and the result.

    Parameters
    ----------
    axis : {0, 1, 2}
        Which axis the mean collapses.
    keepdims : bool
        Keep the averaged axis with length 1 (the sentence shows the shape).
    masked : bool
        Leave the padding out (only meaningful for ``axis=1``; the sentence says so otherwise).

    Returns
    -------
    View
        ``view.update(axis=..., keepdims=..., masked=...)`` redraws it.
    """
    averaging_result(axis)  # validates axis before a figure is made
    return redrawing_view(_draw_averaging, (12.0, 5.0), axis=axis, keepdims=keepdims, masked=masked)


# ---- notebook 04: data_format view -----------------------------------------


def data_format_sentence(data_format: shapes.DataFormat, batch: int, seq_len: int, embedding_dim: int) -> str:
    """What GlobalAveragePooling1D(data_format=...) averages in a (batch, seq_len, embedding_dim) output.

    Parameters
    ----------
    data_format : {"channels_last", "channels_first"}
    batch, seq_len, embedding_dim : int
        Sizes of the embedding output.

    Returns
    -------
    str
        How the layer reads the three axes, what it averages and the pooled
        shape, (batch, embedding_dim) or (batch, seq_len).

    Raises
    ------
    ValueError
        If ``data_format`` is not one of the two names.
    """
    axis = shapes.pooled_axis(data_format)
    shape = (batch, seq_len, embedding_dim)
    if axis == 1:
        return (
            f"channels_last reads {shape} as (batch, steps={seq_len}, features={embedding_dim}) and averages "
            f"the {seq_len} tokens of each sentence -> ({batch}, {embedding_dim}): one {embedding_dim}-vector "
            f"per sentence. (channels_first would give ({batch}, {seq_len}).)"
        )
    return (
        f"channels_first reads {shape} as (batch, channels={seq_len}, steps={embedding_dim}) and averages "
        f"the {embedding_dim} features of each token -> ({batch}, {seq_len}): one number per token. "
        f"(channels_last would give ({batch}, {embedding_dim}).)"
    )


def _draw_data_format(figure: Figure, *, data_format: shapes.DataFormat, seq_len: int, embedding_dim: int) -> str:
    x = _embedded_batch(2, seq_len, embedding_dim)
    left, right = figure.subplots(1, 2, gridspec_kw={"width_ratios": [2.2, 1]})
    pooled_shape = draw_data_format(left, right, x, data_format)
    set_alt_text(figure, data_format_description(x.shape, data_format, pooled_shape))
    return data_format_sentence(data_format, 2, seq_len, embedding_dim)


def data_format_view(
    data_format: shapes.DataFormat = "channels_last", seq_len: int = 10, embedding_dim: int = 7
) -> View:
    """GlobalAveragePooling1D on a (2, seq_len, embedding_dim) embedding output, for one data_format.

    Parameters
    ----------
    data_format : {"channels_last", "channels_first"}
    seq_len, embedding_dim : int
        Sizes of the embedding output.

    Returns
    -------
    View
        ``view.update(data_format=..., seq_len=..., embedding_dim=...)`` redraws it.

    Raises
    ------
    ValueError
        If ``data_format`` is not one of the two names.
    """
    shapes.pooled_axis(data_format)  # a clear error for an unknown name, before drawing
    return redrawing_view(
        _draw_data_format, (12.0, 5.0), data_format=data_format, seq_len=seq_len, embedding_dim=embedding_dim
    )
