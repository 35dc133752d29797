"""Re-run notebooks top to bottom in a fresh kernel and store their outputs.

Usage: python tools/execute_notebooks.py [notebooks/NN_name.ipynb ...]
(default: every notebook in notebooks/). Run it from the project's
environment (`make setup` builds .venv) after changing a notebook or the
helper, then `make test` to confirm strict nbval agrees. Cells tagged
`raises-exception` may raise; any other error stops with a message.
Prints the time each notebook took.
"""

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def execute(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    os.environ.setdefault("KERAS_BACKEND", "jax")
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    # Stored outputs come from the inline backend, as a learner's JupyterLab runs them; the strict
    # nbval run then uses MPLBACKEND=Agg (root conftest.py), so a figure that depends on the backend fails there.
    os.environ.pop("MPLBACKEND", None)
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        record_timing=False,
        coalesce_streams=True,  # one stream output per cell, however the kernel's writes were timed
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    # Keep the stored file free of machine-specific metadata.
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.metadata.get("language_info", {}).pop("version", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)
    return elapsed


def main(args: list[str]) -> None:
    paths = [Path(a) for a in args] or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for path in paths:
        print(f"{path.name}: {execute(path.resolve()):.1f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
