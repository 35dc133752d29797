"""The two ways to install (pip with pyproject.toml, conda with environment.yml) must agree."""

import subprocess
import sys

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from support import ROOT, conda_python, conda_requirements, pyproject

# Extras that environment.yml does not carry: the browser test needs Debian's
# chromium as well, which conda does not provide for Binder, and the static
# site is built by maintainers and CI, never inside a Binder session.
NOT_IN_CONDA = {"browser", "site"}


def pip_requirements():
    project = pyproject()["project"]
    lines = list(project["dependencies"])
    for extra, deps in project["optional-dependencies"].items():
        if extra not in NOT_IN_CONDA:
            lines += deps
    return {
        canonicalize_name(r.name): r.specifier
        for r in map(Requirement, lines)
        # e.g. tomli, needed only below Python 3.11: not for the Python that environment.yml pins
        if r.marker is None or r.marker.evaluate({"python_version": conda_python()})
    }


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


def test_import_loads_numpy_only():
    """`import embedpool_utils` loads neither the heavy libraries nor the exercise bank (loaded on first check)."""
    code = (
        "import sys, embedpool_utils, embedpool_utils.exercises, embedpool_utils.plotting\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in {'matplotlib', 'ipywidgets', 'keras', 'jax', 'IPython'}\n"
        "               or m.startswith('embedpool_utils.exercise_bank'))\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_every_submodule_is_reachable_as_an_attribute():
    """`ep.<name>` works for every module of the package, and names only modules that exist.

    ``__main__`` (the command line, ``python -m embedpool_utils``) is a program, not an attribute.
    """
    import embedpool_utils as ep

    modules = {p.stem for p in (ROOT / "embedpool_utils").glob("*.py") if p.stem not in ("__init__", "__main__")}
    modules |= {p.parent.name for p in (ROOT / "embedpool_utils").glob("*/__init__.py")}
    assert set(ep.SUBMODULES) == modules
    for name in sorted(modules):
        assert getattr(ep, name).__name__ == f"embedpool_utils.{name}"


def test_pyproject_ships_every_subpackage():
    """A non-editable install (pip install ., Binder's postBuild aside) must contain the exercise bank too."""
    listed = set(pyproject()["tool"]["setuptools"]["packages"])  # the list form; a find: table needs a new check
    subpackages = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "embedpool_utils").rglob("__init__.py")}
    assert subpackages <= listed, f"not shipped: {sorted(subpackages - listed)}"


HELPER_MODULES = sorted((ROOT / "embedpool_utils").rglob("*.py"))


@pytest.mark.parametrize("path", HELPER_MODULES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_each_module_states_its_one_job_and_stays_small(path):
    import ast

    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    docstring = ast.get_docstring(tree)
    assert docstring and docstring.splitlines()[0].strip(), "the first docstring line states the module's job"
    assert len(text.splitlines()) <= 400, "split a module that passes about 400 lines by job"
    private = [f"{node.module}.{alias.name}" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
               and (node.module or "").startswith("embedpool_utils") for alias in node.names
               if alias.name.startswith("_") and alias.name != "__future__"]
    assert not private, f"imports another module's private names: {private}"
