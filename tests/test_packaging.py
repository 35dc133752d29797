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
    """pyproject's requirements that environment.yml must carry too, {name: specifier}."""
    project = pyproject()["project"]
    lines = list(project["dependencies"])
    for extra, deps in project["optional-dependencies"].items():
        if extra not in NOT_IN_CONDA:
            lines += deps
    return {
        canonicalize_name(r.name): r.specifier
        for r in map(Requirement, lines)
        # a requirement marked for another Python than the one environment.yml pins is not conda's
        if r.marker is None or r.marker.evaluate({"python_version": conda_python()})
    }


def all_declared():
    """Every requirement pyproject.toml declares, with every extra, {name: specifier}."""
    project = pyproject()["project"]
    lines = list(project["dependencies"])
    for deps in project["optional-dependencies"].values():
        lines += deps
    return {canonicalize_name(r.name): r.specifier for r in map(Requirement, lines)}


def pinned_versions():
    """requirements/constraints.txt (what make test and CI install) for this Python, {name: version}."""
    pins = {}
    for line in (ROOT / "requirements/constraints.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            pin = Requirement(line)
            if pin.marker is None or pin.marker.evaluate():
                (version,) = [s.version for s in pin.specifier]
                pins[canonicalize_name(pin.name)] = version
    return pins


def test_same_dependency_names():
    assert sorted(conda_requirements()) == sorted(pip_requirements())


@pytest.mark.parametrize("name", sorted(pip_requirements()))
def test_same_version_bounds(name):
    assert conda_requirements()[name] == pip_requirements()[name], (
        f"{name}: environment.yml says {conda_requirements()[name]}, pyproject.toml says {pip_requirements()[name]}"
    )


def bound_problems(declared: dict, pins: dict) -> list[str]:
    """What is wrong with the declared bounds, given the tested pins.

    Each declared requirement is pinned, its pin lies inside the bounds, and its
    lower bound (``>=``) is the pinned version itself: an older release is never
    run by the tests, so no file may admit it (environment.yml follows pyproject).
    """
    problems = []
    for name, specifier in sorted(declared.items()):
        if name not in pins:
            problems.append(f"{name} is declared but not pinned in requirements/constraints.txt")
            continue
        lower = [s.version for s in specifier if s.operator == ">="]
        if lower != [pins[name]]:
            problems.append(f"{name}: the lower bound {specifier} is not >={pins[name]}, the tested pin")
        elif not specifier.contains(pins[name]):
            problems.append(f"{name}=={pins[name]} is outside {specifier}")
    return problems


def test_every_lower_bound_is_the_tested_pin():
    assert bound_problems(all_declared(), pinned_versions()) == []


def test_the_bound_check_can_fail():
    from packaging.specifiers import SpecifierSet

    pins = {"numpy": "2.4.6", "keras": "3.15.1", "jax": "0.10.2"}
    assert bound_problems({"numpy": SpecifierSet(">=2.4.6,<3")}, pins) == []
    assert bound_problems(
        {
            "numpy": SpecifierSet(">=2.0,<3"),
            "keras": SpecifierSet("<4"),
            "jax": SpecifierSet(">=0.10.2,<0.10"),
            "x": SpecifierSet(">=1"),
        },
        pins,
    ) == [
        "jax==0.10.2 is outside <0.10,>=0.10.2",
        "keras: the lower bound <4 is not >=3.15.1, the tested pin",
        "numpy: the lower bound <3,>=2.0 is not >=2.4.6, the tested pin",
        "x is declared but not pinned in requirements/constraints.txt",
    ]


def test_requires_python_is_the_python_of_the_pins_and_of_binder():
    """One Python line: the pins are resolved for the oldest Python admitted, which Binder's environment pins."""
    requires = pyproject()["project"]["requires-python"]
    assert requires == f">={conda_python()}", f"requires-python {requires}, environment.yml python={conda_python()}"
    header = (ROOT / "requirements/constraints.txt").read_text().splitlines()[0]
    assert f"Python {conda_python()} and newer" in header, header


def test_import_loads_numpy_only():
    """`import embedpool_utils` loads neither the heavy libraries nor the exercise bank (loaded on first check)."""
    code = (
        "import sys, embedpool_utils, embedpool_utils.exercises, embedpool_utils.plotting\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in {'matplotlib', 'ipywidgets', 'keras', 'jax', 'IPython'}\n"
        "               or m.startswith('embedpool_utils.exercises.nb'))\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_every_public_name_resolves():
    """Each name in ``ep.__all__`` works as ``ep.<name>``; a module named there is the package's own."""
    import types

    import embedpool_utils as ep

    for name in ep.__all__:
        value = getattr(ep, name)
        if isinstance(value, types.ModuleType):
            assert value.__name__ == f"embedpool_utils.{name}"
    with pytest.raises(AttributeError, match="no attribute 'validaton'"):
        ep.validaton  # noqa: B018  (a typo is an AttributeError, not a silent import)


def test_every_subpackage_lists_what_it_offers():
    """Each subpackage's ``__all__`` names things it really has (a stale name fails here)."""
    import importlib

    for init in sorted((ROOT / "embedpool_utils").glob("*/__init__.py")):
        package = importlib.import_module(f"embedpool_utils.{init.parent.name}")
        assert package.__all__, f"{package.__name__} has an empty __all__"
        for name in package.__all__:
            assert hasattr(package, name) or importlib.util.find_spec(f"{package.__name__}.{name}"), (
                f"{package.__name__}.__all__ names {name!r}, which it does not have"
            )


def test_pyproject_ships_every_subpackage():
    """A non-editable install (pip install ., Binder's postBuild aside) must contain the exercise bank too."""
    listed = set(pyproject()["tool"]["setuptools"]["packages"])  # the list form; a find: table needs a new check
    subpackages = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "embedpool_utils").rglob("__init__.py")}
    assert subpackages <= listed, f"not shipped: {sorted(subpackages - listed)}"


