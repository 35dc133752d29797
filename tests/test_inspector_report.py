"""The report as text and as HTML, and the clear errors for input the inspector cannot use."""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser

import keras
import numpy as np
import pytest
from support import ROOT

import embedpool_utils as ep
from embedpool_utils.inspector.report import Finding, LayerRow, ModelReport, Notice

L = keras.layers

ROWS = (
    LayerRow("token_ids", "InputLayer", (None, 10), ("batch", "tokens"), "none"),
    LayerRow("<embedding & co>", "Embedding", (None, 10, 7), ("batch", "tokens", "features"), "produced"),
    LayerRow(
        "pool",
        "GlobalAveragePooling1D",
        (None, 10),
        ("batch", "tokens"),
        "consumed",
        note="averages the 7 features of each of the 10 tokens: one number per token",
    ),
)
FINDINGS = (
    Finding(
        "pool-over-features",
        "pool",
        "error",
        "Averages the 7 features <b>.",
        'Use data_format="channels_last".',
        "04_data_format_pitfall § 1. Two readings of the same tensor",
    ),
    Finding("padding-averaged", "pool", "warning", "9 of the 20 positions are padding.", "mask_zero=True.", "03"),
)
REPORT = ModelReport("demo", ROWS, FINDINGS, ids_checked=True)


class TableReader(HTMLParser):
    """Collects tags with their attributes, and the text of every cell, caption and list item."""

    def __init__(self):
        super().__init__()
        self.tags, self.texts, self.current = [], {}, []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.current.append(tag)

    def handle_endtag(self, tag):
        if self.current and self.current[-1] == tag:
            self.current.pop()

    def handle_data(self, data):
        if self.current:
            self.texts.setdefault(self.current[-1], []).append(data)


def test_text_report_is_a_table_then_the_findings():
    text = str(REPORT)
    lines = text.splitlines()
    assert lines[0] == 'Model "demo": 3 layers, 2 findings (1 error, 1 warning)'
    assert lines[2].split() == ["layer", "type", "output", "shape", "axes", "mask"]
    assert any(line.split()[:3] == ["pool", "GlobalAveragePooling1D", "(None,"] for line in lines)
    assert "    -> averages the 7 features of each of the 10 tokens: one number per token" in lines
    assert "1. ERROR pool-over-features at layer 'pool'" in lines
    assert "2. WARNING padding-averaged at layer 'pool'" in lines
    # columns line up: every value of a column starts where its header starts
    start = lines[2].index("mask")
    assert [line[start:] for line in lines[4:7]] == ["none", "produced", "consumed"]


def test_html_report_is_an_escaped_table_with_headers_and_no_colour():
    html = REPORT._repr_html_()
    reader = TableReader()
    reader.feed(html)
    tags = [tag for tag, _ in reader.tags]
    assert tags.count("table") == 1 and "caption" in tags and "thead" in tags
    columns = [attrs for tag, attrs in reader.tags if tag == "th" and attrs.get("scope") == "col"]
    row_headers = [attrs for tag, attrs in reader.tags if tag == "th" and attrs.get("scope") == "row"]
    assert len(columns) == 6 and len(row_headers) == len(ROWS)
    assert "<embedding & co>" in "".join(reader.texts["th"])  # shown as text, not as markup
    assert "&lt;embedding &amp; co&gt;" in html and "Averages the 7 features &lt;b&gt;." in html
    assert not any("style" in attrs or "color" in attrs or "bgcolor" in attrs for _, attrs in reader.tags)
    assert [t for t in reader.texts["strong"]] == ["Error", "Warning"]  # severity in words


def test_ipython_shows_the_text_table_not_the_dataclass_fields():
    from IPython.lib.pretty import pretty

    shown = pretty(REPORT)
    assert shown.splitlines()[0] == 'Model "demo": 3 layers, 2 findings (1 error, 1 warning)'
    assert "LayerRow(" not in shown and shown == str(REPORT)
    assert repr(REPORT).startswith("ModelReport(model_name='demo'")  # repr() itself stays the plain record


def test_report_finds_a_layer_by_name_and_names_them_when_it_cannot():
    assert REPORT.layer("pool").axes == ("batch", "tokens")
    assert REPORT.codes == ("pool-over-features", "padding-averaged")
    assert [f.code for f in REPORT.errors] == ["pool-over-features"]
    with pytest.raises(KeyError, match="the layers are"):
        REPORT.layer("dense")


def test_a_report_without_ids_says_what_it_did_not_check():
    assert str(ModelReport("m", ROWS[:1], ())).splitlines()[0] == (
        'Model "m": 1 layer, no findings; no ids given, so ids and padding were not checked'
    )


