"""The Excel report: a workbook a person can read and FairTrial can re-run from.

Sheets, in order: Summary (the verdict and key numbers in plain words), Data checks,
Comparison (per-split scores and a chart), Groups (narrow tables for paper), Details (what
mattered most, calibration, cost), Words (the glossary entries for the terms the workbook
shows), Provenance (machine-readable settings, see ``provenance.py``; hidden), Group numbers
(every number per group in one wide table; hidden) and, when given, Predictions. The hidden
sheets are for FairTrial and other programs: a printed workbook leaves them out. Every
visible sheet prints fitted to the page width with its title and page numbers (``print_setup``);
what is for the screen only (the Comparison's stored extras, the Groups charts, the numbers behind
the Details charts, the words only the hidden sheets use) sits below the print area, announced by
a note saying from which row on it is not printed.
A part the trial does not have (older trials, number targets) gets a sentence saying it is
not available instead of a table. Every text cell goes through ``text_cell`` (via ``put``),
so user text is never a formula, and personal-data columns are never copied.
"""

from __future__ import annotations

import io
import math
import os
import tempfile
from datetime import datetime
from numbers import Real
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference, ScatterChart, Series
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .. import __version__, glossary, settings
from ..findings import Finding
from . import content as c
from .layout import (
    HEADER_BORDER,
    BOLD_FONT,
    CENTRED_WRAP,
    INDENTED_WRAP,
    HEADER_FILL,
    HEADER_FONT,
    HEADING_FONT,
    NOTE_FONT,
    SEVERITY_FILLS,
    TITLE_FONT,
    column_width,
    fit_height,
    gap,
    header,
    keep_together,
    print_setup,
    put,
    sentence,
    widths,
)
from .provenance import HEADER as PROVENANCE_HEADER
from .provenance import SHEET as PROVENANCE_SHEET
from .provenance import provenance_rows
from .safe_text import clean_text, text_cell

__all__ = ["PREDICTIONS_SHEET", "SHEETS", "VALUE_SHEET", "WORDS_SHEET", "write_excel_report"]

WORDS_SHEET = "Words"
SHEETS = ("Summary", "Data checks", "Comparison", "Groups", "Details", WORDS_SHEET, PROVENANCE_SHEET)
PREDICTIONS_SHEET = "Predictions"
VALUE_SHEET = "Value"
TITLE_ROWS = {"Data checks": "1:1", "Comparison": "1:1", WORDS_SHEET: "2:2", PREDICTIONS_SHEET: "1:1"}
"""The header row each sheet repeats at the top of every printed page."""
MAX_PREDICTION_ROWS = 1_048_575  # Excel's last row, less the header
CHART_GROUPS = 30  # most groups drawn in one chart; the table has them all
COLOURS = {"a": "4472C4", "b": "ED7D31", "baseline": "A5A5A5"}


def write_excel_report(trial: dict, *, dataset: dict, findings: list[Finding], out: str | Path | io.BytesIO,
                       predictions: pd.DataFrame | None = None, pii_columns: Iterable[str] = ()) -> None:
    """Write the Excel report of a stored trial (``Store.get_trial``) to ``out``.

    ``dataset`` is the trial's entry from ``Store.list_datasets``; ``findings`` the data
    checks; ``predictions`` (optional) a table of predictions on new data; columns named in
    ``pii_columns`` hold personal data and are never copied into the report; neither are the
    columns the personal-data check flagged in ``findings``.
    """
    findings = [f if isinstance(f, Finding) else Finding.from_dict(f) for f in findings]
    pii = {str(col) for col in pii_columns} | c.personal_columns(findings)
    created = datetime.now().isoformat(sep=" ", timespec="seconds")
    wb = Workbook()
    wb.properties.creator = f"FairTrial {__version__}"
    wb.properties.title = clean_text(f"FairTrial report: {dataset.get('name') or 'dataset'}")
    sheets = {name: (wb.active if i == 0 else wb.create_sheet()) for i, name in enumerate(SHEETS)}
    for name, ws in sheets.items():
        ws.title = name
    notes: list[str] = []
    _data_checks(sheets["Data checks"], findings)
    last_printed = {"Comparison": _comparison(sheets["Comparison"], trial)}
    numbers = wb.create_sheet(GROUP_NUMBERS_SHEET)
    numbers.sheet_state = "hidden"  # for other programs, not for paper: a printed workbook leaves it out
    group_notes, last_printed["Groups"], group_blocks = _groups(sheets["Groups"], trial, pii, numbers)
    notes += group_notes
    last_printed["Details"] = _details(sheets["Details"], trial)
    last_printed[WORDS_SHEET] = _words(sheets[WORDS_SHEET], trial, findings, pii)
    _provenance(sheets[PROVENANCE_SHEET], trial, dataset, created)
    sheets[PROVENANCE_SHEET].sheet_state = "hidden"  # for FairTrial and other programs, not for paper
    if (trial.get("result") or {}).get("value"):  # the money view, when the trial had prices
        _value(wb.create_sheet(VALUE_SHEET, index=SHEETS.index("Details") + 1), trial)
    if predictions is not None:
        notes += _predictions(wb.create_sheet(PREDICTIONS_SHEET), predictions, pii)
    _summary(sheets["Summary"], trial, dataset, findings, notes)
    title = clean_text(f"FairTrial report: {dataset.get('name') or 'dataset'}")
    for ws in wb.worksheets:
        if ws.sheet_state == "visible":  # a print area would make LibreOffice print a hidden sheet
            print_setup(ws, title=title, title_rows=TITLE_ROWS.get(ws.title), last_row=last_printed.get(ws.title))
    if group_blocks:  # a sensitive column's results start on a new page rather than being cut by one
        keep_together(sheets["Groups"], group_blocks, last_printed["Groups"])
    wb.active = 0
    _save(wb, out)


def write_predictions_workbook(predictions: pd.DataFrame, out: str | Path | io.BytesIO, *,
                               pii_columns: Iterable[str] = ()) -> list[str]:
    """A workbook with just the Predictions sheet (new rows scored by a saved model); user
    text stays text, personal-data columns are left out. Returns the notes (what was left out)."""
    wb = Workbook()
    wb.properties.creator = f"FairTrial {__version__}"
    ws = wb.active
    ws.title = PREDICTIONS_SHEET
    notes = _predictions(ws, predictions, {str(c) for c in pii_columns})
    _save(wb, out)
    return notes


