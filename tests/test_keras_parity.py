"""Parity with the real Keras 3 layers (JAX backend, CPU).

These tests are the reason the notebooks can say "our numpy reasoning predicts
Keras exactly". They are not optional: if Keras cannot be imported the module
fails, it is not skipped.
"""

import itertools
import warnings

import keras
import numpy as np
import pytest

from embedpool_utils import (
    FullyMaskedWarning,
    embedding_lookup,
    global_average_pool_1d,
    init_embedding,
    one_hot,
    padding_mask,
    pooled_shape,
)

RTOL, ATOL = 1e-5, 1e-7


def test_keras_runs_on_jax():
    assert keras.backend.backend() == "jax"


def make_embedding(table, **kwargs):
    layer = keras.layers.Embedding(table.shape[0], table.shape[1], **kwargs)
    layer.build((None,))
    layer.set_weights([table])
    return layer


@pytest.mark.parametrize("vocab, dim, id_shape", [(30, 7, (2, 10)), (5, 1, (3,)), (12, 4, (2, 3, 4)), (2, 16, (1, 1))])
def test_lookup_matches_keras_embedding(vocab, dim, id_shape):
    rng = np.random.default_rng(vocab * dim)
    table = init_embedding(vocab, dim, seed=vocab)
    ids = rng.integers(0, vocab, size=id_shape)
    expected = np.asarray(make_embedding(table)(ids))
    assert expected.shape == ids.shape + (dim,)
    np.testing.assert_array_equal(embedding_lookup(table, ids), expected)
    np.testing.assert_array_equal(one_hot(ids, vocab) @ table, expected)


def test_parameter_count_matches_keras():
    for vocab, dim in [(30, 7), (1, 1), (1000, 64)]:
        assert make_embedding(init_embedding(vocab, dim)).count_params() == vocab * dim


def test_keras_default_initializer_has_the_same_bounds():
    keras.utils.set_random_seed(0)
    layer = keras.layers.Embedding(300, 20)
    layer.build((None,))
    weights = np.asarray(layer.embeddings)
    ours = init_embedding(300, 20, seed=0)
    assert weights.dtype == ours.dtype
    for table in (weights, ours):
        assert -0.05 <= table.min() < -0.049 and 0.049 < table.max() < 0.05


def test_padding_mask_matches_mask_zero():
    ids = np.array([[3, 1, 0, 0], [0, 0, 0, 0], [5, 0, 2, 0]])
    layer = make_embedding(init_embedding(6, 2, seed=0), mask_zero=True)
    np.testing.assert_array_equal(padding_mask(ids), np.asarray(layer.compute_mask(ids)))


def test_keras_behaviour_we_refuse_is_still_what_we_document():
    """Our error messages describe what Keras does with bad ids; check they stay true."""
    table = init_embedding(4, 3, seed=0)
    layer = make_embedding(table)
    out = np.asarray(layer(np.array([[-1, 4, 2]])))
    np.testing.assert_array_equal(out[0, 0], table[-1])  # -1 wraps to the last row
    assert np.isnan(out[0, 1]).all()  # an id == vocab_size gives NaN on JAX
    float_ids = np.asarray(layer(np.array([[2.7]])))
    np.testing.assert_array_equal(float_ids[0, 0], table[2])  # 2.7 is truncated to 2


MASKS = {
    "none": None,
    "all": lambda b, s: np.ones((b, s), bool),
    "ragged": lambda b, s: np.arange(s)[None, :] < np.maximum(1, s - np.arange(b))[:, None],
    "one row empty": lambda b, s: np.vstack([np.ones((b - 1, s), bool), np.zeros((1, s), bool)]),
}
SHAPES = [(2, 10, 7), (3, 4, 4), (1, 1, 5), (4, 6, 1)]


@pytest.mark.parametrize(
    "shape, data_format, keepdims, mask_name",
    [
        case
        for case in itertools.product(SHAPES, ["channels_last", "channels_first"], [False, True], MASKS)
        # with a batch of one, "one row empty" would be "everything empty"
        if not (case[0][0] == 1 and case[3] == "one row empty")
    ]
    + [((1, 3, 2), "channels_last", False, "one row empty")],
)
def test_pooling_matches_keras(shape, data_format, keepdims, mask_name):
    x = np.random.default_rng(sum(shape)).normal(size=shape).astype("float32")
    steps = shape[1] if data_format == "channels_last" else shape[2]
    mask = None if MASKS[mask_name] is None else MASKS[mask_name](shape[0], steps)

    layer = keras.layers.GlobalAveragePooling1D(data_format=data_format, keepdims=keepdims)
    expected = np.asarray(layer(x) if mask is None else layer(x, mask=mask))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FullyMaskedWarning)
        ours = global_average_pool_1d(x, data_format=data_format, mask=mask, keepdims=keepdims)

    assert ours.shape == expected.shape
    assert ours.dtype == expected.dtype
    np.testing.assert_allclose(ours, expected, rtol=RTOL, atol=ATOL)  # NaN == NaN here
    if mask_name == "one row empty":
        assert np.isnan(expected[-1]).all() and np.isnan(ours[-1]).all()


