"""Helpers for the embedpool notebooks.

``import embedpool_utils`` loads only numpy. The numeric core (the Keras
mirror in :mod:`~embedpool_utils.core`), the shape arithmetic
(:mod:`~embedpool_utils.shapes`) and the exercise checker (``check``) are
available at the top level. Every other submodule is reachable as an
attribute, ``ep.plotting``, ``ep.text``, ``ep.frameworks`` and so on, and is
imported the first time it is used; matplotlib, ipywidgets and Keras load
only when a function that needs them is called.
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
    "core",
    "exercises",
    "findings",
    "frameworks",
    "inspector",
    "plotting",
    "report",
    "shapes",
    "text",
    "tiny_model",
    "toy_data",
    "validation",
    "widgets",
)

# Functions loaded with their module on first access: name -> module.
LAZY_FUNCTIONS = {"inspect_model": "inspector"}

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name in LAZY_FUNCTIONS:
        return getattr(importlib.import_module(f"{__name__}.{LAZY_FUNCTIONS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(SUBMODULES) | set(LAZY_FUNCTIONS))
