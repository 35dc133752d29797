"""Read a Keras 3 model layer by layer: name every axis, follow the padding mask, collect the findings.

:func:`inspect_model` walks the model's graph in data-flow order, the order
in which Keras itself runs it, without running your data through it and
without changing it. For every layer call it records Keras' own output shape,
names the axes (:func:`~embedpool_utils.inspector.axes.layer_output_axes`), follows
the mask the way Keras does, and hands what it knows to the rules of
:mod:`~embedpool_utils.inspector.findings`. A layer the axes module has no
rule for (your own, a ``Lambda``, a ``keras.ops`` call) is run on small
seeded test inputs instead (:mod:`~embedpool_utils.inspector.probe`), without
changing it; what neither settles stays ``"?"``, and every pooling, Flatten or
reduction such an axis reaches is listed in a notice of the report.

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

import dataclasses
from collections.abc import Mapping
from typing import Any

from numpy.typing import ArrayLike

from embedpool_utils.inspector.axes import embedding_input_axes, has_rule, layer_output_axes, unknown_axes
from embedpool_utils.inspector.facts import LayerFacts
from embedpool_utils.inspector.findings import layer_findings
from embedpool_utils.inspector.keras_graph import (
    applies_mask,
    call_number,
    fresh,
    graph_of,
    mask_plumbing,
    nodes_in_order,
    output_masks,
    shape_of,
)
from embedpool_utils.inspector.probe import Probe, padded_step_outputs, probe_layer
from embedpool_utils.inspector.report import ModelReport, Notice
from embedpool_utils.inspector.sample_ids import ids_for_inputs
from embedpool_utils.inspector.state import Mask, Row, Tensor, Walk, has_unknown, layer_kind, lost_words
from embedpool_utils.shapes import BATCH, POOLINGS_1D, TOKENS, UNKNOWN, PoolingReduction

__all__ = ["inspect_model"]


def worth_probing(tensor: Tensor, symbolic: Any) -> bool:
    """A test run can only name axes after something named: a named axis, or integer ids to read as tokens."""
    named = any(name not in (BATCH, UNKNOWN) for name in tensor.axes)
    ids = "int" in str(symbolic.dtype) and len(tensor.axes) == 2
    return named or ids


def probed_reduction(probe: Probe, input_shape: tuple, input_axes: tuple, output_shape: tuple) -> Any:
    """A probe's reduction of one axis of a (batch, ·, ·) input, as the pooling rules read it; else None."""
    axis = probe.reduced_axis
    if axis not in (1, 2) or len(input_shape) != 3 or len(output_shape) not in (2, 3):
        return None
    other = 3 - axis
    return PoolingReduction(
        probe.operation or "reduction",
        True,
        axis,
        input_axes[axis],
        input_shape[axis],
        input_axes[other],
        input_shape[other],
    )


