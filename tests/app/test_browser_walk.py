"""The whole path in a real browser (Debian's headless Chromium), as a shop owner walks it, on the
churn sample, which plants a leak ('cancellation_reason' is filled only for customers who left):
upload -> check (the leak is caught, in words) -> trial -> results (the verdict in words) ->
the Excel report and the HTML summary -> a re-run -> History -> new rows (drift) -> promote ->
promote another -> roll back. It asserts what a person sees: the in-use label everywhere at once,
no raw metric ids on any page, a glossary entry with its words, re-runs marked as re-runs.

One screenshot per page goes to ``FAIRTRIAL_SCREENSHOTS`` (default: the test's tmp_path);
``make screenshots`` keeps three of them for the README."""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from server import CHROMIUM, CHROMIUM_ARGS, REPO, running_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LONG = 300_000  # ms: a trial on a loaded machine
WAIT = 90_000  # ms: a page drawn again on a loaded machine
VIEWPORT = {"width": 1280, "height": 900}

# Ids the engine stores; a person must never read them as words on a page.
RAW_IDS = re.compile(r"\b(selection_rate|tpr|fpr|mean_error|mean_signed_error|balanced_accuracy|roc_auc|"
                     r"accuracy_gap|demographic_parity\w*|equalized_odds\w*|equal_opportunity\w*|"
                     r"true_positive_rate|false_positive_rate|brier_skill|log_loss|primary_metric|"
                     r"worst_relative_drop|calibration_error|rerun_of|metric_label)\b")


class Walk:
    """The browser page, where its screenshots go, and what every page must (not) show."""

    def __init__(self, page, shots: Path):
        self.page, self.shots = page, shots
        self.seen: dict[str, str] = {}

    def idle(self, timeout: int = LONG) -> None:
        """Wait until the app has finished running: the 'running' man is gone and no element of the
        run before is left greyed out (stale)."""
        self.page.wait_for_timeout(300)
        self.page.wait_for_function(
            "() => !document.querySelector(\"[data-testid='stStatusWidget']\")"
            " && !document.querySelector(\"[data-stale='true']\")", timeout=timeout)

    def text(self) -> str:
        """Every word the page holds, hidden tabs, charts and the text in boxes included. Tables
        (st.dataframe) are drawn on a canvas, so their cells are not read here: test_state_pages.py
        checks History's table words with AppTest."""
        return self.page.evaluate("""() => {
            const skip = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT']);
            const out = [];
            const walk = (node) => {
                if (node.nodeType === Node.TEXT_NODE) { out.push(node.textContent); return; }
                if (node.nodeType !== Node.ELEMENT_NODE || skip.has(node.tagName)) return;
                if (node.tagName === 'INPUT' && node.type === 'text') out.push(node.value);
                if (node.shadowRoot) walk(node.shadowRoot);
                for (const child of node.childNodes) walk(child);
            };
            walk(document.body);
            return out.join(' ');
        }""")

    def shot(self, name: str) -> None:
        """A viewport-sized screenshot, and a check that the page shows no raw ids."""
        self.shots.mkdir(parents=True, exist_ok=True)
        self.page.wait_for_timeout(400)  # an expander just opened ends its animation (the picture only)
        self.page.screenshot(path=str(self.shots / f"{name}.png"))
        self.plain(name)

    def plain(self, where: str) -> None:
        words = self.text()
        self.seen[where] = words
        raw = sorted(set(RAW_IDS.findall(words)))
        assert not raw, f"raw ids on the {where} page: {raw}"
        assert "Traceback" not in words, f"a traceback on the {where} page"

    def top(self, locator) -> None:
        """Scroll the page so that ``locator`` is at the top of the window (for the screenshot)."""
        locator.first.evaluate("e => e.scrollIntoView({block: 'start'})")

    def go(self, link: str, heading: str) -> None:
        self.page.get_by_role("link", name=link).click()
        self.page.get_by_role("heading", name=heading).first.wait_for(timeout=WAIT)
        self.idle()

    def pick(self, label: str, option: str, *, exact: bool = False) -> None:
        self.open(label)
        self.page.get_by_role("option", name=option, exact=exact).first.click(timeout=WAIT)
        self.idle()

    def open(self, label: str) -> None:
        """Open a selectbox's list with its arrow (a click on a filled box only starts typing)."""
        box = self.page.locator("[data-testid='stSelectbox']").filter(has_text=label).first
        box.get_by_role("button", name="Open").click()
        listbox = self.page.get_by_role("listbox")
        try:
            listbox.wait_for(timeout=5_000)
        except Exception:  # a box focused when the page was drawn again opens from the keyboard
            box.locator("input[role='combobox']").press("ArrowDown")
            listbox.wait_for(timeout=WAIT)

    def chosen(self, label: str) -> str:
        """What a selectbox shows as chosen."""
        box = self.page.locator("[data-testid='stSelectbox']").filter(has_text=label).first
        return box.locator("input[role='combobox']").input_value()

    def options(self, label: str) -> list[str]:
        """The choices a selectbox offers (opened and closed again)."""
        self.open(label)
        listbox = self.page.get_by_role("listbox")
        listbox.wait_for(timeout=WAIT)
        found = [o.inner_text() for o in listbox.get_by_role("option").all()]
        self.page.keyboard.press("Escape")
        return found


