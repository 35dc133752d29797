"""Observe, in this Python, what the record in ``embedpool_utils/recorded_backends.json`` states; print it as JSON.

Keras fixes its backend when it is first imported, so each backend is observed
in a Python of its own: ``KERAS_BACKEND=tensorflow python tests/backends/observe.py``.
It prints one JSON object:

* ``"bad_ids"``: what Keras' ``Embedding`` gives for the id 30 of a 30-row
  table and for ``-1`` (``keras_id_outcomes``, the probe notebook 06 runs on
  JAX), the device, and the versions;
* ``"adam_embedding_step"``: whether one step of Keras' ``Adam`` moves an
  embedding's rows as Adam's formula says, for a batch with no id twice and
  for one that holds an id twice, and the versions;
* ``"reserved_ids"``, only where TensorFlow is installed: how
  ``TextVectorization`` and ``StringLookup`` number the words of notebook 01
  and look up a sentence with one unknown word.

The test in this folder and ``tools/record_backend_facts.py`` (which writes the
record) both run this file, so what is recorded and what is checked are
observed the same way.
"""

from __future__ import annotations

import importlib.util
import json
import os
import platform
import sys
from dataclasses import asdict
from pathlib import Path

# The source tree's package, whether or not it is installed in this Python.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

VOCAB_SIZE, EMBEDDING_DIM = 30, 7  # the probe of notebook 06
WORDS = ["the", "film", "was", "good", "bad"]  # notebook 01's five words, in its order
SENTENCE = "the film was awful"  # its last word is not in WORDS


def versions(backend: str) -> dict[str, str]:
    """Python, Keras and the backend's library, as each reports its own version."""
    import keras

    found = {"python": platform.python_version(), "keras": keras.__version__}
    if backend in ("tensorflow", "torch"):
        found[backend] = __import__(backend).__version__
    return found


def device(backend: str) -> str:
    """Where the backend computes here: the record's facts hold for the CPU only."""
    if backend == "tensorflow":
        import tensorflow as tf

        return "GPU" if tf.config.list_physical_devices("GPU") else "CPU"
    if backend == "torch":
        import torch

        return "GPU" if torch.cuda.is_available() else "CPU"
    return "CPU"


def bad_ids(backend: str) -> dict:
    """Notebook 06's probe, Keras' own Embedding on this process's backend."""
    from embedpool_utils.bad_id_outcomes import keras_id_outcomes

    found = asdict(keras_id_outcomes(vocab_size=VOCAB_SIZE, embedding_dim=EMBEDDING_DIM))
    return {
        "vocab_size": VOCAB_SIZE,
        "embedding_dim": EMBEDDING_DIM,
        "device": device(backend),
        "too_large": found["too_large"],
        "negative": found["negative"],
        "versions": versions(backend),
    }


# One sentence of ids into a 5-row table, with no id twice and with id 2 twice: what notebook 05's batches hold.
ADAM_BATCHES = {"no id twice": [1, 2, 3, 4], "an id twice": [1, 2, 2, 3]}


def adam_embedding_step(backend: str) -> dict:
    """One Keras Adam step on an Embedding -> GlobalAveragePooling1D -> Dense model, against Adam's formula.

    The gradient is read from one step of SGD with learning rate 1 (SGD moves a
    weight by exactly minus its gradient, also for a sparse gradient); the
    formula is Adam's first step, written in numpy as Keras' ``Adam.update_step``
    computes it from zero moments.
    """
    import keras
    import numpy as np

    table = np.linspace(-1.0, 1.0, 10, dtype="float32").reshape(5, 2)
    learning_rate, beta_1, beta_2, epsilon = 0.01, 0.9, 0.999, 1e-7

    def table_after_one_step(optimizer: object, ids: list[int]) -> np.ndarray:
        model = keras.Sequential(
            [
                keras.Input((len(ids),), dtype="int32"),
                keras.layers.Embedding(5, 2, embeddings_initializer=keras.initializers.Constant(table)),
                keras.layers.GlobalAveragePooling1D(),
                keras.layers.Dense(1, use_bias=False, kernel_initializer=keras.initializers.Constant([[1.0], [-2.0]])),
            ]
        )
        model.compile(optimizer=optimizer, loss="mse")
        model.train_on_batch(np.array([ids], dtype="int32"), np.array([[1.0]], dtype="float32"))
        return keras.ops.convert_to_numpy(model.layers[0].embeddings)

    found: dict = {}
    for case, ids in ADAM_BATCHES.items():
        gradient = table - table_after_one_step(keras.optimizers.SGD(1.0), ids)
        m, v = (1 - beta_1) * gradient, (1 - beta_2) * gradient**2
        formula = table - learning_rate * np.sqrt(1 - beta_2) / (1 - beta_1) * m / (np.sqrt(v) + epsilon)
        adam = table_after_one_step(keras.optimizers.Adam(learning_rate, beta_1, beta_2, epsilon), ids)
        found[case] = "as the formula" if np.allclose(adam, formula, rtol=0, atol=1e-6) else "not as the formula"
    return {**found, "device": device(backend), "versions": versions(backend)}


def reserved_ids() -> dict:
    """What each layer numbers 0, 1, 2, ..., its vocabulary_size(), and the ids it gives SENTENCE."""
    import keras

    layers = {
        "TextVectorization": (keras.layers.TextVectorization(vocabulary=WORDS), [SENTENCE]),
        "StringLookup": (keras.layers.StringLookup(vocabulary=WORDS), [SENTENCE.split()]),
        'StringLookup(mask_token="")': (keras.layers.StringLookup(vocabulary=WORDS, mask_token=""), [SENTENCE.split()]),
    }
    found = {}
    for name, (layer, batch) in layers.items():
        ids = keras.ops.convert_to_numpy(layer(batch))[0]
        found[name] = {
            "vocabulary": [str(token) for token in layer.get_vocabulary()],
            "vocabulary_size": int(layer.vocabulary_size()),
            "ids": [int(i) for i in ids],
        }
    return {"words": WORDS, "sentence": SENTENCE, "layers": found}


def observe() -> dict:
    """Everything this Python can observe, for the backend KERAS_BACKEND names."""
    backend = os.environ.get("KERAS_BACKEND", "")
    import keras

    if keras.backend.backend() != backend:
        raise SystemExit(f"KERAS_BACKEND is {backend!r} but Keras runs on {keras.backend.backend()!r}")
    seen = {"backend": backend, "bad_ids": bad_ids(backend), "adam_embedding_step": adam_embedding_step(backend)}
    if importlib.util.find_spec("tensorflow") is not None:
        seen["reserved_ids"] = {**reserved_ids(), "versions": versions("tensorflow") | versions(backend)}
    return seen


if __name__ == "__main__":
    print(json.dumps(observe()))
