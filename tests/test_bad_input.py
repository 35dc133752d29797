"""The mistakes a newcomer makes first: each gets its own message, saying what was wrong and what is expected.

Every case checks the words that tell the two apart, and that none of
numpy's own wording ("inhomogeneous", "Mean of empty slice", "Unable to
allocate") reaches the learner.
"""

import re
import warnings

import numpy as np
import pytest

from embedpool_utils import (
    FullyMaskedWarning,
    embedding_lookup,
    global_average_pool_1d,
    init_embedding,
    one_hot,
    padding_mask,
    validation,
)

TABLE = np.arange(30 * 7, dtype="float32").reshape(30, 7)
IDS = np.array([[5, 9, 9, 2, 0, 0, 0, 0, 0, 0], [1, 2, 3, 4, 5, 6, 7, 8, 9, 29]])
NUMPY_WORDS = re.compile(r"inhomogeneous|setting an array element|empty slice|Unable to allocate|invalid literal", re.I)


def raised(call, *args, **kwargs):
    """The exception ``call`` raises, after checking that it carries none of numpy's wording."""
    with pytest.raises(Exception) as info:
        call(*args, **kwargs)
    assert not NUMPY_WORDS.search(str(info.value)), str(info.value)
    return info.value


# ---------------------------------------------------------------- ids that are not ids


def test_string_ids_are_called_text_and_the_fix_is_named():
    error = raised(embedding_lookup, TABLE, ["5"])
    assert isinstance(error, TypeError)
    assert "not text" in str(error) and "'5'" in str(error)
    assert "vocabulary" in str(error) and ".astype(int)" in str(error)
    assert "truncate" not in str(error)  # not the float message


def test_mixed_string_ids_show_the_word_that_is_not_a_number():
    assert "'cat'" in str(raised(embedding_lookup, TABLE, ["5", "cat"]))


def test_none_among_ids_is_located_and_padding_is_suggested():
    error = raised(embedding_lookup, TABLE, [[3, None, 4]])
    assert isinstance(error, TypeError)
    assert "found None at index (0, 1)" in str(error)
    assert "padding id (0)" in str(error)


def test_other_python_objects_among_ids_are_named():
    error = raised(embedding_lookup, TABLE, [1, 2.5, "x", None])
    assert isinstance(error, TypeError) and "found 2.5 (float) at index 1." in str(error)


@pytest.mark.parametrize(
    "ids, words",
    [
        ([3, 30], "found 30 at index 1. Valid ids are 0 ... 29."),  # 1-D: a plain number, as in ids[1]
        ([[3, 4], [5, 31]], "found 31 at index (1, 1). Valid"),  # 2-D: the place as ids[1, 1] names it
        (np.full((2, 2, 3), 2) + np.eye(3, dtype=int)[2] * 40, "found 42 at index (0, 0, 2). Valid"),
        (30, "found 30. Valid ids are 0 ... 29."),  # a single id: no place to name
        ([4, -2], "must be >= 0; found -2 at index 1. numpy"),
    ],
)
def test_a_bad_id_is_located_the_way_a_learner_indexes(ids, words):
    error = raised(embedding_lookup, TABLE, ids)
    assert isinstance(error, IndexError) and words in str(error)
    assert "position" not in str(error) and "(1,)" not in str(error)


def test_ids_given_as_python_ints_in_an_object_array_still_work():
    ids = np.array([[1, 2]], dtype=object)
    np.testing.assert_array_equal(embedding_lookup(TABLE, ids), TABLE[[[1, 2]]])


@pytest.mark.parametrize("ids", [[], [[], []]])
def test_an_empty_list_of_ids_says_there_is_nothing_to_look_up(ids):
    error = raised(embedding_lookup, TABLE, ids)
    assert isinstance(error, ValueError)
    assert "is empty" in str(error) and "no token id" in str(error)
    assert "truncate" not in str(error)


def test_an_empty_integer_array_is_still_a_valid_empty_batch():
    assert embedding_lookup(TABLE, np.zeros((0, 10), dtype=int)).shape == (0, 10, 7)


def test_bool_ids_are_told_apart_from_a_mask():
    error = raised(embedding_lookup, TABLE, [True, False])
    assert isinstance(error, TypeError) and "got dtype bool" in str(error) and "mask=" in str(error)