def test_accessing_inspect_model_does_not_import_keras():
    code = "import sys, embedpool_utils as ep; ep.inspect_model; print(sorted(m for m in sys.modules if m.startswith(('keras', 'jax'))))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


# --- input the inspector cannot use -----------------------------------------------


def small_model():
    return keras.Sequential(
        [
            keras.Input((10,), dtype="int32", name="token_ids"),
            L.Embedding(30, 7, name="embedding"),
            L.GlobalAveragePooling1D(name="pool"),
        ],
        name="m",
    )


class Subclassed(keras.Model):
    def __init__(self):
        super().__init__(name="subclassed")
        self.dense = L.Dense(2)

    def call(self, x):
        return self.dense(x)


@pytest.mark.parametrize(
    "model, error, message",
    [
        (lambda: "model.keras", TypeError, "needs a Keras 3 model .* got str"),
        (lambda: L.Dense(3), TypeError, "needs a Keras 3 model .* got Dense"),
        (lambda: keras.Sequential([L.Dense(3)], name="unbuilt"), ValueError, "'unbuilt' is not built yet"),
        (lambda: Subclassed(), ValueError, "subclassed model"),
    ],
    ids=["a path", "a layer", "an unbuilt Sequential", "a subclassed model"],
)
def test_not_an_inspectable_model_gets_a_clear_error(model, error, message):
    with pytest.raises(error, match=message):
        ep.inspect_model(model())


@pytest.mark.parametrize(
    "ids, error, message",
    [
        (np.zeros((2, 10)), TypeError, "ids must be integer token ids; got dtype float64"),
        (np.zeros((2, 10), dtype=bool), TypeError, "ids must be integer token ids; got dtype bool"),
        (
            np.zeros((2, 8), dtype=int),
            ValueError,
            r"ids have shape \(2, 8\), but the model input 'token_ids' takes \(None, 10\)",
        ),
        (np.zeros(10, dtype=int), ValueError, r"ids have shape \(10,\)"),
        ({"words": np.zeros((2, 10), dtype=int)}, ValueError, r"inputs \['words'\] that the model does not have"),
    ],
    ids=["floats", "bools", "too short", "one sentence without a batch axis", "wrong input name"],
)
def test_unusable_ids_get_a_clear_error(ids, error, message):
    with pytest.raises(error, match=message):
        ep.inspect_model(small_model(), ids=ids)


def test_ids_for_a_model_with_two_inputs_go_by_name():
    words, tags = keras.Input((10,), dtype="int32", name="words"), keras.Input((10,), dtype="int32", name="tags")
    pooled = [
        L.GlobalAveragePooling1D(name=f"pool_{n}")(L.Embedding(30, 4, name=f"emb_{n}")(t))
        for n, t in (("words", words), ("tags", tags))
    ]
    model = keras.Model([words, tags], L.Concatenate(name="both")(pooled), name="two_inputs")
    with pytest.raises(ValueError, match="give ids as a dict"):
        ep.inspect_model(model, ids=np.ones((1, 10), dtype=int))
    report = ep.inspect_model(model, ids={"tags": np.full((1, 10), 40)})
    assert [(f.code, f.layer) for f in report.findings] == [("ids-out-of-range", "emb_tags")]


def test_a_notice_is_printed_and_keeps_the_report_from_being_clean():
    notice = Notice(
        "block", "The axes after 'block' could not be named. Not checked because of it: what 'pool' reduces."
    )
    report = ModelReport("m", ROWS, (), ids_checked=True, notices=(notice,))
    assert not report.clean and ModelReport("m", ROWS, (), ids_checked=True).clean
    lines = str(report).splitlines()
    assert lines[0] == 'Model "m": 3 layers, no findings, 1 notice: part of the model was not checked'
    assert lines[-2:] == ["NOT CHECKED at layer 'block'", f"   {notice.message}"]
    reader = TableReader()
    reader.feed(report._repr_html_())
    assert "Not checked" in reader.texts["strong"]


def test_the_report_says_which_keras_it_applied():
    report = ModelReport("m", ROWS, (), keras_version="3.15.1")
    assert str(report).splitlines()[1] == (
        "Read with Keras 3.15.1 (how layers pass masks on differs between Keras versions)"
    )
    assert "Read with Keras 3.15.1" in report._repr_html_()
    assert keras.__version__ in ep.inspect_model(small_model()).version_line()


def test_the_data_flow_figure_counts_the_notices_too():
    from embedpool_utils.plotting.data_flow import findings_words

    notice = Notice("block", "The axes after 'block' could not be named.")
    assert findings_words(ModelReport("m", ROWS, ())) == "no findings"
    assert findings_words(ModelReport("m", ROWS, FINDINGS, notices=(notice,))) == (
        "1 error, 1 warning, 1 notice (not all checked)"
    )
