"""What tools/build_site.py writes, read from the built files (no browser needed).

Alt text from output metadata onto each <img>; figures stored once; explorer
outputs turned into a note; the landing page filled from the notebooks and
the README; MathJax shipped only where math is used; ANSI colours readable.
"""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import build_site
import pytest
from fixture_series import (
    ALT_BLUE,
    ALT_MARKDOWN_PICTURE,
    ALT_RED,
    ALT_RED_AGAIN,
    ALT_SECOND_NOTEBOOK,
    WIDGET_VIEW,
    figure_output,
    first_notebook,
    markdown,
    notebook,
    png,
)


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "img":
            self.images.append(dict(attrs))


def images_of(html_file: Path) -> list[dict]:
    parser = _Images()
    parser.feed(html_file.read_text(encoding="utf-8"))
    return parser.images


def test_figures_get_the_alt_text_stored_in_their_output_metadata(sites):
    site = sites["fixture"]
    first = images_of(site.out_dir / "notebooks/01_fixture_figures.html")
    second = images_of(site.out_dir / "notebooks/02_fixture_second.html")
    assert [image.get("alt") for image in first] == [ALT_RED, ALT_BLUE, ALT_RED_AGAIN]
    assert [image.get("alt") for image in second] == [ALT_MARKDOWN_PICTURE, ALT_SECOND_NOTEBOOK]
    assert site.missing_alt == {}


def test_a_figure_shown_twice_is_stored_once_and_no_page_embeds_one(sites):
    site = sites["fixture"]
    first = images_of(site.out_dir / "notebooks/01_fixture_figures.html")
    assert first[0]["src"] == first[2]["src"]  # the same red figure
    assert len(list((site.out_dir / "_images").iterdir())) == 4  # red, blue, green, and the markdown picture
    for page in site.pages():
        assert "data:image" not in (site.out_dir / page).read_text(encoding="utf-8")


def test_the_series_figures_are_files_each_stored_once(sites):
    site = sites["series"]
    files = list((site.out_dir / "_images").iterdir())
    assert files
    assert len({hashlib.sha256(path.read_bytes()).hexdigest() for path in files}) == len(files)
    for page in site.pages():
        assert "data:image" not in (site.out_dir / page).read_text(encoding="utf-8")
        for image in images_of(site.out_dir / page):
            assert (site.out_dir / page).parent.joinpath(image["src"]).resolve().parent == (site.out_dir / "_images")


