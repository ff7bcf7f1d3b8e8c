"""Leakage: columns that give the answer away, copies of the target, post-outcome names (IDs: ``ids.py``).

How a column is judged (settings in brackets):
1. Its one-column score: a shallow tree (``leakage_tree_depth``) on the column plus an "is
   empty" indicator, out-of-fold on at most ``leakage_sample_rows`` rows (see ``_scoring``).
   With more than two answers the same tree also gives each answer's one-vs-rest AUC: a
   column can give one answer away while its average over all answers looks ordinary.
2. Critical (excluded; the user can switch it back on) only on evidence that the value is
   known only after the outcome:
   - near-perfect on its own: a score at or above ``leakage_auc_critical`` /
     ``leakage_r2_critical`` (with more than two answers: for every answer against the rest);
   - a post-outcome name (``post_outcome_name``) together with a score at or above the warning
     line (with more than two answers, also: one answer's AUC at the critical line);
   - a placeholder (``placeholder``): one value, or nothing, on at least
     ``leakage_placeholder_share`` of the rows of some answers and real values for the others,
     together with a score at or above the warning line (with more than two answers: the AUC
     of the answer it separates at the critical line);
   - telling emptiness (step 5) together with a score at the critical line.
   Being the best column, or better than all the others together, is never enough.
3. A column at or above the warning line whose name contains the target's name
   (``target_named``: 'nfatal' or 'fatal1820' for 'fatal', 'price_per_sqft' for 'price') is a
   warning: it may be a part, a share or a recount of the answer, known only with it, or an
   earlier value of the target (a lag, legitimate). Only the user knows which; it stays in.
4. Otherwise a column at or above the warning line (``leakage_auc_warning`` /
   ``leakage_r2_warning``; with more than two answers, also one answer at the critical line)
   is compared with all the other columns together (a small gradient-boosting model; for one
   answer, on that answer's AUC). When it makes fewer than ``leakage_alone_error_ratio`` times
   their mistakes it knows something the rest of the table does not: a warning the user
   decides, and the column stays in. Otherwise many columns carry the same signal
   (measurements of a tumour for a diagnosis, petals for an iris): info.
5. Leakage through missingness: normalised mutual information between "is empty" and the
   target at or above ``missingness_nmi_warning`` is at least a warning. One column gets one
   finding: ``missingness_leakage`` when emptiness carries the signal, ``leakage`` otherwise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import settings
from ..findings import Finding
from ._context import EXCLUDED, CheckContext
from ._names import tokens
from ._scoring import category_codes, encode_column, model_matrix, model_scores, single_column_scores
from ._stats import contingency, cramers_v, normalized_mutual_information
from ._words import chance_words, count, names, pct, plain, q, score_words, value_text

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


def target_named(column: str, target: str) -> bool:
    """True when a column's name contains the target's name: every word of the target (of at
    least ``leakage_target_name_chars`` letters in all) inside a word of the column, as 'fatal'
    in 'nfatal' and 'fatal1517', 'price' in 'price_per_sqft' (never the target itself)."""
    target_words, words = tokens(target), tokens(column)
    if not target_words or words == target_words:
        return False
    if sum(len(w) for w in target_words) < int(settings.get("leakage_target_name_chars")):
        return False
    return all(any(t in w for w in words) for t in target_words)


def leak_thresholds(ctx: CheckContext) -> tuple[float, float, str, float]:
    if ctx.is_class:
        return (float(settings.get("leakage_auc_warning")), float(settings.get("leakage_auc_critical")), "AUC", 0.5)
    return (float(settings.get("leakage_r2_warning")), float(settings.get("leakage_r2_critical")), "R²", 0.0)


# --------------------------------------------------------------------------------------
# Shared work: one-column scores, all-column scores, missingness
# --------------------------------------------------------------------------------------
def column_scores(ctx: CheckContext, column: str) -> tuple[float, np.ndarray | None]:
    """Out-of-fold one-column score (AUC or R²) on the sampled rows and, with more than two
    answers, each answer's one-vs-rest AUC (indexed by class code); memoised."""

    def compute() -> tuple[float, np.ndarray | None]:
        rows_, goal = ctx.target_goal()
        encoded = encode_column(ctx.frame[column].iloc[rows_], ctx.kind(column))
        return single_column_scores(encoded, goal, int(settings.get("leakage_tree_depth")), ctx.seed)

    return ctx.memo(("column_scores", column), compute)


