"""``text_cell``: user text is always a plain string cell, never a formula or an error value."""

from __future__ import annotations

import io

import openpyxl
import pytest

from fairtrial.report import text_cell
from fairtrial.report.safe_text import MAX_CELL_CHARS, clean_text, looks_like_formula

VALUES = ['=HYPERLINK("http://x","click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "#N/A", "#DIV/0!", "=1+1",
          "plain", "", "  leading space", "\tTAB", "line\nbreak", "ünïcødé ✓"]


def _round_trip(values):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row, value in enumerate(values, 1):
        text_cell(ws, row, 1, value)
    buffer = io.BytesIO()
    wb.save(buffer)
    return openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active


@pytest.mark.parametrize("value", VALUES)
def test_value_reads_back_literally_as_a_string(value):
    ws = _round_trip([value])
    cell = ws["A1"]
    if value == "":
        assert cell.value is None
        return
    assert cell.value == value
    assert cell.data_type == "s"
    assert cell.quotePrefix is looks_like_formula(value)


def test_non_text_values_become_text():
    ws = _round_trip([None, 12, 1.5, True])
    assert [ws.cell(row=r, column=1).value for r in range(2, 5)] == ["12", "1.5", "True"]
    assert all(ws.cell(row=r, column=1).data_type == "s" for r in range(2, 5))


def test_characters_xml_cannot_hold_are_replaced():
    assert clean_text("a\x00b\x07c") == "a\ufffdb\ufffdc"
    assert _round_trip(["bell\x07"])["A1"].value == "bell\ufffd"


def test_text_longer_than_a_cell_is_cut_with_an_ellipsis():
    text = clean_text("x" * (MAX_CELL_CHARS + 10))
    assert len(text) == MAX_CELL_CHARS and text.endswith("…")


@pytest.mark.parametrize("text, expected", [("=A1", True), ("+1", True), ("-1", True), ("@x", True),
                                            ("\tx", True), ("a=b", False), ("#N/A", False)])
def test_looks_like_formula(text, expected):
    assert looks_like_formula(text) is expected


def test_csv_text_that_starts_like_a_formula_gets_an_apostrophe_but_numbers_do_not():
    import pandas as pd

    from fairtrial.report.safe_text import csv_safe_frame, csv_safe_text

    for hostile in ("=1+1", "+cmd", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "-inf"):
        assert csv_safe_text(hostile) == "'" + hostile
    for plain in ("-7", "+1.5e3", "-.5", "likes maths", "a=b", ""):
        assert csv_safe_text(plain) == plain
    assert csv_safe_text(-7.0) == -7.0 and csv_safe_text(None) is None
    frame = pd.DataFrame({"=bad": ["=x", None], "n": [-1.5, -2.0], "flag": [True, False]})
    safe = csv_safe_frame(frame)
    assert list(safe.columns) == ["'=bad", "n", "flag"]
    assert safe["'=bad"].tolist()[0] == "'=x" and pd.isna(safe["'=bad"].tolist()[1])
    assert safe["n"].tolist() == [-1.5, -2.0] and safe["flag"].tolist() == [True, False]
    assert frame.columns[0] == "=bad", "the original is not changed"
