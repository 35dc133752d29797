"""Every page of the static site, opened in Debian's Chromium from a server on 127.0.0.1.

For the real series and for the fixture series (tests/site/fixture_series.py),
each page must: request nothing from outside the site, log no console error,
load every image with a meaningful alt text, have only internal links and
#anchors that resolve, keep its headings in order, mark links in running
text by more than colour, and pass an axe-core audit with no serious or
critical violation. The search must find a word of a notebook, solutions
must stay folded until opened, explorers must show a note, and each notebook
page must link to Binder and to its neighbours.

Both series pass the alt-text check: every figure of the real series carries
its alt text in its output metadata (the series' convention), and the fixture
proves the build's promises on outputs the real series may not have today.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from fixture_series import PAGES as FIXTURE_PAGES
from fixture_series import SEARCH_WORD
from page_visit import broken_internal_links, expected_pages, heading_problems, visit

ROOT = Path(__file__).resolve().parents[2]
SERIES_PAGES = expected_pages(ROOT / "notebooks")
PAGES = [("series", page) for page in SERIES_PAGES] + [("fixture", page) for page in FIXTURE_PAGES]
PAGE_IDS = [f"{site}:{page}" for site, page in PAGES]
SERIOUS = {"serious", "critical"}
# An alt text that only names the file (docutils' stand-in when none is given) says nothing.
FILE_NAME_ALT = re.compile(r"(^|/)[^/\s]+\.(png|jpe?g|gif|svg)$", re.IGNORECASE)


@pytest.fixture(scope="session")
def reports(sites, browser, axe_source):
    """page → PageReport, each page visited once per run."""
    cache = {}

    def report(site_name: str, page: str):
        if (site_name, page) not in cache:
            cache[site_name, page] = visit(browser, sites[site_name].base_url, page, axe_source)
        return cache[site_name, page]

    return report


@pytest.mark.parametrize("site_name", ["series", "fixture"])
def test_the_site_has_exactly_the_expected_pages(sites, site_name):
    expected = SERIES_PAGES if site_name == "series" else FIXTURE_PAGES
    assert sites[site_name].pages() == expected


@pytest.mark.parametrize(("site_name", "page"), PAGES, ids=PAGE_IDS)
def test_page_requests_nothing_from_outside_the_site(reports, site_name, page):
    report = reports(site_name, page)
    assert report.outside_requests == []
    assert report.failed_responses == []


@pytest.mark.parametrize(("site_name", "page"), PAGES, ids=PAGE_IDS)
def test_page_logs_no_console_error(reports, site_name, page):
    assert reports(site_name, page).console_errors == []


@pytest.mark.parametrize(("site_name", "page"), PAGES, ids=PAGE_IDS)
def test_page_images_load_and_have_alt_text(reports, site_name, page):
    images = reports(site_name, page).images
    assert [image["src"] for image in images if not image["loaded"]] == [], "images that did not load"
    lacking = [
        image["src"]
        for image in images
        if not (image["alt"] or "").strip() or FILE_NAME_ALT.search(image["alt"].strip())
    ]
    assert lacking == [], f"{len(lacking)} of {len(images)} images have no meaningful alt text"


@pytest.mark.parametrize(("site_name", "page"), PAGES, ids=PAGE_IDS)
def test_page_internal_links_and_anchors_resolve(sites, reports, site_name, page):
    site = sites[site_name]
    report = reports(site_name, page)
    assert report.links, "a page of the site links nowhere"
    assert broken_internal_links(report.links, site.base_url, site.out_dir, {}) == []


@pytest.mark.parametrize(("site_name", "page"), PAGES, ids=PAGE_IDS)
def test_page_headings_are_in_order(reports, site_name, page):
    assert heading_problems(reports(site_name, page).headings) == []


@pytest.mark.parametrize(("site_name", "page"), PAGES, ids=PAGE_IDS)
def test_page_links_in_text_are_not_marked_by_colour_alone(reports, site_name, page):
    assert reports(site_name, page).plain_text_links == []


@pytest.mark.parametrize(("site_name", "page"), PAGES, ids=PAGE_IDS)
def test_page_passes_the_axe_audit(reports, site_name, page):
    serious = [violation for violation in reports(site_name, page).axe_violations if violation["impact"] in SERIOUS]
    assert serious == []


# ---- behaviour a reader relies on --------------------------------------------


@pytest.mark.parametrize(
    ("site_name", "word", "expected_page"),
    [
        ("series", "channels_first", "notebooks/04_data_format_pitfall.html"),
        ("fixture", SEARCH_WORD, "notebooks/01_fixture_figures.html"),
    ],
)
def test_search_finds_the_page_with_the_word(sites, browser, site_name, word, expected_page):
    """Type the word into the search box of the landing page, as a reader would, and read the results."""
    with opened(sites, browser, site_name, "index.html") as page:
        page.locator("button.search-button-field:visible").first.click()
        field = page.locator("#pst-search-dialog input[type=search]")
        field.fill(word)
        field.press("Enter")
        page.wait_for_url(re.compile(r"search\.html\?q="))
        results = page.locator("#search-results a[href]")
        results.first.wait_for(timeout=15_000)
        hrefs = results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert expected_page in [href.split("?")[0].split("#")[0] for href in hrefs]


@contextmanager
def opened(sites, browser, site_name: str, page_path: str):
    """A page of a site, open in a fresh browser context that is closed afterwards."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(sites[site_name].base_url + page_path)
        yield page
    finally:
        context.close()


