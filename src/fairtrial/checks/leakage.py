"""Leakage: columns that give the answer away, copies of the target, IDs, post-outcome names.

How a column is judged (settings in brackets):
1. Its one-column score: a shallow tree (``leakage_tree_depth``) on the column plus an "is
   empty" indicator, out-of-fold on at most ``leakage_sample_rows`` rows (see ``_scoring``).
2. A column at or above the warning level (``leakage_auc_warning`` / ``leakage_r2_warning``)
   is compared with all the other columns together (a small gradient-boosting model). It
   *stands alone* when it makes fewer than ``leakage_alone_error_ratio`` times the mistakes
   of the others together, i.e. it knows something the rest of the table does not.
3. Severity:
   - stands alone and reaches the critical level, or reaches ``leakage_share_of_full`` of the
     full model's score above chance: critical, excluded (the user can switch it back on);
   - stands alone otherwise: warning;
   - does not stand alone but reaches the critical level: warning (ask, do not exclude);
   - does not stand alone, warning level only: info. Many columns that each predict well
     (measurements of a tumour for a diagnosis) are a strong, ordinary signal, not a leak.
4. Leakage through missingness: normalised mutual information between "is empty" and the
   target at or above ``missingness_nmi_warning`` is a warning; critical (excluded) when the
   column's one-column score also reaches the critical level or step 3 says critical.
   One column gets one finding: ``missingness_leakage`` when emptiness carries the signal,
   ``leakage`` otherwise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import settings
from ..findings import Finding
from ..kinds import looks_like_id_name
from ._context import EXCLUDED, CheckContext
from ._names import tokens
from ._scoring import encode_column, model_matrix, model_score, single_column_score
from ._stats import contingency, cramers_v, normalized_mutual_information
from ._words import chance_words, count, names, pct, plain, q, score_words

_POST_OUTCOME_WORDS = {
    "status", "result", "results", "outcome", "outcomes", "closed", "closing", "approved", "approval", "paid",
    "refund", "refunded", "refunds", "churn", "churned", "terminated", "termination", "resolved", "resolution",
    "decision", "verdict", "settled", "settlement", "rejected", "rejection", "declined", "denied", "granted",
    "repaid", "chargeback", "writeoff", "defaulted", "final",
    # German, French, Spanish, Italian, Dutch
    "ergebnis", "storniert", "storno", "gekuendigt", "kuendigung", "bezahlt", "erstattung", "genehmigt",
    "resultat", "rembourse", "remboursement", "annule", "annulation", "resultado", "cancelado", "aprobado",
    "pagado", "reembolso", "risultato", "annullato", "rimborso", "uitslag", "geannuleerd", "terugbetaling",
}
_POST_OUTCOME_STARTS = ("cancel", "refund", "churn", "terminat", "writtenoff")
_NOT_AN_OUTCOME = {
    "marital", "employment", "civil", "family", "relationship", "housing", "residence", "residential",
    "citizenship", "immigration", "smoking", "smoker", "health", "education", "veteran", "visa", "student",
    "tax", "legal",
}


def post_outcome_name(column: str) -> bool:
    """True when a column's name sounds like something recorded after the outcome."""
    words = tokens(column)
    if not words or set(words) & _NOT_AN_OUTCOME:
        return False
    if any(w in _POST_OUTCOME_WORDS for w in words):
        return True
    if any(w.startswith(s) for w in words for s in _POST_OUTCOME_STARTS):
        return True
    return words[-1] == "after" or (len(words) > 1 and words[0] == "after")


def _thresholds(ctx: CheckContext) -> tuple[float, float, str, float]:
    if ctx.is_class:
        return (float(settings.get("leakage_auc_warning")), float(settings.get("leakage_auc_critical")), "AUC", 0.5)
    return (float(settings.get("leakage_r2_warning")), float(settings.get("leakage_r2_critical")), "R²", 0.0)


