"""The Excel report: a workbook a person can read and FairTrial can re-run from.

Sheets, in order: Summary (the verdict and key numbers in plain words), Data checks,
Comparison (per-split scores and a chart), Groups, Calibration, Importance, Cost, Words
(the glossary entries for the terms the workbook shows), Provenance (machine-readable
settings, see ``provenance.py``) and, when given, Predictions.
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
    BOLD_FONT,
    HEADING_FONT,
    NOTE_FONT,
    SEVERITY_FILLS,
    TITLE_FONT,
    column_width,
    fit_height,
    header,
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
SHEETS = ("Summary", "Data checks", "Comparison", "Groups", "Calibration", "Importance", "Cost", WORDS_SHEET,
          PROVENANCE_SHEET)
PREDICTIONS_SHEET = "Predictions"
VALUE_SHEET = "Value"
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
    _comparison(sheets["Comparison"], trial)
    notes += _groups(sheets["Groups"], trial, pii)
    _calibration(sheets["Calibration"], trial)
    _importance(sheets["Importance"], trial)
    _cost(sheets["Cost"], trial)
    _words(sheets[WORDS_SHEET], trial, findings, pii)
    _provenance(sheets[PROVENANCE_SHEET], trial, dataset, created)
    if (trial.get("result") or {}).get("value"):  # the money view, when the trial had prices
        _value(wb.create_sheet(VALUE_SHEET, index=SHEETS.index("Cost") + 1), trial)
    if predictions is not None:
        notes += _predictions(wb.create_sheet(PREDICTIONS_SHEET), predictions, pii)
    _summary(sheets["Summary"], trial, dataset, findings, notes)
    for ws in wb.worksheets:
        print_setup(ws)
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


def _not_available(ws: Worksheet, text: str, last_col: int = 6) -> None:
    widths(ws, [30] * last_col)
    sentence(ws, 1, text, 1, last_col)


def _fit_row(ws: Worksheet, row: int, first_col: int, last_col: int) -> None:
    """Row height for the wrapped text in a table row (spreadsheets differ in growing rows)."""
    for col in range(first_col, last_col + 1):
        cell = ws.cell(row=row, column=col)
        if isinstance(cell.value, str) and cell.alignment.wrap_text:
            fit_height(ws, row, cell.value, column_width(ws, col, col), cell.font)


def _facts(ws: Worksheet, row: int, col: int, facts: list[tuple[str, Any, str | None, str]]) -> int:
    """Label / value / words rows beside a table; the words run on to the right unwrapped."""
    for label, value, fmt, words in facts:
        put(ws, row, col, label, font=BOLD_FONT)
        put(ws, row, col + 1, "not available" if value is None else value, fmt)
        if words:
            put(ws, row, col + 2, words)
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
def _summary(ws: Worksheet, trial: dict, dataset: dict, findings: list[Finding], notes: list[str]) -> None:
    plan, result = trial.get("plan") or {}, trial.get("result") or {}
    last = 4
    widths(ws, (46, 16, 74, 26))
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
    row = 4
    _heading(ws, row, "What to do next", last)
    row += 1
    for i, text in enumerate(c.next_steps(trial, findings), 1):
        sentence(ws, row, f"{i}. {text}", 1, last, font=BOLD_FONT if i == 1 else None)
        row += 1

    row += 1
    _heading(ws, row, "What we found", last)
    row += 1
    for text in c.verdict_sentences(result):
        sentence(ws, row, text, 1, last, font=BOLD_FONT)
        row += 1

    row += 1
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

    row += 1
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
        row += 1
        _heading(ws, row, "Notes on this report", last)
        row += 1
        for text in notes:
            sentence(ws, row, text, 1, last, font=NOTE_FONT)
            row += 1
    ws.freeze_panes = "A2"


# --- Data checks ----------------------------------------------------------------------------
def _data_checks(ws: Worksheet, findings: list[Finding]) -> None:
    labels = ["Severity", "Check", "Columns", "Title", "What we saw", "What to do", "What FairTrial did"]
    widths(ws, (11, 22, 24, 34, 62, 48, 20))
    header(ws, 1, labels)
    ws.freeze_panes = "A2"
    if not findings:
        sentence(ws, 2, "The data checks found nothing to report for this dataset.", 1, len(labels))
        return
    row = 2
    for f in c.sorted_findings(findings):
        fill = SEVERITY_FILLS[f.severity]
        values = [f.severity, f.check, ", ".join(f.columns), f.title, f.message, f.suggestion, f.action or "nothing"]
        for col, value in enumerate(values, 1):
            put(ws, row, col, value, wrap=True, fill=fill, font=BOLD_FONT if col == 1 else None)
        _fit_row(ws, row, 1, len(labels))
        row += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(labels))}{row - 1}"


# --- Comparison -----------------------------------------------------------------------------
def _comparison(ws: Worksheet, trial: dict) -> None:
    result, plan = trial.get("result") or {}, trial.get("plan") or {}
    metric = c.metric_info(result.get("primary_metric") or plan.get("metric"))
    rows = c.split_rows(trial)
    arms = ("a", "b", "baseline")
    labels = ["Split", "Repeat", "Fold", *(c.arm_label(trial, arm) for arm in arms), "B minus A"]
    widths(ws, (7, 8, 6, 20, 20, 20, 12, 2, 36, 14, 70))
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
        ("95% interval: low end", c.as_number(diff.get("ci_low")), metric.diff_format, ""),
        ("95% interval: high end", c.as_number(diff.get("ci_high")), metric.diff_format, ""),
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
        chart.height, chart.width = 8.5, 20
        chart.legend.position = "b"
        _axes_visible(chart)
        ws.add_chart(chart, f"I{row + 1}")
        row += 19

    more = [(section, c.part(result, section)) for section in ("holdout_check", "robustness", "secondary")]
    more = [(section, data) for section, data in more if data]
    if more:
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
def _groups(ws: Worksheet, trial: dict, pii: set[str]) -> list[str]:
    plan, result = trial.get("plan") or {}, trial.get("result") or {}
    blocks = c.group_blocks(result)
    skipped = [b.column for b in blocks if b.column in pii]
    blocks = [b for b in blocks if b.column not in pii]
    notes = []
    if skipped:
        notes.append(f"Results per group for {', '.join(repr(s) for s in skipped)} are left out: "
                     "the column holds personal data.")
    if not blocks:
        if skipped:
            text = notes[0]
        elif not plan.get("sensitive"):
            text = ("No sensitive columns were chosen for this trial, so results per group were not worked out. "
                    "To see whom a recipe serves worse, choose columns such as gender or age group when you start "
                    "a trial.")
        else:
            text = f"Results per group are {c.NOT_AVAILABLE}."
        _not_available(ws, text, 8)
        return notes

    primary = result.get("primary_metric") or plan.get("metric")
    names: list[str] = []
    for block in blocks:
        names.extend(n for n in block.metric_names if n not in names)
    intervals = any(block.has_intervals for block in blocks)
    per_metric = 3 if intervals else 1
    labels = ["Sensitive column", "Group", "Rows", "Judged", "Confidence"]
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
    spans = []
    for block in blocks:
        first = row
        for g in block.rows:
            put(ws, row, 1, block.column)
            put(ws, row, 2, g.group)
            put(ws, row, 3, g.rows, "#,##0")
            put(ws, row, 4, g.judged)
            put(ws, row, 5, g.confidence)
            for arm in ("a", "b"):
                for name, triple in g.metrics.get(arm, {}).items():
                    fmt = c.metric_info(name).excel_format
                    col = value_col(arm, name)
                    for offset, value in enumerate(triple[:per_metric]):
                        put(ws, row, col + offset, value, fmt)
            put(ws, row, note_col, g.note, wrap=True)
            _fit_row(ws, row, note_col, note_col)
            row += 1
        spans.append((block, first, row - 1))

    chart_col = get_column_letter(note_col + 2)
    for i, (block, first, last_row) in enumerate(spans):
        name = c.chart_metric(block, primary)
        if name is None or last_row < first:
            continue
        info = c.metric_info(name)
        shown = min(last_row, first + CHART_GROUPS - 1)
        chart = BarChart()
        chart.type = "col"
        chart.title = clean_text(f"{info.label} per group of '{block.column}'")
        chart.y_axis.title = info.label
        chart.y_axis.number_format = info.excel_format
        for arm in ("a", "b"):
            col = value_col(arm, name)
            series = Series(Reference(ws, min_col=col, min_row=first, max_row=shown),
                            title=clean_text(c.arm_label(trial, arm)))
            _colour(series, arm, line=False)
            chart.series.append(series)
        chart.set_categories(Reference(ws, min_col=2, min_row=first, max_row=shown))
        chart.height, chart.width = 8, 18
        chart.legend.position = "b"
        _axes_visible(chart)
        ws.add_chart(chart, f"{chart_col}{1 + i * 18}")

    row += 1
    _heading(ws, row, "Fairness measures", 8)
    row += 1
    # Laid out on the same columns as the table above: measure names in the Group column,
    # A's and B's value and interval in the number columns, the words in the Note column.
    words_col = max(note_col, 9)
    fair_labels = {1: "Sensitive column", 2: "Measure", 3: "Recipe A", 4: "A: low (95%)", 5: "A: high (95%)",
                   6: "Recipe B", 7: "B: low (95%)", 8: "B: high (95%)", words_col: "What it means",
                   words_col + 1: "Better when"}
    for col in range(9, words_col):
        ws.column_dimensions[get_column_letter(col)].width = max(ws.column_dimensions[get_column_letter(col)].width
                                                                  or 0, 13)
    ws.column_dimensions[get_column_letter(words_col)].width = 50
    ws.column_dimensions[get_column_letter(words_col + 1)].width = 18
    for col, label in fair_labels.items():
        header(ws, row, [label], col=col)
    row += 1
    any_fair = False
    for block in blocks:
        names_here: list[str] = []
        for arm in ("a", "b"):
            names_here.extend(n for n in block.fairness.get(arm, {}) if n not in names_here)
        for name in names_here:
            info = c.metric_info(name)
            put(ws, row, 1, block.column)
            put(ws, row, 2, info.label, wrap=True)
            for start, arm in ((3, "a"), (6, "b")):
                triple = block.fairness.get(arm, {}).get(name, (None, None, None))
                for offset, value in enumerate(triple):
                    put(ws, row, start + offset, value, info.excel_format)
            put(ws, row, words_col, info.meaning, wrap=True)
            put(ws, row, words_col + 1, info.better, wrap=True)
            _fit_row(ws, row, 1, words_col + 1)
            any_fair = True
            row += 1
    if not any_fair:
        put(ws, row, 1, f"Fairness measures are {c.NOT_AVAILABLE}.")
        row += 1

    row += 1
    _heading(ws, row, "What this says", 8)
    row += 1
    for block in blocks:
        texts = list(block.summary)
        if block.banded:
            detail = f" ({block.banded})" if isinstance(block.banded, str) else ""
            texts.append(f"The values of '{block.column}' were put into bands{detail}, so each group has enough rows.")
        for f in block.findings:
            texts.append(f"{str(f.get('severity', 'info')).capitalize()}: {f.get('title', '')}. "
                         f"{f.get('message', '')} {f.get('suggestion', '')}".strip())
        for text in texts:
            level = text.split(":", 1)[0].lower()
            sentence(ws, row, text, 1, 8, fill=SEVERITY_FILLS.get(level) if level != "info" else None)
            row += 1
    for text in notes:
        sentence(ws, row, text, 1, 8, font=NOTE_FONT)
        row += 1
    return notes


# --- Calibration ----------------------------------------------------------------------------
def _calibration(ws: Worksheet, trial: dict) -> None:
    result, plan = trial.get("result") or {}, trial.get("plan") or {}
    parts = c.calibration_parts(result)
    if not parts:
        task = result.get("task") or plan.get("task")
        why = (" It applies to recipes that give a chance for each answer, and this trial predicts a number."
               if task == "numeric" else "")
        _not_available(ws, f"Calibration (how honest the predicted chances are) is {c.NOT_AVAILABLE}.{why}")
        return
    widths(ws, (26, 8, 16, 16, 2, 30, 12, 12, 60, 22))
    header(ws, 1, ["Recipe", "Bin", "Average predicted chance", "Share that really happened"])
    ws.freeze_panes = "A2"
    row = 2
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

    header(ws, 1, ["Measure", "Recipe A", "Recipe B", "What it means", "Better when"], col=6)
    measures = (("ece", "Calibration error (ECE)"), ("brier", "Brier score"), ("brier_skill", "Brier skill"))
    r = 2
    for key, _label in measures:
        info = c.metric_info(key)
        put(ws, r, 6, info.label, font=BOLD_FONT)
        for col, arm in ((7, "a"), (8, "b")):
            cal = parts.get(arm)
            put(ws, r, col, getattr(cal, key) if cal else None, info.excel_format)
        put(ws, r, 9, info.meaning, wrap=True)
        put(ws, r, 10, info.better, wrap=True)
        _fit_row(ws, r, 6, 10)
        r += 1
    warn, crit = float(settings.get("ece_warning")), float(settings.get("ece_critical"))
    for arm, cal in parts.items():
        text = cal.text
        if not text and cal.ece is not None:
            state = ("clearly off" if cal.ece > crit else "somewhat off" if cal.ece > warn else "close to honest")
            text = f"The chances {c.arm_phrase(trial, arm)} gives are {state} (calibration error {cal.ece:.1%})."
        if text:
            put(ws, r, 6, text)
            r += 1

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
    chart.height, chart.width = 9, 16
    chart.legend.position = "b"
    _axes_visible(chart)
    ws.add_chart(chart, f"F{r + 2}")


# --- Importance -----------------------------------------------------------------------------
def _importance(ws: Worksheet, trial: dict) -> None:
    lists = c.importance_lists(trial)
    if not lists:
        _not_available(ws, f"What mattered most (importance of each column) is {c.NOT_AVAILABLE}.")
        return
    with_spread = any(e.get("std") is not None for entries in lists.values() for e in entries)
    labels = ["Recipe", "Rank", "Column", "Importance"] + (["Spread (±)"] if with_spread else []) + ["What it means"]
    text_col = len(labels)
    widths(ws, [30, 6, 28, 12] + ([11] if with_spread else []) + [70])
    header(ws, 1, labels)
    ws.freeze_panes = "A2"
    row = 2
    top = int(settings.get("importance_top"))
    anchor = 1
    chart_col = get_column_letter(text_col + 2)
    for label, entries in lists.items():
        first = row
        for rank, entry in enumerate(entries, 1):
            put(ws, row, 1, label)
            put(ws, row, 2, rank)
            put(ws, row, 3, entry.get("column"))
            put(ws, row, 4, c.as_number(entry.get("importance")), "0.000")
            if with_spread:
                put(ws, row, 5, c.as_number(entry.get("std")), "0.000")
            put(ws, row, text_col, entry.get("text") or (
                "How much the score drops when this column's values are shuffled: the bigger, the more the "
                "recipe leans on it." if rank == 1 else ""))
            row += 1
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
        chart.height, chart.width = 8, 16
        _axes_visible(chart)
        ws.add_chart(chart, f"{chart_col}{anchor}")
        anchor += 18


# --- Cost -----------------------------------------------------------------------------------
def _cost(ws: Worksheet, trial: dict) -> None:
    rows = c.cost_rows(trial.get("result") or {})
    if not rows:
        _not_available(ws, f"The cost of each recipe (time and size) is {c.NOT_AVAILABLE}.")
        return
    widths(ws, (36, 24, 24, 60, 18))
    header(ws, 1, ["Measure", c.arm_label(trial, "a"), c.arm_label(trial, "b"), "What it means", "Better when"])
    ws.freeze_panes = "A2"
    row = 2
    for _key, label, a, b, fmt, meaning in rows:
        put(ws, row, 1, label, font=BOLD_FONT)
        put(ws, row, 2, a, fmt)
        put(ws, row, 3, b, fmt)
        put(ws, row, 4, meaning, wrap=True)
        put(ws, row, 5, "Lower is better")
        _fit_row(ws, row, 1, 5)
        row += 1
    row += 1
    for text in c.cost_sentences(trial) or [f"A comparison of the costs is {c.NOT_AVAILABLE}."]:
        sentence(ws, row, text, 1, 4)
        row += 1


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
def _words(ws: Worksheet, trial: dict, findings: list[Finding], pii: set[str]) -> None:
    """What each term in the workbook means, from the glossary: always text, never a formula."""
    widths(ws, (34, 70, 30, 50))
    put(ws, 1, 1, "Words used in this report", font=TITLE_FONT)
    header(ws, 2, ["Word", "What it means", "Which way is better", "For example"])
    ws.freeze_panes = "A3"
    for row, term in enumerate(c.words_used(trial, findings, personal=pii, every_group_measure=True), 3):
        for col, text in enumerate((term.name, term.meaning, term.better, term.example), 1):
            put(ws, row, col, text, wrap=col > 1)


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

