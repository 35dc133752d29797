"""Read a Keras 3 model layer by layer: name every axis, follow the padding mask, collect the findings.

:func:`inspect_model` walks the model's graph in data-flow order, the order
in which Keras itself runs it, without running any data through it and
without changing it. For every layer call it records Keras' own output shape,
names the axes (:func:`~embedpool_utils.inspector.axes.layer_output_axes`), follows
the mask the way Keras does, and hands what it knows to the rules of
:mod:`~embedpool_utils.inspector.findings`.

How the mask is followed, as Keras' ``Layer.__call__`` does it: a layer gets
the mask of its first input; if it declares ``supports_masking``, its own
``compute_mask(inputs, mask)`` says what mask leaves it (called on fresh
symbolic tensors, so the model's graph is not touched); if it does not, the
mask is gone. A layer whose ``call`` takes a ``mask`` argument applies it.
A nested model is walked inside, with the mask of its input: at run time
Keras hands that mask to the inner layers and lets the mask of the inner
output through (Keras warns that it drops it; measured: it does not).

Keras is imported inside :func:`inspect_model`, never at import time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from embedpool_utils.inspector.axes import embedding_input_axes, layer_output_axes, unknown_axes
from embedpool_utils.inspector.findings import LayerFacts, layer_findings
from embedpool_utils.inspector.keras_graph import (
    applies_mask,
    fresh,
    graph_of,
    mask_plumbing,
    nodes_in_order,
    output_masks,
    shape_of,
)
from embedpool_utils.inspector.report import Finding, LayerRow, ModelReport
from embedpool_utils.shapes import TOKENS
from embedpool_utils.validation import check_ids

__all__ = ["inspect_model"]


@dataclass
class Mask:
    """A padding mask on its way through the model."""

    symbolic: Any  # a KerasTensor, for the next compute_mask call
    axes: tuple[str, ...]  # the axes it runs along, e.g. ("batch", "tokens")
    origin: str  # the layer that made it
    used: bool = False  # whether a layer has applied it


@dataclass
class Tensor:
    """What the inspector knows about one symbolic tensor of the model."""

    axes: tuple[str, ...]
    mask: Mask | None = None
    ids: np.ndarray | None = field(default=None, repr=False)  # sample ids, on a model input
    token_ids: np.ndarray | None = field(default=None, repr=False)  # the ids behind the tokens axis


@dataclass
class Row:
    """A report row in the making: the axis names are read at the end, when every Embedding has named its input."""

    name: str
    type: str
    shapes: list[tuple]
    tensors: list[Tensor]
    mask: str = "none"
    note: str = ""

    def finished(self) -> LayerRow:
        several = len(self.shapes) > 1
        axes = tuple(t.axes for t in self.tensors) if several else self.tensors[0].axes
        shape = tuple(self.shapes) if several else self.shapes[0]
        return LayerRow(self.name, self.type, shape, axes, self.mask, self.note)


@dataclass
class Walk:
    """The state of one inspection: tensors seen so far, rows and findings in order."""

    keras: Any
    image_data_format: str
    tensors: dict[int, Tensor] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def layer_step(walk: Walk, layer: Any, node: Any, name: str, *, shown: bool = True) -> list[Tensor]:
    """Name, mask and check one layer (or operation) call; return what is known about its outputs."""
    keras = walk.keras
    first_arg = node.arguments.args[0] if node.arguments.args else None
    first_inputs = [t for t in keras.tree.flatten(first_arg) if isinstance(t, keras.KerasTensor)]
    first = [walk.tensors[id(t)] for t in first_inputs]
    inputs = first or [walk.tensors[id(t)] for t in node.input_tensors][:1]
    incoming = [t.mask for t in first]
    explicit = node.arguments.kwargs.get("mask")
    if isinstance(explicit, keras.KerasTensor) and inputs and not any(incoming):
        # A mask passed by hand, layer(x, mask=m): Keras uses it as the mask of the first input.
        axes = inputs[0].axes[: len(explicit.shape)]
        incoming = [Mask(fresh(keras, explicit), axes, f"the mask argument of '{name}'")]
    mask_in = next((m for m in incoming if m is not None), None)
    # Only Keras' own layers get named axes; keras.ops calls (Operation nodes) and custom classes get "?".
    keras_layer = isinstance(layer, keras.Layer) and type(layer).__module__.startswith("keras.")
    layer_type = type(layer).__name__
    try:
        config = layer.get_config()
    except Exception:  # some custom layers cannot describe themselves; they get "?" axes anyway
        config = {}

    if layer_type == "Embedding" and keras_layer and inputs:
        inputs[0].axes = embedding_input_axes(inputs[0].axes)  # an Embedding reads its input as token ids
    out_shapes = [shape_of(t) for t in node.outputs]
    out_axes = layer_output_axes(
        layer_type if keras_layer else None, config, [t.axes for t in inputs], [len(s) for s in out_shapes]
    )

    uses = isinstance(layer, keras.Layer) and applies_mask(layer)
    masks_out = output_masks(walk.keras, layer, node, incoming)
    if mask_in is not None and not getattr(layer, "supports_masking", False):
        status = "dropped"
    elif mask_in is not None:
        status = "passed" if any(m is not None for m in masks_out) else ("consumed" if uses else "dropped")
    else:
        status = "produced" if any(m is not None for m in masks_out) else "none"

    outputs = []
    for index, (shape, axes) in enumerate(zip(out_shapes, out_axes)):
        mask = None
        symbolic = masks_out[index] if index < len(masks_out) else None
        if symbolic is not None:
            if mask_in is not None:  # the same mask, passed on (and applied here, if this layer takes it)
                mask = Mask(symbolic, mask_in.axes, mask_in.origin, mask_in.used or uses)
            else:
                mask = Mask(symbolic, axes[: len(symbolic.shape)], name)
        token_ids = carried_token_ids(layer_type, keras_layer, inputs, shape, axes)
        outputs.append(Tensor(axes, mask, token_ids=token_ids))
    if not shown:
        return outputs

    facts = LayerFacts(
        name=name,
        type=layer_type,
        config=config,
        keras_layer=keras_layer,
        input_shape=shape_of(first_inputs[0]) if first_inputs else None,
        input_axes=inputs[0].axes if inputs else None,
        output_shape=out_shapes[0] if out_shapes else (),
        output_axes=out_axes[0] if out_axes else (),
        mask=status,
        mask_origin=mask_in.origin if mask_in else None,
        mask_axes=mask_in.axes if mask_in else None,
        mask_used_before=mask_in.used if mask_in else False,
        applies_mask=uses,
        token_ids=inputs[0].token_ids if inputs else None,
        embedding_ids=inputs[0].ids if layer_type == "Embedding" and keras_layer and inputs else None,
        image_data_format=walk.image_data_format,
    )
    walk.findings.extend(layer_findings(facts))
    walk.rows.append(Row(name, layer_type, out_shapes, outputs, status, facts.note))
    return outputs


def carried_token_ids(
    layer_type: str, keras_layer: bool, inputs: list[Tensor], shape: tuple, axes: tuple
) -> np.ndarray | None:
    """The sample ids behind the output's tokens axis, while each position still stands for one token."""
    if layer_type == "Embedding" and keras_layer and inputs and inputs[0].ids is not None:
        given = inputs[0].ids
        return given if given.ndim == 2 else None
    ids = next((t.token_ids for t in inputs if t.token_ids is not None), None)
    if ids is None or axes.count(TOKENS) != 1 or shape[axes.index(TOKENS)] not in (ids.shape[1], None):
        return None
    return ids


