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
