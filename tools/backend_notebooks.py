"""The notebooks on another Keras backend: copies whose set-up cell names that backend, and the pytest hook that reads their marks.

Usage (``make test-backends`` runs it for tensorflow and torch)::

    python tools/backend_notebooks.py BACKEND OUT_DIR

writes, into OUT_DIR, a copy of every notebook of the series that this check
covers (all but ``SKIPPED``) in which

* the set-up cell's line ``os.environ["KERAS_BACKEND"] = "jax"`` names BACKEND
  instead (exactly one such line per notebook, or this stops);
* a cell whose metadata says ``embedpool.backend_specific`` for BACKEND gets
  nbval's ``nbval-ignore-output`` and ``raises-exception`` tags: its output
  legitimately differs by backend (the backend's name, a bad id's fate, an
  error message the backend words), so it runs but is not compared, and may
  raise there.

Every other cell is compared by strict nbval with the output stored from the
JAX run, exactly. The value of ``embedpool.backend_specific`` is the reason,
for every backend (a string), or for some (``{"torch": "reason"}``).

A cell whose code does not yet run the same on a backend, for a reason that a
change of its source would remove, carries ``embedpool.backend_pending``:
``{"torch": "what fails, and the fix"}``. Loaded as a pytest plugin
(``-p backend_notebooks``, with ``EMBEDPOOL_BACKEND`` set), this module marks
such a cell as an expected failure on that backend, strictly: once the source
is fixed and the cell passes, the run fails until the note is removed.

The learners' notebooks are never changed: only the copies are run.
"""

from __future__ import annotations

import copy
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
# The line every set-up cell holds (CONTRIBUTING.md, "A notebook"), and what a copy holds instead.
SETUP_LINE = 'os.environ["KERAS_BACKEND"] = "jax"'
# The backends checked besides JAX, the reference.
BACKENDS = ("tensorflow", "torch")
# Notebooks this check does not run, and why (none now: notebook 05 runs in seconds, and where its check of numpy
# against Keras fails on TensorFlow, the record says why).
SKIPPED: dict[str, str] = {}
SPECIFIC_TAGS = ("nbval-ignore-output", "raises-exception")


def _mark(cell: dict, key: str, backend: str) -> str | None:
    """The reason of ``cell.metadata.embedpool[key]`` for ``backend``, or None; a malformed mark is an error."""
    value = cell.get("metadata", {}).get("embedpool", {}).get(key)
    if value is None:
        return None
    where = f"cell {cell.get('id', '?')}: embedpool.{key}"
    if isinstance(value, str):
        reasons = dict.fromkeys(BACKENDS, value)
    elif isinstance(value, dict):
        unknown = sorted(set(value) - set(BACKENDS))
        if unknown:
            raise ValueError(f"{where} names {unknown}; the backends checked are {list(BACKENDS)}")
        reasons = value
    else:
        raise ValueError(f"{where} must be a reason (str) or a dict backend -> reason; got {type(value).__name__}")
    if not all(isinstance(reason, str) and reason.strip() for reason in reasons.values()):
        raise ValueError(f"{where} must give a reason, not an empty note")
    return reasons.get(backend)


def specific_reason(cell: dict, backend: str) -> str | None:
    """Why the cell's output legitimately differs on ``backend``, or None when it must match exactly."""
    return _mark(cell, "backend_specific", backend)


def pending_reason(cell: dict, backend: str) -> str | None:
    """Why the cell does not yet run the same on ``backend`` (a source fix is due), or None."""
    return _mark(cell, "backend_pending", backend)


def for_backend(notebook: dict[str, Any], backend: str) -> dict[str, Any]:
    """A copy of ``notebook`` whose set-up cell names ``backend`` and whose backend-specific cells are tagged.

    Raises
    ------
    ValueError
        If ``backend`` is not one of ``BACKENDS``, if the notebook does not hold
        the set-up line exactly once, or if a mark is malformed or marks a cell
        both backend-specific and pending.
    """
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {list(BACKENDS)}; got {backend!r}")
    notebook = copy.deepcopy(notebook)
    found = 0
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        found += source.count(SETUP_LINE)
        cell["source"] = source.replace(SETUP_LINE, f'os.environ["KERAS_BACKEND"] = "{backend}"')
        specific, pending = specific_reason(cell, backend), pending_reason(cell, backend)
        if specific and pending:
            raise ValueError(f"cell {cell.get('id')} is marked both backend-specific and pending for {backend}")
        if specific:
            tags = cell.setdefault("metadata", {}).setdefault("tags", [])
            tags.extend(tag for tag in SPECIFIC_TAGS if tag not in tags)
    if found != 1:
        raise ValueError(f"a notebook must hold the set-up line {SETUP_LINE!r} once; this one holds it {found} times")
    return notebook


def notebooks_checked() -> list[Path]:
    """The notebooks this check runs: every notebook of the series but those in ``SKIPPED``."""
    return [path for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")) if path.name not in SKIPPED]


def write_copies(backend: str, out: Path) -> list[Path]:
    """Write the copies for ``backend`` into ``out``; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in notebooks_checked():
        try:
            copied = for_backend(json.loads(path.read_text(encoding="utf-8")), backend)
        except ValueError as error:
            raise SystemExit(f"{path.name}: {error}") from None
        target = out / path.name
        target.write_text(json.dumps(copied, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(target)
    return written


# ---- the pytest plugin (-p backend_notebooks) ---------------------------------------------------


def pytest_collection_modifyitems(config, items) -> None:
    """A cell pending a source fix on this run's backend is an expected failure, strictly."""
    import pytest

    backend = os.environ.get("EMBEDPOOL_BACKEND")
    if backend not in BACKENDS:
        raise pytest.UsageError(f"set EMBEDPOOL_BACKEND to one of {list(BACKENDS)} to run -p backend_notebooks")
    for item in items:
        cell = getattr(item, "cell", None)
        reason = pending_reason(cell, backend) if cell is not None else None
        if reason:
            item.add_marker(pytest.mark.xfail(strict=True, reason=f"pending on {backend}: {reason}"))


def pytest_report_header(config) -> str:
    skipped = "; ".join(f"{name} ({why})" for name, why in SKIPPED.items()) or "none"
    return f"backend_notebooks: EMBEDPOOL_BACKEND={os.environ.get('EMBEDPOOL_BACKEND')}; notebooks not run: {skipped}"


def main(args: list[str]) -> None:
    if len(args) != 2 or args[0] not in BACKENDS:
        sys.exit(__doc__)
    written = write_copies(args[0], Path(args[1]))
    print(f"{len(written)} notebooks for the {args[0]} backend in {args[1]}; not run: {', '.join(SKIPPED) or 'none'}")


if __name__ == "__main__":
    main(sys.argv[1:])
