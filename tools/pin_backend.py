"""Re-resolve requirements/backend-<name>.txt: the exact versions of one backend's test environment.

Usage: python3 tools/pin_backend.py tensorflow|torch      (``make backend-pins`` runs both)

Builds a throwaway virtual environment with this Python (3.11: the wheel of
PyTorch's CPU build that pip takes from this machine's disk is for 3.11),
installs the project's ``notebooks`` and ``test`` extras under
requirements/constraints.txt plus the backend's framework, and writes what
``pip freeze`` lists. A pin of constraints.txt that the framework cannot
install with is left out of the constraints (``RELAXED``); the lock file
says so beside the version it holds instead. tests/backends/test_backend_pins.py
checks that every other pin equals constraints.txt, so the notebooks run with
the same Keras, JAX, numpy and matplotlib as the stored outputs were made with.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"

# The framework each backend needs: CPU builds only. tensorflow-cpu is TensorFlow without the
# CUDA libraries; torch 2.13.0 is taken from the CPU wheel on this machine's disk (pip's
# find-links), where the package index's Linux wheel would pull several GB of CUDA packages.
FRAMEWORK = {"tensorflow": "tensorflow-cpu==2.21.0", "torch": "torch==2.13.0"}
# Pins of constraints.txt that a framework cannot install with, and why.
RELAXED = {"tensorflow": {"h5py": "tensorflow-cpu 2.21.0 needs h5py<3.15"}, "torch": {}}


def name_of(line: str) -> str:
    """The canonical project name a requirement line starts with."""
    found = re.match(r"[A-Za-z0-9._-]+", line.strip())
    if found is None:
        raise ValueError(f"not a requirement line: {line!r}")
    return found.group().lower().replace("_", "-")


def main(backend: str) -> None:
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"pin the backends with Python 3.11 (the series' pins and the CPU torch wheel); this is {sys.version}")
    out = ROOT / "requirements" / f"backend-{backend}.txt"
    with tempfile.TemporaryDirectory() as tmp:
        constraints = Path(tmp) / "constraints.txt"
        lines = [line for line in CONSTRAINTS.read_text().splitlines() if line and line[0] != "#"]
        pins = {name_of(line): line for line in lines}
        kept = [line for line in lines if name_of(line) not in RELAXED[backend]]
        constraints.write_text("\n".join(kept) + "\n")
        venv.create(Path(tmp) / "venv", with_pip=True)
        python = str(Path(tmp) / "venv" / "bin" / "python")
        pip = [python, "-m", "pip", "--disable-pip-version-check", "-q"]
        subprocess.run(
            [*pip, "install", "-c", str(constraints), f"{ROOT}[notebooks,test]", FRAMEWORK[backend]], check=True
        )
        frozen = subprocess.run([*pip, "freeze", "--all"], check=True, capture_output=True, text=True).stdout
    lines = []
    for line in sorted((line for line in frozen.splitlines() if line and line[0] not in "#-"), key=name_of):
        name = name_of(line)
        if name in ("embedpool-utils", "pip"):
            continue
        line = name + line[len(name) :]  # the canonical name, as constraints.txt spells it
        if name in RELAXED[backend]:
            line += f"  # not constraints.txt's {pins[name].split(';')[0].split('==')[1]}: {RELAXED[backend][name]}"
        lines.append(line)
    header = [
        f"# Exact versions of the {backend} backend's test environment (.venv-{backend}, make test-backends),",
        f"# for Python 3.11: the project's notebooks and test extras under constraints.txt, plus {FRAMEWORK[backend]}.",
        f"# Regenerate with `python3 tools/pin_backend.py {backend}` (make backend-pins); do not edit by hand.",
    ]
    out.write_text("\n".join(header + lines) + "\n")
    print(f"wrote {out.relative_to(ROOT)} ({len(lines)} packages)")


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in FRAMEWORK:
        sys.exit(__doc__)
    main(sys.argv[1])