def column_score(ctx: CheckContext, column: str) -> float:
    """Out-of-fold one-column score (AUC or R²) on the sampled rows; memoised."""
    return column_scores(ctx, column)[0]


def columns_scores(ctx: CheckContext, columns: list[str]) -> tuple[float, np.ndarray | None]:
    """Out-of-fold score of a small gradient-boosting model on these columns, and its per-answer
    AUCs with more than two answers; memoised."""
    key = ("columns_scores", tuple(sorted(columns)))

    def compute() -> tuple[float, np.ndarray | None]:
        rows_, goal = ctx.memo("model_goal", lambda: _model_goal(ctx))
        matrix, categorical = model_matrix(ctx.frame[list(columns)].iloc[rows_], ctx.kinds)
        return model_scores(matrix, categorical, goal, ctx.seed)

    return ctx.memo(key, compute)


def columns_score(ctx: CheckContext, columns: list[str]) -> float:
    """Out-of-fold score of a small gradient-boosting model on these columns; memoised."""
    return columns_scores(ctx, columns)[0]


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


def placeholder(ctx: CheckContext, column: str) -> dict | None:
    """The pattern of a field filled in only once the outcome is known: the column holds one
    value, or nothing, on at least ``leakage_placeholder_share`` of the rows of some answers
    (``held_by``), while for every other answer (``filled_for``) it holds real values: that value
    on at most half of their rows and at least 3 different values besides. Answers, not
    codes; ``value`` is None when the held value is emptiness. None for number targets."""
    if ctx.y_codes is None:
        return None

    def compute() -> dict | None:
        limit = float(settings.get("leakage_placeholder_share"))
        min_rows = int(settings.get("leakage_placeholder_min_rows"))
        rows_, goal = ctx.target_goal()
        values = ctx.frame[column].iloc[rows_]
        raw, n_values = category_codes(values)
        codes = np.where(raw < 0, n_values, raw)  # emptiness is a value of its own
        k = goal.n_classes
        table = np.bincount(codes * k + goal.y, minlength=(n_values + 1) * k).reshape(n_values + 1, k)
        sizes = table.sum(axis=0)
        present = sizes > 0
        share = table / np.maximum(sizes, 1)
        for v in np.flatnonzero((share[:, present] >= limit).any(axis=1)):
            held = present & (share[v] >= limit)
            filled = present & (share[v] <= 0.5)
            if not (held | filled)[present].all() or not filled.any() or table[v, held].sum() < min_rows:
                continue
            real = np.isin(goal.y, np.flatnonzero(filled)) & (codes != v)
            if np.unique(codes[real]).size < 3:
                continue  # a flag, not a measurement: copies of the target are judged elsewhere
            value = None if v == n_values else values.iloc[int(np.flatnonzero(codes == v)[0])]
            return {"value": value, "held_by": [ctx.classes[j] for j in np.flatnonzero(held)],
                    "filled_for": [ctx.classes[j] for j in np.flatnonzero(filled)],
                    "held_share": {ctx.classes[j]: float(share[v, j]) for j in np.flatnonzero(present)},
                    "codes": (np.flatnonzero(held).tolist(), np.flatnonzero(filled).tolist())}
        return None

    return ctx.memo(("placeholder", column), compute)


def assess(ctx: CheckContext) -> dict[str, dict]:
    """The leakage verdict for every column at or above the warning level, or with telling emptiness."""
    return ctx.memo("leak_assessment", lambda: _assess(ctx))


