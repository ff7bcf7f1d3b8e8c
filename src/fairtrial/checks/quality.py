"""Data quality: duplicates, constant columns, IDs, free text, mixed types, missing values, outliers."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from scipy.stats import norm, poisson

from .. import settings
from ..findings import Finding
from ..splits import whole_row_copies
from ._context import EXCLUDED, REMOVED, ROWS_LEFT_OUT, CheckContext
from ._stats import robust_z
from ._words import count, pct, plain, q, rows, value_text

_SKEWED = 0.2  # outliers: Kelly's skewness above this means a long right tail (scored on a log scale)
_FEW_VALUES = 10  # outliers: columns with at most this many different values are skipped
_SHOWABLE = re.compile(r"^[^\d@]{1,20}$")  # short values without digits or '@' (never personal data)


def _not_excluded(ctx: CheckContext) -> list[str]:
    excluded = ctx.excluded_by()
    return [c for c in ctx.candidates() if c not in excluded]


def _is_words(values: pd.Series) -> bool:
    return not (pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)
                or pd.api.types.is_datetime64_any_dtype(values))


def _row_copies(ctx: CheckContext):
    return ctx.memo("row_copies", lambda: whole_row_copies(ctx.frame, ctx.target))


def duplicate_rows(ctx: CheckContext) -> int:
    """Rows that copy an earlier row in every uploaded column: the very rows a trial removes."""
    return _row_copies(ctx).removed


def check_duplicates(ctx: CheckContext) -> list[Finding]:
    copies = _row_copies(ctx)
    if copies.identical and not copies.removed:
        return [_kept_identical_rows(ctx, copies)]
    n_dup = copies.removed
    if n_dup == 0:
        return []
    share = n_dup / ctx.n_rows
    severity = "warning" if share > settings.get("duplicates_warning") else "info"
    return [Finding(
        check="duplicates", severity=severity, columns=(),
        title="Exact copies of rows",
        message=(f"{rows(n_dup).capitalize()} ({pct(share)} of {count(ctx.n_rows)}) "
                 f"{'is an exact copy' if n_dup == 1 else 'are exact copies'} of another row, equal in every "
                 "column (IDs included). "
                 "A copy can land in both the training and the test part, which makes scores look better than they "
                 "are, so FairTrial removes the copies before splitting."),
        suggestion=("Nothing to do unless the copies are real, separate events (two identical orders); then add a "
                    "column that tells them apart, such as the date."),
        details=plain({"duplicate_rows": n_dup, "share": share, "rows": ctx.n_rows}),
        action=REMOVED,
    )]


def _kept_identical_rows(ctx: CheckContext, copies) -> Finding:
    """Rows equal in every column that FairTrial keeps (few columns of few values, no column that
    tells records apart): a warning when clearly more pairs agree than chance gives, else a note."""
    share = copies.identical / ctx.n_rows
    seen = (f"{rows(copies.identical).capitalize()} ({pct(share)} of {count(ctx.n_rows)}) "
            f"{'has' if copies.identical == 1 else 'have'} the same value as another row in every column")
    pairs, chance = count(round(copies.pairs)), count(round(copies.chance_pairs))
    details = plain({"duplicate_rows": 0, "identical_rows": copies.identical, "share": share,
                     "identical_pairs": copies.pairs, "chance_pairs": copies.chance_pairs,
                     "beyond_chance": bool(copies.beyond_chance), "rows": ctx.n_rows})
    if copies.beyond_chance:
        return Finding(
            check="duplicates", severity="warning", columns=(), title="More rows share every value than chance gives",
            message=(f"{seen}: {pairs} pairs of identical rows, where chance would give about {chance} if the columns "
                     "were unrelated. Related columns make look-alikes more common than that estimate, so this is no "
                     "proof, but some of these rows may be the same record entered twice. FairTrial kept every row: "
                     "with few columns of few values, different people often give the same answers, and it cannot "
                     "tell copies from look-alikes. A copy in both the training and the test part would make the "
                     "scores look a little better than they are."),
            suggestion=("Check how the table was collected. If some rows are the same record entered twice, remove "
                        "them before uploading, or add a column that tells records apart, such as an ID or a date."),
            details=details)
    return Finding(
        check="duplicates", severity="info", columns=(), title="Rows that share every value",
        message=(f"{seen}. With so few columns of so few values this is expected among different people or records "
                 f"({pairs} pairs of rows agree; about {chance} would by chance alone), so these are not copies: "
                 "FairTrial keeps every row."),
        suggestion=("Nothing to do. If some rows really are the same record entered twice, add a column that tells "
                    "records apart, such as an ID or a date."),
        details=details)


def check_constant(ctx: CheckContext) -> list[Finding]:
    out = []
    near = float(settings.get("near_constant_share"))
    for column in _not_excluded(ctx):
        counts = ctx.value_counts(column)
        if counts.empty:
            continue
        top_value, top = counts.index[0], int(counts.iloc[0])
        share = top / ctx.n_rows
        empty = top_value is None or (isinstance(top_value, float) and np.isnan(top_value)) or pd.isna(top_value)
        shown = "" if empty or not _SHOWABLE.match(str(top_value)) else f" ({value_text(top_value)})"
        if len(counts) == 1:
            what = "is empty on every row" if empty else f"has the same value{shown} on every row"
            out.append(Finding(
                check="constant", severity="info", columns=(column,), title="Same value on every row",
                message=f"{q(column)} {what}, so it cannot tell rows apart. FairTrial left it out.",
                suggestion="Nothing to do. Switch it back on only if new data will have other values.",
                details=plain({"top_share": 1.0, "distinct_values": 1, "empty": bool(empty),
                               "reason": f"{what} (no information)"}),
                action=EXCLUDED,
            ))
        elif share >= near:
            what = "is empty" if empty else f"has the same value{shown}"
            out.append(Finding(
                check="constant", severity="warning", columns=(column,), title="Nearly the same value everywhere",
                message=(f"{q(column)} {what} on {pct(share)} of rows; only {rows(ctx.n_rows - top)} "
                         f"{'differs' if ctx.n_rows - top == 1 else 'differ'}, so it "
                         "can help with very few rows, and a test part may hold none of the exceptions."),
                suggestion="Keep it if the rare values matter for the outcome; otherwise switch it off.",
                details=plain({"top_share": share, "distinct_values": int(len(counts)),
                               "other_rows": ctx.n_rows - top, "empty": bool(empty)}),
            ))
    return out


def check_high_cardinality(ctx: CheckContext) -> list[Finding]:
    out = []
    distinct_limit = int(settings.get("high_cardinality_distinct"))
    unique_limit = float(settings.get("high_cardinality_unique_share"))
    for column in _not_excluded(ctx):
        values = ctx.frame[column]
        if not _is_words(values) or ctx.kind(column) == "date":
            continue
        filled = int(values.notna().sum())
        if filled == 0:
            continue
        n_unique = ctx.nunique(column)
        share = n_unique / filled
        if n_unique > distinct_limit and share > unique_limit:
            out.append(Finding(
                check="high_cardinality", severity="warning", columns=(column,), title="Free text or a label per row",
                message=(f"{q(column)} has {count(n_unique)} different values among {count(filled)} filled rows "
                         f"({pct(share)} unique), so it is free text or a label for each row rather than a few "
                         "categories. A model cannot learn from values it sees only once."),
                suggestion=("If it is free text, a name or a code, switch it off. If it holds a few categories "
                            "written in many ways, tidy them up in the spreadsheet."),
                details=plain({"distinct_values": n_unique, "filled_rows": filled, "unique_share": share}),
            ))
    return out


def check_mixed_types(ctx: CheckContext) -> list[Finding]:
    out = []
    low, high = float(settings.get("mixed_types_low")), float(settings.get("mixed_types_high"))
    for column in _not_excluded(ctx):
        values = ctx.frame[column]
        if not _is_words(values) or ctx.kind(column) == "date":
            continue
        filled = values.dropna()
        if filled.empty:
            continue
        if len(filled) > 5000:
            filled = filled.sample(n=5000, random_state=ctx.seed)
        text = filled.astype(str).str.strip()
        text = text[text != ""]
        if text.empty:
            continue
        is_number = pd.to_numeric(text, errors="coerce").notna()
        number_share = float(is_number.mean())
        rarer = min(number_share, 1 - number_share)
        if not (low <= rarer <= high):
            continue
        words_rare = number_share > 0.5
        example = ""
        if words_rare:
            common = text[~is_number].value_counts().index
            safe = [v for v in common if _SHOWABLE.match(v)]
            if safe:
                example = f" (such as {value_text(safe[0])})"
            seen = (f"{q(column)} holds numbers, but {pct(rarer)} of its filled cells are words{example}. "
                    "Until they are fixed, the column cannot be used as a number and its order is lost.")
        else:
            seen = (f"{q(column)} holds words, but {pct(rarer)} of its filled cells are numbers. "
                    "They may be codes, or values typed into the wrong column.")
        out.append(Finding(
            check="mixed_types", severity="warning", columns=(column,), title="Numbers and words mixed",
            message=seen,
            suggestion="Fix or empty the odd cells in your spreadsheet, then upload it again.",
            details=plain({"number_share": number_share, "rarer_share": rarer, "checked_values": int(len(text))}),
        ))
    return out


def check_missing(ctx: CheckContext) -> list[Finding]:
    out = []
    total = ctx.n_rows + ctx.rows_without_target
    if ctx.rows_without_target:
        share = ctx.rows_without_target / total
        out.append(Finding(
            check="missing", severity="warning" if share > settings.get("missing_warning") else "info",
            columns=(ctx.target,), title="Rows without a target",
            message=(f"{q(ctx.target)} is empty for {rows(ctx.rows_without_target)} ({pct(share)} of {count(total)}). "
                     "There is nothing to learn from those rows, so FairTrial leaves them out."),
            suggestion="Fill in the target for those rows if you know it.",
            details=plain({"empty_rows": ctx.rows_without_target, "share": share, "rows": total}),
            action=ROWS_LEFT_OUT,
        ))
    warn, crit, drop = (float(settings.get(k)) for k in ("missing_warning", "missing_critical", "missing_drop"))
    covered = {c for f in ctx.findings if f.check in ("missingness_leakage",) for c in f.columns}
    shares = ctx.frame.isna().mean()
    for column in _not_excluded(ctx):
        share = float(shares[column])
        if share <= warn or column in covered or share >= 1.0:
            continue
        empty = int(round(share * ctx.n_rows))
        seen = f"{q(column)} is empty for {pct(share)} of rows ({count(empty)} of {count(ctx.n_rows)}). "
        if share > crit:
            seen += ("With more than half of it empty it carries little information, and the values the recipes "
                     "fill in for the gaps outweigh the real ones.")
            severity = "critical"
        elif column in ctx.kept_aside():
            seen += ("It describes people and is kept out of the models; when groups are compared, the empty cells "
                     "form a group of their own, so read that group's results with care.")
            severity = "warning"
        else:
            seen += ("The recipes fill the gaps with a typical value (learned inside each fold) and mark where they "
                     "were, so the column still helps, a little less.")
            severity = "warning"
        if share > drop:
            suggestion = "Switch it off: almost nothing is left in it."
        elif share > crit:
            suggestion = "Fill in the gaps if you can; otherwise consider switching it off."
        else:
            suggestion = "Fill in the gaps if you can; otherwise nothing to do."
        out.append(Finding(
            check="missing", severity=severity, columns=(column,), title="Empty cells",
            message=seen, suggestion=suggestion,
            details=plain({"empty_share": share, "empty_rows": empty, "rows": ctx.n_rows}),
        ))
    return out


def _skewed(x: np.ndarray) -> bool:
    """Non-negative with a long right tail: amounts, counts, durations.

    Kelly's skewness from the 10th, 50th and 90th percentiles, so a few outliers cannot make
    a symmetric column look skewed (which a moment-based skewness would).
    """
    if x.min() < 0:
        return False
    p10, p50, p90 = np.percentile(x, [10, 50, 90])
    return p90 > p10 and (p90 + p10 - 2 * p50) / (p90 - p10) > _SKEWED


def _chance_outliers(n: int, limit: float) -> int:
    """More outliers than this are not chance: the 99.9% point of how many a normal column of
    ``n`` values has beyond ``limit``."""
    expected = n * 2 * float(norm.sf(limit))
    return int(poisson.ppf(0.999, expected))


def check_outliers(ctx: CheckContext) -> list[Finding]:
    """Robust z-scores (median/MAD) above ``outlier_robust_z``; one finding for all columns.

    Better than a plain z-score on business data: columns with at most ``_FEW_VALUES`` different
    values (ratings, counts of a few) are skipped, and non-negative, right-skewed columns
    (amounts, durations) are scored on the log scale, so a long natural tail is not called
    unusual while a typing mistake (an extra zero) still is.
    """
    limit = float(settings.get("outlier_robust_z"))
    report = float(settings.get("outlier_share_report"))
    columns = _not_excluded(ctx) + ([ctx.target] if not ctx.is_class else [])
    found: dict[str, dict] = {}
    for column in columns:
        values = ctx.frame[column]
        if ctx.kind(column) != "number" and column != ctx.target:
            continue
        if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
            continue
        x = values.to_numpy(dtype=float, na_value=np.nan)
        x = x[~np.isnan(x)]
        if x.size < 10 or ctx.nunique(column) <= _FEW_VALUES:
            continue
        log_scale = _skewed(x)
        z = robust_z(np.log1p(x) if log_scale else x)
        flagged = z > limit
        n_out = int(np.count_nonzero(flagged))
        share = n_out / x.size
        if n_out == 0 or share < report or n_out <= _chance_outliers(x.size, limit):
            continue
        high = int(np.count_nonzero(flagged & (x > np.median(x))))
        found[column] = {"outlier_rows": n_out, "share": share, "large": high, "small": n_out - high,
                         "log_scale": log_scale, "filled_rows": int(x.size)}
    if not found:
        return []
    ordered = sorted(found, key=lambda c: -found[c]["share"])
    shown = [f"{q(c)} {rows(found[c]['outlier_rows'])} ({pct(found[c]['share'])})" for c in ordered[:5]]
    more = f", and {len(ordered) - 5} more columns" if len(ordered) > 5 else ""
    if len(ordered) == 1:
        seen = f"{q(ordered[0])} has {rows(found[ordered[0]]['outlier_rows'])} ({pct(found[ordered[0]]['share'])})"
    else:
        seen = f"{len(ordered)} columns have values far from the rest: " + "; ".join(shown) + more + ". They are"
    if len(ordered) == 1:
        seen += " far from the rest:"
    message = (f"{seen} more than {limit:g} times the typical spread away from the middle value (measured on a log "
               "scale for columns with a long tail, such as amounts).")
    return [Finding(
        check="outliers", severity="info", columns=tuple(ordered), title="Unusual values",
        message=message,
        suggestion=("Look at a few of them: fix typing mistakes (an extra zero); real extreme values can stay. "
                    "Tree-based recipes cope with them; simple (linear) ones are pulled around by them."),
        details=plain({"robust_z_limit": limit, "columns": found}),
    )]