def _save(wb: Workbook, out: str | Path | io.BytesIO) -> None:
    """Save; to a path through a temporary file, so a failure never leaves half a workbook."""
    if not isinstance(out, (str, Path)):
        wb.save(out)
        return
    path = Path(out)
    fd, tmp = tempfile.mkstemp(prefix=".fairtrial-", suffix=".xlsx", dir=path.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # an ordinary file, not mkstemp's private 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- helpers --------------------------------------------------------------------------------
def _heading(ws: Worksheet, row: int, text: str, last_col: int) -> None:
    sentence(ws, row, text, 1, last_col, font=HEADING_FONT)


def _not_available(ws: Worksheet, text: str) -> None:
    """A sheet that only says why its part is missing: wrapped text a page wide."""
    widths(ws, [64])
    sentence(ws, 1, text, 1, 1)


def _fit_row(ws: Worksheet, row: int, first_col: int, last_col: int) -> None:
    """Row height for the wrapped text in a table row (spreadsheets differ in growing rows)."""
    for col in range(first_col, last_col + 1):
        cell = ws.cell(row=row, column=col)
        if isinstance(cell.value, str) and cell.alignment.wrap_text:
            fit_height(ws, row, cell.value, column_width(ws, col, col), cell.font)


def _facts(ws: Worksheet, row: int, col: int, facts: list[tuple[str, Any, str | None, str]]) -> int:
    """Label / value / words rows beside a table; the words wrap in their column."""
    for label, value, fmt, words in facts:
        put(ws, row, col, label, font=BOLD_FONT, wrap=True)  # a long recipe name wraps, it is not cut off
        put(ws, row, col + 1, "not available" if value is None else value, fmt)
        if words:
            put(ws, row, col + 2, words, wrap=True).alignment = INDENTED_WRAP
        _fit_row(ws, row, col, col + 2)
        row += 1
    return row


def _axes_visible(chart: Any) -> None:
    # openpyxl 3.1 marks axes as deleted by default; Excel then draws no axes.
    chart.x_axis.delete = False
    chart.y_axis.delete = False


def _axis_floor(low: float, high: float) -> float:
    """A round axis start a little below ``low``, so lines close together do not look flat."""
    span = (high - low) or abs(high) or 1.0
    step = 10 ** math.floor(math.log10(span))
    bottom = math.floor((low - span * 0.1) / step) * step
    return max(0.0, bottom) if low >= 0 else bottom


def _colour(series: Series, arm: str, *, line: bool) -> None:
    colour = COLOURS.get(arm)
    if colour is None:
        return
    if line:
        series.graphicalProperties.line.solidFill = colour
        series.graphicalProperties.line.width = 22000
        series.marker.symbol = "circle"
        series.marker.size = 5
        series.marker.graphicalProperties.solidFill = colour
        series.marker.graphicalProperties.line.solidFill = colour
        series.smooth = False
    else:
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour


# --- Summary --------------------------------------------------------------------------------
SUMMARY_WIDTHS = (37, 9, 60, 16)
"""Wide enough that a sentence takes few lines; prints upright at about nine tenths of its size."""


def _summary(ws: Worksheet, trial: dict, dataset: dict, findings: list[Finding], notes: list[str]) -> None:
    plan, result = trial.get("plan") or {}, trial.get("result") or {}
    last = 4
    widths(ws, SUMMARY_WIDTHS)
    ws.sheet_view.showGridLines = False
    sentence(ws, 1, f"FairTrial report: {dataset.get('name') or 'dataset'}", 1, last, font=TITLE_FONT)
    target = plan.get("target")
    question = (f"Can the other columns predict '{target}', {c.task_words(result.get('task') or plan.get('task'))}?"
                if target else "")
    n = len(c.split_rows(trial))
    on = f", on the same {n} test splits" if n else ""
    meta = (f"Trial {trial.get('trial_id', '?')}, run {trial.get('created_at') or 'at an unknown time'}. {question} "
            f"{c.arm_phrase(trial, 'a')} against {c.arm_phrase(trial, 'b')}{on}.")
    sentence(ws, 2, " ".join(meta.split()), 1, last, font=NOTE_FONT)
    row = gap(ws, 3)
    _heading(ws, row, "What to do next", last)
    row += 1
    for i, text in enumerate(c.next_steps(trial, findings), 1):
        sentence(ws, row, f"{i}. {text}", 1, last, font=BOLD_FONT if i == 1 else None)
        row += 1

    row = gap(ws, row)
    _heading(ws, row, "What we found", last)
    row += 1
    for i, text in enumerate(c.verdict_sentences(result)):
        sentence(ws, row, text, 1, last, font=BOLD_FONT if i == 0 else None)  # the verdict; then its reasons
        row += 1

    row = gap(ws, row)
    _heading(ws, row, "Key numbers", last)
    row += 1
    header(ws, row, ["Number", "Value", "What it means", "Better when"])
    row += 1
    metric_rows = c.key_numbers(trial)
    if not metric_rows:
        sentence(ws, row, f"Scores are {c.NOT_AVAILABLE}.", 1, last)
        row += 1
    for key in metric_rows:
        put(ws, row, 1, key.label, wrap=True)
        put(ws, row, 2, key.value if key.value is not None else "not available", key.number_format)
        put(ws, row, 3, key.meaning, wrap=True)
        put(ws, row, 4, key.better, wrap=True)
        _fit_row(ws, row, 1, last)
        row += 1

    row = gap(ws, row)
    _heading(ws, row, "Main warnings", last)
    row += 1
    warnings, more = c.main_warnings(trial, findings)
    if not warnings:
        sentence(ws, row, "Nothing serious: the data checks and the trial raised no warnings.", 1, last)
        row += 1
    for text in warnings:
        level = text.split(":", 1)[0].lower()
        sentence(ws, row, text, 1, last, fill=SEVERITY_FILLS.get(level))
        row += 1
    if more:
        sentence(ws, row, f"... and {more} more on the Data checks and Groups sheets.", 1, last, font=NOTE_FONT)
        row += 1

    if notes:
        row = gap(ws, row)
        _heading(ws, row, "Notes on this report", last)
        row += 1
        for text in notes:
            sentence(ws, row, text, 1, last, font=NOTE_FONT)
            row += 1
    ws.freeze_panes = "A2"


# --- Data checks ----------------------------------------------------------------------------
DATA_CHECKS_WIDTHS = (9, 14, 14, 21, 56, 42, 13)
"""Wide text columns, so a finding takes few lines; prints sideways at about four fifths of its size."""


def _data_checks(ws: Worksheet, findings: list[Finding]) -> None:
    labels = ["Severity", "Check", "Columns", "Title", "What we saw", "What to do", "What FairTrial did"]
    widths(ws, DATA_CHECKS_WIDTHS)
    header(ws, 1, labels)
    ws.freeze_panes = "A2"
    if not findings:
        sentence(ws, 2, "The data checks found nothing to report for this dataset.", 1, len(labels))
        return
    row = 2
    for f in c.sorted_findings(findings):
        fill = SEVERITY_FILLS[f.severity]
        term = glossary.term(f.check)
        check = term.name if term else f.check.replace("_", " ").capitalize()
        values = [f.severity, check, ", ".join(f.columns), f.title, f.message, f.suggestion, f.action or "nothing"]
        for col, value in enumerate(values, 1):
            put(ws, row, col, value, wrap=True, fill=fill, font=BOLD_FONT if col == 1 else None)
        _fit_row(ws, row, 1, len(labels))
        row += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(labels))}{row - 1}"


