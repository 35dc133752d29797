"""Train stacked classifiers in numpy as ``model.fit(..., shuffle=False)`` with Keras' Adam would.

The model, its forward pass and its gradients are in
:mod:`~embedpool_utils.experiments.stacked_classifier`; this module adds the optimizer
(:class:`Adam`, Keras' update rule and defaults) and the training loop
(:func:`fit`: batches in order, one Adam step each, the loss and accuracy
recorded per epoch). Every run on the leading ``runs`` axis trains at once, so
a sweep over seeds costs little more than one run. The model's names
(``Classifier``, ``Weights``, ``initial_weights``, ``predict``, ``accuracy``,
``loss_and_gradients``) are re-exported here, so a notebook needs one import.

Examples
--------
>>> from embedpool_utils.experiments import sentiment_data
>>> model = Classifier(vocab_size=31, embedding_dim=1, seq_len=10, mask_zero=True)
>>> data = sentiment_data.make_sentences(96, seed=3)
>>> trained, history = fit(model, initial_weights(model, seeds=[0, 1]), data.ids, data.labels, epochs=4)
>>> history.loss.shape, history.accuracy.shape, trained.table.shape      # (epochs, runs), ..., (runs, V, D)
((4, 2), (4, 2, 1), (2, 31, 1))
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from embedpool_utils.experiments.stacked_classifier import (
    Classifier,
    Weights,
    accuracy,
    bag_of_words,
    forward,
    forward_backward,
    initial_weights,
    loss_and_gradients,
    predict,
    stack_inputs,
)
from embedpool_utils.validation import positive_int

__all__ = [
    "Adam",
    "Classifier",
    "History",
    "Weights",
    "accuracy",
    "fit",
    "initial_weights",
    "loss_and_gradients",
    "predict",
]


@dataclass
class Adam:
    """``keras.optimizers.Adam`` for stacked weights: same update, same defaults.

    At step t (from 1), for every weight w with gradient g::

        m += (g - m) * (1 - beta_1)
        v += (g**2 - v) * (1 - beta_2)
        w -= m * learning_rate * sqrt(1 - beta_2**t) / (1 - beta_1**t) / (sqrt(v) + epsilon)

    Every entry moves at every step, including embedding rows that the batch did not use
    (their gradient is 0, but their momentum is not), exactly as Keras does with a dense gradient.
    """

    learning_rate: float = 0.001
    beta_1: float = 0.9
    beta_2: float = 0.999
    epsilon: float = 1e-7
    iterations: int = 0
    _moments: list = field(default_factory=list, repr=False)

    def step(self, weights: Weights, grads: Weights) -> Weights:
        """The weights after one update; the optimizer's state (moments, ``iterations``) advances.

        Parameters
        ----------
        weights : Weights
            R runs; the first call fixes the shapes of the moments.
        grads : Weights
            Gradients of the same shapes, e.g. from :func:`loss_and_gradients`.

        Returns
        -------
        Weights
            New arrays of the same shapes and dtypes; ``weights`` is not changed.
        """
        if not self._moments:
            self._moments = [(np.zeros_like(w), np.zeros_like(w)) for w in weights.arrays()]
        self.iterations += 1
        t = self.iterations
        alpha = self.learning_rate * np.sqrt(1 - self.beta_2**t) / (1 - self.beta_1**t)
        new = []
        for w, g, (m, v) in zip(weights.arrays(), grads.arrays(), self._moments):
            m += (g - m) * (1 - self.beta_1)
            v += (g * g - v) * (1 - self.beta_2)
            new.append((w - m * alpha / (np.sqrt(v) + self.epsilon)).astype(w.dtype, copy=False))
        return Weights(*new)


@dataclass(frozen=True)
class History:
    """What :func:`fit` records after each epoch, as Keras' ``History.history`` does.

    Attributes
    ----------
    loss : ndarray, shape (epochs, R)
        Mean training loss over the epoch's batches, weighted by batch size (Keras' ``"loss"``).
    accuracy : ndarray, shape (epochs, R, heads)
        Training accuracy over the epoch, each batch judged before its update, per head (Keras'
        ``"binary_accuracy"`` averages the heads; with two outputs Keras' ``"accuracy"`` would be
        categorical accuracy instead).
    held_out : dict of str to ndarray, shape (epochs, R, heads)
        Accuracy on each held-out set at the end of the epoch.
    categorical : ndarray, shape (epochs, R)
        Share of sentences whose largest output stands where their largest label does (the first
        of equal labels), each batch judged before its update: what Keras' ``"accuracy"`` reports
        for a model with several outputs. Meaningless for independent yes/no labels, and always 1
        with one head; kept to show what that metric measures.
    """

    loss: NDArray[np.floating]
    accuracy: NDArray[np.floating]
    held_out: dict[str, NDArray[np.floating]]
    categorical: NDArray[np.floating]


def fit(
    model: Classifier,
    weights: Weights,
    ids: ArrayLike,
    labels: ArrayLike,
    *,
    epochs: int = 15,
    batch_size: int = 32,
    learning_rate: float = 0.01,
    held_out: Mapping[str, tuple[ArrayLike, ArrayLike]] | None = None,
) -> tuple[Weights, History]:
    """Train every run, as ``model.fit(ids, labels, epochs, batch_size, shuffle=False)`` with Adam.

    Batches are taken in order (the last one may be smaller), one Adam step each.

    Parameters
    ----------
    model : Classifier
    weights : Weights
        Start weights of R runs (not changed).
    ids : array_like of int, shape (n, seq_len) shared, or (R, n, seq_len) one set per run
    labels : array_like of 0/1, shape (n,), (n, heads), (R, n) or (R, n, heads)
    epochs, batch_size : int
    learning_rate : float
        Adam's learning rate.
    held_out : dict of str to (ids, labels), optional
        Sets to score after every epoch, shaped like the training data.

    Returns
    -------
    Weights
        After training.
    History
    """
    epochs, batch_size = positive_int(epochs, "epochs"), positive_int(batch_size, "batch_size")
    ids, labels = stack_inputs(model, weights.runs, ids, labels)
    sets = {name: stack_inputs(model, weights.runs, *pair) for name, pair in (held_out or {}).items()}
    # bags of words are computed once per data set, and sliced per batch
    bag = bag_of_words(model, ids, weights.table.dtype)
    set_bags = {name: bag_of_words(model, set_ids, weights.table.dtype) for name, (set_ids, _) in sets.items()}
    n = ids.shape[1]
    optimizer = Adam(learning_rate=learning_rate)
    losses, right = np.zeros((epochs, weights.runs)), np.zeros((epochs, weights.runs, model.heads), dtype=np.int64)
    largest_right = np.zeros((epochs, weights.runs), dtype=np.int64)
    scores: dict[str, NDArray[np.floating]] = {name: np.zeros((epochs, weights.runs, model.heads)) for name in sets}
    for epoch in range(epochs):
        for start in range(0, n, batch_size):
            part = slice(start, start + batch_size)
            loss, p, grads = forward_backward(
                model, weights, ids[:, part], labels[:, part], None if bag is None else bag[:, part]
            )
            size = p.shape[1]
            losses[epoch] += loss * size / n
            right[epoch] += ((p > 0.5) == labels[:, part]).sum(axis=1)
            largest_right[epoch] += (p.argmax(axis=2) == labels[:, part].argmax(axis=2)).sum(axis=1)
            weights = optimizer.step(weights, grads)
        for name, (set_ids, set_labels) in sets.items():
            predicted = forward(model, weights, set_ids, set_bags[name])[1] > 0.5
            scores[name][epoch] = (predicted == set_labels).mean(axis=1)
    return weights, History(losses, right / n, scores, largest_right / n)
