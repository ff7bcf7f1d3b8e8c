"""Read a CSV or Excel file into a ``Dataset``, working out how the file was written.

``load_file`` is the one way into FairTrial for a table. It accepts a path or the bytes of
an upload and:

- checks the size before reading anything (``FileTooLargeError``);
- tells workbooks from text by their first bytes, not only by the extension;
- for text (.csv, .tsv, .txt): detects the encoding (UTF-8, UTF-8 with BOM, UTF-16 with
  BOM, Windows-1252, Latin-1), the separator (, ; tab |), a decimal comma and whether the
  first row holds column names, all from the first ~50 lines, then reads the whole file
  once with pandas' C reader (the fastest reader for this job, see docs/benchmarks.md);
  columns of ISO dates (2024-01-31) or day.month.year dates become dates, and columns of
  numbers written with thousands separators (1.234,50) become numbers;
- for workbooks (.xlsx, .xlsm, .xls): reads the chosen sheet with python-calamine, keeps
  numbers as numbers and Excel dates as dates, and turns columns that mix numbers and
  text into text;
- cleans column names (blank -> ``column_N``; names that clash, ignoring capitals and
  spaces, get ``_2``, ``_3`` ...), drops fully empty rows and empty unnamed columns at the
  right edge, and says what it did in ``Dataset.notes``.

Every problem with the file raises ``BadFileError`` (or ``FileTooLargeError``) whose text
is one plain line: what is wrong and what to do. Raw pandas, zip or calamine messages
never reach the user.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import os
import re
import stat
import warnings
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import settings
from .dataset import Dataset, canonical_sha256
from .errors import BadFileError, FileTooLargeError, TooManyRowsError
from .kinds import infer_kinds

__all__ = ["SUPPORTED_EXTENSIONS", "list_sheets", "load_file", "sample_note"]

TEXT_EXTENSIONS: tuple[str, ...] = (".csv", ".tsv", ".txt")
WORKBOOK_EXTENSIONS: tuple[str, ...] = (".xlsx", ".xlsm", ".xls")
SUPPORTED_EXTENSIONS: tuple[str, ...] = TEXT_EXTENSIONS + WORKBOOK_EXTENSIONS

_SAMPLE_BYTES = 1 << 20  # detection looks at the first MiB ...
_SAMPLE_LINES = 50  # ... and at most this many lines of it
_DELIMITERS = (",", ";", "\t", "|")
_MAX_TITLE_ROWS = 5

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")

_ENCODING_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1",
}
_DELIMITER_LABELS = {",": "','", ";": "';'", "\t": "tabs", "|": "'|'"}
# Values pandas reads as empty by default; header detection treats them the same way.
_NA_TOKENS = frozenset({
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
})
# Excel error values (a formula that failed) are read as empty cells.
_EXCEL_ERRORS = frozenset({
    "#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#GETTING_DATA",
    "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
})
_NUMBER_WORDS = {2: "Two", 3: "Three", 4: "Four", 5: "Five", 6: "Six", 7: "Seven", 8: "Eight", 9: "Nine"}

_NUMBER = {
    ".": re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$"),
    ",": re.compile(r"^\s*[+-]?(\d+(,\d*)?|,\d+)([eE][+-]?\d+)?\s*$"),
}
# Numbers with thousands separators: 1.234.567,89 (decimal comma) or 1,234,567.89.
_GROUPED = {
    ",": re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$"),
    ".": re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$"),
}
_GROUPED_OR_PLAIN = {
    ",": r"[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?",
    ".": r"[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?",
}
_COMMA_DECIMAL = re.compile(r"^[+-]?(\d+|\d{1,3}(\.\d{3})+),\d+$")
_DOT_DECIMAL = re.compile(r"^[+-]?\d*\.\d+([eE][+-]?\d+)?$")
_DOT_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")
_DATE_CELL = re.compile(
    r"^\s*(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?"
    r"|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}([ T]\d{1,2}:\d{2}(:\d{2})?)?)\s*$"
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$")
_DOTTED_DATE = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{4}$")
# Characters that do not belong in a text table (C0/C1 controls, decoding failures).
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
_SEP_HINT = re.compile(r"^sep=([,;\t|])[ \t]*(\r\n|\n|\r)")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # one line end, as csv and pandas count them
_LINE_BREAKS = re.compile(r"\s*[\r\n\t\v\f]\s*")  # a name written over two lines reads as one
_RAGGED = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
_OPEN_QUOTE = re.compile(r"EOF inside string starting at row (\d+)")

_SAVE_AS_CSV = "Open it in Excel and save it as 'CSV UTF-8' (or as .xlsx), then try again."
_SUPPORTED_TEXT = "CSV (.csv, .tsv, .txt) or Excel (.xlsx, .xlsm, .xls)"


# ------------------------------------------------------------------------------------------
# The source: a path or the bytes of an upload
# ------------------------------------------------------------------------------------------
@dataclass
class _Source:
    """Where the bytes come from; reads them lazily so a size check can come first."""

    file_name: str
    ext: str
    path: Path | None = None
    data: bytes | None = None
    size: int = 0
    _head: bytes | None = field(default=None, repr=False)

    def head(self, n: int = _SAMPLE_BYTES) -> bytes:
        if self.data is not None:
            return self.data[:n]
        if self._head is None or len(self._head) < min(n, self.size):
            with _opening(self):
                with open(self.path, "rb") as fh:
                    self._head = fh.read(max(n, _SAMPLE_BYTES))
        return self._head[:n]

    def all_bytes(self) -> bytes:
        if self.data is None:
            with _opening(self):
                self.data = self.path.read_bytes()
        return self.data

    def for_pandas(self) -> Any:
        return str(self.path) if self.data is None else io.BytesIO(self.data)

    def for_calamine(self) -> Any:
        return str(self.path) if self.data is None else io.BytesIO(self.data)


class _opening:
    """Turns OS errors while opening a file into a plain ``BadFileError``."""

    def __init__(self, src: _Source) -> None:
        self.src = src

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc is None or not isinstance(exc, OSError):
            return False
        if isinstance(exc, PermissionError):
            raise BadFileError(
                f"FairTrial is not allowed to open '{self.src.file_name}'.",
                "Close the file in other programs (or check its permissions) and try again.",
            ) from exc
        raise BadFileError(
            f"FairTrial could not read '{self.src.file_name}' from the disk.",
            "Copy the file to a local folder and try again.",
        ) from exc


def _base_name(filename: str) -> str:
    return re.split(r"[\\/]", str(filename))[-1].strip()


def _make_source(source: Any, filename: str | None) -> _Source:
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    elif hasattr(source, "getvalue") or hasattr(source, "read"):  # BytesIO, an upload widget
        data = source.getvalue() if hasattr(source, "getvalue") else source.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        filename = filename or getattr(source, "name", None)
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source).expanduser()
        file_name = _base_name(filename) if filename else path.name
        if not path.exists():
            raise BadFileError(
                f"FairTrial cannot find the file '{path.name}'.",
                "Check the file name and folder, and try again.",
            )
        if path.is_dir():
            raise BadFileError(
                f"'{path.name}' is a folder, not a file.",
                "Pick the CSV or Excel file inside it.",
            )
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):  # a pipe would hang the read; a device is no table
            what = "a pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
            raise BadFileError(
                f"'{path.name}' is {'a link to ' if path.is_symlink() else ''}{what}, not a plain file.",
                "Save the table as a CSV or Excel file and pick that file.",
            )
        return _Source(
            file_name=file_name, ext=Path(file_name).suffix.lower(), path=path, size=path.stat().st_size
        )
    else:
        raise TypeError(f"load_file takes a path or bytes, not {type(source).__name__}")
    file_name = _base_name(filename) if filename else ""
    return _Source(file_name=file_name, ext=Path(file_name).suffix.lower(), data=data, size=len(data))


def _human_size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            if unit == "bytes":
                return f"{int(n):,} bytes"
            return f"{n:,.1f} {unit}".replace(".0 ", " ")
        n /= 1024
    return f"{n:,.0f} GB"  # pragma: no cover


def _check_size(src: _Source, max_bytes: int | None, text: bool = False) -> None:
    """Refuse a file over ``max_file_mb``. A text file can still be read as a random sample of
    its rows (``load_file(sample_rows=...)`` reads it in chunks): the error offers one as big as
    a file under the limit would be, at most ``max_rows`` (``TooManyRowsError.limit``)."""
    limit = int(max_bytes) if max_bytes is not None else int(settings.get("max_file_mb")) * 1024 * 1024
    if src.size <= limit:
        return
    message = f"This file is {_human_size(src.size)}, more than the {_human_size(limit)} FairTrial reads."
    hint = "Keep only the rows and columns you need (or save a sample of the rows) and try again"
    lines = _count_lines(src) if text else None
    if not lines or lines < 2:
        raise FileTooLargeError(message, hint + ".")
    rows = lines - 1
    fit = min(int(settings.get("max_rows")), int(rows * limit / src.size))
    offer = int(float(f"{fit:.2g}")) if fit >= 100 else fit
    raise TooManyRowsError(
        message,
        f"{hint}, or let FairTrial read a random {offer:,} of its about {_rows_words(rows)} rows (every row equally "
        f"likely, the same rows each time): on the command line add --sample-rows {offer}; in the app choose "
        "'Use a random sample' on the Upload page.", rows=rows, limit=max(offer, 1))


# ------------------------------------------------------------------------------------------
# Limits: what FairTrial refuses to read, checked as early as possible
# ------------------------------------------------------------------------------------------
_RATIO_FLOOR = 64 * 1024 * 1024  # below this unpacked size a high ratio harms nothing


def _workbook_too_large(what: str) -> FileTooLargeError:
    return FileTooLargeError(
        f"This Excel file unpacks to {what}, more than FairTrial reads "
        "(an .xlsx file is a compressed folder of text files).",
        "Keep only the rows and columns you need, or save the table as 'CSV UTF-8', and try again.",
    )


def _guard_workbook_parts(src: _Source, zf: zipfile.ZipFile) -> None:
    """Refuse an .xlsx that would unpack to too much, before any part of it is read.

    The sizes come from the zip's own table of contents (``file_size`` of each part), so
    nothing is unpacked to know them. A zip can state false sizes: the reader
    (python-calamine) stops a part at its stated size and calls the file damaged (measured:
    a part stating 1,000 bytes that holds 300 MB is refused in 0.4 s with 146 MB of memory).
    """
    mb = 1024 * 1024
    infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    if total > int(settings.get("max_workbook_unpacked_mb")) * mb:
        raise _workbook_too_large(_human_size(total))
    ratio = total / max(1, src.size)
    if total > _RATIO_FLOOR and ratio > float(settings.get("max_workbook_unpack_ratio")):
        raise _workbook_too_large(f"{ratio:,.0f} times its size ({_human_size(total)})")
    strings_limit = int(settings.get("max_workbook_shared_strings_mb")) * mb
    for info in infos:
        if info.filename.lower().endswith("sharedstrings.xml") and info.file_size > strings_limit:
            raise _workbook_too_large(f"{_human_size(info.file_size)} of text (the part that holds its texts)")


def _too_long_cell(where: str, length: int) -> FileTooLargeError:
    return FileTooLargeError(
        f"{where} holds a text of {length:,} characters; FairTrial reads at most "
        f"{int(settings.get('max_cell_chars')):,} in one cell.",
        "Shorten that text (or delete the column) and try again.",
    )


def _guard_cells(frame: pd.DataFrame) -> None:
    """Refuse a table with a column name or a text cell longer than ``max_cell_chars``
    (rows and columns are limited while reading: ``_too_many_rows``, ``_too_many_columns``)."""
    limit = int(settings.get("max_cell_chars"))
    for name in frame.columns:
        if len(str(name)) > limit:
            raise _too_long_cell("A column name", len(str(name)))
    for name in frame.columns:
        col = frame[name]
        if pd.api.types.is_numeric_dtype(col) or pd.api.types.is_datetime64_any_dtype(col):
            continue
        if col.dtype == object:
            lengths = col.map(lambda v: len(v) if isinstance(v, str) else 0)
        else:
            lengths = col.str.len()
        longest = lengths.max() if len(col) else 0
        if pd.notna(longest) and int(longest) > limit:
            raise _too_long_cell(f"The column '{_short(name)}'", int(longest))


# ------------------------------------------------------------------------------------------
# What kind of file is it?
# ------------------------------------------------------------------------------------------
def _is_encrypted_ole(src: _Source) -> bool:
    return _ENCRYPTION_STREAM in src.all_bytes()


def _password_error() -> BadFileError:
    return BadFileError(
        "This workbook is protected with a password, so FairTrial cannot open it.",
        "Open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with "
        "Password, then clear it), save it again and upload the new file.",
    )


def _damaged_workbook_error(src: _Source) -> BadFileError:
    return BadFileError(
        f"This Excel file{_quoted_name(src)} is damaged or incomplete "
        "(perhaps a download or copy stopped early).",
        "Open it in Excel, save it again as .xlsx and upload the new file.",
    )


def _quoted_name(src: _Source) -> str:
    return f" ('{src.file_name}')" if src.file_name else ""


def _unsupported_error(ext: str) -> BadFileError:
    what = {
        ".pdf": "PDF files",
        ".docx": "Word documents",
        ".doc": "Word documents",
        ".pptx": "PowerPoint files",
        ".json": "JSON files",
        ".parquet": "Parquet files",
        ".ods": "OpenDocument spreadsheets (.ods)",
        ".numbers": "Numbers spreadsheets",
        ".xlsb": "binary Excel workbooks (.xlsb)",
    }.get(ext, f"'{ext}' files")
    return BadFileError(
        f"FairTrial cannot read {what}; it reads {_SUPPORTED_TEXT} files.",
        "Save the table in one of those formats (in Excel: File > Save As > 'CSV UTF-8' or "
        "'Excel Workbook') and upload that file.",
    )


def _zip_kind(src: _Source) -> str:
    """'workbook' for an .xlsx/.xlsm/.ods inside the zip, else raise a plain error."""
    try:
        with zipfile.ZipFile(src.path if src.data is None else io.BytesIO(src.data)) as zf:
            names = set(zf.namelist())
            is_workbook = "content.xml" in names or any(  # .ods: calamine reads those too
                n.lower() in ("xl/workbook.xml", "xl/workbook.bin") for n in names
            )
            if is_workbook:
                _guard_workbook_parts(src, zf)
    except (zipfile.BadZipFile, ValueError, EOFError, OSError) as exc:
        raise _damaged_workbook_error(src) from exc
    if is_workbook:
        return "workbook"
    if any(n.startswith("word/") for n in names):
        kind = "a Word document"
    elif any(n.startswith("ppt/") for n in names):
        kind = "a PowerPoint file"
    else:
        kind = "a zip archive"
    raise BadFileError(
        f"This file{_quoted_name(src)} is {kind}, not an Excel workbook.",
        "Open the table in Excel and save it as .xlsx or 'CSV UTF-8', then upload that file.",
    )


def _file_kind(src: _Source) -> str:
    """'text' or 'workbook', judged from the first bytes and then the extension."""
    head = src.head(8)
    if src.ext and src.ext not in SUPPORTED_EXTENSIONS:
        raise _unsupported_error(src.ext)
    if head.startswith(_OLE_MAGIC):
        if _is_encrypted_ole(src):
            raise _password_error()
        return "workbook"
    if head.startswith(_ZIP_MAGIC):
        return _zip_kind(src)
    if head.startswith(b"%PDF"):
        raise _unsupported_error(".pdf")
    if src.ext in WORKBOOK_EXTENSIONS:
        if src.size == 0:
            raise BadFileError(
                f"This Excel file{_quoted_name(src)} is empty (0 bytes).",
                "Check that you picked the right file, or save the workbook again and upload it.",
            )
        looks_text = _looks_like_text(src.head(4096))
        raise BadFileError(
            f"This file is named {src.ext} but is not an Excel workbook"
            + (" (it looks like plain text)." if looks_text else " (it may be damaged)."),
            "If it is a CSV file, rename it to .csv and upload it again; otherwise open it in "
            "Excel, save it as .xlsx and upload the new file.",
        )
    return "text"


def _looks_like_text(raw: bytes) -> bool:
    if not raw or b"\x00" in raw:
        return False
    text = raw.decode("latin-1")
    return len(_CONTROL_CHARS.findall(text)) <= len(text) * 0.01


# ------------------------------------------------------------------------------------------
# Column names and notes
# ------------------------------------------------------------------------------------------
def _name_text(value: Any) -> str:
    """A header cell as text: 2020.0 -> '2020', a date -> '2024-01-31', stripped, one line."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:
            return ""
        value = _number_text(value)
    elif isinstance(value, (dt.datetime, dt.date, dt.time)):
        value = _date_text(value)
    return _LINE_BREAKS.sub(" ", str(value).strip())