def _customers(path: Path) -> Path:
    """The churn sample with each customer's gender added (drawn at random, seed 7): a column about
    people, so the Fairness tab has groups to compare."""
    rows = pd.read_csv(REPO / "sample_data" / "churn.csv")
    rows.insert(2, "gender", np.random.default_rng(7).choice(["female", "male"], len(rows)))
    rows.to_csv(path, index=False)
    return path


def _new_rows(data: Path, path: Path) -> Path:
    """This month's customers: 500 rows of the file without the answer, and fees raised by half."""
    rows = pd.read_csv(data).sample(500, random_state=7)
    rows = rows.drop(columns=["churned", "cancellation_reason"])
    rows["monthly_fee"] = (rows["monthly_fee"] * 1.5).round(2)
    rows["support_calls"] = rows["support_calls"] + np.random.default_rng(7).integers(1, 4, len(rows))
    rows.to_csv(path, index=False)
    return path


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed (make test installs it with apt-get)")
def test_a_shop_owner_walks_from_a_file_to_a_model_in_use_and_back(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    from fairtrial.glossary import term

    shots = Path(os.environ.get("FAIRTRIAL_SCREENSHOTS") or tmp_path / "screenshots")
    data = _customers(tmp_path / "shop_customers.csv")
    new_rows = _new_rows(data, tmp_path / "this_month.csv")
    log = tmp_path / "server.log"
    with running_app(tmp_path / "walk.duckdb", log) as url, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport=VIEWPORT, accept_downloads=True)
        page.set_default_timeout(WAIT)
        walk = Walk(page, shots)
        try:
            # --- 1. Upload: my own file ---------------------------------------------------------------
            page.goto(url)
            page.get_by_text("Upload your data").first.wait_for(timeout=WAIT)
            page.get_by_text("My own file").click()
            page.locator("input[type='file']").set_input_files(str(data))
            page.get_by_text("Stored 'shop_customers' as dataset 1.").wait_for(timeout=WAIT)
            walk.idle()
            walk.shot("1-upload")

            # --- 2. Check: the leak is caught and said in words ---------------------------------------
            walk.go("2. Check", "Check the data")
            walk.pick("Which column do you want to predict?", "churned", exact=True)
            page.get_by_text("Problems to fix").first.wait_for(timeout=LONG)
            walk.idle()
            leak = page.locator("[data-testid='stExpander']").filter(has_text="Filled in only for some outcomes")
            leak.first.wait_for(timeout=WAIT)
            words = leak.first.inner_text()
            assert "'cancellation_reason' is empty for 100% of rows where 'churned' is 'no'" in words
            assert "FairTrial switched 'cancellation_reason' off" in words
            assert "What FairTrial did: Left 'cancellation_reason' out of the models." in words
            walk.top(page.get_by_role("heading", name="Problems to fix"))
            walk.shot("2-check")

            # --- the glossary: an entry opens with its words -----------------------------------------
            page.get_by_text("Words FairTrial uses").click()
            entry = term("balanced_accuracy")
            page.get_by_text(entry.meaning[:60]).first.wait_for(timeout=WAIT)
            glossary = page.locator("[data-testid='stSidebar']").inner_text()
            assert f"{entry.name}: {entry.meaning}" in glossary
            page.get_by_text("Words FairTrial uses").click()

            # --- 3. Trial: Simple against a Decision tree (quick) -------------------------------------
            walk.go("3. Trial", "Run a trial")
            walk.pick("Recipe B", "Decision tree", exact=True)
            walk.shot("3-trial")
            page.get_by_role("button", name="Start the trial").click()

            # --- 4. Results: the verdict in words -----------------------------------------------------
            page.get_by_role("button", name="Download the Excel report").wait_for(timeout=LONG)
            walk.idle()
            verdict = page.locator("[data-testid='stAlert']").first.inner_text()
            assert re.search(r"(beats|no real difference|no clear winner)", verdict), verdict
            walk.shot("4-results")
            for tab in ("Fairness", "Calibration and errors", "Cost", "What mattered", "A vs B per split"):
                page.get_by_role("tab", name=tab).click()
                if tab == "Fairness":  # each group measure in words, chart by chart
                    page.get_by_role("heading", name="By 'gender'").wait_for(timeout=WAIT)
                    for measure in ("How often it predicts the outcome", "Real cases it finds", "False alarms"):
                        page.get_by_text(measure, exact=True).first.click()
                        walk.idle()
                        walk.plain(f"Results (Fairness: {measure})")
                    walk.top(page.get_by_role("heading", name="By 'gender'"))
                    walk.shot("4-results-fairness")
                walk.plain(f"Results ({tab})")
            results = walk.seen["4-results"]
            assert results.count("Too good to be true") <= 1

            # --- the reports ---------------------------------------------------------------------------
            with page.expect_download(timeout=WAIT) as info:
                page.get_by_role("button", name="Download the Excel report").click()
            xlsx = tmp_path / "report.xlsx"
            info.value.save_as(xlsx)
            with page.expect_download(timeout=WAIT) as info:
                page.get_by_role("button", name="One-page summary (HTML)").click()
            html = tmp_path / "summary.html"
            info.value.save_as(html)
            summary = browser.new_page(viewport=VIEWPORT)
            summary.goto(html.as_uri())
            report = Walk(summary, shots)
            report.shot("5-report")
            summary.close()

            # --- a re-run: opened at once, marked, 'same numbers' at the top -------------------------
            page.get_by_role("button", name="Re-run with the same settings").click()
            # it runs in its own thread, as a trial: a progress bar and a Stop button while it runs
            page.get_by_role("button", name="Stop the re-run").wait_for(timeout=WAIT)
            walk.shot("4-results-rerun-running")
            said = page.get_by_text("Re-run as trial 2: the same numbers as trial 1")
            said.wait_for(timeout=LONG)
            walk.idle()
            assert "re-run of trial 1 · same numbers" in walk.chosen("Trial")
            assert said.bounding_box()["y"] < page.get_by_text("What to do next").first.bounding_box()["y"]
            picker = walk.options("Trial")
            assert any(o.startswith("2: ") and "re-run of trial 1 · same numbers" in o for o in picker), picker
            assert any(o.startswith("1: ") and "re-run" not in o for o in picker), picker
            walk.shot("4-results-rerun")

            # --- 5. History ------------------------------------------------------------------------------
            walk.go("5. History", "History")
            page.get_by_text("What was done", exact=True).wait_for(timeout=WAIT)
            history = walk.options("Trial")
            assert any(o.startswith("2: ") and "re-run of trial 1 · same numbers" in o for o in history), history
            walk.shot("6-history")
            first = next(o for o in history if o.startswith("1: "))
            walk.pick("Trial", first, exact=True)
            page.get_by_role("button", name="Open in Results").click()
            page.get_by_role("heading", name="Results").first.wait_for(timeout=WAIT)
            walk.idle()
            assert walk.chosen("Trial").startswith("1: Simple (logistic/linear) vs Decision tree · "), walk.chosen("Trial")
            page.get_by_text("Re-run as trial 2").wait_for(state="detached", timeout=WAIT)  # said once, then gone

            # --- 6. New data: drift, promote, promote another, roll back ------------------------------
            walk.go("6. New data", "New data")
            page.locator("input[type='file']").set_input_files(str(new_rows))
            page.get_by_role("button", name="Score the new rows").wait_for(timeout=LONG)
            walk.idle()
            assert "monthly_fee" in walk.text()
            walk.shot("7-new-data")

            models = walk.options("Saved model")
            simple = next(o for o in models if "Simple (logistic/linear)" in o and o.startswith("1: "))
            tree = next(o for o in models if "Decision tree" in o and o.startswith("2: "))
            for label in (simple, tree):
                assert "shop_customers · churned · " in label and label.endswith("(candidate)"), label
            simple_id, tree_id = simple.split(":")[0], tree.split(":")[0]

            walk.pick("Saved model", simple, exact=True)
            page.get_by_role("button", name="Put this model in use").click()
            page.get_by_text(f"Model {simple_id} is now in use.").wait_for(timeout=WAIT)
            walk.idle()
            assert walk.chosen("Saved model").strip().endswith("(in use)")
            assert page.get_by_role("button", name="Roll back").is_visible()
            page.get_by_role("button", name="Put this model in use").wait_for(state="detached", timeout=WAIT)
            walk.shot("8-promoted")

            walk.pick("Saved model", tree, exact=True)
            page.get_by_role("button", name="Put this model in use").click()
            page.get_by_text(f"Model {tree_id} is now in use; it replaces model {simple_id}.").wait_for(timeout=WAIT)
            walk.idle()
            assert walk.chosen("Saved model").strip().endswith("(in use)")
            now = walk.options("Saved model")
            assert [o for o in now if o.endswith("(in use)")] == [tree.replace("(candidate)", "(in use)")], now

            page.get_by_role("button", name="Roll back").click()
            page.get_by_text(f"Model {tree_id} is out of use; model {simple_id} is back in use.").wait_for(
                timeout=WAIT)
            walk.idle()
            assert walk.chosen("Saved model").strip().endswith("(out of use)")
            page.get_by_role("button", name="Roll back").wait_for(state="detached", timeout=WAIT)
            assert page.get_by_role("button", name="Put this model in use").is_visible()
            now = walk.options("Saved model")
            assert [o for o in now if o.endswith("(in use)")] == [simple.replace("(candidate)", "(in use)")], now
            page.get_by_text("When each model was in use").click()
            timeline = page.locator("[data-testid='stExpander']").filter(has_text="When each model was in use")
            timeline.get_by_text(f"then model {simple_id}.").wait_for(timeout=WAIT)
            words = timeline.inner_text()
            assert f"Model {simple_id} (shop_customers · churned · Simple (logistic/linear)" in words
            assert re.search(rf"Model {simple_id} \(.*\) is in use since", words), words
            walk.shot("9-rolled-back")
        except Exception:
            shots.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shots / "failure.png"), full_page=True)
            print(log.read_text(errors="replace"))
            raise
        finally:
            browser.close()
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames[0] == "Summary"
    summary = " ".join(str(c.value) for row in book["Summary"].iter_rows() for c in row if c.value is not None)
    assert "shop_customers" in summary and "cancellation_reason" in summary
    assert not RAW_IDS.findall(summary), sorted(set(RAW_IDS.findall(summary)))
