"""How long the model inspector takes on a 20-layer model, next to what Keras itself takes.

Run with ``python benchmarks/bench_inspector.py`` (``make bench`` runs it too).
Prints the median time of ``ep.inspect_model`` on a 20-layer text model (a
masked Embedding, Dense/Dropout/LayerNormalization blocks, an LSTM, a Conv1D
that drops the mask, a windowed and a global pooling, with a batch of padded
sample ids), and its ratio to two things a learner already waits for:

* ``model.summary()`` rendered to a string: the table the inspector extends;
* building the same model (``keras.Sequential([...])``).

Ratios, not seconds, carry from one machine to another. This is a report,
not a test: a busy machine cannot fail anything. Target: the inspector at
most as slow as ``model.summary()`` and at most half the time of building.

A model with layers of one's own costs more the first time: the inspector
runs each such layer on test inputs, compiled once per layer call (about a
second for a Transformer block on JAX). The compiled function is kept while
the model lives, so inspecting it again is measured against
``model.summary()`` with the same target; the first inspection is printed
for information, without a target.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import timeit
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import warnings

import keras
import numpy as np

import embedpool_utils as ep
from embedpool_utils.summary_tables import summary_text

SEQ_LEN, VOCAB = 50, 1000
REPEATS = 15
TARGETS = {"model.summary() as text": 1.0, "building the model": 0.5}


def twenty_layers() -> keras.Model:
    """A 20-layer text model (the input layer not counted)."""
    L = keras.layers
    layers: list = [
        keras.Input((SEQ_LEN,), dtype="int32", name="token_ids"),
        L.Embedding(VOCAB, 32, mask_zero=True, name="embedding"),
    ]
    for block in range(4):
        layers += [
            L.Dense(32, activation="relu", name=f"dense_{block}"),
            L.Dropout(0.1, name=f"dropout_{block}"),
            L.LayerNormalization(name=f"norm_{block}"),
        ]
    layers += [
        L.LSTM(16, return_sequences=True, name="lstm"),
        L.Conv1D(16, 3, padding="same", name="conv"),
        L.AveragePooling1D(2, name="window"),
        L.Dense(16, name="dense_4"),
        L.GlobalAveragePooling1D(name="pool"),
        L.Dense(8, activation="relu", name="dense_5"),
        L.Dense(1, activation="sigmoid", name="out"),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras warns that the Conv1D drops the mask: part of the test model
        model = keras.Sequential(layers, name="twenty_layers")
    assert len(model.layers) == 20
    return model


class Shift(keras.layers.Layer):
    """A layer of one's own that adds a learned vector per position (the inspector has no rule for it)."""

    def build(self, input_shape):
        self.shift = self.add_weight(shape=tuple(input_shape[1:]), initializer="zeros", name="shift")

    def call(self, x):
        return x + self.shift


class Attend(keras.layers.Layer):
    """A layer of one's own around self-attention, added back and normalised."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.attention = keras.layers.MultiHeadAttention(2, 16, kernel_initializer="ones")
        self.norm = keras.layers.LayerNormalization()

    def call(self, x):
        return self.norm(x + self.attention(x, x))


def own_layers() -> keras.Model:
    """A text model with two layers of one's own between the Embedding and the pooling."""
    ids = keras.Input((SEQ_LEN,), dtype="int32", name="token_ids")
    x = keras.layers.Embedding(VOCAB, 32, embeddings_initializer="ones", name="embedding")(ids)
    x = Attend(name="attend")(Shift(name="shift")(x))
    x = keras.layers.GlobalAveragePooling1D(name="pool")(x)
    return keras.Model(ids, keras.layers.Dense(1, kernel_initializer="zeros", name="out")(x), name="own_layers")


def median_seconds(function: Callable[[], object], repeats: int = REPEATS) -> float:
    """Median over ``repeats`` of one call's time (calls batched to about 0.2 s per repeat)."""
    timer = timeit.Timer(function)
    number, _ = timer.autorange()
    return statistics.median(t / number for t in timer.repeat(repeat=repeats, number=number))


def main() -> bool:
    model = twenty_layers()
    rng = np.random.default_rng(0)
    ids = rng.integers(1, VOCAB, size=(32, SEQ_LEN)) * (np.arange(SEQ_LEN) < rng.integers(5, SEQ_LEN, size=(32, 1)))
    report = ep.inspect_model(model, ids=ids)
    found = ", ".join(report.codes) or "none"
    print(f"inspector on {len(model.layers)} layers: {len(report.layers)} rows, findings: {found}")

    def build() -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            twenty_layers()

    ours = median_seconds(lambda: ep.inspect_model(model, ids=ids))
    ok = True
    for label, reference in (("model.summary() as text", lambda: summary_text(model)), ("building the model", build)):
        theirs = median_seconds(reference)
        ratio = ours / theirs
        target = TARGETS[label]
        verdict = "ok" if ratio <= target else f"ABOVE TARGET {target}x"
        print(
            f"inspect_model / {label:<26} {ours * 1e3:8.1f} ms / {theirs * 1e3:8.1f} ms = {ratio:5.2f}x "
            f"(target <= {target}x)  {verdict}"
        )
        ok = ok and ratio <= target

    own = own_layers()
    start = time.perf_counter()
    first = ep.inspect_model(own, ids=ids)
    print(
        f"inspect_model, {len(own.layers)}-layer model with 2 layers of one's own: first inspection "
        f"{(time.perf_counter() - start) * 1e3:.0f} ms (runs them on test inputs; no target), "
        f"axes after them: {first.layer('attend').axes}"
    )
    again, summary = median_seconds(lambda: ep.inspect_model(own, ids=ids)), median_seconds(lambda: summary_text(own))
    ratio = again / summary
    target = TARGETS["model.summary() as text"]
    verdict = "ok" if ratio <= target else f"ABOVE TARGET {target}x"
    print(
        f"inspect_model again / {'model.summary() as text':<20} {again * 1e3:8.1f} ms / {summary * 1e3:8.1f} ms = "
        f"{ratio:5.2f}x (target <= {target}x)  {verdict}"
    )
    return ok and ratio <= target


if __name__ == "__main__":
    main()
