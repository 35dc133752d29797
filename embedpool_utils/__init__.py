"""Helpers for the embedpool notebooks.

``import embedpool_utils`` loads only numpy. The numeric core and the exercise
checker (``check``) are available at the top level; the plotting and widget
modules are imported on first use (``from embedpool_utils import plotting``)
and load matplotlib and ipywidgets only when one of their functions is called.
"""

from embedpool_utils.core import (
    DATA_FORMATS,
    FullyMaskedWarning,
    averaged_axes,
    embedding_lookup,
    global_average_pool_1d,
    init_embedding,
    one_hot,
    padding_mask,
    pooled_axis,
    pooled_shape,
)
from embedpool_utils.exercises import check, exercise_inputs

__all__ = [
    "DATA_FORMATS",
    "FullyMaskedWarning",
    "averaged_axes",
    "check",
    "embedding_lookup",
    "exercise_inputs",
    "global_average_pool_1d",
    "init_embedding",
    "one_hot",
    "padding_mask",
    "pooled_axis",
    "pooled_shape",
]

__version__ = "0.1.0"
