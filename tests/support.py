"""What several test modules need: where things are, and the two environment files read once.

Test modules import from here (``from support import NOTEBOOK_PATHS``), never
from ``conftest`` or from each other: pytest loads each ``conftest.py`` under
the same module name, so importing one of them by name is fragile.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS_DIR = ROOT / "notebooks"
# Every notebook of the series. test_notebook_hygiene checks that each is named NN_slug.ipynb.
NOTEBOOK_PATHS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
# The notebooks with an explorer (numbers 01-04).
CORE_NOTEBOOK_PATHS = [p for p in NOTEBOOK_PATHS if p.name[:2] in {"01", "02", "03", "04"}]

# pytest.mark.parametrize over every notebook, with the file name as the test id.
each_notebook = pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=[p.name for p in NOTEBOOK_PATHS])

# How both real-browser tests (JupyterLab in tests/browser, the static site in
# tests/site) start Debian's chromium: headless, and with the background
# services off, whose connections this machine's closed network would refuse.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# conda-forge splits matplotlib; the "-base" package is the library without a GUI toolkit.
CONDA_TO_PIP = {"matplotlib-base": "matplotlib"}


def pyproject() -> dict:
    """pyproject.toml, parsed."""
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def environment() -> dict:
    """environment.yml (what Binder's conda reads), parsed."""
    return yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))


def conda_python() -> str:
    """The Python version environment.yml pins, e.g. "3.11"."""
    (python,) = [d for d in environment()["dependencies"] if isinstance(d, str) and re.fullmatch(r"python\s*=.*", d)]
    return python.split("=", 1)[1].strip()


def conda_requirements() -> dict[str, SpecifierSet]:
    """environment.yml's packages in pip spelling (matplotlib-base -> matplotlib), without python and pip."""
    found = {}
    for item in environment()["dependencies"]:
        assert isinstance(item, str), f"unexpected nested entry {item!r} in environment.yml"
        name, spec = re.fullmatch(r"([A-Za-z0-9_.\-]+)\s*(.*)", item).groups()
        if name in {"python", "pip"}:
            continue
        found[canonicalize_name(CONDA_TO_PIP.get(name, name))] = SpecifierSet(spec.replace(" ", ""))
    return found
