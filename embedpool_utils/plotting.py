"""Every figure of the series in one namespace: ``plotting.plot_table(...)``, ``plotting.show(fig)``, ...

This module only gathers names; the code lives where its job is:

* :mod:`~embedpool_utils.figure_style`: colours, the projector style, new
  figures, heatmaps, row outlines, colour limits;
* :mod:`~embedpool_utils.figure_display`: alternative text and
  :func:`show`, which displays a figure whatever the matplotlib backend;
* one module per topic: :mod:`~embedpool_utils.figures_lookup` (notebook 01),
  :mod:`~embedpool_utils.figures_tensor` (02),
  :mod:`~embedpool_utils.figures_pooling` (03 and 04),
  :mod:`~embedpool_utils.figures_training` (05),
  :mod:`~embedpool_utils.figures_frameworks` (06) and
  :mod:`~embedpool_utils.figures_inspector` (07).

Importing it does not import matplotlib: every function imports it when it
draws. A figure function returns the ``Figure`` it drew, with alternative text
attached; a notebook cell shows it with ``plotting.show(fig)``.
"""

from __future__ import annotations

from embedpool_utils.figure_display import alt_text, figure_png, set_alt_text, show
from embedpool_utils.figure_style import (
    DIVERGING_CMAP,
    OKABE_ITO,
    SEQUENTIAL_CMAP,
    colour_limit,
    draw_heatmap,
    new_figure,
    outline_rows,
    projector_style,
    styled,
    value_range,
)
from embedpool_utils.figures_frameworks import plot_bags, plot_dense_parameters
from embedpool_utils.figures_inspector import draw_data_flow, plot_data_flow
from embedpool_utils.figures_lookup import draw_lookup, plot_cost_comparison, plot_lookup, plot_table
from embedpool_utils.figures_pooling import (
    draw_average,
    draw_data_format,
    plot_averages,
    plot_data_formats,
    plot_padding_drift,
)
from embedpool_utils.figures_tensor import draw_block, plot_block, plot_slices
from embedpool_utils.figures_training import plot_run_accuracies, plot_word_map

__all__ = [
    "DIVERGING_CMAP",
    "OKABE_ITO",
    "SEQUENTIAL_CMAP",
    "alt_text",
    "colour_limit",
    "draw_average",
    "draw_block",
    "draw_data_flow",
    "draw_data_format",
    "draw_heatmap",
    "draw_lookup",
    "figure_png",
    "new_figure",
    "outline_rows",
    "plot_averages",
    "plot_bags",
    "plot_block",
    "plot_cost_comparison",
    "plot_data_flow",
    "plot_data_formats",
    "plot_dense_parameters",
    "plot_lookup",
    "plot_padding_drift",
    "plot_run_accuracies",
    "plot_slices",
    "plot_table",
    "plot_word_map",
    "projector_style",
    "set_alt_text",
    "show",
    "styled",
    "value_range",
]
