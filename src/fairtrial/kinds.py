"""Guess what each column holds: number, category, boolean, date, text or id.

The guess is a starting point shown to the user, never a hidden decision. Rules, in order:
- boolean: exactly two distinct values that read as yes/no, true/false, 1/0, y/n, t/f;
- date: a datetime column, or text where at least 95% of values look like dates;
- id: an id/key/uuid/code-like name with mostly unique values, or text/integers that are
  at least ``id_unique_share`` unique and short (no spaces), or consecutive integers, or
  integers named like a row label (``index``, ``No.``, ``row_names``, ``Unnamed: 0``) that are
  nearly all different; also a *shared* ID: a column named like an ID (not ``code``) whose
  values repeat a few times each (at least ``shared_id_min_ids`` IDs, at most
  ``shared_id_max_rows`` rows per ID on average), or short codes with digits (``J-1023``)
  with many different values that mostly repeat as few times; and (``infer_kinds``, which sees
  the whole table) the unit of a balanced panel: firms or states, each on nearly as many rows,
  at most one row per 'year' (``panel_time``);
- number: numeric values (text columns where >= 90% of values read as numbers count too);
- text: free text (more than 50 distinct values and more than half unique);
- category: everything else.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from . import settings
from .timings import timed

_BOOL_WORDS = {
    "true", "false", "yes", "no", "y", "n", "t", "f", "1", "0", "1.0", "0.0",
    "ja", "nein", "oui", "non", "si", "sí", "wahr", "falsch",
}
_ID_NAME = re.compile(
    r"(^|[_\s\-.])(id|ids|key|uuid|guid|code|number|no|nr|num|ref|reference)$|^(id|uuid|guid)([_\s\-.]|$)|[a-z]Id$|ID$",
)
# An ID that may label several rows (a customer, a job advert): the ID names without 'code'/'num'.
_SHARED_ID_NAME = re.compile(
    r"(^|[_\s\-.])(id|ids|key|uuid|guid|number|no|nr|ref)$|^(id|uuid|guid)([_\s\-.]|$)|[a-z]Id$|ID$",
)
# 'week_nr', 'floor_no': numbers of a time, a place or a step, shared by many rows but not an ID.
_NUMBERED_THINGS = {
    "week", "day", "month", "year", "hour", "minute", "quarter", "period", "season", "round", "wave", "step",
    "stage", "phase", "lap", "floor", "level", "grade", "version", "line", "seat", "page", "lot", "visit", "dose",
    "cycle", "trial", "run", "batch", "block", "plot", "row", "column", "zone", "house", "room", "size",
}
# Whole names of a column that numbers the rows (R's 'rownames', pandas' 'Unnamed: 0', 'No.').
_ROW_LABELS = {
    "index", "idx", "rownames", "rowname", "row", "rowid", "rowno", "rownr", "rownum", "rownumber", "rowindex",
    "recordnumber", "recordno", "recordnr", "recordid", "obs", "obsno", "obsnr", "observation", "observationnumber",
    "serialno", "serialnumber", "sno", "slno", "no", "nr", "unnamed0", "unnamed", "lfdnr", "numero",
}
# A code: a few letters, maybe a separator, then at least three digits ('J-1023', 'C100234', 'AB12345/7').
_CODE = re.compile(r"[A-Za-z]{1,6}[-_#/ ]?\d{3,}[A-Za-z0-9\-_/]*")
_DATE_LIKE = re.compile(
    r"^\s*(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?"
    r"|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}([ T]\d{1,2}:\d{2}(:\d{2})?)?)\s*$"
)
_SAMPLE = 5000


def looks_like_row_label(name: str) -> bool:
    """'index', 'No.', 'row_names', 'Record Number', 'Unnamed: 0': a name for numbering rows."""
    joined = "".join(re.findall(r"[a-z0-9]+", str(name).lower()))
    return joined in _ROW_LABELS


def looks_like_id_name(name: str) -> bool:
    text = str(name).strip().rstrip(" .:#")
    return bool(_ID_NAME.search(text) or _ID_NAME.search(text.lower())) or looks_like_row_label(name)


def looks_like_shared_id_name(name: str) -> bool:
    """An ID name that may label several rows: 'job_id', 'customerId', 'order_no' (not 'zip_code',
    nor a count of time or place such as 'week_nr', 'floor_no')."""
    text = str(name).strip().rstrip(" .:#")
    if set(re.findall(r"[a-z]+", re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text).lower())) & _NUMBERED_THINGS:
        return False
    return bool(_SHARED_ID_NAME.search(text) or _SHARED_ID_NAME.search(text.lower()))


def shared_id_shape(values: pd.Series, max_rows: float | None = None) -> bool:
    """Values that repeat a few times each: at least ``shared_id_min_ids`` different values, at
    most ``max_rows`` (default ``shared_id_max_rows``) rows per value on average, and most rows
    share their value."""
    n = len(values)
    counts = values.value_counts(dropna=True)
    n_ids = len(counts)
    if n_ids < int(settings.get("shared_id_min_ids")) or n_ids == n:
        return False
    shared_rows = float(counts[counts > 1].sum()) / n
    limit = float(settings.get("shared_id_max_rows") if max_rows is None else max_rows)
    return n / n_ids <= limit and shared_rows >= 0.5


def _sample(values: pd.Series, n: int = _SAMPLE) -> pd.Series:
    """At most ``n`` values spread evenly over the column (deterministic and cheap)."""
    if len(values) <= n:
        return values
    return values.iloc[np.linspace(0, len(values) - 1, n).astype(np.int64)]


def numeric_share(values: pd.Series) -> float:
    """Share of non-empty values that read as numbers."""
    nonnull = values.dropna()
    if nonnull.empty:
        return 0.0
    if pd.api.types.is_numeric_dtype(nonnull):
        return 1.0
    sample = _sample(nonnull).astype(str).str.strip()
    parsed = pd.to_numeric(sample, errors="coerce")
    return float(parsed.notna().mean())


def _is_text_dtype(values: pd.Series) -> bool:
    return pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)


def _n_unique(values: pd.Series) -> int:
    return len(values.unique())


def _numeric_kind(nonnull: pd.Series, name: str) -> str:
    values = nonnull.to_numpy()
    is_float = np.issubdtype(values.dtype, np.floating)
    is_integral = bool(np.all(np.mod(values, 1) == 0)) if is_float else True
    if not is_integral:  # fractions: never yes/no, never an id
        return "number"
    n = len(values)
    n_unique = _n_unique(nonnull)
    if n_unique == 2 and {str(v).strip().lower() for v in nonnull.unique()} <= _BOOL_WORDS:
        return "boolean"
    if n > 20:
        unique_share = n_unique / n
        consecutive = n_unique == n and int(values.max()) - int(values.min()) == n - 1
        if consecutive or (looks_like_id_name(name) and unique_share >= 0.5):
            return "id"
        if looks_like_shared_id_name(name) and shared_id_shape(nonnull):
            return "id"
    return "number"


def infer_kind(col: pd.Series, name: str = "") -> str:
    nonnull = col.dropna()
    text: pd.Series | None = None
    if _is_text_dtype(nonnull) and not pd.api.types.is_bool_dtype(nonnull):
        text = nonnull.astype(str).str.strip()
        keep = (text != "").to_numpy()
        if not keep.all():
            nonnull, text = nonnull[keep], text[keep]
    if nonnull.empty:
        return "category"
    if pd.api.types.is_bool_dtype(nonnull):
        return "boolean"
    if pd.api.types.is_datetime64_any_dtype(nonnull):
        return "date"
    if pd.api.types.is_numeric_dtype(nonnull):
        return _numeric_kind(nonnull, name)

    if text is None:  # pragma: no cover - other dtypes (categorical, period ...) read as text
        text = nonnull.astype(str).str.strip()
    n = len(nonnull)
    n_unique = _n_unique(nonnull)
    if n_unique == 2 and {str(v).strip().lower() for v in nonnull.unique()} <= _BOOL_WORDS:
        return "boolean"

    unique_share = n_unique / n
    id_share = settings.get("id_unique_share")
    sample = _sample(text)
    if sample.str.match(_DATE_LIKE).mean() >= 0.95:
        return "date"
    if float(pd.to_numeric(sample, errors="coerce").notna().mean()) >= 0.90:
        if looks_like_id_name(name) and unique_share >= 0.5 and n > 20:
            return "id"
        if n > 20 and looks_like_shared_id_name(name) and shared_id_shape(text):
            return "id"
        return "number"
    if looks_like_id_name(name) and unique_share >= 0.5 and n > 20:
        return "id"
    if n > 20 and looks_like_shared_id_name(name) and shared_id_shape(text):
        return "id"
    has_spaces = float(sample.str.contains(r"\s", regex=True).mean())
    if n > 20 and unique_share >= id_share and has_spaces < 0.05 and float(sample.str.len().mean()) <= 40 \
            and not sample.str.contains("@", regex=False).any():
        return "id"
    if n_unique > settings.get("high_cardinality_distinct") \
            and float(sample.str.fullmatch(_CODE).mean()) >= 0.9 \
            and shared_id_shape(text, settings.get("shared_code_max_rows")):
        return "id"  # short codes with digits, each on a few rows: 'J-1023' on three rows of one advert
    if n_unique > settings.get("high_cardinality_distinct") and unique_share > settings.get(
        "high_cardinality_unique_share"
    ):
        return "text"
    return "category"


# A column of points in time that a panel repeats for every unit ('year', 'month', 'wave').
_TIME_WORDS = {"year", "years", "yr", "month", "quarter", "week", "day", "date", "period", "time", "wave", "season",
               "jahr", "monat", "annee", "ano", "mois"}


def _time_like(name: str, kind: str) -> bool:
    words = re.findall(r"[a-z]+", re.sub(r"(?<=[a-z])(?=[A-Z])", " ", str(name)).lower())
    return kind == "date" or bool(words) and all(w in _TIME_WORDS for w in words)


def panel_time(frame: pd.DataFrame, column: str, kinds: dict[str, str]) -> str | None:
    """The time column when ``column`` is the unit of a panel (firms or states each observed once
    a year), else None. A unit column: at least ``panel_min_units`` different values (so grouped
    folds and a held-out part can be made), each on at least two rows and on nearly the same
    number of rows (the fewest at least ``panel_balance`` of the most), not itself a time; and a
    column named like a time ('year', 'month') or holding dates with at most one row for each
    unit and time (``id_unique_share`` of the rows). Rows of one unit are then related (the same
    firm in other years): a model tested on a unit it has seen scores better than it will on a
    new one, so the unit is a shared ID that keeps its rows together."""
    kind = kinds.get(column, "category")
    if kind not in ("category", "number", "id") or _time_like(column, kind):
        return None
    values = frame[column]
    if pd.api.types.is_float_dtype(values) and not bool(np.all(np.mod(values.dropna(), 1) == 0)):
        return None  # measurements with decimals are not labels
    counts = values.value_counts(dropna=True)
    if len(counts) < int(settings.get("panel_min_units")) or counts.min() < 2:
        return None
    if counts.min() < float(settings.get("panel_balance")) * counts.max():
        return None
    for other in frame.columns:
        other = str(other)
        if other == column or not _time_like(other, kinds.get(other, "category")):
            continue
        pair = frame[[column, other]].dropna()
        if len(pair) and 1 - pair.duplicated().mean() >= float(settings.get("id_unique_share")) \
                and pair[other].nunique() >= 2:
            return other
    return None


@timed("kinds")
def infer_kinds(frame: pd.DataFrame) -> dict[str, str]:
    """Each column's kind; the unit of a panel (``panel_time``) is an ID shared by its rows."""
    kinds = {str(c): infer_kind(frame[c], str(c)) for c in frame.columns}
    for column in list(kinds):
        if kinds[column] != "id" and panel_time(frame, column, kinds) is not None:
            kinds[column] = "id"
    return kinds
