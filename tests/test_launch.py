"""Will the series launch on Binder, and does every environment provide what the code imports?

Binder (repo2docker) solves environment.yml with conda-forge, copies the
repository, then runs postBuild. No Docker engine or conda channel is
available here, so these are the honest offline checks (the project's notes
on testing notebooks, "Binder / conda", say why): the files repo2docker reads
are well formed, nothing shadows them, postBuild installs the helper, every
module the helper package and the notebooks import is declared in *both*
environment.yml and pyproject.toml, and the README's launch badge opens an
existing notebook in JupyterLab. Optional imports (inside `if TYPE_CHECKING:`
or a `try:` that catches ImportError) are not required to be declared.
Whether conda-forge can solve the environment is only proven by a real
Binder build. That the two files list the same names and bounds is
tests/test_packaging.py's job.
"""

import ast
import importlib.metadata
import json
import os
import re
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from support import NOTEBOOK_PATHS, ROOT, conda_python, conda_requirements, environment, pyproject

HELPER_MODULES = sorted((ROOT / "embedpool_utils").rglob("*.py"))

# Top-level names that are neither the standard library nor third-party.
OWN_MODULES = {"embedpool_utils", "__future__"}

# Modules the notebooks may import without declaring their distribution,
# because a declared package always brings it along (checked against the
# installed metadata by test_provided_by_allow_list_is_true). Applies to the
# notebooks only: the helper package must declare everything it imports.
PROVIDED_BY = {
    "ipython": "ipykernel",  # `import IPython` in a notebook: the kernel is IPython
}

# Cell magics whose body is Python; any other cell magic (%%bash, %%html, …) is skipped.
PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun", "debug"}


# --- collecting imports ------------------------------------------------------


class _ImportCollector(ast.NodeVisitor):
    """Top-level names of absolute imports that run at run time, at any depth."""

    def __init__(self):
        self.names = set()

    def visit_Import(self, node):
        self.names.update(alias.name.split(".")[0] for alias in node.names)

    def visit_ImportFrom(self, node):
        if node.level == 0 and node.module:  # relative imports stay inside the package
            self.names.add(node.module.split(".")[0])

    def visit_Try(self, node):
        if any(_catches_import_error(h.type) for h in node.handlers):  # an optional import
            for child in node.handlers + node.orelse + node.finalbody:
                self.visit(child)
        else:
            self.generic_visit(node)

    def visit_If(self, node):
        test = node.test
        type_checking = (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
            isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
        )
        if type_checking:  # annotations only, never imported at run time
            for child in node.orelse:
                self.visit(child)
        else:
            self.generic_visit(node)


def _catches_import_error(kind):
    if isinstance(kind, ast.Tuple):
        return any(_catches_import_error(k) for k in kind.elts)
    return isinstance(kind, ast.Name) and kind.id in {"ImportError", "ModuleNotFoundError"}


def imports_in_source(source, filename="<source>"):
    tree = ast.parse(source, filename=filename)
    collector = _ImportCollector()
    collector.visit(tree)
    return collector.names


def python_of_cell(source):
    """The cell as plain Python: IPython magics, `!` shell lines and `obj?` help lines removed.

    A removed line becomes `pass` at its own indentation, so blocks stay valid.
    Returns None for a cell magic whose body is not Python (%%bash, %%html, …).
    """
    lines = source.splitlines()
    if lines and lines[0].lstrip().startswith("%%"):
        magic = lines[0].lstrip()[2:].split(maxsplit=1)
        if not magic or magic[0] not in PYTHON_CELL_MAGICS:
            return None
        lines = lines[1:]
    out = []
    for line in lines:
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)]
        if stripped.startswith(("%", "!")) or (stripped.endswith("?") and not stripped.startswith("#")):
            out.append(indent + "pass")
        else:
            # `files = !ls` and `t = %timeit -o f()` assign a magic's result
            out.append(re.sub(r"^(\s*[A-Za-z_][\w.]*\s*=\s*)[!%].*$", r"\1None", line))
    return "\n".join(out) + "\n"


