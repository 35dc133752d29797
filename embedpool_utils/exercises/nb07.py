"""Exercises of notebook 07 (check your own model): repair a model until its report is clean, predict a report.

Both are judged by the model inspector itself (:func:`~embedpool_utils.inspector.walk.inspect_model`),
so they need Keras; it is imported when an answer is checked, never when the bank loads.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from embedpool_utils.exercises.engine import Exercise, register
from embedpool_utils.inspector.findings import SEVERITY
from embedpool_utils.optional_keras import import_keras


def _padded_ids(seed: int, lengths: list[int], vocab_size: int, max_len: int) -> np.ndarray:
    """Sentences of the given lengths, ids 1 … vocab_size − 1, padded at the end with 0 to max_len."""
    rng = np.random.default_rng(seed)
    ids = np.zeros((len(lengths), max_len), dtype="int32")
    for row, length in enumerate(lengths):
        ids[row, :length] = rng.integers(1, vocab_size, size=length)
    return ids


# What needs Keras here, as import_keras words it when Keras is missing.
JUDGING = "Judging these exercises (the model inspector reads Keras models)"


# ---------------------------------------------------------------- 07-repair

# What the layers of a repaired model keep (the task fixes them).
REPAIR_VOCAB, REPAIR_DIM, REPAIR_OUTPUT = 30, 8, (None, 1)

# Why a finding that is still in the report matters, for the hint (never its fix), at the layer it names.
STILL_THERE = {
    "pool-over-features": "Layer '{layer}' still averages the wrong axis of (batch, tokens, features).",
    "reduce-over-features": "Layer '{layer}' reduces the features of each token, not the tokens of each sentence.",
    "padding-averaged": "The padding ids still count in the average at layer '{layer}'.",
    "mask-axis-mismatch": "The mask runs along one axis, and layer '{layer}' averages the other.",
    "mask-dropped": "Layer '{layer}' cannot apply the mask, so the mask is lost there.",
    "max-over-padding": "Layer '{layer}' takes a maximum, and the padded positions take part in it.",
    "flatten-tokens": "Layer '{layer}' flattens the tokens: every weight of the next layer belongs to one position.",
}
NO_AVERAGE = (
    "The report is clean, but no layer of this model averages the tokens into one vector per sentence "
    "(read the '->' lines of the report): the task is to repair the average, not to replace it."
)


def _repaired_model() -> Any:
    """One right answer: the broken model with the two fixes the report asks for."""
    keras = import_keras(JUDGING)
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input((12,), dtype="int32", name="token_ids"),
            layers.Embedding(REPAIR_VOCAB, REPAIR_DIM, mask_zero=True, name="embedding"),
            layers.GlobalAveragePooling1D(data_format="channels_last", name="pool"),
            layers.Dense(1, name="classifier"),
        ],
        name="repaired",
    )


def _repair_verdict(answer: Any, inputs: dict) -> bool | str:
    """True for a model that keeps Embedding(30, 8), averages the tokens, ends in one number, and has a clean report.

    What the model does is judged by the inspector's reading of it: the report
    has no finding and no notice, and one of its layers averages the tokens
    axis (a pooling layer, or a layer of one's own found to do so by running it).
    """
    try:
        keras = import_keras(JUDGING)
    except ImportError as error:
        return str(error)
    from embedpool_utils.error_lines import error_line
    from embedpool_utils.inspector.walk import inspect_model

    if not isinstance(answer, keras.Model):
        return f"The answer here is the Keras model your cell builds (model = build()); you gave a {type(answer).__name__}."
    try:
        report = inspect_model(answer, ids=inputs["ids"])
    except (TypeError, ValueError) as error:
        return f"The inspector cannot read this model with data['ids']: {error_line(error)}"
    tables = [layer.get_config() for layer in answer.layers if type(layer).__name__ == "Embedding"]
    if not any((t["input_dim"], t["output_dim"]) == (REPAIR_VOCAB, REPAIR_DIM) for t in tables):
        return (
            f"Keep the Embedding({REPAIR_VOCAB}, {REPAIR_DIM}): repair the layers and settings around the "
            "table, not its size."
        )
    outputs = [tuple(t.shape) for t in answer.outputs]
    if outputs != [REPAIR_OUTPUT]:
        return f"The model must still give one number per sentence, {REPAIR_OUTPUT}; it gives {', '.join(map(str, outputs))}."
    if report.findings:
        finding = report.findings[0]
        sentences = [
            f"The report still finds {finding.code} at layer '{finding.layer}'.",
            STILL_THERE.get(finding.code, "").format(layer=finding.layer),
            "Print the report, follow that finding's Fix line, and check again.",
        ]
        return " ".join(s for s in sentences if s)
    if report.notices:
        return (
            f"The report could not check layer '{report.notices[0].layer}' (its NOT CHECKED line says why): "
            "repair the model with layers the inspector can follow."
        )
    if not any(_averages_tokens(row.reduction) for row in report.layers):
        return NO_AVERAGE
    return True


def _averages_tokens(reduction: Any) -> bool:
    """A global average over the tokens axis: one vector per sentence, as the task's model means it."""
    return (
        reduction is not None
        and reduction.operation == "average"
        and reduction.axis_name == "tokens"
        and reduction.is_global
    )


register(
    Exercise(
        "07-repair",
        inputs=lambda: {"ids": _padded_ids(707, [5, 12, 3, 8], REPAIR_VOCAB, 12)},
        expected=lambda _: _repaired_model(),
        accepts=_repair_verdict,
    )
)

# ---------------------------------------------------------------- 07-report-codes


def _conv_model() -> Any:
    """The model of the exercise, as the notebook's prompt writes it."""
    keras = import_keras(JUDGING)
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input((12,), dtype="int32", name="token_ids"),
            layers.Embedding(50, 16, mask_zero=True, name="embedding"),
            layers.Conv1D(8, 3, padding="same", name="conv"),
            layers.GlobalAveragePooling1D(data_format="channels_first", name="pool"),
            layers.Dense(1, activation="sigmoid", name="classifier"),
        ],
        name="conv_classifier",
    )