def test_float_ids_keep_their_own_message():
    error = raised(embedding_lookup, TABLE, [2.7])
    assert "got dtype float64" in str(error) and "truncate" in str(error)


# ---------------------------------------------------------------- arguments swapped


def test_swapped_arguments_say_the_table_comes_first():
    error = raised(embedding_lookup, IDS, TABLE)
    assert isinstance(error, TypeError)
    assert "takes the table first" in str(error)
    assert "embedding_lookup(table, ids)" in str(error)
    assert "(2, 10)" in str(error) and "(30, 7)" in str(error)


def test_swapped_arguments_with_one_sentence_of_ids():
    assert "takes the table first" in str(raised(embedding_lookup, [4, 2, 9], TABLE))


def test_an_integer_table_with_integer_ids_is_not_mistaken_for_a_swap():
    table = np.arange(12).reshape(4, 3)
    assert embedding_lookup(table, [[3, 0]]).tolist() == [[[9, 10, 11], [0, 1, 2]]]


# ---------------------------------------------------------------- ragged batches


def test_ragged_ids_say_to_pad_and_how():
    error = raised(embedding_lookup, TABLE, [[1, 2], [3]])
    assert isinstance(error, ValueError)
    assert "different lengths (2, 1)" in str(error)
    assert 'pad_sequences(sequences, padding="post")' in str(error)
    assert "padding_mask" in str(error)


def test_raggedness_deeper_down_is_found_too():
    error = raised(embedding_lookup, TABLE, [[[1, 2], [3, 4]], [[5, 6], [7]]])
    assert "different lengths (2, 1)" in str(error) and "depth 2" in str(error)


def test_ragged_ids_in_every_function_that_takes_ids():
    for call in (lambda: one_hot([[1, 2], [3]], 5), lambda: padding_mask([[1, 2], [3]])):
        assert "pad_sequences" in str(raised(call))


def test_ragged_pooling_input_and_mask():
    x = [[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0]]]
    assert "different lengths (2, 1)" in str(raised(global_average_pool_1d, x))
    error = raised(global_average_pool_1d, np.ones((2, 2, 3)), mask=[[True, True], [True]])
    assert "different lengths (2, 1)" in str(error) and "padding_mask(ids)" in str(error)


# ---------------------------------------------------------------- pooling nothing


@pytest.mark.parametrize("shape, data_format", [((2, 0, 7), "channels_last"), ((2, 7, 0), "channels_first")])
def test_pooling_zero_steps_is_nan_with_the_named_warning_like_a_fully_masked_row(shape, data_format):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pooled = global_average_pool_1d(np.zeros(shape, "float32"), data_format=data_format)
    assert [w.category for w in caught] == [FullyMaskedWarning]  # no numpy RuntimeWarning
    assert "no steps to average" in str(caught[0].message) and "NaN" in str(caught[0].message)
    assert pooled.shape == (2, 7) and pooled.dtype == np.float32 and np.isnan(pooled).all()


def test_pooling_zero_steps_with_keepdims_and_integers():
    with pytest.warns(FullyMaskedWarning):
        pooled = global_average_pool_1d(np.zeros((3, 0, 2), int), keepdims=True)
    assert pooled.shape == (3, 1, 2) and pooled.dtype == np.float64 and np.isnan(pooled).all()


def test_pooling_an_empty_batch_warns_about_nothing():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert global_average_pool_1d(np.zeros((0, 5, 7), "float32")).shape == (0, 7)
        assert global_average_pool_1d(np.zeros((0, 0, 7), "float32")).shape == (0, 7)


def test_zero_steps_with_a_mask_gives_the_fully_masked_warning():
    with pytest.warns(FullyMaskedWarning, match=r"in 2 rows of the batch, \[0, 1\], so"):
        pooled = global_average_pool_1d(np.zeros((2, 0, 7), "float32"), mask=np.zeros((2, 0), bool))
    assert np.isnan(pooled).all()


# ---------------------------------------------------------------- a table too large


def test_an_impossible_table_fails_at_once_stating_the_size_in_gib(monkeypatch):
    monkeypatch.setattr(validation, "available_memory_bytes", lambda: 8 * 2**30)
    error = raised(init_embedding, 10**9, 7)
    assert isinstance(error, MemoryError)
    assert "26.1 GiB" in str(error) and "float32" in str(error) and "7,000,000,000" in str(error)
    assert "only 8.0 GiB" in str(error)
    assert "float64" not in str(error)