def imports_in_notebook(path):
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    names = set()
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        python = python_of_cell(source)
        if python is None:
            continue
        try:
            names |= imports_in_source(python, filename=f"{Path(path).name}, code cell {index}")
        except SyntaxError:
            # A cell that demonstrates a SyntaxError on purpose; any other one is a real problem.
            if (
                "raises-exception" not in cell.get("metadata", {}).get("tags", [])
                and "NBVAL_RAISES_EXCEPTION" not in source
            ):
                raise
    return names


def imports_in_module(path):
    return imports_in_source(Path(path).read_text(encoding="utf-8"), filename=str(path))


def third_party(names):
    return {n for n in names if n not in sys.stdlib_module_names and n not in OWN_MODULES}


# --- what is declared ----------------------------------------------------------


def _names(requirement_lines):
    return {canonicalize_name(Requirement(line).name) for line in requirement_lines}


def declared_for_helper():
    return _names(pyproject()["project"]["dependencies"])


def declared_for_notebooks():
    project = pyproject()["project"]
    return _names(project["dependencies"]) | _names(project["optional-dependencies"]["notebooks"])


def declared_in_conda():
    """environment.yml's names in pip spelling (matplotlib-base -> matplotlib)."""
    return set(conda_requirements())


def undeclared(imports, declared, provided_by=None):
    """Messages for every import whose distribution is not in `declared`.

    `imports` maps a top-level module name to where it is imported. An import
    is satisfied when any distribution that provides it (per
    importlib.metadata.packages_distributions) is declared, or is in
    `provided_by` with its provider declared. A module no installed
    distribution provides cannot be checked, which is a failure too.
    """
    provided_by = provided_by or {}
    providers = importlib.metadata.packages_distributions()
    problems = []
    for module, where in sorted(imports.items()):
        dists = {canonicalize_name(d) for d in providers.get(module, [])}
        if not dists:
            problems.append(f"`import {module}` ({', '.join(sorted(where))}): no installed distribution provides it")
            continue
        if dists & declared or any(provided_by.get(d) in declared for d in dists):
            continue
        problems.append(
            f"`import {module}` ({', '.join(sorted(where))}) needs {' or '.join(sorted(dists))}, which is not declared"
        )
    return problems


def _collect(paths, reader):
    """{top-level third-party module: {files that import it}}"""
    found = {}
    for path in map(Path, paths):
        where = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)
        for module in third_party(reader(path)):
            found.setdefault(module, set()).add(where)
    return found


def helper_imports():
    return _collect(HELPER_MODULES, imports_in_module)


def notebook_imports():
    return _collect(NOTEBOOK_PATHS, imports_in_notebook)


# --- the collector itself -------------------------------------------------------


def _write_notebook(path, sources):
    cells = [
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": s} for s in sources
    ]
    cells.insert(0, {"cell_type": "markdown", "metadata": {}, "source": "import pandas  (prose, not code)"})
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    return path


def test_collector_reads_notebook_cells_and_skips_magics(tmp_path):
    nb = _write_notebook(
        tmp_path / "synthetic.ipynb",
        [
            "%matplotlib inline\nimport numpy as np\n!pip install whatever\n",
            ["import os, warnings\n", "from embedpool_utils import plotting\n", "import scipy.stats as st\n"],
            "for i in range(2):\n    %time np.zeros(i)\nfiles = !ls\nnp.mean?\n",
            "%%bash\nimport notpython\n",
            "%%time\nfrom keras import layers\n",
            "# NBVAL_RAISES_EXCEPTION\nimport jax +\n",
        ],
    )
    assert third_party(imports_in_notebook(nb)) == {"numpy", "scipy", "keras"}


def test_collector_reports_a_cell_that_does_not_parse(tmp_path):
    nb = _write_notebook(tmp_path / "broken.ipynb", ["import numpy as np\nnp.mean(\n"])
    with pytest.raises(SyntaxError, match=r"broken\.ipynb, code cell 1"):
        imports_in_notebook(nb)


