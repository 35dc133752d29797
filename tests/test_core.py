"""Unit tests of the numeric core: small hand-made cases and every bad input."""

import warnings

import numpy as np
import pytest

from embedpool_utils import (
    FullyMaskedWarning,
    averaged_axes,
    embedding_lookup,
    global_average_pool_1d,
    init_embedding,
    one_hot,
    padding_mask,
    pooled_axis,
    pooled_shape,
)

# A table whose rows are easy to recognise: row i holds i*10 + column.
TABLE = np.arange(5)[:, None] * 10.0 + np.arange(3)[None, :]


# ---------------------------------------------------------------- init_embedding


def test_init_embedding_shape_dtype_and_bounds():
    table = init_embedding(30, 7, seed=1)
    assert table.shape == (30, 7)
    assert table.dtype == np.float32
    assert table.min() >= -0.05 and table.max() < 0.05


def test_init_embedding_same_seed_same_table_other_seed_other_table():
    assert np.array_equal(init_embedding(4, 3, seed=5), init_embedding(4, 3, seed=5))
    assert not np.array_equal(init_embedding(4, 3, seed=5), init_embedding(4, 3, seed=6))


def test_init_embedding_custom_bounds_and_dtype():
    table = init_embedding(200, 50, seed=0, minval=2.0, maxval=3.0, dtype="float64")
    assert table.dtype == np.float64
    assert table.min() >= 2.0 and table.max() < 3.0
    # A uniform draw of 10 000 numbers spreads over the whole interval.
    assert table.min() < 2.01 and table.max() > 2.99


def test_init_embedding_never_returns_maxval_after_rounding_to_float32():
    table = init_embedding(1000, 100, seed=3, minval=0.0, maxval=1e-30)
    assert (table < np.float32(1e-30)).all()


@pytest.mark.parametrize(
    "args, error, words",
    [
        ((0, 7), ValueError, "vocab_size must be a positive int"),
        ((30, -1), ValueError, "embedding_dim must be a positive int"),
        ((30.0, 7), TypeError, "vocab_size must be a positive int"),
        ((True, 7), TypeError, "vocab_size"),
    ],
)
def test_init_embedding_rejects_bad_sizes(args, error, words):
    with pytest.raises(error, match=words):
        init_embedding(*args)


def test_init_embedding_rejects_bad_bounds_and_dtype():
    with pytest.raises(ValueError, match="minval must be smaller than maxval"):
        init_embedding(3, 2, minval=0.1, maxval=0.1)
    with pytest.raises(TypeError, match="floating dtype"):
        init_embedding(3, 2, dtype="int32")


# ---------------------------------------------------------------- embedding_lookup


def test_lookup_returns_the_rows_of_the_ids():
    out = embedding_lookup(TABLE, [[4, 0, 4], [1, 2, 3]])
    assert out.shape == (2, 3, 3)
    assert out[0, 0].tolist() == [40.0, 41.0, 42.0]
    assert out[1, 2].tolist() == [30.0, 31.0, 32.0]
    assert np.array_equal(out[0, 0], out[0, 2])  # equal ids, equal rows


def test_lookup_keeps_any_id_shape():
    assert embedding_lookup(TABLE, 3).shape == (3,)
    assert embedding_lookup(TABLE, np.zeros((2, 3, 4), int)).shape == (2, 3, 4, 3)
    assert embedding_lookup(TABLE, np.zeros((0,), int)).shape == (0, 3)


@pytest.mark.parametrize("dtype", [np.int8, np.uint16, np.int32, np.int64])
def test_lookup_accepts_every_integer_dtype(dtype):
    assert embedding_lookup(TABLE, np.array([2, 1], dtype=dtype))[0, 0] == 20.0