def _notebook_pages(site_name: str) -> list[str]:
    pages = SERIES_PAGES if site_name == "series" else FIXTURE_PAGES
    return [page for page in pages if re.search(r"notebooks/\d\d_", page)]


# A prediction's options are <details> too; their summaries are lettered (tools/predictions.py).
PREDICTION_OPTION = re.compile(r"[A-D]\. ")


@pytest.mark.parametrize("site_name", ["series", "fixture"])
def test_solutions_stay_hidden_until_opened_and_show_highlighted_code(sites, browser, site_name):
    checked = 0
    for page_path in _notebook_pages(site_name):
        with opened(sites, browser, site_name, page_path) as page:
            for solution in page.locator(".bd-article details").all():
                summary = solution.locator("summary").inner_text().strip()
                if PREDICTION_OPTION.match(summary):
                    continue  # an option of a prediction (tests/site/test_site_predictions.py), not a solution
                code = solution.locator("div.highlight pre")
                assert summary == "Solution"
                assert not code.first.is_visible(), f"{page_path}: a solution shows before it is opened"
                solution.locator("summary").click()
                assert code.first.is_visible(), f"{page_path}: opening a solution shows no code"
                assert code.first.locator("span[class]").count() > 0, f"{page_path}: solution code not highlighted"
                checked += 1
    assert checked > 0


@pytest.mark.parametrize("site_name", ["series", "fixture"])
def test_explorers_show_a_note_and_no_widget(sites, browser, site_name):
    notes = 0
    for page_path in _notebook_pages(site_name):
        with opened(sites, browser, site_name, page_path) as page:
            assert page.locator("script[type*='jupyter.widget']").count() == 0
            assert page.get_by_text("Error displaying widget").count() == 0
            notes += page.locator(".embedpool-explorer-note").count()
    assert notes > 0


@pytest.mark.parametrize("site_name", ["series", "fixture"])
def test_notebook_pages_launch_themselves_on_binder_and_link_their_neighbours(sites, browser, site_name):
    sites[site_name]
    # The README's badge opens one notebook; every page must open its own in the same way.
    readme = sites[site_name].readme.read_text(encoding="utf-8")
    badge = re.search(r"\]\((https://mybinder\.org/v2/gh/[^)\s]+)\)", readme).group(1)
    pages = _notebook_pages(site_name)
    for index, page_path in enumerate(pages):
        with opened(sites, browser, site_name, page_path) as page:
            name = Path(page_path).stem
            launch = page.locator("a.embedpool-launch")
            assert launch.count() == 1
            assert launch.get_attribute("href") == re.sub(r"notebooks/[^/]+\.ipynb$", f"notebooks/{name}.ipynb", badge)
            if index + 1 < len(pages):
                next_link = page.locator("a.right-next").get_attribute("href")
                assert Path(next_link).stem == Path(pages[index + 1]).stem
            if index > 0:
                assert Path(page.locator("a.left-prev").get_attribute("href")).stem == Path(pages[index - 1]).stem
            # the series in reading order, on every page
            listed = page.locator("nav.series-nav a").evaluate_all("links => links.map(a => a.href.split('#')[0])")
            assert [Path(href).stem for href in listed if re.search(r"/\d\d_", href)] == [Path(p).stem for p in pages]


def test_math_is_rendered_by_the_shipped_mathjax(sites, browser):
    with opened(sites, browser, "fixture", "notebooks/01_fixture_figures.html") as page:
        page.locator("mjx-container").first.wait_for(timeout=15_000)
        assert page.locator("script[src*='mathjax']").get_attribute("src").startswith("../_static/mathjax/")


def test_a_link_between_notebooks_lands_on_its_section(sites, browser):
    """Click 02's link to 03 §8 on the site, as a reader would: 03 opens, scrolled to §8's heading."""
    with opened(sites, browser, "series", "notebooks/02_output_tensor.html") as page:
        link = page.locator(".bd-article a[href^='03_averaging_axes.html#']", has_text="notebook 03, §8").first
        link.click()
        page.wait_for_url(re.compile(r"/notebooks/03_averaging_axes\.html#"))
        heading = page.locator(".bd-article h2", has_text="8. The mask, completely")
        heading.wait_for()
        page.wait_for_function("() => window.scrollY > 0")
        viewport = page.viewport_size["height"]
        box = heading.bounding_box()
        assert page.evaluate("window.scrollY") > viewport, "the page did not scroll down to §8"
        assert 0 <= box["y"] < viewport / 2, f"§8's heading is not in view: {box}"
        # the heading also carries the id JupyterLab gives it, so a fragment copied from JupyterLab works too
        found = heading.evaluate("h => h.closest('section').querySelector('[id=\"8.-The-mask,-completely\"]') !== null")
        assert found