def test_a_table_larger_than_any_memory_fails_even_when_the_free_memory_is_unknown(monkeypatch):
    monkeypatch.setattr(validation, "available_memory_bytes", lambda: None)
    error = raised(init_embedding, 10**12, 10**9, dtype="float64")
    assert isinstance(error, MemoryError) and "GiB" in str(error)


def test_the_real_free_memory_is_read():
    available = validation.available_memory_bytes()
    assert available is None or available > 2**20


def test_the_table_is_drawn_block_by_block_without_a_float64_copy(monkeypatch):
    """Same numbers as one float64 draw rounded to float32, but never a float64 array of the whole table."""
    import embedpool_utils.core as core

    monkeypatch.setattr(core, "DRAW_BLOCK_NUMBERS", 10)
    expected = np.random.default_rng(7).uniform(-0.05, 0.05, size=(23, 3)).astype("float32")
    drawn = []
    real_default_rng = np.random.default_rng

    class Spy:
        def __init__(self, seed):
            self.rng = real_default_rng(seed)

        def uniform(self, low, high, size):
            drawn.append(size)
            return self.rng.uniform(low, high, size)

    monkeypatch.setattr(core.np.random, "default_rng", Spy)
    table = core.init_embedding(23, 3, seed=7)
    np.testing.assert_array_equal(table, expected)
    assert table.dtype == np.float32
    assert max(rows * cols for rows, cols in drawn) <= 10 < 23 * 3


# ---------------------------------------------------------------- padding_mask


def test_padding_mask_refuses_a_negative_pad_id_as_a_bad_argument():
    """A negative pad_id is a bad argument (ValueError); a negative id in the data is a bad index (IndexError)."""
    error = raised(padding_mask, IDS, pad_id=-1)
    assert type(error) is ValueError
    assert "pad_id must be an int >= 0; got -1." in str(error)
    assert "read them from the end of the table" in str(error) and "mask_zero=True pads with 0" in str(error)
    with pytest.raises(IndexError, match="must be >= 0"):
        padding_mask([-1, 1])


@pytest.mark.parametrize("pad_id", [0.0, True, "0", None])
def test_padding_mask_refuses_a_pad_id_that_is_not_an_int(pad_id):
    error = raised(padding_mask, IDS, pad_id=pad_id)
    assert type(error) is TypeError
    assert f"pad_id must be an int >= 0; got {pad_id!r} of type {type(pad_id).__name__}." in str(error)


def test_a_numpy_int_pad_id_is_an_int():
    assert padding_mask([[3, 0]], pad_id=np.int64(3)).tolist() == [[False, True]]


# ---------------------------------------------------------------- one integer check


@pytest.mark.parametrize("value", [0, 3, -2, np.int8(3), np.int64(-1), np.uint16(7)])
def test_python_and_numpy_ints_are_ints(value):
    assert validation.is_int(value)


@pytest.mark.parametrize("value", [True, False, np.bool_(True), 3.0, np.float32(3), "3", None, [3], np.array([3])])
def test_bools_floats_text_and_arrays_are_not_ints(value):
    assert not validation.is_int(value)


def test_check_int_words_each_mistake_once():
    assert validation.check_int(np.int64(5), "n") == 5 and type(validation.check_int(np.int64(5), "n")) is int
    assert validation.check_int(-5, "n") == -5  # no lower bound unless asked
    with pytest.raises(TypeError, match=r"^n must be an int; got 2.5 of type float\.$"):
        validation.check_int(2.5, "n")
    with pytest.raises(TypeError, match=r"^n must be a positive int; got True of type bool\.$"):
        validation.check_int(True, "n", min_value=1)
    with pytest.raises(ValueError, match=r"^n must be a positive int; got 0\.$"):
        validation.check_int(0, "n", min_value=1)
    with pytest.raises(ValueError, match=r"^n must be an int >= 2; got 1\. Two at least\.$"):
        validation.check_int(1, "n", min_value=2, too_small_hint="Two at least.")
    assert validation.check_int(2, "n", min_value=2) == 2  # the bound itself is allowed
