"""Shared test set-up.

Keras picks its backend when it is first imported, so the backend is fixed
here, before any test module can import it: the series explains Keras 3 on
JAX, on the CPU.
"""

import os
from pathlib import Path

os.environ["KERAS_BACKEND"] = "jax"
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import matplotlib  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

# Figures are drawn, never shown, in tests. Choose Agg for this process only:
# an MPLBACKEND variable would be inherited by the notebook kernels that nbval
# starts in the same run, and their figures would then never be displayed.
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

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
