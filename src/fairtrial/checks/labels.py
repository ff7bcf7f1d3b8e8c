"""Conflicting labels: rows that look the same to the model but have different answers.

Look-alike rows with different answers mean one of two things. When the model's columns are
few and have few values, different people share every value by chance (``splits.chance_pairs``
expects at least ``duplicates_chance_pairs`` such pairs): then the answers are not wrong, the
columns simply cannot tell these people apart, and the finding is a thing to know with the best
score any model could reach on them. When look-alikes are not expected by chance, they are
likely the same record entered twice with different answers: a warning (>= 1% of rows) or a
problem to fix (>= 5%), as in the check catalogue."""

from __future__ import annotations

import pandas as pd

from .. import settings
from ..splits import chance_pairs
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
    details = {"conflicting_rows": n_conflict, "share": share, "sets": n_sets, "columns_compared": columns,
               "rounded_to_decimals": _DECIMALS}
    expected = chance_pairs(features)
    if expected >= float(settings.get("duplicates_chance_pairs")):
        # The best any model can do on these rows: the commoner answer within each set of look-alikes.
        sets = table.loc[conflicting].groupby(["key", "y"], sort=False).size().groupby(level=0).max()
        ceiling = float(sets.sum()) / n_conflict
        return [Finding(
            check="conflicting_labels", severity="info", columns=(ctx.target,),
            title="Look-alike rows with different answers",
            message=(f"{rows(n_conflict).capitalize()} ({pct(share)}) look the same in every column the model uses "
                     f"({count(n_sets)} sets of look-alike rows), yet have different answers in {q(ctx.target)}. With "
                     "so few columns of so few values this is expected: different people share the same values, and "
                     "the columns cannot tell them apart. The answers are not wrong, but no model can get all of "
                     f"these rows right: at best {pct(ceiling)} of them, by giving each set its commoner answer."),
            suggestion=("Nothing to fix. To predict better, add a column that tells these rows apart (something else "
                        "known about them before the outcome)."),
            details=plain({**details, "expected_by_chance": True, "chance_pairs": expected,
                           "best_possible_share_right": ceiling}),
        )]
    return [Finding(
        check="conflicting_labels", severity="critical" if share >= crit else "warning", columns=(ctx.target,),
        title="Same rows, different answers",
        message=(f"{rows(n_conflict).capitalize()} ({pct(share)}) look exactly the same in every column the model "
                 f"uses, yet have different answers in {q(ctx.target)} ({count(n_sets)} sets of look-alike rows). "
                 "No model can get all of them right: either the answers were entered inconsistently, or something "
                 "that decides the outcome is not in the data."),
        suggestion=("Check a few of these rows in your spreadsheet. If the answers are right, add a column that tells "
                    "the rows apart."),
        details=plain({**details, "expected_by_chance": False, "chance_pairs": expected}),
    )]
