"""The two environments the Makefile builds, and how `make lab` starts JupyterLab.

A learner's environment (`make lab`) holds what the notebooks need and no test
tooling; `make test` adds the rest. `make lab` passes `--allow-root` only when
run as root (JupyterLab refuses root otherwise), and passes `LAB_ARGS` on.
What make would run is read from `make -n` (a dry run), so nothing is
installed or started here.
"""

import os
import shlex
import shutil
import subprocess
import tempfile
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from support import ROOT

# psutil and pyyaml are not here: JupyterLab itself brings them.
TEST_TOOLING = {"pytest", "hypothesis", "nbval", "playwright", "sphinx-revealjs", "sphinx"}

MAKE_VARIABLES = {
    "MAKEFLAGS",
    "MAKELEVEL",
    "MFLAGS",
    "MAKEOVERRIDES",
    "PYTHON",
    "VENV",
    "CONSTRAINTS",
    "LAB_EXTRAS",
    "TEST_EXTRAS",
    "LAB_ARGS",
    "PYTEST_FLAGS",
}

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def dry_run(*args, cwd=ROOT, user=None):
    """The commands `make -n ARGS` would run, one per line, with a venv path that does not exist."""
    command = ["make", "--no-print-directory", "-n", *args, "VENV=/nonexistent/venv"]
    if user is not None:
        command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *command]
    # The Makefile's own defaults: nothing from a calling make (`make latest` exports CONSTRAINTS=...).
    env = {name: value for name, value in os.environ.items() if name not in MAKE_VARIABLES}
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def the_line(lines, words):
    found = [line for line in lines if words in line]
    assert len(found) == 1, f"expected one line with {words!r} in:\n" + "\n".join(lines)
    return shlex.split(found[0])


def installed_extras(lines):
    """The extras of every `pip install -e .[...]` line."""
    return [
        arg.split("[", 1)[1].rstrip("]").split(",")
        for line in lines
        if "pip install" in line
        for arg in shlex.split(line)
        if arg.startswith(".[")
    ]


# ---------------------------------------------------------------- what each command installs


def test_make_lab_installs_only_the_notebooks_extra():
    assert installed_extras(dry_run("lab")) == [["notebooks"]]


def test_make_test_adds_the_test_tooling_and_sets_up_reveal_js():
    lines = dry_run("test")
    assert installed_extras(lines) == [["notebooks", "test", "browser"]]
    assert any("build_slides.py --install-reveal" in line for line in lines)


def test_make_site_adds_the_site_extra_to_the_learner_environment_only():
    """Building the site needs Sphinx and MyST-NB, not pytest or Playwright."""
    assert installed_extras(dry_run("site")) == [["notebooks"], ["notebooks", "site"]]


def test_make_test_site_has_the_test_tooling_and_the_site_extra():
    extras = {extra for line in installed_extras(dry_run("test-site")) for extra in line}
    assert {"notebooks", "test", "browser", "site"} <= extras
    assert the_line(dry_run("test-site"), "pytest")[-1] == "tests/site"


def test_make_clean_removes_what_the_targets_make():
    removed = set(the_line(dry_run("clean"), "rm -rf"))
    assert {"/nonexistent/venv", ".venv-latest", "build", "slides", "node_modules", "artifacts"} <= removed


def requirements_of(name, extras=()):
    """Requirements of an installed distribution that apply here, with the given extras."""
    found = []
    for line in metadata.distribution(name).requires or []:
        requirement = Requirement(line)
        if requirement.marker is None or any(requirement.marker.evaluate({"extra": e}) for e in ("", *extras)):
            found.append(requirement)
    return found


def closure(name, extras=()):
    """Every distribution that installing name[extras] brings, by name."""
    seen, todo = set(), [(name, tuple(extras))]
    while todo:
        current, current_extras = todo.pop()
        for requirement in requirements_of(current, current_extras):
            key = canonicalize_name(requirement.name)
            if key not in seen:
                seen.add(key)
                todo.append((key, tuple(requirement.extras)))
    return seen


def test_the_learner_environment_holds_no_test_tooling():
    learner = closure("embedpool-utils", ["notebooks"])
    assert {"jupyterlab", "keras", "jax", "numpy", "matplotlib", "ipywidgets"} <= learner
    assert not learner & TEST_TOOLING, sorted(learner & TEST_TOOLING)


