"""The Excel report: every sheet's content, formats, charts, safety and the provenance round trip."""

from __future__ import annotations

import copy
import io
import math
import re
import shutil
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from groups_frames import GAP, preds
from openpyxl.chart import BarChart, LineChart, ScatterChart
from trial_fixture import (
    AT_SUM,
    DDE,
    FORMULA_VALUES,
    HYPERLINK,
    MINUS,
    NA_ERROR,
    PII_COLUMNS,
    PII_VALUES,
    make_dataset,
    make_findings,
    make_numeric_trial,
    make_old_trial,
    make_plan,
    make_predictions,
    make_trial,
    with_pii_group,
)

from fairtrial.errors import BadFileError
from fairtrial.groups import group_results
from fairtrial.report import PREDICTIONS_SHEET, SHEETS, provenance_settings, write_excel_report
from fairtrial.report import excel as excel_module
from fairtrial.report import layout

EXPECTED_SHEETS = ["Summary", "Data checks", "Comparison", "Groups", "Details", "Words", "Provenance"]
GROUP_NUMBERS = ["Group numbers"]  # every number per group, after the sheets above
HIDDEN = ["Provenance", "Group numbers"]  # for FairTrial and other programs: hidden, so they are not printed


def _write(tmp_path: Path, trial: dict | None = None, name: str = "report.xlsx", **kwargs) -> Path:
    path = tmp_path / name
    kwargs.setdefault("findings", make_findings())
    write_excel_report(make_trial() if trial is None else trial, dataset=make_dataset(), out=path, **kwargs)
    return path


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write(tmp_path_factory.mktemp("report"), predictions=make_predictions(), pii_columns=PII_COLUMNS)


