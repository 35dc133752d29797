"""The inspector on the models people write (tests/inspector_corpus.py), each expectation proven on Keras here.

What a model does with padding is measured by running it: the same sentence
with and without padding, pooled values compared; an average over the
features is the mean of the layer before it over its last axis. The
expected codes follow from those measurements, never from the tool's own
output; and no model of the corpus may get a clean report that the tool could
not check (a notice then says what it could not follow).
"""

from __future__ import annotations

import functools
import warnings

import inspector_corpus as corpus
import keras
import numpy as np
import pytest

import embedpool_utils as ep

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # Keras warns about the masks these models drop

SENTENCE = np.array([5, 17, 3, 29, 11])  # five real tokens
PRE = np.concatenate([np.zeros(7, int), SENTENCE])[None]  # padded at the start to 12, as pad_sequences does
POST = np.concatenate([SENTENCE, np.zeros(7, int)])[None]  # padded at the end
FULL = np.array([[5, 17, 3, 29, 11, 8, 2, 36, 14, 21, 9, 30]])


@functools.cache  # built once (random initializers compile on JAX); the inspector neither runs nor changes a model
def built(name, *args, **options):
    """corpus.<name>(*args, **options), with the same random weights every run."""
    keras.utils.set_random_seed(19)
    return getattr(corpus, name)(*args, **options)