@pytest.mark.parametrize(
    "ids, error, words",
    [
        ([1.0, 2.0], TypeError, "must be integer token ids; got dtype float64"),
        ([True, False], TypeError, "got dtype bool"),
        (["a"], TypeError, "must be integer token ids"),
        ([0, -1], IndexError, r"must be >= 0; found -1 at index 1\. "),
        ([[0, 5]], IndexError, r"must be < vocab_size = 5; found 5 at index \(0, 1\)\. "),
        ([99], IndexError, r"Valid ids are 0 \.\.\. 4"),
    ],
)
def test_lookup_rejects_bad_ids(ids, error, words):
    with pytest.raises(error, match=words):
        embedding_lookup(TABLE, ids)


def test_lookup_rejects_a_table_that_is_not_2d():
    with pytest.raises(ValueError, match=r"table must be 2-D .* got 1-D shape \(5,\)"):
        embedding_lookup(np.zeros(5), [0])
    with pytest.raises(ValueError, match="got 3-D"):
        embedding_lookup(np.zeros((5, 3, 1)), [0])
    with pytest.raises(TypeError, match="table must hold numbers"):
        embedding_lookup(np.array([["a", "b"]]), [0])


# ---------------------------------------------------------------- one_hot


def test_one_hot_by_hand():
    assert one_hot([2, 0], 3).tolist() == [[0, 0, 1], [1, 0, 0]]
    assert one_hot([[1]], 2).shape == (1, 1, 2)
    assert one_hot([1], 2).dtype == np.float32


def test_one_hot_times_table_is_the_lookup():
    ids = np.array([[4, 1, 1], [0, 3, 2]])
    assert np.array_equal(one_hot(ids, 5, dtype="float64") @ TABLE, embedding_lookup(TABLE, ids))


@pytest.mark.parametrize(
    "ids, depth, error, words",
    [
        ([3], 3, IndexError, "must be < depth = 3"),
        ([-2], 3, IndexError, "must be >= 0"),
        ([0.5], 3, TypeError, "integer token ids"),
        ([0], 0, ValueError, "depth must be a positive int"),
        ([0], 2.0, TypeError, "depth must be a positive int"),
    ],
)
def test_one_hot_rejects_bad_input(ids, depth, error, words):
    with pytest.raises(error, match=words):
        one_hot(ids, depth)


# ---------------------------------------------------------------- padding_mask


def test_padding_mask_marks_real_tokens():
    assert padding_mask([[5, 3, 0, 0], [0, 1, 0, 2]]).tolist() == [
        [True, True, False, False],
        [False, True, False, True],
    ]
    assert padding_mask([7, 1, 7], pad_id=7).tolist() == [False, True, False]
    assert padding_mask([1]).dtype == np.bool_


def test_padding_mask_rejects_bad_input():
    with pytest.raises(TypeError, match="integer token ids"):
        padding_mask([0.0, 1.0])
    with pytest.raises(IndexError, match=">= 0"):
        padding_mask([-1, 1])
    with pytest.raises(TypeError, match="pad_id must be an int"):
        padding_mask([0, 1], pad_id=0.0)
    with pytest.raises(ValueError, match="pad_id must be an int >= 0"):
        padding_mask([0, 1], pad_id=-1)


# ---------------------------------------------------------------- pooling

X = np.arange(2 * 3 * 4, dtype="float32").reshape(2, 3, 4)  # (batch, steps, features)


def test_pooled_axis():
    assert pooled_axis("channels_last") == 1
    assert pooled_axis("channels_first") == 2


def test_channels_last_averages_the_steps():
    pooled = global_average_pool_1d(X)
    assert pooled.shape == (2, 4)
    # first sample: rows [0..3], [4..7], [8..11] -> mean row [4, 5, 6, 7]
    assert pooled[0].tolist() == [4.0, 5.0, 6.0, 7.0]
    assert pooled.dtype == np.float32


def test_channels_first_averages_the_last_axis():
    pooled = global_average_pool_1d(X, data_format="channels_first")
    assert pooled.shape == (2, 3)
    assert pooled[0].tolist() == [1.5, 5.5, 9.5]


