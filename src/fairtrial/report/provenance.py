"""Provenance: everything needed to re-run a trial, as key/value rows, and reading it back.

The Provenance sheet has one row per fact: a stable key in column A (``dataset.sha256``,
``plan.seed``, ``versions.scikit-learn`` ...), the value as JSON text in column B and what
it is, in words, in column C. Every plan setting is written, so ``provenance_settings``
turns a report back into the plan that made it: report -> settings -> re-run. A value too
long for one cell goes on over rows keyed ``<key> (continued)``.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .. import __version__
from ..errors import BadFileError

__all__ = ["CONTINUED", "SHEET", "provenance_rows", "provenance_settings"]

SHEET = "Provenance"
HEADER = ("key", "value (JSON)", "what it is")
CONTINUED = " (continued)"
_CHUNK = 30_000  # characters per cell; a cell holds at most 32,767

_DATASET_WORDS = {
    "dataset_id": "The dataset's number in the FairTrial database.",
    "name": "The dataset's name.",
    "source_file": "The file the data came from.",
    "sheet": "The sheet of the Excel file the data came from (empty for CSV).",
    "rows": "Rows in the dataset.",
    "columns": "Columns in the dataset.",
    "sha256": "The dataset's fingerprint: the same data always gives the same fingerprint, any change gives "
              "another. Re-run only on data with this fingerprint to get the same numbers.",
    "created_at": "When the dataset was stored.",
}
_PLAN_WORDS = {
    "target": "The column the recipes learn to predict.",
    "task": "The kind of prediction: binary (two answers), multiclass (several) or numeric (a number).",
    "recipe_a": "Recipe A with all its options.",
    "recipe_b": "Recipe B with all its options.",
    "columns": "The columns the recipes could use.",
    "excluded": "Columns left out of the trial (by FairTrial's checks or by you).",
    "folds": "How many parts the rows are cut into for each re-split.",
    "repeats": "How many times the rows are re-split.",
    "seed": "The random seed: the same seed gives the same splits and the same numbers.",
    "holdout": "The share of rows kept aside, untouched, for the final check.",
    "group": "The column whose rows are kept together in a split (empty for none).",
    "time_ordered": "Whether rows are in time order, so training always comes before testing.",
    "sensitive": "Columns whose groups were compared for fairness.",
    "metric": "The score asked for (empty: FairTrial chose it from the data).",
    "value": "The prices of the money view: what a correct flag earns (hit), what a false alarm and a miss "
             "cost, and the currency label.",
    "defaults": "What FairTrial chose from the checks where the choice was left open (a remedy for a rare "
                "answer, the group column, the columns about people), each with the reason in words.",
}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def provenance_rows(trial: dict, dataset: dict, *, created_at: str) -> list[tuple[str, str, str]]:
    """The (key, JSON value, words) rows of the Provenance sheet."""
    plan = trial.get("plan") or {}
    result = trial.get("result") or {}
    stored_id, given_id = trial.get("dataset_id"), dataset.get("dataset_id")
    if stored_id is not None and given_id is not None and int(stored_id) != int(given_id):
        raise ValueError(f"trial {trial.get('trial_id')} was run on dataset {stored_id}, "
                         f"but the report was given dataset {given_id}")
    rows: list[tuple[str, str, str]] = []

    def add(key: str, value: Any, words: str) -> None:
        text = _json(value)
        chunks = [text[i:i + _CHUNK] for i in range(0, len(text), _CHUNK)]
        rows.append((key, chunks[0], words))
        rows.extend((key + CONTINUED, chunk, "The value above goes on here.") for chunk in chunks[1:])

    add("fairtrial.version", __version__, "The FairTrial version that wrote this report.")
    add("report.created_at", created_at, "When this report was written.")
    add("trial.id", trial.get("trial_id", result.get("trial_id")), "The trial's number in the FairTrial database.")
    add("trial.created_at", trial.get("created_at"), "When the trial was run.")
    for key, words in _DATASET_WORDS.items():
        add(f"dataset.{key}", dataset.get(key), words)
    for key, value in plan.items():
        add(f"plan.{key}", value, _PLAN_WORDS.get(key, "A trial setting, as FairTrial used it."))
    add("result.primary_metric", result.get("primary_metric"), "The score the recipes were compared on.")
    add("result.metric_reason", result.get("metric_reason"), "Why FairTrial used that score.")
    add("result.splits", result.get("splits"), "How the rows were split, as FairTrial did it.")
    add("result.duration_seconds", result.get("duration_seconds"), "How long the whole trial took, in seconds.")
    for library, version in (result.get("versions") or {}).items():
        add(f"versions.{library}", version, "The version of this library used for the trial.")
    return rows


def provenance_settings(workbook: str | Path | bytes | io.BytesIO) -> dict[str, Any]:
    """Read a report's Provenance sheet back into the settings needed to re-run the trial:
    ``{"dataset_sha256": ..., **plan}`` where ``plan`` is the trial's plan, every field."""
    if isinstance(workbook, (bytes, bytearray)):
        workbook = io.BytesIO(workbook)
    try:
        wb = load_workbook(workbook, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as exc:
        raise BadFileError("This file cannot be opened as an Excel workbook.",
                           "Choose a report that FairTrial wrote (.xlsx).") from exc
    try:
        if SHEET not in wb.sheetnames:
            raise BadFileError("This workbook has no Provenance sheet, so FairTrial cannot read its settings.",
                               "Choose a report that FairTrial wrote.")
        values: dict[str, str] = {}
        last = None
        for row in wb[SHEET].iter_rows(min_row=2, max_col=2, values_only=True):
            key, value = (row + (None, None))[:2]
            if key is None:
                continue
            key = str(key)
            text = "" if value is None else str(value)
            if key.endswith(CONTINUED) and last is not None:
                values[last] += text
            else:
                values[key], last = text, key
    finally:
        wb.close()

    def read(key: str) -> Any:
        try:
            return json.loads(values[key])
        except ValueError as exc:
            raise BadFileError(f"The Provenance sheet's value for '{key}' was changed and cannot be read.",
                               "Use the report as FairTrial wrote it.") from exc

    plan = {key[len("plan."):]: read(key) for key in values if key.startswith("plan.")}
    if not plan or "dataset.sha256" not in values:
        raise BadFileError("The Provenance sheet lacks the trial's settings.", "Use the report as FairTrial wrote it.")
    return {"dataset_sha256": read("dataset.sha256"), **plan}
