"""A real browser (Debian's headless Chromium) uploads a file, runs a trial and downloads
the report, the way a person would."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import openpyxl
import pytest

from server import CHROMIUM, CHROMIUM_ARGS, REPO, running_app

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("FAIRTRIAL_SCREENSHOTS", "")) if os.environ.get("FAIRTRIAL_SCREENSHOTS") else None


def _shot(page, name: str) -> None:
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _idle(page, timeout: int = 120_000) -> None:
    """Wait until the app has finished running (the 'running' man is gone)."""
    page.wait_for_timeout(300)
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=timeout)


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed (make test installs it with apt-get)")
def test_upload_check_trial_and_download_the_report(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    data = tmp_path / "my_students.csv"
    shutil.copy(REPO / "sample_data" / "students.csv", data)
    log = tmp_path / "server.log"
    with running_app(tmp_path / "browser.duckdb", log) as url, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
            page.goto(url)
            page.get_by_text("Upload your data").first.wait_for(timeout=60_000)
            _shot(page, "1-upload")

            page.get_by_text("My own file").click()
            page.locator("input[type='file']").set_input_files(str(data))
            page.get_by_text("Stored 'my_students' as dataset").wait_for(timeout=60_000)
            _idle(page)
            _shot(page, "2-uploaded")

            page.get_by_role("link", name="2. Check").click()
            page.get_by_text("Which column do you want to predict?").wait_for(timeout=60_000)
            page.locator("[data-testid='stSelectbox']").first.click()
            page.get_by_role("option", name="passed", exact=True).click()
            page.get_by_text("Problems to fix").wait_for(timeout=120_000)
            _idle(page)
            _shot(page, "3-check")

            page.get_by_role("link", name="3. Trial").click()
            page.get_by_text("Start the trial").wait_for(timeout=60_000)
            _idle(page)
            _shot(page, "4-trial")
            page.get_by_role("button", name="Start the trial").click()
            page.get_by_text("Download the Excel report").wait_for(timeout=300_000)
            _idle(page)
            _shot(page, "5-results")

            with page.expect_download(timeout=60_000) as info:
                page.get_by_role("button", name="Download the Excel report").click()
            target = tmp_path / "report.xlsx"
            info.value.save_as(target)
        except Exception:
            _shot(page, "failure")
            print(log.read_text(errors="replace"))
            raise
        finally:
            browser.close()
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames[0] == "Summary"
    assert {"Data checks", "Comparison", "Provenance"} <= set(wb.sheetnames)
    summary = " ".join(str(c.value) for row in wb["Summary"].iter_rows() for c in row if c.value)
    assert "my_students" in summary


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed (make test installs it with apt-get)")
def test_bad_files_and_a_one_value_target_get_one_plain_line_and_keep_what_is_stored(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook")
    same = tmp_path / "same.csv"
    same.write_text("x,outcome\n" + "".join(f"{i},yes\n" for i in range(40)))
    log = tmp_path / "server.log"
    with running_app(tmp_path / "browser.duckdb", log) as url, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url)
            page.get_by_text("Upload your data").first.wait_for(timeout=60_000)
            page.get_by_text("My own file").click()
            upload = page.locator("input[type='file']")

            upload.set_input_files(str(same))
            page.get_by_text("Stored 'same' as dataset").wait_for(timeout=60_000)
            _idle(page)

            for bad, words in ((empty, "The file is empty"), (fake, "is not an Excel workbook")):
                upload.set_input_files(str(bad))
                alert = page.get_by_role("alert").filter(has_text=words)
                alert.wait_for(timeout=60_000)
                lines = [ln for ln in alert.inner_text().splitlines() if ln.strip() and ln.strip() != "error"]
                assert len(lines) == 1 and words in lines[0]  # one plain line (beside the icon's name)
                assert page.get_by_text("Traceback").count() == 0
                _shot(page, f"bad-{bad.name}")

            page.get_by_role("link", name="5. History").click()
            page.get_by_text("What was done", exact=True).wait_for(timeout=60_000)  # the heading, not the intro that mentions it
            assert page.get_by_text("same").first.is_visible()  # the stored dataset is still there

            page.get_by_role("link", name="2. Check").click()
            # Wait until the Check page has drawn its picker (under load the old page lingers a moment).
            page.get_by_text("Which column do you want to predict?").wait_for(timeout=60_000)
            _idle(page)
            page.locator("[data-testid='stSelectbox']").first.click()
            page.get_by_role("option", name="outcome", exact=True).click(timeout=60_000)
            page.get_by_role("alert").filter(has_text="same").wait_for(timeout=60_000)
            assert page.get_by_text("Traceback").count() == 0
            _shot(page, "one-value-target")
        except Exception:
            _shot(page, "failure-bad-input")
            print(log.read_text(errors="replace"))
            raise
        finally:
            browser.close()
