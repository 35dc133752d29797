"""How long each notebook takes to run, against the least any notebook of the series can take.

Run with ``make bench`` (or ``python benchmarks/bench_notebooks.py [NN_name.ipynb ...]``).

The floor is a notebook that does only what every notebook of the series must
do: start a kernel, import Keras on JAX, the helper and matplotlib, and draw
one figure, after the set-up lines every notebook starts with. Each real
notebook and the floor notebook are executed the same way as strict nbval runs
them (a fresh kernel, every cell in order), the floor right before each
notebook, in rounds over the notebooks; the report prints the median seconds
of each notebook, its ratio to the floor, and the ratio of the whole series to
as many floor notebooks. The target for the whole series is 1.75x. This is a report, not a test: a
busy machine changes the seconds, and the ratios much less.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SERIES_TARGET = 1.75

FLOOR_CELLS = [
    'import os\nos.environ["KERAS_BACKEND"] = "jax"\nos.environ.setdefault("JAX_PLATFORMS", "cpu")\n'
    "import embedpool_utils as ep\n"
    "import keras\nimport numpy as np\nfrom embedpool_utils import plotting\nfrom embedpool_utils.plotting.style import new_figure",
    "fig, (ax,) = new_figure()\nax.plot(np.arange(10))\nplotting.show(fig, alt='A straight line from 0 to 9.')",
]


def floor_notebook() -> nbformat.NotebookNode:
    """The smallest notebook that does what every notebook of the series does."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in FLOOR_CELLS]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def run_seconds(nb: nbformat.NotebookNode, workdir: Path) -> float:
    """Seconds to start a fresh kernel and run every cell of ``nb`` (errors of tagged cells allowed)."""
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(workdir)}})
    start = time.perf_counter()
    # The kernel's own log line about its TCP transport is noise here.
    client.execute(stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every numbered notebook")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    paths = [p if p.is_absolute() else ROOT / "notebooks" / p.name for p in args.notebooks] or NOTEBOOKS
    os.environ.setdefault("KERAS_BACKEND", "jax")
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    os.environ.pop("MPLBACKEND", None)

    # The floor runs right before every notebook run, in rounds over the notebooks: a machine that gets busier or
    # quieter during the report moves the floor and the notebooks alike, and the floor's median rests on as many
    # runs as all the notebooks together (a few floor runs alone moved the series' ratio by 0.2).
    floor_runs: list[float] = []
    runs: dict[Path, list[float]] = {path: [] for path in paths}
    with tempfile.TemporaryDirectory() as scratch:
        for _ in range(args.repeats):
            for path in paths:
                floor_runs.append(run_seconds(floor_notebook(), Path(scratch)))
                runs[path].append(run_seconds(nbformat.read(path, as_version=4), path.parent))
    floor = statistics.median(floor_runs)
    print(
        f"floor notebook (kernel, keras on JAX, helper, matplotlib, one figure): {floor:5.1f} s, "
        f"median of {len(floor_runs)}"
    )
    total = 0.0
    for path in paths:
        seconds = statistics.median(runs[path])
        total += seconds
        print(f"{path.name:<34} {seconds:6.1f} s = {seconds / floor:5.2f}x the floor")
    ratio = total / (floor * len(paths))
    verdict = "ok" if ratio <= SERIES_TARGET else f"ABOVE TARGET {SERIES_TARGET}x"
    print(
        f"{'whole series':<34} {total:6.1f} s = {ratio:5.2f}x {len(paths)} floor notebooks "
        f"(target <= {SERIES_TARGET}x)  {verdict}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