# --- Comparison -----------------------------------------------------------------------------
def _comparison(ws: Worksheet, trial: dict) -> int:
    """The per-split table, the facts beside it and a chart; below them the stored extra results
    (final check, robustness, other scores) by their keys. Returns the last row to print."""
    result, plan = trial.get("result") or {}, trial.get("plan") or {}
    rows = c.split_rows(trial)
    metric = c.metric_info(result.get("primary_metric") or plan.get("metric")).for_values(
        v for split in rows for v in (split.a, split.b, split.baseline))
    arms = ("a", "b", "baseline")
    labels = ["Split", "Repeat", "Fold", *(c.arm_label(trial, arm) for arm in arms), "B minus A"]
    widths(ws, (6, 7, 6, 16, 16, 16, 10, 2, 32, 12, 50))
    header(ws, 1, labels)
    ws.freeze_panes = "A2"
    if not rows:
        put(ws, 2, 1, f"Per-split scores are {c.NOT_AVAILABLE}.")
    for r, split in enumerate(rows, 2):
        put(ws, r, 1, split.index)
        put(ws, r, 2, split.repeat)
        put(ws, r, 3, split.fold)
        for col, value in zip((4, 5, 6), (split.a, split.b, split.baseline)):
            put(ws, r, col, value, metric.excel_format)
        put(ws, r, 7, split.difference, metric.diff_format)

    splits, diff = c.part(result, "splits"), c.part(result, "difference")
    fold_text = (f"{splits.get('folds', plan.get('folds'))} parts × {splits.get('repeats', plan.get('repeats'))} "
                 "re-splits; A, B and the baseline saw exactly the same rows in each.")
    facts: list[tuple[str, Any, str | None, str]] = [
        ("Score used", metric.label, None, f"{metric.better}. {metric.meaning}"),
        ("Why this score", "", None, str(result.get("metric_reason") or c.NOT_AVAILABLE)),
        ("Test splits", len(rows) or None, "0", str(splits.get("reason") or fold_text)),
        ("Rows used in the splits", c.as_number(splits.get("train_rows")), "#,##0",
         (f"A random sample of the {int((splits.get('training_sample') or {}).get('of') or 0):,} rows outside the "
          "final check (see the verdict)." if splits.get("training_sample") else "")),
        ("Rows kept aside for the final check", c.as_number(splits.get("holdout_rows")), "#,##0",
         "Used only once, at the end."),
        ("Duplicate rows removed", c.as_number(splits.get("duplicates_removed")), "#,##0",
         "Exact copies are removed before splitting, so no row is both learned from and tested on."),
    ]
    for arm in arms:
        facts.append((f"Average, {c.arm_label(trial, arm)}", c.as_number(c.part(result, arm).get("mean")),
                      metric.excel_format, ""))
    facts += [
        ("Average difference, B minus A", c.as_number(diff.get("mean")), metric.diff_format,
         c.interval_words(metric, diff.get("ci_low"), diff.get("ci_high"))),
        ("95% range: low end", c.as_number(diff.get("ci_low")), metric.diff_format, ""),
        ("95% range: high end", c.as_number(diff.get("ci_high")), metric.diff_format, ""),
        ("p-value", c.as_number(diff.get("p_value")), "0.000", c.p_words(diff.get("p_value"))),
    ]
    for arm in ("a", "b"):
        facts.append((f"Final check, {c.arm_label(trial, arm)}", c.as_number(c.part(result, arm).get("holdout")),
                      metric.excel_format, "Score on the rows kept aside, used once at the end."))
    row = _facts(ws, 1, 9, facts)

    if rows:
        chart = LineChart()
        chart.title = f"{metric.label} in each test split"
        chart.y_axis.title = f"{metric.label} ({metric.better.lower()})"
        values = [v for split in rows for v in (split.a, split.b, split.baseline) if v is not None]
        if values:
            chart.y_axis.scaling.min = _axis_floor(min(values), max(values))
        chart.x_axis.title = "Test split"
        chart.y_axis.number_format = metric.excel_format
        data = Reference(ws, min_col=4, max_col=6, min_row=1, max_row=len(rows) + 1)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=len(rows) + 1))
        for series, arm in zip(chart.series, arms):
            _colour(series, arm, line=True)
        chart.series[2].graphicalProperties.line.dashStyle = "dash"
        chart.height, chart.width = 8.5, 17
        chart.legend.position = "b"
        _axes_visible(chart)
        ws.add_chart(chart, f"I{row + 1}")
        row += 19

    more = [(section, c.part(result, section)) for section in ("holdout_check", "robustness", "secondary")]
    more = [(section, data) for section, data in more if data]
    printed = max(row - 1, len(rows) + 1)
    if more:
        put(ws, row, 9, f"More results, from row {row + 2} on: for reading on screen, they are not printed.",
            font=NOTE_FONT)
        printed = row
        row += 2
        put(ws, row, 9, "More results", font=HEADING_FONT)
        row += 1
        names = {"holdout_check": "Final check", "robustness": "Robustness", "secondary": "Other scores"}
        for section, data in more:
            for key, value in c.flatten(data):
                number = c.as_number(value)
                key = " / ".join(_key_words(k) for k in key.split(" / "))
                put(ws, row, 9, f"{names[section]}: {key}")
                put(ws, row, 10, number if number is not None else ("" if isinstance(value, str) and len(value) > 14
                                                                   else value), "0.000")
                if isinstance(value, str) and len(value) > 14:
                    put(ws, row, 11, value)
                row += 1
    return printed


_KEY_WORDS = {"ci_low": "95% range, low end", "ci_high": "95% range, high end", "p_value": "could be luck (p-value)"}


