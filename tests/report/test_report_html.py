"""The one-page HTML summary: self-contained, escaped, small, and the same words as the workbook."""

from __future__ import annotations

import copy
import html
import re
import io
from html.parser import HTMLParser

import pytest
from groups_frames import GAP, preds
from trial_fixture import (
    AT_SUM,
    PII_VALUES,
    HYPERLINK,
    MINUS,
    make_dataset,
    make_findings,
    make_numeric_trial,
    make_old_trial,
    make_trial,
    with_pii_group,
)

from fairtrial.findings import Finding
from fairtrial.groups import group_results
from fairtrial.report import write_html_summary
from fairtrial.report.html import MAX_GROUPS

FIVE_MB = 5 * 1024 * 1024
NASTY = '<script>alert("x")</script>'
IMG = "<img src=x onerror=alert(1)>"


def _page(trial: dict | None = None, *, dataset: dict | None = None, findings: list | None = None) -> str:
    buffer = io.StringIO()
    write_html_summary(make_trial() if trial is None else trial, dataset=dataset or make_dataset(),
                       findings=make_findings() if findings is None else findings, out=buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def page() -> str:
    return _page()


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, dict(attrs)))


def _assert_self_contained(text: str) -> None:
    parser = _Tags()
    parser.feed(text)
    names = {tag for tag, _ in parser.tags}
    assert not names & {"script", "link", "img", "iframe", "object", "embed", "base"}, names
    for tag, attrs in parser.tags:
        assert not {"src", "href", "srcset", "action"} & set(attrs), (tag, attrs)
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
    assert "@import" not in text and "url(" not in text
    assert "Content-Security-Policy" in text


def test_page_is_self_contained(page):
    _assert_self_contained(page)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<style>" in page and "<svg" in page


def test_page_has_verdict_numbers_warnings_chart_groups_and_next_steps(page):
    trial = make_trial()
    for sentence in trial["result"]["verdict"]["sentences"]:
        assert html.escape(sentence) in page
    assert "<td>Balanced accuracy, Recipe B: Random forest</td><td class=\"num\">77.8%</td>" in page
    assert "p = 0.004: a difference this size is very unlikely to be luck." in page
    assert "Higher is better" in page and "Lower is better" in page
    assert '<li class="critical">Critical: &#x27;cancel_date&#x27; gives the answer away' in page
    assert page.count("<polyline") == 3 and page.count("<circle") == 45
    assert "By ‘gender’" in page and f"By ‘{html.escape(AT_SUM)}’" in page
    assert html.escape("Gap in how often it says 'yes' (demographic parity)") in page
    assert "95%: 1.2 to 11.0 points" in page  # a gap between two shares is in points
    assert "<h2>What to do next</h2>" in page and "the Provenance sheet of the Excel report" in page
    assert page.index("<h2>What to do next</h2>") < page.index("<h2>What we found</h2>")
    assert make_dataset()["sha256"] in page


def test_user_text_is_escaped(page):
    assert f"FairTrial report: {html.escape(HYPERLINK)}</h1>" in page
    assert f"<td>{html.escape(MINUS)}</td>" in page
    trial = copy.deepcopy(make_trial())
    trial["plan"]["target"] = NASTY
    trial["result"]["groups"]["gender"]["groups"][0]["group"] = IMG
    trial["result"]["groups"]["gender"]["column"] = "a & b"
    trial["result"]["verdict"]["sentences"] = [f"Recipe B wins for {NASTY}."]
    finding = Finding("missing", "critical", (IMG,), f"{IMG} is empty", "x", "y")
    text = _page(trial, dataset=dict(make_dataset(), name=NASTY), findings=[finding])
    _assert_self_contained(text)
    assert NASTY not in text and IMG not in text
    assert html.escape(NASTY) in text and html.escape(IMG) in text
    assert "By ‘a &amp; b’" in text