def walk_graph(walk: Walk, graph: Any, inputs: list[Tensor], prefix: str, top: bool) -> list[Tensor]:
    """Walk one (possibly nested) graph; return the states of its outputs."""
    keras = walk.keras
    for tensor, state in zip(graph.inputs, inputs):
        walk.tensors[id(tensor)] = state
    nodes = nodes_in_order(graph)
    plumbing = mask_plumbing(keras, nodes)
    for node in nodes:
        operation = node.operation
        if node.is_input or operation is None:
            if top and operation is not None and node.outputs and id(node.outputs[0]) in walk.tensors:
                state = walk.tensors[id(node.outputs[0])]
                walk.rows.append(Row(operation.name, type(operation).__name__, [shape_of(node.outputs[0])], [state]))
            continue
        if any(id(t) not in walk.tensors for t in node.input_tensors):
            continue  # not connected to the inputs; Keras skips it too
        inner = graph_of(operation) if isinstance(operation, keras.Model) else None
        args = keras.tree.flatten(node.arguments.args[0]) if node.arguments.args else []
        if inner is not None and len(args) == len(inner.inputs):
            outer = [walk.tensors[id(t)] for t in args]  # the inner inputs are these tensors, mask included
            outputs = walk_graph(walk, inner, outer, f"{prefix}{operation.name}/", top=False)
        else:
            outputs = layer_step(walk, operation, node, prefix + operation.name, shown=id(node) not in plumbing)
        for tensor, state in zip(node.outputs, outputs):
            walk.tensors[id(tensor)] = state
    return [walk.tensors[id(t)] for t in graph.outputs]