def _key_words(key: str) -> str:
    """One part of a stored result's key in words: a glossary name where there is one, never snake_case."""
    if key in ("a", "b"):
        return f"Recipe {key.upper()}"
    if key in _KEY_WORDS:
        return _KEY_WORDS[key]
    if glossary.term(key) is not None:
        return c.metric_info(key).label
    return key.replace("_", " ")


# --- Groups ---------------------------------------------------------------------------------
GROUP_WIDTHS = (20, 7, 8, 8, 8, 8, 8, 8, 8, 8, 24)
"""Groups sheet columns: the group, its rows, four measures with A and B side by side, and a note.
Narrow enough to print upright at more than four fifths of its size."""
NOTE_COL = len(GROUP_WIDTHS)
CHART_ROWS = 16  # rows kept free for a chart 7.5 cm tall
GROUP_NUMBERS_SHEET = "Group numbers"


def _groups(ws: Worksheet, trial: dict, pii: set[str], numbers: Worksheet
            ) -> tuple[list[str], int | None, list[tuple[tuple[int, int], list[tuple[int, int]]]]]:
    """Results per group, laid out for paper: for each sensitive column its sentences, one table of
    the groups with the measures that matter for the trial (``content.paper_measures``, A and B side
    by side, all rows on the last line) and the fairness measures with their 95% ranges. Below the
    printed part, for the screen, a chart per column. Every number per group with its 95% range is on
    ``numbers``, a wide sheet for other programs that is hidden so it is not printed. Returns the notes
    for the summary, the last row to print, and each column's block (its first and last row) with its
    two tables, to keep each on one page (``layout.keep_together``)."""
    plan, result = trial.get("plan") or {}, trial.get("result") or {}
    blocks = c.group_blocks(result)
    skipped = [b.column for b in blocks if b.column in pii]
    blocks = [b for b in blocks if b.column not in pii]
    notes = []
    if skipped:
        notes.append(f"Results per group for {', '.join(repr(s) for s in skipped)} are left out: "
                     "the column holds personal data.")
    last = len(GROUP_WIDTHS)
    if not blocks:
        if skipped:
            text = notes[0]
        elif not plan.get("sensitive"):
            text = ("No sensitive columns were chosen for this trial, so results per group were not worked out. "
                    "To see whom a recipe serves worse, choose columns such as gender or age group when you start "
                    "a trial.")
        else:
            text = f"Results per group are {c.NOT_AVAILABLE}."
        _not_available(ws, text)
        _not_available(numbers, text)
        return notes, None, []

    widths(ws, GROUP_WIDTHS)
    ws.sheet_view.showGridLines = False
    primary = result.get("primary_metric") or plan.get("metric")
    sentence(ws, 1, "Results per group: whom does each recipe serve worse?", 1, last, font=TITLE_FONT)
    sentence(ws, 2, f"A is {c.recipe_name(trial, 'a')}, B is {c.recipe_name(trial, 'b')}. Every number per group "
             f"with its 95% range is on the sheet '{GROUP_NUMBERS_SHEET}', hidden so that it is not printed "
             "(right-click a sheet tab and choose Unhide to see it). What each measure means is on the "
             f"{WORDS_SHEET} sheet.", 1, last, font=NOTE_FONT)
    row = 4
    charts = []
    spans = []
    start = 1  # the sheet's title stays with the first column's results
    for block in blocks:
        tables: list[tuple[int, int]] = []
        row, chart = _group_block(ws, trial, block, primary, row, tables)
        spans.append(((start, row - 1), tables))
        charts.append(chart)
        start = row  # the blank row before the next column's results goes with them (a page never starts blank)
        row = gap(ws, row)
    for text in notes:
        sentence(ws, row, text, 1, last, font=NOTE_FONT)
        row += 1
    printed = row - 1
    if any(charts):
        sentence(ws, row + 1, f"Charts, from row {row + 3} on: for reading on screen, they are not printed (the "
                 "tables above have the same numbers).", 1, last, font=NOTE_FONT)
        row += 3
        for chart in charts:
            if chart is not None:
                ws.add_chart(chart, f"A{row}")
                row += CHART_ROWS + 1
    _group_numbers(numbers, blocks)
    return notes, printed, spans


def _note(g: c.GroupRow) -> str:
    """A group's note on paper: the stored note, else how sure, when that is worth saying."""
    if g.note:
        return g.note
    if g.judged is False:
        return "Too few rows to judge."
    return f"{g.confidence.capitalize()} confidence." if g.confidence and g.confidence != "normal" else ""


