"""Run one experiment over a grid of seeds (start weights x data) and summarise the spread.

An experiment is a few model variants, a way to make a training set from a data
seed, and held-out sets made from the same data seed. :func:`sweep` trains every
combination of a weight seed and a data seed at once with
:func:`~embedpool_utils.experiments.training.fit`, and keeps each held-out accuracy on a
``(weight seed, data seed, head)`` grid, so that a claim can be checked against
every run rather than the luckiest one. :class:`Spread` prints a grid as
"mean (min-max)", and :func:`table` and :func:`two_label_table` print one row
per model.

Examples
--------
>>> from embedpool_utils.experiments import sentiment_data, training
>>> model = training.Classifier(vocab_size=31, embedding_dim=8, seq_len=10)
>>> results = sweep({"channels_last": model}, weight_seeds=[0, 1], data_seeds=[1, 2], epochs=3,
...                 train=lambda seed: sentiment_data.make_sentences(200, seed=seed),
...                 held_out={"new": lambda seed: sentiment_data.make_sentences(100, seed=100 + seed)})
>>> results["channels_last"].accuracy["new"].shape
(2, 2, 1)
>>> print(Spread.of([0.5, 0.75, 1.0]))
75% (50%-100%)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray

from embedpool_utils.experiments import training
from embedpool_utils.experiments.training import Classifier, History, Weights, fit, initial_weights

__all__ = ["Labelled", "Spread", "Sweep", "perfect_runs", "sweep", "table", "two_label_table"]


class Labelled(Protocol):
    """Anything with ``ids`` (n, seq_len) and ``labels`` (n,) or (n, heads), such as ``sentiment_data.ToyData``."""

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
        """The spread of every value in ``values``.

        Parameters
        ----------
        values : array_like of float, any shape
            At least one value.

        Returns
        -------
        Spread
        """
        values = np.asarray(values, dtype=float)
        if values.size == 0:
            raise ValueError("a spread needs at least one value; got an empty array.")
        return cls(float(values.mean()), float(values.min()), float(values.max()))

    def __str__(self) -> str:
        # whole percentages: a last-digit difference between machines must not change the text
        return f"{self.mean:.0%} ({self.min:.0%}-{self.max:.0%})"

    def format(self, spec: str) -> str:
        """The spread of values that are not fractions, e.g. ``format(".1f")`` -> "-19.5 (-20.0 to -19.0)".

        Parameters
        ----------
        spec : str
            A format spec for each number, as in ``f"{value:.1f}"``.

        Returns
        -------
        str
        """
        return f"{self.mean:{spec}} ({self.min:{spec}} to {self.max:{spec}})"


@dataclass(frozen=True)
class Sweep:
    """The outcome of :func:`sweep`.

    Attributes
    ----------
    weight_seeds, data_seeds : tuple of int
    accuracy : dict of str to ndarray, shape (len(weight_seeds), len(data_seeds), heads)
        Each held-out set's accuracy after the last epoch, per run and head.
    all_right : dict of str to ndarray, shape (len(weight_seeds), len(data_seeds))
        Each held-out set's share of sentences with every head right (with one head, its accuracy).
    history : History
        Per epoch (held-out scores only with ``curves=True``); its runs axis is weight-seed
        major: run ``i * len(data_seeds) + j`` is weight seed ``i`` with data seed ``j``.
    weights : Weights
        After training, runs in the same order.
    """

    weight_seeds: tuple[int, ...]
    data_seeds: tuple[int, ...]
    accuracy: dict[str, NDArray[np.floating]]
    all_right: dict[str, NDArray[np.floating]]
    history: History
    weights: Weights

    @property
    def run_weight_seeds(self) -> tuple[int, ...]:
        """The weight seed of each run, in the order of the runs axis (for the start weights of every run)."""
        return tuple(np.repeat(self.weight_seeds, len(self.data_seeds)).tolist())

    def spread(self, held_out: str, head: int | None = None) -> Spread:
        """Spread of one held-out set's accuracy over all runs (and heads, unless one is given).

        Parameters
        ----------
        held_out : str
            Which held-out set.
        head : int, optional
            One output head only.

        Returns
        -------
        Spread
        """
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
    weight_seeds, data_seeds : array_like of int, shape (n_weight_seeds,) and (n_data_seeds,)
        Start weights come from :func:`~embedpool_utils.experiments.training.initial_weights` with the weight seed;
        the training set is ``train(data_seed)`` and each held-out set ``make(data_seed)``.
    train : callable, data seed -> data with ``ids`` and ``labels``
    held_out : dict of str to callable, data seed -> data with ``ids`` and ``labels``
        Every set must hold as many sentences for every data seed.
    epochs, batch_size : int
        As in :func:`~embedpool_utils.experiments.training.fit`.
    learning_rate : float
        As in :func:`~embedpool_utils.experiments.training.fit`.
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
        weights, history = fit(
            model,
            start,
            ids,
            labels,
            epochs=epochs,
            batch_size=batch_size,
            learning_rate=learning_rate,
            held_out=sets if curves else None,
        )
        grid = (len(weight_seeds), len(data_seeds), model.heads)
        accuracy, all_right = {}, {}
        for split, (set_ids, set_labels) in sets.items():
            right = (training.predict(model, weights, set_ids) > 0.5) == set_labels.reshape(
                set_labels.shape[:2] + (-1,)
            )
            accuracy[split] = right.mean(axis=1).reshape(grid)
            all_right[split] = right.all(axis=2).mean(axis=1).reshape(grid[:2])
        results[name] = Sweep(weight_seeds, data_seeds, accuracy, all_right, history, weights)
    return results


def _rows(columns: dict[str, list[str]], names: list[str]) -> str:
    """Left-aligned model names and right-aligned columns, with a header line."""
    name_width = max(len(n) for n in names) + 2
    widths = {c: max(len(c), *(len(v) for v in values)) + 3 for c, values in columns.items()}
    lines = [" " * name_width + "".join(f"{c:>{widths[c]}}" for c in columns)]
    for i, name in enumerate(names):
        lines.append(f"{name:<{name_width}}" + "".join(f"{values[i]:>{widths[c]}}" for c, values in columns.items()))
    return "\n".join(lines)


def table(results: dict[str, Sweep]) -> str:
    """One line per model, one column per held-out set: accuracy as "mean (min-max)" over all runs.

    Parameters
    ----------
    results : dict of str to Sweep
        As returned by :func:`sweep` (every model scored on the same held-out sets).

    Returns
    -------
    str
    """
    splits = list(next(iter(results.values())).accuracy)
    return _rows({split: [str(r.spread(split)) for r in results.values()] for split in splits}, list(results))


def two_label_table(results: dict[str, Sweep], held_out: str) -> str:
    """For two-label models: per run the better-read label, the worse-read label, and both right.

    Which label a model reads worse differs from run to run, so a mean per label would
    mix runs that read it well with runs that do not; the better and worse label of each
    run are taken first, then spread over the runs.

    Parameters
    ----------
    results : dict of str to Sweep
        Models with two heads.
    held_out : str
        Which held-out set.

    Returns
    -------
    str
    """
    columns: dict[str, list[str]] = {"better-read label": [], "worse-read label": [], "both right": []}
    for result in results.values():
        accuracy = result.accuracy[held_out]
        columns["better-read label"].append(str(Spread.of(accuracy.max(axis=-1))))
        columns["worse-read label"].append(str(Spread.of(accuracy.min(axis=-1))))
        columns["both right"].append(str(Spread.of(result.all_right[held_out])))
    return _rows(columns, list(results))


def perfect_runs(results: dict[str, Sweep]) -> str:
    """One line per model, one column per held-out set: how many runs got every sentence right.

    A spread in whole percentages prints 100% for a run with 2 wrong sentences in 500;
    this counts the runs in which every sentence had every label right (``all_right``
    exactly 1), so "perfect in every run" can be read off, not rounded to.

    Parameters
    ----------
    results : dict of str to Sweep
        As returned by :func:`sweep` (every model scored on the same held-out sets).

    Returns
    -------
    str
        A title line, then the table: "25 of 25" where all 25 runs were perfect.
    """
    splits = list(next(iter(results.values())).all_right)
    counts = {
        split: [f"{int((r.all_right[split] == 1).sum())} of {r.all_right[split].size}" for r in results.values()]
        for split in splits
    }
    return "runs with every sentence right:\n" + _rows(counts, list(results))
