"""The numpy side of the embedpool notebooks: an embedding lookup and 1-D average pooling, as Keras computes them.

``import embedpool_utils as ep`` loads numpy only. The numeric core, the shape
arithmetic and the exercise checker are here at the top; every name in
``__all__`` that is a subpackage or a module (``ep.plotting``,
``ep.explorers``, ``ep.inspector``, ...) is imported the first time it is used,
and so is ``ep.inspect_model``, which needs Keras.
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
from embedpool_utils.error_lines import expect_error
from embedpool_utils.exercises import check, exercise_inputs
from embedpool_utils.shapes import DATA_FORMATS, averaged_axes, pooled_axis, pooled_shape

# What the notebooks call: the numeric core, the shape arithmetic, the self-checks and expect_error
# (numpy only); then, imported on first use, inspect_model (it needs Keras) and the subpackages and modules.
__all__ = [
    "DATA_FORMATS",
    "FullyMaskedWarning",
    "averaged_axes",
    "bad_id_outcomes",
    "check",
    "embedding_lookup",
    "exercise_inputs",
    "expect_error",
    "experiments",
    "explorers",
    "global_average_pool_1d",
    "init_embedding",
    "inspect_model",
    "inspector",
    "mask_support",
    "one_hot",
    "padding_mask",
    "plain_text",
    "plotting",
    "pooled_axis",
    "pooled_shape",
    "pytorch_standins",
    "summary_tables",
]


def __getattr__(name: str) -> Any:
    # PEP 562: a submodule, or inspect_model, is imported on first use, so that the import stays light.
    if name == "inspect_model":
        from embedpool_utils.inspector import inspect_model

        return inspect_model
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    if name == "__version__":  # stated once, in pyproject.toml; read from the installed metadata
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("embedpool-utils")
        except PackageNotFoundError:  # a source tree that was never installed
            return "0+unknown"
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__) | {"__version__"})