def test_collector_reads_modules_at_any_depth_but_not_optional_imports(tmp_path):
    """`if TYPE_CHECKING:` imports never run; `try: import x / except ImportError` ones may fail."""
    module = tmp_path / "mod.py"
    module.write_text(
        "from __future__ import annotations\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import pandas\nelse:\n    import json\n"
        "from . import sibling\n"
        "try:\n    import torch\nexcept (ModuleNotFoundError, RuntimeError):\n    torch = None\n"
        "try:\n    import yaml\nexcept ValueError:\n    pass\n"
        "def draw():\n    import matplotlib.pyplot as plt\n    from ipywidgets import IntSlider\n",
        encoding="utf-8",
    )
    assert third_party(imports_in_module(module)) == {"matplotlib", "ipywidgets", "yaml"}


def test_an_undeclared_import_is_reported(tmp_path):
    """The check can fail: scipy is installed (jax needs it) but neither file declares it."""
    nb = _write_notebook(tmp_path / "uses_scipy.ipynb", ["import numpy as np\nimport scipy\n"])
    found = _collect([nb], imports_in_notebook)
    assert undeclared(found, declared_for_notebooks()) == [
        "`import scipy` (" + str(nb) + ") needs scipy, which is not declared"
    ]
    assert undeclared(found, declared_in_conda())
    missing = undeclared({"surely_not_installed_xyz": {"x.py"}}, declared_for_notebooks())
    assert missing and "no installed distribution provides it" in missing[0]


def test_allow_list_only_counts_when_the_provider_is_declared():
    found = {"IPython": {"nb.ipynb"}}
    assert undeclared(found, {"ipykernel"}, PROVIDED_BY) == []
    assert undeclared(found, {"ipykernel"}) != []  # without the allow-list it must be declared
    assert undeclared(found, {"numpy"}, PROVIDED_BY) != []


@pytest.mark.parametrize("module, provider", sorted(PROVIDED_BY.items()))
def test_provided_by_allow_list_is_true(module, provider):
    """Each allow-listed distribution really is a (non-optional) requirement of its provider."""
    required = [Requirement(r) for r in importlib.metadata.requires(provider) or []]
    assert any(
        canonicalize_name(r.name) == module and (r.marker is None or r.marker.evaluate({"extra": ""})) for r in required
    )


# --- the real imports ----------------------------------------------------------------


def test_collectors_see_the_real_imports():
    """Guards against a collector that silently finds nothing."""
    assert NOTEBOOK_PATHS and HELPER_MODULES
    assert {"numpy", "keras", "jax"} <= set(notebook_imports())
    assert {"numpy", "matplotlib", "ipywidgets"} <= set(helper_imports())


def test_helper_imports_are_declared_in_pyproject_dependencies():
    """`pip install embedpool-utils` (no extras) must give every module the helper imports."""
    assert undeclared(helper_imports(), declared_for_helper()) == []


def test_helper_imports_are_declared_in_environment_yml():
    assert undeclared(helper_imports(), declared_in_conda()) == []


def test_notebook_imports_are_declared_in_pyproject():
    """Declared in [project] dependencies or the `notebooks` extra (not `test`: learners don't install it)."""
    assert undeclared(notebook_imports(), declared_for_notebooks(), PROVIDED_BY) == []


def test_notebook_imports_are_declared_in_environment_yml():
    assert undeclared(notebook_imports(), declared_in_conda(), PROVIDED_BY) == []


# --- what repo2docker reads ----------------------------------------------------------


def test_environment_yml_uses_conda_forge_and_pins_an_allowed_python():
    """conda-forge first, and an exact `python=3.N` entry (without a pin repo2docker warns and picks its
    own default) that pyproject's requires-python admits."""
    assert environment()["channels"][0] == "conda-forge"
    pythons = [d for d in environment()["dependencies"] if isinstance(d, str) and re.match(r"python\s*($|[=<>!~ ])", d)]
    assert len(pythons) == 1 and re.fullmatch(r"python=3\.\d+", pythons[0]), pythons
    assert SpecifierSet(pyproject()["project"]["requires-python"]).contains(conda_python() + ".0")


