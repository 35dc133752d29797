"""Exercises of notebook 02 (the 3-D output tensor): a summary's shape, each sentence's last word, a Keras 2 model repaired.

The repair is judged by building and running the learner's model, so it needs
Keras; Keras is imported when an answer is checked, never when the bank loads.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from embedpool_utils import core
from embedpool_utils.exercises.engine import Exercise, Mistake, register
from embedpool_utils.optional_keras import import_keras

# ---------------------------------------------------------------- 02-summary-shape

# Input(shape=(None,)) -> Embedding(5_000, 32) -> GlobalAveragePooling1D, trained on batches of 16 x 40 ids:
# the Embedding's output shape in model.summary().
SUMMARY_VOCAB, SUMMARY_DIM, SUMMARY_BATCH, SUMMARY_LENGTH = 5_000, 32, 16, 40
SUMMARY_INPUT = (None, None)  # keras.Input(shape=(None,)) with the batch axis Keras adds in front

register(
    Exercise(
        "02-summary-shape",
        expected=lambda _: (*SUMMARY_INPUT, SUMMARY_DIM),
        mistakes=(
            Mistake(
                lambda _: (SUMMARY_BATCH, SUMMARY_LENGTH, SUMMARY_DIM),
                "Those are the sizes of one training batch; the summary describes the model, which keeps only "
                "the sizes that keras.Input fixes.",
            ),
            Mistake(
                lambda _: (None, SUMMARY_LENGTH, SUMMARY_DIM),
                "The batch size is left open, right. Is the length fixed? Look at the shape keras.Input was given.",
            ),
            Mistake(
                lambda _: (SUMMARY_BATCH, None, SUMMARY_DIM),
                "The length is left open, right. Does the model fix how many sentences a batch holds?",
            ),
            Mistake(
                lambda _: (None, SUMMARY_DIM),
                "That is the shape after the average; the Embedding keeps one row per token.",
            ),
            Mistake(
                lambda _: (None, None, SUMMARY_VOCAB),
                "5000 is the number of rows of the table; each token gets one row of it, not all of them.",
            ),
        ),
        shape_hint="Think (batch, seq_len, embedding_dim).",
    )
)

# ---------------------------------------------------------------- 02-last-words

# Sentences of these lengths, padded at the end with 0 to LAST_WORDS_LENGTH; ids 1 ... 29.
LAST_WORDS_LENGTHS, LAST_WORDS_LENGTH = (3, 8, 5, 1), 8


def _last_words_inputs() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(202)
    ids = np.zeros((len(LAST_WORDS_LENGTHS), LAST_WORDS_LENGTH), dtype=int)
    for row, length in enumerate(LAST_WORDS_LENGTHS):
        ids[row, :length] = rng.integers(1, 30, size=length)
    table = core.init_embedding(30, 6, seed=202)
    return {"ids": ids, "table": table, "x": core.embedding_lookup(table, ids)}


def _last_words(d: dict) -> np.ndarray:
    """The table row of each sentence's last real id (the padding, at the end, is left out)."""
    lengths = core.padding_mask(d["ids"]).sum(axis=1)
    return core.embedding_lookup(d["table"], d["ids"][np.arange(len(lengths)), lengths - 1])


register(
    Exercise(
        "02-last-words",
        inputs=_last_words_inputs,
        expected=_last_words,
        mistakes=(
            Mistake(
                lambda d: d["x"][:, -1],
                "That is the last position of every sentence. With the padding at the end, a short sentence's "
                "last position holds padding (row 0 of the table), not a word: find where each sentence's words stop.",
            ),
            Mistake(lambda d: d["x"][:, 0], "That is each sentence's first word; the question asks for its last."),
            Mistake(
                lambda d: d["x"][-1],
                "That is the whole last sentence, one row per position; the answer has one row per sentence.",
            ),
        ),
        shape_hint="One row per sentence, one column per feature.",
    )
)

# ---------------------------------------------------------------- 02-repair-old-model

# What the repaired model keeps (the task fixes it), and the lengths its run is checked with.
REPAIR_VOCAB, REPAIR_DIM = 30, 7
REPAIR_LENGTHS = (5, 12)

# What needs Keras here, as import_keras words it when Keras is missing.
JUDGING = "Judging this exercise (it builds and runs your model)"