def ids_for_inputs(graph: Any, ids: ArrayLike | Mapping[str, ArrayLike] | None) -> list[np.ndarray | None]:
    """The sample ids for each input of a model, checked against that input.

    Parameters
    ----------
    graph : keras.Model
        The model's graph (:func:`graph_of`).
    ids : array_like of int, dict of str -> array_like, or None
        One batch of ids shaped like the model's only input, e.g.
        ``(batch, seq_len)`` for an input of shape ``(None, seq_len)``; or a
        dict by input name. Negative or too large ids are accepted here (the
        report names them).

    Returns
    -------
    list of ndarray or None
        One entry per model input, None where no ids were given.

    Raises
    ------
    TypeError
        If ids are not integers.
    ValueError
        If their shape does not fit the input, or a dict names an input the
        model does not have, or a model with several inputs gets one array.
    """
    if ids is None:
        return [None] * len(graph.inputs)
    names = [t.name for t in graph.inputs]
    if isinstance(ids, Mapping):
        unknown = sorted(set(ids) - set(names))
        if unknown:
            raise ValueError(f"ids names inputs {unknown} that the model does not have; its inputs are {names}.")
        given = [ids.get(name) for name in names]
    elif len(names) == 1:
        given = [ids]
    else:
        raise ValueError(f"this model has {len(names)} inputs {names}: give ids as a dict {{input name: ids}}.")
    checked: list[np.ndarray | None] = []
    for tensor, value in zip(graph.inputs, given):
        if value is None:
            checked.append(None)
            continue
        try:
            array = check_ids(value, name="ids")
        except IndexError:  # negative ids are not refused here: the report names them
            array = np.asarray(value)
        expected = shape_of(tensor)
        if array.ndim != len(expected) or any(e is not None and e != a for e, a in zip(expected[1:], array.shape[1:])):
            raise ValueError(
                f"ids have shape {array.shape}, but the model input {tensor.name!r} takes {expected} "
                "(None for any size): give a batch of ids shaped like one batch of model input."
            )
        checked.append(array)
    return checked


def inspect_model(model: Any, ids: ArrayLike | Mapping[str, ArrayLike] | None = None) -> ModelReport:
    """Name every axis of a Keras 3 model, follow its padding mask, and flag the pooling pitfalls.

    Parameters
    ----------
    model : keras.Model
        A built Keras 3 model: Sequential (started with ``keras.Input`` or
        already called), functional, or one with such models nested in it.
        It is read, never run or changed.
    ids : array_like of int, optional
        A sample batch of token ids, shaped like one batch of the model input,
        e.g. ``(batch, seq_len)``; a dict ``{input name: ids}`` for a model
        with several inputs. With ids, the report also checks each Embedding's
        id range and how much padding an unmasked average takes in.

    Returns
    -------
    ModelReport
        ``report.layers``: one :class:`~embedpool_utils.inspector.report.LayerRow` per
        layer call in data-flow order, with Keras' output shape, the axis
        names and what happens to the mask; ``report.findings``: the problems,
        worded with this model's numbers (see :mod:`~embedpool_utils.inspector.findings`).

    Raises
    ------
    TypeError
        If ``model`` is not a Keras 3 model, or ``ids`` are not integers.
    ValueError
        If the model is not built yet (no shapes to report), has no layer
        graph (a subclassed model), or ``ids`` do not fit its input.

    Examples
    --------
    >>> import keras
    >>> model = keras.Sequential([keras.Input((10,), dtype="int32", name="ids"),
    ...                           keras.layers.Embedding(30, 7, name="embedding"),
    ...                           keras.layers.GlobalAveragePooling1D(data_format="channels_first", name="pool")])
    >>> report = inspect_model(model)
    >>> report.layer("pool").output_shape, report.layer("pool").axes
    ((None, 10), ('batch', 'tokens'))
    >>> report.codes
    ('pool-over-features',)
    """
    try:
        import keras  # optional: only a model made with Keras can be inspected, so it is installed then
    except ImportError:
        raise TypeError(
            f"inspect_model needs a Keras 3 model; got {type(model).__name__}, and Keras is not installed."
        ) from None

    if not isinstance(model, keras.Model):
        raise TypeError(
            f"inspect_model needs a Keras 3 model (keras.Sequential or keras.Model); got {type(model).__name__}. "
            "For a single layer, put it in a model: keras.Sequential([keras.Input(shape), layer])."
        )
    graph = graph_of(model)
    if graph is None:
        if isinstance(model, keras.Sequential):
            raise ValueError(
                f"the Sequential model {model.name!r} is not built yet, so it has no shapes to report: "
                "start it with keras.Input(shape=...) or call it once on a batch."
            )
        raise ValueError(
            f"the model {model.name!r} ({type(model).__name__}) is a subclassed model: its layers are joined "
            "in Python code the inspector cannot read. Inspect a functional or Sequential version of it."
        )
    walk = Walk(keras=keras, image_data_format=keras.config.image_data_format())
    given = ids_for_inputs(graph, ids)
    states = [Tensor(unknown_axes(len(t.shape), batch_first=True), ids=i) for t, i in zip(graph.inputs, given)]
    walk_graph(walk, graph, states, prefix="", top=True)
    rows = tuple(row.finished() for row in walk.rows)
    return ModelReport(model.name, rows, tuple(walk.findings), ids_checked=ids is not None)
