"""Run one experiment over a grid of seeds (start weights x data) and summarise the spread.

An experiment is a few model variants, a way to make a training set from a data
seed, and held-out sets made from the same data seed. :func:`sweep` trains every
combination of a weight seed and a data seed at once with
:func:`~embedpool_utils.training.fit`, and keeps each held-out accuracy on a
``(weight seed, data seed, head)`` grid, so that a claim can be checked against
every run rather than the luckiest one. :class:`Spread` prints a grid as
"mean (min-max)".

Examples
--------
>>> from embedpool_utils import toy_data, training
>>> model = training.Classifier(vocab_size=31, embedding_dim=8, seq_len=10)
>>> results = sweep({"channels_last": model}, weight_seeds=[0, 1], data_seeds=[1, 2], epochs=3,
...                 train=lambda seed: toy_data.make_sentences(200, seed=seed),
...                 held_out={"new": lambda seed: toy_data.make_sentences(100, seed=100 + seed)})
>>> results["channels_last"].accuracy["new"].shape
(2, 2, 1)
>>> print(Spread.of([0.5, 0.75, 1.0]))
75% (50%-100%)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray

from embedpool_utils import training
from embedpool_utils.training import Classifier, History, Weights, fit, initial_weights

__all__ = ["Labelled", "Spread", "Sweep", "sweep"]


class Labelled(Protocol):
    """Anything with ``ids`` (n, seq_len) and ``labels`` (n,) or (n, heads), such as ``toy_data.ToyData``."""

    ids: NDArray[np.integer]
    labels: NDArray[np.integer]


@dataclass(frozen=True)
class Spread:
    """Mean, smallest and largest of a set of accuracies (fractions), printed as percentages."""

    mean: float
    min: float
    max: float

    @classmethod
    def of(cls, values: ArrayLike) -> Spread:
        """The spread of every value in ``values`` (any shape)."""
        values = np.asarray(values, dtype=float)
        if values.size == 0:
            raise ValueError("a spread needs at least one value; got an empty array.")
        return cls(float(values.mean()), float(values.min()), float(values.max()))

    def __str__(self) -> str:
        # whole percentages: a last-digit difference between machines must not change the text
        return f"{self.mean:.0%} ({self.min:.0%}-{self.max:.0%})"


@dataclass(frozen=True)
class Sweep:
    """The outcome of :func:`sweep`.

    Attributes
    ----------
    weight_seeds, data_seeds : tuple of int
    accuracy : dict of str to ndarray, shape (len(weight_seeds), len(data_seeds), heads)
        Each held-out set's accuracy after the last epoch, per run and head.
    history : History
        Per epoch (held-out scores only with ``curves=True``); its runs axis is weight-seed
        major: run ``i * len(data_seeds) + j`` is weight seed ``i`` with data seed ``j``.
    weights : Weights
        After training, runs in the same order.
    """

    weight_seeds: tuple[int, ...]
    data_seeds: tuple[int, ...]
    accuracy: dict[str, NDArray[np.floating]]
    history: History
    weights: Weights

    def spread(self, held_out: str, head: int | None = None) -> Spread:
        """Spread of one held-out set's accuracy over all runs (and heads, unless one is given)."""
        values = self.accuracy[held_out]
        return Spread.of(values if head is None else values[..., head])


def _stack(sets: list[Labelled], repeats: int) -> tuple[NDArray, NDArray]:
    """One set per data seed -> (runs, n, ...) arrays, repeated for every weight seed."""
    ids = np.stack([np.asarray(s.ids) for s in sets])
    labels = np.stack([np.asarray(s.labels) for s in sets])
    return np.tile(ids, (repeats,) + (1,) * (ids.ndim - 1)), np.tile(labels, (repeats,) + (1,) * (labels.ndim - 1))


def sweep(
    models: dict[str, Classifier],
    *,
    weight_seeds: ArrayLike,
    data_seeds: ArrayLike,
    train: Callable[[int], Labelled],
    held_out: dict[str, Callable[[int], Labelled]],
    epochs: int = 15,
    batch_size: int = 32,
    learning_rate: float = 0.01,
    curves: bool = False,
) -> dict[str, Sweep]:
    """Train each model for every (weight seed, data seed) pair and score it on each held-out set.

    The data are made once and shared by all models, so the models differ only in
    their architecture.

    Parameters
    ----------
    models : dict of str to Classifier
        The variants to compare, by name.
    weight_seeds, data_seeds : sequence of int
        Start weights come from :func:`~embedpool_utils.training.initial_weights` with the weight seed;
        the training set is ``train(data_seed)`` and each held-out set ``make(data_seed)``.
    train : callable, data seed -> data with ``ids`` and ``labels``
    held_out : dict of str to callable, data seed -> data with ``ids`` and ``labels``
        Every set must hold as many sentences for every data seed.
    epochs, batch_size, learning_rate
        As in :func:`~embedpool_utils.training.fit`.
    curves : bool
        Also score the held-out sets after every epoch (``history.held_out``), for learning
        curves; this costs about a third more time. Otherwise they are scored once, at the end.

    Returns
    -------
    dict of str to Sweep
        One per model, same names.
    """
    weight_seeds = tuple(int(s) for s in np.atleast_1d(weight_seeds))
    data_seeds = tuple(int(s) for s in np.atleast_1d(data_seeds))
    if not weight_seeds or not data_seeds:
        raise ValueError("a sweep needs at least one weight seed and one data seed.")
    repeats = len(weight_seeds)
    ids, labels = _stack([train(seed) for seed in data_seeds], repeats)
    sets = {name: _stack([make(seed) for seed in data_seeds], repeats) for name, make in held_out.items()}
    results = {}
    for name, model in models.items():
        start = initial_weights(model, np.repeat(weight_seeds, len(data_seeds)))
        weights, history = fit(model, start, ids, labels, epochs=epochs, batch_size=batch_size,
                               learning_rate=learning_rate, held_out=sets if curves else None)
        grid = (len(weight_seeds), len(data_seeds), model.heads)
        accuracy = {split: training.accuracy(model, weights, *pair).reshape(grid) for split, pair in sets.items()}
        results[name] = Sweep(weight_seeds, data_seeds, accuracy, history, weights)
    return results