def test_keepdims_keeps_the_averaged_axis():
    assert global_average_pool_1d(X, keepdims=True).shape == (2, 1, 4)
    assert global_average_pool_1d(X, data_format="channels_first", keepdims=True).shape == (2, 3, 1)


def test_mask_leaves_masked_steps_out_of_the_mean():
    mask = np.array([[True, True, False], [False, False, True]])
    pooled = global_average_pool_1d(X, mask=mask)
    assert pooled[0].tolist() == [2.0, 3.0, 4.0, 5.0]  # mean of rows 0 and 1
    assert pooled[1].tolist() == X[1, 2].tolist()


def test_mask_ignores_even_nan_in_masked_steps():
    """As Keras >= 3.15 (the Python 3.11+ pin), which zeroes masked steps with ops.where before adding.

    Keras 3.12 (the Python 3.10 pin) multiplies by the mask instead (``inputs *= mask`` in
    GlobalAveragePooling1D.call), so there 0 x NaN = NaN leaks into the mean: parity with 3.12 does not hold
    here, and this test states the newer behaviour on purpose (both sources read in the pinned wheels).
    """
    x = X.copy()
    x[0, 2] = np.nan
    pooled = global_average_pool_1d(x, mask=[[True, True, False], [True, True, True]])
    assert np.isfinite(pooled).all()


def test_integer_mask_of_zeros_and_ones_is_accepted():
    mask01 = np.array([[1, 1, 0], [1, 0, 0]])
    assert np.array_equal(global_average_pool_1d(X, mask=mask01), global_average_pool_1d(X, mask=mask01.astype(bool)))


def test_channels_first_mask_runs_along_the_last_axis():
    mask = np.array([[True, False, False, False], [True, True, True, True]])
    pooled = global_average_pool_1d(X, data_format="channels_first", mask=mask, keepdims=True)
    assert pooled.shape == (2, 3, 1)
    assert pooled[0, :, 0].tolist() == X[0, :, 0].tolist()


def test_fully_masked_row_is_nan_and_the_warning_names_it():
    mask = np.array([[True, False, False], [False, False, False]])
    with pytest.warns(FullyMaskedWarning, match=r"in 1 row of the batch, \[1\], so"):
        pooled = global_average_pool_1d(X, mask=mask)
    assert np.isnan(pooled[1]).all()
    assert np.isfinite(pooled[0]).all()


@pytest.mark.parametrize(
    "x, mask", [(X, np.zeros((2, 3), bool)), (np.zeros((2, 0, 4), "float32"), None)], ids=["masked", "no steps"]
)
def test_the_warning_points_at_the_line_that_called_the_pooling(x, mask):
    with pytest.warns(FullyMaskedWarning) as caught:
        global_average_pool_1d(x, mask=mask)
    assert caught[0].filename == __file__  # not a line inside embedpool_utils


def test_fully_masked_row_raises_no_numpy_runtime_warning():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        global_average_pool_1d(X, mask=np.zeros((2, 3), bool))
    assert [w.category for w in caught] == [FullyMaskedWarning]


def test_integer_input_is_averaged_in_floating_point():
    pooled = global_average_pool_1d(np.ones((1, 2, 2), int), mask=[[1, 0]])
    assert pooled.dtype == np.float64 and pooled.tolist() == [[1.0, 1.0]]


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (dict(data_format="channels_middle"), ValueError, "must be 'channels_last' or 'channels_first'"),
        (dict(data_format="channels-first"), ValueError, "Did you mean 'channels_first'"),
        (dict(data_format=None), ValueError, "got None"),
        (dict(mask=np.ones((2, 4), bool)), ValueError, r"mask must have shape \(batch, steps\) = \(2, 3\)"),
        (dict(mask=np.ones((3,), bool)), ValueError, r"got mask shape \(3,\)"),
        (dict(mask=np.ones((2, 3), float)), TypeError, "mask must be boolean"),
        (dict(mask=np.full((2, 3), 2)), ValueError, "only 0 and 1"),
        (dict(data_format="channels_first", mask=np.ones((2, 3), bool)), ValueError, "looks like a token mask"),
    ],
)
def test_pooling_rejects_bad_arguments(kwargs, error, words):
    with pytest.raises(error, match=words):
        global_average_pool_1d(X, **kwargs)


