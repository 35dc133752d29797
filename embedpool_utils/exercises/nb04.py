"""Exercises of notebook 04 (the data_format pitfall): a model to debug, a table of row means, which masks fit."""

from __future__ import annotations

from typing import Any

import numpy as np

from embedpool_utils import core
from embedpool_utils.exercises.engine import Exercise, Mistake, keyed_answer, register
from embedpool_utils.shapes import DataFormat, pooled_shape

# ---------------------------------------------------------------- 04-debug-default

# A colleague's model: Embedding(5000, 32) on 50 tokens, GlobalAveragePooling1D() without data_format, Dense(1),
# in a project whose keras.json says "channels_first" (for its image models).
DEBUG_SHAPE, DEBUG_UNITS = (None, 50, 32), 1
DEBUG_LAYERS = ("embedding", "pool", "classifier")
DEBUG_KEYS = ("layer", "data_format", "params_before", "params_after")


def _classifier_params(data_format: DataFormat) -> int:
    """Parameters of the Dense(1) after the pooling: a weight per pooled number, and a bias."""
    inputs = pooled_shape(DEBUG_SHAPE, data_format=data_format)[-1]
    assert inputs is not None, "the debug model's sizes are all known"
    return inputs * DEBUG_UNITS + DEBUG_UNITS


def _debug_verdict(answer: Any, inputs: dict) -> bool | str:
    """True for the pooling layer, data_format="channels_last", and the classifier's parameters before and after."""
    values = keyed_answer(answer, DEBUG_KEYS)
    if isinstance(values, str):
        return values
    layer, data_format = values["layer"], values["data_format"]
    if not isinstance(layer, str) or layer.strip().lower() not in DEBUG_LAYERS:
        return f"Name the layer to change by its name in the model: one of {', '.join(DEBUG_LAYERS)}."
    if layer.strip().lower() == "embedding":
        return "The embedding gives (batch, tokens, features) whatever keras.json says. Which layer reads the setting?"
    if layer.strip().lower() == "classifier":
        return "A Dense layer has no data_format: it only receives what the layer before it hands on."
    if not isinstance(data_format, str):
        return "Give the data_format as text, in quotes."
    data_format = data_format.strip().strip("'\"").lower()
    if data_format == "channels_first":
        return "That is what the project's keras.json already gives this layer."
    if data_format != "channels_last":
        return "A data_format is one of two values: which one makes the pooling average the tokens?"
    counts = [values["params_before"], values["params_after"]]
    if not all(isinstance(n, (int, np.integer)) and not isinstance(n, bool) for n in counts):
        return "Give the two numbers of parameters as ints."
    before, after = (_classifier_params(f) for f in ("channels_first", "channels_last"))
    if counts == [after, before]:
        return "The two counts are the other way round: which pooling is the project's, before the fix?"
    if counts[0] == before - DEBUG_UNITS or counts[1] == after - DEBUG_UNITS:
        return "Almost: a Dense layer also holds one bias per unit."
    if counts[0] != before:
        return (
            "Count again what the classifier holds in the project: which axis does the pooling average there, "
            "and how many numbers per review are left?"
        )
    if counts[1] != after:
        return "Count again what the classifier holds after the fix: how many numbers per review does it receive?"
    return True


register(
    Exercise(
        "04-debug-default",
        expected=lambda _: {
            "layer": "pool",
            "data_format": "channels_last",
            "params_before": _classifier_params("channels_first"),
            "params_after": _classifier_params("channels_last"),
        },
        accepts=_debug_verdict,
    )
)

# channels_first pooling of the embedding of data["ids"], via a table of row means.
register(
    Exercise(
        "04-row-means",
        inputs=lambda: {
            "table": core.init_embedding(30, 7, seed=404),
            "ids": np.random.default_rng(404).integers(0, 30, size=(3, 9)),
        },
        expected=lambda d: core.global_average_pool_1d(
            core.embedding_lookup(d["table"], d["ids"]), data_format="channels_first"
        ),
        mistakes=(
            Mistake(
                lambda d: core.embedding_lookup(d["table"], d["ids"]).mean(axis=1),
                "That is channels_last (one vector per sentence). channels_first gives one number per token.",
            ),
            Mistake(
                lambda d: d["table"].mean(axis=0)[d["ids"] % 7],
                "Average each row (a token's features), not each column.",
            ),
        ),
        shape_hint="One number per token: (batch, seq_len).",
    )
)


def _first_batch_fails(maxlen: int, embedding_dim: int) -> bool:
    """Whether a (batch, maxlen) token mask is refused by channels_first pooling of (batch, maxlen, embedding_dim)."""
    x = np.zeros((1, maxlen, embedding_dim), dtype="float32")
    try:
        core.global_average_pool_1d(x, data_format="channels_first", mask=np.ones((1, maxlen), dtype=bool))
    except ValueError:
        return True
    return False


# Embedding(5000, 32, mask_zero=True) + channels_first pooling: which padded lengths fail at the first predict?
register(
    Exercise(
        "04-mask-fit",
        inputs=lambda: {"maxlens": (16, 32, 64), "embedding_dim": 32},
        expected=lambda d: np.array([_first_batch_fails(n, d["embedding_dim"]) for n in d["maxlens"]]),
        mistakes=(
            Mistake(
                lambda d: np.zeros(len(d["maxlens"]), dtype=bool),
                "Keras builds every one of these models, but the first batch is another matter: compare the "
                "length of the token mask with the length of the axis that channels_first averages.",
            ),
            Mistake(
                lambda d: np.ones(len(d["maxlens"]), dtype=bool),
                "Look at section 3 again: at one length the token mask has exactly the shape channels_first "
                "expects, and nothing fails.",
            ),
            Mistake(
                lambda d: ~np.array([_first_batch_fails(n, d["embedding_dim"]) for n in d["maxlens"]]),
                "The other way round: an error needs a mask that does not fit the averaged axis.",
            ),
        ),
        shape_hint="One True or False per maxlen, in the order given.",
    )
)