def _codes_inputs() -> dict:
    # "build" makes the model of the prompt, so that a learner can inspect it without typing it again
    return {"ids": _padded_ids(717, [7, 4, 10], 50, 12), "build": _conv_model}


@functools.lru_cache(maxsize=1)
def _expected_codes() -> tuple[str, ...]:
    """The codes the inspector reports for the exercise's model and ids (the same for every learner)."""
    import warnings

    from embedpool_utils.inspector.walk import inspect_model

    with warnings.catch_warnings():  # Keras warns, while building, about the mask that Conv1D drops
        warnings.simplefilter("ignore")
        model = _conv_model()
    return inspect_model(model, ids=_codes_inputs()["ids"]).codes


# Hints for a code the answer leaves out, or names though the report does not.
MISSING = {
    "mask-dropped": "Follow the mask from the Embedding: does every layer it reaches support masking?",
    "pool-over-features": "Which axis of (batch, tokens, features) does this pooling average, with its data_format?",
}
EXTRA = {
    "mask-axis-mismatch": "That needs the mask to reach the pooling: does it get that far?",
    "padding-averaged": "That is about an average over the tokens: which axis does this pooling average?",
    "flatten-tokens": "There is no Flatten layer in this model.",
    "max-over-padding": "That is about a maximum over the tokens: does this model take one?",
    "reduce-over-features": "That is for a layer the inspector has no rule for, and all of these are Keras' own.",
    "all-padding-row": "That needs a row of data['ids'] that is all padding: is there one?",
}


def _codes_verdict(answer: Any, inputs: dict) -> bool | str:
    """True for the report's codes, in its order; else a hint about the first code missing or too many."""
    if isinstance(answer, (str, bytes)):
        return "Give a tuple of codes, one str per finding, even for a single finding: (code,)."
    try:
        codes = tuple(answer)
    except TypeError:
        return f"Give a tuple of codes, one str per finding; you gave a {type(answer).__name__}."
    if not all(isinstance(code, str) for code in codes):
        return "Each code is a str, written as the report prints it, in quotes."
    codes = tuple(code.strip().lower() for code in codes)
    unknown = [code for code in codes if code not in SEVERITY]
    if unknown:
        return f"{unknown[0]!r} is not a code of the inspector: copy the codes as the reports above print them."
    try:
        import_keras(JUDGING)
    except ImportError as error:
        return str(error)
    expected = _expected_codes()
    if codes == expected:
        return True
    if sorted(codes) == sorted(expected):
        return "The right codes, in the wrong order: the report lists them in the order the data flows."
    missing = [code for code in expected if code not in codes]
    if missing:
        return MISSING.get(missing[0], "The report finds more than you listed.")
    extra = [code for code in codes if code not in expected]
    if extra:
        return f"The report does not find {extra[0]} here. " + EXTRA.get(extra[0], "")
    return "Each finding appears once per layer it concerns: count them again."


register(
    Exercise(
        "07-report-codes",
        inputs=_codes_inputs,
        expected=lambda _: _expected_codes(),
        accepts=_codes_verdict,
    )
)