# --------------------------------------------------------------------------------------
# Shared work: one-column scores, all-column scores, missingness
# --------------------------------------------------------------------------------------
def column_score(ctx: CheckContext, column: str) -> float:
    """Out-of-fold one-column score (AUC or R²) on the sampled rows; memoised."""

    def compute() -> float:
        rows_, goal = ctx.target_goal()
        encoded = encode_column(ctx.frame[column].iloc[rows_], ctx.kind(column))
        return single_column_score(encoded, goal, int(settings.get("leakage_tree_depth")), ctx.seed)

    return ctx.memo(("column_score", column), compute)


def columns_score(ctx: CheckContext, columns: list[str]) -> float:
    """Out-of-fold score of a small gradient-boosting model on these columns; memoised."""
    key = ("columns_score", tuple(sorted(columns)))

    def compute() -> float:
        rows_, goal = ctx.memo("model_goal", lambda: _model_goal(ctx))
        matrix, categorical = model_matrix(ctx.frame[list(columns)].iloc[rows_], ctx.kinds)
        return model_score(matrix, categorical, goal, ctx.seed)

    return ctx.memo(key, compute)


def _model_goal(ctx: CheckContext):
    from ._scoring import make_goal

    rows_ = ctx.sample_rows(int(settings.get("full_model_sample_rows")), key="target")
    folds = int(settings.get("check_folds"))
    if ctx.y_codes is None:
        return rows_, make_goal(ctx.y_numbers[rows_], "numeric", folds, ctx.seed)
    return rows_, make_goal(ctx.y_codes[rows_], ctx.task.task, folds, ctx.seed)


def _target_bins(ctx: CheckContext) -> tuple[np.ndarray, int]:
    if ctx.y_codes is not None:
        return ctx.y_codes, len(ctx.classes)
    ranks = pd.Series(ctx.y_numbers).rank(method="average", pct=True).to_numpy()
    return np.minimum((ranks * 10).astype(np.int64), 9), 10


def missingness(ctx: CheckContext) -> dict[str, dict]:
    """For each column with some empty cells: empty share, NMI with the target, empty share per answer."""

    def compute() -> dict[str, dict]:
        y, k = _target_bins(ctx)
        empty = ctx.frame.isna()
        out = {}
        for column in ctx.columns:
            mask = empty[column].to_numpy()
            n_empty = int(mask.sum())
            if n_empty == 0 or n_empty == len(mask):
                continue
            table = contingency(mask.astype(np.int64), y, 2, k)
            info = {"empty_share": n_empty / len(mask), "nmi": normalized_mutual_information(table)}
            if ctx.y_codes is not None:
                sizes = table.sum(axis=0)
                info["empty_share_by_answer"] = {c: float(table[1, j] / sizes[j]) for j, c in enumerate(ctx.classes)
                                                 if sizes[j]}
            else:
                info["mean_when_empty"] = float(np.mean(ctx.y_numbers[mask]))
                info["mean_when_filled"] = float(np.mean(ctx.y_numbers[~mask]))
            out[column] = info
        return out

    return ctx.memo("missingness", compute)


def _leak_candidates(ctx: CheckContext) -> list[str]:
    """Columns to test: all but the ones left out as personal data, constant or copies (IDs included)."""
    skip = set(ctx.excluded_by(("pii", "constant", "target_copy"))) | set(ctx.kept_aside())
    return [c for c in ctx.candidates() if c not in skip]


def assess(ctx: CheckContext) -> dict[str, dict]:
    """The leakage verdict for every column at or above the warning level, or with telling emptiness."""
    return ctx.memo("leak_assessment", lambda: _assess(ctx))


def _error(score: float) -> float:
    return 1.0 - score


