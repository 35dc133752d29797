"""Interactive explorers (ipywidgets 8) for the core notebooks.

Each explorer is two layers:

* a plain *view* function, ``something_view(**inputs) -> View``, that draws
  the figure and writes the sentence for given inputs. It needs no browser
  and no widgets, so tests call it directly, and the notebook calls it once
  more to show a static figure for the default inputs (for GitHub's viewer,
  nbviewer or a printed handout, where widgets do not run);
* an *explorer* function, ``something_explorer() -> Explorer``, that wires
  controls to that view. On every change it redraws the same figure (the
  view updates its artists in place) and refreshes the picture and the text.

The picture is an ``ipywidgets.Image`` holding PNG bytes and the sentence an
``ipywidgets.HTML``, so a test can set a control's ``.value`` and read what
changed without a kernel or a browser. An explorer's text repr is a short
deterministic line (strict nbval compares it; the widget model id is not
compared). ipywidgets and matplotlib are imported only when an explorer or
view is made.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Sequence

import numpy as np

from embedpool_utils import core, shapes

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = [
    "Explorer",
    "View",
    "averaging_explorer",
    "averaging_view",
    "data_format_explorer",
    "data_format_view",
    "figure_png",
    "lookup_explorer",
    "lookup_view",
    "redrawing_view",
    "shape_explorer",
    "shape_view",
]


@dataclass
class View:
    """What a view function returns: the figure, a sentence, and how to redraw.

    Attributes
    ----------
    figure : Figure
        The drawn figure.
    text : str
        One or two plain sentences describing what the figure shows
        (shapes, which axis was averaged, ...).
    update : callable
        ``update(**inputs) -> str`` redraws *this* figure for new inputs (by
        updating its artists, not by making a new figure) and returns the new
        text. Explorers call it on every change.
    """

    figure: "Figure"
    text: str
    update: Callable[..., str] = field(repr=False)


def redrawing_view(draw: Callable[..., str], size: tuple[float, float], **inputs: Any) -> View:
    """A :class:`View` whose ``update`` clears the same figure and calls ``draw`` again.

    Parameters
    ----------
    draw : callable
        ``draw(figure, **inputs) -> str`` draws into an empty figure and returns the sentence.
    size : (float, float)
        Figure size in inches (the projector style's 80 dpi applies).
    **inputs
        The first inputs to draw.
    """
    from embedpool_utils.plotting import new_figure, projector_style

    figure, _ = new_figure(size=size)
    figure.clear()

    def update(**new_inputs: Any) -> str:
        figure.clear()
        with projector_style():
            return draw(figure, **new_inputs)

    return View(figure, update(**inputs), update)


def figure_png(figure: "Figure") -> bytes:
    """The figure as PNG bytes, at the figure's own dpi."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


class Explorer:
    """Controls, a picture and a sentence, kept in step with a :class:`View`.

    Parameters
    ----------
    name : str
        Shown in the repr, e.g. ``"lookup explorer"``.
    controls : dict of str -> ipywidgets.ValueWidget
        One control per input of the view; each control's ``.value`` is passed
        to ``view.update`` under its key.
    view : View
        Drawn for the controls' initial values.

    Attributes
    ----------
    widget : ipywidgets.VBox
        The whole explorer; displaying the explorer displays it.
    image : ipywidgets.Image
        The current figure as PNG.
    html : ipywidgets.HTML
        The current sentence.
    """

    def __init__(self, name: str, controls: dict[str, Any], view: View) -> None:
        import ipywidgets as widgets
        import matplotlib.pyplot as plt

        self.name = name
        self.controls = controls
        self.view = view
        plt.close(view.figure)  # drawn into the Image widget only, never shown twice
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.html = widgets.HTML()
        self.widget = widgets.VBox(
            [widgets.HBox(list(controls.values()), layout=widgets.Layout(flex_flow="row wrap")), self.image, self.html]
        )
        self.widget.add_class("embedpool-explorer")
        self._show(view.text)
        for control in controls.values():
            control.observe(self._on_change, names="value")

    @property
    def text(self) -> str:
        """The sentence currently shown (plain text)."""
        return self._text

    def values(self) -> dict[str, Any]:
        """The controls' current values, by input name."""
        return {key: control.value for key, control in self.controls.items()}

    def _show(self, text: str) -> None:
        self._text = text
        self.image.value = figure_png(self.view.figure)
        self.html.value = f"<p style='font-size:1.2em'>{html.escape(text)}</p>"

    def _on_change(self, _change: dict) -> None:
        self._show(self.view.update(**self.values()))

    def __repr__(self) -> str:
        shown = ", ".join(f"{key}={value!r}" for key, value in self.values().items())
        return f"<{self.name}: {shown}>"

    def _repr_mimebundle_(self, **kwargs) -> dict:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)
        return bundle


