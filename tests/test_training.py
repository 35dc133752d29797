"""The numpy trainer of notebook 05's sweeps: its gradient is the loss's gradient, and it trains as Keras does.

References are independent of the code under test: the loss is rebuilt from the
helper's Keras mirror (``embedding_lookup``, ``global_average_pool_1d``) and
differentiated by finite differences; training is compared with real Keras 3
(same start weights, same optimizer, same batches).
"""

import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from embedpool_utils import embedding_lookup, global_average_pool_1d, padding_mask
from embedpool_utils.experiments import sentiment_data, training, two_label_data

VARIANTS = {
    "channels_last": dict(data_format="channels_last"),
    "channels_last + mask": dict(data_format="channels_last", mask_zero=True),
    "channels_first": dict(data_format="channels_first"),
}


def reference_loss(model, table, kernel, bias, ids, labels):
    """Keras' loss for one run, in float64, from the helper's Keras mirror and the textbook formula."""
    x = embedding_lookup(table.astype(np.float64), ids)
    mask = padding_mask(ids) if model.mask_zero else None
    pooled = global_average_pool_1d(x, data_format=model.data_format, mask=mask)
    p = 1 / (1 + np.exp(-(pooled @ kernel + bias)))
    y = labels.reshape(p.shape)
    return float(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p))))