def _error(score: float) -> float:
    return 1.0 - score


def _top_class(per_class: np.ndarray | None) -> tuple[int, float] | None:
    """The answer a column tells best (class code, its one-vs-rest AUC); None with two answers or numbers."""
    if per_class is None or np.all(np.isnan(per_class)):
        return None
    k = int(np.nanargmax(per_class))
    return k, float(per_class[k])


def _evidence(ctx: CheckContext, column: str, score: float, per_class: np.ndarray | None,
              telling_empty: bool) -> tuple[list[str], int | None, dict | None]:
    """Evidence that a column is known only after the outcome (empty: none), the class code the
    verdict is about (more than two answers only), and the placeholder pattern if any."""
    warn, crit, _, _ = leak_thresholds(ctx)
    name = post_outcome_name(column)
    evidence: list[str] = []
    if per_class is None:  # two answers, or a number target
        if score >= crit:
            evidence.append("near_perfect")
        if name and score >= warn:
            evidence.append("post_outcome_name")
        sign = placeholder(ctx, column) if score >= warn else None
        if sign:
            evidence.append("placeholder")
        return evidence, None, sign
    top = _top_class(per_class)
    focus = top[0] if top and top[1] >= crit else None
    if np.nanmin(per_class) >= crit:
        evidence.append("near_perfect")
    if name and (score >= warn or focus is not None):
        evidence.append("post_outcome_name")
    sign = placeholder(ctx, column) if focus is not None or score >= warn else None
    if sign:
        held, filled = sign["codes"]
        sides = [side for side in (filled, held) if len(side) == 1] or [held + filled]
        separated = max((j for side in sides for j in side), key=lambda j: np.nan_to_num(per_class[j]))
        if np.nan_to_num(per_class[separated]) >= crit:
            evidence.append("placeholder")
            focus = separated
        else:
            sign = None
    if telling_empty and score >= crit and "near_perfect" not in evidence:
        evidence.append("telling_empty")
    return evidence, focus, sign


