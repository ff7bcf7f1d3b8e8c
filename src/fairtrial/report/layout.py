"""Workbook look and the one way values go into cells.

``put`` is the only writer the sheets use: text goes through ``text_cell`` (never a
formula), numbers get a number format, and missing or non-finite numbers stay empty, since
a NaN written into a workbook makes Excel offer to "repair" the file. ``print_setup``
makes a sheet print as a short, readable document (print area, fit to the page width,
orientation, repeated header rows, margins, header and footer).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from numbers import Real
from typing import Any, Iterable, Sequence

import numpy as np
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import column_index_from_string, get_column_letter
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
CENTRED_WRAP = Alignment(wrap_text=True, vertical="top", horizontal="center")
INDENTED_WRAP = Alignment(wrap_text=True, vertical="top", indent=1)
"""Words right after a column of numbers: a little space, so '4.4%' and 'Neither' do not touch."""
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


def lines_needed(text: str, width_chars: float, *, bold: bool = False) -> int:
    """A generous guess of the wrapped lines ``text`` takes in a cell ``width_chars`` wide: the
    words wrapped one by one, a column holding about 1.15 characters of ordinary text per unit of
    width (units are the width of a digit, wider than most letters), 1.05 of bold text."""
    per_line = max(1.0, width_chars * (1.05 if bold else 1.15))
    lines = 0
    for part in str(text).split("\n"):
        used, count = 0.0, 1
        for word in part.split():
            need = len(word) if used == 0 else used + 1 + len(word)
            if need <= per_line:
                used = need
            else:
                count += max(1, math.ceil(len(word) / per_line)) if used else math.ceil(len(word) / per_line) - 1
                used = len(word) % per_line or per_line
        lines += count
    return lines


def sentence(ws: Worksheet, row: int, text: Any, first_col: int, last_col: int, *,
             font: Font | None = None, fill: PatternFill | None = None) -> Cell:
    """Text spread over several columns (merged), wrapped, with a row height that shows it all:
    spreadsheets do not grow merged rows by themselves."""
    cell = put(ws, row, first_col, text, font=font, wrap=True, fill=fill)
    if last_col > first_col:
        ws.merge_cells(start_row=row, start_column=first_col, end_row=row, end_column=last_col)
    fit_height(ws, row, str(cell.value or ""), column_width(ws, first_col, last_col), font)
    return cell


GAP_POINTS = 7.5
"""Height of a blank row between two parts of a sheet: half a line, so paper is not spent on space."""


def gap(ws: Worksheet, row: int) -> int:
    """Leave ``row`` blank and low (half a line); returns the next row."""
    ws.row_dimensions[row].height = GAP_POINTS
    return row + 1


def column_width(ws: Worksheet, first_col: int, last_col: int) -> float:
    return sum(ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(first_col, last_col + 1))


def fit_height(ws: Worksheet, row: int, text: str, width_chars: float, font: Font | None = None) -> None:
    """Make ``row`` tall enough for ``text`` wrapped in ``width_chars`` (never lower it)."""
    size = float((font or BODY_FONT).sz or 11)
    line = max(LINE_POINTS, size * 1.4)
    needed = lines_needed(text, width_chars * 11.0 / size, bold=bool((font or BODY_FONT).b)) * line
    current = ws.row_dimensions[row].height or 0
    ws.row_dimensions[row].height = max(current, needed)


# --- paper ----------------------------------------------------------------------------------
CM_PER_POINT = 2.54 / 72
PRINTABLE_CM = {"portrait": 18.6, "landscape": 25.9}
"""The width left for cells on A4 and on Letter paper, whichever is narrower, with the margins
below (A4 is 21.0 x 29.7 cm, Letter 21.6 x 27.9 cm; 1.2 cm left and right)."""
MARGINS_INCH = {"left": 0.47, "right": 0.47, "top": 0.7, "bottom": 0.7, "header": 0.3, "footer": 0.3}
PORTRAIT_MIN_SCALE = 0.8
"""A sheet prints upright when it fits the page width at 80% of its size or more; wider
sheets print sideways (landscape)."""


def width_cm(chars: float) -> float:
    """The printed width of a column ``chars`` characters wide (Calibri 11: 7 pixels a
    character plus 5 of padding, at 96 pixels an inch)."""
    return (7.0 * chars + 5.0) * 2.54 / 96.0


EMU_PER_CM = 360_000


def chart_cells(ws: Worksheet, chart: Any) -> tuple[int, int, int, int] | None:
    """The first and last (row, column) a chart covers, from its anchor and size: a chart placed at a
    cell name (as the report places them) or one read back from a file (anchored with a size)."""
    anchor = chart.anchor
    if isinstance(anchor, str):
        col_letters, row_text = re.match(r"([A-Z]+)(\d+)", anchor).groups()
        first_row, first_col = int(row_text), column_index_from_string(col_letters)
        height, width = float(chart.height), float(chart.width)
    elif getattr(anchor, "ext", None) is not None:
        first_row, first_col = anchor._from.row + 1, anchor._from.col + 1
        height, width = anchor.ext.height / EMU_PER_CM, anchor.ext.width / EMU_PER_CM
    else:
        return None
    row, col = first_row, first_col
    while height > 0:
        height -= (ws.row_dimensions[row].height or LINE_POINTS) * CM_PER_POINT
        row += 1
    while width > 0:
        width -= width_cm(ws.column_dimensions[get_column_letter(col)].width or 8.43)
        col += 1
    return first_row, first_col, row - 1, col - 1


def _chart_extent(ws: Worksheet, below: int | None = None) -> tuple[int, int]:
    """The last (row, column) the sheet's charts reach; only charts that start at or above row
    ``below`` when it is given (charts further down are for the screen)."""
    last_row, last_col = 0, 0
    for chart in getattr(ws, "_charts", []):
        cells = chart_cells(ws, chart)
        if cells is None or (below is not None and cells[0] > below):
            continue
        last_row, last_col = max(last_row, cells[2]), max(last_col, cells[3])
    return last_row, last_col


def print_extent(ws: Worksheet, last_row: int | None = None) -> tuple[int, int]:
    """The last row and column with anything to print: values, merged text or charts; with
    ``last_row``, what is on rows from ``last_row`` on is for the screen and not counted (a chart
    that starts above it is printed whole)."""
    chart_row, chart_col = _chart_extent(ws, last_row)
    if last_row is None:
        return max(ws.max_row, chart_row), max(ws.max_column, chart_col)
    cols = [cell.column for row in ws.iter_rows(max_row=last_row) for cell in row if cell.value is not None]
    merged = [r.max_col for r in ws.merged_cells.ranges if r.min_row <= last_row]
    return max(last_row, chart_row), max([*cols, *merged, chart_col, 1])


def print_scale(ws: Worksheet, orientation: str | None = None) -> float:
    """The share of its real size the print area prints at when fitted to the page width."""
    orientation = orientation or ws.page_setup.orientation or "portrait"
    area = re.search(r"\$?([A-Z]+)\$?\d+$", str(ws.print_area or ""))
    last_col = column_index_from_string(area.group(1)) if area else print_extent(ws)[1]
    wide = sum(width_cm(ws.column_dimensions[get_column_letter(c)].width or 8.43) for c in range(1, last_col + 1))
    return min(1.0, PRINTABLE_CM[orientation] / wide)


PAPER_HEIGHT_CM = {"portrait": 27.94, "landscape": 21.0}
"""The page height A4 and Letter paper have, whichever is shorter: Letter upright (27.94 cm; A4 29.7),
A4 sideways (21.0 cm; Letter 21.59)."""
PAGE_SAFETY = 0.99
"""The share of a page's height counted on: a spreadsheet rounds row heights to its own grid."""