def _short(name: str, limit: int = 60) -> str:
    """A name as shown in a message: a very long one is cut, so one line stays one line."""
    name = str(name)
    return name if len(name) <= limit else name[: limit - 3] + "..."


def _quote_list(names: list[str], limit: int = 6, conj: str = "and") -> str:
    quoted = [f"'{_short(n)}'" for n in names[:limit]]
    if len(names) > limit:
        return ", ".join(quoted) + f" {conj} {len(names) - limit} more"
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + f" {conj} " + quoted[-1]


def _count_word(n: int) -> str:
    return _NUMBER_WORDS.get(n, str(n))


def _clean_names(raw: list[Any]) -> tuple[list[str], list[str]]:
    """Unique, tidy column names and the notes saying what changed.

    Blank names become ``column_N`` (N = position from 1); names that are the same after
    stripping and ignoring capitals (DuckDB treats ``Age`` and ``age`` as one) get ``_2``,
    ``_3`` ... in order, skipping any suffix another column already uses.
    """
    texts = [_name_text(v) for v in raw]
    taken = {t.lower() for t in texts if t}
    names: list[str] = []
    used: set[str] = set()
    unnamed: list[str] = []
    groups: dict[str, list[tuple[str, str]]] = {}
    for i, text in enumerate(texts):
        base = text or f"column_{i + 1}"
        name = base
        if name.lower() in used:
            k = 2
            while f"{base}_{k}".lower() in used or f"{base}_{k}".lower() in taken:
                k += 1
            name = f"{base}_{k}"
        used.add(name.lower())
        names.append(name)
        if not text:
            unnamed.append(name)
        else:
            groups.setdefault(text.lower(), []).append((text, name))

    notes: list[str] = []
    if unnamed:
        if len(unnamed) == 1:
            notes.append(f"A column had no name; it is now {_quote_list(unnamed)}.")
        else:
            notes.append(f"{_count_word(len(unnamed))} columns had no name; they are now {_quote_list(unnamed)}.")
    for members in groups.values():
        if len(members) < 2:
            continue
        originals = [o for o, _ in members]
        renamed = [n for _, n in members]
        if len(set(originals)) == 1:
            if len(members) == 2:
                notes.append(f"Two columns were both called '{originals[0]}'; the second is now '{renamed[1]}'.")
            else:
                notes.append(
                    f"{_count_word(len(members))} columns were all called '{originals[0]}'; "
                    f"they are now {_quote_list(renamed)}."
                )
        else:
            notes.append(
                f"Columns {_quote_list(originals)} differ only in capital letters, and FairTrial's database "
                f"treats such names as the same; they are now {_quote_list(renamed)}."
            )
    return names, notes