def test_the_test_environment_has_the_tooling():
    assert {"pytest", "nbval", "hypothesis", "playwright"} <= closure(
        "embedpool-utils", ["notebooks", "test", "browser"]
    )


# ---------------------------------------------------------------- make lab as root and as a user


def test_make_lab_allows_root_exactly_when_run_as_root():
    jupyter = the_line(dry_run("lab"), "jupyter lab")
    assert ("--allow-root" in jupyter) == (os.geteuid() == 0)
    assert jupyter[-1] == "notebooks/"


def test_make_lab_passes_lab_args_through():
    jupyter = the_line(dry_run("lab", "LAB_ARGS=--no-browser --port=8899"), "jupyter lab")
    assert "--no-browser" in jupyter and "--port=8899" in jupyter
    assert jupyter[-1] == "notebooks/"


@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("setpriv") is None, reason="needs root and setpriv to act as a user"
)
def test_make_lab_as_a_normal_user_does_not_pass_allow_root():
    # A world-readable copy of what the Makefile reads, since the checkout may sit in root's home.
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)
        for name in ("Makefile", "pyproject.toml", "requirements/constraints.txt", "tools/build_slides.py"):
            (Path(tmp) / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / name, Path(tmp) / name)
        subprocess.run(["chmod", "-R", "a+rX", tmp], check=True)
        jupyter = the_line(dry_run("lab", cwd=tmp, user=65534), "jupyter lab")
    assert "--allow-root" not in jupyter


# ---------------------------------------------------------------- pins for every Python they claim


def test_every_installed_pin_supports_each_python_release_its_marker_admits():
    """A pin marked `python_version >= "3.11"` must install on 3.11.0 too, not only on the newest 3.11.

    (soupsieve 4.1.3 needs Python >= 3.11.5: pinned for every 3.11, it broke
    `make lab` on Debian 12's Python 3.11.2.) Checked for the distributions
    installed here, from their Requires-Python.
    """
    import platform
    import sys

    from packaging.markers import default_environment
    from packaging.specifiers import SpecifierSet

    pins = [
        Requirement(line)
        for line in (ROOT / "requirements/constraints.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    major, minor = sys.version_info[:2]
    problems = []
    for pin in pins:
        (version,) = [spec.version for spec in pin.specifier]
        try:
            installed = metadata.distribution(pin.name)
        except metadata.PackageNotFoundError:
            continue
        requires_python = installed.metadata.get("Requires-Python")
        if installed.version != version or not requires_python:
            continue
        for patch in range(0, int(platform.python_version_tuple()[2]) + 1):
            release = f"{major}.{minor}.{patch}"
            environment = {
                **default_environment(),
                "python_version": f"{major}.{minor}",
                "python_full_version": release,
            }
            admitted = pin.marker is None or pin.marker.evaluate(environment)
            if admitted and not SpecifierSet(requires_python).contains(release):
                problems.append(f"{pin} is pinned for Python {release}, but needs Python {requires_python}")
                break
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- make lint, and what CI runs


def test_make_lint_runs_ruff_and_mypy_without_rewriting_anything():
    """make lint checks (ruff check, ruff format --check, mypy) in the test environment; it never rewrites a file."""
    lines = dry_run("lint")
    assert installed_extras(lines) == [["notebooks", "test", "browser"]]  # the test extra holds the checkers
    tools = [shlex.split(line) for line in lines if line.startswith("/nonexistent/venv/bin/") and "pip" not in line]
    assert [[Path(tool[0]).name, *tool[1:]] for tool in tools] == [
        ["ruff", "check", "."],
        ["ruff", "format", "--check", "."],
        ["mypy"],
    ]


def test_ci_runs_every_check_and_names_no_machine_specific_python_path():
    text = (ROOT / ".ci" / "run").read_text()
    commands = [line.split("#")[0].strip() for line in text.splitlines()]
    for target in ("lint", "test", "test-browser", "fresh-install", "test-site"):
        assert f"make {target}" in commands, target
    for script in (ROOT / ".ci" / "run", ROOT / "tools" / "update_constraints.sh"):
        text = script.read_text()
        assert "/root/" not in text and ".pyenv/versions" not in text, script
