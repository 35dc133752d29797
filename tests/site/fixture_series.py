"""A tiny two-notebook series that holds every kind of output the site build must handle.

The real notebooks change under other hands, so the build's own promises
are proved on this series, written here in full:
figures whose output metadata carries ``alt`` (two different figures in one
cell, and one figure shown twice with two texts), an ANSI-coloured stream
(8- and 256-colour codes, as a terminal-style model summary prints), a rich
HTML table with inline colours, an explorer's widget output with saved
widget state, inline math, a hidden solution, a link to a section of the
other notebook, a picture shown by a markdown cell, and instructor notes that
link to the README (outside the site).
"""

from __future__ import annotations

import base64
import json
import struct
import zlib
from pathlib import Path

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

ALT_RED = "A red rectangle, 40 by 20 pixels: the first fixture figure."
ALT_BLUE = "A blue rectangle, 40 by 20 pixels: the second fixture figure."
ALT_RED_AGAIN = "The red rectangle once more, shown a second time with its own text."
ALT_SECOND_NOTEBOOK = "A green rectangle, 40 by 20 pixels: the only figure output of notebook 02."
ALT_MARKDOWN_PICTURE = "A yellow square, 16 pixels wide: a picture shown by a markdown cell."
SEARCH_WORD = "fixturewordforsearch"
ANSI_STREAM = (
    '\x1b[1mModel: "fixture"\x1b[0m\n'
    "\x1b[38;5;34m210\x1b[0m params (\x1b[38;5;33m840.00 B\x1b[0m)\n"
    "\x1b[31mred\x1b[0m \x1b[32mgreen\x1b[0m \x1b[33myellow\x1b[0m \x1b[36mcyan\x1b[0m \x1b[37mwhite\x1b[0m\n"
)
RICH_HTML = (
    "<pre style=\"white-space:pre;overflow-x:auto;line-height:normal;font-family:Menlo,'DejaVu Sans Mono',"
    'consolas,\'Courier New\',monospace"><span style="font-weight: bold"> Total params: </span>'
    '<span style="color: #00af00; text-decoration-color: #00af00">210</span> (840.00 B)\n</pre>\n'
)


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A solid-colour PNG image (8-bit RGB), written without any imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def figure_output(image: bytes, alt: str) -> dict:
    """A figure as the series stores one: PNG, text/plain = alt text, and ``alt`` in the output metadata."""
    return {
        "output_type": "display_data",
        "data": {"image/png": base64.b64encode(image).decode("ascii"), "text/plain": [alt]},
        "metadata": {"image/png": {"alt": alt}},
    }


def markdown(text: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def code(source: str, outputs: list[dict], count: int) -> dict:
    return {"cell_type": "code", "execution_count": count, "metadata": {}, "outputs": outputs, "source": source}


def notebook(cells: list[dict], widgets: dict | None = None) -> dict:
    for index, cell in enumerate(cells):
        cell["id"] = f"cell-{index}"
    metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    if widgets:
        metadata["widgets"] = widgets
    return {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}


def first_notebook() -> dict:
    red, blue = png(40, 20, (200, 30, 30)), png(40, 20, (30, 30, 200))
    widget_state = {WIDGET_STATE: {"state": {"model-1": {"model_name": "IntSliderModel", "state": {"value": 3}}}}}
    return notebook(
        [
            markdown(
                "# 01 · Fixture figures\n\n**Learning objectives.** Check the site build.\n\n"
                "**Time.** About 5 minutes; 10 with the exercise.\n"
            ),
            markdown("## The question\n\nWhich figure is which, and is $x^2 + 1$ shown as math?"),
            markdown("## 1. Two figures in one cell\n\nThe cell below shows three figures."),
            code(
                "show(red); show(blue); show(red)",
                [figure_output(red, ALT_RED), figure_output(blue, ALT_BLUE), figure_output(red, ALT_RED_AGAIN)],
                1,
            ),
            markdown("## 2. Coloured text outputs"),
            code("print(summary)", [{"output_type": "stream", "name": "stdout", "text": ANSI_STREAM}], 2),
            code(
                "model.summary()",
                [
                    {
                        "output_type": "display_data",
                        "data": {"text/html": RICH_HTML, "text/plain": ["Total params: 210"]},
                        "metadata": {},
                    }
                ],
                3,
            ),
            markdown("## 3. Explore"),
            code(
                "explorer",
                [
                    {
                        "output_type": "display_data",
                        "data": {
                            WIDGET_VIEW: {"model_id": "model-1", "version_major": 2, "version_minor": 0},
                            "text/plain": ["<fixture explorer: value=3>"],
                        },
                        "metadata": {},
                    }
                ],
                4,
            ),
            markdown(
                "## Exercises\n\n**Exercise 1.** Add one.\n\n<details><summary>Solution</summary>\n\n"
                f"```python\nanswer = {SEARCH_WORD} + 1\n```\n</details>\n"
            ),
        ],
        widgets=widget_state,
    )


def second_notebook() -> dict:
    return notebook(
        [
            markdown("# 02 · Fixture second\n\n**Time.** About 10 minutes.\n"),
            markdown(
                "## 1. Back to the first\n\nSee [two figures in one cell]"
                "(01_fixture_figures.ipynb#1.-Two-figures-in-one-cell).\n\n"
                f"![{ALT_MARKDOWN_PICTURE}](pictures/marker.png)"
            ),
            code("show(green)", [figure_output(png(40, 20, (30, 150, 30)), ALT_SECOND_NOTEBOOK)], 1),
        ]
    )


INSTRUCTOR_NOTES = """# Instructor notes

## Timing

Notebook [01](01_fixture_figures.ipynb) takes 5 minutes, [02](02_fixture_second.ipynb) 10.
Set-up is in [the README](../README.md#fixture).
"""

README = """# fixture

[![Launch on Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/example/fixture/main?urlpath=lab/tree/notebooks/01_fixture_figures.ipynb)

<!-- short-answer -->
The fixture's short answer: **it is a (2, 10, 7) tensor**.
<!-- /short-answer -->
"""


def write_fixture_series(folder: Path) -> tuple[Path, Path]:
    """Write the fixture's notebooks folder and README into ``folder``; returns (notebooks, readme)."""
    notebooks = folder / "notebooks"
    notebooks.mkdir(parents=True)
    (notebooks / "01_fixture_figures.ipynb").write_text(json.dumps(first_notebook(), indent=1), encoding="utf-8")
    (notebooks / "02_fixture_second.ipynb").write_text(json.dumps(second_notebook(), indent=1), encoding="utf-8")
    (notebooks / "instructor_notes.md").write_text(INSTRUCTOR_NOTES, encoding="utf-8")
    (notebooks / "pictures").mkdir()
    (notebooks / "pictures" / "marker.png").write_bytes(png(16, 16, (230, 190, 0)))
    (notebooks / "not_numbered.ipynb").write_text(json.dumps(second_notebook()), encoding="utf-8")
    readme = folder / "README.md"
    readme.write_text(README, encoding="utf-8")
    return notebooks, readme


# The pages a site of this series must have.
PAGES = [
    "index.html",
    "notebooks/01_fixture_figures.html",
    "notebooks/02_fixture_second.html",
    "notebooks/instructor_notes.html",
    "search.html",
]