def test_page_stays_small_for_a_huge_trial():
    trial = make_trial()
    result = trial["result"]
    n = 1000
    result["a"]["fold_scores"] = [0.7 + (i % 7) / 100 for i in range(n)]
    result["b"]["fold_scores"] = [0.72 + (i % 5) / 100 for i in range(n)]
    result["baseline"]["fold_scores"] = [0.5] * n
    result["difference"]["splits"] = None
    block = result["groups"]["gender"]
    template = block["groups"][0]
    block["groups"] = [dict(template, group=f"group {i} " + "x" * 80) for i in range(20_000)]
    findings = [Finding("missing", "warning", (f"col{i}",), f"col{i} is often empty", "m" * 300, "s" * 200)
                for i in range(5000)]
    text = _page(trial, findings=findings)
    size = len(text.encode("utf-8"))
    assert size < FIVE_MB, size
    assert f"The first {MAX_GROUPS} of 20000 groups; the Excel report has all." in text
    # 5,000 findings + the group finding + the calibration warning, of which 6 are shown
    assert "… and 4996 more in the Excel report." in text


def test_numeric_trial_and_old_trial_pages(tmp_path):
    numeric = _page(make_numeric_trial(), findings=[])
    assert "No sensitive columns were chosen for this trial" in numeric
    assert "Mean absolute error, Recipe A: Simple (logistic/linear)" in numeric
    assert "Below 0 means B is better" in numeric
    old = _page(make_old_trial(), findings=[])
    assert "No verdict was stored for this trial" in old
    assert "Per-split scores are not available for this trial." in old
    _assert_self_contained(old)


def test_writes_to_a_path_as_utf8(tmp_path):
    path = tmp_path / "summary.html"
    write_html_summary(make_trial(), dataset=make_dataset(), findings=make_findings(), out=path)
    text = path.read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in text and "×" in text


def test_groups_of_a_personal_data_column_are_left_out():
    text = _page(with_pii_group(make_trial()))  # the pii finding names 'email'
    assert not any(html.escape(value) in text or value in text for value in PII_VALUES)
    assert "Results per group for &#x27;email&#x27; are left out: the column holds personal data." in text
    assert "By ‘gender’" in text


# --- plain words: the glossary ----------------------------------------------------------------
RAW_IDS = re.compile(r"\b(selection_rate|overall_selection_rate|tpr|fpr|mean_error|balanced_accuracy|"
                     r"demographic_parity_ratio|equal_opportunity_difference|accuracy_gap|accuracy_drop)\b")


def _real_groups_trial() -> dict:
    """The fixture trial with group results as ``groups.py`` really stores them."""
    trial = copy.deepcopy(make_trial())
    trial["result"]["primary_metric"] = "accuracy"
    trial["result"]["groups"] = {"gender": group_results(GAP["gender"], GAP["approved"], preds(GAP, "a", "b"),
                                                         task="binary", positive="yes", column="gender")}
    return trial


def _visible(text: str) -> str:
    body = text[text.index("<body>"):]
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def test_the_page_explains_the_words_it_uses(page):
    assert "<h2>Words used</h2>" in page
    words = page[page.index("<h2>Words used</h2>"):page.index("<footer>")]
    for name in ("Balanced accuracy", "Baseline (always guessing)", "Re-split", "Part (fold)", "95% range",
                 "Could be luck (p-value)", "Seed", "Rows kept aside (holdout)",
                 "Four-fifths rule", "Gap in mistakes (equalized odds)",
                 "Leakage (a column that gives the answer away)",
                 # the verdict's calibration error, balanced weights, what mattered most and cost
                 "Calibration error", "Balanced weights", "Importance",
                 "Cost (time and size)"):
        assert f"<dt>{html.escape(name)}</dt>" in words, name
    assert "Higher is better." in words and "Neither: closer to 0 is fairer" in words
    # a word the page does not use is not listed
    assert "Drift" not in words and "Wasserstein" not in words


