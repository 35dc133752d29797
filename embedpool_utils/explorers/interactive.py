"""The explorers' controls: ipywidgets wired to the views of :mod:`~embedpool_utils.explorers.views`, one explorer per core notebook.

ipywidgets is imported only when an explorer is made.
"""

from __future__ import annotations

from typing import Any

from embedpool_utils.explorers.base import Explorer
from embedpool_utils.explorers.views import (
    averaging_view,
    data_format_view,
    lookup_view,
    shape_view,
)
from embedpool_utils.shapes import DATA_FORMATS, DataFormat

__all__ = ["averaging_explorer", "data_format_explorer", "lookup_explorer", "shape_explorer"]


def lookup_explorer(
    ids: str = "25, 19, 15, 8, 9, 25",
    selected_id: int = 25,
    *,
    vocab_size: int = 30,
    embedding_dim: int = 7,
    seed: int = 0,
) -> Explorer:
    """Pick an id with the slider, type ids in the box: rows light up, the output follows.

    Parameters
    ----------
    ids : str
        The first ids shown in the text box, e.g. ``"25, 19, 15, 8, 9, 25"``.
    selected_id : int
        The id the slider starts on (0 ... vocab_size - 1).
    vocab_size, embedding_dim, seed : int
        The table: ``init_embedding(vocab_size, embedding_dim, seed=seed)``.

    Returns
    -------
    Explorer
        The controls, the picture of :func:`lookup_view` and its sentence.
    """
    import ipywidgets as widgets

    controls = {
        "selected_id": widgets.IntSlider(
            value=selected_id, min=0, max=vocab_size - 1, description="id", continuous_update=False
        ),
        "ids": widgets.Text(value=ids, description="ids", continuous_update=False),
    }
    view = lookup_view(ids, selected_id, vocab_size=vocab_size, embedding_dim=embedding_dim, seed=seed)
    return Explorer("lookup explorer", controls, view)


def shape_explorer(batch: int = 2, seq_len: int = 10, embedding_dim: int = 7) -> Explorer:
    """Sliders for batch, seq_len and embedding_dim; the block and its shape follow.

    Parameters
    ----------
    batch, seq_len, embedding_dim : int
        The first sizes of the (batch, seq_len, embedding_dim) block; the
        sliders reach 4, 12 and 10.

    Returns
    -------
    Explorer
        The sliders, the picture of :func:`shape_view` and its sentence.
    """
    import ipywidgets as widgets

    def slider(value: int, high: int, label: str) -> Any:
        return widgets.IntSlider(value=value, min=1, max=high, description=label, continuous_update=False)

    controls = {
        "batch": slider(batch, 4, "batch"),
        "seq_len": slider(seq_len, 12, "seq_len"),
        "embedding_dim": slider(embedding_dim, 10, "embed dim"),
    }
    return Explorer("shape explorer", controls, shape_view(batch, seq_len, embedding_dim))


def averaging_explorer(axis: int = 1, keepdims: bool = False, masked: bool = False) -> Explorer:
    """Pick the axis, keepdims and the mask; see which axis collapses and what is left.

    Parameters
    ----------
    axis : {0, 1, 2}
        The axis first selected.
    keepdims, masked : bool
        The first state of the two check boxes.

    Returns
    -------
    Explorer
        The controls, the picture of :func:`averaging_view` and its sentence.
    """
    import ipywidgets as widgets

    controls = {
        "axis": widgets.ToggleButtons(
            options=[("axis 0", 0), ("axis 1", 1), ("axis 2", 2)], value=axis, description="average"
        ),
        "keepdims": widgets.Checkbox(value=keepdims, description="keepdims"),
        "masked": widgets.Checkbox(value=masked, description="mask the padding"),
    }
    return Explorer("averaging explorer", controls, averaging_view(axis, keepdims, masked))


def data_format_explorer(
    data_format: DataFormat = "channels_last", seq_len: int = 10, embedding_dim: int = 7
) -> Explorer:
    """Toggle channels_last / channels_first (and the sizes): what gets averaged, and the shape.

    Parameters
    ----------
    data_format : {"channels_last", "channels_first"}
        The format first selected.
    seq_len, embedding_dim : int
        The first sizes; the sliders run from 2 to 12 and 2 to 10.

    Returns
    -------
    Explorer
        The controls, the picture of :func:`data_format_view` and its sentence.
    """
    import ipywidgets as widgets

    controls = {
        "data_format": widgets.ToggleButtons(options=list(DATA_FORMATS), value=data_format, description="data_format"),
        "seq_len": widgets.IntSlider(value=seq_len, min=2, max=12, description="seq_len", continuous_update=False),
        "embedding_dim": widgets.IntSlider(
            value=embedding_dim, min=2, max=10, description="embed dim", continuous_update=False
        ),
    }
    return Explorer("data_format explorer", controls, data_format_view(data_format, seq_len, embedding_dim))
