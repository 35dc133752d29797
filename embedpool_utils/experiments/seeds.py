"""Which seeds each run of an experiment uses: start weights and data, all derived from one first seed.

A run is one training of one model: its start weights come from a *weight seed*,
its training and held-out sets from a *data seed*. :class:`Runs` holds both for
every run. :meth:`Runs.independent` gives every run start weights and data of its
own, so that "in every run" rests on as many independent draws as there are runs;
:meth:`Runs.crossed` pairs a few weight seeds with a few data seeds in every
combination, which a split of the variance between the two needs
(:mod:`~embedpool_utils.experiments.variance_split`). Every seed is drawn by numpy's
``SeedSequence`` from the first seed, so another first seed gives runs that share
nothing with these.

Examples
--------
>>> runs = Runs.independent(first_seed=7, runs=3)
>>> len(runs), len(set(runs.weight_seeds + runs.data_seeds))
(3, 6)
>>> Runs.crossed(first_seed=7, weight_draws=2, data_draws=3).grid     # (weight seeds, data seeds)
(2, 3)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from embedpool_utils.validation import check_int, positive_int

__all__ = ["Runs"]

# Tags that keep the seeds of the two designs, and of weights and data, apart (see Runs).
_INDEPENDENT, _CROSSED = 0, 1


def _seeds(entropy: list[int], count: int) -> list[int]:
    """``count`` seeds drawn by numpy's ``SeedSequence(entropy)``: unrelated numbers below 2**63, as Python ints."""
    words = np.random.SeedSequence(entropy).generate_state(count, dtype=np.uint64) >> np.uint64(1)
    return [int(w) for w in words]


@dataclass(frozen=True)
class Runs:
    """The seeds of R runs: run k starts from ``weight_seeds[k]`` and draws its data from ``data_seeds[k]``.

    Make them with :meth:`independent` or :meth:`crossed`; both derive every seed from
    one first seed with numpy's ``SeedSequence``, so that another first seed gives
    runs that share nothing with these. A run's data seed gives each of its data sets
    a seed of its own (:meth:`data_set_seeds`): the training set and each held-out set
    are separate draws.

    Attributes
    ----------
    weight_seeds, data_seeds : tuple of int, length R
    grid : tuple of (int, int), or None
        For a crossed design, its numbers of weight seeds and data seeds (W, D): run ``i * D + j``
        pairs weight seed number i with data seed number j. None for independent runs.
    """

    weight_seeds: tuple[int, ...]
    data_seeds: tuple[int, ...]
    grid: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        if len(self.weight_seeds) != len(self.data_seeds) or not self.weight_seeds:
            raise ValueError(
                "Runs needs one weight seed and one data seed per run, at least one run; got "
                f"{len(self.weight_seeds)} weight seeds and {len(self.data_seeds)} data seeds."
            )

    def __len__(self) -> int:
        return len(self.weight_seeds)

    @classmethod
    def independent(cls, first_seed: int, runs: int) -> Runs:
        """``runs`` runs, each with start weights and data of its own, derived from ``first_seed``.

        Parameters
        ----------
        first_seed : int, 0 or more
        runs : int

        Returns
        -------
        Runs
            No two runs share a weight seed or a data seed (checked).
        """
        first_seed, runs = check_int(first_seed, "first_seed", min_value=0), positive_int(runs, "runs")
        seeds = _seeds([first_seed, _INDEPENDENT], 2 * runs)
        if len(set(seeds)) < len(seeds):  # about once in 10**12 draws; then say so rather than share a seed
            raise ValueError(f"first_seed={first_seed} gives two runs the same seed; choose another first seed.")
        return cls(tuple(seeds[0::2]), tuple(seeds[1::2]))

    @classmethod
    def crossed(cls, first_seed: int, weight_draws: int, data_draws: int) -> Runs:
        """Every combination of ``weight_draws`` weight seeds with ``data_draws`` data seeds: W x D runs.

        The runs share start weights along one axis and data along the other, so they are
        not independent: use them to split a result's variance between the two seeds
        (:mod:`~embedpool_utils.experiments.variance_split`), not to count runs.

        Parameters
        ----------
        first_seed : int, 0 or more
            Gives seeds other than :meth:`independent` with the same first seed.
        weight_draws, data_draws : int
            W and D.

        Returns
        -------
        Runs
            Run ``i * D + j`` has weight seed number i and data seed number j.
        """
        first_seed = check_int(first_seed, "first_seed", min_value=0)
        weight_draws, data_draws = positive_int(weight_draws, "weight_draws"), positive_int(data_draws, "data_draws")
        weights = _seeds([first_seed, _CROSSED, 0], weight_draws)
        data = _seeds([first_seed, _CROSSED, 1], data_draws)
        return cls(
            tuple(np.repeat(weights, data_draws).tolist()), tuple(data * weight_draws), (weight_draws, data_draws)
        )

    def data_set_seeds(self, run: int, sets: int) -> list[int]:
        """Seeds of run ``run``'s data sets, drawn from its data seed: the training set's first, then each held-out set's.

        Parameters
        ----------
        run : int
            0 … R − 1.
        sets : int
            How many data sets the run draws.

        Returns
        -------
        list of int, length ``sets``
        """
        return _seeds([self.data_seeds[run]], positive_int(sets, "sets"))
