"""The printable one-page class handout (report/handout.py): what it says, that user text is
escaped and personal data never printed, that a lesson's trial takes the lesson's story, and
(in a real browser) that it prints on one A4 and one Letter page."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
from trial_fixture import HYPERLINK, PII_VALUES, make_dataset, make_findings, make_trial, with_pii_group

from fairtrial.lessons import lesson_by_id, run_lesson
from fairtrial.report.handout import write_handout
from fairtrial.store import Store
from fairtrial.workflow import handout_html

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run"]


def _handout(trial: dict | None = None, *, dataset: dict | None = None, findings: list | None = None) -> str:
    buffer = io.StringIO()
    write_handout(make_trial() if trial is None else trial, dataset=dataset or make_dataset(),
                  findings=make_findings() if findings is None else findings, out=buffer)
    return buffer.getvalue()


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page.split("</style>", 1)[1]))


def test_the_handout_has_every_part_a_class_needs_in_plain_words():
    trial = make_trial()
    page = _handout(trial)
    text = " ".join(_text(page).split())
    target = trial["plan"]["target"]
    assert f"Can a computer learn to predict ‘{target}’ from the other columns" in text
    for heading in ("The question and the data", "What the checks found before any training", "The verdict",
                    "The key numbers", "Words to know", "Discuss:"):
        assert heading in text, heading
    assert trial["result"]["verdict"]["text"] in text
    assert "Higher is better." in text  # every number says which way is better
    assert 3 <= page.count("<dt>") <= 5
    assert "Would it be known in time" in text


def test_the_handout_is_print_styled_self_contained_and_escaped():
    page = _handout(with_pii_group(make_trial()))
    assert "@media print" in page and "@page { size: A4;" in page
    assert "<script" not in page and not re.search(r"\b(src|href)=", page)  # nothing loaded from anywhere
    assert HYPERLINK not in page and html.escape(HYPERLINK) in page
    for value in PII_VALUES:
        assert value not in page


def _lesson_trial(lesson_id: str) -> tuple[Store, int]:
    store = Store()
    run = run_lesson(store, lesson_by_id(lesson_id), folds=3, repeats=1)
    return store, run.trial_id


def test_a_lesson_handout_tells_the_lessons_story_and_asks_its_question():
    store, trial_id = _lesson_trial("leak")
    lesson = lesson_by_id("leak")
    text = " ".join(_text(handout_html(store, trial_id)).split())
    assert text.startswith(lesson.title)
    assert lesson.what_we_did in text and lesson.discuss in text
    assert "A copy of the target (certificate_issued):" in text  # the lesson's own finding comes first
    assert "too good to be true" in text
    assert "Leakage (a column that gives the answer away):" in text


def test_a_handout_with_and_without_a_people_column_shows_who_gets_a_yes():
    store, trial_id = _lesson_trial("bias")
    text = " ".join(_text(handout_html(store, trial_id)).split())
    assert "Who gets a ‘yes’? By ‘gender’" in text and "Closer together is fairer." in text
    assert re.search(r"female \S* ?\d+\.\d% \S* ?\d+\.\d%", text)


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed (make test installs it with apt-get)")
def test_every_handout_prints_on_one_page_of_A4_and_of_Letter(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    pages = {"fixture": _handout()}
    for lesson_id in ("leak", "bias"):
        store, trial_id = _lesson_trial(lesson_id)
        pages[lesson_id] = handout_html(store, trial_id)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page()
            for name, content in pages.items():
                path = tmp_path / f"{name}.html"
                path.write_text(content, encoding="utf-8")
                page.goto(path.as_uri())
                for paper in ("A4", "Letter"):
                    assert _pages(page.pdf(format=paper)) == 1, (name, paper)
        finally:
            browser.close()


def test_a_kind_of_finding_on_several_columns_is_one_item_naming_the_columns():
    """The loans sample's checks keep age, gender and ethnicity aside, each with a warning of one title: the
    handout says it once, naming the three, and still has room for the next kind of finding."""
    import pandas as pd

    from fairtrial.checks import run_checks

    loans = pd.read_csv(Path(__file__).resolve().parents[2] / "sample_data" / "loans.csv")
    findings = [f for f in run_checks(loans, "approved").findings if f.severity == "warning"]
    assert [f.columns for f in findings if f.check == "sensitive"] == [("age",), ("gender",), ("ethnicity",)]
    text = " ".join(_text(_handout(findings=findings)).split())
    assert text.count("Sensitive: kept for group checks") == 1
    assert "Sensitive: kept for group checks ('age', 'gender' and 'ethnicity')" in text