def test_words_used_lists_only_the_checks_and_terms_the_page_shows(page):
    """The page lists warnings and criticals, not the info findings (an ID column, mixed types, possible
    sensitive columns), and never says whether a group was judged: those words are for the workbook."""
    from fairtrial import glossary

    words = page[page.index("<h2>Words used</h2>"):page.index("<footer>")]
    for check in ("id_like", "judged"):
        term = glossary.term(check)
        assert term is not None, check
        assert f"<dt>{html.escape(term.name)}</dt>" not in words, check
    assert f"<dt>{html.escape(glossary.term('pii').name)}</dt>" in words  # a warning the page lists


def test_group_measures_as_stored_are_shown_with_plain_names_meanings_and_directions():
    text = _visible(_page(_real_groups_trial()))
    assert RAW_IDS.findall(text) == []
    assert "The score FairTrial used" not in text
    fairness = text[text.index("Fairness measure"):text.index("Words used")]
    row = fairness[fairness.index("Selection rate (how often it says 'yes')"):]
    row = row[:row.index("Neither") + 60]
    assert "Higher is better" not in row
    assert "Neither: it describes, it does not grade" in row
    assert "Gap in real cases found (equal opportunity)" in fairness
    assert "Neither: closer to 1 is fairer" in fairness  # the four-fifths ratio


# --- on paper ---------------------------------------------------------------------------------
CHROMIUM = "/usr/bin/chromium"  # Debian's Chromium, launched as tests/app/server.py does
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", data))


def test_the_page_has_print_styles_that_hide_what_paper_cannot_use(page):
    style = page[page.index("<style>"):page.index("</style>")]
    print_css = style[style.index("@media print"):]
    hidden = {sel.strip() for rule in re.findall(r"([^{}]*)\{\s*display:\s*none", print_css) for sel in rule.split(",")}
    assert {"details", "td.means", "ul.group-warnings"} <= hidden
    assert "break-inside: avoid" in print_css
    assert '<td class="means">' in _page(_real_groups_trial())  # the long meanings are screen-only