def _group_block(ws: Worksheet, trial: dict, block: c.GroupBlock, primary: Any, row: int,
                 tables: list[tuple[int, int]]) -> tuple[int, Any]:
    """One sensitive column: sentences, the groups table and the fairness measures (the first and last
    row of each table are added to ``tables``). Returns the next row and the chart of the main score per
    group (placed by the caller, off paper), if any."""
    last = len(GROUP_WIDTHS)
    _heading(ws, row, f"By '{block.column}'", last)
    row += 1
    for text in c.group_sentences(block):
        level = text.split(":", 1)[0].lower()
        sentence(ws, row, text, 1, last, fill=SEVERITY_FILLS.get(level) if level != "info" else None)
        row += 1

    names = c.paper_measures(block, primary)
    row = gap(ws, row)
    table_start = row
    put(ws, row, 1, "", fill=HEADER_FILL)
    put(ws, row, 2, "", fill=HEADER_FILL)
    for i, name in enumerate(names):
        col = 3 + 2 * i
        cell = put(ws, row, col, c.metric_info(name).label, font=HEADER_FONT, wrap=True, fill=HEADER_FILL)
        cell.alignment = CENTRED_WRAP
        ws.cell(row=row, column=col + 1).fill = HEADER_FILL
        ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=col + 1)
        fit_height(ws, row, c.metric_info(name).label, column_width(ws, col, col + 1), HEADER_FONT)
    for col in range(3 + 2 * len(names), last + 1):
        ws.cell(row=row, column=col).fill = HEADER_FILL
    row += 1
    header(ws, row, ["Group", "Rows", *(arm for _ in names for arm in ("A", "B"))])
    note_col = 3 + 2 * len(names)  # the note right after the measures, up to the last column
    _group_header(ws, row, ["Note", *[None] * (NOTE_COL - note_col)], col=note_col)
    ws.cell(row=row, column=note_col).alignment = INDENTED_WRAP
    row += 1
    first = row
    for g in block.rows:
        put(ws, row, 1, g.group, wrap=True)
        put(ws, row, 2, g.rows, "#,##0")
        for i, name in enumerate(names):
            fmt = c.metric_info(name).excel_format
            for offset, arm in enumerate(("a", "b")):
                put(ws, row, 3 + 2 * i + offset, g.metrics.get(arm, {}).get(name, (None,))[0], fmt)
        if _note(g):
            sentence(ws, row, _note(g), note_col, NOTE_COL).alignment = INDENTED_WRAP
        _fit_row(ws, row, 1, 1)
        row += 1
    last_group = row - 1
    overall = {(arm, name): c.overall_value(block, arm, name) for name in names for arm in ("a", "b")}
    if any(v is not None for v in overall.values()):
        put(ws, row, 1, "All rows", font=BOLD_FONT)
        total = sum(g.rows or 0 for g in block.rows)
        put(ws, row, 2, total or None, "#,##0", font=BOLD_FONT)
        for i, name in enumerate(names):
            for offset, arm in enumerate(("a", "b")):
                put(ws, row, 3 + 2 * i + offset, overall[(arm, name)], c.metric_info(name).excel_format,
                    font=BOLD_FONT)
        row += 1
    below = [f"{c.metric_info(n).label}: {c.metric_info(n).better.split(' (')[0].lower()}." for n in names]
    if len(names) < len(block.metric_names):
        below.append(f"The other measures per group are on the sheet '{GROUP_NUMBERS_SHEET}'.")
    sentence(ws, row, " ".join(below), 1, last, font=NOTE_FONT)
    tables.append((table_start, row))
    row += 1

    row = gap(ws, row)
    table_start = row
    shown_overall = {f"overall_{n}" for n in names if any(overall[(arm, n)] is not None for arm in ("a", "b"))}
    fair = [n for n in dict.fromkeys(n for arm in ("a", "b") for n in block.fairness.get(arm, {}))
            if n not in shown_overall]
    _group_header(ws, row, ["Fairness measure", None, "Recipe A", "A: low (95%)", "A: high (95%)",
                            "Recipe B", "B: low (95%)", "B: high (95%)", "Better when", None, None])
    ws.cell(row=row, column=9).alignment = INDENTED_WRAP
    row += 1
    if not fair:
        sentence(ws, row, f"Fairness measures are {c.NOT_AVAILABLE}.", 1, last)
        row += 1
    for name in fair:
        info = c.metric_info(name)
        sentence(ws, row, info.label, 1, 2, font=BOLD_FONT)
        for start, arm in ((3, "a"), (6, "b")):
            for offset, value in enumerate(block.fairness.get(arm, {}).get(name, (None, None, None))):
                put(ws, row, start + offset, value, info.excel_format)
        sentence(ws, row, info.better.split(" (")[0], 9, last).alignment = INDENTED_WRAP
        row += 1
    tables.append((table_start, row - 1))

    chart_name = c.chart_metric(block, primary)
    if chart_name not in names or last_group < first:
        return row, None
    info = c.metric_info(chart_name)
    col = 3 + 2 * names.index(chart_name)
    shown = min(last_group, first + CHART_GROUPS - 1)
    chart = BarChart()
    chart.type = "col"
    chart.title = clean_text(f"{info.label} per group of '{block.column}'")
    chart.y_axis.title = f"{info.label} ({info.better.split(':')[0].split(' (')[0].lower()})"
    chart.y_axis.number_format = info.excel_format
    for offset, arm in enumerate(("a", "b")):
        series = Series(Reference(ws, min_col=col + offset, min_row=first, max_row=shown),
                        title=clean_text(c.arm_label(trial, arm)))
        _colour(series, arm, line=False)
        chart.series.append(series)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=shown))
    chart.height, chart.width = 7.5, 17
    chart.legend.position = "b"
    _axes_visible(chart)
    return row, chart


def _group_header(ws: Worksheet, row: int, labels: list[str | None], col: int = 1) -> None:
    """A header row from column ``col`` on, where a label followed by None spans the columns of those Nones."""
    spans: list[tuple[int, int]] = []
    for col, label in enumerate(labels, col):
        if label is None:
            spans[-1] = (spans[-1][0], col)
        else:
            spans.append((col, col))
    for first, end in spans:
        label = labels[first - spans[0][0]]
        cell = put(ws, row, first, label, font=HEADER_FONT, wrap=True, fill=HEADER_FILL)
        cell.border = HEADER_BORDER
        for extra in range(first + 1, end + 1):
            ws.cell(row=row, column=extra).fill = HEADER_FILL
            ws.cell(row=row, column=extra).border = HEADER_BORDER
        if end > first:
            ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=end)
        fit_height(ws, row, str(label), column_width(ws, first, end), HEADER_FONT)


def _group_numbers(ws: Worksheet, blocks: list[c.GroupBlock]) -> None:
    """Every number per group with its 95% range, one wide row per group, for other programs.
    Hidden, so a printed workbook leaves it out; the Groups sheet has the same results for paper."""
    names: list[str] = []
    for block in blocks:
        names.extend(n for n in block.metric_names if n not in names)
    intervals = any(block.has_intervals for block in blocks)
    per_metric = 3 if intervals else 1
    labels = ["Sensitive column", "Group", "Rows", "Enough rows to judge?", "How sure"]
    for arm in ("a", "b"):
        for name in names:
            info = c.metric_info(name)
            labels.append(f"Recipe {arm.upper()}: {info.label}")
            if intervals:
                labels += [f"Recipe {arm.upper()}: low (95%)", f"Recipe {arm.upper()}: high (95%)"]
    labels.append("Note")
    note_col = len(labels)
    widths(ws, [20, 26, 9, 9, 12] + [13] * (note_col - 6) + [50])
    header(ws, 1, labels)
    ws.freeze_panes = "C2"

    def value_col(arm: str, name: str) -> int:
        return 6 + (0 if arm == "a" else len(names) * per_metric) + names.index(name) * per_metric

    row = 2
    for block in blocks:
        for g in block.rows:
            put(ws, row, 1, block.column)
            put(ws, row, 2, g.group)
            put(ws, row, 3, g.rows, "#,##0")
            put(ws, row, 4, g.judged)
            put(ws, row, 5, g.confidence)
            for arm in ("a", "b"):
                for name, triple in g.metrics.get(arm, {}).items():
                    fmt = c.metric_info(name).excel_format
                    for offset, value in enumerate(triple[:per_metric]):
                        put(ws, row, value_col(arm, name) + offset, value, fmt)
            put(ws, row, note_col, g.note)
            row += 1


# --- Details: what mattered, calibration, cost -------------------------------------------------
DETAILS_SHEET = "Details"
DETAILS_WIDTHS = (26, 12, 20, 11, 9, 28, 13)
"""One grid for the three parts of the Details sheet, so it prints on as few pages as it can."""
DETAILS_CHART_ROWS = 17  # rows kept free for a chart 8 cm tall