def _assess(ctx: CheckContext) -> dict[str, dict]:
    warn, crit, metric, chance = leak_thresholds(ctx)
    ratio = float(settings.get("leakage_alone_error_ratio"))
    nmi_warn = float(settings.get("missingness_nmi_warning"))
    ids = set(ctx.excluded_by(("id_like",)))
    candidates = _leak_candidates(ctx)
    scored = {c: column_scores(ctx, c) for c in candidates}
    empty = missingness(ctx)

    def strong(column: str) -> bool:
        score, per_class = scored[column]
        top = _top_class(per_class)
        return score >= warn or (top is not None and top[1] >= crit)

    # First the columns with evidence of leakage (no comparison needed), then the strong rest,
    # each compared with the other columns; a leaking column no longer counts among "the other
    # columns" that could replace a later one.
    verdicts: dict[str, dict] = {}
    for column in candidates:
        score, per_class = scored[column]
        telling_empty = empty.get(column, {}).get("nmi", 0.0) >= nmi_warn
        if not strong(column) and not telling_empty:
            continue
        verdict: dict = {"score": score, "metric": metric, "chance": chance, "missing": empty.get(column, {}),
                         "telling_empty": telling_empty, "is_id": column in ids,
                         "name_hint": post_outcome_name(column), "target_named": target_named(column, ctx.target),
                         "rest_score": None, "full_score": None,
                         "alone": None, "evidence": [], "focus": None, "placeholder": None, "severity": None,
                         "per_class": None if per_class is None else
                         {ctx.classes[j]: float(a) for j, a in enumerate(per_class) if np.isfinite(a)}}
        if column in ids:
            # Already left out as an ID. One label per row predicting the outcome: the row order is linked
            # to it (a warning). A label shared by several rows (a customer, a state in a panel) predicting
            # it: rows of one unit have similar outcomes, the very reason they are kept together (info).
            verdict["shared_id"] = _shared_id(ctx, column)
            verdict["severity"] = "info" if verdict["shared_id"] and not telling_empty else "warning"
        else:
            evidence, focus, sign = _evidence(ctx, column, score, per_class, telling_empty)
            verdict.update(evidence=evidence, focus=focus, placeholder=sign)
            if evidence:
                verdict["severity"] = "critical"
            elif verdict["target_named"] and strong(column):
                verdict["severity"] = "warning"  # a part or a recount of the answer, or an earlier value of it
        verdicts[column] = verdict
    gone = {c for c, v in verdicts.items() if v["severity"] == "critical"}
    strong_rest = [c for c in candidates if c not in gone and c not in ids and strong(c)]
    model_columns = [c for c in ctx.model_columns() if c not in gone]
    refits_left = [3]  # all-but-one models are fitted for at most this many strong columns
    for column in gone:  # for the words: the best honest column on its own (free: already scored)
        focus = verdicts[column]["focus"]
        verdicts[column]["best_other"] = max(
            (scored[c][0] if focus is None else float(np.nan_to_num(scored[c][1][focus], nan=chance))
             for c in candidates if c not in gone and c not in ids), default=None)

    for column in sorted(verdicts, key=lambda c: -scored[c][0]):
        verdict = verdicts[column]
        if verdict["severity"] is not None:
            continue
        if not strong(column):
            verdict["severity"] = "warning"  # telling emptiness, ordinary one-column score
            continue
        top = _top_class(scored[column][1])
        focus = top[0] if top is not None and top[1] >= crit else None

        def pick(pair: tuple[float, np.ndarray | None]) -> float:
            return pair[0] if focus is None else float(np.nan_to_num(pair[1][focus], nan=chance))

        own = pick(scored[column])
        others = [c for c in model_columns if c != column]
        # What the other columns reach together, cheapest bound first: the best other strong
        # column alone, or the model without any strong column. Only when the column still
        # looks alone is the model on all other columns fitted (for at most 3 columns).
        best_other = max((pick(scored[c]) for c in strong_rest if c != column), default=chance)
        rest = max(best_other, pick(columns_scores(ctx, [c for c in others if c not in strong_rest])))
        alone = _error(own) < ratio * _error(rest)
        if alone and len(strong_rest) > 1 and refits_left[0] > 0:
            refits_left[0] -= 1
            rest = max(rest, pick(columns_scores(ctx, others)))
            alone = _error(own) < ratio * _error(rest)
        verdict.update(rest_score=rest, alone=alone, focus=focus,
                       severity="warning" if alone or verdict["telling_empty"] else "info")
    return {c: verdicts[c] for c in candidates if c in verdicts}


def _shared_id(ctx: CheckContext, column: str) -> bool:
    filled = int(ctx.frame[column].notna().sum())
    return bool(filled) and ctx.nunique(column) / filled < 0.999


def sampling_info(ctx: CheckContext) -> dict:
    rows_, goal = ctx.target_goal()
    return {"sampled_rows": int(len(rows_)), "rows": ctx.n_rows, "sampled": bool(len(rows_) < ctx.n_rows),
            "folds": len(goal.splits), "tree_depth": int(settings.get("leakage_tree_depth")),
            "seed": ctx.seed}


def _sample_note(ctx: CheckContext) -> str:
    info = sampling_info(ctx)
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


