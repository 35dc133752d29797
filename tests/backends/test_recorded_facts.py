"""The record of embedpool_utils/recorded_backends.json, observed again on the backend of this environment.

``make test-backends`` runs this file in .venv-tensorflow and in .venv-torch
with ``EMBEDPOOL_BACKEND`` naming that environment's backend: there the
backend must run, and a test fails when a recorded fact no longer holds (then
``make record-backends`` writes the new facts, and notebooks 01, 05 and 06 are
re-executed). Anywhere else (the learner's environment, ``make test``) a
backend whose library is missing is skipped.

Each backend is observed in a fresh Python (``observe.py``), because Keras
fixes its backend on import and tests/conftest.py fixes JAX for this process.
Besides comparing with the record, each fact is checked by a second, direct
look that does not go through the helper's probe.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RECORD = json.loads((ROOT / "embedpool_utils" / "recorded_backends.json").read_text(encoding="utf-8"))
OBSERVE = Path(__file__).with_name("observe.py")
LIBRARY = {"tensorflow": "tensorflow", "torch": "torch"}


def needs(backend: str) -> None:
    """Skip unless ``backend``'s library is here; in that backend's own environment, fail instead."""
    if importlib.util.find_spec(LIBRARY[backend]) is None:
        if os.environ.get("EMBEDPOOL_BACKEND") == backend:
            pytest.fail(f"EMBEDPOOL_BACKEND={backend}, but {LIBRARY[backend]} is not installed in {sys.prefix}")
        pytest.skip(f"{LIBRARY[backend]} is not installed here (make test-backends builds its environment)")


def in_fresh_python(backend: str, *command: str) -> dict:
    """Run ``command`` (a script and its arguments) in a new Python whose Keras uses ``backend``; read its JSON."""
    env = {**os.environ, "KERAS_BACKEND": backend, "JAX_PLATFORMS": "cpu", "TF_CPP_MIN_LOG_LEVEL": "2"}
    done = subprocess.run([sys.executable, *command], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


# A direct look at a bad id, without the helper's probe: the layer holds rows 0..29 * 7, asked for id 30 and -1.
DIRECT = """
import json
import numpy as np
import keras
table = np.arange(30 * 7, dtype="float32").reshape(30, 7)
layer = keras.layers.Embedding(30, 7, embeddings_initializer=keras.initializers.Constant(table), name="direct")
try:
    layer(np.array([[30]]))
    raised = None
except Exception as error:
    raised = type(error).__name__
last = keras.ops.convert_to_numpy(layer(np.array([[-1]])))[0, 0]
print(json.dumps({"raised": raised, "minus_one_is_row": [int(i) for i in np.flatnonzero((table == last).all(axis=1))]}))
"""


@pytest.mark.parametrize("backend", sorted(LIBRARY))
def test_the_bad_id_facts_hold_on(backend):
    needs(backend)
    seen = in_fresh_python(backend, str(OBSERVE))
    assert seen["backend"] == backend
    assert seen["bad_ids"] == RECORD["bad_ids"][backend], (
        "Keras' Embedding no longer does what the record says (or other versions run here): "
        "make record-backends, then re-execute notebook 06"
    )
    direct = in_fresh_python(backend, "-c", DIRECT)
    assert seen["bad_ids"]["too_large"] == f"raises {direct['raised']}"
    assert direct["minus_one_is_row"] == [29]
    assert seen["bad_ids"]["negative"] == "row 29 (the last)"


@pytest.mark.parametrize("backend", ["tensorflow", "jax"])
def test_the_reserved_ids_hold_with_tensorflow_on(backend):
    needs("tensorflow")  # TextVectorization and StringLookup need TensorFlow on every backend
    seen = in_fresh_python(backend, str(OBSERVE))["reserved_ids"]
    recorded = RECORD["reserved_ids"]
    assert backend in recorded["backends"]
    assert {k: v for k, v in seen.items() if k != "versions"} == {
        k: v for k, v in recorded.items() if k not in ("versions", "backends")
    }, "TextVectorization or StringLookup numbers differently now: make record-backends, then re-execute notebook 01"
    assert {k: seen["versions"][k] for k in ("keras", "tensorflow")} == {
        k: recorded["versions"][k] for k in ("keras", "tensorflow")
    }


# A direct look at Adam on a repeated id, without the formula: Adam's first step moves every weight whose gradient is
# not zero by its learning rate (m / sqrt(v) is the gradient's sign), so every entry of rows 1, 2 and 3 should move by
# 0.01; the record says whether row 2, the id the sentence holds twice, does.
DIRECT_ADAM = """
import json
import numpy as np
import keras
start = np.arange(10, dtype="float32").reshape(5, 2) / 10
model = keras.Sequential([keras.Input((4,), dtype="int32"),
                          keras.layers.Embedding(5, 2, embeddings_initializer=keras.initializers.Constant(start)),
                          keras.layers.GlobalAveragePooling1D(),
                          keras.layers.Dense(1, kernel_initializer="ones")])
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
model.train_on_batch(np.array([[1, 2, 2, 3]], dtype="int32"), np.array([[0.0]], dtype="float32"))
moved = np.abs(keras.ops.convert_to_numpy(model.layers[0].embeddings) - start)
print(json.dumps({"row": {str(i): [float(x) for x in moved[i]] for i in range(5)}}))
"""


@pytest.mark.parametrize("backend", sorted(LIBRARY))
def test_the_adam_step_facts_hold_on(backend):
    needs(backend)
    seen = in_fresh_python(backend, str(OBSERVE))["adam_embedding_step"]
    assert seen == RECORD["adam_embedding_step"][backend], (
        "Keras' Adam moves an embedding differently now (or other versions run here): "
        "make record-backends, then re-execute notebook 05"
    )
    moved = in_fresh_python(backend, "-c", DIRECT_ADAM)["row"]
    assert moved["0"] == moved["4"] == [0.0, 0.0]  # ids the sentence does not hold do not move
    assert all(abs(x - 0.01) < 1e-5 for row in ("1", "3") for x in moved[row])  # ids it holds once move by 0.01
    row_two_as_formula = all(abs(x - 0.01) < 1e-5 for x in moved["2"])
    assert row_two_as_formula == (seen["an id twice"] == "as the formula")
    assert seen["no id twice"] == "as the formula"