def test_environment_yml_provides_pip_for_postbuild():
    assert "pip" in {re.split(r"[\s=<>!~]", d)[0] for d in environment()["dependencies"] if isinstance(d, str)}


def test_postbuild_installs_the_helper_and_stops_on_error():
    """An executable bash script that stops on error and installs the helper without re-solving its dependencies."""
    post_build = ROOT / "postBuild"
    assert os.access(post_build, os.X_OK), "postBuild must be executable for repo2docker"
    lines = post_build.read_text(encoding="utf-8").splitlines()
    assert re.fullmatch(r"#!\s*(/usr)?/bin/(env\s+)?bash", lines[0].strip()), f"postBuild shebang: {lines[0]!r}"
    set_e = next((i for i, line in enumerate(lines) if re.match(r"\s*set\s+-[a-z]*e", line)), None)
    assert set_e is not None, "postBuild must `set -e` (or -euo pipefail) so a failed install fails the Binder build"
    pip = next((i for i, line in enumerate(lines) if re.search(r"pip install --no-deps -e \.(\s|$)", line)), None)
    assert pip is not None, "postBuild must `pip install --no-deps -e .` (conda already provides the dependencies)"
    assert set_e < pip, "`set -e` must come before the install"
    subprocess.run(["bash", "-n", str(post_build)], check=True)


def test_nothing_shadows_the_root_configuration():
    """repo2docker prefers binder/ or .binder/ over the root files, and a Dockerfile over everything."""
    for shadow in ("binder", ".binder", "Dockerfile"):
        assert not (ROOT / shadow).exists(), f"{shadow} would make repo2docker ignore environment.yml/postBuild"


# --- the README's launch badge -------------------------------------------------------------

BINDER_LINK = re.compile(r"https?://mybinder\.org/[^\s)\]\"'<>]+")


def mybinder_urls():
    return BINDER_LINK.findall((ROOT / "README.md").read_text(encoding="utf-8"))


def binder_links():
    """The launch links (the badge's target), not the badge image."""
    return [u for u in mybinder_urls() if urllib.parse.urlsplit(u).path.startswith("/v2/")]


def test_readme_has_a_binder_launch_link():
    assert binder_links(), "README.md has no mybinder.org/v2/... launch link"


def test_every_mybinder_url_is_a_badge_image_or_a_launch_link():
    others = [u for u in mybinder_urls() if u not in binder_links() and not u.endswith((".svg", ".png"))]
    assert not others, f"mybinder.org links that are neither a badge image nor a /v2/ launch link: {others}"


@pytest.mark.parametrize("url", binder_links() or ["<none>"])
def test_binder_link_opens_an_existing_notebook_in_jupyterlab(url):
    parts = urllib.parse.urlsplit(url)
    segments = parts.path.split("/")
    assert len(segments) == 6 and segments[1:3] == ["v2", "gh"] and all(segments[3:]), (
        f"{url}: expected https://mybinder.org/v2/gh/<owner>/<repo>/<ref>"
    )
    query = urllib.parse.parse_qs(parts.query)
    assert set(query) == {"urlpath"} and len(query["urlpath"]) == 1, f"{url}: expected exactly one urlpath=lab/tree/..."
    match = re.fullmatch(r"/?lab/tree/(notebooks/[^/]+\.ipynb)", query["urlpath"][0])
    assert match, f"{url}: urlpath should be lab/tree/notebooks/<file>.ipynb (JupyterLab, not the classic tree)"
    assert (ROOT / match.group(1)).is_file(), f"{url}: {match.group(1)} does not exist"


def test_binder_links_agree_on_the_repository():
    repos = {tuple(urllib.parse.urlsplit(u).path.split("/")[3:5]) for u in binder_links()}
    assert len(repos) <= 1, f"Binder links point at different repositories: {sorted(repos)}"
