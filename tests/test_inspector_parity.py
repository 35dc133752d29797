"""The inspector against Keras itself: output shapes, axis names and masks.

Nothing expected here comes from the inspector's own tables. Shapes are
Keras' (``layer.output.shape`` and ``layer.compute_output_shape``). Axis
names come from an experiment on Keras: build the same model again with a
longer sequence, and again with every layer one unit wider, and see which
axes of Keras' output shapes move: an axis that follows the sequence length
is the tokens, one that follows the widths is the features, and the open
one is the batch. Masks come from Keras too: whether it attached a mask to a
layer's symbolic output, and which layers it warned about dropping one.
"""

from __future__ import annotations

import itertools
import re
import warnings

import keras
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import embedpool_utils as ep

L = keras.layers
SEQ_LEN, LONGER = 10, 12
MIDDLES = (None, "Dense", "Conv1D", "LSTM", "Dropout")
POOLINGS = [
    (kind, data_format, {"keepdims": keepdims})
    for kind in ("GlobalAveragePooling1D", "GlobalMaxPooling1D")
    for data_format in ep.DATA_FORMATS
    for keepdims in (False, True)
] + [
    (kind, data_format, {"pool_size": 2})
    for kind in ("AveragePooling1D", "MaxPooling1D")
    for data_format in ep.DATA_FORMATS
]
DROPPED_WARNING = re.compile(r"Layer '([^']+)' \(of type \w+\) was passed an input with a mask")


def middle_layer(kind, width):
    return {
        "Dense": lambda: L.Dense(width, name="middle"),
        "Conv1D": lambda: L.Conv1D(width, 3, name="middle"),
        "LSTM": lambda: L.LSTM(width, return_sequences=True, name="middle"),
        "Dropout": lambda: L.Dropout(0.5, name="middle"),
    }[kind]()


def grid_model(masked, middle, pooling, *, seq_len=SEQ_LEN, wider=0):
    """Embedding → optional middle layer → pooling → Dense; returns the model and the layers Keras warned about."""
    kind, data_format, options = pooling
    layers = [
        keras.Input((seq_len,), dtype="int32", name="token_ids"),
        L.Embedding(30, 7 + wider, mask_zero=masked, name="embedding"),
    ]
    if middle:
        layers.append(middle_layer(middle, 5 + wider))
    layers += [getattr(L, kind)(data_format=data_format, name="pool", **options), L.Dense(3 + wider, name="head")]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = keras.Sequential(layers, name="grid")
    dropped = {m.group(1) for w in caught if (m := DROPPED_WARNING.search(str(w.message)))}
    return model, dropped


def axes_by_experiment(shape, longer, wider, input_axes):
    """Name each axis of a Keras output shape by what its size follows."""
    names = []
    for i, (size, size_longer, size_wider) in enumerate(zip(shape, longer, wider)):
        follows_tokens, follows_width = size_longer != size, size_wider != size
        if size is None:
            names.append("batch")
        elif follows_tokens and not follows_width:
            names.append("tokens")
        elif follows_width and not follows_tokens:
            names.append("features")
        elif not follows_tokens and not follows_width and size == 1:
            names.append(input_axes[i])  # an axis kept with length 1 (keepdims): the pooled one
        else:
            names.append("?")
    return tuple(names)


def has_keras_mask(tensor):
    # Keras 3 keeps the mask of a symbolic tensor in this attribute; it has no public getter.
    return getattr(tensor, "_keras_mask", None) is not None


def expected_mask(had_mask, has_mask, warned):
    if warned:
        return "dropped"
    if had_mask:
        return "passed" if has_mask else "consumed"
    return "produced" if has_mask else "none"


GRID = list(itertools.product((False, True), MIDDLES, POOLINGS))


