"""The synthetic data set of notebook 05 follows its documented recipe."""

import numpy as np
import pytest

from embedpool_utils.experiments import sentiment_data


def test_vocabulary_layout():
    assert sentiment_data.VOCAB[0] == "<pad>"
    assert len(sentiment_data.VOCAB) == 1 + 5 + 5 + 20 == len(set(sentiment_data.VOCAB))
    assert all(sentiment_data.VOCAB[sentiment_data.WORD_TO_ID[w]] == w for w in sentiment_data.VOCAB)


def test_each_sentence_has_one_sentiment_word_that_decides_the_label():
    data = sentiment_data.make_sentences(300, seed=0)
    positive = {sentiment_data.WORD_TO_ID[w] for w in sentiment_data.POSITIVE}
    negative = {sentiment_data.WORD_TO_ID[w] for w in sentiment_data.NEGATIVE}
    for ids, label, length, where in zip(data.ids, data.labels, data.lengths, data.sentiment_positions):
        words = ids[:length]
        sentiment = [i for i, t in enumerate(words) if t in positive | negative]
        assert sentiment == [where]
        assert (words[where] in positive) == bool(label)
        assert (ids[length:] == 0).all() and (words != 0).all()


@pytest.mark.parametrize("lengths, positions", [((4, 10), (0, 3)), ((8, 10), (6, 9)), ((2, 3), (0, 1))])
def test_lengths_and_positions_stay_in_their_ranges(lengths, positions):
    data = sentiment_data.make_sentences(400, seed=1, lengths=lengths, positions=positions)
    assert data.ids.shape == (400, 10)
    assert lengths[0] <= data.lengths.min() and data.lengths.max() <= lengths[1]
    assert positions[0] <= data.sentiment_positions.min() and data.sentiment_positions.max() <= positions[1]
    assert (data.sentiment_positions < data.lengths).all()


def test_negative_lengths_tie_length_to_the_label():
    data = sentiment_data.make_sentences(400, seed=2, lengths=(7, 10), negative_lengths=(4, 6))
    assert (data.lengths[data.labels == 1] >= 7).all()
    assert (data.lengths[data.labels == 0] <= 6).all()


def test_labels_are_balanced_and_seeded():
    a, b = sentiment_data.make_sentences(2000, seed=3), sentiment_data.make_sentences(2000, seed=3)
    assert np.array_equal(a.ids, b.ids) and np.array_equal(a.labels, b.labels)
    assert 0.45 < a.labels.mean() < 0.55
    assert not np.array_equal(a.ids, sentiment_data.make_sentences(2000, seed=4).ids)


@pytest.mark.parametrize(
    "kwargs", [dict(lengths=(0, 5)), dict(lengths=(4, 11)), dict(positions=(5, 6), lengths=(4, 10))]
)
def test_impossible_recipes_are_refused(kwargs):
    with pytest.raises(ValueError):
        sentiment_data.make_sentences(5, seed=0, **kwargs)


def test_decode_drops_padding():
    ids = [sentiment_data.WORD_TO_ID[w] for w in ("the", "film", "was", "good")] + [0, 0]
    assert sentiment_data.decode(ids) == "the film was good"


def test_ids_of_looks_words_up_in_order():
    assert sentiment_data.ids_of(["<pad>", "good", "so"]).tolist() == [0, 1, 30]
    assert sentiment_data.ids_of(sentiment_data.NEGATIVE).tolist() == [6, 7, 8, 9, 10]