def probed_axes(
    walk: Walk, layer: Any, node: Any, state: Tensor, symbolic: Any, out_axes: tuple, mask_in: Mask | None
) -> tuple[Probe | None, tuple]:
    """Run a layer without a rule on test inputs: the probe (None if nothing came of it) and the output axes.

    ``state`` (the first input) is renamed in place when the run shows what its
    axes hold (integer ids read one position at a time are token ids).
    """
    if not worth_probing(state, symbolic):
        return None, out_axes
    mask_shape = tuple(mask_in.symbolic.shape) if mask_in is not None else None
    probe = probe_layer(walk.keras, layer, node, state.axes, mask_shape=mask_shape)
    if probe is None or len(probe.output_axes) != len(out_axes):
        return None, out_axes
    if probe.input_axes is not None:
        state.axes, state.lost_at = probe.input_axes, None
    return probe, tuple(
        found if len(found) == len(ruled) else ruled for found, ruled in zip(probe.output_axes, out_axes)
    )


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
    # Keras' own layers with a rule get named axes; the others are run on test inputs (probe.py), if worth it.
    keras_layer = isinstance(layer, keras.Layer) and type(layer).__module__.startswith("keras.")
    layer_type = type(layer).__name__
    try:
        config = layer.get_config()
    except Exception:  # some custom layers cannot describe themselves; their axes come from a probe, or stay "?"
        config = {}

    if layer_type == "Embedding" and keras_layer and inputs:
        inputs[0].axes = embedding_input_axes(inputs[0].axes)  # an Embedding reads its input as token ids
        inputs[0].lost_at = None
    out_shapes = [shape_of(t) for t in node.outputs]
    out_axes = layer_output_axes(
        layer_type if keras_layer else None, config, [t.axes for t in inputs], [len(s) for s in out_shapes]
    )
    uses = isinstance(layer, keras.Layer) and applies_mask(layer)
    probe = None
    if shown and first_inputs and not (keras_layer and has_rule(layer_type)):
        probe, out_axes = probed_axes(
            walk, layer, node, inputs[0], first_inputs[0], out_axes, mask_in if uses else None
        )
    why = lost_words(name, layer_type, layer_kind(keras, layer, keras_layer), probe is not None)

    masks_out = output_masks(walk.keras, layer, node, incoming)
    if mask_in is not None and not getattr(layer, "supports_masking", False):
        status = "consumed" if uses else "dropped"  # Keras hands a call that takes it the mask, then drops it
    elif mask_in is not None:
        status = "passed" if any(m is not None for m in masks_out) else ("consumed" if uses else "dropped")
    else:
        status = "produced" if any(m is not None for m in masks_out) else "none"

    lost_before = next((t.lost_at for t in inputs if t.lost_at), None)
    outputs = []
    for index, (shape, axes) in enumerate(zip(out_shapes, out_axes)):
        mask = None
        symbolic = masks_out[index] if index < len(masks_out) else None
        if symbolic is not None:
            if mask_in is not None:  # the same mask, passed on (and applied here, if this layer takes it)
                mask = Mask(symbolic, mask_in.axes, mask_in.origin, mask_in.used or uses)
                mask.applied_by, mask.applied_name, mask.applied_shape = (
                    (layer, name, shape_of(first_inputs[0]))
                    if uses and first_inputs
                    else (mask_in.applied_by, mask_in.applied_name, mask_in.applied_shape)
                )
            else:
                mask = Mask(symbolic, axes[: len(symbolic.shape)], name)
        token_ids = carried_token_ids(layer_type, keras_layer, inputs, shape, axes)
        lost = None
        if has_unknown(axes):
            lost = lost_before or walk.lose(name, why)
        ids_input = next((t.ids_input for t in inputs if t.ids_input), "")
        outputs.append(Tensor(axes, mask, token_ids=token_ids, ids_input=ids_input, lost_at=lost))
    if not shown:
        return outputs

    input_shape = shape_of(first_inputs[0]) if first_inputs else None
    input_axes = inputs[0].axes if inputs else None
    reduction = None
    if probe is not None and input_shape is not None and input_axes is not None:
        reduction = probed_reduction(probe, input_shape, input_axes, out_shapes[0])
    facts = LayerFacts(
        name=name,
        type=layer_type,
        config=config,
        keras_layer=keras_layer,
        input_shape=input_shape,
        input_axes=input_axes,
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
        probed=probe is not None,
        probe_reduction=reduction,
        ids_input=inputs[0].ids_input if inputs and walk.inputs > 1 else "",
        mask_applied_by=mask_in.applied_name if mask_in else "",
    )
    if facts.max_over_steps and mask_in is not None and mask_in.used and not uses:
        facts = measured_padding(walk, facts, mask_in)
    checked = input_axes is not None and not has_unknown(input_axes)
    if reduces(facts, len(out_shapes[0]) if out_shapes else 0) and not checked and inputs:
        origin = inputs[0].lost_at or walk.lose(name, why)
        verb = "flattens" if layer_type == "Flatten" else "reduces"
        walk.lost[origin][1].append(f"what '{name}' ({layer_type}) {verb}")
    walk.findings.extend(layer_findings(facts))
    note = facts.note
    if probe is not None and not any(has_unknown(t.axes) for t in outputs):
        note = f"{note} (found by running it on test inputs)" if note else "axes found by running it on test inputs"
    elif probe is not None:
        note = "run on test inputs, but what its axes hold (?) could not be settled"
    walk.rows.append(Row(name, layer_type, out_shapes, outputs, status, note, facts.reduction, probe is not None))
    return outputs