@pytest.mark.parametrize("shape", [(3, 4), (4,), (1, 2, 3, 4)])
def test_pooling_rejects_input_that_is_not_3d(shape):
    with pytest.raises(ValueError, match=f"x must be 3-D.*got {len(shape)}-D"):
        global_average_pool_1d(np.zeros(shape))


def test_pooling_hints_at_a_missing_batch_axis():
    with pytest.raises(ValueError, match=r"x\[np.newaxis\]"):
        global_average_pool_1d(np.zeros((10, 7)))


def test_pooling_rejects_non_numbers():
    with pytest.raises(TypeError, match="x must hold numbers"):
        global_average_pool_1d(np.zeros((1, 2, 2), bool))


# ---------------------------------------------------------------- pooled_shape, averaged_axes


@pytest.mark.parametrize(
    "shape, data_format, keepdims, expected",
    [
        ((None, 10, 7), "channels_last", False, (None, 7)),
        ((None, 10, 7), "channels_first", False, (None, 10)),
        ((2, 10, 7), "channels_last", True, (2, 1, 7)),
        ((2, 10, 7), "channels_first", True, (2, 10, 1)),
    ],
)
def test_pooled_shape(shape, data_format, keepdims, expected):
    assert pooled_shape(shape, data_format=data_format, keepdims=keepdims) == expected


@pytest.mark.parametrize(
    "shape, error, words",
    [
        ((10, 7), ValueError, "3-D"),
        (10, TypeError, r"\(10,\)"),
        ((2, 10.0, 7), TypeError, "non-negative ints"),
        ((2, -1, 7), TypeError, "non-negative ints"),
    ],
)
def test_pooled_shape_bad_input(shape, error, words):
    with pytest.raises(error, match=words):
        pooled_shape(shape)


def test_averaged_axes_reads_a_pooled_shape_backwards():
    assert averaged_axes((None, 10, 7), (None, 7)) == (1,)
    assert averaged_axes((None, 10, 7), (None, 10)) == (2,)
    assert averaged_axes((None, 10, 7), (None, 1, 7)) == (1,)
    assert averaged_axes((None, 7, 7), (None, 7)) == (1, 2)  # the shapes cannot tell
    assert averaged_axes((None, 10, 7), (None, 5)) == ()
    assert averaged_axes((None, 10, 1), (None, 10, 1)) == (2,)  # averaging a length-1 axis changes nothing


@pytest.mark.parametrize("batch, steps, features", [(2, 10, 7), (3, 4, 4), (1, 1, 5)])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("keepdims", [False, True])
def test_averaged_axes_inverts_pooled_shape(batch, steps, features, data_format, keepdims):
    shape = (batch, steps, features)
    assert pooled_axis(data_format) in averaged_axes(
        shape, pooled_shape(shape, data_format=data_format, keepdims=keepdims)
    )


# ---------------------------------------------------------------- text helpers


def test_side_by_side_pads_columns_and_keeps_every_line():
    from embedpool_utils.summary_tables import side_by_side

    out = side_by_side(["ab\nc", "x\ny\nz"], gap=3)
    assert out.splitlines() == ["ab   x", "c    y", "     z"]
    assert side_by_side([]) == ""


def test_summary_text_collects_what_print_fn_receives():
    from embedpool_utils.summary_tables import summary_text

    class FakeModel:
        def summary(self, line_length, print_fn):
            print_fn("Model: fake\nrow 1", line_break=False)
            print_fn(f"width {line_length}")

    assert summary_text(FakeModel(), line_length=42) == "Model: fake\nrow 1\nwidth 42"


