"""Read a Keras 3 model's graph: its layer calls in the order Keras runs them, and the masks it would attach.

Keras has no public API for walking a model's graph; this module is the one
place that reads its internals (``_functional``, ``_nodes_by_depth``, node
arguments), so that a change in Keras touches nothing else. Keras itself is
passed in by the caller, never imported here.
"""

from __future__ import annotations

import inspect
from typing import Any

__all__ = ["applies_mask", "fresh", "graph_of", "mask_plumbing", "nodes_in_order", "output_masks", "shape_of"]


def graph_of(model: Any) -> Any:
    """The functional graph behind a model, or None if it has none.

    Parameters
    ----------
    model : keras.Model
        A functional model is its own graph; a Sequential model keeps one once
        it is built; a subclassed or unbuilt model has none.

    Returns
    -------
    keras.Model or None
        An object with ``inputs``, ``outputs`` and Keras' table of nodes.
    """
    graph = getattr(model, "_functional", None) or model
    # Keras has no public graph API; the node table is what Keras' own Function runs.
    return graph if hasattr(graph, "_nodes_by_depth") and hasattr(graph, "inputs") else None


def nodes_in_order(graph: Any) -> list:
    """The graph's nodes in the order Keras runs them (deepest first)."""
    by_depth = graph._nodes_by_depth
    return [node for depth in sorted(by_depth, reverse=True) for node in by_depth[depth]]


def shape_of(tensor: Any) -> tuple:
    """A symbolic tensor's shape as a tuple of ints, None for an open size."""
    return tuple(None if d is None else int(d) for d in tensor.shape)


def applies_mask(layer: Any) -> bool:
    """Whether Keras hands this layer a mask when it calls it (its call takes ``mask`` or ``<arg>_mask``)."""
    try:
        parameters = inspect.signature(layer.call).parameters
    except (TypeError, ValueError):
        return False
    return any(name == "mask" or name.endswith("_mask") for name in parameters)


def fresh(keras: Any, value: Any) -> Any:
    """A new symbolic tensor like ``value`` (same shape, dtype), outside the model's graph."""
    if isinstance(value, keras.KerasTensor):
        return keras.KerasTensor(value.shape, dtype=value.dtype)
    return value


def output_masks(keras: Any, layer: Any, node: Any, incoming: list[Any]) -> list:
    """The masks Keras attaches to each output of this call (``compute_mask`` on fresh tensors).

    ``incoming`` holds, per input of the call, an object with a ``symbolic``
    mask tensor, or None.
    """
    if not getattr(layer, "supports_masking", False):
        return []
    first_arg = node.arguments.args[0] if node.arguments.args else None
    inputs = keras.tree.map_structure(lambda v: fresh(keras, v), first_arg)
    flat_in = keras.tree.flatten(first_arg)
    masks = [m.symbolic if m is not None else None for m in incoming]
    if isinstance(first_arg, (list, tuple)):
        previous = masks if len(masks) == len(flat_in) else None
    else:
        previous = masks[0] if masks else None
    try:
        computed = layer.compute_mask(inputs, previous)
    except Exception:  # a layer whose compute_mask cannot run symbolically: Keras' default passes the mask on
        computed = previous
    return [] if computed is None else keras.tree.flatten(computed)


def mask_plumbing(keras: Any, nodes: list) -> set[int]:
    """Ids of the nodes that only compute masks: Keras' own plumbing, followed but not shown as layers.

    When a layer builds a mask (``Embedding(mask_zero=True)`` runs ``not_equal``
    on the ids; ``Add`` joins masks with ``logical_or``), Keras records those
    operations in the graph and hands their result to later layers as a
    ``mask`` argument. They are operations, not layers, and feed nothing else.
    """
    mask_tensors = {
        id(t)
        for node in nodes
        for key, value in node.arguments.kwargs.items()
        if key == "mask" or key.endswith("_mask")
        for t in keras.tree.flatten(value)
    }
    found = set()
    for node in reversed(nodes):  # consumers before producers
        operation = node.operation
        if operation is None or isinstance(operation, keras.Layer) or not node.outputs:
            continue
        if all(id(t) in mask_tensors for t in node.outputs):
            found.add(id(node))
            mask_tensors.update(id(t) for t in node.input_tensors)
    return found
