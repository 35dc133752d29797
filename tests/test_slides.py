"""Lecture mode: every notebook becomes a reveal.js deck that needs no network."""

import re
import sys

import pytest
from support import CORE_NOTEBOOK_PATHS, ROOT, each_notebook

sys.path.insert(0, str(ROOT / "tools"))
import build_slides


@pytest.fixture(scope="module")
def deck_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("slides")
    build_slides.copy_reveal(out)
    return out


def test_reveal_is_copied_from_set_up_without_the_network(tmp_path, monkeypatch):
    """Set-up fetched the pinned wheel; building decks may neither connect nor start pip."""
    import socket
    import subprocess

    def refuse(*args, **kwargs):
        raise AssertionError(f"the slide build tried to reach out: {args[:1]}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(subprocess, "run", refuse)
    monkeypatch.setattr(subprocess, "Popen", refuse)
    target = build_slides.copy_reveal(tmp_path)
    assert (target / "dist" / "reveal.js").is_file() and (target / "plugin" / "notes" / "notes.js").is_file()
    assert build_slides.sha256_of(build_slides.reveal_wheel()) == build_slides.REVEAL_WHEEL[2]


def test_a_missing_reveal_says_how_to_set_it_up(tmp_path):
    with pytest.raises(FileNotFoundError, match="make setup"):
        build_slides.copy_reveal(tmp_path / "out", home=tmp_path / "empty")


@each_notebook
def test_every_cell_has_slide_metadata(path):
    import json

    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    missing = [i for i, c in enumerate(cells) if "slide_type" not in c["metadata"].get("slideshow", {})]
    assert not missing, f"cells without metadata.slideshow.slide_type: {missing}"


@each_notebook
def test_deck_has_the_slides_the_metadata_asks_for(path, deck_dir):
    deck = build_slides.build_deck(path, deck_dir)
    html = deck.read_text(encoding="utf-8")
    slides, subslides = build_slides.count_slides(html)
    assert (slides, subslides) == build_slides.expected_slides(path)
    assert slides >= 5, "a lecture deck needs a title and one slide per section at least"


@each_notebook
def test_deck_loads_nothing_from_the_network(path, deck_dir):
    deck = build_slides.build_deck(path, deck_dir)
    html = deck.read_text(encoding="utf-8")
    remote = re.findall(
        r"""(?:src|href)\s*=\s*["'](?:https?:)?//[^"']+|@import\s+url\(\s*["']?(?:https?:)?//[^)]+""", html
    )
    # Links the learner may click (in markdown) are fine; anything loaded is not.
    loaded = [r for r in remote if not r.startswith("href")] + [
        r for r in re.findall(r"""<link[^>]+href\s*=\s*["'](?:https?:)?//[^"']+""", html)
    ]
    assert not loaded, f"remote resources: {loaded[:3]}"
    for local in re.findall(r"""(?:src|href)\s*=\s*["'](reveal\.js/[^"']+)""", html):
        assert (deck_dir / local).is_file(), f"{local} is referenced but not beside the deck"
    theme = re.search(r"reveal\.js/dist/theme/(\w+)\.css", html).group(1)
    assert "@import url(http" not in (deck_dir / f"reveal.js/dist/theme/{theme}.css").read_text()


def test_explorers_become_a_note_in_the_deck(deck_dir):
    with_widgets = [
        p for p in CORE_NOTEBOOK_PATHS if "application/vnd.jupyter.widget-view+json" in p.read_text(encoding="utf-8")
    ]
    assert len(with_widgets) == len(CORE_NOTEBOOK_PATHS), "each core notebook carries an explorer"
    for notebook in with_widgets:
        html = build_slides.build_deck(notebook, deck_dir).read_text(encoding="utf-8")
        assert "embedpool-widget-note" in html


def test_expected_slides_counts_by_hand(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    kinds = ["-", "slide", "subslide", "-", "fragment", "slide", "notes", "subslide", "skip"]
    for kind in kinds:
        cell = nbformat.v4.new_markdown_cell("text")
        cell.metadata["slideshow"] = {"slide_type": kind}
        nb.cells.append(cell)
    path = tmp_path / "00_demo.ipynb"
    nbformat.write(nb, path)
    # first cell opens slide 1; two "slide" cells open slides 2 and 3; two "subslide"s add 2
    assert build_slides.expected_slides(path) == (3, 5)
    html = build_slides.build_deck(path, tmp_path).read_text(encoding="utf-8")
    assert build_slides.count_slides(html) == (3, 5)
