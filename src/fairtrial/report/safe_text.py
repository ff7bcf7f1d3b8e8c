"""Text from user data goes into a workbook as text, never as a formula.

openpyxl turns any ``str`` that starts with ``=`` into a formula and ``"#N/A"`` into an
error value. A column called ``=HYPERLINK("http://x","click")`` or a group called
``+cmd|' /C calc'!A0`` must show literally, so every text cell in the report is written
through ``text_cell``: it cleans the text, stores it, and forces the cell type back to a
plain string. Text that a spreadsheet could read as a formula when someone edits the cell
also gets Excel's "quote prefix" flag, the same as typing an apostrophe first.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["MAX_CELL_CHARS", "clean_text", "csv_safe_frame", "csv_safe_text", "looks_like_formula", "text_cell"]

MAX_CELL_CHARS = 32_767
"""Excel keeps at most this many characters in one cell."""

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def clean_text(value: Any) -> str:
    """``value`` as text a workbook can hold: control characters that XML forbids become
    '\ufffd', and text longer than a cell holds is cut with an ellipsis."""
    text = "" if value is None else str(value)
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - 1] + "…"
    return text


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet could take ``text`` for a formula (or a DDE command) when typed."""
    return text.startswith(_FORMULA_STARTS)


def text_cell(ws: Worksheet, row: int, col: int, value: Any) -> Cell:
    """Write ``value`` as a plain string into ``ws`` at (row, col) and return the cell."""
    text = clean_text(value)
    cell = ws.cell(row=row, column=col)
    cell.value = text
    cell.data_type = "s"
    if looks_like_formula(text):
        cell.quotePrefix = True
    return cell


_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def csv_safe_text(value: Any) -> Any:
    """A text cell for a CSV file that a spreadsheet opens as text, never as a formula: text
    that starts like a formula gets a leading apostrophe (OWASP's advice for CSV injection).
    A plain signed number (``-3``, ``+1.5e3``) is left alone; anything not text is returned as is."""
    if not isinstance(value, str) or not looks_like_formula(value) or _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def csv_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names are safe to write as CSV.
    Number, yes/no and date columns are not touched, so negative numbers stay numbers."""
    out = frame.copy()
    for name in out.columns:
        col = out[name]
        if pd.api.types.is_numeric_dtype(col) or pd.api.types.is_datetime64_any_dtype(col):
            continue
        out[name] = col.astype(object).map(csv_safe_text)
    out.columns = [csv_safe_text(str(c)) for c in out.columns]
    return out
