"""Runs draw every seed from one first seed: independent runs share nothing, crossed runs share along their axes."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from embedpool_utils.experiments.seeds import Runs


@settings(max_examples=30, deadline=None)
@given(first_seed=st.integers(0, 2**40), other=st.integers(0, 2**40), runs=st.integers(1, 60))
def test_independent_runs_share_no_seed_and_another_first_seed_shares_none_of_them(first_seed, other, runs):
    chosen = Runs.independent(first_seed, runs)
    seeds = chosen.weight_seeds + chosen.data_seeds
    assert len(chosen) == runs and len(set(seeds)) == 2 * runs
    assert all(isinstance(s, int) and 0 <= s < 2**63 for s in seeds)
    assert Runs.independent(first_seed, runs) == chosen  # the same first seed, the same runs
    if other != first_seed:
        again = Runs.independent(other, runs)
        assert not set(seeds) & set(again.weight_seeds + again.data_seeds)


def test_crossed_runs_pair_every_weight_seed_with_every_data_seed():
    runs = Runs.crossed(first_seed=4, weight_draws=3, data_draws=2)
    assert runs.grid == (3, 2) and len(runs) == 6
    weights = np.array(runs.weight_seeds).reshape(3, 2)
    data = np.array(runs.data_seeds).reshape(3, 2)
    assert (weights == weights[:, :1]).all() and len(set(weights[:, 0])) == 3  # one weight seed per row
    assert (data == data[:1]).all() and len(set(data[0])) == 2  # one data seed per column
    independent = Runs.independent(first_seed=4, runs=6)
    assert independent.grid is None
    assert not set(runs.weight_seeds) & set(independent.weight_seeds)


def test_each_data_set_of_a_run_gets_a_seed_of_its_own():
    runs = Runs.independent(first_seed=0, runs=3)
    per_run = [runs.data_set_seeds(k, 3) for k in range(3)]
    assert len({s for seeds in per_run for s in seeds}) == 9
    assert runs.data_set_seeds(1, 3) == per_run[1]


@pytest.mark.parametrize("first_seed", [2.5, "7", True, None])
def test_a_first_seed_must_be_an_int(first_seed):
    with pytest.raises(TypeError, match="first_seed must be an int >= 0; got"):
        Runs.independent(first_seed, 3)


def test_a_first_seed_must_be_0_or_more():
    with pytest.raises(ValueError, match="first_seed must be an int >= 0; got -1"):
        Runs.crossed(-1, 2, 2)


def test_runs_need_as_many_weight_seeds_as_data_seeds():
    with pytest.raises(ValueError, match="one weight seed and one data seed per run"):
        Runs((1, 2), (3,))
    with pytest.raises(ValueError, match="runs must be"):
        Runs.independent(0, 0)