@pytest.mark.parametrize(
    "masked, middle, pooling",
    GRID,
    ids=[f"{'masked' if m else 'plain'}-{mid or 'none'}-{p[0]}-{p[1]}-{p[2]}" for m, mid, p in GRID],
)
def test_grid_shapes_axes_and_masks_agree_with_keras(masked, middle, pooling):
    model, dropped = grid_model(masked, middle, pooling)
    longer, _ = grid_model(masked, middle, pooling, seq_len=LONGER)
    wider, _ = grid_model(masked, middle, pooling, wider=1)
    report = ep.inspect_model(model)

    names = ["token_ids", "embedding"] + (["middle"] if middle else []) + ["pool", "head"]
    assert [row.name for row in report.layers] == names
    assert [row.type for row in report.layers[1:]] == [type(layer).__name__ for layer in model.layers]

    input_row = report.layers[0]
    assert input_row.output_shape == tuple(model.inputs[0].shape) and input_row.mask == "none"
    previous_axes = axes_by_experiment(model.inputs[0].shape, longer.inputs[0].shape, wider.inputs[0].shape, ())
    assert input_row.axes == previous_axes
    had_mask, previous_shape = False, tuple(model.inputs[0].shape)
    for row, layer in zip(report.layers[1:], model.layers):
        shape = tuple(layer.output.shape)
        assert row.output_shape == shape
        assert tuple(layer.compute_output_shape(previous_shape)) == shape
        expected_axes = axes_by_experiment(
            shape, longer.get_layer(row.name).output.shape, wider.get_layer(row.name).output.shape, previous_axes
        )
        assert row.axes == expected_axes, row.name
        has_mask = has_keras_mask(layer.output)
        assert row.mask == expected_mask(had_mask, has_mask, row.name in dropped), row.name
        previous_axes, had_mask, previous_shape = expected_axes, has_mask, shape

    # The pooling finding agrees with the axis Keras really reduced.
    pool = model.get_layer("pool")
    before, after = report.layers[names.index("pool") - 1].output_shape, tuple(pool.output.shape)
    changed = [i for i in range(3) if len(after) == 3 and after[i] != before[i]]
    (axis,) = ep.averaged_axes(before, after) if len(after) == 2 or pooling[2].get("keepdims") else changed
    pool_axes = report.layer("pool")
    reduced = report.layers[names.index("pool") - 1].axes[axis]
    assert pool_axes.note, "a pooling layer says what it pools"
    assert ("pool-over-features" in report.codes) == (reduced == "features")


def test_grid_models_are_built_without_running_any_data():
    """The grid only builds symbolic models: the inspector neither runs nor changes them."""
    model, _ = grid_model(True, "LSTM", POOLINGS[0])
    weights = [w.copy() for w in model.get_weights()]
    nodes = {layer.name: len(layer._inbound_nodes) + len(layer._outbound_nodes) for layer in model.layers}
    ep.inspect_model(model)
    ep.inspect_model(model)
    assert all(np.array_equal(a, b) for a, b in zip(weights, model.get_weights()))
    assert nodes == {layer.name: len(layer._inbound_nodes) + len(layer._outbound_nodes) for layer in model.layers}


# --- functional and nested models, and layers the inspector does not know ---------


