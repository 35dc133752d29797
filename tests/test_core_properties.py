"""Property tests: random shapes, ids and masks against plain numpy formulas.

Each reference formula is written the long way (loops or broadcasting that a
learner could check by hand), not by calling the code under test.
"""

import warnings

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from embedpool_utils import (
    FullyMaskedWarning,
    embedding_lookup,
    global_average_pool_1d,
    init_embedding,
    one_hot,
    padding_mask,
)

sizes = st.integers(min_value=1, max_value=12)
finite_floats = st.floats(min_value=-1e3, max_value=1e3, width=32, allow_nan=False)


@st.composite
def table_and_ids(draw):
    vocab, dim = draw(sizes), draw(sizes)
    table = draw(hnp.arrays(np.float32, (vocab, dim), elements=finite_floats))
    id_shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5))
    ids = draw(hnp.arrays(np.int64, id_shape, elements=st.integers(0, vocab - 1)))
    return table, ids


@st.composite
def tensor_and_mask(draw):
    shape = (draw(sizes), draw(sizes), draw(sizes))
    x = draw(hnp.arrays(np.float32, shape, elements=finite_floats))
    data_format = draw(st.sampled_from(["channels_last", "channels_first"]))
    steps = shape[1] if data_format == "channels_last" else shape[2]
    mask = draw(hnp.arrays(np.bool_, (shape[0], steps)))
    return x, data_format, mask


@given(table_and_ids())
def test_lookup_is_row_selection(case):
    table, ids = case
    out = embedding_lookup(table, ids)
    assert out.shape == ids.shape + (table.shape[1],)
    for position in np.ndindex(ids.shape):
        assert np.array_equal(out[position], table[ids[position]])


@given(table_and_ids())
def test_equal_ids_give_equal_vectors(case):
    table, ids = case
    flat_ids, flat_out = ids.reshape(-1), embedding_lookup(table, ids).reshape(-1, table.shape[1])
    for i in range(flat_ids.size):
        for j in range(flat_ids.size):
            if flat_ids[i] == flat_ids[j]:
                assert np.array_equal(flat_out[i], flat_out[j])


@given(table_and_ids())
def test_one_hot_matmul_equals_lookup(case):
    table, ids = case
    encoded = one_hot(ids, table.shape[0])
    assert encoded.shape == ids.shape + (table.shape[0],)
    assert np.array_equal(encoded.sum(axis=-1), np.ones(ids.shape))
    # A one-hot row picks exactly one row of the table: 1*v + 0*rest is exact.
    assert np.array_equal(encoded @ table, embedding_lookup(table, ids))


@given(st.integers(1, 40), st.integers(1, 40), st.integers(0, 2**32 - 1))
def test_init_embedding_shape_bounds_and_parameter_count(vocab, dim, seed):
    table = init_embedding(vocab, dim, seed=seed)
    assert table.shape == (vocab, dim) and table.size == vocab * dim
    assert ((table >= np.float32(-0.05)) & (table < np.float32(0.05))).all()


@given(hnp.arrays(np.int64, hnp.array_shapes(max_dims=3), elements=st.integers(0, 4)), st.integers(0, 4))
def test_padding_mask_is_ids_not_equal_pad(ids, pad):
    mask = padding_mask(ids, pad_id=pad)
    for position in np.ndindex(ids.shape):
        assert mask[position] == (ids[position] != pad)


def reference_masked_mean(x, data_format, mask):
    """Mean over the pooled axis by explicit loops, NaN where nothing is kept."""
    if data_format == "channels_first":
        x = np.swapaxes(x, 1, 2)  # now (batch, steps, channels) either way
    batch, steps, channels = x.shape
    out = np.empty((batch, channels), dtype=np.float64)
    for b in range(batch):
        kept = [x[b, s].astype(np.float64) for s in range(steps) if mask[b, s]]
        out[b] = np.mean(kept, axis=0) if kept else np.nan
    return out


@given(tensor_and_mask(), st.booleans())
def test_masked_pooling_matches_the_loop_formula(case, keepdims):
    x, data_format, mask = case
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FullyMaskedWarning)
        pooled = global_average_pool_1d(x, data_format=data_format, mask=mask, keepdims=keepdims)
    expected = reference_masked_mean(x, data_format, mask)
    if keepdims:
        axis = 1 if data_format == "channels_last" else 2
        assert pooled.shape[axis] == 1
        pooled = pooled.squeeze(axis)
    np.testing.assert_allclose(pooled, expected, rtol=1e-4, atol=1e-3)


@given(tensor_and_mask())
def test_all_true_mask_is_the_plain_mean(case):
    x, data_format, mask = case
    everything = np.ones_like(mask)
    np.testing.assert_allclose(
        global_average_pool_1d(x, data_format=data_format, mask=everything),
        global_average_pool_1d(x, data_format=data_format),
        rtol=1e-5,
        atol=1e-3,
    )


@given(tensor_and_mask())
def test_channels_first_is_channels_last_of_the_transpose(case):
    x, _, _ = case
    np.testing.assert_allclose(
        global_average_pool_1d(x, data_format="channels_first"),
        global_average_pool_1d(np.swapaxes(x, 1, 2)),
        rtol=1e-5,
        atol=1e-3,
    )


@given(tensor_and_mask(), st.randoms(use_true_random=False))
def test_pooling_over_tokens_ignores_their_order(case, rnd):
    x, _, _ = case
    order = list(range(x.shape[1]))
    rnd.shuffle(order)
    np.testing.assert_allclose(global_average_pool_1d(x[:, order]), global_average_pool_1d(x), rtol=1e-4, atol=1e-3)


@given(tensor_and_mask())
def test_warning_names_exactly_the_fully_masked_rows(case):
    x, data_format, mask = case
    empty = [int(b) for b in range(mask.shape[0]) if not mask[b].any()]
    assume(empty)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pooled = global_average_pool_1d(x, data_format=data_format, mask=mask)
    assert len(caught) == 1 and caught[0].category is FullyMaskedWarning
    assert f" of the batch, {empty}, so " in str(caught[0].message)
    assert np.isnan(pooled[empty]).all()
