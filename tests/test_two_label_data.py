"""The two-label toy data follows its documented recipe."""

import numpy as np
import pytest

from embedpool_utils.experiments import sentiment_data, two_label_data

ID = sentiment_data.WORD_TO_ID
POSITIVE, NEGATIVE = {ID[w] for w in sentiment_data.POSITIVE}, {ID[w] for w in sentiment_data.NEGATIVE}
PERFORMANCE, STORY = {ID[w] for w in two_label_data.PERFORMANCE}, {ID[w] for w in two_label_data.STORY}
FILLERS = {ID[w] for w in two_label_data.FILLERS}


def test_word_groups_split_the_neutral_words():
    assert set(two_label_data.PERFORMANCE + two_label_data.STORY + two_label_data.FILLERS) == set(
        sentiment_data.NEUTRAL
    )
    assert len(two_label_data.FILLERS) == 14 and not (PERFORMANCE & STORY)


@pytest.mark.parametrize("fixed_places", [False, True])
def test_each_sentence_has_one_sentiment_word_and_one_topic_word_that_decide_its_labels(fixed_places):
    data = two_label_data.make_two_label_sentences(400, seed=3, fixed_places=fixed_places)
    assert data.ids.shape == (400, 10) and data.labels.shape == (400, 2) and len(data) == 400
    for ids, (sentiment, topic), length, s_at, t_at in zip(
        data.ids, data.labels, data.lengths, data.sentiment_positions, data.topic_positions
    ):
        words = list(ids[:length])
        assert (ids[length:] == 0).all() and 4 <= length <= 10
        assert [i for i, w in enumerate(words) if w in POSITIVE | NEGATIVE] == [s_at]
        assert [i for i, w in enumerate(words) if w in PERFORMANCE | STORY] == [t_at]
        assert (words[s_at] in POSITIVE) == bool(sentiment) and (words[t_at] in PERFORMANCE) == bool(topic)
        assert sum(w in FILLERS for w in words) == length - 2
        if fixed_places:
            assert s_at in (0, 1) and t_at in (2, 3)


def test_words_stand_anywhere_by_default_and_the_labels_are_balanced_and_independent():
    data = two_label_data.make_two_label_sentences(4000, seed=0)
    assert set(data.sentiment_positions) == set(data.topic_positions) == set(range(10))
    counts = np.bincount(2 * data.labels[:, 0] + data.labels[:, 1], minlength=4) / 4000
    np.testing.assert_allclose(counts, 0.25, atol=0.03)  # all four (sentiment, topic) pairs equally often


def test_same_seed_same_sentences_and_bad_lengths_are_refused():
    a, b = (two_label_data.make_two_label_sentences(50, seed=9) for _ in range(2))
    np.testing.assert_array_equal(a.ids, b.ids)
    with pytest.raises(ValueError, match="room for two words"):
        two_label_data.make_two_label_sentences(5, seed=0, lengths=(1, 10))
    with pytest.raises(ValueError, match="room for positions 0-3"):
        two_label_data.make_two_label_sentences(5, seed=0, lengths=(3, 10), fixed_places=True)
    with pytest.raises(TypeError, match="n must be a positive int"):
        two_label_data.make_two_label_sentences(2.5, seed=0)


def test_every_word_has_one_group_that_matches_its_role():
    assert set(two_label_data.GROUP_OF) == set(sentiment_data.VOCAB[1:])
    assert {two_label_data.GROUP_OF[w] for w in sentiment_data.POSITIVE} == {"positive"}
    assert {two_label_data.GROUP_OF[w] for w in two_label_data.PERFORMANCE} == {"about the performance"}
    assert {two_label_data.GROUP_OF[w] for w in two_label_data.STORY} == {"about the story"}
    assert sum(group == "filler" for group in two_label_data.GROUP_OF.values()) == 14
