"""The inspector's rules: from what is known about one layer, the findings, worded in the model's own numbers.

:mod:`~embedpool_utils.inspector.walk` reads a Keras model and fills one
:class:`LayerFacts` per layer; :func:`layer_findings` turns those facts into
:class:`~embedpool_utils.inspector.report.Finding` objects. Nothing here imports Keras: the
rules work on shapes, axis names (:mod:`~embedpool_utils.shapes`) and the
sample ids, so each can be read, and tested, on its own.

Codes (``error`` makes the command line exit with status 1):

=====================  ========  ==================================================
code                   severity  when
=====================  ========  ==================================================
pool-over-features     error     a 1-D pooling reduces the features of (batch, tokens, features)
default-data-format    error     the same, with the channels_first that Keras' global setting gives
mask-axis-mismatch     error     a token mask reaches a pooling that averages the features
ids-out-of-range       error     sample ids below 0 or at/above an Embedding's input_dim
reduce-over-features   error     a layer without a rule (Lambda, keras.ops, your own) that, run on test
                                 inputs, reduces the features of (batch, tokens, features)
all-padding-row        error     a masked average over tokens, and a row of the sample ids that is all padding (NaN)
mask-dropped           warning   a mask nobody has used yet reaches a layer that drops it
padding-averaged       warning   an unmasked average over tokens whose sample ids hold padding (0)
max-over-padding       warning   a maximum over tokens that takes padded steps in: no mask, a mask it drops, or
                                 steps where the layer that applied the mask outputs zeros (measured)
flatten-tokens         warning   Flatten over (tokens, features)
pooled-to-one-number   warning   a global pooling leaves one number per sample, unless it averages the tokens of one feature
=====================  ========  ==================================================
"""

from __future__ import annotations

import numpy as np

from embedpool_utils.inspector.facts import LayerFacts
from embedpool_utils.inspector.padding_rules import all_padding_row, max_over_padding, padding_averaged
from embedpool_utils.inspector.report import Finding, count, shape_cell
from embedpool_utils.shapes import (
    FEATURES,
    POOLINGS_1D,
    TOKENS,
    UNKNOWN,
    DataFormat,
    pooled_shape,
)

__all__ = ["SEE", "SEVERITY", "LayerFacts", "layer_findings"]

SEVERITY: dict[str, str] = {
    "pool-over-features": "error",
    "default-data-format": "error",
    "mask-axis-mismatch": "error",
    "ids-out-of-range": "error",
    "reduce-over-features": "error",
    "all-padding-row": "error",
    "mask-dropped": "warning",
    "padding-averaged": "warning",
    "max-over-padding": "warning",
    "flatten-tokens": "warning",
    "pooled-to-one-number": "warning",
}

# Where the series explains each finding: notebook, then the section heading as it stands there
# ("section → subsection" where a subsection is the lesson); several places are separated by "; ".
SEE: dict[str, str] = {
    "pool-over-features": "04_data_format_pitfall § 1. Two readings of the same tensor",
    "default-data-format": "04_data_format_pitfall § 4. Where the default comes from",
    "mask-axis-mismatch": "04_data_format_pitfall § 3. Masks run along the tokens",
    "ids-out-of-range": "01_lookup_table § 5. Valid ids are 0 … vocab_size − 1; "
    "06_pitfalls_elsewhere § 1. A bad id, backend by backend",
    "reduce-over-features": "03_averaging_axes § 1. Three axes, three averages",
    "all-padding-row": "03_averaging_axes § 5. A sentence of nothing but padding",
    "mask-dropped": "03_averaging_axes § 7. Common confusions → Windowed or global pooling",
    "padding-averaged": "03_averaging_axes § 4. Padding dilutes the mean",
    "max-over-padding": "03_averaging_axes § 8. The mask, completely → Max pooling and the mask",
    "flatten-tokens": "03_averaging_axes § 7. Common confusions → Flatten or GlobalAveragePooling1D",
    "pooled-to-one-number": "06_pitfalls_elsewhere § 3. A real case: the Keras timeseries Transformer",
}


# --------------------------------------------------------------------------
# words
# --------------------------------------------------------------------------

# --------------------------------------------------------------------------
# the rules, one function per code; each returns (message, fix) or None
# --------------------------------------------------------------------------


def reduces_features(facts: LayerFacts) -> bool:
    """A pooling that reduces the features of a (batch, tokens, features) tensor, more than one of them."""
    r = facts.reduction
    return (
        r is not None
        and not facts.probed
        and r.axis_name == FEATURES
        and r.other_name == TOKENS
        and r.length != 1  # averaging a single number changes nothing
    )


def tokens_format(facts: LayerFacts) -> DataFormat:
    """The data_format under which this pooling would pool the tokens instead."""
    return "channels_first" if facts.reduction.axis == 1 else "channels_last"  # type: ignore[union-attr]


