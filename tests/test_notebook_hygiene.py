"""Static checks of every notebook in notebooks/: structure, stored outputs, portability, learner text.

nbval (run by the same `make test`) proves that the stored outputs are what the
code prints today; these tests prove that there *are* outputs to compare, and
that each notebook has the shape of a lesson.
"""

import base64
import io
import itertools
import json
import re
import tokenize

from support import NOTEBOOK_PATHS, ROOT, each_notebook

MAX_PNG_BYTES = 120_000
MAX_NOTEBOOK_BYTES = 1_500_000

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# A path that differs between machines: a home, the work or temporary folder, a Windows drive, or where
# Python and its packages are installed (a traceback through Keras shows one).
MACHINE_PATH = re.compile(r"(/home/|/root/|/work/|/tmp/|/Users/|[A-Z]:\\|site-packages|dist-packages|/usr/|/opt/)")
# Test tooling, which learners never need to read about (its notes go to CONTRIBUTING or cell metadata).
TEST_TOOLING = re.compile(r"nbval|raises-exception|\btag(s|ged)?\b|make bench|stored outputs?|pytest", re.IGNORECASE)


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
    """Every text a cell stored: streams, text data, and an error's value and traceback (ANSI colours removed)."""
    parts = []
    for out in cell.get("outputs", []):
        parts.append("".join(out.get("text", "")))
        for mime, value in out.get("data", {}).items():
            if mime.startswith("text/"):
                parts.append("".join(value))
        parts.append(out.get("evalue", ""))
        parts.extend(out.get("traceback", []))
    return ANSI_ESCAPE.sub("", "\n".join(parts))


def portability_problems(cell):
    """What in a code cell's source or stored output would differ on another machine or another run."""
    text = output_text(cell)
    problems = []
    if "ipykernel_" in text:
        problems.append("a displayed warning carries a temp path and breaks strict nbval")
    if re.search(r" at 0x[0-9a-f]+", text):
        problems.append("memory addresses change every run")
    if any(out.get("name") == "stderr" for out in cell.get("outputs", [])):
        problems.append("stderr output (warnings/log noise)")
    for where, place in ((source(cell), "source"), (text, "output")):
        found = MACHINE_PATH.search(where)
        if found:
            problems.append(f"a machine's path in the {place}: {found.group(0)!r}")
    return problems


def code_comments(code):
    """The comments of a code cell's source (a cell Python cannot tokenize, e.g. a magic: every text after #)."""
    try:
        return [t.string for t in tokenize.generate_tokens(io.StringIO(code).readline) if t.type == tokenize.COMMENT]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return re.findall(r"#.*", code)


def tooling_mentions(nb):
    """Where the text learners read (markdown, code comments) talks about test tooling: (cell number, text)."""
    mentions = []
    for number, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "markdown":
            texts = [re.sub(r"https?://\S+", "", source(cell))]  # a link's address is not prose (e.g. .../tag/v2)
        elif cell["cell_type"] == "code":
            texts = code_comments(source(cell))
        else:
            continue
        mentions += [(number, found.group(0)) for text in texts for found in TEST_TOOLING.finditer(text)]
    return mentions


def fake_notebook(*cells):
    """A notebook made of (cell type, source) or (cell type, source, outputs) tuples, for the checks' self-tests."""
    made = []
    for cell_type, text, *outputs in cells:
        cell = {"cell_type": cell_type, "metadata": {}, "source": [text]}
        if cell_type == "code":
            cell.update(outputs=outputs[0] if outputs else [], execution_count=1)
        made.append(cell)
    return {"cells": made}


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


def heading_levels(nb):
    """(cell number, level, text) of every markdown heading, outside fenced code (where '#' starts a comment)."""
    found = []
    for number, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        fenced = False
        for line in source(cell).splitlines():
            if re.match(r"\s*(```|~~~)", line):
                fenced = not fenced
            elif not fenced and (heading := re.match(r"(#{1,6})\s+(\S.*)", line)):
                found.append((number, len(heading.group(1)), heading.group(2).strip()))
    return found


