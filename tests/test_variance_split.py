"""A variance split of a crossed sweep: exact shares on hand-made grids, and the chance baseline of shuffled runs."""

import numpy as np
import pytest

from embedpool_utils.experiments import variance_split
from embedpool_utils.experiments.seeds import Runs

RUNS = Runs.crossed(first_seed=0, weight_draws=4, data_draws=5)


def test_a_result_that_only_the_weight_seed_decides_is_all_weight_seed():
    values = np.repeat([0.1, 0.9, 0.4, 0.6], 5)  # rows: weight seeds
    assert variance_split.seed_shares(values, RUNS) == pytest.approx((1.0, 0.0))
    assert variance_split.seed_shares(np.tile([0.0, 1.0, 0.2, 0.3, 0.5], 4), RUNS) == pytest.approx((0.0, 1.0))


def test_shares_of_an_additive_grid_add_up_to_one():
    rng = np.random.default_rng(1)
    grid = rng.normal(size=(4, 1)) + rng.normal(size=(1, 5))
    weight, data = variance_split.seed_shares(grid.ravel(), RUNS)
    # by hand: the sums of squares of the row effects and the column effects over the total
    centred = grid - grid.mean()
    rows, columns = centred.mean(axis=1), centred.mean(axis=0)
    total = (centred**2).sum()
    assert weight == pytest.approx(5 * (rows**2).sum() / total)
    assert data == pytest.approx(4 * (columns**2).sum() / total)
    assert weight + data == pytest.approx(1.0)


def test_shuffled_runs_explain_what_chance_explains_on_average():
    # under shuffling, W means of D runs explain (W - 1) / (W * D - 1) of the variance on average
    values = np.random.default_rng(2).random(20)
    shuffled = variance_split.shuffled_shares(values, RUNS, shuffles=4000, seed=3)
    assert shuffled.shape == (4000, 2)
    assert shuffled[:, 0].mean() == pytest.approx(3 / 19, abs=0.01)
    assert shuffled[:, 1].mean() == pytest.approx(4 / 19, abs=0.01)
    # a result the weight seed decides beats almost every shuffle
    decided = np.repeat([0.1, 0.9, 0.4, 0.6], 5) + np.random.default_rng(4).normal(0, 0.01, 20)
    weight, _ = variance_split.seed_shares(decided, RUNS)
    assert (variance_split.shuffled_shares(decided, RUNS, seed=5)[:, 0] < weight).mean() > 0.99


def test_a_split_needs_a_crossed_design_and_one_value_per_run():
    with pytest.raises(ValueError, match="needs a crossed design"):
        variance_split.seed_shares(np.zeros(3), Runs.independent(0, 3))
    with pytest.raises(ValueError, match=r"one number per run, shape \(20,\)"):
        variance_split.seed_shares(np.zeros(19), RUNS)
