"""Observe the TensorFlow and PyTorch facts of the series again and write them to embedpool_utils/recorded_backends.json.

Usage (``make record-backends`` builds both environments first)::

    python tools/record_backend_facts.py .venv-tensorflow/bin/python .venv-torch/bin/python

Each Python must have its backend's library installed: the first TensorFlow,
the second PyTorch. Each runs ``tests/backends/observe.py`` once per backend
(Keras fixes its backend on import): the TensorFlow Python on the tensorflow
backend and, for the reserved ids of TextVectorization and StringLookup, on
the jax backend too (those layers need TensorFlow on every backend, and the
series runs on JAX); the record says both gave the same numbering, or this
script stops. ``make test-backends`` observes everything again and fails
when a recorded fact no longer holds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OBSERVE = ROOT / "tests" / "backends" / "observe.py"
RECORD = ROOT / "embedpool_utils" / "recorded_backends.json"
ABOUT = (
    "What Keras did on the TensorFlow and PyTorch backends, observed by tests/backends/observe.py and written by "
    "tools/record_backend_facts.py (make record-backends); make test-backends observes it again. Do not edit by hand."
)


def observe(python: str, backend: str) -> dict:
    """Run the observer in ``python`` with ``KERAS_BACKEND=backend`` and read its JSON."""
    env = {**os.environ, "KERAS_BACKEND": backend, "JAX_PLATFORMS": "cpu", "TF_CPP_MIN_LOG_LEVEL": "2"}
    done = subprocess.run([python, str(OBSERVE)], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"observing Keras on {backend} with {python} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def record(tensorflow_python: str, torch_python: str) -> dict:
    """The whole record, observed now."""
    on_tensorflow = observe(tensorflow_python, "tensorflow")
    on_jax = observe(tensorflow_python, "jax")
    on_torch = observe(torch_python, "torch")
    if "reserved_ids" not in on_tensorflow:
        sys.exit(f"{tensorflow_python} has no TensorFlow: it cannot observe TextVectorization and StringLookup")
    numbering = {key: value for key, value in on_tensorflow["reserved_ids"].items() if key != "versions"}
    if numbering != {key: value for key, value in on_jax["reserved_ids"].items() if key != "versions"}:
        sys.exit("TextVectorization and StringLookup numbered differently on the tensorflow and jax backends")
    for seen in (on_tensorflow, on_torch):
        for fact in ("bad_ids", "adam_embedding_step"):
            if seen[fact]["device"] != "CPU":
                sys.exit(f"Keras on {seen['backend']} ran on a {seen[fact]['device']}; the record is for the CPU")
    return {
        "about": ABOUT,
        "bad_ids": {"tensorflow": on_tensorflow["bad_ids"], "torch": on_torch["bad_ids"]},
        "adam_embedding_step": {
            "tensorflow": on_tensorflow["adam_embedding_step"],
            "torch": on_torch["adam_embedding_step"],
        },
        "reserved_ids": {
            **numbering,
            "backends": ["tensorflow", "jax"],
            "versions": on_tensorflow["reserved_ids"]["versions"],
        },
    }


def main(args: list[str]) -> None:
    if len(args) != 2:
        sys.exit(__doc__)
    RECORD.write_text(json.dumps(record(*args), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RECORD.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