def _answers(labels: list) -> str:
    quoted = [q(x) for x in labels]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _how_well(ctx: CheckContext, v: dict) -> str:
    """'predicts 'card' almost perfectly (AUC 0.99 out of 1.00, where 0.50 is guessing)', or for one
    answer 'gives away 'positive' almost perfectly (AUC 0.99 for 'positive' against the rest, ...)'."""
    crit = leak_thresholds(ctx)[1]
    metric, score = v["metric"], v["score"]
    if v["focus"] is not None:
        label = ctx.classes[v["focus"]]
        value = v["per_class"][label]
        adverb = "almost perfectly" if value >= crit else "strongly"
        return (f"gives away {q(label)} {adverb} ({metric} {value:.2f} for {q(label)} against the rest, where 0.50 is "
                f"guessing; {score:.2f} averaged over all answers)")
    adverb = "almost perfectly" if score >= crit else "strongly"
    every = ""
    if v["per_class"] and "near_perfect" in v["evidence"]:
        every = f"; at least {min(v['per_class'].values()):.2f} for every answer against the rest"
    return f"predicts {q(ctx.target)} {adverb} ({score_words(metric, score)}, where {chance_words(metric)}{every})"


def _placeholder_words(ctx: CheckContext, column: str, sign: dict, why: bool = True) -> str:
    filled = "real values"
    if sign["value"] is None:
        held, filled = "is empty", "is filled in"
    elif isinstance(sign["value"], (int, float, np.number)) and not isinstance(sign["value"], bool):
        held = f"holds the same value ({sign['value']:,.6g})"
    else:
        held = f"holds the same value ({q(value_text(sign['value']))})"
    nearly = "every" if min(sign["held_share"][c] for c in sign["held_by"]) >= 1.0 else "nearly every"
    seen = (f"{q(column)} {held} for {nearly} row where {q(ctx.target)} is {_answers(sign['held_by'])} but "
            f"{filled} where it is {_answers(sign['filled_for'])}")
    return seen + (": the pattern of a field filled in only once the outcome is known" if why else "")


def _evidence_words(ctx: CheckContext, column: str, v: dict) -> str:
    """Why a column was switched off, in sentences (empty for a column without evidence)."""
    out = []
    if "near_perfect" in v["evidence"]:
        out.append("A single column this telling usually gives the answer away: it is recorded after the outcome.")
    if "placeholder" in v["evidence"] and v["placeholder"]["value"] is not None:
        out.append(_placeholder_words(ctx, column, v["placeholder"]) + ".")
    if "post_outcome_name" in v["evidence"]:
        out.append(f"Its name {'also ' if out else ''}sounds like something recorded after the outcome (a result, a "
                   "status, a cancellation or a refund).")
    return " ".join(out)


def _rest_words(ctx: CheckContext, v: dict) -> str:
    """', while the best of the other columns reaches only AUC 0.62 on its own' (for the answer in focus)."""
    best = v.get("best_other")
    if best is None:
        return ""
    own = v["score"] if v["focus"] is None else v["per_class"][ctx.classes[v["focus"]]]
    only = "only " if best < own - 0.05 else ""
    against = "" if v["focus"] is None else f" for {q(ctx.classes[v['focus']])}"
    return f", while the best of the other columns reaches {only}{v['metric']} {best:.2f}{against} on its own"


def _details(ctx: CheckContext, v: dict) -> dict:
    details = {"score": v["score"], "metric": v["metric"], "chance": v["chance"], "rest_score": v["rest_score"],
               "full_score": v["full_score"], "alone": v["alone"], "post_outcome_name": v["name_hint"],
               "named_like_target": v["target_named"],
               "evidence": list(v["evidence"]), **sampling_info(ctx)}
    if "best_other" in v:
        details["best_other_score"] = v["best_other"]
    if v["per_class"] is not None:
        details["per_class"] = v["per_class"]
        if v["focus"] is not None:
            details["class"] = ctx.classes[v["focus"]]
            details["class_score"] = v["per_class"][ctx.classes[v["focus"]]]
    if v["placeholder"]:
        sign = v["placeholder"]
        details["placeholder"] = {"empty": sign["value"] is None, "held_by": sign["held_by"],
                                  "filled_for": sign["filled_for"], "held_share": sign["held_share"]}
    return details


