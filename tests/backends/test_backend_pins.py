"""requirements/backend-<name>.txt: the backend environments run the notebooks with the project's own pins, on CPU builds.

Written by tools/pin_backend.py. A backend environment holds the same Keras,
JAX, numpy, matplotlib and Jupyter as requirements/constraints.txt, so that
what differs from the stored outputs is the backend and nothing else; a pin
the framework cannot install with says so beside it. The frameworks are CPU
builds: the package index's Linux wheel of PyTorch pulls several GB of CUDA
packages, which CI cannot afford and the series never uses.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
BACKENDS = ("tensorflow", "torch")
RELAXED = re.compile(r"#\s*not constraints\.txt's (\S+): \S")


def pins(path: Path, *, evaluate_markers: bool) -> dict[str, tuple[str, str]]:
    """name -> (version, the line's comment) of a requirements file; markers for this Python only if asked."""
    found = {}
    for raw in path.read_text().splitlines():
        line, _, comment = raw.partition("#")
        if not line.strip():
            continue
        requirement = Requirement(line.strip())
        if evaluate_markers and requirement.marker is not None and not requirement.marker.evaluate():
            continue
        (spec,) = requirement.specifier
        assert spec.operator == "==", f"{path.name}: {raw!r} is not an exact pin"
        found[canonicalize_name(requirement.name)] = (spec.version, "#" + comment if comment else "")
    return found


CONSTRAINTS = pins(ROOT / "requirements" / "constraints.txt", evaluate_markers=True)


@pytest.mark.parametrize("backend", BACKENDS)
def test_shared_pins_equal_the_projects_or_say_why_not(backend):
    lock = pins(ROOT / "requirements" / f"backend-{backend}.txt", evaluate_markers=False)
    for name, (version, comment) in lock.items():
        if name not in CONSTRAINTS or CONSTRAINTS[name][0] == version:
            assert not RELAXED.search(comment), f"{name}: marked as relaxed but equal to constraints.txt"
            continue
        said = RELAXED.search(comment)
        assert said, f"{name}=={version} differs from constraints.txt's {CONSTRAINTS[name][0]} and does not say why"
        assert said.group(1) == CONSTRAINTS[name][0], f"{name}: the comment names the wrong constraints.txt pin"
    for name in ("keras", "jax", "jaxlib", "numpy", "matplotlib", "ipykernel", "nbval", "pytest"):
        assert lock[name][0] == CONSTRAINTS[name][0], f"{name} must be the project's pin"


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_frameworks_are_cpu_builds(backend):
    lock = pins(ROOT / "requirements" / f"backend-{backend}.txt", evaluate_markers=False)
    assert not [name for name in lock if name.startswith(("nvidia-", "triton"))], "a CUDA package is pinned"
    if backend == "tensorflow":
        assert "tensorflow-cpu" in lock and "tensorflow" not in lock
    else:
        assert lock["torch"][0].endswith("+cpu"), "only the CPU build of torch (its local version ends in +cpu)"
        assert "tensorflow-cpu" not in lock