def _assess(ctx: CheckContext) -> dict[str, dict]:
    warn, crit, metric, chance = _thresholds(ctx)
    ratio = float(settings.get("leakage_alone_error_ratio"))
    share_of_full = float(settings.get("leakage_share_of_full"))
    nmi_warn = float(settings.get("missingness_nmi_warning"))
    ids = {c for c, f in ctx.excluded_by(("id_like",)).items()}
    candidates = _leak_candidates(ctx)
    scores = {c: column_score(ctx, c) for c in candidates}
    empty = missingness(ctx)
    strong = [c for c in candidates if scores[c] >= warn]
    model_columns = ctx.model_columns()
    drop_one_left = [3]  # all-but-one models are fitted for at most this many strong columns

    def telling(column: str) -> bool:
        return empty.get(column, {}).get("nmi", 0.0) >= nmi_warn

    # Leaks with a signature (emptiness that gives the answer away) are settled first, then the
    # strong columns from the strongest down; a column found leaking no longer counts among
    # "the other columns" that could replace a later one.
    gone = {c for c in candidates if c not in ids and telling(c) and scores[c] >= crit}
    order = sorted(candidates, key=lambda c: (c not in gone, -scores[c]))
    verdicts: dict[str, dict] = {}
    for column in order:
        score = scores[column]
        telling_empty = telling(column)
        if score < warn and not telling_empty:
            continue
        verdict: dict = {"score": score, "metric": metric, "chance": chance, "missing": empty.get(column, {}),
                         "telling_empty": telling_empty, "is_id": column in ids,
                         "name_hint": post_outcome_name(column), "rest_score": None, "full_score": None,
                         "alone": None}
        if column in ids:
            # Already left out as an ID; what matters is that the row order is linked to the outcome.
            severity = "warning"
        elif column in gone:
            severity = "critical"  # emptiness gives the answer away; no comparison needed
        elif score >= warn:
            others = [c for c in model_columns if c != column and c not in gone]
            # What the other columns reach together, cheapest bound first: the best other strong
            # column alone, or the model without any strong column. Only when the column still
            # looks alone is the model on all other columns fitted (for at most 3 columns).
            best_other = max((scores[c] for c in strong if c != column and c not in gone and c not in ids),
                             default=chance)
            rest = max(best_other, columns_score(ctx, [c for c in others if c not in strong]))
            alone = _error(score) < ratio * _error(rest)
            if alone and len(strong) > 1 and drop_one_left[0] > 0:
                drop_one_left[0] -= 1
                rest = max(rest, columns_score(ctx, others))
                alone = _error(score) < ratio * _error(rest)
            full = None
            if alone and score < crit:
                full = columns_score(ctx, sorted(set(others) | {column}))
            near_full = full is not None and (score - chance) >= share_of_full * (full - chance)
            if alone:
                severity = "critical" if (score >= crit or near_full) else "warning"
            else:
                severity = "warning" if score >= crit else "info"
            if severity == "critical":
                gone.add(column)
            elif telling_empty:
                severity = "warning"
            verdict.update(rest_score=rest, full_score=full, alone=alone)
        else:
            severity = "warning"  # telling emptiness, ordinary one-column score
        verdict["severity"] = severity
        verdicts[column] = verdict
    return {c: verdicts[c] for c in candidates if c in verdicts}


def _sampling(ctx: CheckContext) -> dict:
    rows_, goal = ctx.target_goal()
    return {"sampled_rows": int(len(rows_)), "rows": ctx.n_rows, "sampled": bool(len(rows_) < ctx.n_rows),
            "folds": len(goal.splits), "tree_depth": int(settings.get("leakage_tree_depth")),
            "seed": ctx.seed}


def _sample_note(ctx: CheckContext) -> str:
    info = _sampling(ctx)
    if not info["sampled"]:
        return ""
    return f" (measured on a sample of {count(info['sampled_rows'])} of the {count(info['rows'])} rows)"


def _switch_off_words(column: str) -> str:
    return f"FairTrial switched {q(column)} off. If it really is known before the outcome, switch it back on."