def heading_skips(nb):
    """Headings that break the outline: anything but one '#' title first, or a level deeper than one below the last."""
    headings = heading_levels(nb)
    problems = [f"cell {n}: a second title '# {text}'" for n, level, text in headings[1:] if level == 1]
    if not headings or headings[0][1] != 1:
        problems.insert(0, "the first heading must be the '# Title'")
    for (_, before, _), (number, level, text) in itertools.pairwise(headings):
        if level > before + 1:
            problems.append(f"cell {number}: '{'#' * level} {text}' follows a level-{before} heading")
    return problems


@each_notebook
def test_headings_never_skip_a_level(path):
    """JupyterLab's table of contents, GitHub and screen readers show the outline as written: h1, h2, h3 in order."""
    assert heading_skips(load(path)) == []


def test_the_heading_check_can_fail():
    nb = fake_notebook(
        ("markdown", "# Title\n\n### The question"),
        ("markdown", "```python\n# a comment, not a heading\n```\n## Section\n#### Too deep"),
        ("markdown", "# Another title"),
    )
    assert heading_skips(nb) == [
        "cell 2: a second title '# Another title'",
        "cell 0: '### The question' follows a level-1 heading",
        "cell 1: '#### Too deep' follows a level-2 heading",
    ]
    assert heading_skips(fake_notebook(("markdown", "## No title"))) == ["the first heading must be the '# Title'"]


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
        assert not portability_problems(cell), f"in cell {source(cell)[:60]!r}"


def test_the_portability_check_reads_tracebacks_and_finds_installed_paths():
    """A traceback through an installed package shows its path, coloured with ANSI escapes; each must be caught."""

    def error_output(*lines):
        return [{"output_type": "error", "ename": "ValueError", "evalue": "bad ids", "traceback": list(lines)}]

    flagged = [
        "\x1b[0;32m/usr/lib/python3/dist-packages/numpy/core/fromnumeric.py\x1b[0m in \x1b[0;36mtake\x1b[0m",
        "File \x1b[0;32m.venv/lib/python3.11/\x1b[0msite-packages/keras/src/layers/core/embedding.py:140",
        "File /opt/conda/lib/python3.11/runpy.py:88, in _run_code",
        "File /home/learner/embedpool/embedpool_utils/core.py:12",
        "File C:\\Users\\learner\\embedpool\\embedpool_utils\\core.py:12",
    ]
    for line in flagged:
        cell = fake_notebook(("code", "ep.embedding_lookup(table, ids)", error_output("ValueError", line)))["cells"][0]
        assert any("path in the output" in p for p in portability_problems(cell)), line
    clean = fake_notebook(("code", "print(ids)", error_output("\x1b[0;31mValueError\x1b[0m: bad ids")))["cells"][0]
    assert portability_problems(clean) == []


@each_notebook
def test_learner_text_never_talks_about_test_tooling(path):
    """Markdown and code comments are for learners; notes about nbval, tags or benchmarks go to cell metadata."""
    assert tooling_mentions(load(path)) == []


def test_the_test_tooling_check_can_fail():
    nb = fake_notebook(
        ("markdown", "The cell below raises on purpose (it carries the `raises-exception` tag)."),
        ("markdown", "Timings are ignored by NBVAL; see [the release](https://example.org/releases/tag/v2)."),
        ("code", "x = 1  # make bench compares this with the stored output\ny = '# nbval in a string'"),
        ("code", "%%time\n# tagged for pytest\nx = 1"),
        ("markdown", "A table of ids: [notes](https://example.org/tag/v1)."),
    )
    found = tooling_mentions(nb)
    assert found == [
        (0, "raises-exception"),
        (0, "tag"),
        (1, "NBVAL"),
        (2, "make bench"),
        (2, "stored output"),
        (3, "tagged"),
        (3, "pytest"),
    ]


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
