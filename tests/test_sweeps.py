"""A seed sweep keeps every run's accuracy on its grid, in the documented order."""

import numpy as np
import pytest

from embedpool_utils import sweeps, toy_data, training


def test_each_grid_cell_is_the_run_with_that_weight_seed_and_data_seed():
    model = training.Classifier(31, 4, 10, data_format="channels_first")
    made = []
    results = sweeps.sweep({"first": model, "last": training.Classifier(31, 4, 10)},
                           weight_seeds=[3, 4], data_seeds=[1, 2, 5], epochs=2, curves=True,
                           train=lambda seed: made.append(seed) or toy_data.make_sentences(100, seed=seed),
                           held_out={"late": lambda seed: toy_data.make_sentences(
                               60, seed=50 + seed, lengths=(8, 10), positions=(6, 9))})
    assert made == [1, 2, 5]                                 # the data are made once, for both models
    result = results["first"]
    assert result.accuracy["late"].shape == (2, 3, 1) and result.history.loss.shape == (2, 6)
    i, j = 1, 2                                              # weight seed 4, data seed 5
    train, late = toy_data.make_sentences(100, seed=5), toy_data.make_sentences(60, seed=55, lengths=(8, 10),
                                                                                 positions=(6, 9))
    alone, _ = training.fit(model, training.initial_weights(model, [4]), train.ids, train.labels, epochs=2)
    expected = training.accuracy(model, alone, late.ids, late.labels)[0, 0]
    assert result.accuracy["late"][i, j, 0] == pytest.approx(expected)
    spread = result.spread("late")
    assert spread.min <= expected <= spread.max
    # the learning curve's last point is the final score
    np.testing.assert_allclose(result.history.held_out["late"][-1].reshape(2, 3, 1), result.accuracy["late"])


def test_spread_prints_whole_percentages_and_refuses_an_empty_set():
    spread = sweeps.Spread.of(np.array([[0.09, 0.88], [0.5, 0.37]]))
    assert (spread.mean, spread.min, spread.max) == pytest.approx((0.46, 0.09, 0.88))
    assert str(spread) == "46% (9%-88%)"
    with pytest.raises(ValueError, match="at least one value"):
        sweeps.Spread.of([])
    with pytest.raises(ValueError, match="at least one weight seed"):
        sweeps.sweep({"m": training.Classifier(31, 4, 10)}, weight_seeds=[], data_seeds=[1],
                     train=lambda seed: toy_data.make_sentences(10, seed=seed), held_out={})
