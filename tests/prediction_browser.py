"""Answering a prediction in a real browser, as a keyboard and screen-reader user would (JupyterLab and the site).

Both browser tests (tests/browser/test_predictions_lab.py and
tests/site/test_site_predictions.py) call ``answer_wrong_then_right``: it
moves the focus with Tab only, opens a wrong option with Enter and then the
right one with Space, and checks after each step what the page shows and
what Chromium's accessibility tree tells a screen reader (each option a
focusable disclosure named by its text, collapsed until chosen).
"""

from __future__ import annotations

import re

from prediction_fixture import PredictionUnderTest

MAX_TABS = 40
# Chromium's accessibility role for a <summary>: a disclosure button, announced with its expanded state.
DISCLOSURE_ROLE = "DisclosureTriangle"


def words(text: str) -> list[str]:
    """The words of a text as a reader sees them: markdown link targets, marks and punctuation dropped."""
    return re.findall(r"[A-Za-z0-9]+", re.sub(r"\]\([^)]*\)", "]", text))


def disclosures(page) -> list[dict]:
    """Every disclosure button on the page as the accessibility tree has it: name, expanded, focusable."""
    session = page.context.new_cdp_session(page)
    try:
        nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        session.detach()
    found = []
    for node in nodes:
        if node.get("role", {}).get("value") != DISCLOSURE_ROLE:
            continue
        properties = {item["name"]: item["value"].get("value") for item in node.get("properties", [])}
        found.append(
            {
                "name": " ".join(str(node.get("name", {}).get("value", "")).split()),
                "expanded": bool(properties.get("expanded")),
                "focusable": bool(properties.get("focusable")),
            }
        )
    return found


def option_names(under_test: PredictionUnderTest) -> list[str]:
    return [f"{chr(ord('A') + index)}. {option.text}" for index, option in enumerate(under_test.prediction.options)]


def tab_to(page, summary, backwards: bool = False) -> None:
    """Press Tab (Shift+Tab if ``backwards``) until ``summary`` has the focus; fails if the keyboard cannot reach it."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MAX_TABS):
        if summary.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{key} never reached the option {summary.inner_text()!r} ({MAX_TABS} presses)")


def check_shown(option_block, under_test: PredictionUnderTest, index: int) -> None:
    """The option at ``index`` is open and shows its verdict and its whole explanation."""
    option = under_test.prediction.options[index]
    assert option_block.evaluate("details => details.open"), f"option {index} did not open"
    explanation = option_block.locator(":scope > :not(summary)")
    shown = " ".join(explanation.all_inner_texts())
    verdict = "Right:" if option.right else "Not quite:"
    assert shown.strip().startswith(verdict), f"option {index} shows {shown[:80]!r}, expected it to start {verdict!r}"
    assert words(option.why) and " ".join(words(option.why)) in " ".join(words(shown)), (
        f"option {index} shows {shown!r}; its explanation is {option.why!r}"
    )
    assert explanation.first.is_visible(), f"the explanation of option {index} is not visible"


def check_hidden(option_block, index: int) -> None:
    assert not option_block.evaluate("details => details.open"), f"option {index} is open before it was chosen"
    hidden = option_block.locator(":scope > :not(summary)")
    assert all(not hidden.nth(i).is_visible() for i in range(hidden.count())), f"option {index} shows its explanation"


def answer_wrong_then_right(page, question, options, under_test: PredictionUnderTest) -> None:
    """Answer a prediction: first a wrong option, then the right one, by keyboard.

    ``question`` locates the paragraph that asks it, ``options`` its
    ``<details>`` blocks (the first ones it matches, in order). Before any
    answer every explanation is hidden; the focus starts from a click on the
    question, and only Tab, Shift+Tab, Enter and Space are used after it.
    """
    count = len(under_test.prediction.options)
    assert options.count() >= count, f"the page shows {options.count()} options, the prediction has {count}"
    names = option_names(under_test)
    shown_names = [" ".join(options.nth(i).locator("summary").inner_text().split()) for i in range(count)]
    assert shown_names == names, f"the page shows the options {shown_names}, expected {names}"
    tree = [d for d in disclosures(page) if d["name"] in names]
    assert [d["name"] for d in tree] == names, f"the accessibility tree names the options {tree}, expected {names}"
    assert all(d["focusable"] and not d["expanded"] for d in tree), tree
    for index in range(count):
        check_hidden(options.nth(index), index)

    wrong, right = under_test.wrong_index, under_test.prediction.right_index
    question.click()  # a reader's pointer or caret lands on the question
    tab_to(page, options.nth(wrong).locator("summary"))
    page.keyboard.press("Enter")
    check_shown(options.nth(wrong), under_test, wrong)
    check_hidden(options.nth(right), right)

    tab_to(page, options.nth(right).locator("summary"), backwards=right < wrong)
    page.keyboard.press("Space")
    check_shown(options.nth(right), under_test, right)
    expanded = {d["name"]: d["expanded"] for d in disclosures(page) if d["name"] in names}
    assert expanded[names[wrong]] and expanded[names[right]], expanded
    assert not any(expanded[name] for i, name in enumerate(names) if i not in (wrong, right)), expanded