def _loans_page(tmp_path) -> str:
    """The summary of a real trial on the loans sample: three sensitive columns (age, gender, ethnicity)
    with group gaps and their findings, as a user runs it."""
    from pathlib import Path

    from fairtrial.cli import main

    out = tmp_path / "loans.html"
    loans = Path(__file__).resolve().parents[2] / "sample_data" / "loans.csv"
    assert main(["compare", str(loans), "--target", "approved", "--a", "simple", "--b", "forest", "--quiet",
                 "--html", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def test_on_paper_the_groups_are_narrow_tables_side_by_side_and_one_fairness_table():
    """Paper gets each column's groups in a narrow table, side by side, and every column's fairness
    measures in one table (A and B per column, the 95% range in small type); the screen keeps a table
    per column with the meanings. Both show the same numbers."""
    text = _page()
    style = text[text.index("<style>"):text.index("</style>")]
    screen, print_css = style.split("@media print", 1)
    assert re.search(r"\.print-only\s*\{\s*display:\s*none", screen)
    assert re.search(r"table\.print-only\s*\{\s*display:\s*table", print_css)
    fair = text[text.index('<table class="print-only fair-all">'):]
    fair = fair[:fair.index("</table>")]
    assert "By ‘gender’" in fair and f"By ‘{html.escape(AT_SUM)}’" in fair
    # the gender gap in how often it says 'yes': A 6.1 points (1.2 to 11.0), B 8.3 (3.0 to 14.0)
    row = fair[fair.index("Gap in how often it says"):]
    row = row[:row.index("</tr>")]
    assert re.findall(r'<td class="num">([^<]*)<small>([^<]*)</small>', row)[:2] == [("6.1 ", "1.2–11.0"),
                                                                                      ("8.3 ", "3.0–14.0")]
    assert ("A is Simple (logistic/linear), B is Random forest. Gaps are in points; the small numbers are the 95% "
            "range.") in text
    narrow = text[text.index('<div class="paper-groups print-only">'):]
    narrow = narrow[:narrow.index("</div>")]
    assert narrow.count("<table>") == 2 and "By ‘gender’: Balanced accuracy" in narrow
    assert "<td>female</td><td class=\"num\">980</td><td class=\"num\">75.1%</td><td class=\"num\">79.2%</td>" in narrow
    # the screen's tables per column are still there, hidden on paper
    assert text.count('<table class="screen-only"><thead><tr><th>Fairness measure</th>') == 2


@pytest.mark.browser
@pytest.mark.skipif(not __import__("pathlib").Path(CHROMIUM).exists(),
                    reason="Chromium is not installed (make test installs it with apt-get)")
@pytest.mark.parametrize("kind", ["binary trial with groups", "real groups", "number target",
                                  "loans sample, three sensitive columns"])
def test_the_summary_prints_on_two_pages_or_fewer(kind, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    if kind.startswith("loans"):
        text = _loans_page(tmp_path)  # printed on 3 pages before the groups were laid out for paper
        assert text.count("<h3>By ") == 3
    else:
        text = _page({"binary trial with groups": make_trial, "real groups": _real_groups_trial,
                      "number target": make_numeric_trial}[kind]())
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            tab = browser.new_page()
            tab.set_content(text)
            pages = {size: _pdf_pages(tab.pdf(format=size, print_background=True)) for size in ("A4", "Letter")}
        finally:
            browser.close()
    assert pages["A4"] <= 2 and pages["Letter"] <= 2, pages


def test_repeats_chosen_by_fairtrial_are_said_as_the_number_the_trial_used():
    trial = make_trial()
    trial["plan"]["repeats"] = None  # "let FairTrial choose": the result says what it chose
    used = trial["result"]["splits"]["repeats"]
    text = _page(trial)
    assert f"parts × {used} re-splits" in text and "None re-splits" not in text


def test_on_screen_only_the_verdict_itself_is_bold_not_every_reason_under_it(page):
    screen = page.split("@media print")[0]
    rules = {m.group(1).strip(): m.group(2) for m in re.finditer(r"([^{}]+)\{([^}]*)\}", screen)}
    assert "font-weight" not in rules["ul.verdict"]
    assert "font-weight: 600" in rules["ul.verdict li:first-child"]


def test_a_group_problem_of_both_recipes_is_explained_once_with_a_s_and_b_s_numbers():
    """Both recipes approve men far more often than women: the page explains the demographic parity gap and
    the four-fifths rule once each, gives A's and B's numbers after the explanation, and does not say again
    above the warnings what the warnings say."""
    from groups_frames import block, shuffled

    both = shuffled(block("women", 100, 100, a=(50, 10), b=(55, 12)), block("men", 100, 100, a=(90, 40), b=(85, 35)))
    trial = copy.deepcopy(make_trial())
    trial["result"]["groups"] = {"gender": group_results(
        both["gender"], both["approved"], preds(both, "a", "b"), task="binary", positive="yes", column="gender",
        labels={"a": "Simple (logistic/linear)", "b": "Random forest"})}
    text = " ".join(_visible(_page(trial)).split())
    groups = text[text.index("Groups: whom does each recipe serve worse?"):text.index("Words used")]
    assert groups.count("is called the demographic parity difference") == 1
    assert groups.count("The four-fifths rule divides") == 1
    assert groups[:groups.index("Fairness measure")].count("not a legal finding") == 1  # the table says it too
    assert "Both recipes approve some gender groups more often than others: The gap in the share of people a " \
           "recipe approves" in groups
    assert re.search(r"Recipe A \(Simple \(logistic/linear\)\): 65% for men vs 30% for women, a gap of 35 points "
                     r"\(likely between \d+ and \d+ points\)\. Recipe B \(Random forest\): 60% for men vs 34% for "
                     r"women, a gap of 27 points", groups), groups
    assert "(ratio 0.46, below the common 0.8 screening line" not in groups  # the summary's own copy, left out