def _repaired_build() -> Any:
    """One right answer: the Keras 2 model with its three problems fixed."""
    keras = import_keras(JUDGING)
    return keras.Sequential(
        [
            keras.Input((None,), dtype="int32"),
            keras.layers.Embedding(REPAIR_VOCAB, REPAIR_DIM),
            keras.layers.GlobalAveragePooling1D(data_format="channels_last"),
        ],
        name="repaired",
    )


def _build(build: Callable[[], Any], keras: Any, data_format: str) -> tuple[Any, list[warnings.WarningMessage]]:
    """Call ``build()`` with ``keras.config.image_data_format()`` set to ``data_format``; the model and its warnings."""
    before = keras.config.image_data_format()
    keras.config.set_image_data_format(data_format)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model = build()
    finally:
        keras.config.set_image_data_format(before)
    return model, list(caught)


def _means_over_tokens(model: Any, keras: Any, ids: list[np.ndarray]) -> bool:
    """Whether the model gives, for each batch of ids, the mean of each sentence's rows of its embedding table."""
    tables = [layer for layer in model.layers if isinstance(layer, keras.layers.Embedding)]
    table = keras.ops.convert_to_numpy(tables[0].embeddings)
    for batch in ids:
        out = keras.ops.convert_to_numpy(model(batch))
        if out.shape != (len(batch), REPAIR_DIM) or not np.allclose(out, table[batch].mean(axis=1), atol=1e-6):
            return False
    return True


def _repair_verdict(answer: Any, inputs: dict) -> bool | str:
    """True for a build() that builds, without a warning and whatever keras.json says, a model that averages the tokens.

    The model must keep Embedding(30, 7), take any length, and give, for the
    batches in ``inputs``, the mean of each sentence's rows of its table.
    """
    try:
        keras = import_keras(JUDGING)
    except ImportError as error:
        return str(error)
    from embedpool_utils.error_lines import error_line

    if isinstance(answer, keras.Model):
        return (
            "Give the function itself, answer = build (without brackets): the check builds the model, "
            "once as if keras.json said channels_first."
        )
    if not callable(answer):
        return f"The answer here is the function build (answer = build); you gave a {type(answer).__name__}."
    try:
        model, caught = _build(answer, keras, "channels_last")
    except Exception as error:  # whatever build() raises is the learner's to see, in one line
        return f"build() still fails: {error_line(error)}"
    if caught:
        return f"build() still warns: {caught[0].category.__name__}: {caught[0].message}"
    if not isinstance(model, keras.Model):
        return f"build() must return the Keras model it builds; it returned a {type(model).__name__}."
    tables = [layer.get_config() for layer in model.layers if isinstance(layer, keras.layers.Embedding)]
    if [(t["input_dim"], t["output_dim"]) for t in tables] != [(REPAIR_VOCAB, REPAIR_DIM)]:
        return f"Keep one Embedding({REPAIR_VOCAB}, {REPAIR_DIM}): repair the layers around the table, not its size."
    taken = [tuple(t.shape) for t in model.inputs]
    if len(taken) != 1 or len(taken[0]) != 2 or taken[0][1] is not None:
        return (
            f"The model takes inputs of shape {', '.join(map(str, taken))}: sentences of one length only. "
            "It should take sentences of any length."
        )
    try:
        runs = _means_over_tokens(model, keras, inputs["ids"])
    except Exception as error:
        return f"The model fails on a batch of sentences: {error_line(error)}"
    if not runs:
        return (
            f"On sentences of {REPAIR_LENGTHS[0]} and {REPAIR_LENGTHS[1]} ids the model does not give the mean of "
            f"each sentence's {REPAIR_DIM}-number rows: one vector per sentence, averaged over its tokens."
        )
    try:
        first, _ = _build(answer, keras, "channels_first")
        runs = _means_over_tokens(first, keras, inputs["ids"])
    except Exception as error:
        return f'Built as if keras.json said "channels_first", the model fails: {error_line(error)}'
    if not runs:
        outputs = ", ".join(str(tuple(t.shape)) for t in first.outputs)
        return (
            f'Built as if keras.json said "channels_first", the model gives {outputs}, not the mean over the '
            "tokens: a layer that takes its default from keras.json averaged the other axis."
        )
    return True


register(
    Exercise(
        "02-repair-old-model",
        inputs=lambda: {
            "ids": [np.random.default_rng(212 + n).integers(1, REPAIR_VOCAB, size=(2, n)) for n in REPAIR_LENGTHS]
        },
        expected=lambda _: _repaired_build,
        accepts=_repair_verdict,
    )
)