def _no_header_note(width: int) -> str:
    if width == 1:
        return "The first row holds a value, not a column name, so the column is named column_1."
    names = "column_1 and column_2" if width == 2 else f"column_1 to column_{width}"
    return f"The first row holds values, not column names, so the columns are named {names}."


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


# ------------------------------------------------------------------------------------------
# Header detection (shared by CSV and Excel)
# ------------------------------------------------------------------------------------------
def _has_header(first: list[str], body: list[list[str]], first_values: list[Any], body_values: list[list[Any]]) -> bool:
    """Whether the first row names the columns.

    ``first`` holds the kind of each first-row cell ('empty', 'number', 'date', 'bool',
    'text'); ``body`` the kinds of the cells below, row by row. A column is *typed* when at
    least 90% of its non-empty cells below the first row are one of number/date/bool. The
    first row is data (no header) when every typed column has a value of its type in the
    first row; it is a header when any typed column has text there. With no typed columns,
    the first row is data only if each of its values also appears below it.
    """
    if not any(k != "empty" for k in first):
        return True
    if not body:
        return not all(k in ("number", "date", "bool", "empty") for k in first)
    typed_verdicts = _typed_verdicts(first, body)
    width = len(first)
    if typed_verdicts:
        if all(typed_verdicts) and _unseen_category(first, body, first_values, body_values) is not None:
            return True  # numbers as names (years, codes) over a column of repeating categories (see below)
        return not all(typed_verdicts)
    # Only text columns: a header row is unlikely to repeat values from the body.
    for j in range(width):
        if first[j] == "empty":
            continue
        below = {row[j] for row in body_values if j < len(row)}
        if first_values[j] not in below:
            return True
    return False


def _typed_verdicts(first: list[str], body: list[list[str]]) -> list[bool]:
    """For each typed column (90% of its cells below are numbers, dates or yes/no) with a
    first-row value: whether that value has the column's type."""
    verdicts: list[bool] = []
    for j in range(len(first)):
        col = [row[j] for row in body if j < len(row) and row[j] != "empty"]
        if not col or first[j] == "empty":
            continue
        kind, count = Counter(col).most_common(1)[0]
        if kind in ("number", "date", "bool") and count >= 0.9 * len(col):
            verdicts.append(first[j] == kind)
    return verdicts


def _unseen_category(first: list[str], body: list[list[str]], first_values: list[Any],
                     body_values: list[list[Any]]) -> tuple[str, str] | None:
    """A text column whose first-row value never appears below it although its values repeat
    (a column of categories): (that value, some values seen below), or None.

    A column 'repeats' when the Good-Turing chance that one more row brings a value not seen
    yet (the share of cells whose value is seen only once) is below ``header_unseen_value_chance``;
    a first row of data would then rarely hold a new value, so the row is a header.
    Free text (names, comments) never counts: nearly every value there is seen once.
    """
    limit = float(settings.get("header_unseen_value_chance"))
    for j, kind in enumerate(first):
        if kind != "text":
            continue
        cells = [values[j] for kinds, values in zip(body, body_values)
                 if j < len(values) and j < len(kinds) and kinds[j] != "empty"]
        if len(cells) < 2:
            continue
        counts = Counter(cells)
        seen_once = sum(1 for c in counts.values() if c == 1)
        if seen_once / len(cells) < limit and first_values[j] not in counts:
            shown = _quote_list([str(v) for v, _ in counts.most_common(3)], limit=3, conj="or")
            return str(first_values[j]), shown
    return None


