"""tools/backend_notebooks.py: the copies make test-backends runs, and how cell marks turn into what nbval checks."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import backend_notebooks as bn  # noqa: E402


def notebook(*cells: dict) -> dict:
    return {"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def code(source: str, **embedpool) -> dict:
    metadata = {"embedpool": embedpool} if embedpool else {}
    return {"cell_type": "code", "id": "c", "metadata": metadata, "source": source, "outputs": []}


SETUP = 'import os\nos.environ["KERAS_BACKEND"] = "jax"  # the series explains Keras 3 on JAX\nimport keras\n'


def test_the_copy_names_the_backend_and_the_original_is_untouched():
    original = notebook(code(SETUP), code("print(1)"))
    copied = bn.for_backend(original, "torch")
    assert 'os.environ["KERAS_BACKEND"] = "torch"  # the series' in copied["cells"][0]["source"]
    assert "jax" not in copied["cells"][0]["source"].split("#")[0]
    assert original["cells"][0]["source"] == SETUP
    assert copied["cells"][1]["source"] == "print(1)"


@pytest.mark.parametrize("times", [0, 2])
def test_a_notebook_must_hold_the_set_up_line_once(times):
    with pytest.raises(ValueError, match=f"holds it {times} times"):
        bn.for_backend(notebook(*[code(SETUP) for _ in range(times)], code("print(1)")), "tensorflow")


def test_backend_specific_cells_run_uncompared_and_may_raise_only_on_their_backends():
    cells = [code(SETUP), code("a", backend_specific="the backend's name"), code("b", backend_specific={"torch": "x"})]
    on_tf, on_torch = (bn.for_backend(notebook(*cells), b)["cells"] for b in ("tensorflow", "torch"))
    assert on_tf[1]["metadata"]["tags"] == ["nbval-ignore-output", "raises-exception"]
    assert "tags" not in on_tf[2]["metadata"]  # compared on TensorFlow
    assert on_torch[2]["metadata"]["tags"] == ["nbval-ignore-output", "raises-exception"]
    assert "tags" not in on_tf[0]["metadata"]


@pytest.mark.parametrize(
    "mark, message",
    [
        ({"backend_specific": ""}, "must give a reason"),
        ({"backend_specific": {"jax": "x"}}, r"names \['jax'\]"),
        ({"backend_pending": ["torch"]}, "must be a reason"),
        ({"backend_specific": "x", "backend_pending": "y"}, "both backend-specific and pending"),
    ],
)
def test_a_malformed_mark_is_refused(mark, message):
    with pytest.raises(ValueError, match=message):
        bn.for_backend(notebook(code(SETUP), code("a", **mark)), "torch")


def test_pending_cells_become_strict_expected_failures_on_their_backend(monkeypatch):
    pending = SimpleNamespace(cell=code("a", backend_pending={"torch": "np.asarray fails"}), markers=[])
    plain = SimpleNamespace(cell=code("b"), markers=[])
    other = SimpleNamespace(markers=[])  # not a notebook cell
    for item in (pending, plain, other):
        item.add_marker = item.markers.append
    monkeypatch.setenv("EMBEDPOOL_BACKEND", "torch")
    bn.pytest_collection_modifyitems(None, [pending, plain, other])
    (mark,) = pending.markers
    assert mark.name == "xfail" and mark.kwargs["strict"] is True and "np.asarray fails" in mark.kwargs["reason"]
    assert plain.markers == other.markers == []
    pending.markers.clear()
    monkeypatch.setenv("EMBEDPOOL_BACKEND", "tensorflow")
    bn.pytest_collection_modifyitems(None, [pending])
    assert pending.markers == []


def test_the_plugin_needs_to_know_the_backend(monkeypatch):
    monkeypatch.delenv("EMBEDPOOL_BACKEND", raising=False)
    with pytest.raises(pytest.UsageError, match="set EMBEDPOOL_BACKEND"):
        bn.pytest_collection_modifyitems(None, [])


@pytest.mark.parametrize("backend", bn.BACKENDS)
def test_every_notebook_of_the_series_makes_a_copy(backend, tmp_path):
    written = bn.write_copies(backend, tmp_path)
    assert [p.name for p in written] == [p.name for p in bn.notebooks_checked()]
    assert {p.name for p in bn.notebooks_checked()} | set(bn.SKIPPED) == {
        p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")
    }
    for path in written:
        sources = [c["source"] for c in json.loads(path.read_text(encoding="utf-8"))["cells"]]
        assert sum(f'os.environ["KERAS_BACKEND"] = "{backend}"' in s for s in sources) == 1, path.name


def test_every_set_up_cell_is_marked_backend_specific():
    # it prints the backend's name; every other mark is checked against a real run by make test-backends
    for path in bn.notebooks_checked():
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        (setup,) = [c for c in cells if c["cell_type"] == "code" and bn.SETUP_LINE in "".join(c["source"])]
        assert all(bn.specific_reason(setup, b) for b in bn.BACKENDS), path.name
