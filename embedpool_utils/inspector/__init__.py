"""The model inspector: read a Keras 3 model, name every axis, follow the mask, and flag the series' pitfalls.

``inspect_model(model, ids=...)`` returns a :class:`~embedpool_utils.inspector.report.ModelReport`;
``python -m embedpool_utils inspect MODEL.keras`` prints the same report
(:mod:`~embedpool_utils.inspector.cli`). Keras is imported only when a model is inspected.
"""

from embedpool_utils.inspector.walk import inspect_model

__all__ = ["inspect_model"]
