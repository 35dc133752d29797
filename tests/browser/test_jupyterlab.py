"""Every notebook of the series, run in JupyterLab in a real (headless) Chromium.

nbval runs the notebooks without a browser, so it cannot see what a learner
sees when a notebook is opened in JupyterLab and run from the Run menu:

* a cell that raises stops "Run All Cells" there, unless the cell carries the
  ``raises-exception`` tag: every later cell then stays unrun;
* a figure that is not displayed, or displayed twice (strict nbval runs its
  kernels with MPLBACKEND=Agg; here the kernel has JupyterLab's own inline
  backend, as a learner's does);
* an explorer that does not render as a widget (the widgets extension is
  missing or out of step with ipywidgets: "Error displaying widget", or only
  the text repr), or that renders but does not react to its controls.

For each numbered notebook the test opens a copy without outputs, runs all
cells, and checks that every code cell ran, that only cells tagged
``raises-exception`` show an error (and that they do), and that every cell
whose stored output is a figure shows as many PNG figures as it stored. For the notebooks with an
explorer it then moves one control in the browser and checks that the
explorer's sentence becomes the one the plain view function gives for the new
inputs, and that its picture is replaced.

Needs Debian's chromium (``apt-get install chromium``); run with
``make test-browser``. A screenshot of each notebook is saved to
artifacts/browser/, also when the test fails.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pytest
from lab_server import KERNEL_VARIABLES, LabServer, save_log, start_lab_server
from support import CHROMIUM_ARGS, NOTEBOOK_PATHS, ROOT

from embedpool_utils import explorers
from embedpool_utils.explorers import views

try:
    from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright
except ImportError as error:  # reported by every test below, not skipped
    PLAYWRIGHT_IMPORT_ERROR: ImportError | None = error
else:
    PLAYWRIGHT_IMPORT_ERROR = None

SCREENSHOTS = ROOT / "artifacts" / "browser"


KERNEL_READY_TIMEOUT_S = 60
RUN_ALL_TIMEOUT_S = 120  # notebook 05 trains small Keras models: about 20 s on 2 cores
EXPLORER_UPDATE_TIMEOUT_MS = 30_000

# Shown by the widgets extension when a widget view cannot be drawn.
WIDGET_ERROR_TEXTS = ("Error displaying widget", "model not found")


# ---- the explorers, and how the test drives each one -------------------------


def press_slider_key(label: str, key: str) -> Callable[[Locator], None]:
    """Focus the handle of the slider labelled ``label`` and press ``key``, as a keyboard user would."""

    def act(explorer: Locator) -> None:
        slider = explorer.locator(".widget-slider").filter(has=explorer.page.get_by_text(label, exact=True))
        handle = slider.locator(".noUi-handle")
        handle.focus()
        handle.press(key)

    return act


def click_checkbox(label: str) -> Callable[[Locator], None]:
    def act(explorer: Locator) -> None:
        checkbox = explorer.locator(".widget-checkbox").filter(has=explorer.page.get_by_text(label, exact=True))
        checkbox.locator("input[type='checkbox']").click()

    return act


def click_toggle_button(text: str) -> Callable[[Locator], None]:
    def act(explorer: Locator) -> None:
        explorer.locator(".widget-toggle-buttons button").filter(has_text=re.compile(f"^{re.escape(text)}$")).click()

    return act


@dataclass(frozen=True)
class ExplorerCheck:
    """One explorer: what the test does to it, and the inputs its view should then show.

    The notebook displays the explorer with its default inputs, so the sentence
    first shown is ``view().text`` and after ``action`` it is ``view(**new_inputs).text``,
    where ``view`` is the explorer's plain view function (``lookup_explorer`` -> ``views.lookup_view``).
    """

    action: Callable[[Locator], None]
    new_inputs: dict[str, Any]


# One control per explorer, a different kind of control where possible; one entry per explorer the package offers.
EXPLORER_CHECKS = {
    "lookup_explorer": ExplorerCheck(press_slider_key("id", "ArrowRight"), {"selected_id": 26}),
    "shape_explorer": ExplorerCheck(press_slider_key("batch", "ArrowRight"), {"batch": 3}),
    "averaging_explorer": ExplorerCheck(click_checkbox("mask the padding"), {"masked": True}),
    "data_format_explorer": ExplorerCheck(click_toggle_button("channels_first"), {"data_format": "channels_first"}),
}


def view_of(explorer_name: str) -> Callable[..., views.View]:
    """The plain view function an explorer wires its controls to."""
    return getattr(views, explorer_name.removesuffix("_explorer") + "_view")


def explorer_shown_in(notebook_path: Path) -> str | None:
    """The explorer a notebook makes (``explorers.NAME(`` in a code cell), or None."""
    cells = json.loads(notebook_path.read_text(encoding="utf-8"))["cells"]
    code = "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "code")
    names = sorted(set(re.findall(r"\bexplorers\.(\w+_explorer)\(", code)))
    assert len(names) <= 1, f"{notebook_path.name} makes {len(names)} explorers ({names}); the test drives one"
    return names[0] if names else None


def expected_sentence(view: Callable[..., views.View], **inputs: Any) -> str:
    """The sentence the explorer shows for ``inputs``, from the view function run in this process."""
    drawn = view(**inputs)
    plt.close(drawn.figure)
    return normalize_space(drawn.text)


def normalize_space(text: str) -> str:
    return " ".join(text.split())


# ---- fixtures -----------------------------------------------------------------


def browser_problem() -> str | None:
    """Why the browser cannot run here, with the fix; None if it can."""
    if PLAYWRIGHT_IMPORT_ERROR is not None:
        return (
            f"The playwright Python package cannot be imported ({PLAYWRIGHT_IMPORT_ERROR}). "
            "Install the project with its browser extra: `make setup` (or pip install -e '.[browser]'). "
            "Do not run `playwright install`: the test uses Debian's chromium."
        )
    if shutil.which("chromium") is None:
        return (
            "No `chromium` on PATH: the JupyterLab browser test drives Debian's chromium. "
            "Install it with `sudo apt-get install chromium` (non-interactive: "
            "`apt-get install -y --no-install-recommends chromium`), then run `make test-browser`."
        )
    return None


@pytest.fixture(scope="module")
def browser() -> Browser:
    """Debian's chromium, headless, driven by Playwright; fails (never skips) when it cannot start."""
    problem = browser_problem()
    if problem:
        pytest.fail(problem, pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> LabServer:
    """One JupyterLab for all notebooks (a start costs about 2 s); each test shuts its kernel down."""
    running = start_lab_server(tmp_path_factory.mktemp("jupyterlab"), NOTEBOOK_PATHS)
    try:
        yield running
    finally:
        running.stop()
        save_log(running, SCREENSHOTS / "jupyterlab-server.log")


# ---- reading the page -----------------------------------------------------------

# One entry per cell of the open notebook, in notebook order: its kind, its
# prompt ("[3]:", "[*]:", "[ ]:") and each output's MIME type and text.
READ_CELLS_JS = """
() => [...document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-Cell')].map(cell => ({
    code: cell.classList.contains('jp-CodeCell'),
    prompt: (cell.querySelector('.jp-InputPrompt')?.textContent ?? '').trim(),
    outputs: [...cell.querySelectorAll('.jp-OutputArea-output')].map(output => ({
        mime: output.dataset.mimeType ?? '',
        text: output.innerText.slice(0, 4000),
    })),
    pngs: cell.querySelectorAll(".jp-OutputArea-output img[src^='data:image/png']").length,
}))
"""

EXECUTION_STATUS = ".jp-NotebookPanel .jp-Notebook-ExecutionIndicator"
KERNEL_STATUS_JS = """
() => ({
    indicator: document.querySelector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator')?.dataset.status ?? '',
    kernelName: (document.querySelector('.jp-NotebookPanel .jp-KernelName')?.textContent ?? '').trim(),
})
"""


def read_cells(page: Page) -> list[dict]:
    return page.evaluate(READ_CELLS_JS)


def has_run(prompt: str) -> bool:
    return re.fullmatch(r"\[\d+\]:", prompt) is not None


def is_error_output(output: dict) -> bool:
    # JupyterLab renders tracebacks (and stderr streams, which a clean
    # notebook does not have either) with this MIME type.
    return output["mime"] == "application/vnd.jupyter.stderr"


def wait_for_kernel(page: Page, server: LabServer, notebook_name: str) -> None:
    """Wait until the notebook's kernel has started and is idle.

    The toolbar's indicator says "idle" already before a kernel is attached
    (next to "No Kernel"), so the test also waits for the kernel's name in the
    toolbar and for the server to report the notebook's kernel as idle.
    """
    deadline = time.monotonic() + KERNEL_READY_TIMEOUT_S
    while time.monotonic() < deadline:
        status = page.evaluate(KERNEL_STATUS_JS)
        kernel_named = status["indicator"] == "idle" and status["kernelName"] not in ("", "No Kernel")
        if kernel_named and server.kernel_state_for(notebook_name) == "idle":
            return
        time.sleep(0.2)
    dialog = page.locator(".jp-Dialog")
    hint = f" A dialog blocks the page: {dialog.first.inner_text()!r}." if dialog.count() else ""
    pytest.fail(f"the notebook's kernel was not ready within {KERNEL_READY_TIMEOUT_S} s ({status}).{hint}")


def run_all_cells(page: Page) -> None:
    """Run every cell through the Run menu, and wait until the run is over.

    The run is over when the kernel is idle and no cell is queued or running
    ("[*]"), seen twice in a row, after the first code cell has run: a cell
    that raised ends "Run All Cells" early, the rest stay "[ ]".
    """
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()

    deadline = time.monotonic() + RUN_ALL_TIMEOUT_S
    settled_once = False
    while time.monotonic() < deadline:
        prompts = [cell["prompt"] for cell in read_cells(page) if cell["code"]]
        status = page.get_attribute(EXECUTION_STATUS, "data-status")
        settled = status == "idle" and "[*]:" not in prompts and any(has_run(p) for p in prompts)
        if settled and settled_once:
            return
        settled_once = settled
        time.sleep(0.5)
    pytest.fail(f"Run All Cells did not finish within {RUN_ALL_TIMEOUT_S} s (kernel {status}, prompts {prompts})")


def save_screenshot(page: Page, path: Path) -> None:
    """Screenshot the whole notebook, from its first cell.

    JupyterLab scrolls the notebook inside a page of the window's height, so
    the window is made as tall as the cells (plus the menu and status bars).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # Measured from the top: after "Run All Cells" the notebook is scrolled to its last cell.
        height = page.evaluate(
            """() => {
                document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer')?.scrollTo(0, 0);
                const cells = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-viewport');
                return cells ? cells.getBoundingClientRect().top + cells.scrollHeight + 60 : 0;
            }"""
        )
        if height > page.viewport_size["height"]:
            page.set_viewport_size({"width": page.viewport_size["width"], "height": min(int(height), 30_000)})
            page.wait_for_timeout(300)  # let JupyterLab lay the notebook out again
    finally:
        page.screenshot(path=str(path), full_page=True)


# ---- the tests --------------------------------------------------------------------


def test_browser_prerequisites():
    """A missing browser is a failure with the fix, never a silent skip."""
    problem = browser_problem()
    if problem:
        pytest.fail(problem, pytrace=False)


def test_series_has_numbered_notebooks():
    assert NOTEBOOK_PATHS, "no notebooks/NN_*.ipynb found: nothing for the browser test to run"


def test_every_explorer_is_driven():
    """The explorers are read from the package's public names, so a new one without a check fails here."""
    offered = {name for name in explorers.__all__ if name.endswith("_explorer")}
    assert set(EXPLORER_CHECKS) == offered, (
        f"explorers.__all__ offers {sorted(offered)}; EXPLORER_CHECKS drives {sorted(EXPLORER_CHECKS)}"
    )
    assert {explorer_shown_in(path) for path in NOTEBOOK_PATHS} - {None} == offered, "an explorer no notebook shows"


@pytest.mark.parametrize("notebook_path", NOTEBOOK_PATHS, ids=[path.stem for path in NOTEBOOK_PATHS])
def test_notebook_runs_in_jupyterlab(notebook_path: Path, browser: Browser, server: LabServer):
    stored = json.loads(notebook_path.read_text(encoding="utf-8"))
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    try:
        page.goto(server.notebook_url(notebook_path.name))
        wait_for_kernel(page, server, notebook_path.name)
        check_kernel_environment(server, notebook_path.name)

        run_all_cells(page)
        check_cells(read_cells(page), stored)

        page_text = page.locator("body").inner_text()
        for error_text in WIDGET_ERROR_TEXTS:
            assert error_text not in page_text, f"a widget failed to render: the page shows {error_text!r}"

        rendered = page.locator(".jp-OutputArea-output .embedpool-explorer")
        name = explorer_shown_in(notebook_path)
        if name is None:
            assert rendered.count() == 0, f"{notebook_path.name} shows an explorer that its code does not make"
        else:
            assert rendered.count() == 1, (
                f"expected one explorer rendered as widgets, found {rendered.count()} "
                "(is the @jupyter-widgets/jupyterlab-manager extension installed and enabled?)"
            )
            check_explorer_reacts(rendered.first, name)
        assert not page_errors, f"JavaScript errors in the page: {page_errors}"
    finally:
        try:
            save_screenshot(page, SCREENSHOTS / f"{notebook_path.stem}.png")
        finally:
            context.close()
            server.shut_down_kernels()


# ---- the checks ---------------------------------------------------------------------


def check_kernel_environment(server: LabServer, notebook_name: str) -> None:
    """The notebook's kernel is the project's Python, with the series' Keras settings and no MPLBACKEND."""
    kernel_id = server.kernel_id_for(notebook_name)
    assert kernel_id, f"no kernel session for {notebook_name}"
    process = server.kernel_process(kernel_id)
    assert process is not None, f"kernel {kernel_id} has no process under the server"
    # jupyter_client replaces the kernelspec's "python" with the server's sys.executable.
    assert process.cmdline()[0] == sys.executable, f"kernel runs {process.cmdline()[0]}, not {sys.executable}"
    # /proc/<pid>/environ is the environment the kernel was started with
    # (ipykernel sets its own inline MPLBACKEND later, which does not show here).
    # Plain values only in the asserts: a failure must not print the whole environment to a CI log.
    environment = process.environ()
    for name, expected in KERNEL_VARIABLES.items():
        actual = environment.get(name)
        assert actual == expected, f"kernel has {name}={actual!r}, expected {expected!r}"
    inherited_backend = environment.get("MPLBACKEND")
    assert inherited_backend is None, f"kernel inherited MPLBACKEND={inherited_backend!r}, not the inline backend"


def check_cells(cells: list[dict], stored: dict) -> None:
    """Every code cell ran; errors only where tagged raises-exception (and there); figures where stored."""
    stored_cells = stored["cells"]
    assert len(cells) == len(stored_cells), (
        f"the page shows {len(cells)} cells, the notebook has {len(stored_cells)} "
        "(are cells virtualized? windowingMode should be 'none')"
    )
    problems = []
    last_run = None
    for index, (cell, stored_cell) in enumerate(zip(cells, stored_cells)):
        if stored_cell["cell_type"] != "code":
            continue
        where = describe_cell(index, stored_cell)
        if not has_run(cell["prompt"]):
            # Run All stopped before this cell; every cell below is unrun for the same reason.
            stopper = f" after {last_run}" if last_run else ""
            problems.append(f"{where} did not run (prompt {cell['prompt']!r}): Run All Cells stopped{stopper}")
            break
        last_run = where
        errors = [output["text"] for output in cell["outputs"] if is_error_output(output)]
        if "raises-exception" in stored_cell.get("metadata", {}).get("tags", []):
            stored_names = [out["ename"] for out in stored_cell.get("outputs", []) if out["output_type"] == "error"]
            if not errors:
                problems.append(f"{where} is tagged raises-exception but showed no error")
            elif stored_names and not any(name in text for name in stored_names for text in errors):
                problems.append(f"{where} should raise {stored_names[0]}, showed: {errors[0][:500]}")
        elif errors:
            problems.append(f"{where} shows an error (not tagged raises-exception):\n{errors[0][:1500]}")
        stored_figures = sum("image/png" in out.get("data", {}) for out in stored_cell.get("outputs", []))
        if stored_figures and cell["pngs"] != stored_figures:
            problems.append(f"{where} showed {cell['pngs']} PNG figure(s), the stored notebook has {stored_figures}")
    assert not problems, "\n".join(problems)
    assert sum(cell["pngs"] for cell in cells) >= 1, "no figure (PNG output) was displayed"


def describe_cell(index: int, stored_cell: dict) -> str:
    lines = "".join(stored_cell["source"]).strip().splitlines()
    return f"cell {index} ({lines[0][:60] if lines else 'empty'!r})"


def check_explorer_reacts(explorer: Locator, name: str) -> None:
    """The explorer is real widget DOM, and moving one control changes its sentence and picture."""
    check, view = EXPLORER_CHECKS[name], view_of(name)
    controls = explorer.locator(".widget-slider, .widget-text, .widget-toggle-buttons, .widget-checkbox")
    assert controls.count() >= 1, "the explorer shows no controls"
    sentence = explorer.locator(".widget-html-content")
    picture = explorer.locator("img.widget-image")
    expect(picture).to_have_count(1)
    assert picture.evaluate("image => image.complete && image.naturalWidth > 0"), "the explorer's picture did not load"

    expected_first = expected_sentence(view)
    shown_first = normalize_space(sentence.inner_text())
    assert shown_first == expected_first, f"the explorer does not start at its default inputs: shows {shown_first!r}"
    first_picture = picture.get_attribute("src")

    check.action(explorer)

    expect(sentence).to_have_text(expected_sentence(view, **check.new_inputs), timeout=EXPLORER_UPDATE_TIMEOUT_MS)
    expect(picture).not_to_have_attribute("src", first_picture or "", timeout=EXPLORER_UPDATE_TIMEOUT_MS)
    picture.page.wait_for_function(
        "image => image.complete && image.naturalWidth > 0", arg=picture.element_handle(), timeout=10_000
    )


# ---- links between notebooks ----------------------------------------------------------

# A link from notebook 02 to a section far down notebook 03, written as JupyterLab names headings.
LINK_FROM, LINK_FRAGMENT, LINK_HEADING = "02_output_tensor.ipynb", "8.-The-mask,-completely", "8. The mask, completely"

HEADING_OFFSET_JS = """heading => {
    const scroller = heading.closest('.jp-WindowedPanel-outer');
    const top = heading.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
    return {top, height: scroller.clientHeight, scrolled: scroller.scrollTop};
}"""


def heading_position(heading: Locator) -> dict:
    return heading.evaluate(HEADING_OFFSET_JS)


def test_a_link_between_notebooks_lands_on_its_section(browser: Browser, server: LabServer):
    """Click 02's link to 03 §8 in JupyterLab, as a learner would, and check where the view lands.

    JupyterLab 4.6 opens a notebook that is not open yet at its top: it looks
    for the heading before the notebook's markdown is rendered (measured here;
    jupyterlab/jupyterlab#15207, the code is unchanged upstream). The first
    click must open notebook 03; once 03 is open, the same link lands on §8's
    heading, as every link to a section of an open notebook does. 01 tells
    the learner so.
    """
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(server.notebook_url(LINK_FROM))
        link = page.locator(f".jp-RenderedMarkdown a[href*='{LINK_FRAGMENT}']").first
        link.wait_for(timeout=30_000)
        # JupyterLab resolves the link against the server (…/files/03_averaging_axes.ipynb?…#fragment) and opens it itself
        href = link.get_attribute("href")
        assert "03_averaging_axes.ipynb" in href and href.endswith(f"#{LINK_FRAGMENT}"), href
        current_tab = page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel")
        target = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
        heading = target.locator(".jp-RenderedMarkdown h2", has_text=LINK_HEADING)

        link.click()  # first click: 03 opens
        expect(current_tab).to_have_text("03_averaging_axes.ipynb", timeout=30_000)
        heading.wait_for(timeout=30_000)
        assert LINK_FRAGMENT in (heading.get_attribute("data-jupyter-id"), heading.get_attribute("id"))

        page.locator("#jp-main-dock-panel .lm-TabBar-tab", has_text=LINK_FROM).click()
        expect(current_tab).to_have_text(LINK_FROM, timeout=30_000)
        link.click()  # 03 is open now: the view lands on §8
        expect(current_tab).to_have_text("03_averaging_axes.ipynb", timeout=30_000)
        deadline = time.monotonic() + 20
        while True:
            where = heading_position(heading)
            if 0 <= where["top"] < where["height"] / 2 or time.monotonic() > deadline:
                break
            time.sleep(0.25)
        assert where["scrolled"] > where["height"], f"notebook 03 was not scrolled down to §8: {where}"
        assert 0 <= where["top"] < where["height"] / 2, f"§8's heading is not in view: {where}"
    finally:
        try:
            save_screenshot(page, SCREENSHOTS / "link-02-to-03.png")
        finally:
            context.close()
            server.shut_down_kernels()