def run_until(model, layer_name, ids):
    """The output of one layer of ``model`` for ``ids``, computed by Keras."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        part = keras.Model(model.inputs, model.get_layer(layer_name).output)
    return np.asarray(part.predict(ids, verbose=0), dtype="float64")


def input_of(model, layer_name, ids):
    layer = model.get_layer(layer_name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        part = keras.Model(model.inputs, layer.input)
    return np.asarray(part.predict(ids, verbose=0), dtype="float64")


# --- keras-io's text Transformer: layers of one's own, followed by an average ---------------


def test_the_custom_transformer_with_channels_first_gets_pool_over_features():
    model = built("transformer_classifier", "channels_first")
    before, pooled = input_of(model, "pool", FULL), run_until(model, "pool", FULL)
    assert pooled.shape == (1, corpus.MAXLEN) and np.allclose(pooled, before.mean(axis=2), atol=1e-5)
    report = ep.inspect_model(model, ids=FULL)
    assert [(f.code, f.layer) for f in report.findings] == [("pool-over-features", "pool")]
    assert report.layer("transformer").axes == ("batch", "tokens", "features") and report.layer("transformer").probed
    assert report.notices == ()


def test_the_custom_transformer_averaging_leading_padding_gets_padding_averaged():
    model = built("transformer_classifier")
    before, pooled = input_of(model, "pool", PRE), run_until(model, "pool", PRE)
    real = PRE[0] != 0
    assert np.allclose(pooled, before.mean(axis=1), atol=1e-5)  # Keras averages all 12 positions
    assert not np.allclose(pooled, before[:, real].mean(axis=1), atol=1e-3)  # not the 5 real ones
    report = ep.inspect_model(model, ids=PRE)
    assert report.codes == ("padding-averaged",) and report.findings[0].layer == "pool"
    assert "7 of the 12 positions" in report.findings[0].message


def test_the_custom_transformer_on_ids_without_padding_is_clean():
    model = built("transformer_classifier")
    assert np.allclose(run_until(model, "pool", FULL), input_of(model, "pool", FULL).mean(axis=1), atol=1e-5)
    report = ep.inspect_model(model, ids=FULL)
    assert report.clean, str(report)


# --- FNet: a layer no test can settle --------------------------------------------------------


def test_an_fnet_mixing_layer_is_neither_local_nor_permutation_equivariant_so_the_report_says_it_could_not_check():
    model = built("fnet_classifier")
    layer = model.get_layer("fnet")
    x = np.random.default_rng(0).normal(size=(1, corpus.MAXLEN, corpus.DIM)).astype("float32")
    changed = x.copy()
    changed[0, 6] += 1.0
    moved = ~np.isclose(np.asarray(layer(changed)), np.asarray(layer(x)), atol=1e-5).all(axis=2)[0]
    assert moved.sum() > corpus.MAXLEN // 2  # one token changed, most positions move: the mixing is global
    order = np.roll(np.arange(corpus.MAXLEN), 1)
    assert not np.allclose(np.asarray(layer(x[:, order])), np.asarray(layer(x))[:, order], atol=1e-4)

    report = ep.inspect_model(model, ids=FULL)
    assert report.findings == () and not report.clean
    (notice,) = report.notices
    assert notice.layer == "fnet" and "'pool' (GlobalAveragePooling1D)" in notice.message
    assert "part of the model was not checked" in report.summary_line()


# --- a maximum over padded steps ---------------------------------------------------------------


def pooled_with_and_without_padding(model, padded):
    """The pooled vector of SENTENCE, padded as given and alone (the model takes any length)."""
    return run_until(model, "max", padded), run_until(model, "max", SENTENCE[None])


@pytest.mark.parametrize("padded", [PRE, POST], ids=["padded at the start", "padded at the end"])
def test_infersent_bilstm_then_max_takes_the_padded_steps_in(padded):
    model = built("recurrent_max")
    with_padding, alone = pooled_with_and_without_padding(model, padded)
    assert not np.allclose(with_padding, alone, atol=1e-5)  # the padded steps' zeros change the maximum
    assert np.all(with_padding >= 0) and np.any(alone < 0)  # zeros floor it
    report = ep.inspect_model(model, ids=padded)
    assert report.codes == ("max-over-padding",) and report.findings[0].layer == "max"
    assert "zeros" in report.findings[0].message


def test_infersent_with_a_masked_max_is_clean():
    model = built("recurrent_max", masked_max=True)
    for padded in (PRE, POST):
        assert np.allclose(*pooled_with_and_without_padding(model, padded), atol=1e-5)
        assert ep.inspect_model(model, ids=padded).clean


@pytest.mark.parametrize("padded, changes", [(PRE, True), (POST, False)], ids=["start", "end"])
def test_an_lstm_then_max_is_flagged_only_where_its_padded_steps_change_the_maximum(padded, changes):
    model = built("recurrent_max", bidirectional=False)
    with_padding, alone = pooled_with_and_without_padding(model, padded)
    assert np.allclose(with_padding, alone, atol=1e-5) != changes
    assert ("max-over-padding" in ep.inspect_model(model, ids=padded).codes) == changes


@pytest.mark.parametrize("conv", [False, True], ids=["max over the embeddings", "text CNN"])
def test_an_unmasked_max_over_padded_ids_is_flagged_and_the_unpadded_twin_is_not(conv):
    model = built("max_over_embedding", masked=False, conv=conv)
    with_padding, alone = pooled_with_and_without_padding(model, POST)
    assert not np.allclose(with_padding, alone, atol=1e-5)
    assert ep.inspect_model(model, ids=POST).codes == ("max-over-padding",)
    assert ep.inspect_model(model, ids=FULL).clean


def test_a_max_pooling_that_drops_the_mask_is_one_finding_with_a_masked_max_as_its_fix():
    model = built("max_over_embedding", masked=True)
    with_padding, alone = pooled_with_and_without_padding(model, POST)
    assert not np.allclose(with_padding, alone, atol=1e-5)  # the mask was dropped: padding competes
    (finding,) = ep.inspect_model(model).findings  # a mask declares the padding: no ids needed
    assert finding.code == "max-over-padding" and "-inf" in finding.fix and "Average" not in finding.fix


# --- an all-padding row under a masked mean ------------------------------------------------------


def test_an_all_padding_row_under_a_masked_average_gives_nan_and_is_reported():
    model = built("masked_average")
    ids = np.vstack([POST, np.zeros((1, corpus.MAXLEN), int)])
    predicted = model.predict(ids, verbose=0)
    assert np.isfinite(predicted[0]).all() and np.isnan(predicted[1]).all()
    (finding,) = ep.inspect_model(model, ids=ids).findings
    assert (finding.code, finding.layer, finding.severity) == ("all-padding-row", "pool", "error")
    assert finding.message.startswith("Row 1 of the given ids")
    assert ep.inspect_model(model, ids=ids[:1]).clean


# --- reductions written by hand ------------------------------------------------------------------


@pytest.mark.parametrize("written", ["lambda", "ops"])
def test_a_mean_over_the_last_axis_written_by_hand_is_reduce_over_features(written):
    model = built("mean_by_hand", -1, written=written)
    layer = next(op for op in model.operations if op.name.startswith("mean"))
    table = np.asarray(model.get_layer("embedding").embeddings)
    assert np.allclose(np.asarray(layer(table[FULL])), table[FULL].mean(axis=-1), atol=1e-6)
    report = ep.inspect_model(model, ids=FULL)
    (finding,) = report.findings
    assert (finding.code, finding.severity) == ("reduce-over-features", "error")
    assert "axis=1" in finding.fix and f"(None, {corpus.DIM})" in finding.fix


@pytest.mark.parametrize("written", ["lambda", "ops"])
def test_a_mean_over_the_tokens_written_by_hand_is_clean_without_padding_and_flagged_with_it(written):
    model = built("mean_by_hand", 1, written=written)
    table = np.asarray(model.get_layer("embedding").embeddings)
    layer = next(op for op in model.operations if op.name.startswith("mean"))
    assert np.allclose(np.asarray(layer(table[PRE])), table[PRE].mean(axis=1), atol=1e-6)  # padding included
    assert ep.inspect_model(model, ids=FULL).clean
    assert ep.inspect_model(model, ids=PRE).codes == ("padding-averaged",)


# --- a shared Embedding on two inputs --------------------------------------------------------------


def test_a_shared_embedding_gets_a_row_per_call_and_the_bad_id_names_its_input():
    model = built("shared_embedding")
    bad_answer = np.where(POST == 29, corpus.VOCAB, POST)  # one id one past the table, in the answer only
    pooled = keras.Model(model.inputs, model.get_layer("both").output)([POST, bad_answer])
    halves = np.split(np.asarray(pooled), 2, axis=1)
    assert np.isfinite(halves[0]).all() and np.isnan(halves[1]).any()  # Keras: NaN in the answer's half only
    report = ep.inspect_model(model, ids={"question": POST, "answer": bad_answer})
    names = [row.name for row in report.layers]
    assert len(names) == len(set(names)) and "embedding (call 2)" in names
    (finding,) = report.findings
    assert finding.code == "ids-out-of-range" and finding.layer == "embedding (call 2)"
    assert "input 'answer'" in finding.message


# --- never a clean bill it could not check -------------------------------------------------------------


@pytest.mark.parametrize(
    "build",
    [
        lambda: built("transformer_classifier"),
        lambda: built("transformer_classifier", "channels_first"),
        lambda: built("fnet_classifier"),
        lambda: built("recurrent_max"),
        lambda: built("recurrent_max", masked_max=True),
        lambda: built("max_over_embedding", masked=False, conv=True),
        lambda: built("shared_embedding"),
        lambda: built("mean_by_hand", -1),
        lambda: built("mean_by_hand", 1, written="ops"),
        lambda: built("masked_average"),
    ],
)
def test_no_model_of_the_corpus_gets_a_clean_report_with_an_axis_the_tool_could_not_name(build):
    report = ep.inspect_model(build())
    unnamed = [row.name for row in report.layers if "?" in str(row.axes)]
    if unnamed:
        assert report.notices and not report.clean, unnamed


def test_a_lambda_whose_function_ignores_the_mask_averages_the_padding_in():
    """A Lambda takes the mask only if its function does: Keras' own output says whether the padding counts."""
    model = built("mean_by_hand", 1, masked=True)
    table = np.asarray(model.get_layer("embedding").embeddings)
    pooled = run_until(model, "mean", PRE)
    assert np.allclose(pooled, table[PRE].mean(axis=1), atol=1e-6)  # all 12 positions, padding included
    report = ep.inspect_model(model, ids=PRE)
    assert report.layer("mean").mask == "dropped"
    assert "padding-averaged" in report.codes


def test_running_layers_on_test_inputs_changes_neither_the_model_nor_any_random_state():
    """The test runs use a copy of the weights, training=False and our own seeded numbers; the copy of an RNN
    that measures its padded steps is made without drawing from Keras', numpy's or Python's random state."""
    import random

    models = [built("transformer_classifier"), built("recurrent_max")]
    weights = [[w.copy() for w in m.get_weights()] for m in models]
    nodes = [{layer.name: len(layer._inbound_nodes) for layer in m.layers} for m in models]

    def draws():
        return float(keras.random.normal((1,))[0]), random.random(), float(np.random.random())  # noqa: NPY002 (the global state is the point)

    keras.utils.set_random_seed(5)
    expected = draws()
    keras.utils.set_random_seed(5)
    for model in models:
        ep.inspect_model(model, ids=PRE)
    assert draws() == expected
    for model, before, calls in zip(models, weights, nodes):
        assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))
        assert calls == {layer.name: len(layer._inbound_nodes) for layer in model.layers}
