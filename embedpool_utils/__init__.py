"""Helpers for the embedpool notebooks.

``import embedpool_utils`` loads only numpy. The numeric core (the Keras
mirror in :mod:`~embedpool_utils.core`), the shape arithmetic
(:mod:`~embedpool_utils.shapes`) and the exercise checker (``check``) are
available at the top level. Every other submodule is reachable as an
attribute, ``ep.plotting``, ``ep.explorers``, ``ep.text``, ``ep.frameworks``
and so on, and is imported the first time it is used; matplotlib, ipywidgets
and Keras load only when a function that needs them is called, and the
exercise bank only when an exercise is first looked up. ``ep.__version__`` is
read from the installed package's metadata.
"""

from __future__ import annotations

import importlib
from typing import Any

from embedpool_utils.core import (
    FullyMaskedWarning,
    embedding_lookup,
    global_average_pool_1d,
    init_embedding,
    one_hot,
    padding_mask,
)
from embedpool_utils.exercises import check, exercise_inputs
from embedpool_utils.shapes import DATA_FORMATS, averaged_axes, pooled_axis, pooled_shape

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

# Submodules imported on first attribute access (PEP 562), so that
# ``import embedpool_utils`` stays as light as ``import numpy``.
SUBMODULES = (
    "backend_ids",
    "core",
    "errors",
    "exercise_bank",
    "exercises",
    "explorer_base",
    "explorer_views",
    "explorers",
    "figure_display",
    "figure_style",
    "figures_frameworks",
    "figures_inspector",
    "figures_lookup",
    "figures_pooling",
    "figures_tensor",
    "figures_training",
    "findings",
    "frameworks",
    "inspector",
    "keras_graph",
    "layer_axes",
    "learned_weights",
    "plotting",
    "report",
    "shapes",
    "stacked_classifier",
    "sweeps",
    "text",
    "toy_data",
    "toy_topics",
    "training",
    "validation",
    "xla_flags",
)

# The distribution's name; its version is stated once, in pyproject.toml.
DISTRIBUTION = "embedpool-utils"

# Functions loaded with their module on first access: name -> module.
LAZY_FUNCTIONS = {"inspect_model": "inspector", "use_quick_compiles": "xla_flags"}


def __getattr__(name: str) -> Any:
    if name in SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name in LAZY_FUNCTIONS:
        return getattr(importlib.import_module(f"{__name__}.{LAZY_FUNCTIONS[name]}"), name)
    if name == "__version__":
        # Read from the installed metadata on first use: importlib.metadata is not loaded by the import.
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version(DISTRIBUTION)
        except PackageNotFoundError:  # run from a source tree that was never installed
            return "0+unknown"
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(SUBMODULES) | set(LAZY_FUNCTIONS) | {"__version__"})
