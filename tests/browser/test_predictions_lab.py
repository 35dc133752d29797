"""A prediction answered in JupyterLab, in Debian's headless Chromium, by keyboard.

The test opens the notebook that holds the series' first prediction (the
fixture notebook of tests/prediction_fixture.py while the series has none;
it switches by itself once one exists), and without running any cell:

* checks that the prediction renders as options whose explanations are all
  hidden, each a focusable disclosure button named by its option in the
  accessibility tree (what a screen reader announces);
* moves the focus with Tab to a wrong option and opens it with Enter: its
  "Not quite:" explanation shows, the right option stays closed;
* moves on to the right option and opens it with Space: "Right:" and its
  explanation show;
* checks that the keys did not put the cell into edit mode (JupyterLab binds
  Enter there in command mode).

Untrusted notebooks run no stored JavaScript in JupyterLab; the prediction
needs none. Run with ``make test-browser``; a screenshot is saved to
artifacts/browser/predictions-lab.png.
"""

from __future__ import annotations

import shutil

import pytest
from lab_server import LabServer, save_log, start_lab_server
from prediction_browser import answer_wrong_then_right
from prediction_fixture import PredictionUnderTest, prediction_under_test
from support import CHROMIUM_ARGS, ROOT

SCREENSHOTS = ROOT / "artifacts" / "browser"
RENDER_TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def under_test(tmp_path_factory) -> PredictionUnderTest:
    return prediction_under_test(tmp_path_factory.mktemp("prediction-fixture"))


@pytest.fixture(scope="module")
def server(tmp_path_factory, under_test) -> LabServer:
    running = start_lab_server(tmp_path_factory.mktemp("jupyterlab"), [under_test.notebook])
    try:
        yield running
    finally:
        running.stop()
        save_log(running, SCREENSHOTS / "predictions-lab-server.log")


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium through Playwright; a missing one fails with the fix, never skips."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        pytest.fail(f"playwright is not installed ({error}); run `make setup`", pytrace=False)
    if shutil.which("chromium") is None:
        pytest.fail("no `chromium` on PATH: apt-get install -y --no-install-recommends chromium", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def test_a_prediction_is_answered_by_keyboard_in_jupyterlab(browser, server, under_test):
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    try:
        page.goto(server.notebook_url(under_test.notebook.name))
        # Windowing is off (lab_server's settings): every cell is in the page, in notebook order.
        cell = page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").nth(under_test.cell_index)
        cell.locator(".jp-RenderedMarkdown details").first.wait_for(timeout=RENDER_TIMEOUT_MS)
        assert "jp-MarkdownCell" in (cell.get_attribute("class") or ""), "the prediction is not a markdown cell here"

        answer_wrong_then_right(
            page, cell.locator(".jp-RenderedMarkdown p").first, cell.locator(".jp-RenderedMarkdown details"), under_test
        )

        assert cell.locator(".jp-RenderedMarkdown").is_visible(), "the cell left its rendered view (edit mode?)"
        assert page.locator(".jp-NotebookPanel .jp-Notebook.jp-mod-commandMode").count() == 1, "not in command mode"
        assert not page_errors, f"JavaScript errors in the page: {page_errors}"
    finally:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "predictions-lab.png"))
        context.close()
