"""A seed sweep keeps every run's accuracy on its grid, in the documented order."""

import numpy as np
import pytest

from embedpool_utils.experiments import sentiment_data, sweeps, training, two_label_data


def test_each_grid_cell_is_the_run_with_that_weight_seed_and_data_seed():
    model = training.Classifier(31, 4, 10, data_format="channels_first")
    made = []
    results = sweeps.sweep(
        {"first": model, "last": training.Classifier(31, 4, 10)},
        weight_seeds=[3, 4],
        data_seeds=[1, 2, 5],
        epochs=2,
        curves=True,
        train=lambda seed: made.append(seed) or sentiment_data.make_sentences(100, seed=seed),
        held_out={
            "late": lambda seed: sentiment_data.make_sentences(60, seed=50 + seed, lengths=(8, 10), positions=(6, 9))
        },
    )
    assert made == [1, 2, 5]  # the data are made once, for both models
    result = results["first"]
    assert result.accuracy["late"].shape == (2, 3, 1) and result.history.loss.shape == (2, 6)
    i, j = 1, 2  # weight seed 4, data seed 5
    train, late = (
        sentiment_data.make_sentences(100, seed=5),
        sentiment_data.make_sentences(60, seed=55, lengths=(8, 10), positions=(6, 9)),
    )
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
        sweeps.sweep(
            {"m": training.Classifier(31, 4, 10)},
            weight_seeds=[],
            data_seeds=[1],
            train=lambda seed: sentiment_data.make_sentences(10, seed=seed),
            held_out={},
        )


def test_all_right_counts_sentences_with_every_head_right():
    model = training.Classifier(31, 4, 10, heads=2, mask_zero=True)
    held = two_label_data.make_two_label_sentences(80, seed=7)
    results = sweeps.sweep(
        {"two": model},
        weight_seeds=[0, 1],
        data_seeds=[3],
        epochs=2,
        train=lambda seed: two_label_data.make_two_label_sentences(120, seed=seed),
        held_out={"held": lambda seed: held},
    )
    result = results["two"]
    assert result.run_weight_seeds == (0, 1)
    for run in range(2):
        one_run = training.Weights(*(a[run : run + 1] for a in result.weights.arrays()))
        predicted = training.predict(model, one_run, held.ids)[0] > 0.5
        by_hand = np.mean([all(p == y for p, y in zip(row, labels)) for row, labels in zip(predicted, held.labels)])
        assert result.all_right["held"][run, 0] == pytest.approx(by_hand)
        np.testing.assert_allclose(result.accuracy["held"][run, 0], (predicted == held.labels).mean(axis=0))


def test_run_weight_seeds_follow_the_runs_axis():
    result = sweeps.Sweep((3, 4), (1, 2, 5), {}, {}, None, None)
    assert result.run_weight_seeds == (3, 3, 3, 4, 4, 4)


def fake(accuracy, all_right=None):
    """A Sweep holding only given accuracies, shape (weight seeds, data seeds, heads), on one held-out set."""
    accuracy = np.asarray(accuracy, float)
    return sweeps.Sweep(
        (0,), (1,), {"held": accuracy}, {"held": all_right if all_right is not None else accuracy[..., 0]}, None, None
    )


def test_table_prints_one_row_per_model_and_one_column_per_held_out_set():
    text = sweeps.table({"short": fake([[[0.5], [1.0]]]), "a longer name": fake([[[0.25], [0.25]]])})
    lines = text.splitlines()
    assert lines[0].split() == ["held"]
    assert lines[1].split() == ["short", "75%", "(50%-100%)"]
    assert lines[2].split() == ["a", "longer", "name", "25%", "(25%-25%)"]
    assert len({len(line) for line in lines}) == 1  # aligned columns


def test_two_label_table_takes_each_runs_better_and_worse_label_first():
    # run 1 reads label 0 well, run 2 reads label 1 well: per label the mean would be 70% for both
    accuracy = [[[0.9, 0.5], [0.5, 0.9]]]
    text = sweeps.two_label_table({"m": fake(accuracy, all_right=np.array([[0.45, 0.35]]))}, "held")
    header, row = text.splitlines()
    assert header.split() == ["better-read", "label", "worse-read", "label", "both", "right"]
    assert row.split() == ["m", "90%", "(90%-90%)", "50%", "(50%-50%)", "40%", "(35%-45%)"]


def test_perfect_runs_counts_only_runs_with_every_sentence_right():
    # 0.998 prints as 100% in a spread, but is not a perfect run; a two-label run counts by all_right
    text = sweeps.perfect_runs(
        {
            "one label": fake([[[1.0], [0.998]]]),
            "two labels": fake([[[1.0, 1.0], [1.0, 0.9]]], all_right=np.array([[1.0, 0.9]])),
        }
    )
    title, header, one, two = text.splitlines()
    assert title == "runs with every sentence right:" and header.split() == ["held"]
    assert one.split() == ["one", "label", "1", "of", "2"] and two.split() == ["two", "labels", "1", "of", "2"]
    assert str(fake([[[1.0], [0.998]]]).spread("held")) == "100% (100%-100%)"  # what the count adds


def test_spread_formats_other_numbers_with_a_spec():
    assert sweeps.Spread.of([-19.5, -20.0, -19.0]).format(".1f") == "-19.5 (-20.0 to -19.0)"
