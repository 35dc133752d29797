"""Split the spread of a crossed sweep between its weight seeds and its data seeds, beside what chance gives.

In a crossed design (:meth:`~embedpool_utils.experiments.seeds.Runs.crossed`) every
one of W weight seeds trains on every one of D data sets. Averaging a result over
the data seeds gives one mean per weight seed; the share of the result's variance
that these W means explain says how much the start weights decide it (and the D
means of the data seeds likewise). Even when the seeds decide nothing, W means of
a few runs each differ by chance and explain about (W - 1) / (W * D - 1) of the
variance, so a share means little without that baseline: :func:`shuffled_shares`
measures it by shuffling the results over the runs, which breaks any link between
a run's seeds and its result, and splitting again.

Examples
--------
>>> import numpy as np
>>> from embedpool_utils.experiments.seeds import Runs
>>> runs = Runs.crossed(first_seed=0, weight_draws=2, data_draws=3)
>>> late = np.array([0.1, 0.2, 0.0, 0.9, 0.8, 1.0])   # weight seed 0, then weight seed 1
>>> [round(share, 3) for share in seed_shares(late, runs)]
[0.96, 0.0]
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from embedpool_utils.experiments.seeds import Runs
from embedpool_utils.validation import positive_int

__all__ = ["seed_shares", "shuffled_shares"]


def _grid(values: ArrayLike, runs: Runs) -> NDArray[np.float64]:
    if runs.grid is None:
        raise ValueError(
            "a variance split needs a crossed design, in which every weight seed trains on every data set "
            "(Runs.crossed); these runs are independent, so each seed has one run and its mean is that run."
        )
    values = np.asarray(values, dtype=float)
    if values.shape != (len(runs),):
        raise ValueError(f"values must hold one number per run, shape ({len(runs)},); got {values.shape}.")
    return values.reshape(runs.grid)


def _shares(grid: NDArray[np.float64]) -> NDArray[np.float64]:
    """(..., W, D) grids -> (..., 2): variance of the W weight-seed means and of the D data-seed means over the total."""
    total = grid.var(axis=(-2, -1))
    total = np.where(total == 0, np.nan, total)  # every run alike: no variance to split
    return np.stack([grid.mean(axis=-1).var(axis=-1) / total, grid.mean(axis=-2).var(axis=-1) / total], axis=-1)


def seed_shares(values: ArrayLike, runs: Runs) -> tuple[float, float]:
    """The shares of the variance of ``values`` that the weight seeds' means and the data seeds' means explain.

    Parameters
    ----------
    values : array_like, shape (R,)
        One result per run, in the order of ``runs`` (e.g. a held-out accuracy of a sweep).
    runs : Runs
        A crossed design of W x D = R runs.

    Returns
    -------
    weight_share : float
        The share explained by the weight seeds, between 0 and 1 (NaN when every run has the same result).
    data_share : float
        The share explained by the data seeds, likewise. Together the two are at most 1; the rest
        depends on the two seeds together.
    """
    weight_share, data_share = _shares(_grid(values, runs))
    return float(weight_share), float(data_share)


def shuffled_shares(values: ArrayLike, runs: Runs, *, shuffles: int = 1000, seed: int = 0) -> NDArray[np.float64]:
    """:func:`seed_shares` after shuffling ``values`` over the runs, ``shuffles`` times: what chance alone gives.

    Parameters
    ----------
    values : array_like, shape (R,)
    runs : Runs
        A crossed design.
    shuffles : int
    seed : int
        For ``numpy.random.default_rng``, which draws the shuffles.

    Returns
    -------
    ndarray, shape (shuffles, 2)
        Column 0 the weight seeds' share, column 1 the data seeds', one row per shuffle.
    """
    grid = _grid(values, runs)
    shuffles = positive_int(shuffles, "shuffles")
    rng = np.random.default_rng(seed)
    shuffled = rng.permuted(np.broadcast_to(grid.ravel(), (shuffles, grid.size)), axis=1)
    return _shares(shuffled.reshape((shuffles,) + grid.shape))