@pytest.mark.parametrize("dtype", ["float16"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("mask_name", ["none", "ragged"])
def test_pooling_matches_keras_in_other_float_dtypes(dtype, data_format, mask_name):
    """Keras keeps the dtype of its input; so do we. float16 is compared at float16's precision.

    (float64 cannot be compared here: JAX without jax_enable_x64 computes it in
    float32. tests/test_core.py checks that float64 stays float64.)
    """
    shape = (3, 40, 5)
    x = np.random.default_rng(5).normal(size=shape).astype(dtype)
    steps = shape[1] if data_format == "channels_last" else shape[2]
    mask = None if MASKS[mask_name] is None else MASKS[mask_name](shape[0], steps)
    layer = keras.layers.GlobalAveragePooling1D(data_format=data_format, dtype=dtype)
    expected = np.asarray(layer(x) if mask is None else layer(x, mask=mask))
    ours = global_average_pool_1d(x, data_format=data_format, mask=mask)
    assert ours.dtype == expected.dtype == np.dtype(dtype)
    np.testing.assert_allclose(ours.astype("float64"), expected.astype("float64"), rtol=1e-3, atol=1e-3)


def test_pooled_embedding_model_matches_keras_end_to_end():
    """Embedding(mask_zero=True) -> GlobalAveragePooling1D inside a real model."""
    table = init_embedding(30, 7, seed=2)
    ids = np.array([[5, 9, 9, 2, 0, 0, 0, 0, 0, 0], [1, 2, 3, 4, 5, 6, 7, 8, 9, 29]])
    inputs = keras.Input((10,), dtype="int32")
    embedded = make_embedding(table, mask_zero=True)(inputs)
    model = keras.Model(inputs, keras.layers.GlobalAveragePooling1D()(embedded))
    expected = np.asarray(model(ids))
    ours = global_average_pool_1d(embedding_lookup(table, ids), mask=padding_mask(ids))
    np.testing.assert_allclose(ours, expected, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("shape", [(None, 10, 7), (2, 10, 7), (None, 7, 7), (4, 1, 3)])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("keepdims", [False, True])
def test_pooled_shape_matches_keras(shape, data_format, keepdims):
    layer = keras.layers.GlobalAveragePooling1D(data_format=data_format, keepdims=keepdims)
    assert pooled_shape(shape, data_format=data_format, keepdims=keepdims) == tuple(layer.compute_output_shape(shape))


def test_summaries_side_by_side_show_both_pooled_shapes():
    from embedpool_utils.summary_tables import side_by_side, summary_text

    def model(data_format):
        return keras.Sequential(
            [
                keras.Input((10,), dtype="int32"),
                keras.layers.Embedding(30, 7),
                keras.layers.GlobalAveragePooling1D(data_format=data_format),
            ],
            name=data_format,
        )

    text = side_by_side([summary_text(model(f)) for f in ("channels_last", "channels_first")])
    rows = [line for line in text.splitlines() if "(None, 7)" in line]
    assert len(rows) == 1 and "(None, 10)" in rows[0], text  # the two pooled shapes stand on one line
    assert "\x1b[" not in text  # plain text, no terminal colours


@pytest.mark.parametrize("shape, data_format", [((2, 0, 7), "channels_last"), ((2, 7, 0), "channels_first")])
def test_pooling_zero_steps_is_nan_in_keras_too(shape, data_format):
    """Our zero-length answer (NaN, with FullyMaskedWarning) is what Keras returns."""
    x = np.zeros(shape, "float32")
    expected = np.asarray(keras.layers.GlobalAveragePooling1D(data_format=data_format)(x))
    with pytest.warns(FullyMaskedWarning):
        ours = global_average_pool_1d(x, data_format=data_format)
    assert ours.shape == expected.shape == (2, 7)
    assert np.isnan(expected).all() and np.isnan(ours).all()


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("masked", [False, True])
def test_long_float16_sequences_are_added_up_in_float32_as_in_keras(masked, data_format):
    """A float16 running sum of 4096 ones stops at 2048; Keras on JAX and we both add in float32."""
    x = np.ones((1, 4096, 2) if data_format == "channels_last" else (1, 2, 4096), "float16")
    mask = np.ones((1, 4096), bool) if masked else None
    layer = keras.layers.GlobalAveragePooling1D(data_format=data_format, dtype="float16")
    expected = np.asarray(layer(x) if mask is None else layer(x, mask=mask))
    ours = global_average_pool_1d(x, data_format=data_format, mask=mask)
    assert expected.dtype == ours.dtype == np.float16
    assert expected.tolist() == ours.tolist() == [[1.0, 1.0]]