def _details(ws: Worksheet, trial: dict) -> int:
    """What mattered most, how honest the predicted chances are, and the cost: one sheet, each
    part under its own heading (a part the trial lacks says so in a sentence). The charts print;
    the numbers behind them are below the printed part, for the screen. Returns the last row to print."""
    widths(ws, DETAILS_WIDTHS)
    ws.sheet_view.showGridLines = False
    sentence(ws, 1, "Details: what mattered most, how honest the chances are, and the cost", 1,
             len(DETAILS_WIDTHS), font=TITLE_FONT)
    row, importance_at = _importance(ws, trial, gap(ws, 2))
    row, calibration = _calibration(ws, trial, gap(ws, row))
    curve_at = row if calibration else None
    if calibration:
        row += DETAILS_CHART_ROWS
    row = _cost(ws, trial, gap(ws, row))
    printed = row - 1
    if importance_at is None and not calibration:
        return printed
    sentence(ws, row + 1, f"The numbers behind the charts, from row {row + 3} on: for reading on screen, they are "
             "not printed.", 1, len(DETAILS_WIDTHS), font=NOTE_FONT)
    row += 3
    if importance_at is not None:
        row = _importance_table(ws, trial, row, importance_at) + 1
    if calibration:
        _calibration_curve(ws, trial, row, calibration, curve_at)
    return printed


def _section(ws: Worksheet, row: int, text: str) -> int:
    _heading(ws, row, text, len(DETAILS_WIDTHS))
    return row + 1


def _wide_header(ws: Worksheet, row: int, labels: list[str], merge: dict[int, int]) -> None:
    """A header row where a label at column ``k`` spans to column ``merge[k]``."""
    for col, label in enumerate(labels, 1):
        if label is None:
            continue
        header(ws, row, [label], col=col)
        if col in merge:
            for extra in range(col + 1, merge[col] + 1):
                ws.cell(row=row, column=extra).fill = HEADER_FILL
                ws.cell(row=row, column=extra).border = HEADER_BORDER
            ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=merge[col])


def _calibration(ws: Worksheet, trial: dict, row: int) -> tuple[int, dict]:
    """The calibration measures and what they say; returns the next row and the parts (for the curve)."""
    result, plan = trial.get("result") or {}, trial.get("plan") or {}
    last = len(DETAILS_WIDTHS)
    row = _section(ws, row, "How honest the predicted chances are (calibration)")
    parts = c.calibration_parts(result)
    if not parts:
        task = result.get("task") or plan.get("task")
        why = (" It applies to recipes that give a chance for each answer, and this trial predicts a number."
               if task == "numeric" else "")
        sentence(ws, row, f"Calibration (how honest the predicted chances are) is {c.NOT_AVAILABLE}.{why}", 1, last)
        return row + 1, parts

    _wide_header(ws, row, ["Measure", "Recipe A", "Recipe B", "What it means", None, None, "Better when"], {4: 6})
    row += 1
    measures = (("ece", "Calibration error (ECE)"), ("brier", "Brier score"), ("brier_skill", "Brier skill"))
    for key, _label in measures:
        info = c.metric_info(key)
        put(ws, row, 1, info.label, font=BOLD_FONT, wrap=True)
        for col, arm in ((2, "a"), (3, "b")):
            cal = parts.get(arm)
            put(ws, row, col, getattr(cal, key) if cal else None, info.excel_format)
        sentence(ws, row, info.meaning, 4, 6).alignment = INDENTED_WRAP
        put(ws, row, 7, info.better, wrap=True)
        _fit_row(ws, row, 1, 1)
        _fit_row(ws, row, 7, 7)
        row += 1
    warn, crit = float(settings.get("ece_warning")), float(settings.get("ece_critical"))
    for arm, cal in parts.items():
        text = cal.text
        if not text and cal.ece is not None:
            state = ("clearly off" if cal.ece > crit else "somewhat off" if cal.ece > warn else "close to honest")
            text = f"The chances {c.arm_phrase(trial, arm)} gives are {state} (calibration error {cal.ece:.1%})."
        if text:
            sentence(ws, row, text, 1, last)
            row += 1
    return row, parts


def _calibration_curve(ws: Worksheet, trial: dict, row: int, parts: dict, chart_at: int) -> int:
    """The predicted chances against what really happened, bin by bin (for the screen), and its chart
    at ``chart_at``."""
    row = _section(ws, row, "Calibration: the predicted chances bin by bin")
    header(ws, row, ["Recipe", "Bin", "Average predicted chance", "Share that really happened"])
    row += 1
    spans = {}
    for arm, cal in parts.items():
        first = row
        for i, (p, o) in enumerate(zip(cal.predicted, cal.observed), 1):
            put(ws, row, 1, c.arm_label(trial, arm))
            put(ws, row, 2, i)
            put(ws, row, 3, p, "0.0%")
            put(ws, row, 4, o, "0.0%")
            row += 1
        spans[arm] = (first, row - 1)
    diagonal = row
    for value in (0.0, 1.0):
        put(ws, row, 1, "Perfectly honest chances")
        put(ws, row, 3, value, "0.0%")
        put(ws, row, 4, value, "0.0%")
        row += 1

    chart = ScatterChart()
    chart.title = "Predicted chance against what really happened"
    chart.style = 13
    chart.x_axis.title = "Predicted chance"
    chart.y_axis.title = "Share that really happened"
    for axis in (chart.x_axis, chart.y_axis):
        axis.scaling.min, axis.scaling.max = 0, 1
        axis.number_format = "0%"
    for arm, (first, last_row) in spans.items():
        if last_row < first:
            continue
        series = Series(Reference(ws, min_col=4, min_row=first, max_row=last_row),
                        Reference(ws, min_col=3, min_row=first, max_row=last_row),
                        title=clean_text(c.arm_label(trial, arm)))
        _colour(series, arm, line=True)
        chart.series.append(series)
    perfect = Series(Reference(ws, min_col=4, min_row=diagonal, max_row=diagonal + 1),
                     Reference(ws, min_col=3, min_row=diagonal, max_row=diagonal + 1), title="Perfectly honest")
    perfect.graphicalProperties.line.solidFill = "7F7F7F"
    perfect.graphicalProperties.line.dashStyle = "dash"
    perfect.marker.symbol = "none"
    chart.series.append(perfect)
    chart.height, chart.width = 8, 16
    chart.legend.position = "b"
    _axes_visible(chart)
    ws.add_chart(chart, f"A{chart_at}")
    return row