def _reason(v: dict, ctx: CheckContext) -> str:
    if v["focus"] is not None:
        label = ctx.classes[v["focus"]]
        return f"gives away {q(label)} ({v['metric']} {v['per_class'][label]:.2f} for {q(label)} against the rest)"
    return f"gives the answer away ({v['metric']} {v['score']:.2f} on its own)"


def check_missingness_leakage(ctx: CheckContext) -> list[Finding]:
    out = []
    for column, v in assess(ctx).items():
        if not v["telling_empty"]:
            continue
        miss = v["missing"]
        if v["severity"] == "critical":
            extra = _evidence_words(ctx, column, {**v, "evidence": [e for e in v["evidence"] if e != "near_perfect"]})
            sign = v["placeholder"]
            emptiness = (_placeholder_words(ctx, column, sign, why=False)
                         if sign and sign["value"] is None and len(ctx.classes) > 2 else _empty_words(ctx, column, miss))
            seen = (f"{emptiness}, so whether it is filled in gives the answer away: on its own "
                    f"it {_how_well(ctx, v)}{_sample_note(ctx)}. {extra + ' ' if extra else ''}A field that is only "
                    "filled in once the outcome is known will be empty when you need a prediction, so a model "
                    "trained with it looks great in the trial and fails in real use.")
            suggestion = _switch_off_words(column)
            action = EXCLUDED
        else:
            score_text = f"{score_words(v['metric'], v['score'])}, where {chance_words(v['metric'])}"
            seen = (f"{_empty_words(ctx, column, miss)}, so whether it is empty tells a lot about the answer "
                    f"(normalised mutual information {miss['nmi']:.2f}; on its own the column scores {score_text})"
                    f"{_sample_note(ctx)}. If it is filled in only after the outcome, a model will lean on it in the "
                    "trial and fail in real use.")
            suggestion = f"Check when {q(column)} gets filled in. If only after the outcome is known, switch it off."
            action = ""
        details = {"nmi": miss["nmi"], "empty_share": miss["empty_share"], **_details(ctx, v)}
        for key in ("empty_share_by_answer", "mean_when_empty", "mean_when_filled"):
            if key in miss:
                details[key] = miss[key]
        if action:
            details["reason"] = f"filled in only for some outcomes: {_reason(v, ctx)}"
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
        if v["severity"] == "info" and v.get("shared_id"):
            score_text = f"{score_words(v['metric'], v['score'])}, where {chance_words(v['metric'])}"
            out.append(Finding(
                check="leakage", severity="info", columns=(column,), title="Rows of one ID have similar answers",
                message=(f"On its own, {q(column)} predicts {q(ctx.target)} ({score_text}){_sample_note(ctx)}: rows "
                         f"with the same {q(column)} have similar answers. That is why FairTrial keeps each "
                         f"{q(column)} on one side of every split: a model tested on a {q(column)} it has already "
                         "seen would look better than it will on a new one."),
                suggestion=f"Nothing to do. {q(column)} stays switched off as an ID and keeps its rows together.",
                details=plain({**_details(ctx, v), "shared_id": True})))
            continue
        if v["severity"] == "info":
            ordinary.append(column)
            continue
        metric, rest = v["metric"], v["rest_score"]
        note = _sample_note(ctx)
        action = ""
        if v["is_id"]:
            score_text = f"{score_words(metric, v['score'])}, where {chance_words(metric)}"
            seen = (f"{q(column)} is an ID, yet on its own it predicts {q(ctx.target)} ({score_text}){note}. The rows "
                    "were probably numbered or sorted by outcome, or one ID repeats with the same answer.")
            suggestion = (f"{q(column)} stays switched off as an ID. Make sure new rows are numbered the same way as "
                          "old ones, or that the order carries no meaning.")
        elif v["severity"] == "warning" and v["target_named"] and v["rest_score"] is None:
            seen = (f"{q(column)} is named like the target {q(ctx.target)} and on its own {_how_well(ctx, v)}{note}. "
                    f"It may be a part, a share or a recount of {q(ctx.target)} (a subtotal, or the same thing counted "
                    "another way), known only once the answer is: then a model trained with it looks great in the "
                    "trial and fails in real use. If it is an earlier value of the target (last period's figure), it "
                    "is known in time and is an honest, strong signal. FairTrial kept it: only you know which.")
            suggestion = (f"Check what {q(column)} counts. If it is part of {q(ctx.target)} or recorded with it, "
                          "switch it off; if it is known before the outcome, keep it.")
        elif v["severity"] == "critical":
            seen = (f"On its own, {q(column)} {_how_well(ctx, v)}{note}{_rest_words(ctx, v)}. "
                    f"{_evidence_words(ctx, column, v)} A model "
                    "trained with it would look great in the trial and fail in real use, because the value is not "
                    "there yet when a prediction is needed.")
            suggestion = _switch_off_words(column)
            action = EXCLUDED
        else:
            against = "" if v["focus"] is None else f" for {q(ctx.classes[v['focus']])}"
            seen = (f"On its own, {q(column)} {_how_well(ctx, v)}{note}, much better than all the other columns "
                    f"together ({metric} {rest:.2f}{against}). Strong — check whether this value is known before the "
                    "outcome; if it is recorded afterwards, switch it off. Being the strongest column is no proof of a "
                    "leak, so FairTrial kept it.")
            suggestion = (f"Check whether {q(column)} is known before the outcome. If it is recorded afterwards, switch "
                          "it off; if it is known before, keep it: it is a strong, honest signal.")
        details = _details(ctx, v)
        if action:
            details["reason"] = _reason(v, ctx)
        out.append(Finding(
            check="leakage", severity=v["severity"], columns=(column,),
            title="Gives the answer away" if action else "Predicts the target strongly on its own",
            message=seen, suggestion=suggestion, details=plain(details), action=action,
        ))
    if ordinary:
        ordinary.sort(key=lambda c: -verdicts[c]["score"])
        metric = verdicts[ordinary[0]]["metric"]
        scores = [verdicts[c]["score"] for c in ordinary]
        overall = [c for c in ordinary if verdicts[c]["focus"] is None]
        rest = max(verdicts[c]["rest_score"] for c in overall or ordinary)
        by_answer = "" if overall else " for the answers these columns tell best"
        one_answer = ""
        focused = [c for c in ordinary if verdicts[c]["focus"] is not None]
        if focused:
            sets = "; ".join(f"{q(c)} for {q(ctx.classes[verdicts[c]['focus']])}" for c in focused[:5])
            one_answer = (f" Some of them set one answer apart almost perfectly ({sets}), and so do the other "
                          "columns together: that answer is simply easy to recognise.")
        span = f"{metric} {min(scores):.2f}"
        if f"{max(scores):.2f}" != f"{min(scores):.2f}":
            span += f" to {max(scores):.2f}"
        who = f"{q(ordinary[0])} predicts" if len(ordinary) == 1 else f"{len(ordinary)} columns each predict"
        out.append(Finding(
            check="leakage", severity="info", columns=tuple(ordinary), title="Strong, ordinary signals",
            message=(f"On their own, {who} {q(ctx.target)} well ({span}){_sample_note(ctx)}, but the other "
                     f"columns together do as well or better ({metric} {rest:.2f}{by_answer}): strong, ordinary "
                     f"signals rather than a leak. Among them: {names(ordinary, 5)}.{one_answer}"),
            suggestion="Nothing to do, as long as these are known before the outcome.",
            details=plain({"metric": metric, "scores": {c: verdicts[c]["score"] for c in ordinary},
                           "rest_scores": {c: verdicts[c]["rest_score"] for c in ordinary},
                           "classes": {c: ctx.classes[verdicts[c]["focus"]] for c in focused}, **sampling_info(ctx)}),
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