def reduces(facts: LayerFacts, output_rank: int) -> bool:
    """A pooling, a Flatten, or a layer whose output has fewer axes than its input: its axes must be known to check it."""
    if facts.type in POOLINGS_1D or facts.type == "Flatten" or facts.probe_reduction is not None:
        return True
    return facts.input_axes is not None and not facts.keras_layer and output_rank < len(facts.input_axes)


def measured_padding(walk: Walk, facts: LayerFacts, mask_in: Mask) -> LayerFacts:
    """The facts with what the layer that applied the mask outputs at padded steps, measured on a copy of it."""
    key = id(mask_in.applied_by)
    if key not in walk.padded_steps:
        walk.padded_steps[key] = padded_step_outputs(walk.keras, mask_in.applied_by, mask_in.applied_shape)
    measured = walk.padded_steps[key]
    if measured is None:
        walk.unmeasured.append(
            Notice(
                facts.name,
                f"'{facts.name}' takes a maximum over steps that include the padded ones, whose values come from "
                f"'{mask_in.applied_name}'. What that layer outputs at padded steps could not be measured on a copy "
                "of it, so whether they change the maximum was not checked.",
            )
        )
    return dataclasses.replace(facts, padded_steps=measured)


def carried_token_ids(layer_type: str, keras_layer: bool, inputs: list[Tensor], shape: tuple, axes: tuple) -> Any:
    """The sample ids behind the output's tokens axis, while each position still stands for one token."""
    if layer_type == "Embedding" and keras_layer and inputs and inputs[0].ids is not None:
        return inputs[0].ids if inputs[0].ids.ndim == 2 else None
    ids: Any = next((t.token_ids for t in inputs if t.token_ids is not None), None)
    if ids is None and inputs and inputs[0].ids is not None and inputs[0].axes.count(TOKENS) == 1:
        ids = inputs[0].ids if inputs[0].ids.ndim == 2 else None  # token ids read by a layer of your own
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
    in_graph = {id(node) for node in nodes}
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
            shown = id(node) not in plumbing
            call = call_number(operation, node, in_graph)
            name = prefix + operation.name + (f" (call {call})" if call > 1 else "")  # a shared layer's later calls
            outputs = layer_step(walk, operation, node, name, shown=shown)
        for tensor, state in zip(node.outputs, outputs):
            walk.tensors[id(tensor)] = state
    return [walk.tensors[id(t)] for t in graph.outputs]


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
        if isinstance(model, keras.Sequential) and model.built:
            raise ValueError(
                f"Keras could not trace the Sequential model {model.name!r} layer by layer (a layer could not "
                "compute its output shape), so there is no graph to read: build it as a functional model, "
                "or call it once on a batch."
            )
        if isinstance(model, keras.Sequential):
            raise ValueError(
                f"the Sequential model {model.name!r} is not built yet, so it has no shapes to report: "
                "start it with keras.Input(shape=...) or call it once on a batch."
            )
        raise ValueError(
            f"the model {model.name!r} ({type(model).__name__}) is a subclassed model: its layers are joined "
            "in Python code the inspector cannot read. Inspect a functional or Sequential version of it."
        )
    walk = Walk(keras=keras, image_data_format=keras.config.image_data_format(), inputs=len(graph.inputs))
    given = ids_for_inputs(graph, ids)
    states = []
    for tensor, sample in zip(graph.inputs, given):
        state = Tensor(unknown_axes(len(tensor.shape), batch_first=True), ids=sample, ids_input=tensor.name)
        if has_unknown(state.axes):  # named later if an Embedding (or a probe) reads it as token ids
            state.lost_at = walk.lose(
                tensor.name,
                f"The axes of the input '{tensor.name}' could not be named: no Embedding reads it as token ids, "
                "so the tool cannot tell its tokens from its features.",
            )
        states.append(state)
    walk_graph(walk, graph, states, prefix="", top=True)
    rows = tuple(row.finished() for row in walk.rows)
    return ModelReport(
        model.name,
        rows,
        tuple(walk.findings),
        ids_checked=ids is not None,
        notices=walk.notices(),
        keras_version=keras.__version__,
    )