def _importance(ws: Worksheet, trial: dict, row: int) -> tuple[int, int | None]:
    """What importance means and room for a chart per recipe (drawn by ``_importance_table``, whose
    numbers are for the screen); returns the next row and the row the charts go, None without any."""
    last = len(DETAILS_WIDTHS)
    row = _section(ws, row, "What mattered most (importance of each column)")
    if not c.importance_lists(trial):
        sentence(ws, row, f"What mattered most (importance of each column) is {c.NOT_AVAILABLE}.", 1, last)
        return row + 1, None
    sentence(ws, row, "Importance is how much the score drops when a column's values are shuffled: the bigger, the "
             "more the recipe leans on that column. Higher means it matters more; it says nothing about whether "
             "that is good.", 1, last)
    row += 1
    return row + DETAILS_CHART_ROWS, row


def _importance_table(ws: Worksheet, trial: dict, row: int, chart_at: int) -> int:
    """Every column's importance per recipe, and the charts of the top ones at ``chart_at``."""
    lists = c.importance_lists(trial)
    with_spread = any(e.get("std") is not None for entries in lists.values() for e in entries)
    top = int(settings.get("importance_top"))
    row = _section(ws, row, "What mattered most: every column")
    _wide_header(ws, row, ["Recipe", "Rank", "Column", "Importance", "Spread (±)" if with_spread else None,
                           "What it means", None], {6: 7})
    row += 1
    anchors = iter(("A", "D"))
    for label, entries in lists.items():
        first = row
        for rank, entry in enumerate(entries, 1):
            put(ws, row, 1, label)
            put(ws, row, 2, rank)
            put(ws, row, 3, entry.get("column"), wrap=True)
            put(ws, row, 4, c.as_number(entry.get("importance")), "0.000")
            if with_spread:
                put(ws, row, 5, c.as_number(entry.get("std")), "0.000")
            if entry.get("text"):
                sentence(ws, row, entry.get("text"), 6, 7)
            _fit_row(ws, row, 3, 3)
            row += 1
        anchor = next(anchors, None)
        if anchor is None:
            continue
        shown = min(row - 1, first + top - 1)
        chart = BarChart()
        chart.type = "bar"
        chart.title = clean_text(f"What mattered most: {label}")
        chart.x_axis.scaling.orientation = "maxMin"  # biggest at the top
        chart.y_axis.title = "Drop in score when shuffled"
        chart.y_axis.number_format = "0.000"
        series = Series(Reference(ws, min_col=4, min_row=first, max_row=shown), title="Importance")
        arm = "a" if label.startswith("Recipe A") else "b" if label.startswith("Recipe B") else ""
        _colour(series, arm, line=False)
        chart.series.append(series)
        chart.set_categories(Reference(ws, min_col=3, min_row=first, max_row=shown))
        chart.legend = None
        chart.height, chart.width = 8, 10.5
        _axes_visible(chart)
        ws.add_chart(chart, f"{anchor}{chart_at}")
    return row


def _cost(ws: Worksheet, trial: dict, row: int) -> int:
    last = len(DETAILS_WIDTHS)
    row = _section(ws, row, "Cost: time and size")
    rows = c.cost_rows(trial.get("result") or {})
    if not rows:
        sentence(ws, row, f"The cost of each recipe (time and size) is {c.NOT_AVAILABLE}.", 1, last)
        return row + 1
    _wide_header(ws, row, ["Measure", c.arm_label(trial, "a"), c.arm_label(trial, "b"), "What it means", None, None,
                           "Better when"], {4: 6})
    row += 1
    for _key, label, a, b, fmt, meaning in rows:
        put(ws, row, 1, label, font=BOLD_FONT, wrap=True)
        put(ws, row, 2, a, fmt)
        put(ws, row, 3, b, fmt)
        sentence(ws, row, meaning, 4, 6).alignment = INDENTED_WRAP
        put(ws, row, 7, "Lower is better", wrap=True)
        _fit_row(ws, row, 1, 1)
        _fit_row(ws, row, 7, 7)
        row += 1
    for text in c.cost_sentences(trial) or [f"A comparison of the costs is {c.NOT_AVAILABLE}."]:
        sentence(ws, row, text, 1, last)
        row += 1
    return row


# --- Value (the money view) -------------------------------------------------------------------
def _value(ws: Worksheet, trial: dict) -> None:
    """The money view: the verdict, a table of value per 1,000 rows (recipes and the plain
    baselines, with the 95% range and the cut-off) and a chart of value against the cut-off."""
    value = (trial.get("result") or {}).get("value") or {}
    widths(ws, (34, 18, 18, 18, 18, 18, 4, 12, 18, 18))
    sentence(ws, 1, "Money view", 1, 6, font=TITLE_FONT)
    sentence(ws, 2, str(value.get("text") or ""), 1, 6)
    if value.get("kind") == "typical_error":
        return
    cur = str(value.get("currency") or "")
    inputs = value.get("inputs") or {}
    money = "#,##0"
    row = 4
    for label, key in (("A correct flag earns", "hit"), ("A false alarm costs", "false_alarm"),
                       ("A miss costs", "miss")):
        put(ws, row, 1, label, font=BOLD_FONT)
        put(ws, row, 2, c.as_number(inputs.get(key)), "#,##0.##")
        put(ws, row, 3, cur)
        row += 1
    row += 1
    per = f"{int(value.get('per_rows') or 1000):,}"
    header(ws, row, ["Choice", f"Value per {per} rows (average over re-splits)", "95% range: low",
                     "95% range: high", "Cut-off (chance at or above which to act)", "Value on the rows kept aside"])
    row += 1
    for key, label in (("a", c.arm_label(trial, "a")), ("b", c.arm_label(trial, "b")),
                       ("act_on_none", "Act on no row"), ("act_on_all", "Act on every row")):
        part = value.get(key) or {}
        put(ws, row, 1, label, font=BOLD_FONT)
        put(ws, row, 2, c.as_number(part.get("mean")), money)
        put(ws, row, 3, c.as_number(part.get("ci_low")), money)
        put(ws, row, 4, c.as_number(part.get("ci_high")), money)
        put(ws, row, 5, c.as_number(part.get("cutoff")), "0%")
        put(ws, row, 6, c.as_number(part.get("holdout")), money)
        row += 1
    diff = value.get("difference") or {}
    put(ws, row, 1, "B minus A", font=BOLD_FONT)
    put(ws, row, 2, c.as_number(diff.get("mean")), money)
    put(ws, row, 3, c.as_number(diff.get("ci_low")), money)
    put(ws, row, 4, c.as_number(diff.get("ci_high")), money)
    put(ws, row, 5, c.p_words(diff.get("p_value")))
    row += 2
    sentence(ws, row, f"Amounts are in {cur or 'the currency of the prices'}, per {per} rows; higher is better. "
             "Each recipe's cut-off was chosen on training rows only, never on the rows it is judged on. The chart "
             "shows the value at each cut-off on the training rows, each predicted by a model that had not seen it.",
             1, 6)
    curve = value.get("curve") or {}
    cutoffs = list(curve.get("cutoffs") or [])
    if not cutoffs:
        return
    header(ws, 4, ["Cut-off", c.arm_label(trial, "a"), c.arm_label(trial, "b")], col=8)
    for i, cut in enumerate(cutoffs):
        put(ws, 5 + i, 8, float(cut), "0%")
        put(ws, 5 + i, 9, c.as_number((curve.get("a") or [None] * len(cutoffs))[i]), money)
        put(ws, 5 + i, 10, c.as_number((curve.get("b") or [None] * len(cutoffs))[i]), money)
    chart = LineChart()
    chart.title = f"Value per {per} rows against the cut-off"
    chart.y_axis.title = f"Value per {per} rows{f' ({cur})' if cur else ''}, higher is better"
    chart.x_axis.title = "Cut-off: act when the chance is at least this"
    chart.y_axis.number_format = money
    chart.x_axis.tickLblPos = "low"  # cut-off labels below the plot, not on the zero line among negative values
    data = Reference(ws, min_col=9, max_col=10, min_row=4, max_row=4 + len(cutoffs))
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=8, min_row=5, max_row=4 + len(cutoffs)))
    for series, arm in zip(chart.series, ("a", "b")):
        _colour(series, arm, line=True)
    chart.height, chart.width = 8.5, 18
    chart.legend.position = "b"
    _axes_visible(chart)
    ws.add_chart(chart, f"A{row + 2}")


