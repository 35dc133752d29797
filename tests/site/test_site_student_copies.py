"""The site offers the student copies for download: one zip and one file per notebook, none with a solution.

Read from the landing page of both built sites (the real series and the
fixture series, whose notebook 01 hides a solution holding a word found
nowhere else), and fetched from the local server as a reader's browser would.
"""

from __future__ import annotations

import io
import json
import re
import urllib.request
import zipfile
from html.parser import HTMLParser

import pytest
from fixture_series import SEARCH_WORD
from page_visit import expected_pages

ZIP_NAME = "embedpool-student-notebooks.zip"


class _DownloadLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        if tag == "a" and "download" in (attributes.get("class") or "").split():
            self.links.append(attributes["href"])


def download_links(site) -> list[str]:
    parser = _DownloadLinks()
    parser.feed((site.out_dir / "index.html").read_text(encoding="utf-8"))
    return parser.links


def fetch(site, href: str) -> bytes:
    with urllib.request.urlopen(site.base_url + href, timeout=10) as response:
        assert response.status == 200
        return response.read()


@pytest.mark.parametrize("site_name", ["series", "fixture"])
def test_the_landing_page_offers_every_student_copy(sites, site_name):
    site = sites[site_name]
    links = download_links(site)
    notebooks = sorted(
        page.rsplit("/", 1)[-1].replace(".html", ".ipynb") for page in expected_pages(site.notebooks_dir)
    )
    notebooks = [name for name in notebooks if re.match(r"\d\d_", name)]
    assert sorted(link.rsplit("/", 1)[-1] for link in links) == sorted([ZIP_NAME, *notebooks])
    for link in links:
        data = fetch(site, link)
        if link.endswith(".ipynb"):
            notebook = json.loads(data)
            text = json.dumps(notebook)
            assert "<summary>Solution" not in text, link
            assert SEARCH_WORD not in text, link
            original = json.loads((site.notebooks_dir / link.rsplit("/", 1)[-1]).read_text(encoding="utf-8"))
            assert len(notebook["cells"]) == len(original["cells"])
        else:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
            assert sorted(name.rsplit("/", 1)[-1] for name in names if name.endswith(".ipynb")) == notebooks
            assert not [name for name in names if "instructor" in name]


def test_the_fixture_copy_had_a_solution_to_remove(sites):
    """The fixture's notebook 01 does hide a solution with SEARCH_WORD, so the check above can fail."""
    original = (sites["fixture"].notebooks_dir / "01_fixture_figures.ipynb").read_text(encoding="utf-8")
    assert SEARCH_WORD in original and "<summary>Solution" in original
