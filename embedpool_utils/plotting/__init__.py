"""Every figure of the series, one ``plot_*`` function each, and ``show(fig)``, which displays one with its alt text.

A ``plot_*`` function returns the ``Figure`` it drew, with alternative text
attached; a notebook cell shows it with ``plotting.show(fig)``. Importing this
package does not import matplotlib: each function imports it when it draws.
The code lives where its job is:

* :mod:`~embedpool_utils.plotting.style`: colours, the projector style, new
  figures, heatmaps, row outlines, colour limits;
* :mod:`~embedpool_utils.plotting.display`: alternative text, and
  :func:`show`, which displays a figure whatever the matplotlib backend;
* one module per topic: :mod:`~embedpool_utils.plotting.lookup` (notebook 01),
  :mod:`~embedpool_utils.plotting.tensor` (02),
  :mod:`~embedpool_utils.plotting.box` (the 3-D picture: 02, reused in 03 and 04),
  :mod:`~embedpool_utils.plotting.pooling` (03 and 04),
  :mod:`~embedpool_utils.plotting.training` (05),
  :mod:`~embedpool_utils.plotting.bags_and_parameters` (06) and
  :mod:`~embedpool_utils.plotting.data_flow` (07).
"""

from embedpool_utils.plotting.bags_and_parameters import plot_bags, plot_dense_parameters
from embedpool_utils.plotting.box import plot_box, words_of
from embedpool_utils.plotting.data_flow import plot_data_flow
from embedpool_utils.plotting.display import show
from embedpool_utils.plotting.lookup import plot_cost_comparison, plot_lookup, plot_table
from embedpool_utils.plotting.pooling import plot_averages, plot_data_formats, plot_padding_drift
from embedpool_utils.plotting.tensor import plot_block, plot_slices
from embedpool_utils.plotting.training import plot_run_accuracies, plot_word_map

__all__ = [
    "plot_averages",
    "plot_bags",
    "plot_block",
    "plot_box",
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
    "show",
    "words_of",
]