def page_points(ws: Worksheet) -> float:
    """How many points of rows (at their own size) one printed page of ``ws`` holds: the paper's height
    less the top and bottom margins, at the scale the sheet prints at when fitted to the page width."""
    orientation = ws.page_setup.orientation or "portrait"
    inches = (ws.page_margins.top or MARGINS_INCH["top"]) + (ws.page_margins.bottom or MARGINS_INCH["bottom"])
    body_cm = PAPER_HEIGHT_CM[orientation] - inches * 2.54
    scale = math.floor(print_scale(ws, orientation) * 100) / 100  # Excel scales by whole per cents, rounded down
    return body_cm / CM_PER_POINT * PAGE_SAFETY / scale


Span = tuple[int, int]


def keep_together(ws: Worksheet, blocks: Sequence[tuple[Span, Sequence[Span]]], last_row: int) -> list[int]:
    """Page breaks (``ws.row_breaks``) so that no part that fits on one page is cut by a page break:
    each block (its first and last row) starts on a new page when it would not fit on the rest of the
    current one; a block taller than a page is left to flow, and then each of its parts (a table: its
    first and last row) that would be cut starts on a new page instead. Rows flow onto the next page
    the way a spreadsheet prints them (a row is never split). Where a page began by itself (a block
    taller than a page ran over), the next part starts a new page as well: programs print with fonts
    of other widths, so where their own breaks fall is not known. Call it after ``print_setup`` (the
    orientation and the scale decide how much a page holds). Returns the rows that start a new page."""
    from openpyxl.worksheet.pagebreak import Break

    capacity = page_points(ws)
    used = 0.0
    by_itself = False  # a page began without a break of ours since the last one
    starts: list[int] = []

    def height(first: int, last: int) -> float:
        return sum(ws.row_dimensions[r].height or LINE_POINTS for r in range(first, last + 1))

    def flow(first: int, last: int) -> None:
        nonlocal used, by_itself
        for r in range(first, last + 1):
            h = height(r, r)
            if used + h > capacity and used > 0:
                used, by_itself = 0.0, True  # the spreadsheet starts a new page here by itself
            used += h

    def keep(first: int, last: int) -> bool:
        """Start a new page at ``first`` when the rows up to ``last`` fit on a page but not on this one."""
        nonlocal used, by_itself
        need = height(first, last)
        if need > capacity:
            return False
        if used > 0 and (used + need > capacity or by_itself):
            ws.row_breaks.append(Break(id=first - 1))  # a break after row first - 1
            starts.append(first)
            used, by_itself = 0.0, False
        flow(first, last)
        return True

    row = 1
    for (first, last), parts in sorted(blocks):
        flow(row, first - 1)
        if not keep(first, last):
            at = first
            for part_first, part_last in sorted(parts):
                flow(at, part_first - 1)
                if not keep(part_first, part_last):
                    flow(part_first, part_last)
                at = part_last + 1
            flow(at, last)
        row = last + 1
    flow(row, last_row)
    return starts


