"""Shared set-up of the test process.

Keras picks its backend when it is first imported, so the backend is fixed
here, before any test module can import it: the series explains Keras 3 on
JAX, on the CPU. Paths and shared readers live in ``support.py``.
"""

import os

os.environ["KERAS_BACKEND"] = "jax"
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import matplotlib
from hypothesis import HealthCheck, settings

# Figures are drawn, never shown, in this process.
matplotlib.use("Agg")

# Derandomized so that a CI run is repeatable; no example database on disk.
settings.register_profile(
    "embedpool",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=150,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("embedpool")