# --- Provenance -----------------------------------------------------------------------------
WORDS_WIDTHS = (20, 52, 20, 28)
"""Wide meaning and example columns, so a word takes few lines; prints upright at about four fifths."""


def _words(ws: Worksheet, trial: dict, findings: list[Finding], pii: set[str]) -> int:
    """What each term in the workbook means, from the glossary: always text, never a formula. The
    words the printed sheets use come first and print; below them, for the screen, the words only
    the hidden sheets use. Returns the last row to print."""
    widths(ws, WORDS_WIDTHS)
    labels = ["Word", "What it means", "Which way is better", "For example"]
    sentence(ws, 1, "Words used in this report", 1, len(labels), font=TITLE_FONT)
    header(ws, 2, labels)
    ws.freeze_panes = "A3"
    printed = c.words_used(trial, findings, personal=pii, group_measures="paper")
    rest = [t for t in c.words_used(trial, findings, personal=pii, group_measures="all") if t not in printed]
    row = _word_rows(ws, 3, printed)
    if not rest:
        return row - 1
    last_printed = row - 1
    sentence(ws, row + 1, f"More words, from row {row + 3} on: for the numbers shown on screen only (the more "
             f"results on the Comparison sheet, the hidden sheet '{GROUP_NUMBERS_SHEET}'), so they are not printed.",
             1, len(labels), font=NOTE_FONT)
    header(ws, row + 3, labels)
    _word_rows(ws, row + 4, rest)
    return last_printed


def _word_rows(ws: Worksheet, row: int, terms: list) -> int:
    for term in terms:
        for col, text in enumerate((term.name, term.meaning, term.better, term.example), 1):
            put(ws, row, col, text, wrap=True, font=BOLD_FONT if col == 1 else None)
        _fit_row(ws, row, 1, 4)
        row += 1
    return row


def _provenance(ws: Worksheet, trial: dict, dataset: dict, created: str) -> None:
    widths(ws, (26, 70, 80))
    header(ws, 1, list(PROVENANCE_HEADER))
    ws.freeze_panes = "A2"
    for row, (key, value, words) in enumerate(provenance_rows(trial, dataset, created_at=created), 2):
        put(ws, row, 1, key)
        put(ws, row, 2, value)
        put(ws, row, 3, words)


# --- Predictions ----------------------------------------------------------------------------
def _predictions(ws: Worksheet, frame: pd.DataFrame, pii: set[str]) -> list[str]:
    keep = [i for i, col in enumerate(frame.columns) if str(col) not in pii]
    dropped = [str(col) for col in frame.columns if str(col) in pii]
    data = frame.iloc[:MAX_PREDICTION_ROWS, keep]
    notes = []
    if dropped:
        they = ("The column {} holds personal data, so it is not copied" if len(dropped) == 1
                else "The columns {} hold personal data, so they are not copied")
        notes.append(they.format(", ".join(repr(d) for d in dropped)) + " into the Predictions sheet.")
    if len(frame) > MAX_PREDICTION_ROWS:
        notes.append(f"The Predictions sheet holds the first {MAX_PREDICTION_ROWS:,} of {len(frame):,} rows: "
                     "that is all a sheet can hold.")
    names = [str(col) for col in data.columns]
    header(ws, 1, names)
    widths(ws, [min(40, max(10, len(name) + 2)) for name in names])
    ws.freeze_panes = "A2"
    for j in range(data.shape[1]):
        _prediction_column(ws, j + 1, data.iloc[:, j])
    return notes


def _prediction_column(ws: Worksheet, col: int, series: pd.Series) -> None:
    missing = series.isna().to_numpy()
    if pd.api.types.is_datetime64_any_dtype(series):
        if getattr(series.dt, "tz", None) is not None:
            series = series.dt.tz_convert("UTC").dt.tz_localize(None)
        values: list[Any] = list(series.dt.to_pydatetime())
        fmt = "yyyy-mm-dd hh:mm:ss"
    else:
        values = series.tolist()
        fmt = "0.000" if pd.api.types.is_float_dtype(series) else None
    # Written cell by cell without fonts or alignment: this sheet can have a million rows.
    for i, value in enumerate(values):
        if missing[i]:
            continue
        if isinstance(value, (datetime, Real)) and not isinstance(value, (bool, np.bool_)):
            if isinstance(value, Real) and not math.isfinite(value):
                continue
            cell = ws.cell(row=i + 2, column=col, value=value)
            if fmt:
                cell.number_format = fmt
        else:
            text_cell(ws, i + 2, col, ("yes" if value else "no") if isinstance(value, (bool, np.bool_)) else value)

