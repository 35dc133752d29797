"""One visit of one page of a served site in Chromium, and everything the tests check on it.

A page is opened once; what it requested, logged and shows is collected into
a ``PageReport``, and each test asserts one part of it, so a failure names
the promise that broke. Requests that leave the site are recorded and
aborted (the machine has no network to reach them anyway).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Each image once it has been asked to load now: alt as written (None if absent).
IMAGES_JS = """async () => {
  const images = Array.from(document.images);
  for (const image of images) image.loading = "eager";
  await Promise.all(images.map(image => image.decode().catch(() => null)));
  return images.map(image => ({
    src: image.getAttribute("src"),
    alt: image.getAttribute("alt"),
    loaded: image.complete && image.naturalWidth > 0,
  }));
}"""

LINKS_JS = "() => Array.from(document.querySelectorAll('a[href]'), a => a.href)"

# Headings as assistive technology meets them: visible ones, in document order.
HEADINGS_JS = """() => Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6, [role="heading"]'))
  .filter(element => element.checkVisibility())
  .map(element => ({
    level: Number(element.getAttribute("aria-level") || element.tagName.slice(1)),
    text: element.textContent.trim().slice(0, 80),
  }))"""

# Links inside running text whose only mark would be their colour.
PLAIN_TEXT_LINKS_JS = """() => Array.from(document.querySelectorAll(
    '.bd-article p a[href], .bd-article li a[href], .bd-article td a[href]'))
  .filter(a => !a.classList.contains("headerlink"))
  .filter(a => !getComputedStyle(a).textDecorationLine.includes("underline"))
  .map(a => a.textContent.trim().slice(0, 60))"""

AXE_JS = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map(violation => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    nodes: violation.nodes.slice(0, 5).map(node => node.target.join(" ")),
    count: violation.nodes.length,
  }));
}"""


@dataclass
class PageReport:
    url: str
    outside_requests: list[str] = field(default_factory=list)
    failed_responses: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    headings: list[dict] = field(default_factory=list)
    plain_text_links: list[str] = field(default_factory=list)
    axe_violations: list[dict] = field(default_factory=list)


def visit(browser, base_url: str, page_path: str, axe_source: str) -> PageReport:
    """Open ``base_url + page_path`` in a fresh browser context and collect its report."""
    report = PageReport(base_url + page_path)
    context = browser.new_context()

    def route(route) -> None:
        url = route.request.url
        if url.startswith(base_url) or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            report.outside_requests.append(url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda message: report.console_errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: report.console_errors.append(f"uncaught: {error}"))
    page.on(
        "response",
        lambda response: (
            report.failed_responses.append(f"{response.status} {response.url}") if response.status >= 400 else None
        ),
    )
    try:
        page.goto(report.url, wait_until="load")
        page.wait_for_load_state("networkidle")
        report.images = page.evaluate(IMAGES_JS)
        report.links = page.evaluate(LINKS_JS)
        report.headings = page.evaluate(HEADINGS_JS)
        report.plain_text_links = page.evaluate(PLAIN_TEXT_LINKS_JS)
        page.add_script_tag(content=axe_source)
        report.axe_violations = page.evaluate(AXE_JS)
    finally:
        context.close()
    return report


def expected_pages(notebooks_dir: Path) -> list[str]:
    """The pages a site of ``notebooks_dir`` must have: landing, search, index, one per notebook, notes."""
    pages = ["index.html", "search.html"]
    pages += [f"notebooks/{path.stem}.html" for path in sorted(notebooks_dir.glob("[0-9][0-9]_*.ipynb"))]
    if (notebooks_dir / "instructor_notes.md").is_file():
        pages.append("notebooks/instructor_notes.html")
    return sorted(pages)


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.anchors: set[str] = set()

    def handle_starttag(self, tag, attrs) -> None:
        for name, value in attrs:
            if value is not None and (name == "id" or (tag == "a" and name == "name")):
                self.anchors.add(value)


def anchors_of(html_file: Path) -> set[str]:
    """Every id (and ``<a name>``) in an HTML file: the targets a #fragment can reach."""
    parser = _Anchors()
    parser.feed(html_file.read_text(encoding="utf-8"))
    return parser.anchors


def broken_internal_links(links: list[str], base_url: str, site_dir: Path, anchor_cache: dict) -> list[str]:
    """The links among ``links`` into the site whose file, or #fragment in that file, does not exist.

    A browser matches a fragment against ids both as written and
    percent-decoded, so either form counts as found.
    """
    broken = []
    for link in sorted(set(links)):
        if not link.startswith(base_url):
            continue
        parts = urlsplit(link)
        relative = unquote(parts.path[len(urlsplit(base_url).path) :])
        target = site_dir / relative
        if relative == "" or relative.endswith("/"):
            target = target / "index.html"
        if not target.is_file():
            broken.append(f"{link} (no file {relative or 'index.html'})")
            continue
        if parts.fragment:
            if target not in anchor_cache:
                anchor_cache[target] = anchors_of(target)
            if parts.fragment not in anchor_cache[target] and unquote(parts.fragment) not in anchor_cache[target]:
                broken.append(f"{link} (no id {parts.fragment!r} in {relative})")
    return broken


def heading_problems(headings: list[dict]) -> list[str]:
    """What is wrong with a page's heading outline: one h1 first, and no level skipped going down."""
    problems = []
    levels = [heading["level"] for heading in headings]
    if not levels or levels[0] != 1:
        problems.append(f"the first heading is not an h1: {headings[:1]}")
    if levels.count(1) != 1:
        problems.append(f"{levels.count(1)} h1 headings: {[h['text'] for h in headings if h['level'] == 1]}")
    for previous, heading in itertools.pairwise(headings):
        if heading["level"] > previous["level"] + 1:
            problems.append(
                f"h{previous['level']} {previous['text']!r} is followed by h{heading['level']} {heading['text']!r}"
            )
    return problems
