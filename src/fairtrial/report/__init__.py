"""Reports of a stored trial: the Excel workbook and the one-page HTML summary.

Both read the plain dicts the store returns (``Store.get_trial``, a ``Store.list_datasets``
entry) and the data-check ``Finding``s, so they work for any stored trial, old or new.
``provenance_settings`` reads a workbook's Provenance sheet back into the settings that
re-run the trial.

    content.py     what the report says (sentences, key numbers), shared by both formats
    excel.py       the workbook, one function per sheet
    html.py        the self-contained HTML page
    provenance.py  the Provenance sheet and reading it back
    safe_text.py   text cells that are never formulas
    layout.py      fonts, widths, the one cell writer and the page setup for printing
"""

from __future__ import annotations

from .excel import PREDICTIONS_SHEET, SHEETS, write_excel_report, write_predictions_workbook
from .html import write_html_summary
from .provenance import provenance_settings
from .safe_text import text_cell

__all__ = ["PREDICTIONS_SHEET", "SHEETS", "provenance_settings", "text_cell", "write_excel_report",
           "write_html_summary", "write_predictions_workbook"]
