"""The nbval hooks in the root conftest.py fail a notebook that stops showing a stored figure.

Small notebooks are run under strict nbval in a separate pytest process that
loads a copy of the root conftest.py (and no MPLBACKEND of its own): one
notebook shows its figure with ``plotting.show`` and must pass; one keeps the
figure's text but loses its image, which nbval alone accepts (it never
compares images) and the hook must fail; one uses ``plt.show()``, which
shows nothing once the kernel runs with ``MPLBACKEND=Agg``, and must fail.
"""

import base64
import os
import shutil
import subprocess
import sys

import nbformat
import pytest
from support import ROOT

ALT = "An empty test figure."


def stored_figure_output(png_base64):
    return nbformat.v4.new_output(
        "display_data", data={"image/png": png_base64, "text/plain": ALT}, metadata={"image/png": {"alt": ALT}}
    )


def write_notebook(path, cells):
    """cells: (source, outputs) pairs, stored as if run in order."""
    nb = nbformat.v4.new_notebook()
    for count, (source, outputs) in enumerate(cells, start=1):
        nb.cells.append(nbformat.v4.new_code_cell(source, execution_count=count, outputs=outputs))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def nbval_run(tmp_path_factory):
    """The summary lines of one strict nbval run over the three notebooks."""
    folder = tmp_path_factory.mktemp("nbval_figures")
    shutil.copy(ROOT / "conftest.py", folder / "conftest.py")
    from embedpool_utils.plotting.display import figure_png
    from embedpool_utils.plotting.style import new_figure

    fig, _ = new_figure(size=(1.0, 1.0))
    png = base64.b64encode(figure_png(fig)).decode("ascii")
    write_notebook(
        folder / "shows_figure.ipynb",
        [
            (
                "import matplotlib\nprint(matplotlib.get_backend().lower())",
                [nbformat.v4.new_output("stream", name="stdout", text="agg\n")],
            ),
            (
                "from embedpool_utils.plotting import show\n"
                "from embedpool_utils.plotting.style import new_figure\n"
                "fig, _ = new_figure(size=(1.0, 1.0))\n"
                f"show(fig, alt={ALT!r})",
                [stored_figure_output(png)],
            ),
        ],
    )
    write_notebook(
        folder / "loses_image.ipynb",
        [
            (
                f"from IPython.display import display\ndisplay({{'text/plain': {ALT!r}}}, raw=True)",
                [stored_figure_output(png)],
            ),
        ],
    )
    write_notebook(
        folder / "uses_plt_show.ipynb",
        [
            (
                "import matplotlib.pyplot as plt\nfig = plt.figure(figsize=(1, 1))\nplt.show()",
                [
                    nbformat.v4.new_output(
                        "display_data", data={"image/png": png, "text/plain": "<Figure size 80x80 with 0 Axes>"}
                    )
                ],
            ),
        ],
    )
    environment = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "--nbval",
            "--nbval-current-env",
            "-rA",
            "shows_figure.ipynb",
            "loses_image.ipynb",
            "uses_plt_show.ipynb",
        ],
        cwd=folder,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done.stdout


def test_a_figure_shown_with_plotting_show_passes_under_agg(nbval_run):
    assert "PASSED shows_figure.ipynb::Cell 0" in nbval_run, nbval_run[-3000:]  # the kernel's backend is agg
    assert "PASSED shows_figure.ipynb::Cell 1" in nbval_run, nbval_run[-3000:]


def test_a_lost_image_fails_although_its_text_is_unchanged(nbval_run):
    assert "FAILED loses_image.ipynb::Cell 0" in nbval_run, nbval_run[-3000:]
    assert "stored 1 figure(s) (image/png) but produced 0" in nbval_run


def test_plt_show_fails_under_the_agg_backend(nbval_run):
    assert "FAILED uses_plt_show.ipynb::Cell 0" in nbval_run, nbval_run[-3000:]
