"""Every finding code: a model that triggers it, a near-identical one that does not, and Keras proving the claim.

The messages state what Keras does (a broadcast error, a silently wrong
average, NaN rows, padding that counts as data); each such claim is run here
on Keras itself, and the numbers a message quotes are computed here with
Keras or numpy, not read from the inspector.
"""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
import warnings

import keras
import numpy as np
import pytest
from support import NOTEBOOK_PATHS

import embedpool_utils as ep
from embedpool_utils.inspector.findings import SEE, SEVERITY

L = keras.layers
# Keras warns when a layer drops a mask; several models here do so on purpose.
pytestmark = pytest.mark.filterwarnings("ignore:Layer '.*' .of type .*. was passed an input with a mask:UserWarning")
# Two padded sentences of 10 ids (0 is padding): 4 + 7 real tokens, 9 padding positions of 20.
IDS = np.array([[5, 12, 7, 3, 0, 0, 0, 0, 0, 0], [8, 14, 2, 19, 6, 10, 21, 0, 0, 0]])
FULL_IDS = np.array([[5, 12, 7, 3, 9, 1, 4, 2, 8, 6], [8, 14, 2, 19, 6, 10, 21, 11, 13, 15]])


def text_model(*layers, mask=False, seq_len=10, dim=7, vocab=30, name="text"):
    """token ids → Embedding(vocab, dim) → layers, every layer named."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras warns about the masks some of these models drop
        return keras.Sequential(
            [
                keras.Input((seq_len,), dtype="int32", name="token_ids"),
                L.Embedding(vocab, dim, mask_zero=mask, name="embedding"),
                *layers,
            ],
            name=name,
        )


def table_weights(model, dim=7, vocab=30, seed=0):
    table = ep.init_embedding(vocab, dim, seed=seed)
    model.get_layer("embedding").set_weights([table])
    return table


def gap(data_format="channels_last", **options):
    return L.GlobalAveragePooling1D(data_format=data_format, name="pool", **options)


def findings_of(report, code):
    return [f for f in report.findings if f.code == code]


def masked_max():
    """The maximum over the real tokens only: padded steps set to -inf first (a layer of one's own)."""

    class MaskedMax(L.Layer):
        def call(self, x, mask=None):
            if mask is not None:
                x = keras.ops.where(keras.ops.expand_dims(mask, -1), x, float("-inf"))
            return keras.ops.max(x, axis=1)

        def compute_mask(self, x, mask=None):
            return None

    return MaskedMax(name="pool")


PRE_IDS = IDS[:, ::-1].copy()  # padded at the start, as keras.utils.pad_sequences does by default

# (code, layer it concerns, broken model, near-identical correct model, ids)
PAIRS = {
    "pool-over-features": ("pool", lambda: text_model(gap("channels_first")), lambda: text_model(gap()), None),
    "pool-over-features, windowed max": (
        "pool",
        lambda: text_model(L.MaxPooling1D(2, data_format="channels_first", name="pool"), L.Flatten(name="f")),
        lambda: text_model(L.MaxPooling1D(2, name="pool"), L.GlobalMaxPooling1D(name="g")),
        None,
    ),
    "mask-dropped": (
        "window",
        lambda: text_model(L.AveragePooling1D(2, name="window"), gap(), mask=True),
        lambda: text_model(L.Dropout(0.1, name="window"), gap(), mask=True),
        None,
    ),
    "mask-dropped, Conv1D": (
        "conv",
        lambda: text_model(L.Conv1D(4, 3, name="conv"), gap(), mask=True),
        lambda: text_model(L.LSTM(4, return_sequences=True, name="conv"), gap(), mask=True),
        None,
    ),
    "max-over-padding": (
        "pool",
        lambda: text_model(L.GlobalMaxPooling1D(name="pool"), mask=True),
        lambda: text_model(masked_max(), mask=True),
        IDS,
    ),
    "max-over-padding, after an LSTM": (
        "pool",
        lambda: text_model(L.LSTM(4, return_sequences=True, name="lstm"), L.GlobalMaxPooling1D(name="pool"), mask=True),
        lambda: text_model(L.LSTM(4, return_sequences=True, name="lstm"), masked_max(), mask=True),
        PRE_IDS,
    ),
    "all-padding-row": ("pool", lambda: text_model(gap(), mask=True), lambda: text_model(gap(), mask=True), None),
    "reduce-over-features": (
        "mean",
        lambda: text_model(L.Lambda(lambda t: keras.ops.mean(t, axis=-1), name="mean")),
        lambda: text_model(L.Lambda(lambda t: keras.ops.mean(t, axis=1), name="mean")),
        None,
    ),
    "padding-averaged": ("pool", lambda: text_model(gap()), lambda: text_model(gap(), mask=True), IDS),
    "mask-axis-mismatch": (
        "pool",
        lambda: text_model(gap("channels_first"), mask=True),
        lambda: text_model(gap(), mask=True),
        None,
    ),
    "flatten-tokens": (
        "flatten",
        lambda: text_model(L.Flatten(name="flatten"), L.Dense(1, name="out")),
        lambda: text_model(gap(), L.Flatten(name="flatten"), L.Dense(1, name="out")),
        None,
    ),
    "ids-out-of-range": ("embedding", lambda: text_model(gap()), lambda: text_model(gap()), None),
    "pooled-to-one-number": (
        "pool",
        lambda: timeseries_head("channels_last"),
        lambda: timeseries_head("channels_first"),
        None,
    ),
}


def timeseries_head(data_format):
    """Notebook 06 § 3's head: (500 steps, 1 feature) pooled, then Dense; channels_last leaves one number."""
    return keras.Sequential(
        [keras.Input((500, 1), name="encoder_output"), gap(data_format), L.Dense(8, name="dense")], name="head"
    )


OUT_OF_RANGE_IDS = np.array([[3, 30, 0, 0, 0, 0, 0, 0, 0, -1]])  # 30 too large for Embedding(30, ...), -1 negative
IN_RANGE_IDS = np.array([[3, 29, 0, 0, 0, 0, 0, 0, 0, 1]])
EMPTY_ROW_IDS = np.vstack([IDS[:1], np.zeros((1, 10), int)])  # a second sentence of nothing but padding


def case_ids(case, broken):
    if case == "ids-out-of-range":
        return OUT_OF_RANGE_IDS if broken else IN_RANGE_IDS
    if case == "all-padding-row":
        return EMPTY_ROW_IDS if broken else IDS
    return PAIRS[case][3]


@pytest.mark.parametrize("case", sorted(PAIRS))
def test_each_code_has_a_trigger_and_a_near_identical_model_without_it(case):
    code = case.split(",")[0]
    layer, broken, fixed, _ = PAIRS[case]
    found = findings_of(ep.inspect_model(broken(), ids=case_ids(case, broken=True)), code)
    assert [f.layer for f in found] == [layer]
    assert code not in ep.inspect_model(fixed(), ids=case_ids(case, broken=False)).codes


# Errors: the model computes something other than intended, or fails. Warnings: it runs, but is likely weakened.
ERRORS = {
    "pool-over-features",
    "default-data-format",
    "mask-axis-mismatch",
    "ids-out-of-range",
    "reduce-over-features",
    "all-padding-row",
}


@pytest.mark.parametrize("case", sorted(PAIRS))
def test_severity_is_error_where_the_model_computes_something_else_or_fails(case):
    code = case.split(",")[0]
    (finding,) = findings_of(ep.inspect_model(PAIRS[case][1](), ids=case_ids(case, broken=True)), code)
    assert finding.severity == ("error" if code in ERRORS else "warning")


# --- correct models: no finding at all -------------------------------------


def encoder_block(x):
    attended = L.MultiHeadAttention(num_heads=2, key_dim=4, name="attention")(x, x)
    return L.LayerNormalization(name="norm")(L.Add(name="add")([x, attended]))


def functional(inputs, outputs, name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return keras.Model(inputs, outputs, name=name)


@functools.cache  # built once; the inspector neither runs nor changes a model
def reference_models():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras warns that a nested model drops the mask; it does not (parity tests)
        return build_reference_models()


def build_reference_models():
    ids_in = lambda: keras.Input((10,), dtype="int32", name="token_ids")  # noqa: E731
    two_poolings_in = ids_in()
    x = L.Embedding(30, 8, name="embedding")(two_poolings_in)
    two_poolings = functional(
        two_poolings_in,
        L.Dense(1, name="out")(
            L.Concatenate(name="both")([L.GlobalMaxPooling1D(name="max")(x), L.Conv1D(4, 3, name="conv")(x)[:, 0]])
        ),
        "two_poolings",
    )
    transformer_in = ids_in()
    transformer = functional(
        transformer_in,
        L.Dense(2, name="out")(
            gap()(encoder_block(L.Embedding(30, 8, mask_zero=True, name="embedding")(transformer_in)))
        ),
        "transformer",
    )
    encoder = keras.Sequential([keras.Input((10, 7)), L.Dense(5, name="dense"), gap()], name="encoder")
    nested_in = ids_in()
    nested = functional(
        nested_in,
        L.Dense(1, name="out")(encoder(L.Embedding(30, 7, mask_zero=True, name="embedding")(nested_in))),
        "nested",
    )
    return {
        "masked average": text_model(gap(), L.Dense(1, name="out"), mask=True),
        "masked average, keepdims": text_model(gap(keepdims=True), L.Flatten(name="flat"), mask=True),
        "LSTM then masked average": text_model(L.LSTM(5, return_sequences=True, name="lstm"), gap(), mask=True),
        "bidirectional LSTM": text_model(L.Bidirectional(L.LSTM(4), name="bilstm"), L.Dense(1, name="out"), mask=True),
        "CNN with max pooling": text_model(
            L.Conv1D(8, 3, name="conv"), L.GlobalMaxPooling1D(name="pool"), L.Dense(1, name="out")
        ),
        "dropout then masked average": text_model(L.Dropout(0.2, name="drop"), gap(), mask=True),
        "windowed then global, no padding": text_model(L.AveragePooling1D(2, name="window"), gap()),
        "two poolings": two_poolings,
        "transformer block": transformer,
        "nested encoder": nested,
    }


@pytest.mark.parametrize("name", sorted(reference_models()))
def test_correct_models_get_no_finding(name):
    model = reference_models()[name]
    ids = FULL_IDS if "no padding" in name or name in ("CNN with max pooling", "two poolings") else IDS
    report = ep.inspect_model(model, ids=ids)
    assert report.clean, str(report)


def test_a_model_without_an_embedding_gets_no_finding_but_a_notice_not_a_clean_report():
    """Notebook 06's timeseries head: nothing names its axes, so what its pooling averages cannot be checked."""
    head = keras.Sequential(
        [keras.Input((500, 1), name="encoder_output"), gap("channels_first"), L.Dense(8, name="dense")], name="head"
    )
    report = ep.inspect_model(head)
    assert report.findings == () and not report.clean
    (notice,) = report.notices
    assert notice.layer == "encoder_output" and "'pool' (GlobalAveragePooling1D)" in notice.message


# --- the claims the messages make, run on Keras --------------------------------


@pytest.mark.parametrize(
    "seq_len, outcome", [(10, "broadcast error"), (7, "silently"), (None, "whose length is not 7")]
)
def test_mask_axis_mismatch_says_what_keras_does(seq_len, outcome):
    model = text_model(gap("channels_first"), mask=True, seq_len=seq_len)
    table = table_weights(model)
    (finding,) = findings_of(ep.inspect_model(model), "mask-axis-mismatch")
    assert outcome in finding.message
    for length in [7, 10] if seq_len is None else [seq_len]:
        ids = IDS[:, :length]
        if length == 7:  # the token mask fits the 7 features: it runs, and is not the mean of each token's features
            result = np.asarray(model(ids))
            assert result.shape == (2, 7) and not np.allclose(result, table[ids].mean(axis=-1))
        else:
            with pytest.raises(Exception, match=r"(?i)broadcast"):
                model.predict(ids, verbose=0)


def test_mask_dropped_means_padding_counts_as_data_in_keras():
    model = text_model(L.AveragePooling1D(10, name="pool"), L.Flatten(name="flat"), mask=True)
    table = table_weights(model)
    assert findings_of(ep.inspect_model(model), "mask-dropped")
    result = np.asarray(model(IDS))
    assert np.allclose(result, table[IDS].mean(axis=1))  # padding rows included
    real = IDS != 0
    assert not np.allclose(result, (table[IDS] * real[..., None]).sum(1) / real.sum(1, keepdims=True))


@pytest.mark.parametrize("pooling", [gap, lambda: L.AveragePooling1D(3, name="pool")], ids=["global", "windows of 3"])
def test_padding_share_is_what_keras_averages(pooling):
    """Keras' own pooling of a 0/1 padding indicator gives the share of padding among the averaged positions."""
    (finding,) = findings_of(ep.inspect_model(text_model(pooling()), ids=IDS), "padding-averaged")
    indicator = (IDS == 0).astype("float32")[..., None]
    pooled = np.asarray(pooling()(indicator))  # (2, 1) or (2, 3, 1): share of padding per window
    windows = pooled.size
    positions_per_window = IDS.shape[1] if pooled.ndim == 2 else 3
    averaged = windows * positions_per_window
    padding = round(float(pooled.mean()) * averaged)
    assert f"{padding} of the {averaged} positions" in finding.message
    assert f"{pooled.mean():.0%}" in finding.message


def test_flatten_tokens_quotes_the_weights_keras_gives_the_next_layer():
    model = text_model(L.Flatten(name="flatten"), L.Dense(4, name="out"))
    (finding,) = findings_of(ep.inspect_model(model), "flatten-tokens")
    pooled = text_model(gap(), L.Dense(4, name="out"))
    per_unit, per_unit_pooled = (m.get_layer("out").get_weights()[0].shape[0] for m in (model, pooled))
    assert f"needs {per_unit} weights instead of {per_unit_pooled}" in finding.message


def test_out_of_range_ids_on_jax_give_nan_and_negative_ids_wrap():
    model = text_model(gap())
    table = table_weights(model)
    rows = np.asarray(model.get_layer("embedding")(np.array([[30, -1]])))[0]
    assert np.isnan(rows[0]).all() and np.allclose(rows[1], table[29])
    (finding,) = findings_of(ep.inspect_model(model, ids=np.array([[30, -1] + [1] * 8])), "ids-out-of-range")
    assert "NaN on the JAX backend" in finding.message and "-1 gives row 29" in finding.message
    assert "tf.gather documentation" in finding.message  # TensorFlow's behaviour is documented, not run here


def test_out_of_range_message_names_what_pytorch_does_as_notebook_06_cites_it():
    (finding,) = findings_of(ep.inspect_model(text_model(gap()), ids=np.full((1, 10), 30)), "ids-out-of-range")
    assert "with PyTorch an IndexError on the CPU but a failed device-side assertion on a GPU" in finding.message
    assert "PyTorch issue 19120" in finding.message  # the source notebook 06 links


def test_out_of_range_id_on_the_numpy_backend_raises_index_error():
    probe = (
        "import json, numpy as np, keras\n"
        "layer = keras.layers.Embedding(30, 7)\n"
        "try:\n    layer(np.array([[30]])); print(json.dumps('no error'))\n"
        "except Exception as e:\n    print(json.dumps(type(e).__name__))\n"
    )
    env = {**os.environ, "KERAS_BACKEND": "numpy"}
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert json.loads(done.stdout.strip().splitlines()[-1]) == "IndexError"
    (finding,) = findings_of(ep.inspect_model(text_model(gap()), ids=np.full((1, 10), 30)), "ids-out-of-range")
    assert "IndexError on the numpy backend" in finding.message


@pytest.fixture
def channels_first_default():
    """Keras' global image data format set to channels_first for one test, then restored."""
    before = keras.config.image_data_format()
    keras.config.set_image_data_format("channels_first")
    try:
        yield
    finally:
        keras.config.set_image_data_format(before)


def test_default_data_format_flags_a_pooling_built_without_data_format(channels_first_default):
    model = text_model(L.GlobalAveragePooling1D(name="pool"))
    assert model.get_layer("pool").data_format == "channels_first"  # Keras took the global setting
    report = ep.inspect_model(model)
    assert [(f.layer, f.severity) for f in findings_of(report, "default-data-format")] == [("pool", "error")]
    assert "pool-over-features" not in report.codes  # one diagnosis, the more precise one
    explicit = text_model(L.GlobalAveragePooling1D(data_format="channels_last", name="pool"))
    assert ep.inspect_model(explicit).findings == ()


def test_explicit_channels_first_is_pool_over_features_not_default_data_format():
    assert keras.config.image_data_format() == "channels_last"
    report = ep.inspect_model(text_model(gap("channels_first")))
    assert report.codes == ("pool-over-features",)


def test_an_embedding_of_dimension_1_averaged_over_its_tokens_is_not_pooled_to_one_number():
    """Notebook 05's 1-d control (Embedding(31, 1, mask_zero=True), then the average over the tokens) is a
    width chosen on purpose, and 05 shows it carries one yes/no fact: the finding must not call it a mistake."""
    control = text_model(gap(), L.Dense(2, activation="softmax", name="out"), mask=True, vocab=31, dim=1)
    assert np.asarray(control(IDS)).shape == (2, 2)
    assert control.get_layer("pool").output.shape == (None, 1)  # one number per sample, as the finding means
    assert "pooled-to-one-number" not in ep.inspect_model(control, ids=IDS).codes


def test_averaging_a_single_feature_is_not_pool_over_features():
    """Averaging one number per token changes nothing: Keras' output equals its input without that axis."""
    model = text_model(gap("channels_first"), dim=1)
    table = table_weights(model, dim=1)
    assert np.allclose(np.asarray(model(FULL_IDS)), table[FULL_IDS][..., 0])
    assert ep.inspect_model(model).findings == ()


# --- the message words ---------------------------------------------------------


def test_messages_use_the_models_own_numbers():
    (finding,) = findings_of(
        ep.inspect_model(text_model(gap("channels_first"), seq_len=12, dim=5)), "pool-over-features"
    )
    assert finding.message.startswith("Averages the 5 features of each of the 12 tokens: one number per token")
    assert "(None, 12, 5) becomes (None, 12)" in finding.message
    assert finding.fix == 'Pool over the tokens: data_format="channels_last" (gives (None, 5)).'


@functools.cache
def notebook_sections(stem):
    """Each heading of a notebook's markdown (level, title) with its text, up to the next heading of its level or above."""
    cells = json.loads((NOTEBOOK_PATHS[0].parent / f"{stem}.ipynb").read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    headings = [(len(m.group(1)), m.group(2).strip(), m.start()) for m in re.finditer(r"^(#{1,4}) (.+)$", text, re.M)]
    sections = []
    for index, (level, title, start) in enumerate(headings):
        end = next((s for lvl, _, s in headings[index + 1 :] if lvl <= level), len(text))
        sections.append((level, title, text[start:end]))
    return sections


def section_text(notebook, path):
    """The text of ``section`` or ``section → subsection`` in a notebook; None if there is no such place."""
    if notebook not in {p.stem for p in NOTEBOOK_PATHS}:
        return None
    sections = notebook_sections(notebook)
    *outer, target = path.split(" → ")
    within = "\n".join(text for _, title, text in sections if title == outer[0]) if outer else None
    found = [text for _, title, text in sections if title == target and (within is None or text in within)]
    return found[0] if len(found) == 1 else None


# A word each finding's lesson must use: a pointer to a section without it points to the wrong lesson.
SEE_KEYWORDS = {
    "pool-over-features": "channels_first",
    "default-data-format": "keras.json",
    "mask-axis-mismatch": "mask",
    "ids-out-of-range": "−1",
    "mask-dropped": "support masking",
    "padding-averaged": "padding",
    "flatten-tokens": "Flatten",
    "pooled-to-one-number": "one number",
    "reduce-over-features": "axis 2",
    "all-padding-row": "NaN",
    "max-over-padding": "-inf",
}


@pytest.mark.parametrize("code", sorted(SEE_KEYWORDS))
def test_every_see_names_a_real_notebook_section_about_its_finding(code):
    for reference in SEE[code].split("; "):
        notebook, section = reference.split(" § ")
        text = section_text(notebook, section)
        assert text is not None, f"{code}: no section {reference!r}"
        assert SEE_KEYWORDS[code].lower() in text.lower(), f"{code}: {reference!r} never says {SEE_KEYWORDS[code]!r}"


def test_the_see_check_finds_a_pointer_to_the_wrong_lesson():
    """The old flatten-tokens pointer (notebook 05's experiment A, which has no Flatten) must fail the check."""
    old = section_text("05_tiny_classifier", "3. Experiment A: where the sentiment word stands")
    assert old is not None and "flatten" not in old.lower()
    assert section_text("03_averaging_axes", "4. Padding dilutes the mean → Flatten or GlobalAveragePooling1D") is None
    assert set(SEE_KEYWORDS) == set(SEVERITY)  # every code has its keyword
