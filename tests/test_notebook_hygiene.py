"""Static checks of every notebook in notebooks/: structure, stored outputs, portability.

nbval (run by the same `make test`) proves that the stored outputs are what the
code prints today; these tests prove that there *are* outputs to compare, and
that each notebook has the shape of a lesson.
"""

import base64
import json
import re

import pytest

from support import NOTEBOOK_PATHS, ROOT, each_notebook

MAX_PNG_BYTES = 120_000
MAX_NOTEBOOK_BYTES = 1_500_000


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell):
    return "".join(cell["source"])


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def markdown(nb):
    return "\n".join(source(c) for c in nb["cells"] if c["cell_type"] == "markdown")


def expected_to_raise(cell):
    return "NBVAL_RAISES_EXCEPTION" in source(cell) or "raises-exception" in cell.get("metadata", {}).get("tags", [])


def output_text(cell):
    parts = []
    for out in cell.get("outputs", []):
        parts.append("".join(out.get("text", "")))
        for mime, value in out.get("data", {}).items():
            if mime.startswith("text/"):
                parts.append("".join(value))
        parts.append(out.get("evalue", ""))
    return "\n".join(parts)


def test_notebook_names_are_numbered_and_unique():
    numbers = []
    for path in NOTEBOOK_PATHS:
        match = re.fullmatch(r"(\d\d)_[a-z0-9_]+\.ipynb", path.name)
        assert match, f"{path.name} should be named NN_slug.ipynb"
        numbers.append(match.group(1))
    assert len(numbers) == len(set(numbers))


def test_readme_lists_every_notebook_and_only_those():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The notebooks", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"notebooks/(\d\d_[a-z0-9_]+\.ipynb)", section))
    assert listed == {p.name for p in NOTEBOOK_PATHS}


@each_notebook
def test_opens_like_a_lesson(path):
    nb = load(path)
    first = source(nb["cells"][0])
    assert nb["cells"][0]["cell_type"] == "markdown" and re.match(r"#\s+\S", first), "start with a '# Title' cell"
    opening = "\n".join(source(c) for c in nb["cells"][:3] if c["cell_type"] == "markdown").lower()
    for heading in ("learning objectives", "prerequisites", "time"):
        assert heading in opening, f"the opening cells should state the {heading}"
    assert re.search(r"\d+\s*(min|minutes)", opening), "give a time estimate in minutes"
    assert "the question" in opening, "say which question the notebook answers"


@each_notebook
def test_ends_with_key_points_and_checkable_exercises(path):
    nb = load(path)
    text = markdown(nb).lower()
    assert "key points" in text
    assert "exercise" in text
    assert "<details" in text, "each exercise needs a solution the learner can reveal"
    checks = [c for c in code_cells(nb) if re.search(r"\bcheck\(", source(c))]
    assert len(checks) >= 2, "at least two exercises that a learner checks by running a cell"


@each_notebook
def test_every_code_cell_was_run_in_order_from_a_fresh_kernel(path):
    counts = [c["execution_count"] for c in code_cells(load(path)) if source(c).strip()]
    assert None not in counts, "store outputs from a full run: an unrun cell is not checked by nbval"
    assert counts == list(range(1, len(counts) + 1)), "re-run top to bottom in a fresh kernel"


@each_notebook
def test_has_stored_outputs_and_figures(path):
    cells = code_cells(load(path))
    assert sum(bool(c["outputs"]) for c in cells) >= len(cells) // 2
    images = [o for c in cells for o in c["outputs"] if "image/png" in o.get("data", {})]
    assert images, "at least one figure"


@each_notebook
def test_no_unexpected_errors_and_expected_errors_are_tagged(path):
    for cell in code_cells(load(path)):
        errors = [o for o in cell["outputs"] if o["output_type"] == "error"]
        if expected_to_raise(cell):
            assert errors, "a cell marked to raise must store its error"
            # JupyterLab's "Run All" stops at an error unless the cell has the tag.
            assert "raises-exception" in cell["metadata"].get("tags", []), "use the raises-exception tag"
        else:
            assert not errors, f"unexpected error in cell: {source(cell)[:80]!r}"