def pool_over_features(facts: LayerFacts) -> tuple[str, str] | None:
    if not reduces_features(facts) or default_data_format(facts) is not None:
        return None
    return over_features_message(facts, because="")


def over_features_message(facts: LayerFacts, because: str) -> tuple[str, str]:
    r = facts.reduction
    assert r is not None and facts.input_shape is not None  # a reduction is found only on a known input
    message = (
        f"{facts.note}, so {shape_cell(facts.input_shape)} becomes {shape_cell(facts.output_shape)}"
        f"{because}. The layers after it see one number per position, not one vector per sample."
    )
    fix_format = tokens_format(facts)
    fix = f'Pool over the tokens: data_format="{fix_format}"'
    if r.is_global and r.axis == 2:
        keepdims = bool(facts.config.get("keepdims"))
        fix += f" (gives {shape_cell(pooled_shape(facts.input_shape, data_format=fix_format, keepdims=keepdims))})"
    return message, fix + "."


def default_data_format(facts: LayerFacts) -> tuple[str, str] | None:
    # Keras stores the resolved data_format, so whether it was written cannot be read back;
    # what can be said is that it equals the global setting a layer built without it takes.
    if (
        not reduces_features(facts)
        or facts.image_data_format != "channels_first"
        or facts.config.get("data_format") != "channels_first"
    ):
        return None
    message, _ = over_features_message(
        facts,
        because=(
            '. Its data_format is "channels_first", which is what keras.config.image_data_format() '
            "is set to here (keras.json or keras.config.set_image_data_format): a pooling layer "
            "built without data_format takes that value"
        ),
    )
    fix = 'Write data_format="channels_last" in this layer, so that the global setting cannot change it.'
    return message, fix


def mask_axis_mismatch(facts: LayerFacts) -> tuple[str, str] | None:
    r = facts.reduction
    if r is None or facts.probed or not facts.applies_mask or facts.mask_axes is None or facts.mask == "dropped":
        return None
    along = [name for name in facts.mask_axes[1:] if name != UNKNOWN]
    if along != [TOKENS] or r.axis_name != FEATURES:
        return None
    seq_len, dim = r.other_length, r.length
    if seq_len is None:
        outcome = (
            f"predict fails with a broadcast error for every batch whose length is not {dim}, "
            f"and silently averages the wrong numbers when it is {dim}"
        )
    elif seq_len != dim:
        outcome = f"predict fails with a broadcast error ({seq_len} tokens against {dim} features)"
    else:
        outcome = (
            f"the sizes fit ({seq_len} tokens, {dim} features), so it runs without an error "
            "and silently averages the wrong numbers"
        )
    message = (
        f"the mask made by '{facts.mask_origin}' runs along {count(seq_len, 'token')}, but this layer "
        f"averages {count(dim, 'feature')} and applies the mask along them: {outcome}."
    )
    return message, f'Average over the tokens: data_format="{tokens_format(facts)}".'


def mask_dropped(facts: LayerFacts) -> tuple[str, str] | None:
    if facts.mask != "dropped" or facts.mask_used_before:
        return None
    message = (
        f"the mask made by '{facts.mask_origin}' reaches this {facts.type}, which does not use it "
        "(the layer does not support masking), and no layer before it has applied the mask: "
        "from here on the padding positions count as data."
    )
    if facts.type in POOLINGS_1D:
        fix = "Use GlobalAveragePooling1D(), which applies the mask (or drop mask_zero=True if padding should count)."
    else:
        fix = (
            f"Apply the mask before {facts.type} (e.g. an RNN or GlobalAveragePooling1D), "
            "or set padded positions to zero yourself."
        )
    return message, fix


def flatten_tokens(facts: LayerFacts) -> tuple[str, str] | None:
    if facts.type != "Flatten" or not facts.keras_layer or facts.input_axes is None:
        return None
    if tuple(facts.input_axes) != ("batch", TOKENS, FEATURES):
        return None
    _, seq_len, dim = facts.input_shape  # type: ignore[misc]
    if seq_len == 1:  # one position (e.g. kept by keepdims): nothing is tied to a place
        return None
    if seq_len is None:
        cost = "the number of values it gives depends on each batch's length, so the next Dense layer cannot be built"
    else:
        cost = (
            f"each unit of the next Dense layer needs {seq_len * dim} weights instead of {dim} "
            f"({seq_len} times as many), and every weight belongs to one position"
        )
    values = "one row" if seq_len is None else f"{seq_len * dim} numbers"
    message = (
        f"flattens {seq_len or 'the'} tokens × {dim} features into {values} per sample: every input must have "
        f"exactly this length, {cost}, so a word counts differently depending on where it stands."
    )
    fix = (
        "Pool over the tokens instead (GlobalAveragePooling1D(), with mask_zero=True on the Embedding): "
        f"one {dim}-number vector per sample."
    )
    return message, fix


