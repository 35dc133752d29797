"""The numpy classifier of notebook 05: its gradient is right, and one SGD step matches Keras."""

import keras
import numpy as np
import pytest

from embedpool_utils import init_embedding, tiny_model, toy_data


def start_params(seed=0, vocab=31, dim=8):
    rng = np.random.default_rng(seed)
    return tiny_model.Params(
        init_embedding(vocab, dim, seed=seed, minval=-0.5, maxval=0.5),
        rng.uniform(-0.5, 0.5, size=(dim, 1)).astype("float32"),
        np.array([0.05], dtype="float32"),
    )


def batch(n=16, seed=1):
    data = toy_data.make_sentences(n, seed=seed)
    return data.ids, data.labels.astype("float32")


def reference_loss(params, ids, labels, masked):
    """Loss written with explicit loops, in float64."""
    total = 0.0
    for row, y in zip(ids, labels):
        kept = [params.table[i].astype(np.float64) for i in row if (i != 0 or not masked)]
        logit = np.mean(kept, axis=0) @ params.kernel[:, 0] + params.bias[0]
        p = 1 / (1 + np.exp(-logit))
        total += -(y * np.log(p) + (1 - y) * np.log(1 - p))
    return total / len(labels)


@pytest.mark.parametrize("masked", [False, True])
def test_forward_and_loss_match_a_loop(masked):
    params, (ids, labels) = start_params(), batch()
    loss, _ = tiny_model.gradients(params, ids, labels, masked=masked)
    assert loss == pytest.approx(reference_loss(params, ids, labels, masked), rel=1e-5)
    p = tiny_model.forward(params, ids, masked=masked)
    assert p.shape == (len(ids),) and ((0 < p) & (p < 1)).all()


@pytest.mark.parametrize("masked", [False, True])
def test_gradient_matches_finite_differences(masked):
    params, (ids, labels) = start_params(), batch(6)
    params = tiny_model.Params(*(a.astype(np.float64) for a in (params.table, params.kernel, params.bias)))
    _, grads = tiny_model.gradients(params, ids, labels, masked=masked)
    step = 1e-6
    for name, index in [("table", (int(ids[0, 0]), 2)), ("table", (0, 1)), ("kernel", (3, 0)), ("bias", (0,))]:
        plus, minus = [tiny_model.Params(params.table.copy(), params.kernel.copy(), params.bias.copy()) for _ in range(2)]
        getattr(plus, name)[index] += step
        getattr(minus, name)[index] -= step
        numeric = (reference_loss(plus, ids, labels, masked) - reference_loss(minus, ids, labels, masked)) / (2 * step)
        assert getattr(grads, name)[index] == pytest.approx(numeric, rel=1e-4, abs=1e-9), name


def test_masked_gradient_leaves_the_padding_row_alone():
    params, (ids, labels) = start_params(), batch()
    _, grads = tiny_model.gradients(params, ids, labels, masked=True)
    assert not grads.table[0].any()
    used = np.unique(ids[ids != 0])
    assert set(np.flatnonzero(np.abs(grads.table).sum(axis=1))) <= set(used)


@pytest.mark.parametrize("masked", [False, True])
def test_one_sgd_step_matches_keras(masked):
    params, (ids, labels) = start_params(seed=7), batch(32, seed=8)
    embedding = keras.layers.Embedding(31, 8, mask_zero=masked)
    dense = keras.layers.Dense(1, activation="sigmoid")
    model = keras.Sequential([keras.Input((10,), dtype="int32"), embedding, keras.layers.GlobalAveragePooling1D(), dense])
    embedding.set_weights([params.table])
    dense.set_weights([params.kernel, params.bias])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.5), loss="binary_crossentropy")
    ours = tiny_model.sgd_step(params, ids, labels, learning_rate=0.5, masked=masked)
    model.train_on_batch(ids, labels)
    table, kernel, bias = model.get_weights()
    np.testing.assert_allclose(ours.table, table, atol=1e-6)
    np.testing.assert_allclose(ours.kernel, kernel, atol=1e-6)
    np.testing.assert_allclose(ours.bias, bias, atol=1e-6)
    assert not np.allclose(table, params.table)  # the step did move the weights
