"""The README's Python examples run as written, and its helper table names only what they run.

Every ```pycon block of README.md is run as a doctest (ELLIPSIS and
NORMALIZE_WHITESPACE on), all in one namespace and in order, and every
```python block is executed, so an example that stops working, or whose
printed answer changes, fails here. Each call in the helper table must
resolve after `import embedpool_utils as ep` and appear in the examples.
"""

import doctest
import re

import pytest
from support import ROOT

import embedpool_utils as ep

README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(pycon|python)\n(.*?)^```", re.S | re.M)
BLOCKS = FENCE.findall(README)


def helper_table():
    """The rows of the table in the helper-package section: its first column's backticked calls."""
    section = README.split("## The helper package", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return [re.match(r"[\w.]+", code).group() for row in rows for code in re.findall(r"`([^`]+)`", row.split("|")[1])]


def test_the_readme_has_examples_and_a_table():
    assert any(kind == "pycon" for kind, _ in BLOCKS)
    assert len(helper_table()) >= 10


def test_the_readme_examples_run_as_written():
    namespace = {}
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    parser = doctest.DocTestParser()
    for index, (kind, body) in enumerate(BLOCKS):
        if kind == "python":
            exec(compile(body, f"README.md block {index}", "exec"), namespace)
            continue
        test = parser.get_doctest(body, namespace, f"README.md block {index}", "README.md", 0)
        runner.run(test, clear_globs=False)
    result = runner.summarize(verbose=False)
    assert result.attempted > 10 and result.failed == 0, "README examples failed (see the output above)"


@pytest.mark.parametrize("call", helper_table())
def test_every_call_of_the_helper_table_resolves_and_is_shown_running(call):
    assert call.startswith("ep."), (
        f"{call}: the table's calls are written as they run after import embedpool_utils as ep"
    )
    target = ep
    for part in call.split(".")[1:]:
        target = getattr(target, part)  # ep.summary_tables, ep.pytorch_standins: loaded on first use
    assert callable(target), call
    examples = "\n".join(body for _, body in BLOCKS)
    assert re.search(re.escape(call) + r"\(", examples), f"{call} is in the table but no README example runs it"
