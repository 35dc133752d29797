"""pytest hooks for the strict nbval run over notebooks/ (this file sits at the root so that they reach it).

nbval compares a cell's text outputs but never its images, so a notebook that
stops drawing a figure passes as long as the figure's text stays the same.
Two things close that gap:

* every notebook kernel that nbval starts in this run gets ``MPLBACKEND=Agg``,
  the setting that hides every ``plt.show()`` figure. The stored outputs are
  made under the inline backend (tools/execute_notebooks.py), so a figure
  that only the inline backend shows, or that it shows twice, fails here;
* after each cell passes nbval's comparison, the cell must have produced at
  least as many ``image/png`` outputs as it stored.

``tests/test_nbval_figures.py`` runs these hooks on small notebooks to show
that each check fails when it should.
"""

from __future__ import annotations

import os

import pytest

# Read by every kernel nbval starts from now on (with --nbval-current-env the kernel inherits this environment).
os.environ["MPLBACKEND"] = "Agg"


def _png_count(outputs) -> int:
    return sum("image/png" in output.get("data", {}) for output in outputs or [])


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield  # nbval runs the cell and compares its text outputs; a failure there ends here
    stored_cell = getattr(item, "cell", None)
    if stored_cell is not None and hasattr(item, "test_outputs") and stored_cell.get("execution_count") is not None:
        stored, produced = _png_count(stored_cell.get("outputs")), _png_count(item.test_outputs)
        if produced < stored:
            pytest.fail(
                f"cell {item.cell_num} stored {stored} figure(s) (image/png) but produced {produced} now "
                f"(kernel MPLBACKEND={os.environ.get('MPLBACKEND')!r}). Show figures with plotting.show(fig), "
                "which renders the PNG itself, not with plt.show().",
                pytrace=False,
            )
    return result