def test_a_figure_without_alt_text_is_reported_and_given_no_invented_text(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    bare = figure_output(png(8, 8, (0, 0, 0)), "unused")
    bare["metadata"] = {}
    bare["data"]["text/plain"] = ["<Figure size 8x8 with 1 Axes>"]
    cells = [
        markdown("# 01 · Bare\n\n**Time.** About 1 minute.\n"),
        {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [bare], "source": "plt.show()"},
    ]
    (notebooks / "01_bare.ipynb").write_text(json.dumps(notebook(cells)), encoding="utf-8")
    missing = build_site.build_site(tmp_path / "site", notebooks, None, quiet=True)
    assert list(missing) == ["notebooks/01_bare"] and len(missing["notebooks/01_bare"]) == 1
    (image,) = images_of(tmp_path / "site/notebooks/01_bare.html")
    assert image.get("alt", "").endswith(".png")  # docutils' file name, which the browser test rejects


def test_links_from_the_notes_to_repository_files_point_at_the_repository_online(sites):
    notes = (sites["fixture"].out_dir / "notebooks/instructor_notes.html").read_text(encoding="utf-8")
    assert 'href="https://github.com/example/fixture/blob/main/README.md#fixture"' in notes


def test_explorer_outputs_become_a_note_and_widget_state_is_dropped():
    original = first_notebook()
    static = build_site.static_view(original)
    assert "widgets" not in static["metadata"] and "widgets" in original["metadata"]
    outputs = [output for cell in static["cells"] for output in cell.get("outputs", [])]
    assert not any(WIDGET_VIEW in output.get("data", {}) for output in outputs)
    assert sum("embedpool-explorer-note" in output.get("data", {}).get("text/html", "") for output in outputs) == 1
    assert any(WIDGET_VIEW in o.get("data", {}) for c in original["cells"] for o in c.get("outputs", []))


def test_the_landing_page_has_the_readme_short_answer_and_the_notebooks_in_order_with_times(sites):
    index = (sites["fixture"].out_dir / "index.html").read_text(encoding="utf-8")
    assert "The fixture’s short answer" in index or "The fixture's short answer" in index
    rows = re.findall(
        r'<a class="reference internal" href="(notebooks/[^"]+)">.*?</a></p></td>\s*<td><p>([^<]*)</p>', index, re.S
    )
    assert rows == [
        ("notebooks/01_fixture_figures.html", "About 5 minutes"),
        ("notebooks/02_fixture_second.html", "About 10 minutes"),
    ]
    assert "not_numbered" not in index


def test_without_readme_markers_the_short_answer_is_the_placeholder():
    placeholder = (build_site.SITE_SOURCE / "short_answer.md").read_text(encoding="utf-8").strip()
    assert build_site.short_answer("# A README with no short answer\n") == placeholder
    assert build_site.short_answer("<!-- short-answer -->\n  Six lines.\n<!-- /short-answer -->") == "Six lines."


@pytest.mark.parametrize(
    ("time_line", "expected"),
    [
        ("**Time.** About 20 minutes; 30 if you do every exercise.", "About 20 minutes"),
        ("**Time.** About 30 minutes (the notebook itself runs in well under a minute).", "About 30 minutes"),
        ("**Time.** About 25 minutes.", "About 25 minutes"),
        ("**Time** 15 min", "15 min"),
        ("**Time.** About 40 minutes: 25 for sections 1–6, 15 for section 7.", "About 40 minutes"),
        ("**Time.** About 40 minutes, 55 with the exercises (the notebook runs in seconds).", "About 40 minutes"),
        ("**Time.** About 1,000 seconds; more with the exercises.", "About 1,000 seconds"),
        ("No time given here.", ""),
    ],
)
def test_notebook_time_is_the_first_clause_of_the_time_line(time_line, expected):
    assert build_site.notebook_time(notebook([markdown(f"# 01 · T\n\n{time_line}\n")])) == expected


def test_mathjax_is_shipped_only_with_a_site_that_has_math(sites):
    assert (sites["fixture"].out_dir / "_static/mathjax/tex-chtml.js").is_file()
    assert list((sites["fixture"].out_dir / "_static/mathjax/output/chtml/fonts/woff-v2").glob("*.woff"))
    has_math = any(
        'class="math' in (sites["series"].out_dir / page).read_text(encoding="utf-8")
        for page in sites["series"].pages()
    )
    assert (sites["series"].out_dir / "_static/mathjax").exists() == has_math


def _wcag_contrast(first: str, second: str) -> float:
    """WCAG 2 contrast of two #rrggbb colours, written here from the standard's formula."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_ansi_colour_reads_at_aa_contrast_on_every_output_background(sites):
    css = (sites["series"].out_dir / "_static/embedpool-ansi.css").read_text(encoding="utf-8")
    colours = re.findall(r"color: (#[0-9a-f]{6})", css)
    assert len(colours) == 8 + 256
    # MyST-NB's output backgrounds: stdout, stderr (pink), and the page
    for background in ("#fcfcfc", "#ffdddd", "#ffffff"):
        assert min(_wcag_contrast(colour, background) for colour in colours) >= 4.5


def test_a_picture_from_another_site_fails_the_build(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    cells = [markdown("# 01 · Remote\n\n![A logo](https://example.org/logo.png)\n")]
    (notebooks / "01_remote.ipynb").write_text(json.dumps(notebook(cells)), encoding="utf-8")
    with pytest.raises(SystemExit, match="site build failed"):
        build_site.build_site(tmp_path / "site", notebooks, None, quiet=True)


def test_a_link_written_for_jupyterlab_lands_on_its_heading_on_the_site(sites):
    """The fixture links 02 -> 01 as JupyterLab names the heading: the link lands on that section,
    and the section carries the JupyterLab id too (a fragment copied from JupyterLab works here)."""
    second = (sites["fixture"].out_dir / "notebooks/02_fixture_second.html").read_text(encoding="utf-8")
    (href,) = re.findall(r'href="(01_fixture_figures\.html#[^"]+)"', second)
    fragment = href.split("#", 1)[1]
    first = (sites["fixture"].out_dir / "notebooks/01_fixture_figures.html").read_text(encoding="utf-8")
    section = re.search(r'<section id="([^"]+)">\s*<span id="([^"]+)"></span><h2>1\. Two figures in one cell<', first)
    assert section, "the heading's section and its JupyterLab id"
    assert fragment in section.groups() and section.group(2) == "1.-Two-figures-in-one-cell"


def test_github_style_section_links_are_rewritten_to_the_jupyterlab_id_with_a_note():
    headings = {"02_output_tensor.ipynb": ["1. A batch of sentences"], "": ["3. The x thing"]}
    text = "[a](02_output_tensor.ipynb#1-a-batch-of-sentences) [b](#3-the-x-thing) [c](02_output_tensor.ipynb#nope)"
    rewritten, notes = build_site.with_jupyterlab_fragments(text, headings, "page")
    assert rewritten == (
        "[a](02_output_tensor.ipynb#1.-A-batch-of-sentences) [b](#3.-The-x-thing) [c](02_output_tensor.ipynb#nope)"
    )
    assert len(notes) == 2 and "JupyterLab needs #1.-A-batch-of-sentences" in notes[0]
    same, none = build_site.with_jupyterlab_fragments(
        "[a](02_output_tensor.ipynb#1.-A-batch-of-sentences)", headings, "p"
    )
    assert none == [] and same.endswith("#1.-A-batch-of-sentences)")


def test_a_link_to_a_heading_that_does_not_exist_fails_the_build(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    first = notebook([markdown("# 01 · One\n\n**Time.** About 1 minute.\n\n## 1. A section\n")])
    second = notebook(
        [
            markdown(
                "# 02 · Two\n\n**Time.** About 1 minute.\n\n## 1. Back\n\n[gone](01_one.ipynb#2.-A-section-that-is-not-there)\n"
            )
        ]
    )
    (notebooks / "01_one.ipynb").write_text(json.dumps(first), encoding="utf-8")
    (notebooks / "02_two.ipynb").write_text(json.dumps(second), encoding="utf-8")
    with pytest.raises(SystemExit, match="site build failed"):
        build_site.build_site(tmp_path / "site", notebooks, None, quiet=True)
    # the same link written as JupyterLab names the heading builds
    second["cells"][0]["source"] = second["cells"][0]["source"].replace(
        "#2.-A-section-that-is-not-there", "#1.-A-section"
    )
    (notebooks / "02_two.ipynb").write_text(json.dumps(second), encoding="utf-8")
    assert build_site.build_site(tmp_path / "site", notebooks, None, quiet=True) == {}


def test_heading_texts_are_read_as_a_reader_sees_them():
    cells = [markdown("# 03 · T\n\n## 2. `GlobalAveragePooling1D` is **the** mean\n\ntext\n\n### Sub ###\n#### deep\n")]
    assert build_site.heading_texts(notebook(cells)) == [
        "03 · T",
        "2. GlobalAveragePooling1D is the mean",
        "Sub",
    ]
    assert build_site.jupyterlab_id("2. GlobalAveragePooling1D is the mean") == "2.-GlobalAveragePooling1D-is-the-mean"