@pytest.fixture(scope="module")
def wb(report: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(report)


def _texts(ws) -> list[str]:
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def _find(ws, value: str):
    """The first cell whose value is exactly ``value``."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == value:
                return cell
    raise AssertionError(f"{value!r} not found on {ws.title}")


def _column(ws, header: str, header_row: int = 1) -> list:
    col = next(c.column for c in ws[header_row] if c.value == header)
    return [ws.cell(row=r, column=col).value for r in range(header_row + 1, ws.max_row + 1)]


def _sheet_xml(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")}


# --- structure ------------------------------------------------------------------------------
def test_sheets_in_order_with_predictions_last(wb):
    assert list(SHEETS) == EXPECTED_SHEETS
    assert wb.sheetnames == EXPECTED_SHEETS + GROUP_NUMBERS + [PREDICTIONS_SHEET]
    assert wb.active.title == "Summary"
    assert [ws.title for ws in wb.worksheets if ws.sheet_state != "visible"] == HIDDEN


def test_no_predictions_sheet_without_predictions(tmp_path):
    wb = openpyxl.load_workbook(_write(tmp_path))
    assert wb.sheetnames == EXPECTED_SHEETS + GROUP_NUMBERS


@pytest.mark.parametrize("sheet, frozen", [
    ("Summary", "A2"), ("Data checks", "A2"), ("Comparison", "A2"), ("Group numbers", "C2"), ("Provenance", "A2"),
    ("Predictions", "A2"),
])
def test_header_rows_are_frozen_bold_and_columns_sized(wb, sheet, frozen):
    ws = wb[sheet]
    assert ws.freeze_panes == frozen
    assert ws["A1"].font.b
    assert all((ws.column_dimensions[letter].width or 0) >= 6 for letter in "ABC")


# --- Summary --------------------------------------------------------------------------------
def test_summary_has_verdict_key_numbers_warnings_and_next_steps(wb):
    ws = wb["Summary"]
    texts = _texts(ws)
    assert texts[0] == f"FairTrial report: {HYPERLINK}"
    for sentence in make_trial()["result"]["verdict"]["sentences"]:
        assert sentence in texts
    for heading in ("What to do next", "What we found", "Key numbers", "Main warnings"):
        assert heading in texts
    label = _find(ws, "Balanced accuracy, Recipe B: Random forest")
    value = ws.cell(row=label.row, column=2)
    assert value.value == pytest.approx(make_trial()["result"]["b"]["mean"])
    assert value.number_format == "0.0%"
    assert ws.cell(row=label.row, column=4).value == "Higher is better"
    assert ws.cell(row=label.row, column=3).value.startswith("The same for recipe B")
    diff = _find(ws, "Difference, B minus A")
    assert ws.cell(row=diff.row, column=2).number_format == "+0.0%;-0.0%;0.0%"
    assert "so the difference is real" in ws.cell(row=diff.row, column=3).value
    p = _find(ws, "Could the difference be luck? (p-value)")
    assert ws.cell(row=p.row, column=3).value == "p = 0.004: a difference this size is very unlikely to be luck."
    assert ws.cell(row=_find(ws, "Seconds to train, Recipe A: Simple (logistic/linear)").row, column=4).value \
        == "Lower is better"
    assert texts.index("Critical: 'cancel_date' gives the answer away: Leave it out. FairTrial did; you can undo "
                       "that.") < texts.index("Warning: Few people churned: FairTrial scores with balanced accuracy;"
                                              " keep it that way.")
    assert any(t.startswith("2. Use Random forest: choosing Simple (logistic/linear) instead would cost about 4.2 "
                            "points of balanced accuracy") for t in texts)
    assert texts.index("What to do next") < texts.index("What we found")
    assert "The columns 'email', 'full_name' hold personal data, so they are not copied into the Predictions " \
           "sheet." in texts


def test_summary_fits_one_screen_and_wraps(wb):
    ws = wb["Summary"]
    assert ws.max_row <= 40
    assert ws.max_column == 4
    verdict = _find(ws, make_trial()["result"]["verdict"]["sentences"][0])
    assert verdict.alignment.wrap_text
    assert ws.row_dimensions[verdict.row].height >= 15
    assert any(str(r) == f"A{verdict.row}:D{verdict.row}" for r in ws.merged_cells.ranges)


# --- Data checks ----------------------------------------------------------------------------
def test_data_checks_list_every_finding_most_severe_first(wb):
    ws = wb["Data checks"]
    header = [c.value for c in ws[1]]
    assert header == ["Severity", "Check", "Columns", "Title", "What we saw", "What to do", "What FairTrial did"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    findings = make_findings()
    assert len(rows) == len(findings)
    assert [r[0] for r in rows] == ["critical", "warning", "warning", "warning", "info", "info", "info"]
    leak = rows[0]
    assert leak[1:] == ["Leakage (a column that gives the answer away)", "cancel_date",
                        "'cancel_date' gives the answer away", findings[1].message, findings[1].suggestion, "excluded"]
    assert [r[1] for r in rows[3:6]] == ["Missing", "ID column", "Mixed types"]  # the glossary's names, not check ids
    assert rows[5][2] == f"{DDE}, {MINUS}"
    fills = {r: ws.cell(row=r, column=1).fill.fgColor.rgb for r in range(2, len(rows) + 2)}
    assert fills[2].endswith("F8CBAD") and fills[3].endswith("FFE699") and fills[6].endswith("DDEBF7")
    assert ws.cell(row=2, column=5).alignment.wrap_text
    assert ws.auto_filter.ref == "A1:G8"


def test_no_findings_says_so(tmp_path):
    ws = openpyxl.load_workbook(_write(tmp_path, findings=[]))["Data checks"]
    assert ws["A2"].value == "The data checks found nothing to report for this dataset."


# --- Comparison -----------------------------------------------------------------------------
def test_comparison_lists_every_split_and_the_mean_difference(wb):
    ws = wb["Comparison"]
    result = make_trial()["result"]
    header = [c.value for c in ws[1]][:7]
    assert header == ["Split", "Repeat", "Fold", "Recipe A: Simple (logistic/linear)", "Recipe B: Random forest",
                      "Baseline: always guessing", "B minus A"]
    n = len(result["a"]["fold_scores"])
    assert n == 15
    for i in range(n):
        row = [ws.cell(row=i + 2, column=col).value for col in range(1, 8)]
        assert row[:3] == [i + 1, i // 5 + 1, i % 5 + 1]
        assert row[3:] == pytest.approx([result["a"]["fold_scores"][i], result["b"]["fold_scores"][i], 0.5,
                                         result["difference"]["splits"][i]])
    assert ws["D2"].number_format == "0.0%"
    assert ws["G2"].number_format == "+0.0%;-0.0%;0.0%"
    mean = _find(ws, "Average difference, B minus A")
    assert ws.cell(row=mean.row, column=mean.column + 1).value == pytest.approx(result["difference"]["mean"])
    low = _find(ws, "95% range: low end")
    high = _find(ws, "95% range: high end")
    assert ws.cell(row=low.row, column=low.column + 1).value == pytest.approx(result["difference"]["ci_low"])
    assert ws.cell(row=high.row, column=high.column + 1).value == pytest.approx(result["difference"]["ci_high"])
    assert "Final check: text" in _texts(ws)


def test_comparison_has_a_line_chart_of_a_and_b(wb):
    charts = wb["Comparison"]._charts
    assert len(charts) == 1 and isinstance(charts[0], LineChart)
    assert len(charts[0].series) == 3


def test_difference_is_worked_out_when_not_stored(tmp_path):
    trial = make_numeric_trial()  # difference.splits is a count there, not a list
    ws = openpyxl.load_workbook(_write(tmp_path, trial))["Comparison"]
    a, b = trial["result"]["a"]["fold_scores"], trial["result"]["b"]["fold_scores"]
    assert [ws.cell(row=i + 2, column=7).value for i in range(len(a))] == pytest.approx([y - x for x, y in zip(a, b)])
    assert ws["D2"].number_format == "#,##0.0"  # errors of about 12 in the target's units: one decimal


# --- Groups ---------------------------------------------------------------------------------
def test_group_numbers_sheet_has_every_group_with_intervals(wb):
    ws = wb["Group numbers"]
    assert ws.sheet_state == "hidden"
    header = [c.value for c in ws[1] if c.value is not None]
    assert header[:8] == ["Sensitive column", "Group", "Rows", "Enough rows to judge?", "How sure",
                          "Recipe A: Balanced accuracy", "Recipe A: low (95%)", "Recipe A: high (95%)"]
    assert header[-1] == "Note"
    assert _column(ws, "Group")[:7] == ["female", "male", MINUS, NA_ERROR, HYPERLINK, DDE, "18-29"]
    assert _column(ws, "Sensitive column")[:7] == ["gender"] * 4 + [AT_SUM] * 3
    female = _find(ws, "female").row
    a_col = header.index("Recipe A: Balanced accuracy") + 1
    assert [ws.cell(row=female, column=a_col + k).value for k in range(3)] == pytest.approx([0.751, 0.711, 0.791])
    assert ws.cell(row=female, column=a_col).number_format == "0.0%"
    small = _find(ws, NA_ERROR).row
    assert ws.cell(row=small, column=4).value == "no"
    assert ws.cell(row=small, column=a_col).value is None
    assert ws.cell(row=small, column=len(header)).value == "Only 12 rows: too few to judge (30 are needed)."


def _rows_after(ws, text: str, start: int = 1) -> int:
    """The row of the first cell in column A equal to ``text`` at or after row ``start``."""
    return next(r for r in range(start, ws.max_row + 1) if ws.cell(row=r, column=1).value == text)


def test_the_groups_sheet_is_one_narrow_table_per_column_in_plain_words_for_paper(wb):
    ws = wb["Groups"]
    assert ws.max_column <= 11  # was 49 columns
    texts = _texts(ws)
    assert "By 'gender'" in texts and f"By '{AT_SUM}'" in texts
    assert ws["A2"].value.startswith("A is Simple (logistic/linear), B is Random forest. Every number per group")
    gender = _rows_after(ws, "By 'gender'")
    head = _rows_after(ws, "Group", gender)
    # the measures per group: the plain name over an A and a B column, then the group's note
    assert [ws.cell(row=head - 1, column=k).value for k in (3, 5)] == ["Balanced accuracy",
                                                                      "Selection rate (how often it says 'yes')"]
    assert [ws.cell(row=head, column=k).value for k in range(1, 7)] == ["Group", "Rows", "A", "B", "A", "B"]
    assert ws.cell(row=head, column=7).value == "Note"  # right after the two measures the fixture has
    female = _rows_after(ws, "female", head)
    assert ws.cell(row=female, column=2).value == 980
    assert [ws.cell(row=female, column=k).value for k in range(3, 7)] == pytest.approx([0.751, 0.792, 0.215,
                                                                                       0.233], abs=1e-3)
    assert ws.cell(row=female, column=3).number_format == "0.0%"
    small = _rows_after(ws, NA_ERROR, head)
    assert ws.cell(row=small, column=3).value is None
    assert ws.cell(row=small, column=7).value == "Only 12 rows: too few to judge (30 are needed)."
    # no raw metric ids anywhere on the sheet
    for raw in ("selection_rate", "balanced_accuracy", "tpr", "fpr", "mean_error", "demographic_parity"):
        assert not any(raw == t or f" {raw}" in t or t.startswith(raw) for t in texts), raw


def _real_groups_workbook(tmp_path):
    trial = copy.deepcopy(make_trial())
    trial["result"]["primary_metric"] = "accuracy"
    trial["result"]["groups"] = {"gender": group_results(GAP["gender"], GAP["approved"], preds(GAP, "a", "b"),
                                                         task="binary", positive="yes", column="gender")}
    return openpyxl.load_workbook(_write(tmp_path, trial))


def test_groups_print_the_measures_of_the_fairness_measures_and_all_rows_on_the_last_line(tmp_path):
    """As stored by the trial: the main score, how often it says 'yes', real cases found and false alarms
    print (the fairness measures are gaps in these); the error rate and each group's drop against all rows
    are on the hidden Group numbers sheet (the 'All rows' line shows the same)."""
    wb = _real_groups_workbook(tmp_path)
    ws = wb["Groups"]
    head = _rows_after(ws, "Group", _rows_after(ws, "By 'gender'"))
    assert [ws.cell(row=head - 1, column=k).value for k in (3, 5, 7, 9)] == [
        "Accuracy", "Selection rate (how often it says 'yes')", "Real cases found (true positive rate)",
        "False alarms (false positive rate)"]
    texts = _texts(ws)
    assert not any(t.startswith(("Error rate", "Drop in accuracy")) for t in texts)
    assert any("The other measures per group are on the sheet 'Group numbers'." in t for t in texts)
    numbers = [c.value for c in wb["Group numbers"][1]]
    assert "Recipe A: Error rate" in numbers and "Recipe A: Drop in accuracy for this group" in numbers
    every = _rows_after(ws, "All rows", head)
    stored = group_results(GAP["gender"], GAP["approved"], preds(GAP, "a", "b"), task="binary", positive="yes",
                           column="gender")
    assert ws.cell(row=every, column=2).value == sum(g["rows"] for g in stored["groups"])
    assert [ws.cell(row=every, column=k).value for k in (3, 4, 5, 6)] == pytest.approx([
        stored["metrics"]["a"]["overall_accuracy"], stored["metrics"]["b"]["overall_accuracy"],
        stored["metrics"]["a"]["overall_selection_rate"], stored["metrics"]["b"]["overall_selection_rate"]])
    # the overall values are on the 'All rows' line, not again among the fairness measures
    fair = _rows_after(ws, "Fairness measure", head)
    assert not any(str(ws.cell(row=r, column=1).value).endswith("over all rows") for r in range(fair, ws.max_row + 1))


def test_groups_fairness_measures_with_intervals_and_words(wb):
    ws = wb["Groups"]
    head_row = _rows_after(ws, "Fairness measure")
    assert [ws.cell(row=head_row, column=k).value for k in range(3, 10)] == [
        "Recipe A", "A: low (95%)", "A: high (95%)", "Recipe B", "B: low (95%)", "B: high (95%)", "Better when"]
    ratio = next(r for r in range(head_row + 1, ws.max_row + 1) if ws.cell(row=r, column=1).value
                 == "Four-fifths rule")  # the selection-rate ratio, named as the glossary names it
    assert [ws.cell(row=ratio, column=k).value for k in range(3, 9)] == pytest.approx([0.81, 0.7, 0.93, 0.74, 0.62,
                                                                                      0.86])
    assert ws.cell(row=ratio, column=9).value == "Neither: closer to 1 is fairer"
    second = _rows_after(ws, "Fairness measure", _rows_after(ws, f"By '{AT_SUM}'"))
    flat = second + 1
    assert [ws.cell(row=flat, column=k).value for k in range(3, 9)] == pytest.approx([0.041, 0.0, 0.09, 0.052,
                                                                                     0.004, 0.1])
    texts = _texts(ws)
    assert "Both recipes do about as well for women as for men." in texts
    assert any(t.startswith("Warning: Selection rates differ by gender.") for t in texts)


def test_groups_have_a_bar_chart_per_sensitive_column_on_screen_not_on_paper(wb):
    ws = wb["Groups"]
    charts = ws._charts
    assert len(charts) == 2 and all(isinstance(ch, BarChart) for ch in charts)
    assert all(len(ch.series) == 2 for ch in charts)
    area_rows = int(re.search(r"(\d+)$", ws.print_area).group(1))
    assert all(ch.anchor._from.row + 1 > area_rows for ch in charts)  # openpyxl counts anchor rows from 0
    assert any(t.startswith("Charts, from row") and "they are not printed" in t for t in _texts(ws))


def test_no_sensitive_columns_says_so(tmp_path):
    ws = openpyxl.load_workbook(_write(tmp_path, make_numeric_trial()))["Groups"]
    assert ws["A1"].value.startswith("No sensitive columns were chosen for this trial")
    assert ws._charts == []


# --- Details: what mattered, calibration, cost -----------------------------------------------
def _table(ws, heading: str, first_label: str) -> int:
    """The header row of the table under ``heading`` on the Details sheet."""
    start = _find(ws, heading).row
    return _rows_after(ws, first_label, start)


def _below(ws, head: int, col: int) -> list:
    out = []
    for r in range(head + 1, ws.max_row + 1):
        if ws.cell(row=r, column=1).value is None and ws.cell(row=r, column=col).value is None:
            break
        out.append(ws.cell(row=r, column=col).value)
    return out


def test_details_put_what_mattered_calibration_and_cost_on_one_sheet_in_that_order(wb):
    texts = _texts(wb["Details"])
    order = ["What mattered most (importance of each column)", "How honest the predicted chances are (calibration)",
             "Cost: time and size"]
    assert [texts.index(t) for t in order] == sorted(texts.index(t) for t in order)


def test_calibration_curve_measures_and_chart(wb):
    ws = wb["Details"]
    curve = make_trial()["result"]["calibration"]["a"]["curve"]
    head = _table(ws, "Calibration: the predicted chances bin by bin", "Recipe")
    assert [ws.cell(row=head, column=k).value for k in range(1, 5)] == ["Recipe", "Bin", "Average predicted chance",
                                                                       "Share that really happened"]
    rows = [(ws.cell(row=r, column=3).value, ws.cell(row=r, column=4).value) for r in range(head + 1, head + 9)]
    assert rows == list(zip(curve["predicted"], curve["observed"]))
    assert ws.cell(row=head + 1, column=3).number_format == "0.0%"
    ece = _find(ws, "Calibration error")
    assert [ws.cell(row=ece.row, column=k).value for k in (2, 3)] == [0.031, 0.121]
    assert ws.cell(row=ece.row, column=7).value == "Lower is better"
    assert "The chances Random forest (B) gives are clearly off (calibration error 12.1%)." in _texts(ws)
    charts = [ch for ch in ws._charts if isinstance(ch, ScatterChart)]
    assert len(charts) == 1 and len(charts[0].series) == 3


def test_importance_table_sorted_with_a_chart_per_recipe(wb):
    ws = wb["Details"]
    head = _table(ws, "What mattered most (importance of each column)", "Recipe")
    assert [ws.cell(row=head, column=k).value for k in range(1, 5)] == ["Recipe", "Rank", "Column", "Importance"]
    columns = _below(ws, head, 3)
    assert columns[:4] == ["tenure_months", HYPERLINK, "monthly_fee", DDE]
    assert columns[4:8] == ["tenure_months", "support_calls", MINUS, "region"]
    assert _below(ws, head, 2)[:4] == [1, 2, 3, 4]
    assert ws.cell(row=head + 1, column=4).number_format == "0.000"
    charts = [ch for ch in ws._charts if isinstance(ch, BarChart)]
    assert len(charts) == 2 and all(ch.type == "bar" for ch in charts)


def test_cost_in_words(wb):
    ws = wb["Details"]
    head = _table(ws, "Cost: time and size", "Measure")
    assert [ws.cell(row=head, column=k).value for k in (1, 2, 3, 4, 7)] == [
        "Measure", "Recipe A: Simple (logistic/linear)", "Recipe B: Random forest", "What it means", "Better when"]
    size = _find(ws, "Saved model size (MB)")
    assert ws.cell(row=size.row, column=3).value == pytest.approx(18.4)
    assert ws.cell(row=size.row, column=3).number_format == "#,##0.000"
    assert "Random forest (B) takes 35× as long to train as Simple (logistic/linear) (A)." in _texts(ws)


# --- safety ---------------------------------------------------------------------------------
def test_formula_looking_user_text_is_stored_as_text(report, wb):
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                if cell.value in FORMULA_VALUES:
                    seen.add(cell.value)
                    if cell.value[0] in "=+-@":
                        assert cell.quotePrefix, (ws.title, cell.coordinate)
    assert seen == set(FORMULA_VALUES)
    assert _find(wb["Data checks"], HYPERLINK).data_type == "s"
    assert _find(wb["Groups"], NA_ERROR).data_type == "s"
    assert _find(wb["Predictions"], DDE).data_type == "s"


def test_the_file_holds_no_formula_at_all(report):
    xml = _sheet_xml(report)
    sheets = {n: x for n, x in xml.items() if n.startswith("xl/worksheets/sheet")}
    assert len(sheets) == 9  # the sheets of EXPECTED_SHEETS, Group numbers and Predictions
    for name, text in sheets.items():
        assert not re.search(r"<f[\s>/]", text), name
        assert 't="e"' not in text, name
    escaped = HYPERLINK.replace('"', "&quot;")
    assert any(f"<t>{escaped}</t>" in text or f"<t>{HYPERLINK}</t>" in text for text in sheets.values())


def test_personal_data_is_never_copied(report, wb):
    ws = wb[PREDICTIONS_SHEET]
    assert [c.value for c in ws[1]] == ["customer_id", "region", "tenure_months", "monthly_fee", "scored_at",
                                       "prediction", "chance_yes"]
    with zipfile.ZipFile(report) as z:
        blob = b"".join(z.read(n) for n in z.namelist()).decode("utf-8", "replace")
    for value in PII_VALUES:
        assert value not in blob


def test_a_sensitive_column_with_personal_data_is_left_out(tmp_path):
    path = _write(tmp_path, with_pii_group(make_trial()), pii_columns=PII_COLUMNS)
    wb = openpyxl.load_workbook(path)
    ws = wb["Groups"]
    assert "By 'email'" not in _texts(ws)
    assert "email" not in _column(wb["Group numbers"], "Sensitive column")
    assert "Results per group for 'email' are left out: the column holds personal data." in _texts(ws)
    with zipfile.ZipFile(path) as z:
        blob = b"".join(z.read(n) for n in z.namelist()).decode("utf-8", "replace")
    assert not any(value in blob for value in PII_VALUES)


def test_columns_the_personal_data_check_flagged_are_left_out_too(tmp_path):
    path = _write(tmp_path, with_pii_group(make_trial()), predictions=make_predictions())  # no pii_columns given
    ws = openpyxl.load_workbook(path)[PREDICTIONS_SHEET]
    assert "email" not in [c.value for c in ws[1]] and "full_name" not in [c.value for c in ws[1]]
    with zipfile.ZipFile(path) as z:
        blob = b"".join(z.read(n) for n in z.namelist()).decode("utf-8", "replace")
    assert not any(value in blob for value in PII_VALUES)


def test_predictions_keep_types(wb):
    ws = wb[PREDICTIONS_SHEET]
    frame = make_predictions()
    assert ws.max_row == len(frame) + 1
    assert ws["A2"].value == 1000
    assert isinstance(ws["E2"].value, datetime) and ws["E2"].value == datetime(2025, 11, 21, 9, 0)
    assert ws["D5"].value is None  # a missing fee stays empty
    assert ws["G2"].value == pytest.approx(frame["chance_yes"][0])
    assert ws["B3"].value == HYPERLINK and ws["B3"].data_type == "s"


def test_predictions_are_cut_at_the_sheet_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(excel_module, "MAX_PREDICTION_ROWS", 10)
    wb = openpyxl.load_workbook(_write(tmp_path, predictions=make_predictions(25)))
    assert wb[PREDICTIONS_SHEET].max_row == 11
    assert "The Predictions sheet holds the first 10 of 25 rows: that is all a sheet can hold." \
        in _texts(wb["Summary"])


def test_nan_and_infinity_leave_cells_empty(tmp_path):
    trial = make_trial()
    trial["result"]["a"]["fold_scores"][0] = math.nan
    trial["result"]["b"]["fold_scores"][1] = math.inf
    trial["result"]["difference"]["splits"] = None
    trial["result"]["a"]["mean"] = math.nan
    path = _write(tmp_path, trial)
    for text in _sheet_xml(path).values():
        assert not re.search(r"<v>(nan|inf|-inf)</v>", text, re.I)
    ws = openpyxl.load_workbook(path)["Comparison"]
    assert ws["D2"].value is None and ws["G2"].value is None and ws["E3"].value is None


# --- provenance -----------------------------------------------------------------------------
def test_provenance_round_trip_gives_back_the_plan(report):
    settings = provenance_settings(report)
    assert settings.pop("dataset_sha256") == make_dataset()["sha256"]
    assert settings == make_plan()


def test_provenance_round_trip_from_bytes_and_a_stream(tmp_path):
    buffer = io.BytesIO()
    write_excel_report(make_trial(), dataset=make_dataset(), findings=[], out=buffer)
    expected = {"dataset_sha256": make_dataset()["sha256"], **make_plan()}
    assert provenance_settings(buffer.getvalue()) == expected
    assert provenance_settings(io.BytesIO(buffer.getvalue())) == expected


def test_provenance_is_machine_readable_and_complete(wb):
    ws = wb["Provenance"]
    assert [c.value for c in ws[1]] == ["key", "value (JSON)", "what it is"]
    keys = _column(ws, "key")
    for key in ("fairtrial.version", "trial.id", "trial.created_at", "dataset.name", "dataset.sha256",
                "dataset.rows", "result.primary_metric", "versions.scikit-learn", "versions.pandas"):
        assert key in keys
    assert [k for k in keys if k.startswith("plan.")] == [f"plan.{k}" for k in make_plan()]
    values = dict(zip(keys, _column(ws, "value (JSON)")))
    assert values["plan.recipe_b"] == ('{"name": "forest", "speed": "thorough", "imbalance": "balanced", '
                                       '"features": ["tenure_months", "monthly_fee", "support_calls", "region", '
                                       '"=HYPERLINK(\\"http://x\\",\\"click\\")", "+cmd|\' /C calc\'!A0"]}')
    assert values["plan.seed"] == "42"


def test_provenance_survives_a_value_longer_than_a_cell(tmp_path):
    trial = make_trial()
    trial["plan"]["columns"] = [f"column number {i} with a long name" for i in range(3000)]
    settings = provenance_settings(_write(tmp_path, trial))
    assert settings["columns"] == trial["plan"]["columns"]


def test_provenance_of_another_workbook_is_a_plain_error(tmp_path):
    path = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(BadFileError, match="has no Provenance sheet"):
        provenance_settings(path)
    with pytest.raises(BadFileError, match="cannot be opened as an Excel workbook"):
        provenance_settings(b"not a workbook")


def test_a_dataset_that_is_not_the_trials_is_refused(tmp_path):
    other = dict(make_dataset(), dataset_id=99)
    with pytest.raises(ValueError, match="dataset 3"):
        write_excel_report(make_trial(), dataset=other, findings=[], out=tmp_path / "x.xlsx")
    assert not list(tmp_path.iterdir())


# --- older and smaller trials ---------------------------------------------------------------
def test_numeric_trial_without_calibration_or_groups(tmp_path):
    trial = make_numeric_trial()
    wb = openpyxl.load_workbook(_write(tmp_path, trial, findings=[]))
    assert wb.sheetnames == EXPECTED_SHEETS + GROUP_NUMBERS
    assert ("Calibration (how honest the predicted chances are) is not available for this trial. It applies to "
            "recipes that give a chance for each answer, and this trial predicts a number.") in _texts(wb["Details"])
    summary = _texts(wb["Summary"])
    assert "No real difference: the two recipes miss by about 12.4 on average." in summary
    mae = _find(wb["Summary"], "Mean absolute error, Recipe A: Simple (logistic/linear)")
    assert wb["Summary"].cell(row=mae.row, column=4).value == "Lower is better"
    diff = _find(wb["Summary"], "Difference, B minus A")
    assert wb["Summary"].cell(row=diff.row, column=4).value == "Below 0 means B is better"
    details = wb["Details"]
    assert _below(details, _table(details, "What mattered most (importance of each column)", "Recipe"), 1)[:2] == [
        "The model", "The model"]
    cost = wb["Details"]
    fit = _find(cost, "Seconds to train")
    assert cost.cell(row=fit.row, column=2).value == pytest.approx(0.02)
    assert cost.cell(row=fit.row, column=3).value is None
    assert provenance_settings(tmp_path / "report.xlsx")["metric"] == "mae"


def test_an_old_trial_with_almost_nothing_stored(tmp_path):
    trial = make_old_trial()
    wb = openpyxl.load_workbook(_write(tmp_path, trial, findings=[]))
    assert wb.sheetnames == EXPECTED_SHEETS + GROUP_NUMBERS
    assert "No verdict was stored for this trial, so the result is not available for this trial." \
        in _texts(wb["Summary"])
    assert wb["Comparison"]["A2"].value == "Per-split scores are not available for this trial."
    details = _texts(wb["Details"])
    assert "What mattered most (importance of each column) is not available for this trial." in details
    assert "The cost of each recipe (time and size) is not available for this trial." in details
    assert wb["Groups"]["A1"].value.startswith("No sensitive columns were chosen")
    header = [c.value for c in wb["Comparison"][1]]
    assert header[3:5] == ["Recipe A: simple", "Recipe B: tree"]
    assert provenance_settings(tmp_path / "report.xlsx") == {"dataset_sha256": make_dataset()["sha256"],
                                                               **trial["plan"]}


def test_findings_as_stored_dicts_are_accepted(tmp_path):
    dicts = [f.to_dict() for f in make_findings()]
    ws = openpyxl.load_workbook(_write(tmp_path, findings=dicts))["Data checks"]
    assert ws.max_row == len(dicts) + 1


def test_writing_to_a_path_leaves_no_temporary_file(tmp_path):
    _write(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]


def test_the_trial_dict_is_not_changed(tmp_path):
    trial = make_trial()
    before = copy.deepcopy(trial)
    _write(tmp_path, trial, predictions=make_predictions(), pii_columns=PII_COLUMNS)
    assert trial == before


# --- on paper -------------------------------------------------------------------------------
PRINTED = ["Summary", "Data checks", "Comparison", "Groups", "Details", "Words"]
PAGE_BUDGET = {"Summary": 1, "Data checks": 1, "Comparison": 1, "Groups": 1, "Details": 1, "Words": 1}
"""Pages each sheet of the typical binary trial with groups (the fixture) may print on: 6 in all, one a
sheet, each fitted to the page width. Before the Groups sheet became one table per column (charts for
the screen) and Details and Words printed only what paper needs, it printed 9 (Groups, Details and Words
2 each); before that 9 too, squeezed: the 49-column Groups sheet at a sixth of its size."""
LOANS_PAGE_BUDGET = {"Summary": 1, "Data checks": 1, "Comparison": 1, "Groups": 3, "Details": 1, "Words": 1}
"""The same for a real trial on the loans sample (three sensitive columns, each with findings): 8 in all,
was 14 (Groups 5, Summary, Data checks, Details and Words 2 each). Groups takes 3 since each sensitive
column's results start a new page rather than being cut (``layout.keep_together``): its rows are 1,864
points tall, 2.2 pages of 691 at the 81% Calibri prints it at, so Excel needs 3 pages with or without
breaks. This LibreOffice, without Carlito, printed it on 2 only by shrinking it to about two thirds."""
READABLE = 0.75  # the least share of its size a printed sheet may be shrunk to


def test_only_the_sheets_for_people_print(wb):
    assert [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"] == PRINTED + [PREDICTIONS_SHEET]
    assert wb["Provenance"].sheet_state == "hidden" and wb["Group numbers"].sheet_state == "hidden"


@pytest.mark.parametrize("sheet", PRINTED + [PREDICTIONS_SHEET])
def test_every_printed_sheet_is_set_up_for_paper(wb, sheet):
    ws = wb[sheet]
    assert ws.print_area, "a print area"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)  # one page wide, as many down as needed
    assert ws.page_setup.orientation in ("portrait", "landscape")
    assert ws.oddHeader.center.text == f"FairTrial report: {HYPERLINK}".replace("&", "&&")
    assert (ws.oddFooter.left.text, ws.oddFooter.right.text) == ("&A", "Page &P of &N")
    assert ws.page_margins.left <= 0.5 and ws.page_margins.right <= 0.5
    # readable: fitting the width shrinks the sheet to no less than READABLE of its size
    assert layout.print_scale(ws) >= READABLE, (sheet, round(layout.print_scale(ws), 2))
    # a chart prints whole or, below the print area, not at all (it is for the screen)
    area_rows = int(re.search(r"(\d+)$", ws.print_area).group(1))
    for chart in ws._charts:
        first, _col, last, _last_col = layout.chart_cells(ws, chart)
        assert first > area_rows or last <= area_rows, (sheet, first, last, area_rows)


@pytest.mark.parametrize("sheet, rows", [("Data checks", "$1:$1"), ("Comparison", "$1:$1"), ("Words", "$2:$2"),
                                         (PREDICTIONS_SHEET, "$1:$1")])
def test_tables_repeat_their_header_row_on_every_page(wb, sheet, rows):
    assert wb[sheet].print_title_rows == rows


def test_wide_sheets_print_sideways_and_narrow_ones_upright(wb):
    assert wb["Comparison"].page_setup.orientation == "landscape"
    assert wb["Groups"].page_setup.orientation == "portrait"
    assert wb["Summary"].page_setup.orientation == "portrait"


def test_comparison_keeps_its_stored_extra_results_on_screen_but_not_on_paper(wb):
    ws = wb["Comparison"]
    heading = _find(ws, "More results")
    assert int(re.search(r"(\d+)$", ws.print_area).group(1)) < heading.row
    assert any(t.startswith("More results, from row") and t.endswith("they are not printed.") for t in _texts(ws))


def test_a_dataset_name_with_an_ampersand_prints_as_it_is():
    assert layout.header_text("Sales & returns") == "Sales && returns"
    assert len(layout.header_text("x" * 300)) == 80


def _pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", data))


def _to_pdf(xlsx: Path, outdir: Path) -> bytes:
    out = subprocess.run(["soffice", f"-env:UserInstallation={(outdir / 'lo-profile').as_uri()}", "--headless",
                          "--convert-to", "pdf", "--outdir", str(outdir), str(xlsx)],
                         capture_output=True, text=True, timeout=300)
    pdf = outdir / (xlsx.stem + ".pdf")
    assert pdf.exists(), out.stdout + out.stderr
    return pdf.read_bytes()


def _only(xlsx: Path, keep: str, out: Path) -> Path:
    """A copy of the workbook in which only the sheet ``keep`` prints: the others hidden and without
    print areas (LibreOffice prints a hidden sheet that has one)."""
    with zipfile.ZipFile(xlsx) as z, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
        book = z.read("xl/workbook.xml").decode("utf-8")
        tags = re.findall(r"<sheet [^>]*/>", book)
        index = next(i for i, tag in enumerate(tags) if f'name="{keep}"' in tag)
        for i, tag in enumerate(tags):
            state = "visible" if i == index else "hidden"
            book = book.replace(tag, re.sub(r'state="\w+"', f'state="{state}"', tag))
        book = re.sub(r'<definedName name="_xlnm.Print_Area" localSheetId="(\d+)">[^<]*</definedName>',
                      lambda m: m.group(0) if int(m.group(1)) == index else "", book)
        book = re.sub(r'activeTab="\d+"', f'activeTab="{index}"', book)
        for item in z.infolist():
            w.writestr(item, book if item.filename == "xl/workbook.xml" else z.read(item.filename))
    return out


def _pages_by_sheet(report: Path, tmp_path: Path) -> tuple[int, dict[str, int]]:
    """Pages of the whole workbook and of each printed sheet alone, as LibreOffice prints them."""
    whole = _to_pdf(report, tmp_path)
    assert whole.startswith(b"%PDF")
    pages = {}
    for sheet in PRINTED:
        alone = _only(report, sheet, tmp_path / f"only-{PRINTED.index(sheet)}.xlsx")
        pages[sheet] = _pdf_pages(_to_pdf(alone, tmp_path))
    return _pdf_pages(whole), pages


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-calc to run this")
def test_libreoffice_prints_the_workbook_as_a_short_document(tmp_path):
    """A typical binary trial with two sensitive columns: LibreOffice prints the whole workbook on
    6 pages, each sheet alone within its budget, so none spills sideways onto a second column of pages
    (a sheet that did would at least double its pages). The LibreOffice here may lack Carlito (Calibri's
    metric twin) and fall back to a wider font: the counts are on the pessimistic side."""
    whole, pages = _pages_by_sheet(_write(tmp_path), tmp_path)
    assert all(pages[sheet] <= PAGE_BUDGET[sheet] for sheet in PRINTED), pages
    assert whole == sum(pages.values()) <= 6, (whole, pages)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-calc to run this")
def test_a_real_trial_with_three_sensitive_columns_prints_short_too(tmp_path):
    """The loans sample, as a user runs it: three sensitive columns (age, gender, ethnicity), group gaps
    and their findings; 7 pages (it printed 14)."""
    from fairtrial.cli import main

    report = tmp_path / "loans.xlsx"
    loans = Path(__file__).resolve().parents[2] / "sample_data" / "loans.csv"
    assert main(["compare", str(loans), "--target", "approved", "--a", "simple", "--b", "forest", "--quiet",
                 "--report", str(report)]) == 0
    wb = openpyxl.load_workbook(report)
    assert [b for b in ("By 'age'", "By 'gender'", "By 'ethnicity'") if b in _texts(wb["Groups"])] == [
        "By 'age'", "By 'gender'", "By 'ethnicity'"]
    for sheet in PRINTED:
        assert layout.print_scale(wb[sheet]) >= READABLE, sheet
    whole, pages = _pages_by_sheet(report, tmp_path)
    assert all(pages[sheet] <= LOANS_PAGE_BUDGET[sheet] for sheet in PRINTED), pages
    assert whole == sum(pages.values()) <= 8, (whole, pages)


def test_the_predictions_note_names_one_personal_data_column_in_the_singular():
    import pandas as pd

    from fairtrial.report.excel import write_predictions_workbook

    frame = pd.DataFrame({"rownames": ["Allen, Miss. Elisabeth", "Allison, Master. Hudson"], "prediction": ["yes", "no"]})
    notes = write_predictions_workbook(frame, io.BytesIO(), pii_columns=["rownames"])
    assert notes == ["The column 'rownames' holds personal data, so it is not copied into the Predictions sheet."]


# --- plain words: the glossary ----------------------------------------------------------------
def test_the_words_sheet_explains_every_measure_the_workbook_shows(tmp_path):
    trial = copy.deepcopy(make_trial())
    trial["result"]["groups"] = {"gender": group_results(GAP["gender"], GAP["approved"], preds(GAP, "a", "b"),
                                                         task="binary", positive="yes", column="gender")}
    ws = openpyxl.load_workbook(_write(tmp_path, trial))["Words"]
    assert [c.value for c in ws[2]] == ["Word", "What it means", "Which way is better", "For example"]
    words = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=3).value for r in range(3, ws.max_row + 1)}
    assert words["Real cases found (true positive rate)"] == "Higher is better"
    assert words["False alarms (false positive rate)"] == "Lower is better"
    assert words["Selection rate (how often it says 'yes')"].startswith("Neither")
    assert words["Gap in real cases found (equal opportunity)"].startswith("Neither: closer to 0")
    assert {"Balanced accuracy", "Re-split", "Seed", "Calibration error", "Brier score"} <= set(words)
    labels = ["Word", "What it means", "Which way is better", "For example"]
    for row in ws.iter_rows(min_row=3):
        if row[0].value == "Word" or str(row[0].value).startswith("More words") or row[0].value is None:
            continue  # the second header and the note above it
        assert all(c.data_type == "s" and c.value for c in row), row[0].value  # text, never a formula, never empty
    # the words of the printed sheets print; those of the measures only the hidden sheet shows are below
    area_rows = int(re.search(r"(\d+)$", ws.print_area).group(1))
    printed = [ws.cell(row=r, column=1).value for r in range(3, area_rows + 1)]
    assert {"Real cases found (true positive rate)", "Selection rate (how often it says 'yes')", "Calibration error",
            "Gap in real cases found (equal opportunity)"} <= set(printed)
    assert "Error rate" not in printed and "Error rate" in words
    note = _rows_after(ws, f"More words, from row {area_rows + 4} on: for the numbers shown on screen only (the "
                       "more results on the Comparison sheet, the hidden sheet 'Group numbers'), so they are not "
                       "printed.")
    assert note == area_rows + 2 and [c.value for c in ws[note + 2]] == labels


def test_more_results_are_named_in_words_not_stored_keys(tmp_path):
    trial = copy.deepcopy(make_trial())
    trial["result"]["secondary"] = {"a": {"balanced_accuracy": 0.7, "roc_auc": 0.8, "noise_score_drop": 0.01},
                                    "difference": {"ci_low": -0.01, "ci_high": 0.03, "p_value": 0.2}}
    ws = openpyxl.load_workbook(_write(tmp_path, trial))["Comparison"]
    names = [ws.cell(row=r, column=9).value for r in range(1, ws.max_row + 1)]
    shown = [n for n in names if isinstance(n, str) and n.startswith("Other scores: ")]
    assert "Other scores: Recipe A / Balanced accuracy" in shown and "Other scores: Recipe A / ROC AUC" in shown
    assert "Other scores: difference / 95% range, low end" in shown
    assert "Other scores: difference / could be luck (p-value)" in shown
    assert not [n for n in shown if "_" in n]


# Each heading and measure the printed sheets show, and the word on the Words sheet that explains it. A
# heading or measure a sheet shows that is missing here fails the test below: give it a glossary entry
# (glossary.py) that ``content.words_used`` lists, then name that entry here.
EXPLAINED_BY = {
    # Summary, key numbers (the part before ', Recipe A: ...')
    "Balanced accuracy": "Balanced accuracy", "Difference": "95% range",
    "Could the difference be luck? (p-value)": "Could be luck (p-value)", "Final check": "Rows kept aside (holdout)",
    "Seconds to train": "Cost (time and size)",
    # Details: its section headings and the measures of its tables
    "What mattered most (importance of each column)": "Importance",
    "How honest the predicted chances are (calibration)": "Calibration error",
    "Calibration error": "Calibration error", "Brier score": "Brier score", "Brier skill": "Brier skill",
    "Cost: time and size": "Cost (time and size)", "Milliseconds to predict 1,000 rows": "Cost (time and size)",
    "Saved model size (MB)": "Cost (time and size)",
}


def _headings_and_measures(wb) -> set[str]:
    """What the printed Summary and Details sheets show as a heading (the heading font) or as a measure
    (the first column of a table under a 'Number' or 'Measure' header), within the print area."""
    from fairtrial.report.layout import HEADING_FONT

    shown = set()
    for sheet in ("Summary", "Details"):
        ws = wb[sheet]
        last = int(re.search(r"(\d+)$", ws.print_area).group(1))
        in_table = False
        for row in range(1, last + 1):
            cell = ws.cell(row=row, column=1)
            text = cell.value if isinstance(cell.value, str) else ""
            if cell.font.sz == HEADING_FONT.sz and cell.font.b:
                in_table = False
                if text not in ("What to do next", "What we found", "Key numbers", "Main warnings",
                                "Notes on this report"):
                    shown.add(text)  # the Summary's own parts are plain words, not measures
            elif text in ("Number", "Measure"):
                in_table = True
            elif in_table and text and cell.font.b and ws.cell(row=row, column=2).value is not None:
                shown.add(text)
            elif in_table and text and sheet == "Summary":
                shown.add(text.split(", ")[0])
            elif not text:
                in_table = False
    return shown


def test_every_heading_and_measure_on_paper_has_its_word_on_the_printed_words_sheet(wb):
    """The printed Summary and Details sheets head their parts 'What mattered most (importance ...)', 'Cost:
    time and size', and list measures such as 'Brier skill' and 'Seconds to train': each is explained on
    the printed Words sheet ('Importance' was missing)."""
    shown = _headings_and_measures(wb)
    assert {"What mattered most (importance of each column)", "Cost: time and size", "Brier skill",
            "Seconds to train", "Balanced accuracy"} <= shown  # the headings are found
    unknown = sorted(shown - set(EXPLAINED_BY))
    assert unknown == [], "a heading or measure without a word that explains it"
    ws = wb["Words"]
    last = int(re.search(r"(\d+)$", ws.print_area).group(1))
    printed = {ws.cell(row=r, column=1).value for r in range(3, last + 1)}
    missing = sorted({EXPLAINED_BY[s] for s in shown} - printed)
    assert missing == []
    more = {ws.cell(row=r, column=1).value for r in range(last + 1, ws.max_row + 1)}
    assert {"Robustness", "ROC AUC"} <= more  # the more results on the Comparison sheet, on screen only


# --- paper: a sensitive column's results on one page --------------------------------------------
def _four_columns_trial() -> dict:
    """The fixture trial with four sensitive columns, each with a gap for both recipes: their results
    on the Groups sheet are taller than a page."""
    from groups_frames import block, shuffled

    trial = copy.deepcopy(make_trial())
    trial["result"]["groups"] = {}
    for i, column in enumerate(("gender", "region", "language", "religion")):
        frame = shuffled(block("first", 100, 100, column=column, a=(50, 10 + i), b=(55, 12)),
                         block("second", 100, 100, column=column, a=(90, 40), b=(85, 35 - i)), seed=i)
        trial["result"]["groups"][column] = group_results(frame[column], frame["approved"], preds(frame, "a", "b"),
                                                          task="binary", positive="yes", column=column)
    return trial


def test_each_sensitive_columns_results_start_a_new_page_rather_than_being_cut(tmp_path):
    ws = openpyxl.load_workbook(_write(tmp_path, _four_columns_trial()))["Groups"]
    headings = {r: ws.cell(row=r, column=1).value for r in range(1, ws.max_row + 1)
                if str(ws.cell(row=r, column=1).value).startswith("By '")}
    starts = [b.id + 1 for b in ws.row_breaks.brk]
    assert starts, "four columns' results are taller than a page"
    for start in starts:  # a page starts on the blank row right above a column's heading
        assert ws.cell(row=start, column=1).value is None and start + 1 in headings, (start, headings)
    # and, as the page is reckoned, no column's results run over the end of a page
    page, used, last = layout.page_points(ws), 0.0, int(re.search(r"(\d+)$", ws.print_area).group(1))
    page_of = {}
    for row in range(1, last + 1):
        height = ws.row_dimensions[row].height or layout.LINE_POINTS
        if row in starts or used + height > page:
            used = 0.0
            page_of["new"] = page_of.get("new", 0) + 1
        used += height
        page_of[row] = page_of.get("new", 0)
    firsts = sorted(headings)
    for first, end in zip(firsts, [*firsts[1:], last + 2]):
        assert page_of[first] == page_of[end - 2], (headings[first], first, end - 2)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) and pdftotext are needed: apt-get install libreoffice-calc "
                           "poppler-utils to run this")
def test_a_real_trial_prints_each_sensitive_columns_results_on_one_page(tmp_path):
    """AER's CPS1985 (534 workers): whether a worker is in a union, four columns about people (age, ethnicity,
    gender, married). Printed without breaks, 'By 'ethnicity'' ended page 1 and its tables began page 2."""
    from fairtrial.cli import main

    report = tmp_path / "cps.xlsx"
    cps = Path(__file__).resolve().parents[1] / "realdata" / "AER_CPS1985.csv"
    assert main(["compare", str(cps), "--target", "union", "--a", "simple", "--b", "boosting", "--quiet",
                 "--report", str(report), "--db", str(tmp_path / "cps.duckdb")]) == 0
    alone = _only(report, "Groups", tmp_path / "groups.xlsx")
    _to_pdf(alone, tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "groups.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = text.split("\f")
    where, table = {}, {}
    for number, page in enumerate(pages, 1):
        for line in page.splitlines():
            said = line.strip()
            if said.startswith("By '"):
                column = said
                where[column], table[column] = [number], []
            elif said.startswith("Fairness measure"):
                table[column].append(number)
            elif said.startswith("Gap in accuracy between"):
                where[column].append(number)
                table[column].append(number)
    assert list(where) == ["By 'age'", "By 'ethnicity'", "By 'gender'", "By 'married'"]
    # A column's results that fit on a page are on one page; a column taller than a page (its rows
    # counted as the workbook sets them, at its print scale) flows on, with its table kept whole.
    from openpyxl import load_workbook

    from fairtrial.report.layout import page_points

    ws = load_workbook(report)["Groups"]
    heads = [r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value or "").startswith("By '")]
    starts, ends = [1, *heads[1:]], [*[h - 1 for h in heads[1:]], ws.max_row]  # the sheet's title goes with the first
    tall = {str(ws.cell(h, 1).value): sum(ws.row_dimensions[r].height or 15 for r in range(s, e + 1)) > page_points(ws)
            for h, s, e in zip(heads, starts, ends)}
    assert not all(tall.values())
    for column, on in where.items():
        if tall[column]:
            assert len(set(table[column])) == 1, (column, table[column])
        else:
            assert len(set(on)) == 1, (column, on)