# --------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------
def check_target_copy(ctx: CheckContext) -> list[Finding]:
    out = []
    skip = set(ctx.excluded_by(("pii", "constant", "id_like"))) | set(ctx.kept_aside())
    columns = [c for c in ctx.candidates() if c not in skip]
    if ctx.is_class:
        v_limit = float(settings.get("target_copy_cramers_v"))
        distinct_limit = int(settings.get("high_cardinality_distinct"))
        for column in columns:
            n_unique = ctx.nunique(column)
            if not 2 <= n_unique <= distinct_limit:
                continue
            values = ctx.frame[column]
            filled = values.notna().to_numpy()
            x, _ = pd.factorize(values[filled])
            y = ctx.y_codes[filled]
            if len(np.unique(y)) < 2:
                continue  # filled for one answer only: that is leakage through missingness
            table = contingency(x, y, n_unique, len(ctx.classes))
            v = cramers_v(table)
            decides = bool(table.max(axis=1).sum() == filled.sum()) and filled.sum() >= 10 * n_unique
            if v < v_limit and not decides:
                continue
            how = f"Cramér's V {v:.2f}, where 1.00 is a perfect copy"
            if decides:
                how = f"each of its {n_unique} values goes with exactly one answer ({how})"
            out.append(Finding(
                check="target_copy", severity="critical", columns=(column,), title="A copy of the target",
                message=(f"{q(column)} is a copy of {q(ctx.target)} in other words: {how}. A model would simply read "
                         "the answer from it, and new data will not have it before the outcome is known."),
                suggestion=_switch_off_words(column),
                details=plain({"cramers_v": v, "one_answer_per_value": decides, "distinct_values": n_unique,
                               "reason": f"a copy of {q(ctx.target)} (Cramér's V {v:.2f})"}),
                action=EXCLUDED,
            ))
    else:
        limit = float(settings.get("target_copy_corr"))
        rows_, _ = ctx.target_goal()
        y = pd.Series(ctx.y_numbers[rows_])
        for column in columns:
            values = ctx.frame[column]
            if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
                continue
            x = pd.Series(values.iloc[rows_].to_numpy(dtype=float, na_value=np.nan))
            both = x.notna() & y.notna()
            if both.sum() < 10 or x[both].nunique() < 3:
                continue
            rho = float(x[both].rank().corr(y[both].rank()))
            if not np.isfinite(rho) or abs(rho) < limit:
                continue
            out.append(Finding(
                check="target_copy", severity="critical", columns=(column,), title="A copy of the target",
                message=(f"{q(column)} moves in lockstep with {q(ctx.target)} (rank correlation {rho:.3f}, where "
                         "1.000 is a perfect copy). A model would simply read the answer from it, and new data will "
                         "not have it before the outcome is known."),
                suggestion=_switch_off_words(column),
                details=plain({"spearman": rho, "sampled_rows": int(len(rows_)), "rows": ctx.n_rows,
                               "reason": f"a copy of {q(ctx.target)} (rank correlation {rho:.3f})"}),
                action=EXCLUDED,
            ))
    return out


def check_id_like(ctx: CheckContext) -> list[Finding]:
    """Columns that label rows (kind "id"): left out. An ID on several rows (a customer, a job
    advert) also says which rows belong together: ``details["repeats"]`` and ``rows_per_id``,
    and the report proposes it as the trial's group column."""
    out = []
    skip = set(ctx.excluded_by(("pii", "constant")))
    warn = _thresholds(ctx)[0]
    signal = float(settings.get("id_signal_auc" if ctx.is_class else "id_signal_r2"))
    for column in ctx.candidates():
        if column in skip or ctx.kind(column) != "id":
            continue
        n_unique = ctx.nunique(column)
        filled = int(ctx.frame[column].notna().sum())
        share = n_unique / filled if filled else 0.0
        counts = ctx.value_counts(column)
        counts = counts[counts.index.notna()]
        repeats = share < 0.999
        rows_per_id = filled / n_unique if n_unique else 0.0
        most = int(counts.max()) if len(counts) else 0
        score = column_score(ctx, column)
        metric = "AUC" if ctx.is_class else "R²"
        if not repeats:
            seen = f"{q(column)} looks like an ID: every row has its own value ({count(n_unique)} different values)."
        else:
            seen = (f"{q(column)} looks like an ID shared by several rows: {count(n_unique)} different values on "
                    f"{count(filled)} filled rows, {rows_per_id:.1f} rows per value on average (up to {count(most)}).")
        seen += (" An ID is a label for the row, not a property of it, so what a model learns from it does not carry "
                 "over to new rows. FairTrial left it out.")
        if repeats:
            seen += (f" Rows with the same {q(column)} belong together; FairTrial keeps them on one side of every "
                     "split, so a model is never tested on rows it has partly seen already.")
        if score >= warn:
            seen += f" It also predicts {q(ctx.target)} strongly on its own: see the leakage finding."
        elif score >= signal:
            seen += (f" It still predicts {q(ctx.target)} a little ({score_words(metric, score)}): IDs were probably "
                     "handed out in an order linked to the outcome, such as older customers having lower numbers.")
        suggestion = f"Nothing to do. If {q(column)} is really a measurement, switch it back on."
        if repeats:
            suggestion = (f"Nothing to do. If rows with the same {q(column)} are really unrelated, choose no group "
                          "column for the trial; if it is a measurement, switch it back on.")
        out.append(Finding(
            check="id_like", severity="info", columns=(column,), title="Looks like an ID",
            message=seen,
            suggestion=suggestion,
            details=plain({"distinct_values": n_unique, "filled_rows": filled, "unique_share": share,
                           "id_like_name": looks_like_id_name(column), "score": score, "metric": metric,
                           "repeats": repeats, "rows_per_id": rows_per_id, "most_rows_per_id": most,
                           **_sampling(ctx), "reason": "looks like an ID (a label for the row)"}),
            action=EXCLUDED,
        ))
    return out


