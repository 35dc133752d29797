"""Sphinx extension for the series' site: alt text, readable output colours, Binder links, local MathJax.

MyST-NB renders the stored outputs; this extension adds what the series
needs on top, without changing a notebook:

* each figure's alternative text, read from its output metadata
  (``{"image/png": {"alt": ...}}``, the series' convention), goes onto its
  ``<img>``; a figure without one is recorded (and listed by the build), never
  given a stand-in text;
* inline colours in stored HTML outputs (Keras' ``model.summary()`` tables,
  made by rich) are darkened where needed to reach WCAG AA contrast on the
  page background;
* each notebook page gets the URL that opens that notebook on Binder;
* a page that uses math gets MathJax from the project's own ``node_modules``,
  copied into the site, and no page may load a script or style sheet from
  outside the site;
* headings get the ids JupyterLab gives them (:func:`jupyterlab_heading_id`,
  used by ``conf.py`` as MyST's slug function), so that a link written for
  JupyterLab, ``02_output_tensor.ipynb#1.-A-batch-of-sentences``, lands on
  the same section here, and MyST fails the build on a fragment that names no
  heading.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from binascii import a2b_base64
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

IMAGE_MIME_TYPES = ("image/png", "image/jpeg", "image/gif")
# MyST-NB names each image file after the SHA-256 of its bytes.
HASHED_IMAGE_NAME = re.compile(r"(?:^|/)([0-9a-f]{64})\.(?:png|jpe?g|gif)$")

# The darkest light background an output sits on (MyST-NB's stderr pink; the
# page itself is white): a colour readable on it is readable on all of them.
OUTPUT_BACKGROUND = (0xFF, 0xDD, 0xDD)
MINIMUM_CONTRAST = 4.5  # WCAG AA, normal text
# ANSI colours as MyST-NB's lexer names them: the eight base colours, and the
# 256-colour palette (xterm's) as C0 … C255.
ANSI_BASE_COLOURS = {
    "Black": (0x3E, 0x42, 0x4D), "Red": (0xE7, 0x5C, 0x58), "Green": (0x00, 0xA2, 0x50),
    "Yellow": (0xDD, 0xB6, 0x2B), "Blue": (0x20, 0x8F, 0xFB), "Magenta": (0xD1, 0x60, 0xC4),
    "Cyan": (0x60, 0xC6, 0xC8), "White": (0xC5, 0xC1, 0xB4),
}
STYLE_ATTRIBUTE = re.compile(r'style="([^"]*)"')
COLOUR_DECLARATION = re.compile(r"(?<![-\w])color\s*:\s*#([0-9a-fA-F]{6})\b")
BACKGROUND_DECLARATION = re.compile(r"background(?:-color)?\s*:\s*#([0-9a-fA-F]{6})\b")

# The files of MathJax 3 that a TeX page rendered as HTML uses (the component,
# its fonts, and the TeX packages it loads on demand).
MATHJAX_FILES = ("tex-chtml.js", "output/chtml/fonts/woff-v2", "input/tex/extensions")
ANSI_CSS = "embedpool-ansi.css"


# ---- heading ids ---------------------------------------------------------------


def jupyterlab_heading_id(title: str) -> str:
    """The id JupyterLab 4 gives a Markdown heading: its text with every space replaced by ``-``.

    Case and punctuation are kept (JupyterLab's rendermime does
    ``textContent.replace(/ /g, "-")``; inline code counts without its
    backticks), so ``1. A batch of sentences`` becomes
    ``1.-A-batch-of-sentences``. MyST calls this with the heading's text and
    inline code, the same text.

    Examples
    --------
    >>> jupyterlab_heading_id("2. GlobalAveragePooling1D is the mean over the tokens")
    '2.-GlobalAveragePooling1D-is-the-mean-over-the-tokens'
    """
    return title.replace(" ", "-")


# ---- alternative text --------------------------------------------------------


def _joined(value: str | list[str]) -> str:
    return "".join(value) if isinstance(value, list) else value


def image_alt_texts(notebook: dict) -> dict[str, list[str | None]]:
    """Each stored image's alt text (None where it has none), keyed by the SHA-256 of its bytes.

    Identical images in one notebook share a key; their texts are kept in
    the order the images appear.
    """
    alt_texts: dict[str, list[str | None]] = {}
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for mime_type in IMAGE_MIME_TYPES:
                if mime_type not in data:
                    continue
                digest = hashlib.sha256(a2b_base64(_joined(data[mime_type]))).hexdigest()
                alt = output.get("metadata", {}).get(mime_type, {}).get("alt")
                alt = alt.strip() if isinstance(alt, str) and alt.strip() else None
                alt_texts.setdefault(digest, []).append(alt)
                break  # one image per output: the one MyST-NB renders
    return alt_texts


def apply_alt_texts(app: Sphinx, doctree: nodes.document) -> None:
    """Give every figure of a notebook page the alt text stored with its output.

    Also refuses a picture loaded from another site (a reader's browser would
    fetch it, and offline it would be missing): ship the file instead.
    """
    for image in doctree.findall(nodes.image):
        if _is_outside(image["uri"]) or image["uri"].startswith(("http:", "https:")):
            logger.warning(f"picture {image['uri']} is loaded from outside the site; ship it instead",
                           location=image)
    source = Path(app.env.doc2path(app.env.docname))
    if source.suffix != ".ipynb":
        return
    alt_texts = image_alt_texts(json.loads(source.read_text(encoding="utf-8")))
    missing = app.env.embedpool_missing_alt.setdefault(app.env.docname, [])
    missing.clear()
    for image in doctree.findall(nodes.image):
        match = HASHED_IMAGE_NAME.search(image["uri"])
        if not match or match.group(1) not in alt_texts:
            continue  # not a stored output (an image in a markdown cell keeps its own alt)
        texts = alt_texts[match.group(1)]
        alt = texts.pop(0) if len(texts) > 1 else texts[0]
        if alt:
            image["alt"] = alt
        else:
            missing.append(image["uri"].rsplit("/", 1)[-1])


# ---- colours in stored HTML outputs ------------------------------------------


def _relative_luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: tuple[int, int, int], second: tuple[int, int, int]) -> float:
    """WCAG contrast ratio of two sRGB colours, from 1 (same) to 21 (black on white)."""
    lighter, darker = sorted((_relative_luminance(first), _relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_colour(rgb: tuple[int, int, int], background: tuple[int, int, int]) -> tuple[int, int, int]:
    """``rgb`` darkened (same hue) just enough to reach AA contrast on a light ``background``."""
    scale = 1.0
    candidate = rgb
    while contrast_ratio(candidate, background) < MINIMUM_CONTRAST and scale > 0:
        scale = round(scale - 0.02, 2)
        candidate = tuple(int(value * scale) for value in rgb)
    return candidate


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _rgb(hex_digits: str) -> tuple[int, int, int]:
    return tuple(int(hex_digits[i : i + 2], 16) for i in (0, 2, 4))


def readable_html(html: str) -> str:
    """Rewrite each inline ``color: #rrggbb`` in ``html`` that is too faint on its background."""

    def fix_style(match: re.Match) -> str:
        style = match.group(1)
        background = BACKGROUND_DECLARATION.search(style)
        background_rgb = _rgb(background.group(1)) if background else OUTPUT_BACKGROUND
        if _relative_luminance(background_rgb) < 0.18:
            return match.group(0)  # text on a dark box: rich chose a light colour for it
        fixed = COLOUR_DECLARATION.sub(
            lambda colour: "color: " + _hex(readable_colour(_rgb(colour.group(1)), background_rgb)), style
        )
        return f'style="{fixed}"'

    return STYLE_ATTRIBUTE.sub(fix_style, html)