def functional_models(seq_len=SEQ_LEN, wider=0):
    """Models beyond a chain, each built for a sequence length and a width (see axes_by_experiment)."""
    dim, units = 8 + 2 * wider, 5 + wider

    def start():
        ids = keras.Input((seq_len,), dtype="int32", name="token_ids")
        return ids, L.Embedding(30, dim, mask_zero=True, name="embedding")(ids)

    ids, x = start()
    branches = L.Concatenate(name="both")(
        [
            L.GlobalAveragePooling1D(name="avg")(L.Dense(units, name="dense")(x)),
            L.GlobalMaxPooling1D(name="max")(L.Conv1D(units, 3, name="conv")(x)),
        ]
    )
    two_branches = keras.Model(ids, L.Dense(2 + wider, name="out")(branches), name="two_branches")

    ids, x = start()
    attended = L.MultiHeadAttention(num_heads=2, key_dim=4, name="attention")(x, x)
    block = L.LayerNormalization(name="norm")(L.Add(name="add")([x, attended]))
    transformer = keras.Model(
        ids, L.Dense(2 + wider, name="out")(L.GlobalAveragePooling1D(name="pool")(block)), name="transformer"
    )

    encoder = keras.Sequential(
        [keras.Input((seq_len, dim)), L.Dense(units, name="dense"), L.GlobalAveragePooling1D(name="pool")],
        name="encoder",
    )
    ids, x = start()
    nested = keras.Model(ids, L.Dense(2 + wider, name="out")(encoder(x)), name="nested")

    embedder = keras.Sequential(
        [keras.Input((seq_len,), dtype="int32"), L.Embedding(30, dim, name="embedding"), L.Dense(units, name="dense")],
        name="embedder",
    )
    ids = keras.Input((seq_len,), dtype="int32", name="token_ids")
    outer_pool = L.GlobalAveragePooling1D(data_format="channels_first", name="pool")(embedder(ids))
    embedding_inside = keras.Model(ids, L.Dense(2 + wider, name="out")(outer_pool), name="embedding_inside")
    return {m.name: m for m in (two_branches, transformer, nested, embedding_inside)}


def keras_layer(model, path):
    for name in path.split("/"):
        model = model.get_layer(name)
    return model


@pytest.mark.filterwarnings("ignore:Layer '.*' .of type .*. was passed an input with a mask:UserWarning")
@pytest.mark.parametrize("name", ["two_branches", "transformer", "nested", "embedding_inside"])
def test_functional_and_nested_models_agree_with_keras(name):
    model = functional_models()[name]
    longer, wider = functional_models(seq_len=LONGER)[name], functional_models(wider=1)[name]
    report = ep.inspect_model(model)
    order = [row.name for row in report.layers]
    for row in report.layers[1:]:
        layer = keras_layer(model, row.name)
        assert row.type == type(layer).__name__
        shape = tuple(layer.output.shape)
        assert row.output_shape == shape
        assert row.axes == axes_by_experiment(
            shape, keras_layer(longer, row.name).output.shape, keras_layer(wider, row.name).output.shape, ()
        ), row.name
        if "/" not in row.name:  # data-flow order: the layers it reads from are listed before it
            for tensor in keras.tree.flatten(layer._inbound_nodes[0].arguments.args[0]):
                producer = tensor._keras_history.operation.name  # Keras' record of who made the tensor
                earlier = [i for i, n in enumerate(order) if n == producer or n.startswith(producer + "/")]
                assert earlier and max(earlier) < order.index(row.name), (row.name, producer)
    assert report.layer("token_ids").axes == ("batch", "tokens")  # an Embedding, even a nested one, reads token ids


def masked_mean(values, real):
    """Mean over axis 1 of ``values`` (batch, steps, features) counting only the steps where ``real``."""
    return (values * real[..., None]).sum(axis=1) / real.sum(axis=1, keepdims=True)


@pytest.mark.filterwarnings("ignore:Layer '.*' .of type .*. was passed an input with a mask:UserWarning")
@pytest.mark.parametrize("inner_layer, mask_reaches_pool", [(L.Dense, True), (L.Conv1D, False)])
def test_nested_model_passes_the_mask_as_keras_does_at_run_time(inner_layer, mask_reaches_pool):
    """Keras warns that a nested model drops the mask, yet at run time the mask of its last layer gets through."""
    units = 4
    inner = keras.Sequential(
        [
            keras.Input((6, units)),
            inner_layer(units, kernel_initializer="identity", name="inner")
            if inner_layer is L.Dense
            else L.Conv1D(units, 1, kernel_initializer="ones", name="inner"),
        ],
        name="block",
    )
    ids = keras.Input((6,), dtype="int32", name="token_ids")
    embedding = L.Embedding(30, units, mask_zero=True, name="embedding")
    model = keras.Model(ids, L.GlobalAveragePooling1D(name="pool")(inner(embedding(ids))), name="outer")
    table = np.arange(30 * units, dtype="float32").reshape(30, units)
    embedding.set_weights([table])
    batch = np.array([[1, 2, 0, 0, 0, 0], [3, 4, 5, 0, 0, 0]])
    inner_out = np.asarray(model.get_layer("block")(table[batch]))
    keras_result = np.asarray(model.predict(batch, verbose=0))
    assert np.allclose(keras_result, masked_mean(inner_out, batch != 0)) == mask_reaches_pool
    assert np.allclose(keras_result, inner_out.mean(axis=1)) != mask_reaches_pool

    report = ep.inspect_model(model)
    assert report.layer("block/inner").mask == ("passed" if mask_reaches_pool else "dropped")
    assert report.layer("pool").mask == ("consumed" if mask_reaches_pool else "none")


