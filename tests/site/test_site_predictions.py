"""A prediction on the static site: answered by keyboard in Debian's Chromium, and clean under axe-core.

The site is built from stored outputs, with no kernel and no script of ours:
a prediction is plain HTML there (``<details>``/``<summary>``), so it works
offline and in any browser. The test takes the series' first prediction
once one exists (it then uses the real site that conftest.py builds), and
until then a one-notebook site built here from tests/prediction_fixture.py.
On that page it checks the axe-core audit (no violation at all on the
prediction's own elements, nothing serious or critical on the page), and
answers the prediction as a keyboard user: Tab to a wrong option, Enter, its
"Not quite:" explanation shows; Tab on to the right one, Space, "Right:"
shows; the accessibility tree names every option and tracks which are open.
"""

from __future__ import annotations

import json
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from page_visit import visit
from prediction_browser import answer_wrong_then_right, words
from prediction_fixture import NOTEBOOK_NAME, PredictionUnderTest, first_series_prediction, write_fixture_notebook

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import build_site  # noqa: E402  (tools/build_site.py)
import predictions  # noqa: E402  (tools/predictions.py)

SERIOUS = {"serious", "critical"}
# Every violation axe-core finds on the prediction's own elements, whatever its impact.
AXE_ON_PREDICTIONS_JS = """async () => {
  const results = await axe.run({include: [[".bd-article details"]]}, {resultTypes: ["violations"]});
  return results.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}));
}"""


class _SilentHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:
        pass


@pytest.fixture(scope="module")
def prediction_site(request, tmp_path_factory):
    """(base URL, page path, PredictionUnderTest): the real series' first prediction, else the fixture's."""
    real = first_series_prediction()
    if real is not None:
        site = request.getfixturevalue("sites")["series"]
        yield site.base_url, f"notebooks/{real.notebook.stem}.html", real
        return
    work = tmp_path_factory.mktemp("prediction-site")
    notebook = write_fixture_notebook(work / "notebooks")
    readme = work / "README.md"
    readme.write_text("# A fixture\n", encoding="utf-8")
    out = work / "site"
    build_site.build_site(out, notebook.parent, readme, quiet=True)
    index, prediction = predictions.predictions_in(json.loads(notebook.read_text(encoding="utf-8")))[0]
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_SilentHandler, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        under_test = PredictionUnderTest(notebook, index, prediction)
        yield f"http://127.0.0.1:{server.server_address[1]}/", f"notebooks/{Path(NOTEBOOK_NAME).stem}.html", under_test
    finally:
        server.shutdown()
        server.server_close()


def question_paragraph(page, prediction: predictions.Prediction):
    """The paragraph that asks ``prediction`` (its words: "Predict." and the question)."""
    wanted = words(f"{predictions.LEAD} {prediction.question}")
    paragraphs = page.locator(".bd-article p")
    texts = paragraphs.all_inner_texts()
    matches = [index for index, text in enumerate(texts) if words(text) == wanted]
    assert matches, f"no paragraph on the page asks {prediction.question!r}"
    return paragraphs.nth(matches[0])


def test_the_prediction_page_passes_axe(prediction_site, browser, axe_source):
    base_url, page_path, _ = prediction_site
    report = visit(browser, base_url, page_path, axe_source)
    assert report.outside_requests == [] and report.console_errors == []
    serious = [v for v in report.axe_violations if v["impact"] in SERIOUS]
    assert serious == [], serious
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(base_url + page_path)
        page.add_script_tag(content=axe_source)
        assert page.locator(".bd-article details").count() >= 3
        assert page.evaluate(AXE_ON_PREDICTIONS_JS) == []
    finally:
        context.close()


def test_a_prediction_is_answered_by_keyboard_on_the_site(prediction_site, browser):
    base_url, page_path, under_test = prediction_site
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(base_url + page_path)
        question = question_paragraph(page, under_test.prediction)
        answer_wrong_then_right(page, question, question.locator("xpath=following-sibling::details"), under_test)
        assert errors == []
    finally:
        screenshots = ROOT / "artifacts" / "site"
        screenshots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshots / "prediction.png"), full_page=True)
        context.close()
