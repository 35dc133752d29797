"""The stored outputs were made with the Keras of requirements/constraints.txt: the suite runs against that Keras.

A fact the series teaches may change in another Keras release (on Keras'
development line, RNN layers no longer carry a mask): the notebooks print
what the pinned Keras does. Under the pins this passes; under `make latest`
or `make nightly` it fails first, saying which Keras ran and which one the
stored outputs were made with.
"""

from __future__ import annotations

from pathlib import Path

import keras
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]


def pinned_keras() -> str:
    """The Keras version constraints.txt pins for this Python."""
    for line in (ROOT / "requirements" / "constraints.txt").read_text().splitlines():
        if line.lower().startswith("keras=="):
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate():
                (spec,) = requirement.specifier
                return spec.version
    raise AssertionError("constraints.txt pins no Keras for this Python")


def test_the_suite_runs_the_keras_the_stored_outputs_were_made_with():
    assert keras.__version__ == pinned_keras(), (
        f"this is Keras {keras.__version__}; the stored outputs and the facts the notebooks print were made with "
        f"Keras {pinned_keras()} (requirements/constraints.txt)"
    )