class Doubler(keras.layers.Layer):
    """A layer of our own: the inspector has no rule for it, and finds its axes by running it."""

    def call(self, x):
        return x * 2


def unknowns_model(seq_len=SEQ_LEN, wider=0):
    """Layers without a rule (our own, Lambda, keras.ops, Reshape), built for a sequence length and a width."""
    dim = 8 + wider
    ids = keras.Input((seq_len,), dtype="int32", name="token_ids")
    x = L.Embedding(30, dim, name="embedding")(ids)
    doubled = Doubler(name="doubler")(x)
    flipped = L.Lambda(lambda t: t[:, ::-1], name="flip")(x)
    reshaped = L.Reshape((seq_len * dim,), name="reshape")(x)
    mean = keras.ops.mean(x, axis=1)
    sequence, hidden, cell = L.LSTM(4 + wider, return_sequences=True, return_state=True, name="lstm")(x)
    pooled = L.GlobalAveragePooling1D(data_format="channels_first", name="pool")(doubled)
    merged = L.Concatenate(name="merged")([pooled, L.Flatten(name="flat")(flipped), reshaped, mean, hidden])
    return keras.Model(ids, [merged, sequence, cell], name="unknowns")


@pytest.mark.filterwarnings("ignore:Layer '.*' .of type .*. was passed an input with a mask:UserWarning")
def test_layers_without_a_rule_get_keras_shapes_and_the_axes_the_experiment_finds():
    model, longer, wider = unknowns_model(), unknowns_model(seq_len=LONGER), unknowns_model(wider=1)
    report = ep.inspect_model(model)
    position = {op.name: i for i, op in enumerate(model.operations)}  # keras.ops calls get fresh names per model
    for row in report.layers[1:]:
        name = row.name
        shapes = [
            [tuple(t.shape) for t in keras.tree.flatten(m.operations[position[name]].output)]
            for m in (model, longer, wider)
        ]
        outputs, other = shapes[0], shapes[1:]
        assert row.output_shape == (outputs[0] if len(outputs) == 1 else tuple(outputs))
        expected = tuple(axes_by_experiment(*shapes, ()) for shapes in zip(outputs, *other))
        assert row.axes == (expected[0] if len(expected) == 1 else expected), name
    assert report.layer("doubler").probed and not report.layer("lstm").probed
    assert report.layer("reshape").axes == ("batch", "?")  # an axis that follows both: nothing to name
    assert [(f.code, f.layer) for f in report.findings] == [("pool-over-features", "pool"), ("flatten-tokens", "flat")]


@settings(max_examples=30)  # each new shape costs Keras a compilation
@given(
    length=st.integers(1, 9),
    pool_size=st.integers(1, 4),
    strides=st.integers(1, 4),
    padding=st.sampled_from(["valid", "same"]),
)
def test_window_coverage_is_what_keras_pooling_reads(length, pool_size, strides, padding):
    """Pool an identity matrix: position j is read by some window exactly when column j comes out non-zero."""
    assume(padding == "same" or pool_size <= length)
    pooling = L.AveragePooling1D(pool_size, strides=strides, padding=padding)
    read = np.asarray(pooling(np.eye(length, dtype="float32")[None]))[0].any(axis=0)
    assert np.array_equal(ep.shapes.window_coverage(length, pool_size, strides, padding), read)
