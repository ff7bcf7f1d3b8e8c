"""The ``Dataset``: a loaded table with its name, provenance, column kinds and content hash."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .timings import timed

KINDS: tuple[str, ...] = ("number", "category", "boolean", "date", "text", "id")


@dataclass(frozen=True, eq=False)
class Dataset:
    """A table ready for checks and trials.

    ``sha256`` is computed from a canonical form of the content (column names, order and
    values, not the file's bytes), so the same table saved as CSV or Excel is one dataset.
    ``notes`` are plain sentences about what loading did (renamed columns, detected
    delimiter ...). ``dataset_id`` is set once the dataset is stored.
    """

    name: str
    frame: pd.DataFrame
    kinds: dict[str, str]
    sha256: str
    source_file: str = ""
    sheet: str | None = None
    notes: tuple[str, ...] = ()
    dataset_id: int | None = None
    read_options: dict = field(default_factory=dict)

    @property
    def n_rows(self) -> int:
        return int(self.frame.shape[0])

    @property
    def n_cols(self) -> int:
        return int(self.frame.shape[1])

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.frame.columns]

    def with_id(self, dataset_id: int) -> "Dataset":
        return Dataset(
            name=self.name, frame=self.frame, kinds=self.kinds, sha256=self.sha256,
            source_file=self.source_file, sheet=self.sheet, notes=self.notes,
            dataset_id=dataset_id, read_options=self.read_options,
        )

    def summary(self) -> dict:
        """The JSON shape of ``fairtrial import --json``."""
        return {
            "dataset_id": self.dataset_id,
            "name": self.name,
            "sha256": self.sha256,
            "rows": self.n_rows,
            "columns": self.n_cols,
            "kinds": dict(self.kinds),
        }


_MISSING = "\x00<missing>\x00"


def _canonical_values(col: pd.Series) -> pd.Series:
    """One representation per value, whatever dtype pandas or DuckDB gave the column."""
    if pd.api.types.is_bool_dtype(col):
        return col.astype("float64")
    if pd.api.types.is_numeric_dtype(col):
        return pd.to_numeric(col, errors="coerce").astype("float64")
    if pd.api.types.is_datetime64_any_dtype(col):
        as_ns = col.astype("datetime64[ns]")
        out = as_ns.astype("int64").astype("float64")
        out[as_ns.isna().to_numpy()] = np.nan
        return out
    return col  # text: hashed by _hash_cells, empty cells as a marker no real cell holds


def _cell_bytes(canon: pd.Series) -> list[bytes]:
    """The bytes that stand for a column's cells. Numbers: the float64 buffer (every NaN
    the same). Text: each distinct value once, in order of first appearance, then one code
    per cell (-1 for empty), which is as exact as hashing every cell and much faster."""
    if pd.api.types.is_float_dtype(canon):
        values = canon.to_numpy(dtype="float64", copy=True)
        values[np.isnan(values)] = np.nan
        return [values.tobytes()]
    codes, uniques = pd.factorize(canon, use_na_sentinel=True)
    encoded = [str(v).encode("utf-8", "surrogatepass") for v in uniques]
    lengths = np.fromiter((len(e) for e in encoded), dtype="int64", count=len(encoded))
    return [len(encoded).to_bytes(8, "little"), lengths.tobytes(), b"".join(encoded), codes.astype("int64").tobytes()]


@timed("hash")
def canonical_sha256(frame: pd.DataFrame) -> str:
    """SHA-256 of a canonical form of a table: column names, order, and values."""
    h = hashlib.sha256()
    h.update(f"{frame.shape[0]}x{frame.shape[1]}".encode())
    for name in frame.columns:
        col = frame[name]
        canon = _canonical_values(col)
        h.update(b"\x01col\x01" + str(name).encode("utf-8"))
        h.update(b"n" if pd.api.types.is_float_dtype(canon) else b"s")
        for part in _cell_bytes(canon):
            h.update(part)
    return h.hexdigest()
