"""Read a Keras 3 model's graph: its layer calls in the order Keras runs them, and the masks it would attach.

Keras has no public API for walking a model's graph; this module is the one
place that reads its internals (``_functional``, ``_nodes_by_depth``, node
arguments), so that a change in Keras touches nothing else. Keras itself is
passed in by the caller, never imported here.
"""

from __future__ import annotations

import inspect
from typing import Any

__all__ = [
    "applies_mask",
    "call_number",
    "fresh",
    "graph_of",
    "mask_plumbing",
    "nodes_in_order",
    "output_masks",
    "shape_of",
]


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
    """The graph's nodes in the order Keras runs them (deepest first).

    Parameters
    ----------
    graph : keras.Model
        As returned by :func:`graph_of`.

    Returns
    -------
    list of keras Node, one per layer or operation call
    """
    by_depth = graph._nodes_by_depth
    return [node for depth in sorted(by_depth, reverse=True) for node in by_depth[depth]]


def call_number(operation: Any, node: Any, in_graph: set[int]) -> int:
    """Which call of a layer a node is, 1 for the first, counting only the calls inside one graph, in the order made.

    Parameters
    ----------
    operation : keras.Layer or keras.Operation
    node : keras Node
        One call of ``operation``.
    in_graph : set of int
        ``id(node)`` of every node of the graph being read (a layer may be called in other models too).

    Returns
    -------
    int
        1 for a layer called once; 2, 3, ... for the later calls of a shared layer.
    """
    own = [n for n in getattr(operation, "_inbound_nodes", []) if id(n) in in_graph]
    return next((i for i, n in enumerate(own, start=1) if n is node), 1)


def shape_of(tensor: Any) -> tuple:
    """A symbolic tensor's shape as a tuple of ints, None for an open size.

    Parameters
    ----------
    tensor : keras.KerasTensor, shape e.g. (None, 10, 7)

    Returns
    -------
    tuple of int or None, length ``len(tensor.shape)``
    """
    return tuple(None if d is None else int(d) for d in tensor.shape)


def applies_mask(layer: Any) -> bool:
    """Whether Keras hands this layer a mask when it calls it (its call takes ``mask`` or ``<arg>_mask``).

    Parameters
    ----------
    layer : keras.Layer

    Returns
    -------
    bool
    """
    if type(layer).__name__ == "Lambda" and hasattr(layer, "_fn_expects_mask_arg"):
        # a Lambda's call takes a mask, but hands it on only if its function does
        return bool(layer._fn_expects_mask_arg)
    try:
        parameters = inspect.signature(layer.call).parameters
    except (TypeError, ValueError):
        return False
    return any(name == "mask" or name.endswith("_mask") for name in parameters)


def fresh(keras: Any, value: Any) -> Any:
    """A new symbolic tensor like ``value`` (same shape, dtype), outside the model's graph.

    Parameters
    ----------
    keras : module
        The ``keras`` package, passed in so that this module never imports it.
    value : keras.KerasTensor or object, any shape

    Returns
    -------
    keras.KerasTensor of the same shape and dtype, or ``value`` itself if it is no KerasTensor
    """
    if isinstance(value, keras.KerasTensor):
        return keras.KerasTensor(value.shape, dtype=value.dtype)
    return value


def output_masks(keras: Any, layer: Any, node: Any, incoming: list[Any]) -> list:
    """The masks Keras attaches to each output of this call (``compute_mask`` on fresh tensors).

    Parameters
    ----------
    keras : module
        The ``keras`` package.
    layer : keras.Layer
    node : keras Node
        The call of ``layer`` being read.
    incoming : list
        Per input of the call, an object with a ``symbolic`` mask tensor
        (shape e.g. (None, 10)), or None.

    Returns
    -------
    list of keras.KerasTensor or None
        One mask per output, e.g. shape (None, 10); empty when the layer does
        not support masking or makes no mask.
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

    Parameters
    ----------
    keras : module
        The ``keras`` package.
    nodes : list of keras Node
        As returned by :func:`nodes_in_order`.

    Returns
    -------
    set of int
        ``id(node)`` of each node that only computes a mask.
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