@st.composite
def problems(draw):
    """A small model, a few runs of weights, and a batch of padded ids with 0/1 labels."""
    variant = draw(st.sampled_from(sorted(VARIANTS)))
    model = training.Classifier(
        vocab_size=draw(st.integers(2, 6)),
        embedding_dim=draw(st.integers(1, 3)),
        seq_len=draw(st.integers(1, 4)),
        heads=draw(st.integers(1, 2)),
        **VARIANTS[variant],
    )
    runs, batch = draw(st.integers(1, 2)), draw(st.integers(1, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    ids = rng.integers(1, model.vocab_size, size=(runs, batch, model.seq_len))
    lengths = rng.integers(1, model.seq_len + 1, size=(runs, batch, 1))
    ids = np.where(np.arange(model.seq_len) < lengths, ids, 0)  # at least one real token per sentence
    labels = rng.integers(0, 2, size=(runs, batch, model.heads))
    weights = training.Weights(
        rng.normal(0, 0.5, (runs, model.vocab_size, model.embedding_dim)),
        rng.normal(0, 0.5, (runs, model.features, model.heads)),
        rng.normal(0, 0.5, (runs, model.heads)),
    )
    return model, weights, ids, labels


@settings(max_examples=60)
@given(problems())
def test_loss_and_every_gradient_entry_match_finite_differences(problem):
    model, weights, ids, labels = problem
    loss, grads = training.loss_and_gradients(model, weights, ids, labels)
    step = 1e-6
    for r in range(weights.runs):
        arrays = [a[r].copy() for a in weights.arrays()]
        assert loss[r] == pytest.approx(reference_loss(model, *arrays, ids[r], labels[r]), rel=1e-9)
        for which, grad in enumerate(grads.arrays()):
            for index in np.ndindex(arrays[which].shape):
                plus, minus = [a.copy() for a in arrays], [a.copy() for a in arrays]
                plus[which][index] += step
                minus[which][index] -= step
                numeric = (
                    reference_loss(model, *plus, ids[r], labels[r]) - reference_loss(model, *minus, ids[r], labels[r])
                ) / (2 * step)
                assert grad[r][index] == pytest.approx(numeric, rel=1e-5, abs=1e-8), (which, index)


def test_masked_model_never_moves_the_padding_row_and_channels_first_moves_whole_rows_alike():
    data = sentiment_data.make_sentences(32, seed=0)
    masked = training.Classifier(31, 8, 10, mask_zero=True)
    _, grads = training.loss_and_gradients(masked, training.initial_weights(masked, [0]), data.ids, data.labels)
    assert not grads.table[0, 0].any() and grads.table[0, 1:].any()
    first = training.Classifier(31, 8, 10, data_format="channels_first")
    _, grads = training.loss_and_gradients(first, training.initial_weights(first, [0]), data.ids, data.labels)
    # the pooling keeps only each row's mean, so every entry of a row gets the same gradient
    assert np.allclose(grads.table[0], grads.table[0, :, :1])


# --------------------------------------------------------------------------
# stacking runs
# --------------------------------------------------------------------------


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_runs_trained_together_end_where_each_run_alone_ends(variant):
    model = training.Classifier(31, 4, 10, **VARIANTS[variant])
    sets = [sentiment_data.make_sentences(100, seed=s) for s in (1, 2, 3)]
    ids, labels = np.stack([s.ids for s in sets]), np.stack([s.labels for s in sets])
    together, history = training.fit(model, training.initial_weights(model, [7, 8, 9]), ids, labels, epochs=2)
    for r, seed in enumerate((7, 8, 9)):
        alone, alone_history = training.fit(model, training.initial_weights(model, [seed]), ids[r], labels[r], epochs=2)
        for a, b in zip(together.keras_weights(r), alone.keras_weights(0)):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(history.loss[:, r], alone_history.loss[:, 0], rtol=1e-5)


def test_initial_weights_follow_keras_default_distributions():
    model = training.Classifier(31, 8, 10, data_format="channels_first")
    weights = training.initial_weights(model, range(400))
    assert weights.table.dtype == np.float32 and (np.abs(weights.table) <= 0.05).all()
    # Glorot's defining property: Var(kernel) = 2 / (fan_in + fan_out), here 2 / (10 + 1)
    assert weights.kernel.var() == pytest.approx(2 / 11, rel=0.05)
    assert not weights.bias.any()
    same_seed = training.initial_weights(training.Classifier(31, 8, 10), [3])
    np.testing.assert_array_equal(same_seed.table[0], weights.table[3])


# --------------------------------------------------------------------------
# clear errors
# --------------------------------------------------------------------------


def test_bad_inputs_get_clear_errors():
    with pytest.raises(ValueError, match="mask_zero=True does not fit"):
        training.Classifier(31, 8, 10, data_format="channels_first", mask_zero=True)
    with pytest.raises(ValueError, match="data_format must be one of"):
        training.Classifier(31, 8, 10, data_format="channels_middle")
    model = training.Classifier(31, 8, 10, heads=2)
    weights = training.initial_weights(model, [0, 1])
    ids = np.zeros((5, 10), dtype=int)
    with pytest.raises(ValueError, match=r"ids must have shape .*got \(5, 9\)"):
        training.predict(model, weights, ids[:, :9])
    with pytest.raises(ValueError, match=r"labels must have shape \(5, 2\)"):
        training.accuracy(model, weights, ids, np.zeros(5, dtype=int))
    with pytest.raises(ValueError, match="labels must be 0 or 1"):
        training.accuracy(model, weights, ids, np.full((5, 2), 2))
    with pytest.raises(IndexError, match="must be < vocab_size = 31"):
        training.predict(model, weights, ids + 31)


# --------------------------------------------------------------------------
# against real Keras
# --------------------------------------------------------------------------


def keras_model(model, start, learning_rate=0.01, optimizer=keras.optimizers.Adam):
    """The same architecture in Keras 3, with run 0 of ``start`` as its weights.

    With two outputs Keras would read ``"accuracy"`` as categorical accuracy (argmax over
    the two heads); ``"binary_accuracy"`` is the per-head threshold at 0.5 that we compute.
    """
    embedding = keras.layers.Embedding(model.vocab_size, model.embedding_dim, mask_zero=model.mask_zero)
    layers = [
        keras.Input((model.seq_len,), dtype="int32"),
        embedding,
        keras.layers.GlobalAveragePooling1D(data_format=model.data_format),
        keras.layers.Dense(model.heads, activation="sigmoid"),
    ]
    built = keras.Sequential(layers)
    built.set_weights(start.keras_weights(0))
    built.compile(
        optimizer=optimizer(learning_rate), loss="binary_crossentropy", metrics=["binary_accuracy", "accuracy"]
    )
    return built


CASES = [
    ("channels_last", 8, 1),
    ("channels_last + mask", 8, 1),
    ("channels_first", 8, 1),
    ("channels_last", 1, 1),
    ("channels_last", 8, 2),
    ("channels_last + mask", 8, 2),
    ("channels_first", 8, 2),
]


def data_for(heads, n, seed):
    if heads == 1:
        data = sentiment_data.make_sentences(n, seed=seed)
    else:
        data = two_label_data.make_two_label_sentences(n, seed=seed)
    return data.ids, data.labels.astype("float32")


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_one_sgd_step_matches_keras(variant):
    """Plain SGD moves each weight by learning_rate × its gradient, so Keras' step checks every gradient entry's
    size (Adam's first steps move each weight by about the learning rate, whatever the gradient's size)."""
    model = training.Classifier(31, 8, 10, **VARIANTS[variant])
    start = training.initial_weights(model, [7])
    ids, labels = data_for(1, 32, seed=8)
    reference = keras_model(model, start, learning_rate=0.5, optimizer=keras.optimizers.SGD)
    reference.train_on_batch(ids, labels)
    _, grads = training.loss_and_gradients(model, start, ids, labels)
    for before, grad, theirs in zip(start.keras_weights(0), grads.keras_weights(0), reference.get_weights()):
        np.testing.assert_allclose(before - 0.5 * grad, theirs, atol=1e-6)
    assert not np.allclose(reference.get_weights()[0], start.table[0])  # the step did move the table


@pytest.mark.parametrize("variant, dim, heads", CASES)
def test_a_few_adam_steps_match_keras(variant, dim, heads):
    model = training.Classifier(31, dim, 10, heads=heads, **VARIANTS[variant])
    start = training.initial_weights(model, [11])
    ids, labels = data_for(heads, 96, seed=5)
    reference = keras_model(model, start, learning_rate=0.05)
    optimizer, ours = training.Adam(learning_rate=0.05), start
    for batch in np.split(np.arange(96), 3):
        # Keras 3.12's train_on_batch reports the mean loss of every batch since the last reset, 3.15's this one's
        reference.reset_metrics()
        keras_loss = float(reference.train_on_batch(ids[batch], labels[batch])[0])
        loss, grads = training.loss_and_gradients(model, ours, ids[batch], labels[batch])
        ours = optimizer.step(ours, grads)
        assert loss[0] == pytest.approx(keras_loss, rel=1e-5)
    for mine, theirs in zip(ours.keras_weights(0), reference.get_weights()):
        np.testing.assert_allclose(mine, theirs, atol=2e-6)
    # weights within 2e-6 give float32 probabilities within a few units of their last place
    np.testing.assert_allclose(training.predict(model, ours, ids)[0], reference.predict(ids, verbose=0), atol=2e-6)


@pytest.mark.parametrize("variant, dim, heads", [("channels_last + mask", 8, 1), ("channels_first", 8, 2)])
def test_one_epoch_of_fit_matches_keras_history_and_weights(variant, dim, heads):
    model = training.Classifier(31, dim, 10, heads=heads, **VARIANTS[variant])
    start = training.initial_weights(model, [4])
    ids, labels = data_for(heads, 300, seed=6)  # 9 full batches of 32 and one of 12
    reference = keras_model(model, start)
    keras_history = reference.fit(ids, labels, epochs=2, batch_size=32, shuffle=False, verbose=0).history
    trained, history = training.fit(model, start, ids, labels, epochs=2, batch_size=32, learning_rate=0.01)
    np.testing.assert_allclose(history.loss[:, 0], keras_history["loss"], rtol=1e-5)
    # Keras' binary accuracy pools the heads; ours keeps them apart
    np.testing.assert_allclose(history.accuracy[:, 0].mean(axis=-1), keras_history["binary_accuracy"], atol=1e-6)
    if heads > 1:  # Keras' "accuracy" is categorical accuracy with two outputs: ours, not the binary one
        np.testing.assert_allclose(history.categorical[:, 0], keras_history["accuracy"], atol=1e-6)
        assert not np.allclose(history.categorical[:, 0], history.accuracy[:, 0].mean(axis=-1), atol=1e-3)
    for mine, theirs in zip(trained.keras_weights(0), reference.get_weights()):
        np.testing.assert_allclose(mine, theirs, atol=1e-5)


def test_confidently_wrong_sentences_teach_nothing_as_in_keras():
    """Keras clips probabilities to [1e-7, 1 - 1e-7] in the loss, and the clip has no gradient."""
    model = training.Classifier(31, 2, 10)
    ids, labels = data_for(1, 32, seed=2)
    start = training.Weights(
        np.ones((1, 31, 2), "float32"), np.full((1, 2, 1), 40.0, "float32"), np.zeros((1, 1), "float32")
    )  # every probability rounds to 1
    reference = keras_model(model, start)
    reference.train_on_batch(ids, labels)
    _, grads = training.loss_and_gradients(model, start, ids, labels)
    after = training.Adam(learning_rate=0.01).step(start, grads)
    for mine, theirs, before in zip(after.keras_weights(0), reference.get_weights(), start.keras_weights(0)):
        np.testing.assert_array_equal(theirs, before)
        np.testing.assert_array_equal(mine, theirs)
