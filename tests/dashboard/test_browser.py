"""The real dashboard in Debian's chromium (headless, Playwright): log in, filter, open, seek, compare, save.

Screenshots of each step are kept under the test's tmp folder, or under $HRLAB_SCREENSHOTS when set
(README's screenshots are made that way).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.dashboard.conftest import PASSWORD, USER

pytestmark = [pytest.mark.browser, pytest.mark.slow]
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")  # Debian's chromium only, never a download
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
TIMEOUT_MS = 60_000  # a loaded 2-core machine renders slowly; this bounds a hang, it is not a speed check


@pytest.fixture
def browser_page(tmp_path):
    if CHROMIUM is None:
        pytest.skip("needs Debian chromium (scripts/install-system.sh)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright (the test extra)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        page.set_default_timeout(TIMEOUT_MS)
        yield page
        browser.close()


class Shots:
    def __init__(self, page, folder: Path):
        self.page, self.folder = page, folder
        folder.mkdir(parents=True, exist_ok=True)

    def __call__(self, name: str) -> None:
        self.page.screenshot(path=str(self.folder / f"{name}.png"), full_page=True)


def _log_in(page, url: str, password: str = PASSWORD) -> None:
    page.goto(url)
    page.get_by_label("username").fill(USER)
    page.get_by_label("password").fill(password)
    page.get_by_role("button", name="Login").click()


def _tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def _cell(table, text: str | re.Pattern):
    """A table cell showing `text` (Gradio's dataframe renders each value twice, once hidden)."""
    return table.locator("span.text").filter(has_text=text)


def _choose(page, elem_id: str, option: str) -> None:
    page.locator(f"#{elem_id} input").click()
    page.get_by_role("option", name=option, exact=True).click()


def test_hr_and_researcher_flows_in_a_real_browser(dashboard_server, browser_page, tmp_path):
    url, seeded = dashboard_server
    page = browser_page
    shot = Shots(page, Path(os.environ.get("HRLAB_SCREENSHOTS", tmp_path / "screenshots")))

    _log_in(page, url, password="wrong")
    page.get_by_text(re.compile("Incorrect Credentials", re.I)).wait_for()
    _log_in(page, url)

    # Interviews: every seeded interview lacks a human decision; filter by name; review one.
    notice = page.locator("#interviews-notice")
    notice.get_by_text("3 still need a human decision").wait_for()
    page.locator("#iv-resume textarea, #iv-resume input").first.fill("Grace")
    page.locator("#iv-apply").click()
    notice.get_by_text("1 interview(s) shown").wait_for()
    page.locator("#iv-list").get_by_test_id("cell-0-2").click()
    page.locator("#iv-header").get_by_text("Grace Hopper").wait_for()
    page.locator("#iv-assessment").get_by_text("I built data pipelines in Python").wait_for()
    page.locator("#iv-decision").get_by_text("hold", exact=True).click()
    page.locator("#iv-notes textarea").fill("strong pipelines, ask about testing")
    shot("interviews")
    page.locator("#iv-save").click()
    page.locator("#iv-saved").get_by_text("Saved: hold").wait_for()

    page.reload()
    notice.get_by_text("2 still need a human decision").wait_for()
    page.locator("#iv-id input").fill(str(seeded.session_ids[1]))
    page.locator("#iv-open").click()
    history = page.locator("#iv-history")
    _cell(history, "strong pipelines, ask about testing").wait_for()
    assert _cell(history, re.compile(f"^{USER}$")).count() == 1  # the login, not a typed name, is the reviewer

    # Runs: filter by variant, open a run, choose a turn: the recording seeks to it.
    _tab(page, "Runs")
    page.locator("#runs-notice").get_by_text("13 run(s) shown").wait_for()
    _choose(page, "runs-variant", "tight_endpointing")
    page.locator("#runs-apply").click()
    page.locator("#runs-notice").get_by_text("7 run(s) shown").wait_for()
    run_id = seeded.run_ids[1]  # repeat 0, en_short, tight_endpointing
    page.locator("#runs-id textarea, #runs-id input").first.fill(run_id)
    page.locator("#runs-open").click()
    audio = page.locator("#run-audio")
    audio.wait_for(state="attached")
    page.wait_for_function("document.querySelector('#run-audio').readyState >= 1")
    page.locator("#runs-dialogue [data-seq='4']").click()
    position = page.evaluate("document.querySelector('#run-audio').currentTime")
    assert position == pytest.approx(11.0, abs=0.05)
    assert page.locator("#runs-dialogue .sub").count() > 0  # heard "four" for "five" is marked
    shot("runs")

    # Compare: both variants of the smoke suite; the faster one is marked better on latency.
    _tab(page, "Compare")
    page.locator("#cmp-run").click()
    metrics = page.locator("#cmp-metrics")
    _cell(metrics, "★ better").first.wait_for()
    shot("compare")
    page.locator("#cmp-csv").get_by_text("smoke_per_scenario").first.wait_for()

    # Annotate: the run open in Runs; rate a question and the assessment; see both after a reload.
    _tab(page, "Annotate")
    page.locator("#ann-status").get_by_text(f"3 AI turn(s) in run {run_id}").wait_for()
    _choose(page, "ann-question", "3: Which tools did you use for the pipelines?")
    page.locator("#ann-question-rating").get_by_text("4", exact=True).click()
    page.locator("#ann-save-question").click()
    page.locator("#ann-status").get_by_text("Saved question rating 4").wait_for()
    page.locator("#ann-assessment-rating").get_by_text("5", exact=True).click()
    page.locator("#ann-save-assessment").click()
    page.locator("#ann-status").get_by_text("Saved assessment rating 5").wait_for()
    shot("annotate")

    page.reload()
    _tab(page, "Annotate")
    page.locator("#ann-run textarea, #ann-run input").first.fill(run_id)
    page.locator("#ann-load").click()
    table = page.locator("#ann-list")
    _cell(table, re.compile("^question$")).wait_for()
    _cell(table, re.compile("^assessment$")).wait_for()
