"""Workbook look and the one way values go into cells.

``put`` is the only writer the sheets use: text goes through ``text_cell`` (never a
formula), numbers get a number format, and missing or non-finite numbers stay empty, since
a NaN written into a workbook makes Excel offer to "repair" the file.
"""

from __future__ import annotations

import datetime as dt
import math
from numbers import Real
from typing import Any, Iterable, Sequence

import numpy as np
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .safe_text import text_cell

FONT_NAME = "Calibri"
TITLE_FONT = Font(name=FONT_NAME, size=16, bold=True, color="1F3864")
HEADING_FONT = Font(name=FONT_NAME, size=13, bold=True, color="1F3864")
HEADER_FONT = Font(name=FONT_NAME, size=11, bold=True)
BOLD_FONT = Font(name=FONT_NAME, size=11, bold=True)
BODY_FONT = Font(name=FONT_NAME, size=11)
NOTE_FONT = Font(name=FONT_NAME, size=10, italic=True, color="595959")
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
SEVERITY_FILLS = {
    "critical": PatternFill("solid", fgColor="F8CBAD"),
    "warning": PatternFill("solid", fgColor="FFE699"),
    "info": PatternFill("solid", fgColor="DDEBF7"),
}
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
HEADER_BORDER = Border(bottom=Side(style="medium", color="1F3864"))

LINE_POINTS = 15.0
"""Height of one line of 11-point text, in points."""


def put(ws: Worksheet, row: int, col: int, value: Any, number_format: str | None = None, *,
        font: Font | None = None, wrap: bool = False, fill: PatternFill | None = None) -> Cell:
    """Write one value: text as text, numbers with ``number_format``, None as an empty cell."""
    if value is None or (isinstance(value, Real) and not isinstance(value, bool) and not math.isfinite(value)):
        # NaN or infinity would make the file need a repair in Excel: leave the cell empty.
        cell = ws.cell(row=row, column=col)
    elif isinstance(value, (bool, np.bool_)):
        cell = text_cell(ws, row, col, "yes" if value else "no")
    elif isinstance(value, Real):
        cell = ws.cell(row=row, column=col, value=float(value) if not isinstance(value, int) else int(value))
        if number_format:
            cell.number_format = number_format
    elif isinstance(value, (dt.datetime, dt.date)):
        cell = text_cell(ws, row, col, value.isoformat(sep=" ") if isinstance(value, dt.datetime)
                         else value.isoformat())
    else:
        cell = text_cell(ws, row, col, value)
    cell.font = font or BODY_FONT
    cell.alignment = WRAP if wrap else TOP
    if fill is not None:
        cell.fill = fill
    return cell


def header(ws: Worksheet, row: int, labels: Sequence[str], col: int = 1) -> None:
    """A bold header row with a light fill, tall enough for its wrapped labels (set the
    column widths first)."""
    for offset, label in enumerate(labels):
        cell = put(ws, row, col + offset, label, font=HEADER_FONT, wrap=True, fill=HEADER_FILL)
        cell.border = HEADER_BORDER
        fit_height(ws, row, str(label), column_width(ws, col + offset, col + offset), HEADER_FONT)


def widths(ws: Worksheet, sizes: Iterable[float], start: int = 1) -> None:
    """Column widths in characters, from column ``start`` on."""
    for offset, size in enumerate(sizes):
        ws.column_dimensions[get_column_letter(start + offset)].width = size


def lines_needed(text: str, width_chars: float) -> int:
    """A generous guess of the wrapped lines ``text`` takes in a cell ``width_chars`` wide."""
    per_line = max(1.0, width_chars * 1.0)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in str(text).split("\n"))


def sentence(ws: Worksheet, row: int, text: Any, first_col: int, last_col: int, *,
             font: Font | None = None, fill: PatternFill | None = None) -> Cell:
    """Text spread over several columns (merged), wrapped, with a row height that shows it all:
    spreadsheets do not grow merged rows by themselves."""
    cell = put(ws, row, first_col, text, font=font, wrap=True, fill=fill)
    if last_col > first_col:
        ws.merge_cells(start_row=row, start_column=first_col, end_row=row, end_column=last_col)
    fit_height(ws, row, str(cell.value or ""), column_width(ws, first_col, last_col), font)
    return cell


def column_width(ws: Worksheet, first_col: int, last_col: int) -> float:
    return sum(ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(first_col, last_col + 1))


def fit_height(ws: Worksheet, row: int, text: str, width_chars: float, font: Font | None = None) -> None:
    """Make ``row`` tall enough for ``text`` wrapped in ``width_chars`` (never lower it)."""
    size = float((font or BODY_FONT).sz or 11)
    line = max(LINE_POINTS, size * 1.4)
    needed = lines_needed(text, width_chars * 11.0 / size) * line
    current = ws.row_dimensions[row].height or 0
    ws.row_dimensions[row].height = max(current, needed)


def print_setup(ws: Worksheet, *, landscape: bool = True) -> None:
    """Fit the sheet to the page width when printed or turned into a PDF."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
