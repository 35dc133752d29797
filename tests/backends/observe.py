"""Observe, in this Python, what the record in ``embedpool_utils/recorded_backends.json`` states; print it as JSON.

Keras fixes its backend when it is first imported, so each backend is observed
in a Python of its own: ``KERAS_BACKEND=tensorflow python tests/backends/observe.py``.
It prints one JSON object:

* ``"bad_ids"``: what Keras' ``Embedding`` gives for the id 30 of a 30-row
  table and for ``-1`` (``keras_id_outcomes``, the probe notebook 06 runs on
  JAX), the device, and the versions;
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
    seen = {"backend": backend, "bad_ids": bad_ids(backend)}
    if importlib.util.find_spec("tensorflow") is not None:
        seen["reserved_ids"] = {**reserved_ids(), "versions": versions("tensorflow") | versions(backend)}
    return seen


if __name__ == "__main__":
    print(json.dumps(observe()))