def _empty_words(ctx: CheckContext, column: str, miss: dict) -> str:
    if "empty_share_by_answer" in miss:
        by = miss["empty_share_by_answer"]
        most = max(by, key=lambda c: (by[c], c))
        least = min(by, key=lambda c: (by[c], c))
        if len(by) == 2:
            return (f"{q(column)} is empty for {pct(by[most])} of rows where {q(ctx.target)} is {q(most)} and filled "
                    f"for {pct(1 - by[least])} of rows where it is {q(least)}")
        return (f"{q(column)} is empty for {pct(by[most])} of rows where {q(ctx.target)} is {q(most)} but for only "
                f"{pct(by[least])} where it is {q(least)}")
    return (f"rows where {q(column)} is empty have an average {q(ctx.target)} of {miss['mean_when_empty']:,.4g}, "
            f"against {miss['mean_when_filled']:,.4g} where it is filled")


def check_missingness_leakage(ctx: CheckContext) -> list[Finding]:
    out = []
    for column, v in assess(ctx).items():
        if not v["telling_empty"]:
            continue
        miss = v["missing"]
        score_text = f"{score_words(v['metric'], v['score'])}, where {chance_words(v['metric'])}"
        if v["severity"] == "critical":
            seen = (f"{_empty_words(ctx, column, miss)}, so whether it is filled in gives the answer away (on its own "
                    f"it predicts {q(ctx.target)} almost perfectly: {score_text}){_sample_note(ctx)}. A field that "
                    "is only filled in once the outcome is known will be empty when you need a prediction, so a model "
                    "trained with it looks great in the trial and fails in real use.")
            suggestion = _switch_off_words(column)
            action = EXCLUDED
        else:
            seen = (f"{_empty_words(ctx, column, miss)}, so whether it is empty tells a lot about the answer "
                    f"(normalised mutual information {miss['nmi']:.2f}; on its own the column scores {score_text})"
                    f"{_sample_note(ctx)}. If it is filled in only after the outcome, a model will lean on it in the "
                    "trial and fail in real use.")
            suggestion = f"Check when {q(column)} gets filled in. If only after the outcome is known, switch it off."
            action = ""
        details = {"nmi": miss["nmi"], "empty_share": miss["empty_share"], "score": v["score"],
                   "metric": v["metric"], "rest_score": v.get("rest_score"), "full_score": v.get("full_score"),
                   "alone": v.get("alone"), "post_outcome_name": v["name_hint"], **_sampling(ctx)}
        for key in ("empty_share_by_answer", "mean_when_empty", "mean_when_filled"):
            if key in miss:
                details[key] = miss[key]
        if action:
            details["reason"] = (f"filled in only for some outcomes: gives the answer away "
                                 f"({v['metric']} {v['score']:.2f} on its own)")
        out.append(Finding(
            check="missingness_leakage", severity=v["severity"], columns=(column,),
            title="Filled in only for some outcomes", message=seen, suggestion=suggestion,
            details=plain(details), action=action if not v["is_id"] else "",
        ))
    return out


