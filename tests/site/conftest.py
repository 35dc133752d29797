"""Set-up for the static-site tests (`make test-site`): two built sites, a local server, Chromium.

Two sites are built once per run, into a temporary folder: the real series
(``notebooks/``) and the fixture series of ``fixture_series.py``, which holds
every kind of output the build must handle (alt text on every figure among
them). Each is served by a plain HTTP server on 127.0.0.1 at a free port, and
opened in Debian's Chromium through Playwright.
"""

from __future__ import annotations

import shutil
import sys
import threading
import time
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_site  # noqa: E402  (tools/build_site.py)
from fixture_series import write_fixture_series  # noqa: E402
from support import CHROMIUM_ARGS  # noqa: E402  (tests/support.py: shared with the JupyterLab browser test)

AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SITE_NAMES = ("series", "fixture")


def pytest_collection_modifyitems(items) -> None:
    # MyST's parser still uses an attribute that Sphinx 9 deprecates: upstream's
    # to change, and noise in every run here.
    for item in items:
        if Path(item.path).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.filterwarnings("ignore::PendingDeprecationWarning:myst_parser"))


@dataclass
class BuiltSite:
    """One site built by tools/build_site.py, and where it came from."""

    name: str
    out_dir: Path
    notebooks_dir: Path
    readme: Path
    missing_alt: dict[str, list[str]]
    seconds: float
    base_url: str = ""
    requests: list[tuple[str, int]] = field(default_factory=list)

    def pages(self) -> list[str]:
        """Every HTML page of the site, as a path relative to its root."""
        return sorted(path.relative_to(self.out_dir).as_posix() for path in self.out_dir.rglob("*.html"))


def build(name: str, work_dir: Path, notebooks_dir: Path, readme: Path) -> BuiltSite:
    out_dir = work_dir / name / "site"
    started = time.perf_counter()
    missing_alt = build_site.build_site(out_dir, notebooks_dir, readme, quiet=True)
    return BuiltSite(name, out_dir, notebooks_dir, readme, missing_alt, time.perf_counter() - started)


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves the site's folder and records (path, status) of every request instead of logging it."""

    record: list[tuple[str, int]]

    def log_request(self, code="-", size="-") -> None:
        self.record.append((self.path, int(code) if str(code).isdigit() else 0))

    def log_message(self, format, *args) -> None:
        pass


def serve(site: BuiltSite) -> ThreadingHTTPServer:
    handler = type("Handler", (_QuietHandler,), {"record": site.requests})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(site.out_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site.base_url = f"http://127.0.0.1:{server.server_address[1]}/"
    return server


@pytest.fixture(scope="session")
def sites(tmp_path_factory) -> dict[str, BuiltSite]:
    """Both sites, built and served for the whole run."""
    work_dir = tmp_path_factory.mktemp("sites")
    fixture_notebooks, fixture_readme = write_fixture_series(work_dir / "fixture-source")
    built = {
        "series": build("series", work_dir, ROOT / "notebooks", ROOT / "README.md"),
        "fixture": build("fixture", work_dir, fixture_notebooks, fixture_readme),
    }
    servers = [serve(site) for site in built.values()]
    yield built
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright (never a browser that Playwright downloads)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        pytest.fail(f"playwright is not installed ({error}); run `make test-site`")
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: apt-get install -y --no-install-recommends chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_SCRIPT.is_file():
        pytest.fail(f"axe-core is not installed at {AXE_SCRIPT}: run `npm ci` (make test-site does)")
    return AXE_SCRIPT.read_text(encoding="utf-8")