HELPER_MODULES = sorted((ROOT / "embedpool_utils").rglob("*.py"))


@pytest.mark.parametrize("path", HELPER_MODULES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_each_module_states_its_one_job(path):
    import ast

    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    docstring = ast.get_docstring(tree)
    assert docstring and docstring.splitlines()[0].strip(), "the first docstring line states the module's job"
    private = [
        f"{node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("embedpool_utils")
        for alias in node.names
        if alias.name.startswith("_") and alias.name != "__future__"
    ]
    assert not private, f"imports another module's private names: {private}"


# The helper's layers, lowest first: a module imports only from its own layer or from lower ones,
# so wording sits below everything that words a message and the numeric core knows no figure.
LAYERS = (
    {"plain_text", "optional_keras"},
    {"validation"},
    {"shapes"},
    {
        "core",
        "error_lines",
        "summary_tables",
        "pytorch_standins",
        "bad_id_outcomes",
        "recorded_backends",
        "mask_support",
    },
    {"experiments", "inspector"},
    {"plotting"},
    {"explorers"},
    {"exercises"},
)


def layer_of(module: str) -> int:
    """The layer of ``embedpool_utils.<part>...``; the package's ``__init__`` and ``__main__`` stand above all."""
    part = module.split(".")[1] if module.count(".") else ""
    for level, names in enumerate(LAYERS):
        if part in names:
            return level
    if part in ("", "__main__"):
        return len(LAYERS)
    raise AssertionError(f"{module} is in no layer of LAYERS: place it there")


@pytest.mark.parametrize("path", HELPER_MODULES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_module_imports_from_a_layer_above_it(path):
    import ast

    parts = path.relative_to(ROOT).with_suffix("").parts
    module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("embedpool_utils.")
    }
    imported |= {
        f"{node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "embedpool_utils"
        for alias in node.names
    }
    upward = sorted(name for name in imported if layer_of(name) > layer_of(module))
    assert not upward, f"{module} (layer {layer_of(module)}) imports from above it: {upward}"


def test_the_layer_check_can_fail():
    assert layer_of("embedpool_utils.core") < layer_of("embedpool_utils.plotting.style")
    with pytest.raises(AssertionError, match="in no layer"):
        layer_of("embedpool_utils.somewhere_new")
