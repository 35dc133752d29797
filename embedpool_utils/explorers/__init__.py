"""The four interactive explorers of notebooks 01-04: lookup, shape, averaging and data_format.

A notebook shows an explorer and, right after it, the explorer's first picture
and sentence as a plain figure, for viewers that do not run widgets::

    explorer = explorers.lookup_explorer()
    explorer

    explorer.show_static()

What each one draws and says is in :mod:`~embedpool_utils.explorers.views`
(no widgets); :mod:`~embedpool_utils.explorers.interactive` wires ipywidgets
controls to those views through :mod:`~embedpool_utils.explorers.base`.
ipywidgets and matplotlib load only when an explorer is made.
"""

from embedpool_utils.explorers.interactive import (
    averaging_explorer,
    data_format_explorer,
    lookup_explorer,
    shape_explorer,
)
from embedpool_utils.explorers.views import AVERAGING_IDS

__all__ = ["AVERAGING_IDS", "averaging_explorer", "data_format_explorer", "lookup_explorer", "shape_explorer"]