@each_notebook
def test_no_stderr_noise_addresses_or_absolute_paths(path):
    for cell in code_cells(load(path)):
        text = output_text(cell)
        assert "ipykernel_" not in text, "a displayed warning carries a temp path and breaks strict nbval"
        assert not re.search(r" at 0x[0-9a-f]+", text), "memory addresses change every run"
        for stream in cell["outputs"]:
            if stream.get("name") == "stderr":
                pytest.fail(f"stderr output (warnings/log noise) in cell {source(cell)[:60]!r}")
        for where in (source(cell), text):
            assert not re.search(r"(/home/|/root/|/work/|/tmp/|/Users/|[A-Z]:\\\\)", where), "absolute path"


@each_notebook
def test_nothing_is_installed_or_downloaded(path):
    for cell in code_cells(load(path)):
        src = source(cell)
        assert not re.search(r"(^|\s)[!%]\s*(pip|conda|apt|wget|curl)\b|pip install", src, re.M)
        assert not re.search(r"urlretrieve|requests\.get|get_file\(|https?://", src)


@each_notebook
def test_nbval_markers_have_a_reason(path):
    for cell in code_cells(load(path)):
        src = source(cell)
        tags = cell["metadata"].get("tags", [])
        marked = re.search(r"^\s*#\s*NBVAL_(IGNORE_OUTPUT|SKIP)\s*$", src, re.M)
        if marked or "nbval-ignore-output" in tags or "nbval-skip" in tags:
            # nbval reads a marker only when it stands alone on its line: the reason goes in a comment beside it.
            comments = [line for line in src.splitlines() if line.strip().startswith("#") and "NBVAL_" not in line]
            assert any(len(re.findall(r"[a-z]{3,}", line)) >= 3 for line in comments), (
                f"a cell that nbval ignores needs a comment saying why: {src[:60]!r}"
            )


@each_notebook
def test_keras_on_jax_and_seeded(path):
    nb = load(path)
    code = "\n".join(source(c) for c in code_cells(nb))
    if re.search(r"^\s*(import keras|from keras)", code, re.M):
        backend = code.find('os.environ["KERAS_BACKEND"] = "jax"')
        assert 0 <= backend < code.find("keras"), "set KERAS_BACKEND=jax before importing keras"
        assert "keras.utils.set_random_seed(" in code
    if "np.random" in code:
        assert not re.search(r"np\.random\.(rand|randn|randint|uniform|normal|seed|choice|shuffle)\(", code), (
            "use a seeded np.random.default_rng(seed), not the global generator"
        )
        assert re.search(r"default_rng\(\s*(seed\s*=\s*)?\w+", code)


@each_notebook
def test_kernelspec_is_python3(path):
    # Any other name makes JupyterLab open a "Select Kernel" dialog on Binder.
    assert load(path)["metadata"]["kernelspec"]["name"] == "python3"


@each_notebook
def test_figures_are_small(path):
    assert path.stat().st_size <= MAX_NOTEBOOK_BYTES
    for cell in code_cells(load(path)):
        for out in cell["outputs"]:
            png = out.get("data", {}).get("image/png")
            if png:
                assert len(base64.b64decode("".join(png))) <= MAX_PNG_BYTES, "shrink the figure (dpi/size)"


@each_notebook
def test_figures_are_shown_with_their_alternative_text(path):
    """plotting.show(fig), never plt.show(): the stored figure carries its alt text as text/plain and as metadata."""
    for cell in code_cells(load(path)):
        assert not re.search(r"\bplt\.show\(", source(cell)), "show figures with plotting.show(fig)"
        for out in cell["outputs"]:
            if "image/png" in out.get("data", {}):
                alt = out.get("metadata", {}).get("image/png", {}).get("alt", "")
                assert len(alt.split()) >= 12, f"figure without real alternative text in {source(cell)[:60]!r}"
                assert "".join(out["data"]["text/plain"]) == alt