# ---- notebook 01: lookup explorer -------------------------------------------


def parse_ids(text: str | Sequence[int]) -> list[int]:
    """Read token ids typed as ``"3, 7, 3"`` (commas and/or spaces); a sequence passes through.

    Raises
    ------
    ValueError
        If a piece of the text is not a whole number.
    """
    if not isinstance(text, str):
        return [int(i) for i in text]
    pieces = [p for p in re.split(r"[\s,;]+", text.strip().strip("[]()")) if p]
    bad = [p for p in pieces if not re.fullmatch(r"[+-]?\d+", p)]
    if bad:
        raise ValueError(f"ids must be whole numbers separated by commas; could not read {bad[0]!r}")
    return [int(p) for p in pieces]


def _draw_lookup(figure: "Figure", *, table: np.ndarray, ids: str | Sequence[int], selected_id: int) -> str:
    from embedpool_utils.plotting import draw_lookup

    axes = figure.subplots(1, 2)
    try:
        id_list = parse_ids(ids)
        core.embedding_lookup(table, np.asarray(id_list, dtype=int))
    except (ValueError, IndexError, TypeError) as error:
        draw_lookup(axes, table, [], selected_id=selected_id)
        return f"Cannot look these ids up: {error}"
    draw_lookup(axes, table, id_list, selected_id=selected_id)
    positions = [i for i, t in enumerate(id_list) if t == selected_id]
    text = f"ids {id_list} -> output shape ({len(id_list)}, {table.shape[1]}). "
    if not positions:
        return text + f"Id {selected_id} (row {selected_id} of the table) is not in this sequence."
    text += f"Id {selected_id} reads row {selected_id} of the table; it stands at position(s) {positions}"
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

    def draw(figure, ids, selected_id):
        return _draw_lookup(figure, table=table, ids=ids, selected_id=selected_id)

    return redrawing_view(draw, (10.0, 6.0), ids=ids, selected_id=selected_id)


def lookup_explorer(ids: str = "25, 19, 15, 8, 9, 25", selected_id: int = 25, *, vocab_size: int = 30,
                    embedding_dim: int = 7, seed: int = 0) -> Explorer:
    """Pick an id with the slider, type ids in the box: rows light up, the output follows."""
    import ipywidgets as widgets

    controls = {
        "selected_id": widgets.IntSlider(value=selected_id, min=0, max=vocab_size - 1, description="id",
                                         continuous_update=False),
        "ids": widgets.Text(value=ids, description="ids", continuous_update=False),
    }
    view = lookup_view(ids, selected_id, vocab_size=vocab_size, embedding_dim=embedding_dim, seed=seed)
    return Explorer("lookup explorer", controls, view)


# ---- notebook 02: shape explorer --------------------------------------------


def _embedded_batch(batch: int, seq_len: int, embedding_dim: int, *, vocab_size: int = 30, seed: int = 0) -> np.ndarray:
    """A seeded batch of random ids (batch, seq_len) embedded with a seeded table."""
    rng = np.random.default_rng(seed)
    ids = rng.integers(0, vocab_size, size=(batch, seq_len))
    return core.embedding_lookup(core.init_embedding(vocab_size, embedding_dim, seed=seed), ids)


def _draw_shape(figure: "Figure", *, batch: int, seq_len: int, embedding_dim: int) -> str:
    from embedpool_utils.plotting import draw_block

    x = _embedded_batch(batch, seq_len, embedding_dim)
    draw_block(figure.subplots(), x)
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
    """
    for name, value in (("batch", batch), ("seq_len", seq_len), ("embedding_dim", embedding_dim)):
        if not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive int; got {value!r}")
    return redrawing_view(_draw_shape, (11.0, 5.0), batch=batch, seq_len=seq_len, embedding_dim=embedding_dim)


def shape_explorer(batch: int = 2, seq_len: int = 10, embedding_dim: int = 7) -> Explorer:
    """Sliders for batch, seq_len and embedding_dim; the block and its shape follow."""
    import ipywidgets as widgets

    def slider(value, high, label):
        return widgets.IntSlider(value=value, min=1, max=high, description=label, continuous_update=False)

    controls = {
        "batch": slider(batch, 4, "batch"),
        "seq_len": slider(seq_len, 12, "seq_len"),
        "embedding_dim": slider(embedding_dim, 10, "embed dim"),
    }
    return Explorer("shape explorer", controls, shape_view(batch, seq_len, embedding_dim))


# ---- notebook 03: averaging explorer ----------------------------------------


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


def _draw_averaging(figure: "Figure", *, axis: int, keepdims: bool, masked: bool) -> str:
    from embedpool_utils.plotting import draw_block, draw_heatmap

    x, result, sentence = averaging_result(axis, keepdims, masked)
    left, right = figure.subplots(1, 2, gridspec_kw={"width_ratios": [2.2, 1]})
    highlight = np.broadcast_to(core.padding_mask(AVERAGING_IDS)[:, :, None], x.shape) if masked and axis == 1 else None
    draw_block(left, x, averaged_axis=axis, highlight=highlight, title=f"input {x.shape}, average along axis {axis}")
    shown = result.reshape([n for n in result.shape if n != 1] or [1]) if result.ndim > 2 else result
    labels = {0: ("feature", "token"), 1: ("feature", "sample"), 2: ("token", "sample")}[axis]
    draw_heatmap(right, np.atleast_2d(shown), title=f"result {result.shape}", xlabel=labels[0], ylabel=labels[1],
                 limit=float(np.abs(x).max()), colorbar=False)
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
    """
    averaging_result(axis)  # validates axis before a figure is made
    return redrawing_view(_draw_averaging, (12.0, 5.0), axis=axis, keepdims=keepdims, masked=masked)


