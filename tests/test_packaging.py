"""The two ways to install (pip with pyproject.toml, conda with environment.yml) must agree."""

import os
import re
import subprocess
import sys

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from conftest import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

# conda-forge splits matplotlib; the "-base" package is the library without a GUI toolkit.
CONDA_TO_PIP = {"matplotlib-base": "matplotlib"}
# Extras that environment.yml does not carry: the browser test needs Debian's
# chromium as well, which conda does not provide for Binder.
NOT_IN_CONDA = {"browser"}


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def pip_requirements():
    project = pyproject()["project"]
    lines = list(project["dependencies"])
    for extra, deps in project["optional-dependencies"].items():
        if extra not in NOT_IN_CONDA:
            lines += deps
    conda_python = _conda_python()
    return {
        canonicalize_name(r.name): r.specifier
        for r in map(Requirement, lines)
        # e.g. tomli, needed only below Python 3.11: not for the Python that environment.yml pins
        if r.marker is None or r.marker.evaluate({"python_version": conda_python})
    }


def _conda_python():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    (python,) = [d for d in env["dependencies"] if isinstance(d, str) and re.fullmatch(r"python\s*=.*", d)]
    return python.split("=", 1)[1].strip()


def conda_requirements():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    found = {}
    for item in env["dependencies"]:
        assert isinstance(item, str), f"unexpected nested entry {item!r} in environment.yml"
        name, spec = re.fullmatch(r"([A-Za-z0-9_.\-]+)\s*(.*)", item).groups()
        if name in {"python", "pip"}:
            continue
        found[canonicalize_name(CONDA_TO_PIP.get(name, name))] = SpecifierSet(spec.replace(" ", ""))
    return found


def test_environment_yml_uses_conda_forge_and_pins_python():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"][0] == "conda-forge"
    python = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python")]
    assert len(python) == 1
    version = python[0].split("=", 1)[1]
    assert SpecifierSet(pyproject()["project"]["requires-python"]).contains(version + ".0")


def test_same_dependency_names():
    assert sorted(conda_requirements()) == sorted(pip_requirements())


@pytest.mark.parametrize("name", sorted(pip_requirements()))
def test_same_version_bounds(name):
    assert conda_requirements()[name] == pip_requirements()[name], (
        f"{name}: environment.yml says {conda_requirements()[name]}, pyproject.toml says {pip_requirements()[name]}"
    )


def test_pinned_versions_satisfy_the_declared_bounds():
    """requirements/constraints.txt (what CI installs) must lie inside pyproject's bounds."""
    declared = pip_requirements()
    project = pyproject()["project"]
    for extra in NOT_IN_CONDA:
        declared.update({canonicalize_name(r.name): r.specifier for r in map(Requirement, project["optional-dependencies"][extra])})
    pins = [Requirement(line) for line in (ROOT / "requirements/constraints.txt").read_text().splitlines() if line and not line.startswith("#")]
    checked = set()
    for pin in pins:
        name = canonicalize_name(pin.name)
        if name in declared and (pin.marker is None or pin.marker.evaluate()):
            (version,) = [s.version for s in pin.specifier]
            assert declared[name].contains(version), f"{name}=={version} is outside {declared[name]}"
            checked.add(name)
    assert checked == set(declared), f"not pinned: {sorted(set(declared) - checked)}"


def test_postbuild_installs_the_helper_without_dependencies():
    post_build = ROOT / "postBuild"
    assert os.access(post_build, os.X_OK), "postBuild must be executable for repo2docker"
    assert re.search(r"pip install --no-deps -e \.(\s|$)", post_build.read_text())


def test_import_loads_neither_matplotlib_nor_ipywidgets():
    code = (
        "import sys, embedpool_utils, embedpool_utils.exercises\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in {'matplotlib', 'ipywidgets', 'keras', 'jax'})\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
