"""Paper: how much a printed page holds, and page breaks that keep a part of a sheet on one page."""

from __future__ import annotations

from openpyxl import Workbook

from fairtrial.report import layout


def _sheet(heights: list[float], widths: tuple[float, ...] = (20, 20, 20)):
    """A sheet of len(heights) rows, set up for paper; each row's height a share of what a page holds."""
    ws = Workbook().active
    layout.widths(ws, widths)
    for row in range(1, len(heights) + 1):
        for col in range(1, len(widths) + 1):
            ws.cell(row=row, column=col, value=f"row {row}")
    layout.print_setup(ws, last_row=len(heights))
    page = layout.page_points(ws)
    for row, share in enumerate(heights, 1):
        ws.row_dimensions[row].height = share * page
    return ws


def _breaks(ws) -> list[int]:
    """The rows that start a new page by a break of ours."""
    return [b.id + 1 for b in ws.row_breaks.brk]


def test_a_page_holds_the_paper_height_less_the_margins_at_the_printed_scale():
    body = (27.94 - 2 * 0.7 * 2.54) / layout.CM_PER_POINT  # Letter, the shorter paper, upright: 691 points
    narrow = _sheet([0.1])
    assert narrow.page_setup.orientation == "portrait" and layout.print_scale(narrow) == 1.0
    assert abs(layout.page_points(narrow) - body * layout.PAGE_SAFETY) < 1e-6
    wide = _sheet([0.1], widths=(26, 26, 26, 26))  # printed at 94% of its size, 93 in whole per cents
    assert wide.page_setup.orientation == "portrait" and round(layout.print_scale(wide), 3) == 0.94
    assert abs(layout.page_points(wide) - body * layout.PAGE_SAFETY / 0.93) < 1e-6


def test_a_part_that_does_not_fit_on_the_rest_of_the_page_starts_a_new_one():
    ws = _sheet([0.09] * 15)  # three parts of 0.45 of a page each
    starts = layout.keep_together(ws, [((1, 5), []), ((6, 10), []), ((11, 15), [])], 15)
    assert starts == [11] == _breaks(ws)  # the first two share a page; the third would be cut


def test_parts_that_fit_together_get_no_break():
    ws = _sheet([0.2] * 4)
    assert layout.keep_together(ws, [((1, 2), []), ((3, 4), [])], 4) == [] and _breaks(ws) == []


def test_a_part_taller_than_a_page_flows_and_its_tables_are_kept_whole_instead():
    # rows 1-3: a small part; rows 4-12: a part of 1.35 pages, its table on rows 9-12 (0.6 of a page)
    heights = [0.1, 0.1, 0.1] + [0.15] * 5 + [0.15] * 4
    ws = _sheet(heights)
    starts = layout.keep_together(ws, [((1, 3), []), ((4, 12), [(9, 12)])], 12)
    assert 4 not in starts  # the tall part is not moved: it would be cut on any page
    assert starts == [9]  # its table would be cut by the page the sentences run onto, so it starts one


def test_after_a_page_began_by_itself_the_next_part_starts_a_new_page():
    """Where the spreadsheet breaks a part taller than a page is not known exactly (other programs print
    with other fonts), so the part after it starts a new page rather than trusting that estimate."""
    heights = [0.3] * 4 + [0.1] * 2  # rows 1-4: 1.2 pages; rows 5-6: a small part
    ws = _sheet(heights)
    assert layout.keep_together(ws, [((1, 4), []), ((5, 6), [])], 6) == [5]