# ---------------------------------------------------------------- pooling as a weighted sum (issue 11)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("masked", [False, True])
def test_pooling_keeps_the_floating_dtype(dtype, data_format, masked):
    x = np.arange(2 * 3 * 4).reshape(2, 3, 4).astype(dtype)
    steps = 3 if data_format == "channels_last" else 4
    mask = np.ones((2, steps), bool) if masked else None
    pooled = global_average_pool_1d(x, data_format=data_format, mask=mask)
    assert pooled.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(pooled, x.astype("float64").mean(axis=1 if data_format == "channels_last" else 2))


@pytest.mark.parametrize("masked", [False, True])
def test_float16_is_added_up_in_float32(masked):
    # In float16, 2048 + 1 rounds back to 2048: a float16 running sum of 4096 ones stops at 2048.
    x = np.ones((1, 4096, 2), dtype="float16")
    mask = np.ones((1, 4096), bool) if masked else None
    pooled = global_average_pool_1d(x, mask=mask)
    assert pooled.dtype == np.float16 and pooled.tolist() == [[1.0, 1.0]]


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_a_non_finite_value_in_a_masked_step_stays_out(bad, data_format):
    x = X.copy() if data_format == "channels_last" else np.ascontiguousarray(np.swapaxes(X, 1, 2))
    mask = np.array([[True, True, False], [True, True, True]])
    x[(0, 2) if data_format == "channels_last" else (0, slice(None), 2)] = bad
    pooled = global_average_pool_1d(x, data_format=data_format, mask=mask)
    assert pooled[0].tolist() == [2.0, 3.0, 4.0, 5.0]  # mean of steps 0 and 1 only
    assert pooled[1].tolist() == [16.0, 17.0, 18.0, 19.0]


def test_a_non_finite_value_in_a_kept_step_counts_as_in_keras():
    x = X.copy()
    x[0, 1, 0] = np.inf
    pooled = global_average_pool_1d(x, mask=[[True, True, False], [True, True, True]])
    assert pooled[0, 0] == np.inf and np.isfinite(pooled[0, 1:]).all()


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("masked", [False, True])
def test_views_with_strides_are_averaged_like_copies(data_format, masked):
    rng = np.random.default_rng(3)
    base = rng.normal(size=(6, 20, 18)).astype("float32")
    view = np.swapaxes(base, 1, 2)[::2, 1:, ::3]  # no axis contiguous
    steps = view.shape[1] if data_format == "channels_last" else view.shape[2]
    mask = rng.random((view.shape[0], steps)) < 0.6 if masked else None
    mask = None if mask is None else mask | (np.arange(steps) == 0)  # one kept step per row
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_allclose(
            global_average_pool_1d(view, data_format=data_format, mask=mask),
            global_average_pool_1d(view.copy(), data_format=data_format, mask=mask),
            rtol=1e-6,
            atol=1e-7,
        )


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_long_float32_sequences_stay_accurate(data_format):
    rng = np.random.default_rng(11)
    x = rng.normal(loc=3.0, size=(8, 512, 16)).astype("float32")
    mask = rng.random((8, 512 if data_format == "channels_last" else 16)) < 0.5
    axis = 1 if data_format == "channels_last" else 2
    keep = np.expand_dims(mask, 3 - axis)
    exact = (x.astype("float64") * keep).sum(axis=axis) / keep.sum(axis=axis)
    np.testing.assert_allclose(global_average_pool_1d(x, data_format=data_format, mask=mask), exact, rtol=2e-6)
    np.testing.assert_allclose(
        global_average_pool_1d(x, data_format=data_format), x.astype("float64").mean(axis=axis), rtol=2e-6
    )


def test_pooling_returns_a_fresh_array_not_a_view_of_the_input():
    x = X.copy()
    pooled = global_average_pool_1d(x[:, :1, :], keepdims=True)
    pooled[...] = -1
    assert (x >= 0).all()