def _header_note(first: list[str], body: list[list[str]], first_values: list[Any],
                 body_values: list[list[Any]]) -> str | None:
    """Why a first row that is numbers apart from a category was read as column names."""
    verdicts = _typed_verdicts(first, body) if body else []
    if not verdicts or not all(verdicts):
        return None
    found = _unseen_category(first, body, first_values, body_values)
    if found is None:
        return None
    return (f"The first row was read as column names: its numbers could be data, but '{found[0]}' is not one of "
            f"the values below it (like {found[1]}). If that row is data, add a row of column names above it.")


def _text_cell_kind(cell: str, number: re.Pattern) -> str:
    s = cell.strip()
    if s in _NA_TOKENS:
        return "empty"
    if number.match(s):
        return "number"
    if _DATE_CELL.match(s):
        return "date"
    if s.lower() in ("true", "false"):
        return "bool"
    return "text"


# ------------------------------------------------------------------------------------------
# Text files
# ------------------------------------------------------------------------------------------
@dataclass
class _Table:
    frame: pd.DataFrame
    notes: list[str]
    options: dict
    sheet: str | None = None


def _unreadable_error(detail: str) -> BadFileError:
    return BadFileError(f"This file is not readable text ({detail}).", _SAVE_AS_CSV)


def _detect_encoding(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise _unreadable_error("it is saved as UTF-32, which FairTrial does not read")
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in raw:
        raise _unreadable_error("it contains binary data or an encoding FairTrial does not know")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(raw, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        raw.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def _decode_sample(raw: bytes, encoding: str, complete: bool) -> str:
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    text = decoder.decode(raw, final=complete)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not complete:  # keep whole lines only
        cut = max(text.rfind("\n"), text.rfind("\r"))
        if cut > 0:
            text = text[:cut]
    return text


def _refuse_nul(frame: pd.DataFrame) -> None:
    """A NUL character anywhere in the text cells or names (the sample checks only the first MiB):
    binary data, refused the same way wherever it sits (about 10 ms per million text cells)."""
    if any("\x00" in str(c) for c in frame.columns):
        raise _unreadable_error("it contains binary data (NUL characters)")
    for i in range(frame.shape[1]):
        values = frame.iloc[:, i]
        if (pd.api.types.is_string_dtype(values) or values.dtype == object) \
                and bool(values.astype("str").str.contains("\x00", regex=False).any()):
            raise _unreadable_error("it contains binary data (NUL characters)")


def _check_readable(text: str) -> None:
    head = text[:65536]
    bad = len(_CONTROL_CHARS.findall(head))
    if bad > max(1, len(head) * 0.01):
        raise _unreadable_error("it looks like binary data, not a table")


def _records(text: str, delimiter: str) -> list[tuple[int, list[str]]] | None:
    """The first lines split by ``delimiter``: (line number, fields), blank lines left out."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            out.append((reader.line_num, row))
            if len(out) >= _SAMPLE_LINES:
                break
    except csv.Error:
        return None
    return out


def _choose_delimiter(text: str, ext: str) -> tuple[str, list[tuple[int, list[str]]], bool]:
    """The separator that splits the first lines most consistently into more than one field.

    Returns (delimiter, records, found): ``found`` is False for a one-column file.
    """
    order = ("\t",) + tuple(d for d in _DELIMITERS if d != "\t") if ext == ".tsv" else _DELIMITERS
    best: tuple | None = None
    for rank, delim in enumerate(order):
        records = _records(text, delim)
        if not records:
            continue
        counts = [len(r) for _, r in records]
        mode, freq = Counter(counts).most_common(1)[0]
        if mode < 2:
            continue
        if delim == "," and counts[0] == 1 and all(
            _NUMBER[","].match(",".join(r)) for _, r in records[1:] if len(r) > 1
        ):
            continue  # one named column of decimal-comma numbers, not two columns

        cells = [c.strip() for _, r in records for c in r]
        numeric = sum(1 for c in cells if _NUMBER["."].match(c) or _NUMBER[","].match(c) or _GROUPED[","].match(c))
        score = (freq / len(counts), numeric / max(1, len(cells)), -rank)
        if best is None or score > best[0]:
            best = (score, delim, records)
    if best is not None:
        return best[1], best[2], True
    # One column: use a separator that never appears, so commas in values stay in them.
    for delim in order:
        if delim not in text:
            return delim, _records(text, delim) or [], False
    return order[0], _records(text, order[0]) or [], False


def _choose_decimal(records: list[tuple[int, list[str]]], delimiter: str) -> str:
    if delimiter == ",":
        return "."
    n_comma = n_dot = 0
    for _, row in records:
        for cell in row:
            s = cell.strip()
            if _COMMA_DECIMAL.match(s):
                n_comma += 1
            elif _DOT_DECIMAL.match(s) and not _DOT_THOUSANDS.match(s):
                n_dot += 1
    return "," if n_comma > n_dot else "."


def _text_error_for_empty(text: str) -> BadFileError:
    if not text:
        return BadFileError(
            "The file is empty (it holds no text at all).",
            "Check that you picked the right file, or save the table again and upload it.",
        )
    if text.count("\n") + text.count("\r") >= 1:
        return BadFileError(
            "The file has only blank lines, no table.",
            "Check that you picked the right file, or export the table again.",
        )
    return BadFileError(
        "The file contains only spaces, no table.",
        "Check that you picked the right file, or export the table again.",
    )


def _read_text(src: _Source, sample_rows: int | None = None) -> _Table:
    if src.size == 0:
        raise BadFileError(
            "The file is empty (0 bytes).",
            "Check that you picked the right file, or save the table again and upload it.",
        )
    raw = src.head(_SAMPLE_BYTES)
    complete = src.size <= len(raw)
    encoding = _detect_encoding(raw)
    text = _decode_sample(raw, encoding, complete)
    _check_readable(text)
    if not text.strip():
        if not complete:
            whole = src.all_bytes().decode(encoding, errors="replace")
            if whole.strip():
                raise BadFileError(
                    "The table in this file starts after more than a megabyte of blank lines.",
                    "Delete the blank lines at the top of the file and try again.",
                )
        raise _text_error_for_empty(text)

    hint = _SEP_HINT.match(text)
    offset = 0
    if hint:  # Excel's "sep=;" first line names the separator
        text, offset = text[hint.end():], 1
        delimiter, records, found = hint.group(1), _records(text, hint.group(1)) or [], True
        if not records:
            raise BadFileError(
                f"The file has only the line '{hint.group(0).strip()}', no table.",
                "Check that you picked the right file, or export the table again.",
            )
    else:
        delimiter, records, found = _choose_delimiter(text, src.ext)
    records = [(line + offset, row) for line, row in records]
    if not any(any(c.strip() for c in r) for _, r in records):
        raise _no_columns_error()
    decimal = _choose_decimal(records, delimiter)
    number = _NUMBER[decimal]

    rows = [r for _, r in records]
    kinds = [[_text_cell_kind(c, number) for c in r] for r in rows]
    header_args = (kinds[0], kinds[1:], [c.strip() for c in rows[0]], [[c.strip() for c in r] for r in rows[1:]])
    header = _has_header(*header_args)

    counts = [len(r) for r in rows]
    body_counts = counts[1:] if header else counts
    mode = Counter(body_counts).most_common(1)[0][0] if body_counts else counts[0]
    width = max(counts[0], mode) if found else 1
    vs_header = header and width == counts[0]
    for (line, row), n in zip(records, counts):
        if n > width:
            raise _ragged_error(line, n, width, vs_header, delimiter)
    if width > settings.get("max_columns"):
        raise _too_many_columns(width)

    raw_names: list[Any] = list(rows[0]) + [""] * (width - len(rows[0])) if header else [""] * width
    names, _ = _clean_names(raw_names)
    # Lines before the first row (the sep= hint, lines of spaces) are skipped explicitly; a
    # quoted line break inside the first row (\r\n, \r or \n) is part of that row, not before it.
    skip = records[0][0] - sum(len(_LINE_BREAK.findall(f)) for f in rows[0]) - 1
    frame, encoding, in_file = _pandas_read(src, delimiter, decimal, encoding, header, names, vs_header, skip,
                                            sample_rows)

    notes: list[str] = []
    frame, kept = _trim(frame, [bool(_name_text(v)) for v in raw_names] if header else [False] * width, notes)
    if frame.shape[1] == 0:
        raise _no_columns_error()
    if frame.shape[0] == 0:
        raise _header_only_error([_name_text(v) for v in raw_names[:kept]], None)

    final_names, name_notes = _clean_names(raw_names[:kept]) if header else (names[:kept], [])
    frame.columns = final_names
    options: dict[str, Any] = {
        "format": "csv",
        "delimiter": delimiter,
        "decimal": decimal,
        "thousands": None,
        "encoding": encoding,
        "header": header,
        "skip_lines": skip,
    }
    if sample_rows:
        options["sample"] = _sample_info(sample_rows, in_file)
    fmt = (
        f"Read as CSV with {_DELIMITER_LABELS[delimiter]} between values and '{decimal}' as the decimal mark "
        f"(encoding {_ENCODING_LABELS[encoding]})."
        if found
        else f"Read as CSV with a single column (encoding {_ENCODING_LABELS[encoding]})."
    )
    notes.insert(0, fmt)
    if hint:
        notes.insert(1, f"The first line '{hint.group(0).strip()}' only tells Excel the separator, so it was skipped.")
    if not header:
        notes.append(_no_header_note(frame.shape[1]))
    elif (why := _header_note(*header_args)) is not None:
        notes.append(why)
    notes.extend(name_notes)
    thousands, date_cols, fmt_notes = _convert_text_columns(frame, decimal)
    options["thousands"] = thousands
    options["date_columns"] = date_cols
    notes.extend(fmt_notes)
    return _Table(frame=frame, notes=notes, options=options)


def _no_columns_error() -> BadFileError:
    return BadFileError(
        "The file has no columns: its lines hold only separators (like ',,,'), no values.",
        "Check that you exported the right file or sheet, and that the table starts on the first lines.",
    )


def _ragged_error(line: int, saw: int, expected: int, vs_header: bool, delimiter: str) -> BadFileError:
    other = f"the header has {expected}" if vs_header else f"the lines above it have {expected}"
    sep = "a tab" if delimiter == "\t" else f"'{delimiter}'"
    return BadFileError(
        f"Line {line} of the file has {saw} values but {other}.",
        f"A value on that line probably contains the separator ({sep}) without quotes around it, "
        "or a separator is missing. Fix that line (or put quotes around the value) and try again.",
    )


def _too_many_columns(width: int) -> FileTooLargeError:
    limit = settings.get("max_columns")
    return FileTooLargeError(
        f"This table has {width:,} columns; FairTrial reads at most {limit:,}.",
        "Delete the columns you do not need and try again.",
    )


def _too_many_rows(src: _Source | None = None, rows: int | None = None) -> TooManyRowsError:
    """More rows than ``max_rows``: say about how many (lines counted, for text) and offer a sample."""
    limit = int(settings.get("max_rows"))
    if rows is None and src is not None and src.ext not in WORKBOOK_EXTENSIONS:
        lines = _count_lines(src)
        rows = None if lines is None else max(lines - 1, 0)  # less the header line
    about = f"about {_rows_words(rows)}" if rows and rows > limit else f"more than {limit:,}"
    return TooManyRowsError(
        f"This table has {about} rows; FairTrial reads at most {limit:,} rows at once.",
        f"FairTrial can read a random {limit:,} of them instead (every row equally likely, the same rows each "
        f"time): on the command line add --sample-rows {limit}; in the app choose 'Use a random sample' on the "
        "Upload page. Or keep fewer rows in the file and try again.",
        rows=rows, limit=limit)


def _count_lines(src: _Source) -> int | None:
    """Lines in a text file (about its rows; line breaks inside quoted cells count too)."""
    try:
        if src.data is not None:
            return src.data.count(b"\n")
        count = 0
        with open(src.path, "rb") as fh:
            while block := fh.read(1 << 24):
                count += block.count(b"\n")
        return count
    except OSError:
        return None


def _rows_words(rows: int) -> str:
    """3,214,567 -> '3.2 million'; smaller counts as they are."""
    return f"{rows / 1e6:.1f} million" if rows >= 1_000_000 else f"{rows:,}"


def _sample_info(size: int, in_file: int) -> dict[str, Any]:
    return {"rows": int(min(size, in_file)), "of": int(in_file), "asked": int(size), "seed": int(settings.get("seed")),
            "sampled": bool(in_file > size)}


def sample_note(sample: dict[str, Any]) -> str:
    """The read-time sample in plain words (``read_options['sample']``)."""
    if not sample.get("sampled"):
        return (f"You asked for a random {int(sample.get('asked') or sample['rows']):,} rows; the file has {int(sample['of']):,}, "
                "so every row was read.")
    left = int(sample["of"]) - int(sample["rows"])
    return (f"FairTrial read a random {int(sample['rows']):,} of the file's {int(sample['of']):,} rows (every row "
            f"equally likely; seed {int(sample['seed'])}, so reading the file again gives the same rows); the other "
            f"{left:,} rows were left out of this dataset.")


def _header_only_error(names: list[str], sheet: str | None) -> BadFileError:
    where = f"The sheet '{sheet}'" if sheet is not None else "The file"
    shown = [n for n in names if n]
    listed = f" ({_quote_list(shown, limit=4)})" if shown else ""
    return BadFileError(
        f"{where} has column names{listed} but no rows of data below them.",
        "Add the data rows (or export the whole table again) and try again.",
    )


def _sampled_csv(read: Any, kwargs: dict[str, Any], size: int, seed: int) -> tuple[pd.DataFrame, int]:
    """A seeded uniform random sample of ``size`` rows of the whole CSV, read in chunks so
    memory holds only the sample and one chunk: every row gets a random key and the rows with
    the ``size`` smallest keys stay (in file order). Returns the sample and the rows in the file."""
    rng = np.random.default_rng([seed, size])
    kept: pd.DataFrame | None = None
    keys = np.empty(0)
    total = 0
    with read(**kwargs, chunksize=max(size // 2, 50_000)) as reader:
        for chunk in reader:
            chunk.index = pd.RangeIndex(total, total + len(chunk))
            total += len(chunk)
            new = rng.random(len(chunk))
            kept = chunk if kept is None else pd.concat([kept, chunk])
            keys = np.concatenate([keys, new])
            if len(kept) > size:
                best = np.sort(np.argpartition(keys, size - 1)[:size])
                kept, keys = kept.iloc[best], keys[best]
    if kept is None:
        raise pd.errors.EmptyDataError("no rows")
    return kept.reset_index(drop=True), total


def _pandas_read(src: _Source, delimiter: str, decimal: str, encoding: str, header: bool,
                 names: list[str], vs_header: bool, skip: int,
                 sample_rows: int | None = None) -> tuple[pd.DataFrame, str, int]:
    max_rows = int(settings.get("max_rows"))
    fallbacks = {"utf-8": "cp1252", "utf-8-sig": "cp1252", "cp1252": "latin-1"}
    while True:
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                kwargs = dict(filepath_or_buffer=src.for_pandas(), sep=delimiter, decimal=decimal, encoding=encoding,
                              header=0 if header else None, names=names, index_col=False, skiprows=skip or None,
                              skip_blank_lines=True, engine="c")
                if sample_rows:
                    frame, in_file = _sampled_csv(pd.read_csv, kwargs, int(sample_rows), int(settings.get("seed")))
                else:
                    frame = pd.read_csv(**kwargs, nrows=max_rows + 1)
                    in_file = len(frame)
            break
        except UnicodeDecodeError as exc:
            if encoding not in fallbacks:
                raise _unreadable_error("it mixes encodings or contains binary data") from exc
            encoding = fallbacks[encoding]
        except pd.errors.ParserError as exc:
            raise _parser_error(str(exc), delimiter, vs_header) from exc
        except (pd.errors.EmptyDataError, ValueError, OverflowError, MemoryError) as exc:
            raise BadFileError(
                "FairTrial could not read this file as a table.", _SAVE_AS_CSV
            ) from exc
    del caught  # DtypeWarnings (mixed chunks) are fixed below; nothing else is expected.
    if len(frame) > max_rows:
        raise _too_many_rows(src)
    _refuse_nul(frame)
    for name in frame.columns:
        col = frame[name]
        if col.dtype == object:
            inferred = pd.api.types.infer_dtype(col, skipna=True)
            if inferred not in ("boolean", "empty"):
                frame[name] = col.astype("str")
    return frame, encoding, in_file


def _parser_error(message: str, delimiter: str, vs_header: bool) -> BadFileError:
    m = _RAGGED.search(message)
    if m:
        expected, line, saw = (int(g) for g in m.groups())
        return _ragged_error(line, saw, expected, vs_header, delimiter)
    m = _OPEN_QUOTE.search(message)
    if m:
        return BadFileError(
            f"A quote mark (\") opened near line {int(m.group(1)) + 1} of the file is never closed.",
            "Add the missing closing quote (or remove the stray one) on that line and try again.",
        )
    return BadFileError("FairTrial could not split this file into rows and columns.", _SAVE_AS_CSV)


def _trim(frame: pd.DataFrame, named: list[bool], notes: list[str]) -> tuple[pd.DataFrame, int]:
    """Drop empty unnamed columns at the right edge and fully empty rows. Returns (frame, kept columns)."""
    kept = frame.shape[1]
    while kept > 0 and not named[kept - 1] and frame.iloc[:, kept - 1].isna().all():
        kept -= 1
    if kept < frame.shape[1]:
        dropped = frame.shape[1] - kept
        frame = frame.iloc[:, :kept]
        if kept > 0:
            notes.append(
                f"Ignored {_plural(dropped, 'empty column')} without a name at the right edge of the table."
            )
    if kept == 0 or frame.shape[0] == 0:
        return frame, kept
    first_empty = frame.iloc[:, 0].isna().to_numpy()
    if first_empty.any():
        idx = np.flatnonzero(first_empty)
        empty = frame.iloc[idx].isna().all(axis=1).to_numpy()
        if empty.any():
            frame = frame.drop(index=frame.index[idx[empty]]).reset_index(drop=True)
            if frame.shape[0] > 0:
                notes.append(f"Skipped {_plural(int(empty.sum()), 'empty row')}.")
    return frame, kept


def _convert_text_columns(frame: pd.DataFrame, decimal: str) -> tuple[str | None, list[str], list[str]]:
    """Turn text columns that are really dates or grouped numbers into dates / numbers, in place."""
    thousands_sep = "." if decimal == "," else ","
    grouped_pattern = _GROUPED_OR_PLAIN[decimal]
    date_cols: list[str] = []
    number_cols: list[str] = []
    for name in list(frame.columns):
        col = frame[name]
        if not pd.api.types.is_string_dtype(col) or col.dtype == object:
            continue
        head = col.head(2000).dropna().head(200)
        if head.empty:
            continue
        values = head.tolist()
        if all(_ISO_DATE.match(v) for v in values):
            converted = _to_dates(col, "iso")
        elif all(_DOTTED_DATE.match(v) for v in values):
            converted = _to_dates(col, "%d.%m.%Y")
        elif any(_GROUPED[decimal].match(v) for v in values) and all(
            re.fullmatch(grouped_pattern, v) for v in values
        ):
            converted = _to_grouped_numbers(col, decimal, grouped_pattern)
            if converted is not None:
                frame[name] = converted
                number_cols.append(str(name))
            continue
        else:
            continue
        if converted is not None:
            frame[name] = converted
            date_cols.append(str(name))
    notes: list[str] = []
    if date_cols:
        notes.append(f"Read {_quote_list(date_cols)} as dates.")
    if number_cols:
        notes.append(f"Read {_quote_list(number_cols)} as numbers with '{thousands_sep}' between thousands.")
    return (thousands_sep if number_cols else None), date_cols, notes


def _to_dates(col: pd.Series, fmt: str) -> pd.Series | None:
    """All non-empty values as dates, or None when any of them is not a date of that form."""
    n_missing = int(col.isna().sum())
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:  # pragma: no cover - pandas 3 installs pyarrow in practice
        parsed = pd.to_datetime(col, format="ISO8601" if fmt == "iso" else fmt, errors="coerce")
        if int(parsed.isna().sum()) != n_missing or getattr(parsed.dtype, "tz", None) is not None:
            return None
        return parsed
    try:
        arr = pa.array(col.array)
        if fmt == "iso":
            parsed = pc.cast(arr, pa.timestamp("us"))
        else:
            parsed = pc.strptime(arr, format=fmt, unit="us", error_is_null=True)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return None  # some value is not a date of this form (or has a time zone): keep text
    if parsed.null_count != n_missing:
        return None
    if isinstance(parsed, pa.ChunkedArray):
        parsed = parsed.combine_chunks()
    return pd.Series(parsed.to_numpy(zero_copy_only=False), index=col.index, name=col.name)


def _to_grouped_numbers(col: pd.Series, decimal: str, pattern: str) -> pd.Series | None:
    present = col.dropna()
    if not bool(present.str.fullmatch(pattern).all()):
        return None
    thousands_sep = "." if decimal == "," else ","
    cleaned = col.str.replace(thousands_sep, "", regex=False)
    if decimal == ",":
        cleaned = cleaned.str.replace(",", ".", regex=False)
    return pd.to_numeric(cleaned, errors="coerce")


# ------------------------------------------------------------------------------------------
# Workbooks
# ------------------------------------------------------------------------------------------
def _open_workbook(src: _Source):
    import python_calamine as calamine

    try:
        return calamine.CalamineWorkbook.from_object(src.for_calamine())
    except calamine.PasswordError as exc:
        raise _password_error() from exc
    except Exception as exc:  # noqa: BLE001 - any calamine failure means a damaged file
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise _password_error() from exc
        raise _damaged_workbook_error(src) from exc


def _worksheets(workbook) -> list[tuple[str, bool]]:
    """(name, visible) for the sheets that can hold a table, in workbook order."""
    import python_calamine as calamine

    out = []
    for meta in workbook.sheets_metadata:
        if meta.typ in (calamine.SheetTypeEnum.ChartSheet, calamine.SheetTypeEnum.Vba):
            continue
        out.append((meta.name, meta.visible == calamine.SheetVisibleEnum.Visible))
    return out


def _empty_sheet_error(sheet: str, names: list[str]) -> BadFileError:
    others = [n for n in names if n != sheet]
    hint = (
        f"Pick another sheet (this workbook has {_quote_list(others)}), or put the table on this sheet and save again."
        if others
        else "Put the table on this sheet, save the workbook and try again."
    )
    return BadFileError(f"The sheet '{sheet}' is empty.", hint)


def _read_workbook(src: _Source, sheet: str | None, sample_rows: int | None = None) -> _Table:
    workbook = _open_workbook(src)
    try:
        sheets = _worksheets(workbook)
        names = [n for n, _ in sheets]
        if not names:
            raise BadFileError(
                "This workbook has no sheets with a table (only charts).",
                "Put the table on a normal sheet, save the workbook and try again.",
            )
        notes: list[str] = []
        if sheet is not None:
            if sheet not in names:
                matches = [n for n in names if n.strip().lower() == str(sheet).strip().lower()]
                if len(matches) != 1:
                    raise BadFileError(
                        f"This workbook has no sheet called '{sheet}'.",
                        f"Pick one of its sheets: {_quote_list(names, limit=20, conj='or')}.",
                    )
                sheet = matches[0]
            chosen = sheet
            data = _sheet_rows(workbook, chosen, bool(sample_rows))
            if not data:
                raise _empty_sheet_error(chosen, names)
        else:
            order = [n for n, visible in sheets if visible] + [n for n, visible in sheets if not visible]
            chosen, data, skipped = None, _SheetRows([]), []
            for candidate in order:
                data = _sheet_rows(workbook, candidate, bool(sample_rows))
                if data:
                    chosen = candidate
                    break
                skipped.append(candidate)
            if chosen is None:
                if len(names) == 1:
                    raise _empty_sheet_error(names[0], names)
                raise BadFileError(
                    f"Every sheet in this workbook is empty ({_quote_list(names)}).",
                    "Check that you picked the right file, or save the workbook again with the table in it.",
                )
            if skipped:
                notes.append(
                    f"The sheet {_quote_list(skipped)} is empty, so FairTrial read '{chosen}'."
                    if len(skipped) == 1
                    else f"The sheets {_quote_list(skipped)} are empty, so FairTrial read '{chosen}'."
                )
            elif len(names) > 1:
                notes.append(f"This workbook has {len(names)} sheets; FairTrial read the first, '{chosen}'.")
    finally:
        workbook.close()
    if data.empty_rows:
        notes.append(f"Skipped {_plural(data.empty_rows, 'empty row')}.")
    table = _table_from_rows(data, chosen, notes, sample_rows)
    table.options["format"] = src.ext.lstrip(".") if src.ext in WORKBOOK_EXTENSIONS else "xlsx"
    table.notes.insert(0, f"Read the sheet '{chosen}' of the Excel workbook.")
    return table


class _SheetRows(list):
    """The non-empty rows of a sheet, remembering how many empty rows were left out."""

    def __init__(self, rows: list[list[Any]], empty_rows: int = 0) -> None:
        super().__init__(rows)
        self.empty_rows = empty_rows


def _sheet_rows(workbook, name: str, sampling: bool = False) -> _SheetRows:
    try:
        sheet = workbook.get_sheet_by_name(name)
        if sheet.height == 0 or sheet.width == 0:
            return _SheetRows([])
        if not sampling and sheet.height > int(settings.get("max_rows")) + 1 + _MAX_TITLE_ROWS:
            raise _too_many_rows(rows=sheet.height - 1)
        rows = sheet.to_python(skip_empty_area=True)
    except BadFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - a broken sheet inside the zip
        raise BadFileError(
            f"The sheet '{name}' of this workbook is damaged.",
            "Open it in Excel, save it again as .xlsx and upload the new file.",
        ) from exc
    # Leave out fully empty rows (counted for the notes).
    kept = [r for r in rows if r.count("") != len(r)]
    return _SheetRows(kept, len(rows) - len(kept))


def _excel_cell_kind(value: Any) -> str:
    t = type(value)
    if t is str:
        return "empty" if value == "" or value in _EXCEL_ERRORS else "text"
    if t is bool:
        return "bool"
    if t is float or t is int:
        return "number"
    if t is dt.datetime or t is dt.date:
        return "date"
    return "text"


def _table_from_rows(rows: list[list[Any]], sheet: str, notes: list[str], sample_rows: int | None = None) -> _Table:
    width = max(len(r) for r in rows)
    # Title rows above the table: a single text cell, followed by a wider row.
    skipped_titles = 0
    while (
        skipped_titles < _MAX_TITLE_ROWS
        and len(rows) - skipped_titles >= 2
        and width >= 3
        and sum(1 for v in rows[skipped_titles] if v != "") == 1
        and isinstance(next(v for v in rows[skipped_titles] if v != ""), str)
        and sum(1 for v in rows[skipped_titles + 1] if v != "") >= 2
    ):
        skipped_titles += 1
    if skipped_titles and width >= 3:
        rows = rows[skipped_titles:]
        notes.append(f"Skipped {_plural(skipped_titles, 'title row')} above the table.")
    columns = [list(c) for c in itertools.zip_longest(*rows, fillvalue="")]
    # Empty columns at the right edge (no name, no values).
    kept = len(columns)
    while kept > 0 and columns[kept - 1].count("") == len(columns[kept - 1]):
        kept -= 1
    if kept < len(columns):
        columns = columns[:kept]
    if kept > settings.get("max_columns"):
        raise _too_many_columns(kept)
    first = [c[0] for c in columns]
    sample_body = [[c[i] for c in columns] for i in range(1, min(len(rows), _SAMPLE_LINES + 1))]
    header_args = (
        [_excel_cell_kind(v) for v in first],
        [[_excel_cell_kind(v) for v in r] for r in sample_body],
        [_name_text(v) for v in first],
        [[_name_text(v) for v in r] for r in sample_body],
    )
    header = _has_header(*header_args)
    body_start = 1 if header else 0
    n_rows = len(rows) - body_start
    sample = None
    if sample_rows:  # the same seeded uniform sample as for text files (rows kept in sheet order)
        sample = _sample_info(int(sample_rows), n_rows)
        if n_rows > int(sample_rows):
            rng = np.random.default_rng([int(settings.get("seed")), int(sample_rows)])
            best = np.sort(np.argpartition(rng.random(n_rows), int(sample_rows) - 1)[: int(sample_rows)])
            columns = [c[:body_start] + [c[body_start + i] for i in best] for c in columns]
            n_rows = len(best)
    if n_rows > settings.get("max_rows"):
        raise _too_many_rows(rows=n_rows)
    if n_rows == 0:
        raise _header_only_error([_name_text(v) for v in first], sheet)
    if header:
        names, name_notes = _clean_names(first)
    else:
        names, name_notes = [f"column_{i + 1}" for i in range(kept)], []
    data: dict[str, pd.Series] = {}
    mixed: list[str] = []
    for name, col in zip(names, columns):
        series, was_mixed = _excel_column(col[body_start:])
        data[name] = series
        if was_mixed:
            mixed.append(name)
    frame = pd.DataFrame(data)
    if not header:
        notes.append(_no_header_note(kept))
    elif (why := _header_note(*header_args)) is not None:
        notes.append(why)
    notes.extend(name_notes)
    if mixed:
        notes.append(
            f"{_quote_list(mixed)} {'mixes' if len(mixed) == 1 else 'mix'} numbers and text, "
            f"so {'it was' if len(mixed) == 1 else 'they were'} read as text."
        )
    options = {"format": "xlsx", "sheet": sheet, "header": header, "title_rows_skipped": skipped_titles}
    if sample is not None:
        options["sample"] = sample
    return _Table(frame=frame, notes=notes, options=options, sheet=sheet)


def _number_text(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def _date_text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if (value.hour, value.minute, value.second, value.microsecond) != (0, 0, 0, 0) \
            else value.date().isoformat()
    return value.isoformat()


def _cell_text(value: Any) -> Any:
    """A cell of a mixed column as text (None stays None)."""
    if value is None:
        return None
    t = type(value)
    if t is str:
        return value
    if t is bool:
        return "TRUE" if value else "FALSE"
    if t is float or t is int:
        return _number_text(value)
    if isinstance(value, (dt.date, dt.time)):
        return _date_text(value)
    return str(value)


def _excel_column(values: list[Any]) -> tuple[pd.Series, bool]:
    """One column of cells as a typed Series, and whether it mixed numbers and text."""
    present = set(map(type, values))
    if str in present:
        has_text = any(type(v) is str and v != "" and v not in _EXCEL_ERRORS for v in values)
        if not has_text or present != {str}:
            values = [None if type(v) is str and (v == "" or v in _EXCEL_ERRORS) else v for v in values]
            present = set(map(type, values))
    kinds = present - {type(None)}
    has_missing = type(None) in present
    if not kinds:
        return pd.Series([np.nan] * len(values), dtype="float64"), False
    if kinds <= {float, int}:
        arr = np.array(values, dtype="float64")
        if not has_missing and np.all(np.mod(arr, 1) == 0) and np.all(np.abs(arr) < 2**53):
            return pd.Series(arr.astype("int64")), False
        return pd.Series(arr), False
    if kinds == {bool}:
        if has_missing:
            return pd.Series([np.nan if v is None else v for v in values], dtype=object), False
        return pd.Series(values, dtype="bool"), False
    if kinds <= {dt.date, dt.datetime}:
        return pd.Series(pd.to_datetime(pd.Series(values, dtype=object))).astype("datetime64[us]"), False
    if kinds == {str}:
        series = pd.Series(values, dtype="str")
        if has_missing:
            return series, False
        blank = series.isin(["", *_EXCEL_ERRORS])
        if bool(blank.any()):
            series = series.mask(blank)
        return series, False
    mixed = bool(kinds & {float, int}) and str in kinds
    return pd.Series([_cell_text(v) for v in values], dtype="str"), mixed


# ------------------------------------------------------------------------------------------
# Public API
# ------------------------------------------------------------------------------------------
def _read_table(source: Any, *, filename: str | None, sheet: str | None, max_bytes: int | None,
                sample_rows: int | None = None) -> tuple[_Source, _Table]:
    """The reading half of ``load_file`` (no kinds, no hash): what bench/bench_load.py times."""
    src = _make_source(source, filename)
    if sample_rows is not None:
        limit = int(settings.get("max_rows"))
        if not 1 <= int(sample_rows) <= limit:
            raise BadFileError(f"A sample of {int(sample_rows):,} rows is not possible.",
                               f"Ask for between 1 and {limit:,} rows (the most FairTrial reads at once).")
    if not sample_rows:
        text = src.ext in (*TEXT_EXTENSIONS, "") and not src.head(8).startswith((_OLE_MAGIC, _ZIP_MAGIC))
        _check_size(src, max_bytes, text=text)
    elif _file_kind(src) == "workbook":  # a sample of a text file is read in chunks: any size will do
        _check_size(src, max_bytes)
    if _file_kind(src) == "workbook":
        table = _read_workbook(src, sheet, sample_rows)
        if src.ext in TEXT_EXTENSIONS:
            table.notes.insert(0, f"The file is named {src.ext} but is an Excel workbook, so FairTrial read it as one.")
    else:
        table = _read_text(src, sample_rows)
    if "sample" in table.options:
        table.notes.insert(1, sample_note(table.options["sample"]))
    return src, table


def load_file(
    source: str | os.PathLike | bytes,
    *,
    filename: str | None = None,
    name: str | None = None,
    sheet: str | None = None,
    max_bytes: int | None = None,
    sample_rows: int | None = None,
) -> Dataset:
    """Read a CSV or Excel file (a path, or the bytes of an upload) into a ``Dataset``.

    ``filename`` names an upload (its extension tells the format; the content is checked
    too). ``name`` defaults to the file name without extension. ``sheet`` picks a sheet of
    a workbook (default: the first sheet with data). ``max_bytes`` overrides the
    ``max_file_mb`` setting. ``sample_rows`` reads a seeded uniform random sample of that many
    rows (in file order; the ``seed`` setting, so every command gets the same rows) instead of
    refusing a file above ``max_rows``; ``read_options['sample']`` and a note say so. Raises
    ``BadFileError`` / ``FileTooLargeError`` (``TooManyRowsError`` above ``max_rows``, with the
    rows counted) with one plain line for anything that cannot be read.
    """
    src, table = _read_table(source, filename=filename, sheet=sheet, max_bytes=max_bytes, sample_rows=sample_rows)
    frame = table.frame
    _guard_cells(frame)
    emptied = _empty_unusable_numbers(frame)
    table.notes.extend(emptied)
    table.options["numbers_read_as_empty"] = emptied
    return Dataset(
        name=name if name else (Path(src.file_name).stem if src.file_name else "upload"),
        frame=frame,
        kinds=infer_kinds(frame),
        sha256=canonical_sha256(frame),
        source_file=src.file_name,
        sheet=table.sheet,
        notes=tuple(table.notes),
        read_options=table.options,
    )


def _empty_unusable_numbers(frame: pd.DataFrame) -> list[str]:
    """Infinite numbers (``inf``, ``-inf``, often a division by zero in the program that wrote
    the file) and numbers too large for the models (``number_too_large``) carry no usable size:
    they become empty cells, which the checks count and the recipes fill like any gap, and a
    note says which column and how many cells. Changes ``frame`` in place; returns the notes."""
    limit = float(settings.get("number_too_large"))
    notes: list[str] = []
    for name in frame.columns:
        col = frame[name]
        if not pd.api.types.is_float_dtype(col):
            continue
        values = col.to_numpy(dtype="float64", na_value=np.nan)
        with np.errstate(invalid="ignore"):
            infinite = np.isinf(values)
            huge = ~infinite & (np.abs(values) >= limit)
        if not (infinite.any() or huge.any()):
            continue
        frame.loc[infinite | huge, name] = np.nan
        parts = []
        if infinite.any():
            parts.append(f"{_plural(int(infinite.sum()), 'infinite value')} (like 'inf')")
        if huge.any():
            parts.append(f"{_plural(int(huge.sum()), 'number')} of {limit:.0e} or more")
        notes.append(
            f"'{name}' had {' and '.join(parts)}, which no model can use, so "
            f"{'that cell is' if infinite.sum() + huge.sum() == 1 else 'those cells are'} read as empty. "
            "If they stand for something (e.g. 'no limit'), put a real number or a word in the file instead."
        )
    return notes


def list_sheets(source: str | os.PathLike | bytes, *, filename: str | None = None) -> list[str]:
    """Names of the sheets of a workbook that can hold a table, in workbook order."""
    src = _make_source(source, filename)
    _check_size(src, None)
    if _file_kind(src) != "workbook":
        raise BadFileError(
            f"This file{_quoted_name(src)} is not an Excel workbook, so it has no sheets.",
            "Only .xlsx, .xlsm and .xls files have sheets; a CSV file is read as it is.",
        )
    workbook = _open_workbook(src)
    try:
        return [n for n, _ in _worksheets(workbook)]
    finally:
        workbook.close()
