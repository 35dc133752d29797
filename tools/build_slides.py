"""Build one reveal.js slide deck per notebook, usable with no network at all.

Usage (from the project's environment; `make slides` does this):

    python tools/build_slides.py [--out slides] [notebooks/NN_name.ipynb ...]
    python tools/build_slides.py --install-reveal     # once, at set-up (make setup, make slides)

Default: every numbered notebook, into ``slides/``. Open ``slides/NN_name.slides.html``
in a browser, full screen; press ``s`` for the speaker notes window and ``?`` for keys.

nbconvert's stock reveal template loads reveal.js, jQuery, RequireJS and MathJax
from CDNs. Here the decks use ``tools/slides_template/embedpool``, which loads
only reveal.js, from a ``reveal.js/`` folder placed beside the decks. Those files
come from the ``sphinx-revealjs`` wheel on PyPI (version and hash pinned below),
which ships reveal.js' built files. The wheel is fetched once, at set-up
(``--install-reveal``), into the environment's ``share/embedpool/``; building a
deck, and the slide tests, only read it there and never touch the network.
It is kept as a file rather than installed as a package because only its
static files are used (installing it would bring Sphinx along).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "tools" / "slides_template"
# carries reveal.js 5 under sphinx_revealjs/_static/revealjs/
REVEAL_WHEEL = ("sphinx-revealjs", "3.2.1", "805bed3ca459346e0f01967d5ed1c40d6b7b917de1541e1e4566c8341fe7017b")
REVEAL_PREFIX = "reveal.js"


def reveal_home(prefix: Path | None = None) -> Path:
    """Where set-up keeps the reveal.js wheel: ``share/embedpool`` inside the environment."""
    return Path(sys.prefix if prefix is None else prefix) / "share" / "embedpool"


def reveal_wheel(home: Path | None = None) -> Path:
    """Path of the pinned reveal.js wheel in ``home`` (it may not exist yet)."""
    name, version, _ = REVEAL_WHEEL
    return (home or reveal_home()) / f"{name.replace('-', '_')}-{version}-py3-none-any.whl"


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def install_reveal(home: Path | None = None) -> Path:
    """Download the pinned wheel into ``home`` once (set-up time: needs the package index)."""
    name, version, digest = REVEAL_WHEEL
    wheel = reveal_wheel(home)
    if not wheel.is_file() or sha256_of(wheel) != digest:
        wheel.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "--only-binary",
                ":all:",
                "--dest",
                str(wheel.parent),
                f"{name}=={version}",
            ],
            check=True,
        )
    if sha256_of(wheel) != digest:
        wheel.unlink()
        raise RuntimeError(f"{wheel.name} does not have the pinned sha256 {digest}; removed it.")
    return wheel


def copy_reveal(out_dir: Path, home: Path | None = None) -> Path:
    """Put reveal.js' dist/, plugin/notes/ and LICENSE into ``out_dir/reveal.js``; never downloads."""
    wheel = reveal_wheel(home)
    if not wheel.is_file():
        raise FileNotFoundError(
            f"reveal.js is not set up in this environment ({wheel} is missing). Run `make setup` "
            "(or `python tools/build_slides.py --install-reveal`) once while the package index is reachable."
        )
    target = out_dir / REVEAL_PREFIX
    prefix = "sphinx_revealjs/_static/revealjs/"
    wanted = ("dist/", "plugin/notes/", "LICENSE")
    with zipfile.ZipFile(wheel) as archive:
        for member in archive.namelist():
            relative = member[len(prefix) :]
            if member.startswith(prefix) and relative.startswith(wanted) and not member.endswith("/"):
                destination = target / relative
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(archive.read(member))
    if not (target / "dist" / "reveal.js").exists():
        raise RuntimeError(f"{wheel.name} did not contain reveal.js under {prefix}")
    return target


def build_deck(notebook: Path, out_dir: Path) -> Path:
    """Convert one notebook to ``out_dir/<name>.slides.html`` with the offline template."""
    from nbconvert import SlidesExporter

    exporter = SlidesExporter(
        template_name="embedpool",
        extra_template_basedirs=[str(TEMPLATES)],
        reveal_url_prefix=REVEAL_PREFIX,
        reveal_theme="white",  # "simple" would @import fonts from Google
    )
    body, _ = exporter.from_filename(str(notebook))
    out_dir.mkdir(parents=True, exist_ok=True)
    deck = out_dir / f"{notebook.stem}.slides.html"
    deck.write_text(body, encoding="utf-8")
    return deck


def expected_slides(notebook: Path) -> tuple[int, int]:
    """(horizontal slides, vertical sub-slides) that the notebook's slide metadata asks for.

    nbconvert starts a slide at every ``slide`` cell, and at the first cell
    whatever its type; each slide holds one sub-slide plus one per ``subslide`` cell.
    """
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    kinds = [c.get("metadata", {}).get("slideshow", {}).get("slide_type", "-") for c in cells]
    slides = sum(k == "slide" for k in kinds) + (kinds[0] != "slide" if kinds else 0)
    return slides, slides + sum(k == "subslide" for k in kinds)


class _SectionCounter(HTMLParser):
    """Counts reveal.js <section>s by depth: depth 1 = slides, depth 2 = sub-slides."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.by_depth: dict[int, int] = {}

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "section":
            self.depth += 1
            self.by_depth[self.depth] = self.by_depth.get(self.depth, 0) + 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self.depth -= 1


def count_slides(deck_html: str) -> tuple[int, int]:
    """(slides, sub-slides) found in a built deck."""
    counter = _SectionCounter()
    counter.feed(deck_html)
    return counter.by_depth.get(1, 0), counter.by_depth.get(2, 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "slides")
    parser.add_argument(
        "--install-reveal", action="store_true", help="fetch the pinned reveal.js wheel (set-up) and stop"
    )
    args = parser.parse_args(argv)
    if args.install_reveal:
        print(f"reveal.js: {install_reveal()}")
        return 0
    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    copy_reveal(args.out)
    for notebook in notebooks:
        deck = build_deck(notebook, args.out)
        slides, subslides = count_slides(deck.read_text(encoding="utf-8"))
        print(
            f"{deck.relative_to(args.out.parent) if args.out.is_relative_to(ROOT) else deck}: "
            f"{slides} slides, {subslides} sub-slides"
        )
    shutil.rmtree(args.out / ".ipynb_checkpoints", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
