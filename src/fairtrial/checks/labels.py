"""Conflicting labels: rows that look the same to the model but have different answers."""

from __future__ import annotations

import pandas as pd

from .. import settings
from ..findings import Finding
from ._context import CheckContext
from ._words import count, pct, plain, q, rows

_DECIMALS = 6  # numbers are compared after rounding to this many decimals


def check_conflicting_labels(ctx: CheckContext) -> list[Finding]:
    if not ctx.is_class:
        return []
    columns = ctx.model_columns()
    if not columns:
        return []
    features = ctx.frame[columns]
    floats = [c for c in columns if pd.api.types.is_float_dtype(features[c])]
    if floats:
        features = features.assign(**{c: features[c].round(_DECIMALS) for c in floats})
    keys = pd.util.hash_pandas_object(features, index=False).to_numpy()
    table = pd.DataFrame({"key": keys, "y": ctx.y_codes})
    answers = table.groupby("key", sort=False)["y"].transform("nunique").to_numpy()
    conflicting = answers > 1
    n_conflict = int(conflicting.sum())
    share = n_conflict / ctx.n_rows
    warn, crit = float(settings.get("conflicting_labels_warning")), float(settings.get("conflicting_labels_critical"))
    if share < warn:
        return []
    n_sets = int(pd.unique(keys[conflicting]).size)
    return [Finding(
        check="conflicting_labels", severity="critical" if share >= crit else "warning", columns=(ctx.target,),
        title="Same rows, different answers",
        message=(f"{rows(n_conflict).capitalize()} ({pct(share)}) look exactly the same in every column the model "
                 f"uses, yet have different answers in {q(ctx.target)} ({count(n_sets)} sets of look-alike rows). "
                 "No model can get all of them right: either the answers were entered inconsistently, or something "
                 "that decides the outcome is not in the data."),
        suggestion=("Check a few of these rows in your spreadsheet. If the answers are right, add a column that tells "
                    "the rows apart."),
        details=plain({"conflicting_rows": n_conflict, "share": share, "sets": n_sets, "columns_compared": columns,
                       "rounded_to_decimals": _DECIMALS}),
    )]