def header_text(text: str) -> str:
    """Text for a printed page header: ``&`` starts a code there, so it is doubled; short."""
    text = " ".join(str(text).split())
    if len(text) > 80:
        text = text[:79] + "…"
    return text.replace("&", "&&")


def print_setup(ws: Worksheet, *, title: str = "", title_rows: str | None = None, last_row: int | None = None) -> None:
    """Make the sheet print as a short, readable document: a print area around what is on it,
    fitted to the page width (any number of pages down), upright unless it is wide, the rows
    ``title_rows`` (e.g. ``"1:1"``) repeated on every page, narrow margins, the report's
    ``title`` at the top and the sheet's name and page number at the bottom of each page. Rows
    below ``last_row`` (when given) are for the screen and are not printed."""
    last_row, last_col = print_extent(ws, last_row)
    ws.print_area = f"A1:{get_column_letter(last_col)}{last_row}"
    orientation = "portrait" if print_scale(ws, "portrait") >= PORTRAIT_MIN_SCALE else "landscape"
    ws.page_setup.orientation = orientation
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # shrinks a sheet that is wider than the page
    if title_rows:
        ws.print_title_rows = title_rows
    for side, inches in MARGINS_INCH.items():
        setattr(ws.page_margins, side, inches)
    ws.print_options.gridLines = False
    if title:
        ws.oddHeader.center.text = header_text(title)
        ws.oddHeader.center.size = 9
    ws.oddFooter.left.text = "&A"
    ws.oddFooter.right.text = "Page &P of &N"
    ws.oddFooter.left.size = ws.oddFooter.right.size = 9
