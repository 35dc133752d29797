"""Read what trained runs learned from their weights: word scores, how positions read, principal directions.

Notebook 05 explains its accuracies with these measurements, taken over every
run of a sweep at once (weights stacked on a leading ``runs`` axis, as
:class:`~embedpool_utils.experiments.stacked_classifier.Weights` holds them):

* :func:`word_scores`: what each word adds to a channels_last model's logit;
* :func:`positions_reading_right`: which positions of a channels_first model
  turn a positive word into evidence for "positive";
* :func:`explained_variance` and :func:`principal_coordinates`: how many
  directions of the embedding table training used (a PCA by numpy's SVD).

Examples
--------
>>> import numpy as np
>>> rows = np.array([[[0.0, 0.0], [1.0, 0.0], [2.0, 0.0]]])    # one run, three words on a line
>>> explained_variance(rows).round(3)
array([[1., 0.]])
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from embedpool_utils.experiments.stacked_classifier import Weights

__all__ = ["explained_variance", "positions_reading_right", "principal_coordinates", "word_scores"]


def word_scores(weights: Weights, head: int = 0) -> NDArray[np.float64]:
    """Each word's score in a channels_last model: its table row times the dense kernel, ``table @ kernel``.

    The logit of a sentence is the average of its averaged tokens' scores plus the
    bias, so a word with a large positive score pushes towards label 1. Without a
    mask, padding (id 0) has a score too, and counts once per padded position.

    Parameters
    ----------
    weights : Weights
        R runs of a channels_last model: table (R, V, D), kernel (R, D, heads).
    head : int
        Which output's kernel column.

    Returns
    -------
    ndarray, shape (R, V)

    Raises
    ------
    ValueError
        If the kernel does not read the table's D features (a channels_first model).
    """
    table, kernel = np.asarray(weights.table, float), np.asarray(weights.kernel, float)
    if kernel.shape[1] != table.shape[2]:
        raise ValueError(
            f"word scores need a channels_last model, whose kernel reads the embedding_dim={table.shape[2]} "
            f"features; this kernel reads {kernel.shape[1]} (one per position: channels_first)."
        )
    return np.einsum("rvd,rd->rv", table, kernel[:, :, head])


def positions_reading_right(
    weights: Weights, positive_ids: ArrayLike, negative_ids: ArrayLike, head: int = 0
) -> NDArray[np.bool_]:
    """For a channels_first model: whether a positive word at position t pushes towards label 1.

    channels_first pools each token to the mean of its row, so position t adds
    ``kernel[t] * row_mean[word] / seq_len`` to the logit. Training gives positive and
    negative words row means on opposite sides; position t reads sentiment the right
    way round when its weight has the sign of ``mean row_mean[positive] - mean
    row_mean[negative]``.

    Parameters
    ----------
    weights : Weights
        R runs of a channels_first model: table (R, V, D), kernel (R, seq_len, heads).
    positive_ids, negative_ids : array_like of int, shape (n_positive,) and (n_negative,)
        Ids of the words that mean label 1 and label 0.
    head : int
        Which output of the dense layer, 0 … heads − 1.

    Returns
    -------
    ndarray of bool, shape (R, seq_len)
    """
    row_means = np.asarray(weights.table, float).mean(axis=2)  # (R, V)
    gap = row_means[:, np.asarray(positive_ids)].mean(axis=1) - row_means[:, np.asarray(negative_ids)].mean(axis=1)
    return np.asarray(weights.kernel, float)[:, :, head] * gap[:, np.newaxis] > 0


def _centred(rows: ArrayLike) -> NDArray[np.float64]:
    rows = np.asarray(rows, dtype=float)
    if rows.ndim < 2 or rows.shape[-2] < 2:
        raise ValueError(f"rows must have shape (..., n_words, dim) with at least two words; got {rows.shape}.")
    return rows - rows.mean(axis=-2, keepdims=True)


def explained_variance(rows: ArrayLike) -> NDArray[np.float64]:
    """Share of the rows' variance along each principal direction, largest first.

    Parameters
    ----------
    rows : array_like, shape (..., n_words, dim)
        Word vectors, e.g. the rows of an embedding table (one table per run on the leading axes).

    Returns
    -------
    ndarray, shape (..., min(n_words, dim))
        Non-negative shares that sum to 1 along the last axis.
    """
    singular = np.linalg.svd(_centred(rows), compute_uv=False)
    power = singular**2
    return power / power.sum(axis=-1, keepdims=True)


def principal_coordinates(rows: ArrayLike, k: int = 2) -> NDArray[np.float64]:
    """The rows' coordinates along their first ``k`` principal directions (centred, same units as the rows).

    Parameters
    ----------
    rows : array_like, shape (n_words, dim)
    k : int

    Returns
    -------
    ndarray, shape (n_words, k)
        The sign of each direction is fixed so that its coordinate largest in size is positive.
    """
    centred = _centred(rows)
    if centred.ndim != 2:
        raise ValueError(f"rows must have shape (n_words, dim) for one table; got {centred.shape}.")
    _, _, directions = np.linalg.svd(centred, full_matrices=False)
    coordinates = centred @ directions[:k].T
    # an SVD may return either sign of a direction; fix one so that figures do not flip between machines
    flip = np.sign(coordinates[np.argmax(np.abs(coordinates), axis=0), np.arange(coordinates.shape[1])])
    return coordinates * np.where(flip == 0, 1, flip)
