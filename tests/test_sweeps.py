"""A sweep trains each run from its own seeds and keeps every run's accuracy and predictions, in the runs' order."""

import numpy as np
import pytest

from embedpool_utils.experiments import sentiment_data, sweeps, training, two_label_data
from embedpool_utils.experiments.seeds import Runs


def late(seed):
    return sentiment_data.make_sentences(60, seed=seed, lengths=(8, 10), positions=(6, 9))


def test_each_run_is_the_model_trained_alone_from_that_runs_seeds():
    model = training.Classifier(31, 4, 10, data_format="channels_first")
    runs = Runs.independent(first_seed=3, runs=3)
    made = []
    results = sweeps.sweep(
        {"first": model, "last": training.Classifier(31, 4, 10)},
        runs,
        epochs=2,
        curves=True,
        train=lambda seed: made.append(seed) or sentiment_data.make_sentences(100, seed=seed),
        held_out={"late": late},
    )
    assert len(made) == 3  # the data are made once, for both models
    result = results["first"]
    assert result.runs == runs
    assert result.accuracy["late"].shape == (3, 1) and result.history.loss.shape == (2, 3)
    k = 2
    training_seed, late_seed = runs.data_set_seeds(k, 2)
    assert made[k] == training_seed
    train = sentiment_data.make_sentences(100, seed=training_seed)
    alone, _ = training.fit(
        model, training.initial_weights(model, [runs.weight_seeds[k]]), train.ids, train.labels, epochs=2
    )
    held = late(late_seed)
    expected = training.accuracy(model, alone, held.ids, held.labels)[0, 0]
    assert result.accuracy["late"][k, 0] == pytest.approx(expected)
    assert result.spread("late").min <= expected <= result.spread("late").max
    # the learning curve's last point is the final score
    np.testing.assert_allclose(result.history.held_out["late"][-1], result.accuracy["late"])


def test_a_crossed_design_shares_start_weights_along_one_axis_and_data_along_the_other():
    model = training.Classifier(31, 4, 10, data_format="channels_first")
    runs = Runs.crossed(first_seed=3, weight_draws=2, data_draws=3)
    result = sweeps.sweep(
        {"m": model}, runs, epochs=1, train=lambda seed: sentiment_data.make_sentences(64, seed=seed), held_out={}
    )["m"]
    table = result.weights.table.reshape(2, 3, 31, 4)
    # same data, other start weights: other tables; same start weights, other data: other tables too
    assert not np.allclose(table[0, 0], table[1, 0]) and not np.allclose(table[0, 0], table[0, 1])
    start = training.initial_weights(model, runs.weight_seeds).table.reshape(2, 3, 31, 4)
    np.testing.assert_array_equal(start[:, 0], start[:, 2])


def test_adjust_start_changes_the_start_weights_of_every_run():
    model = training.Classifier(31, 1, 10, mask_zero=True, heads=2)
    runs = Runs.independent(first_seed=0, runs=2)
    seen = []

    def zero_kernel(start):
        seen.append(start.kernel.copy())
        return training.Weights(start.table, np.zeros_like(start.kernel), start.bias)

    def make(seed):
        return two_label_data.make_two_label_sentences(40, seed=seed)

    adjusted = sweeps.sweep({"m": model}, runs, epochs=1, train=make, held_out={}, adjust_start=zero_kernel)["m"]
    plain = sweeps.sweep({"m": model}, runs, epochs=1, train=make, held_out={})["m"]
    np.testing.assert_array_equal(seen[0], training.initial_weights(model, runs.weight_seeds).kernel)
    assert not np.allclose(adjusted.weights.kernel, plain.weights.kernel)


def test_sweep_refuses_seeds_that_are_not_runs_and_sets_of_different_sizes():
    model = training.Classifier(31, 4, 10)
    with pytest.raises(TypeError, match=r"Runs\.independent"):
        sweeps.sweep({"m": model}, [0, 1], train=lambda seed: sentiment_data.make_sentences(10, seed=seed), held_out={})
    sizes = iter([10, 12])
    with pytest.raises(ValueError, match="as many sentences"):
        sweeps.sweep(
            {"m": model},
            Runs.independent(0, 2),
            train=lambda seed: sentiment_data.make_sentences(next(sizes), seed=seed),
            held_out={},
        )


def test_spread_prints_whole_percentages_and_refuses_an_empty_set():
    spread = sweeps.Spread.of(np.array([[0.09, 0.88], [0.5, 0.37]]))
    assert (spread.mean, spread.min, spread.max) == pytest.approx((0.46, 0.09, 0.88))
    assert str(spread) == "46% (9%-88%)"
    with pytest.raises(ValueError, match="at least one value"):
        sweeps.Spread.of([])


