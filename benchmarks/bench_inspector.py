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
"""

from __future__ import annotations

import os
import statistics
import sys
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
    return ok


if __name__ == "__main__":
    main()
