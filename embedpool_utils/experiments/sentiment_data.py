"""A tiny synthetic sentiment data set, made by code in milliseconds.

The whole recipe, so that a learner can read it in one go:

1. The vocabulary has 31 entries: id 0 is padding ``<pad>``, then 5 positive
   words, 5 negative words and 20 neutral words (:data:`VOCAB`).
2. A sentence has a length drawn uniformly from ``lengths`` (inclusive; with
   ``negative_lengths``, negative sentences use that range instead). Every
   token is a neutral word drawn uniformly, except **one sentiment word**,
   placed at a position drawn uniformly from ``positions`` (those that fit in
   the sentence).
3. The label is 1 if that sentiment word is positive, 0 if negative; the two
   labels are drawn with equal probability.
4. Sentences are padded at the end with id 0 up to ``max_len``.

Changing ``lengths`` and ``positions`` between the training set and a test set
makes held-out splits that test one property each (see notebook 05).
Everything is drawn from ``numpy.random.default_rng(seed)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["NEGATIVE", "NEUTRAL", "POSITIVE", "VOCAB", "WORD_TO_ID", "ToyData", "decode", "ids_of", "make_sentences"]

POSITIVE: tuple[str, ...] = ("good", "great", "superb", "lovely", "fun")
NEGATIVE: tuple[str, ...] = ("bad", "awful", "dull", "poor", "boring")
NEUTRAL: tuple[str, ...] = (
    "the",
    "a",
    "film",
    "movie",
    "plot",
    "story",
    "actor",
    "cast",
    "music",
    "scene",
    "was",
    "is",
    "it",
    "very",
    "quite",
    "and",
    "this",
    "with",
    "really",
    "so",
)
VOCAB: tuple[str, ...] = ("<pad>",) + POSITIVE + NEGATIVE + NEUTRAL
WORD_TO_ID: dict[str, int] = {word: i for i, word in enumerate(VOCAB)}


@dataclass(frozen=True)
class ToyData:
    """A labelled, padded batch of sentences.

    Attributes
    ----------
    ids : ndarray of int, shape (n, max_len)
        Token ids, padded with 0 at the end.
    labels : ndarray of int, shape (n,)
        1 = positive, 0 = negative.
    lengths : ndarray of int, shape (n,)
        Number of real tokens in each sentence.
    sentiment_positions : ndarray of int, shape (n,)
        Where the sentiment word stands.
    """

    ids: NDArray[np.int32]
    labels: NDArray[np.int32]
    lengths: NDArray[np.int64]
    sentiment_positions: NDArray[np.int64]

    def __len__(self) -> int:
        return len(self.labels)


def make_sentences(
    n: int,
    *,
    seed: int,
    max_len: int = 10,
    lengths: tuple[int, int] = (4, 10),
    positions: tuple[int, int] = (0, 3),
    negative_lengths: tuple[int, int] | None = None,
) -> ToyData:
    """Draw ``n`` labelled sentences following the recipe in the module docstring.

    Parameters
    ----------
    n : int
        Number of sentences.
    seed : int
        Seed for ``numpy.random.default_rng``.
    max_len : int
        Padded length: the ids have shape (n, max_len).
    lengths : (int, int)
        Smallest and largest sentence length, inclusive, at most ``max_len``.
    positions : (int, int)
        Smallest and largest position the sentiment word may take, inclusive.
        Each sentence must be long enough for at least one of them.
    negative_lengths : (int, int), optional
        A different length range for negative sentences, so that length (and
        hence the amount of padding) goes with the label; ``lengths`` then
        applies to positive sentences only.

    Returns
    -------
    ToyData

    Raises
    ------
    ValueError
        If the lengths and positions cannot be satisfied.
    """
    first, last = positions
    ranges = {1: lengths, 0: negative_lengths or lengths}
    for low, high in ranges.values():
        if not 1 <= low <= high <= max_len:
            raise ValueError(f"lengths must satisfy 1 <= low <= high <= max_len={max_len}; got {(low, high)}")
        if not 0 <= first <= last or first >= low:
            raise ValueError(
                f"positions {positions} do not fit: the shortest sentence ({low} tokens) needs a position below {low}"
            )
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, size=n).astype(np.int32)
    # every step draws for all sentences at once: a loop per sentence cost notebook 05 most of its data time
    lows = np.where(labels == 1, ranges[1][0], ranges[0][0])
    highs = np.where(labels == 1, ranges[1][1], ranges[0][1])
    sentence_lengths = rng.integers(lows, highs + 1)
    real = np.arange(max_len) < sentence_lengths[:, np.newaxis]
    ids = np.where(real, rng.choice(ids_of(NEUTRAL), size=(n, max_len)), 0).astype(np.int32)
    where = rng.integers(first, np.minimum(last, sentence_lengths - 1) + 1).astype(np.int64)
    sentiment = np.where(labels == 1, rng.choice(ids_of(POSITIVE), size=n), rng.choice(ids_of(NEGATIVE), size=n))
    ids[np.arange(n), where] = sentiment
    return ToyData(ids=ids, labels=labels, lengths=sentence_lengths.astype(np.int64), sentiment_positions=where)


def ids_of(words: tuple[str, ...] | list[str]) -> NDArray[np.int32]:
    """The ids of some words, e.g. ``ids_of(POSITIVE)``; shape (len(words),).

    Parameters
    ----------
    words : sequence of str, length n
        Words of :data:`VOCAB`.

    Returns
    -------
    ndarray of int32, shape (n,)
    """
    return np.array([WORD_TO_ID[w] for w in words], dtype=np.int32)


def decode(ids: ArrayLike) -> str:
    """The words of one sentence of ids, without the padding.

    Parameters
    ----------
    ids : array_like of int, shape (seq_len,)
        One sentence (any shape is read in order); padding (0) is skipped.

    Returns
    -------
    str
        The words, separated by spaces.
    """
    return " ".join(VOCAB[i] for i in np.asarray(ids).reshape(-1) if i != 0)