def test_predictions_all_right_and_label_combinations_are_counted_per_run():
    model = training.Classifier(31, 4, 10, heads=2, mask_zero=True)
    held = two_label_data.make_two_label_sentences(80, seed=7)
    results = sweeps.sweep(
        {"two": model},
        Runs.independent(first_seed=1, runs=2),
        epochs=2,
        train=lambda seed: two_label_data.make_two_label_sentences(120, seed=seed),
        held_out={"held": lambda seed: held},
    )
    result = results["two"]
    for run in range(2):
        one_run = training.Weights(*(a[run : run + 1] for a in result.weights.arrays()))
        predicted = training.predict(model, one_run, held.ids)[0] > 0.5
        np.testing.assert_array_equal(result.predicted["held"][run], predicted)
        by_hand = np.mean([all(p == y for p, y in zip(row, labels)) for row, labels in zip(predicted, held.labels)])
        assert result.all_right["held"][run] == pytest.approx(by_hand)
        np.testing.assert_allclose(result.accuracy["held"][run], (predicted == held.labels).mean(axis=0))
        assert result.combinations_predicted("held")[run] == len({tuple(row) for row in predicted.tolist()})
        combinations = [tuple(row) for row in held.labels.tolist()]
        rarest = min(combinations.count(c) for c in [(0, 0), (0, 1), (1, 0), (1, 1)]) / len(combinations)
        assert result.rarest_combination("held")[run] == pytest.approx(rarest)
    assert result.perfect("held").dtype == bool


def test_a_model_that_misses_a_combination_gets_at_most_the_others_all_right():
    labels = np.array([[[1, 1], [1, 0], [0, 1], [0, 0], [1, 1]]], dtype=bool)
    predicted = np.array([[[1, 1], [1, 0], [0, 1], [0, 1], [1, 1]]], dtype=bool)  # never predicts (0, 0)
    right = (predicted == labels).all(axis=2).mean(axis=1)
    result = sweeps.Sweep(Runs((0,), (1,)), {}, {"held": right}, {"held": predicted}, {"held": labels}, None, None)
    assert result.combinations_predicted("held").tolist() == [3]
    assert result.rarest_combination("held").tolist() == [pytest.approx(0.2)]
    assert result.all_right["held"][0] <= 1 - result.rarest_combination("held")[0]


def fake(accuracy, all_right=None):
    """A Sweep holding only given accuracies, shape (runs, heads), on one held-out set."""
    accuracy = np.asarray(accuracy, float)
    all_right = all_right if all_right is not None else accuracy[..., 0]
    runs = Runs(tuple(range(len(accuracy))), tuple(range(len(accuracy))))
    return sweeps.Sweep(runs, {"held": accuracy}, {"held": np.asarray(all_right)}, {}, {}, None, None)


def test_table_prints_one_row_per_model_and_one_column_per_held_out_set():
    text = sweeps.table({"short": fake([[0.5], [1.0]]), "a longer name": fake([[0.25], [0.25]])})
    lines = text.splitlines()
    assert lines[0].split() == ["held"]
    assert lines[1].split() == ["short", "75%", "(50%-100%)"]
    assert lines[2].split() == ["a", "longer", "name", "25%", "(25%-25%)"]
    assert len({len(line) for line in lines}) == 1  # aligned columns


def test_two_label_table_takes_each_runs_better_and_worse_label_first():
    # run 1 reads label 0 well, run 2 reads label 1 well: per label the mean would be 70% for both
    accuracy = [[0.9, 0.5], [0.5, 0.9]]
    text = sweeps.two_label_table({"m": fake(accuracy, all_right=[0.45, 0.35])}, "held")
    header, row = text.splitlines()
    assert header.split() == ["better-read", "label", "worse-read", "label", "both", "right"]
    assert row.split() == ["m", "90%", "(90%-90%)", "50%", "(50%-50%)", "40%", "(35%-45%)"]


def test_perfect_runs_counts_only_runs_with_every_sentence_right():
    # 0.998 prints as 100% in a spread, but is not a perfect run; a two-label run counts by all_right
    text = sweeps.perfect_runs(
        {"one label": fake([[1.0], [0.998]]), "two labels": fake([[1.0, 1.0], [1.0, 0.9]], all_right=[1.0, 0.9])}
    )
    title, header, one, two = text.splitlines()
    assert title == "runs with every sentence right:" and header.split() == ["held"]
    assert one.split() == ["one", "label", "1", "of", "2"] and two.split() == ["two", "labels", "1", "of", "2"]
    assert str(fake([[1.0], [0.998]]).spread("held")) == "100% (100%-100%)"  # what the count adds


def test_spread_formats_other_numbers_with_a_spec():
    assert sweeps.Spread.of([-19.5, -20.0, -19.0]).format(".1f") == "-19.5 (-20.0 to -19.0)"