def check_leakage(ctx: CheckContext) -> list[Finding]:
    out = []
    ordinary: list[str] = []
    verdicts = assess(ctx)
    for column, v in verdicts.items():
        if v["telling_empty"] or v["severity"] is None:
            continue
        if v["severity"] == "info":
            ordinary.append(column)
            continue
        metric, score, rest = v["metric"], v["score"], v["rest_score"]
        score_text = f"{score_words(metric, score)}, where {chance_words(metric)}"
        note = _sample_note(ctx)
        name = " Its name also sounds like something recorded after the outcome." if v["name_hint"] else ""
        action = ""
        if v["is_id"]:
            seen = (f"{q(column)} is an ID, yet on its own it predicts {q(ctx.target)} ({score_text}){note}. The rows "
                    "were probably numbered or sorted by outcome, or one ID repeats with the same answer.")
            suggestion = (f"{q(column)} stays switched off as an ID. Make sure new rows are numbered the same way as "
                          "old ones, or that the order carries no meaning.")
        elif v["severity"] == "critical":
            seen = (f"On its own, {q(column)} predicts {q(ctx.target)} almost perfectly ({score_text}){note}, while "
                    f"all the other columns together reach only {metric} {rest:.2f}. A single column this telling "
                    "usually gives the answer away: it is recorded after the outcome, so a model would look great in "
                    f"the trial and fail in real use.{name}")
            suggestion = _switch_off_words(column)
            action = EXCLUDED
        elif v["alone"]:
            seen = (f"On its own, {q(column)} predicts {q(ctx.target)} very well ({score_text}){note}, much better "
                    f"than all the other columns together ({metric} {rest:.2f}). That is suspicious for a single "
                    f"column.{name}")
            suggestion = (f"Check that {q(column)} is known before the outcome. If it is filled in afterwards, "
                          "switch it off.")
        else:
            seen = (f"On its own, {q(column)} predicts {q(ctx.target)} almost perfectly ({score_text}){note}. The "
                    f"other columns together do nearly as well ({metric} {rest:.2f}), so this looks like a strong "
                    f"signal rather than a lone leak, and FairTrial kept it.{name}")
            suggestion = (f"Check that {q(column)} is known before the outcome (measured before, not recorded "
                          "after). If it is filled in afterwards, switch it off.")
        details = {"score": score, "metric": metric, "chance": v["chance"], "rest_score": rest,
                   "full_score": v["full_score"], "alone": v["alone"], "post_outcome_name": v["name_hint"],
                   **_sampling(ctx)}
        if action:
            details["reason"] = f"gives the answer away ({metric} {score:.2f} on its own)"
        out.append(Finding(
            check="leakage", severity=v["severity"], columns=(column,),
            title="Gives the answer away" if action else "Predicts the target on its own",
            message=seen, suggestion=suggestion, details=plain(details), action=action,
        ))
    if ordinary:
        ordinary.sort(key=lambda c: -verdicts[c]["score"])
        metric = verdicts[ordinary[0]]["metric"]
        scores = [verdicts[c]["score"] for c in ordinary]
        rest = max(verdicts[c]["rest_score"] for c in ordinary)
        span = f"{metric} {min(scores):.2f}"
        if len(ordinary) > 1:
            span += f" to {max(scores):.2f}"
        who = f"{q(ordinary[0])} predicts" if len(ordinary) == 1 else f"{len(ordinary)} columns each predict"
        out.append(Finding(
            check="leakage", severity="info", columns=tuple(ordinary), title="Strong, ordinary signals",
            message=(f"On their own, {who} {q(ctx.target)} well ({span}){_sample_note(ctx)}, but the other "
                     f"columns together do as well or better ({metric} {rest:.2f}): strong, ordinary signals rather "
                     f"than a leak. Among them: {names(ordinary, 5)}."),
            suggestion="Nothing to do, as long as these are known before the outcome.",
            details=plain({"metric": metric, "scores": {c: verdicts[c]["score"] for c in ordinary},
                           "rest_scores": {c: verdicts[c]["rest_score"] for c in ordinary}, **_sampling(ctx)}),
        ))
    return out


