"""The mask table of notebook 03, measured from real Keras layers, against facts written out here.

The expected rows are the facts measured by hand on Keras 3.15.1 (recorded in
the project's notes on masks), not values read from the code under test: the
pooling, convolution and Flatten layers do not support masking and warn; the
recurrent layers, the global average and attention use the mask; Dense,
Dropout, LayerNormalization and Add pass it on untouched.
"""

from __future__ import annotations

import numpy as np
import pytest

from embedpool_utils import init_embedding
from embedpool_utils.mask_support import LAYER_NAMES, MaskSupport, mask_support_text, measure_mask_support

TABLE = init_embedding(30, 7, seed=0)
PADDED = np.array([[5, 12, 7, 3, 0, 0, 0, 0, 0, 0], [8, 14, 2, 19, 6, 10, 21, 0, 0, 0]])

# layer -> (supports_masking, warns, output changes, mask after it), as measured by hand on Keras 3.15.1
EXPECTED = {
    "Dense(4)": (True, False, False, "same"),
    "Dropout(0.5)": (True, False, False, "same"),
    "LSTM(3, return_sequences=True)": (True, False, True, "same"),
    "LSTM(3)": (True, False, True, "none"),
    "GRU(3, return_sequences=True)": (True, False, True, "same"),
    "GRU(3)": (True, False, True, "none"),
    "Bidirectional(LSTM(3, return_sequences=True))": (True, False, True, "same"),
    "Conv1D(4, 3)": (False, True, False, "none"),
    "MaxPooling1D(2)": (False, True, False, "none"),
    "AveragePooling1D(2)": (False, True, False, "none"),
    "GlobalAveragePooling1D()": (True, False, True, "none"),
    "GlobalMaxPooling1D()": (False, True, False, "none"),
    "Flatten()": (False, True, False, "none"),
    "MultiHeadAttention(2, 4)": (True, False, True, "same"),
    "LayerNormalization()": (True, False, False, "same"),
    "Add()": (True, False, False, "new"),
}


@pytest.fixture(scope="module")
def rows():
    return measure_mask_support(TABLE, PADDED)


def test_every_layer_the_issue_names_is_measured(rows):
    assert [row.layer for row in rows] == list(LAYER_NAMES) == list(EXPECTED)


def test_the_measurements_match_what_keras_does(rows):
    measured = {row.layer: (row.supports_masking, row.warned, row.uses_mask, row.mask_after) for row in rows}
    assert measured == EXPECTED


def test_call_mask_arguments_are_read_from_the_signatures(rows):
    arguments = {row.layer: row.call_mask_arguments for row in rows}
    assert arguments["LSTM(3)"] == ("mask",) and arguments["GlobalAveragePooling1D()"] == ("mask",)
    assert arguments["Dense(4)"] == () and arguments["Flatten()"] == ()
    assert arguments["MultiHeadAttention(2, 4)"][:3] == ("query_mask", "value_mask", "key_mask")
    assert "use_causal_mask" not in arguments["MultiHeadAttention(2, 4)"]  # a switch, not a mask


@pytest.mark.parametrize(
    ("row", "verdict"),
    [
        (MaskSupport("a", False, (), True, False, "none"), "drops it, with a warning"),
        (MaskSupport("b", True, ("mask",), False, True, "same"), "uses it, passes it on"),
        (MaskSupport("c", True, ("mask",), False, True, "none"), "uses it, then stops it"),
        (MaskSupport("d", True, (), False, False, "new"), "ignores it, passes it on"),
        (MaskSupport("e", True, (), False, False, "none"), "drops it silently"),
    ],
)
def test_the_verdict_follows_the_measurements(row, verdict):
    assert row.verdict == verdict


def test_the_text_table_has_one_aligned_line_per_layer(rows):
    lines = mask_support_text(rows).splitlines()
    assert lines[0].split() == [
        "layer",
        "supports_masking",
        "call(mask)",
        "warns",
        "changes",
        "mask",
        "after",
        "so",
        "it",
    ]
    assert len(lines) == len(rows) + 1
    column = lines[0].index("supports_masking")
    assert all(line[column - 2 : column] == "  " for line in lines)  # every row starts its second column there
    gmp = next(line for line in lines if line.startswith("GlobalMaxPooling1D()"))
    assert gmp.split()[1:4] == ["False", "-", "yes"] and gmp.endswith("drops it, with a warning")
    assert "query_mask, ..." in next(line for line in lines if line.startswith("MultiHeadAttention"))


@pytest.mark.parametrize(
    ("ids", "error", "words"),
    [
        (np.array([[5, 12, 7, 3]]), ValueError, "padding"),
        (np.zeros((2, 10), dtype=int), ValueError, "real tokens"),
        (np.array([5, 12, 0]), ValueError, r"\(batch, seq_len\)"),
        (np.array([[5, 0]]), ValueError, "seq_len >= 3"),
        (np.array([[5, 30, 0]]), IndexError, "vocab_size = 30"),
    ],
)
def test_bad_ids_are_refused_before_keras_runs(ids, error, words):
    with pytest.raises(error, match=words):
        measure_mask_support(TABLE, ids)


def test_swapped_arguments_are_named():
    with pytest.raises(TypeError, match="table first"):
        measure_mask_support(PADDED, TABLE)