def ids_out_of_range(facts: LayerFacts) -> tuple[str, str] | None:
    # Sources: JAX and numpy are run in tests/test_inspector_findings.py; TensorFlow is documented at
    # https://www.tensorflow.org/api_docs/python/tf/gather (an error on CPU, zeros on GPU), PyTorch at
    # https://github.com/pytorch/pytorch/issues/19120 (IndexError on CPU, a device-side assertion on GPU);
    # Keras' take wraps negative ids on every backend (keras/src/backend/*/numpy.py), as notebook 06 shows.
    ids = facts.embedding_ids
    if ids is None or ids.size == 0:
        return None
    vocab = int(facts.config["input_dim"])
    low, high = int(np.count_nonzero(ids < 0)), int(np.count_nonzero(ids >= vocab))
    if low + high == 0:
        return None
    held_by = f" of input '{facts.ids_input}'" if facts.ids_input else ""
    parts = [
        f"the given ids{held_by} hold {low + high} value{'s' if low + high > 1 else ''} outside 0 … {vocab - 1} "
        f"(input_dim={vocab}): smallest {int(ids.min())}, largest {int(ids.max())}. Keras does not refuse them:"
    ]
    if high:
        parts.append(
            f"an id of {vocab} or more gives a row of NaN on the JAX backend, an IndexError on the numpy "
            "backend, on TensorFlow an error on the CPU but a row of zeros on a GPU (tf.gather documentation), "
            "and with PyTorch an IndexError on the CPU but a failed device-side assertion on a GPU "
            "(PyTorch issue 19120);"
        )
    if low:
        parts.append(f"a negative id reads from the end of the table on every backend (-1 gives row {vocab - 1});")
    message = " ".join(parts).rstrip(";") + "."
    fix = f"Keep every id in 0 … {vocab - 1}: map unknown words to a reserved id, or raise input_dim."
    return message, fix


def pooled_to_one_number(facts: LayerFacts) -> tuple[str, str] | None:
    r = facts.reduction
    if r is None or not r.is_global or r.other_length != 1 or r.length == 1:
        return None
    if r.axis_name == TOKENS and r.other_name == FEATURES:
        # The tokens are averaged, as they should be, and the one feature per token is a width the model
        # chose (an Embedding or a layer of one unit). Notebook 05's 1-d control is such a model, and it
        # shows one number per sample is enough for one yes/no fact: the warning is for the accident
        # of notebook 06 § 3, where the pooled axis is not the one meant.
        return None
    message = f"{facts.note}: a single number per sample is all the layers after it get."
    fix = (
        "Keep more than one number: pool over the other axis, or give each step several features "
        "before pooling (e.g. a Conv1D or Dense layer with several units)."
    )
    return message, fix


def reduce_over_features(facts: LayerFacts) -> tuple[str, str] | None:
    r = facts.reduction
    if not facts.probed or r is None or r.axis_name != FEATURES or r.other_name != TOKENS or r.length == 1:
        return None
    assert facts.input_shape is not None  # a reduction is found only on a known input
    message = (
        f"{facts.note}, so {shape_cell(facts.input_shape)} becomes {shape_cell(facts.output_shape)}. The tool has "
        f"no rule for this {facts.type}; run on test inputs, its output stayed the same when the features of each "
        "token were shuffled, and followed the tokens when they were. The layers after it see one number per "
        "token, not one vector per sample."
    )
    kept = pooled_shape(facts.input_shape, data_format="channels_last")
    fix = f"Reduce over the tokens instead: axis=1 of (batch, tokens, features), which gives {shape_cell(kept)}."
    return message, fix


RULES = {
    "ids-out-of-range": ids_out_of_range,
    "mask-dropped": mask_dropped,
    "flatten-tokens": flatten_tokens,
    "pool-over-features": pool_over_features,
    "default-data-format": default_data_format,
    "mask-axis-mismatch": mask_axis_mismatch,
    "reduce-over-features": reduce_over_features,
    "all-padding-row": all_padding_row,
    "padding-averaged": padding_averaged,
    "max-over-padding": max_over_padding,
    "pooled-to-one-number": pooled_to_one_number,
}


def layer_findings(facts: LayerFacts) -> list[Finding]:
    """Every finding for one layer, in the order of :data:`RULES`.

    Parameters
    ----------
    facts : LayerFacts

    Returns
    -------
    list of Finding
        Empty for a layer with nothing to report.
    """
    found = []
    for code, rule in RULES.items():
        worded = rule(facts)
        if code == "mask-dropped" and worded is not None and max_over_padding(facts) is not None:
            continue  # one diagnosis: the maximum over padding is what the lost mask does here, and its fix fits
        if worded is not None:
            message, fix = worded
            found.append(Finding(code, facts.name, SEVERITY[code], message[0].upper() + message[1:], fix, SEE[code]))
    return found