def averaging_explorer(axis: int = 1, keepdims: bool = False, masked: bool = False) -> Explorer:
    """Pick the axis, keepdims and the mask; see which axis collapses and what is left."""
    import ipywidgets as widgets

    controls = {
        "axis": widgets.ToggleButtons(options=[("axis 0", 0), ("axis 1", 1), ("axis 2", 2)], value=axis,
                                      description="average"),
        "keepdims": widgets.Checkbox(value=keepdims, description="keepdims"),
        "masked": widgets.Checkbox(value=masked, description="mask the padding"),
    }
    return Explorer("averaging explorer", controls, averaging_view(axis, keepdims, masked))


# ---- notebook 04: data_format explorer --------------------------------------


def data_format_sentence(data_format: str, batch: int, seq_len: int, embedding_dim: int) -> str:
    """What GlobalAveragePooling1D(data_format=...) averages in a (batch, seq_len, embedding_dim) output."""
    axis = shapes.pooled_axis(data_format)
    shape = (batch, seq_len, embedding_dim)
    if axis == 1:
        return (f"channels_last reads {shape} as (batch, steps={seq_len}, features={embedding_dim}) and averages "
                f"the {seq_len} tokens of each sentence -> ({batch}, {embedding_dim}): one {embedding_dim}-vector "
                f"per sentence. (channels_first would give ({batch}, {seq_len}).)")
    return (f"channels_first reads {shape} as (batch, channels={seq_len}, steps={embedding_dim}) and averages "
            f"the {embedding_dim} features of each token -> ({batch}, {seq_len}): one number per token. "
            f"(channels_last would give ({batch}, {embedding_dim}).)")


def _draw_data_format(figure: "Figure", *, data_format: str, seq_len: int, embedding_dim: int) -> str:
    from embedpool_utils.plotting import draw_block, draw_heatmap

    x = _embedded_batch(2, seq_len, embedding_dim)
    pooled = core.global_average_pool_1d(x, data_format=data_format)
    axis = shapes.pooled_axis(data_format)
    left, right = figure.subplots(1, 2, gridspec_kw={"width_ratios": [2.2, 1]})
    draw_block(left, x, averaged_axis=axis, title=f"embedding output {x.shape}, {data_format}")
    draw_heatmap(right, pooled, title=f"pooled {pooled.shape}", xlabel="feature" if axis == 1 else "token",
                 ylabel="sample", limit=float(np.abs(x).max()), colorbar=False)
    return data_format_sentence(data_format, 2, seq_len, embedding_dim)


def data_format_view(data_format: str = "channels_last", seq_len: int = 10, embedding_dim: int = 7) -> View:
    """GlobalAveragePooling1D on a (2, seq_len, embedding_dim) embedding output, for one data_format.

    Parameters
    ----------
    data_format : {"channels_last", "channels_first"}
    seq_len, embedding_dim : int
        Sizes of the embedding output.
    """
    shapes.pooled_axis(data_format)  # a clear error for an unknown name, before drawing
    return redrawing_view(_draw_data_format, (12.0, 5.0), data_format=data_format, seq_len=seq_len,
                          embedding_dim=embedding_dim)


def data_format_explorer(data_format: str = "channels_last", seq_len: int = 10, embedding_dim: int = 7) -> Explorer:
    """Toggle channels_last / channels_first (and the sizes): what gets averaged, and the shape."""
    import ipywidgets as widgets

    controls = {
        "data_format": widgets.ToggleButtons(options=list(shapes.DATA_FORMATS), value=data_format,
                                             description="data_format"),
        "seq_len": widgets.IntSlider(value=seq_len, min=2, max=12, description="seq_len", continuous_update=False),
        "embedding_dim": widgets.IntSlider(value=embedding_dim, min=2, max=10, description="embed dim",
                                           continuous_update=False),
    }
    return Explorer("data_format explorer", controls, data_format_view(data_format, seq_len, embedding_dim))