def make_output_colours_readable(app: Sphinx, doctree: nodes.document) -> None:
    for raw in doctree.findall(nodes.raw):
        if "html" in raw.get("format", "").split() and "output" in raw.get("classes", []):
            text = raw.astext()
            fixed = readable_html(text)
            if fixed != text:
                raw.children = [nodes.Text(fixed)]


def xterm_colour(index: int) -> tuple[int, int, int]:
    """Colour ``index`` (0–255) of the xterm 256-colour palette."""
    standard = [
        (0, 0, 0), (128, 0, 0), (0, 128, 0), (128, 128, 0), (0, 0, 128), (128, 0, 128), (0, 128, 128),
        (192, 192, 192), (128, 128, 128), (255, 0, 0), (0, 255, 0), (255, 255, 0), (0, 0, 255),
        (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]
    if index < 16:
        return standard[index]
    if index < 232:
        levels = (0, 95, 135, 175, 215, 255)
        index -= 16
        return levels[index // 36], levels[index // 6 % 6], levels[index % 6]
    grey = 8 + 10 * (index - 232)
    return grey, grey, grey


def ansi_css() -> str:
    """Style sheet giving every ANSI foreground colour of a stored output AA contrast.

    A class such as ``-Color-Bold-C34-BGC0`` carries the foreground name
    right after ``-Bold``/``-Faint`` and before any ``-BG…`` part, so each
    rule matches the name followed by the end of the class or by a hyphen.
    """
    named = list(ANSI_BASE_COLOURS.items()) + [(f"C{index}", xterm_colour(index)) for index in range(256)]
    rules = []
    for name, rgb in named:
        selectors = ", ".join(
            f'.bd-article div.highlight .-Color[class{operator}"-{name}{suffix}"]'
            for operator, suffix in (("$=", ""), ("*=", "-"))
        )
        rules.append(f"{selectors} {{ color: {_hex(readable_colour(rgb, OUTPUT_BACKGROUND))}; }}")
    return "/* Generated by the embedpool_site extension: ANSI colours with AA contrast. */\n" + "\n".join(rules) + "\n"


def write_ansi_css(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        (Path(app.outdir) / "_static" / ANSI_CSS).write_text(ansi_css(), encoding="utf-8")


# ---- page context: Binder link, nothing from outside --------------------------


def _is_outside(uri: str) -> bool:
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", uri, re.IGNORECASE))


def add_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    context["embedpool_binder_url"] = None
    if doctree is not None and app.config.embedpool_binder_base:
        source = app.env.doc2path(pagename, False)
        if str(source).endswith(".ipynb"):
            path = Path(source).as_posix()
            context["embedpool_binder_url"] = f"{app.config.embedpool_binder_base}?urlpath=lab/tree/{path}"
    if context.get("has_maths_elements"):
        app.env.embedpool_pages_with_math.add(pagename)
    for asset in [*context.get("script_files", []), *context.get("css_files", [])]:
        uri = getattr(asset, "filename", asset)
        if uri and _is_outside(str(uri)):
            raise ExtensionError(f"page {pagename!r} would load {uri} from outside the site; ship it instead")


def copy_mathjax(app: Sphinx, exception: Exception | None) -> None:
    """Ship MathJax with the site when a page has math (nothing is loaded from a CDN)."""
    if exception is not None or app.builder.format != "html" or not app.env.embedpool_pages_with_math:
        return
    source = Path(app.config.embedpool_mathjax_dir)
    if not (source / MATHJAX_FILES[0]).is_file():
        raise ExtensionError(
            f"pages {sorted(app.env.embedpool_pages_with_math)} have math, and MathJax is not in {source}: "
            "run `npm ci` in the repository (make site does) to install it"
        )
    target = Path(app.outdir) / "_static" / "mathjax"
    for relative in MATHJAX_FILES:
        if (source / relative).is_dir():
            shutil.copytree(source / relative, target / relative, dirs_exist_ok=True)
        else:
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / relative, target / relative)
    shutil.copy2(source.parent / "LICENSE", target / "LICENSE")


def init_state(app: Sphinx, env, docnames) -> None:
    if not hasattr(env, "embedpool_missing_alt"):
        env.embedpool_missing_alt = {}
    env.embedpool_pages_with_math = set()


def setup(app: Sphinx) -> dict:
    app.add_config_value("embedpool_binder_base", "", "html", str)
    default_mathjax = Path(__file__).resolve().parents[2] / "node_modules" / "mathjax" / "es5"
    app.add_config_value("embedpool_mathjax_dir", str(default_mathjax), "html", str)
    app.connect("env-before-read-docs", init_state)
    app.connect("doctree-read", apply_alt_texts)
    app.connect("doctree-read", make_output_colours_readable)
    app.connect("html-page-context", add_page_context)
    app.connect("build-finished", copy_mathjax)
    app.connect("build-finished", write_ansi_css)
    app.add_css_file(ANSI_CSS, priority=900)  # after MyST-NB's own colours
    return {"version": "1", "parallel_read_safe": False, "parallel_write_safe": True}