def check_post_outcome_name(ctx: CheckContext) -> list[Finding]:
    out = []
    flagged = {c for f in ctx.findings if f.check in ("leakage", "missingness_leakage", "target_copy")
               for c in f.columns}
    excluded = ctx.excluded_by()
    for column in ctx.candidates():
        if column in flagged or column in excluded or not post_outcome_name(column):
            continue
        out.append(Finding(
            check="post_outcome_name", severity="warning", columns=(column,), title="Name sounds like an outcome",
            message=(f"{q(column)} sounds like something recorded after the outcome (a status, a result, a "
                     "cancellation or a refund). Such fields are not known when a prediction is needed; a model that "
                     "uses them looks better in the trial than it will be."),
            suggestion=(f"Check when {q(column)} is filled in. If only after the outcome, switch it off; if before, "
                        "ignore this hint."),
            details=plain({"hint": "name", "score": column_score(ctx, column) if column in _leak_candidates(ctx)
                           else None}),
        ))
    return out


# --------------------------------------------------------------------------------------
# Data for the "column against target" chart
# --------------------------------------------------------------------------------------
_MAX_BUCKETS = 12


def _position_label(i: int, n: int) -> str:
    lo, hi = round(100 * i / n), round(100 * (i + 1) / n)
    return f"{lo}-{hi}% in sorted order"


def column_vs_target(frame: pd.DataFrame, column: str, target: str, *, kind: str | None = None,
                     task: str | None = None, bins: int = 10, show_values: bool = True) -> list[dict]:
    """How the target behaves across a column's values: one row per bucket.

    Buckets: 'empty' and 'filled' when the column has empty cells and few values; equal-count
    ranges for numbers; the most common categories; for IDs, free text, or when
    ``show_values`` is False, tenths of the rows in sorted order (no value is shown). Each row
    holds ``bucket``, ``rows`` and, for classes, ``shares`` (answer -> share of the bucket's
    rows), for numbers ``mean``.
    """
    from ..task import class_labels, detect_task

    data = frame[[column, target]].dropna(subset=[target])
    values, y = data[column], data[target]
    info = detect_task(y, target, override=task)
    kind = kind or ("number" if pd.api.types.is_numeric_dtype(values) else "category")
    numbers = None
    if kind in ("number", "date") or pd.api.types.is_datetime64_any_dtype(values):
        from ._scoring import numbers_of

        numbers = numbers_of(values, kind)
    empty = values.isna().to_numpy()
    bucket = np.empty(len(values), dtype=object)
    order: list[str] = []
    n_distinct = int(values.nunique())
    if numbers is not None and n_distinct > bins:
        filled = ~np.isnan(numbers)
        edges = np.unique(np.nanquantile(numbers, np.linspace(0, 1, bins + 1)))
        idx = np.clip(np.searchsorted(edges, numbers, side="right") - 1, 0, max(len(edges) - 2, 0))
        for i in range(max(len(edges) - 1, 1)):
            lo, hi = edges[i], edges[min(i + 1, len(edges) - 1)]
            label = f"{lo:,.4g} to {hi:,.4g}"
            bucket[filled & (idx == i)] = label
            order.append(label)
    elif show_values and n_distinct <= _MAX_BUCKETS:
        text = values.astype(str)
        counts = text[~empty].value_counts()
        order = [str(v) for v in counts.index]
        bucket[~empty] = text[~empty].to_numpy()
    else:
        filled_positions = np.flatnonzero(~empty)
        ranks = values.iloc[filled_positions].rank(method="first").to_numpy() - 1
        tenths = np.minimum((ranks * bins / max(len(ranks), 1)).astype(int), bins - 1)
        order = [_position_label(i, bins) for i in range(bins)]
        bucket[filled_positions] = [order[t] for t in tenths]
    if empty.any():
        bucket[empty] = "(empty)"
        order.append("(empty)")
    table = pd.DataFrame({"bucket": bucket, "y": y.to_numpy()})
    out = []
    for label in order:
        part = table["y"][table["bucket"] == label]
        if part.empty:
            continue
        row: dict = {"bucket": label, "rows": int(len(part))}
        if info.task == "numeric":
            row["mean"] = float(pd.to_numeric(part).mean())
        else:
            shares = class_labels(part).value_counts(normalize=True)
            row["shares"] = {c: float(shares.get(c, 0.0)) for c in info.classes}
        out.append(row)
    return out
