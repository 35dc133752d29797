"""Run one experiment over many runs, each from its own seeds, and summarise the spread.

An experiment is a few model variants, a way to make a training set from a seed,
and held-out sets made the same way; :class:`~embedpool_utils.experiments.seeds.Runs`
(re-exported here) says which start weights and data each run uses.
:func:`sweep` trains every run of every model at once with
:func:`~embedpool_utils.experiments.training.fit` and keeps each held-out
accuracy, and each prediction, per run, so that a claim can be checked against
every run rather than the luckiest one. :class:`Spread` prints a set of
accuracies as "mean (min-max)", and :func:`table`, :func:`two_label_table` and
:func:`perfect_runs` print one row per model.

Examples
--------
>>> from embedpool_utils.experiments import sentiment_data, training
>>> model = training.Classifier(vocab_size=31, embedding_dim=8, seq_len=10)
>>> results = sweep({"channels_last": model}, Runs.independent(first_seed=7, runs=3), epochs=3,
...                 train=lambda seed: sentiment_data.make_sentences(200, seed=seed),
...                 held_out={"new": lambda seed: sentiment_data.make_sentences(100, seed=seed)})
>>> results["channels_last"].accuracy["new"].shape            # (runs, heads)
(3, 1)
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
from embedpool_utils.experiments.seeds import Runs
from embedpool_utils.experiments.training import Classifier, History, Weights, fit, initial_weights

__all__ = ["Labelled", "Runs", "Spread", "Sweep", "perfect_runs", "sweep", "table", "two_label_table"]


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
    """The outcome of :func:`sweep` for one model.

    Attributes
    ----------
    runs : Runs
        The seeds of each run, in the order of the runs axis.
    accuracy : dict of str to ndarray, shape (R, heads)
        Each held-out set's accuracy after the last epoch, per run and head.
    all_right : dict of str to ndarray, shape (R,)
        Each held-out set's share of sentences with every head right (with one head, its accuracy).
    predicted, labels : dict of str to ndarray of bool, shape (R, n, heads)
        Each held-out set's predicted labels (probability above 0.5) and true labels.
    history : History
        Per epoch (held-out scores only with ``curves=True``), runs in the same order.
    weights : Weights
        After training, runs in the same order.
    """

    runs: Runs
    accuracy: dict[str, NDArray[np.floating]]
    all_right: dict[str, NDArray[np.floating]]
    predicted: dict[str, NDArray[np.bool_]]
    labels: dict[str, NDArray[np.bool_]]
    history: History
    weights: Weights

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

    def perfect(self, held_out: str) -> NDArray[np.bool_]:
        """Which runs got every sentence of a held-out set right (every head).

        Parameters
        ----------
        held_out : str
            Which held-out set.

        Returns
        -------
        ndarray of bool, shape (R,)
            One entry per run.
        """
        return self.all_right[held_out] == 1

    def combinations_predicted(self, held_out: str) -> NDArray[np.int64]:
        """How many different combinations of labels each run predicts on a held-out set.

        With two heads there are four combinations (0, 0), (0, 1), (1, 0) and (1, 1).

        Parameters
        ----------
        held_out : str
            Which held-out set.

        Returns
        -------
        ndarray of int, shape (R,)
            One count per run, from 1 to ``2 ** heads``.
        """
        codes = self.predicted[held_out] @ (2 ** np.arange(self.predicted[held_out].shape[-1]))
        return np.array([len(np.unique(run)) for run in codes])

    def rarest_combination(self, held_out: str) -> NDArray[np.float64]:
        """Each run's share of held-out sentences whose true labels form the rarest combination.

        A model that can predict only some of the combinations gets every sentence of the others wrong,
        so one that misses a combination gets at most ``1 - rarest_combination`` of the sentences all right.

        Parameters
        ----------
        held_out : str
            Which held-out set.

        Returns
        -------
        ndarray of float, shape (R,)
            One share per run, from 0 to 1.
        """
        labels = self.labels[held_out]
        codes = labels @ (2 ** np.arange(labels.shape[-1]))
        counts = np.stack([(codes == code).sum(axis=1) for code in range(2 ** labels.shape[-1])], axis=1)
        return counts.min(axis=1) / labels.shape[1]


def sweep(
    models: dict[str, Classifier],
    runs: Runs,
    *,
    train: Callable[[int], Labelled],
    held_out: dict[str, Callable[[int], Labelled]],
    epochs: int = 15,
    batch_size: int = 32,
    learning_rate: float = 0.01,
    curves: bool = False,
    adjust_start: Callable[[Weights], Weights] | None = None,
) -> dict[str, Sweep]:
    """Train each model once per run and score it on each held-out set.

    Run k starts from ``initial_weights(model, [runs.weight_seeds[k]])`` and trains on
    ``train(seed)``; its held-out sets are ``make(seed)``, each with a seed of its own
    (``runs.data_set_seeds(k, 1 + len(held_out))``: the training set's first). The data
    are made once and shared by all models, so the models differ only in their architecture.

    Parameters
    ----------
    models : dict of str to Classifier
        The variants to compare, by name.
    runs : Runs
        The seeds of every run, e.g. ``Runs.independent(first_seed, 25)``.
    train : callable, seed -> data with ``ids`` and ``labels``
    held_out : dict of str to callable, seed -> data with ``ids`` and ``labels``
        Every set must hold as many sentences for every seed.
    epochs, batch_size : int
        As in :func:`~embedpool_utils.experiments.training.fit`.
    learning_rate : float
        As in :func:`~embedpool_utils.experiments.training.fit`.
    curves : bool
        Also score the held-out sets after every epoch (``history.held_out``), for learning
        curves; this costs about a third more time. Otherwise they are scored once, at the end.
    adjust_start : callable, Weights -> Weights, optional
        Changes every run's start weights before training, for an experiment on them (e.g. on
        the sizes of the dense weights); it gets and returns the weights of all R runs.

    Returns
    -------
    dict of str to Sweep
        One per model, same names.
    """
    if not isinstance(runs, Runs):
        raise TypeError(
            f"runs must be a sweeps.Runs, e.g. Runs.independent(first_seed, 25); got {type(runs).__name__}."
        )
    makers = [train, *held_out.values()]
    seeds = [runs.data_set_seeds(k, len(makers)) for k in range(len(runs))]
    stacked = [_stack([make(run_seeds[i]) for run_seeds in seeds]) for i, make in enumerate(makers)]
    (ids, labels), sets = stacked[0], dict(zip(held_out, stacked[1:]))
    results = {}
    for name, model in models.items():
        start = initial_weights(model, runs.weight_seeds)
        if adjust_start is not None:
            start = adjust_start(start)
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
        accuracy, all_right, predicted, truth = {}, {}, {}, {}
        for split, (set_ids, set_labels) in sets.items():
            predicted[split] = training.predict(model, weights, set_ids) > 0.5
            truth[split] = set_labels.reshape(set_labels.shape[:2] + (-1,)) == 1
            right = predicted[split] == truth[split]
            accuracy[split] = right.mean(axis=1)
            all_right[split] = right.all(axis=2).mean(axis=1)
        results[name] = Sweep(runs, accuracy, all_right, predicted, truth, history, weights)
    return results


def _stack(sets: list[Labelled]) -> tuple[NDArray, NDArray]:
    """One set per run -> (runs, n, ...) arrays of ids and labels."""
    sizes = {len(np.asarray(s.ids)) for s in sets}
    if len(sizes) > 1:
        raise ValueError(f"every run's data set must hold as many sentences; got sizes {sorted(sizes)}.")
    return np.stack([np.asarray(s.ids) for s in sets]), np.stack([np.asarray(s.labels) for s in sets])


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
        split: [f"{int(r.perfect(split).sum())} of {r.all_right[split].size}" for r in results.values()]
        for split in splits
    }
    return "runs with every sentence right:\n" + _rows(counts, list(results))
