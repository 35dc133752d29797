"""A two-label variant of the toy data: every sentence has a sentiment and a topic.

The recipe extends :mod:`~embedpool_utils.experiments.sentiment_data` (same vocabulary, same ids):

1. Six of the neutral words become **topic words**: "actor", "cast", "music"
   (the sentence is about the performance, topic label 1) and "plot",
   "story", "scene" (about the story, topic label 0). The other 14 neutral
   words are fillers.
2. A sentence has a length drawn uniformly from ``lengths`` (inclusive). It
   holds fillers, except **one sentiment word** and **one topic word** at two
   different positions.
3. Both labels are drawn independently, each 0 or 1 with equal probability:
   ``labels[:, 0]`` is 1 for a positive sentiment word, ``labels[:, 1]`` is 1
   for a performance word. Knowing one label tells nothing about the other.
4. By default both words may stand anywhere in the sentence. With
   ``fixed_places=True`` the sentiment word stands at position 0 or 1 and the
   topic word at position 2 or 3, so a word's position tells its role.
5. Sentences are padded at the end with id 0 up to ``max_len``.

Everything is drawn from ``numpy.random.default_rng(seed)``, vectorised.

Examples
--------
>>> data = make_two_label_sentences(3, seed=0)
>>> data.ids.shape, data.labels.shape
((3, 10), (3, 2))
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from embedpool_utils.experiments.sentiment_data import NEGATIVE, NEUTRAL, POSITIVE, ToyData, ids_of
from embedpool_utils.validation import positive_int

__all__ = ["FILLERS", "GROUP_OF", "LABEL_NAMES", "PERFORMANCE", "STORY", "TwoLabelData", "make_two_label_sentences"]

PERFORMANCE: tuple[str, ...] = ("actor", "cast", "music")
STORY: tuple[str, ...] = ("plot", "story", "scene")
FILLERS: tuple[str, ...] = tuple(w for w in NEUTRAL if w not in PERFORMANCE + STORY)
#: What a 1 means in each column of ``labels``.
LABEL_NAMES: tuple[str, str] = ("positive", "about the performance")
#: The role of every word of the vocabulary (padding aside), for figures that colour words by it.
GROUP_OF: dict[str, str] = {
    **dict.fromkeys(POSITIVE, "positive"),
    **dict.fromkeys(NEGATIVE, "negative"),
    **dict.fromkeys(PERFORMANCE, "about the performance"),
    **dict.fromkeys(STORY, "about the story"),
    **dict.fromkeys(FILLERS, "filler"),
}


@dataclass(frozen=True)
class TwoLabelData(ToyData):
    """A padded batch of sentences with two labels each: :class:`~embedpool_utils.experiments.sentiment_data.ToyData` plus a topic.

    Attributes
    ----------
    ids : ndarray of int, shape (n, max_len)
        Token ids, padded with 0 at the end.
    labels : ndarray of int, shape (n, 2)
        Column 0: 1 = positive, 0 = negative. Column 1: 1 = about the performance, 0 = about the story.
    lengths : ndarray of int, shape (n,)
    sentiment_positions, topic_positions : ndarray of int, shape (n,)
        Where the sentiment word and the topic word stand.
    """

    topic_positions: NDArray[np.int64]


def make_two_label_sentences(
    n: int,
    *,
    seed: int,
    max_len: int = 10,
    lengths: tuple[int, int] = (4, 10),
    fixed_places: bool = False,
) -> TwoLabelData:
    """Draw ``n`` sentences with a sentiment label and a topic label, following the module's recipe.

    Parameters
    ----------
    n : int
        Number of sentences.
    seed : int
        Seed for ``numpy.random.default_rng``.
    max_len : int
        Padded length: the ids have shape (n, max_len).
    lengths : (int, int)
        Smallest and largest sentence length, inclusive: ``2 <= low <= high <= max_len``
        (4 with ``fixed_places``, so that positions 0-3 exist).
    fixed_places : bool
        Sentiment word at position 0 or 1, topic word at 2 or 3, instead of anywhere.

    Returns
    -------
    TwoLabelData

    Raises
    ------
    TypeError, ValueError
        If ``n`` or ``max_len`` is not a positive int, or the lengths cannot hold the two words.
    """
    n, max_len = positive_int(n, "n"), positive_int(max_len, "max_len")
    low, high = lengths
    shortest = 4 if fixed_places else 2
    if not shortest <= low <= high <= max_len:
        raise ValueError(
            f"lengths must satisfy {shortest} <= low <= high <= max_len={max_len} "
            f"(a sentence needs room for {'positions 0-3' if fixed_places else 'two words'}); got {lengths}"
        )
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, size=(n, 2)).astype(np.int32)
    sentence_lengths = rng.integers(low, high + 1, size=n)
    real = np.arange(max_len) < sentence_lengths[:, np.newaxis]
    ids = np.where(real, rng.choice(ids_of(FILLERS), size=(n, max_len)), 0).astype(np.int32)
    if fixed_places:
        sentiment_at, topic_at = rng.integers(0, 2, size=n), rng.integers(2, 4, size=n)
    else:
        # two different positions inside each sentence: the first two of a random order of its positions
        order = np.argsort(np.where(real, rng.random((n, max_len)), np.inf), axis=1)
        sentiment_at, topic_at = order[:, 0], order[:, 1]
    rows = np.arange(n)
    ids[rows, sentiment_at] = np.where(
        labels[:, 0] == 1, rng.choice(ids_of(POSITIVE), n), rng.choice(ids_of(NEGATIVE), n)
    )
    ids[rows, topic_at] = np.where(labels[:, 1] == 1, rng.choice(ids_of(PERFORMANCE), n), rng.choice(ids_of(STORY), n))
    return TwoLabelData(ids, labels, sentence_lengths, sentiment_at.astype(np.int64), topic_at.astype(np.int64))
