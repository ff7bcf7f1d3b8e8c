"""Per-group results after training: whom does each recipe serve worse?

Definitions follow fairlearn (computed here, fairlearn is not a dependency). For a binary
target, "selected" means "predicted the positive label":

- selection rate: share of a group predicted positive;
- demographic parity difference: largest minus smallest selection rate across the judged
  groups; demographic parity ratio: smallest ÷ largest (the four-fifths screening rule asks
  for at least 0.8);
- true positive rate (TPR): share predicted positive among rows truly positive; false
  positive rate (FPR): share predicted positive among rows truly negative;
- equal opportunity difference: the TPR gap; equalized odds difference: the larger of the
  TPR gap and the FPR gap.

Multiclass targets have no single "yes": the selection rate is the rate of the most common
predicted class (named in ``rate_of`` and in the first summary sentence); TPR/FPR and
equalized odds are not computed; accuracy per group is. Number targets use the mean
absolute error (MAE, "mean_error") and the mean signed error per group.

Uncertainty:
- rates carry Wilson 95% intervals; the MAE per group a bootstrap 95% interval;
- gaps and differences carry stratified bootstrap 95% intervals (``group_bootstrap_rounds``
  resamples, seeded): the percentile interval of the difference between the two groups
  seen highest and lowest, as an interval for its size (see ``_spread``). Resampling
  within each group and true class makes every count binomial (multinomial for several
  classes), so the bootstrap is drawn straight from those distributions: exact, and fast
  at any size;
- per-group performance: relative drop of a group's accuracy (rise of its MAE) vs overall,
  with a bootstrap interval and a one-sided bootstrap p-value, Benjamini–Hochberg at
  ``group_fdr_q`` across the judged groups; a group is flagged when the drop is above
  ``group_drop_warning`` and significant.

Groups with fewer than ``min_group_rows`` rows are not judged ("too few to judge"); groups
with fewer than ``low_confidence_group_rows`` carry a low-confidence note. Everything
returned is JSON-serialisable and holds no NaN (missing numbers are ``None``).
"""

from __future__ import annotations

import math
import re
import zlib
from typing import Any

import numpy as np
import pandas as pd

from . import fairness_words as W
from . import settings
from .findings import Finding
from .kinds import infer_kind
from .checks._scoring import encode_column, make_goal, single_column_score
from .checks._stats import cramers_v
from .stats import wilson_interval
from .task import _positive_class, class_labels

__all__ = ["band_numeric", "compare_groups", "group_results", "proxy_columns"]

TASKS = ("binary", "multiclass", "numeric")
CHECK_IDS = ("demographic_parity", "four_fifths", "equalized_odds", "group_performance", "group_size")

AGE_EDGES = (25, 35, 45, 55, 65)
AGE_BANDS = ("under 25", "25–34", "35–44", "45–54", "55–64", "65 and over")
_AGE_NAME = re.compile(
    r"(^|[^a-z])(age|ages|aged|alter|âge|edad|età|leeftijd|idade|wiek|ålder|alder|ikä)([^a-z]|$)", re.IGNORECASE,
)
# A number column with at most this many distinct values is used as it is (e.g. 0/1 codes).
_MAX_DISTINCT_UNBANDED = 10
_MAX_QUANTILE_BANDS = 4
_EPS = 1e-9


# =====================================================================================================
# banding numbers into readable groups
# =====================================================================================================
def band_numeric(values: pd.Series, name: str) -> pd.Series:
    """A number column as readable bands, an ordered categorical with the same index.

    Ages (a name like 'age', values 0–120) get the usual bands "under 25", "25–34", ...,
    "65 and over"; other numbers get up to four quantile bands with edges rounded to two
    significant digits ("under 30,000", "30,000–44,999", "45,000 and over"). A band
    includes its lower edge. Empty values stay empty (NaN); unused bands are dropped.
    """
    banded, _ = _band(values, name)
    return banded


def _band(values: pd.Series, name: str) -> tuple[pd.Series, str]:
    nums = pd.to_numeric(pd.Series(values), errors="coerce").astype(float)
    nonnull = nums.dropna()
    if _is_age(name, nonnull):
        edges, labels, kind = list(AGE_EDGES), list(AGE_BANDS), "age"
    else:
        edges, labels = _quantile_bands(nonnull)
        kind = "number"
    arr = nums.to_numpy()
    codes = np.searchsorted(np.asarray(edges, dtype=float), arr, side="right")
    codes = np.where(np.isnan(arr), -1, codes)
    cat = pd.Categorical.from_codes(codes, categories=labels, ordered=True).remove_unused_categories()
    return pd.Series(cat, index=nums.index, name=getattr(values, "name", None)), kind


def _is_age(name: str, nonnull: pd.Series) -> bool:
    if not _AGE_NAME.search(str(name)) or nonnull.empty:
        return False
    return bool(nonnull.min() >= 0 and nonnull.max() <= 120)


def _nice(x: float) -> float:
    """Round to two significant digits: 45,312 -> 45,000; 0.2534 -> 0.25."""
    if x == 0 or not math.isfinite(x):
        return float(x)
    digits = math.floor(math.log10(abs(x)))
    return float(round(x, -digits + 1))


def _edge_text(e: float) -> str:
    if float(e).is_integer():
        return f"{int(e):,}"
    return np.format_float_positional(e, trim="-")


def _quantile_bands(nonnull: pd.Series) -> tuple[list[float], list[str]]:
    if nonnull.empty:
        return [], ["(all)"]
    lo, hi = float(nonnull.min()), float(nonnull.max())
    integer = bool((nonnull % 1 == 0).all())
    k = int(min(_MAX_QUANTILE_BANDS, max(2, len(nonnull) // settings.get("min_group_rows"))))
    qs = np.quantile(nonnull.to_numpy(float), np.arange(1, k) / k)
    edges = sorted({float(math.ceil(_nice(q))) if integer else _nice(q) for q in qs})
    edges = [e for e in edges if lo < e <= hi]
    if not edges:
        return [], [_edge_text(lo) if lo == hi else f"{_edge_text(lo)}–{_edge_text(hi)}"]
    labels = [f"under {_edge_text(edges[0])}"]
    for left, right in zip(edges[:-1], edges[1:]):
        if integer:
            last = right - 1
            labels.append(_edge_text(left) if last == left else f"{_edge_text(left)}–{_edge_text(last)}")
        else:
            labels.append(f"{_edge_text(left)}–{_edge_text(right)}")
    labels.append(f"{_edge_text(edges[-1])} and over")
    return edges, labels


def _labels(values: Any) -> np.ndarray:
    """Values as text labels the way the task sees them (1.0 reads '1'), None where empty.

    Converts the distinct values only, so it stays fast on big columns.
    """
    codes, uniques = pd.factorize(pd.Series(values).reset_index(drop=True), use_na_sentinel=True)
    text = class_labels(pd.Series(uniques)).to_numpy(dtype=object)
    return np.append(text, None)[codes]


def _group_labels(sensitive: pd.Series, column: str) -> tuple[np.ndarray, list[str], str]:
    """(group of each row as text, groups in display order, banding: '' | 'age' | 'number')."""
    s = pd.Series(sensitive).reset_index(drop=True)
    numeric = pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)
    if numeric and s.nunique(dropna=True) > _MAX_DISTINCT_UNBANDED:
        banded, banding = _band(s, column)
        text = banded.astype(object).where(banded.notna(), W.MISSING_GROUP).to_numpy(dtype=object)
        present = set(text)
        order = [str(c) for c in banded.cat.categories if c in present]
    else:
        banding = ""
        lab = _labels(s)
        text = np.where(pd.isna(lab), W.MISSING_GROUP, lab)
        counts = pd.Series(text).value_counts()
        order = sorted((g for g in counts.index if g != W.MISSING_GROUP), key=lambda g: (-counts[g], str(g)))
    if W.MISSING_GROUP in set(text):
        order.append(W.MISSING_GROUP)
    return text.astype(str), order, banding


# =====================================================================================================
# small statistics (Wilson, bootstrap, Benjamini–Hochberg)
# =====================================================================================================
def _wilson(k: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Wilson 95% intervals of k successes out of n, element by element (``stats.wilson_interval``).

    NaN where n is 0.
    """
    counts = zip(np.asarray(k, dtype=float), np.asarray(n, dtype=float))
    pairs = [wilson_interval(int(round(ki)), int(round(ni))) for ki, ni in counts]
    low = np.array([lo for lo, _ in pairs], dtype=float)
    high = np.array([hi for _, hi in pairs], dtype=float)
    return low, high


def _boot_means(values: np.ndarray, rounds: int, rng: np.random.Generator) -> np.ndarray:
    """Bootstrap means of ``values``: exact resampling while small, the normal limit when large."""
    n = len(values)
    if n == 0:
        return np.full(rounds, np.nan)
    if n * rounds <= 4_000_000:
        idx = rng.integers(0, n, size=(rounds, n))
        return values[idx].mean(axis=1)
    sd = float(values.std(ddof=1)) if n > 1 else 0.0
    return float(values.mean()) + sd / math.sqrt(n) * rng.standard_normal(rounds)


def _interval(draws: np.ndarray) -> tuple[float, float]:
    draws = draws[np.isfinite(draws)]
    if draws.size == 0:
        return math.nan, math.nan
    low, high = np.quantile(draws, [0.025, 0.975])
    return float(low), float(high)


def _benjamini_hochberg(p: np.ndarray, q: float) -> np.ndarray:
    """Which hypotheses are rejected at false-discovery rate q (step-up)."""
    m = len(p)
    if m == 0:
        return np.zeros(0, dtype=bool)
    order = np.argsort(p, kind="stable")
    passed = p[order] <= q * np.arange(1, m + 1) / m
    reject = np.zeros(m, dtype=bool)
    if passed.any():
        last = int(np.nonzero(passed)[0].max())
        reject[order[: last + 1]] = True
    return reject


def _rng(seed: int, arm: str) -> np.random.Generator:
    """One stream per arm, so an arm's numbers do not depend on which other arms ran."""
    return np.random.default_rng([int(seed), zlib.crc32(str(arm).encode())])


def _spread(values: np.ndarray, draws: np.ndarray, mask: np.ndarray) -> tuple[float | None, float, float]:
    """max − min over the masked groups, with a bootstrap 95% interval; None for fewer than two groups.

    The interval is for the gap between the two groups seen highest and lowest: the
    percentile interval of their signed difference, turned into one for its size (it starts
    at 0 when the difference could go either way). A percentile interval of the max − min
    itself would sit above the estimate, since the max of noisy rates is biased upwards.
    """
    if mask.sum() < 2:
        return None, math.nan, math.nan
    idx = np.nonzero(mask)[0]
    lo, hi = idx[np.argmin(values[idx])], idx[np.argmax(values[idx])]
    point = float(values[hi] - values[lo])
    low, high = _interval(draws[:, hi] - draws[:, lo])
    if low < 0:
        low, high = 0.0, max(-low, high)
    return point, low, high


# =====================================================================================================
# per-arm computation
# =====================================================================================================
def _classification_counts(task: str, y: np.ndarray, p: np.ndarray, g: np.ndarray, n_groups: int,
                           rate_of: str, rounds: int, rng: np.random.Generator) -> dict[str, Any]:
    """Per-group rates and their bootstrap draws (rounds × groups)."""
    rows = np.bincount(g, minlength=n_groups).astype(float)
    if task == "binary":
        truly = y == rate_of
        said = p == rate_of
        pos = np.bincount(g, weights=truly, minlength=n_groups)
        neg = rows - pos
        tp = np.bincount(g, weights=truly & said, minlength=n_groups)
        fp = np.bincount(g, weights=~truly & said, minlength=n_groups)
        with np.errstate(divide="ignore", invalid="ignore"):
            tpr = np.where(pos > 0, tp / np.maximum(pos, 1), np.nan)
            fpr = np.where(neg > 0, fp / np.maximum(neg, 1), np.nan)
        tp_b = rng.binomial(pos.astype(np.int64), np.nan_to_num(tpr), size=(rounds, n_groups)).astype(float)
        fp_b = rng.binomial(neg.astype(np.int64), np.nan_to_num(fpr), size=(rounds, n_groups)).astype(float)
        correct = tp + neg - fp
        correct_b = tp_b + neg - fp_b
        with np.errstate(divide="ignore", invalid="ignore"):
            tpr_b = np.where(pos > 0, tp_b / np.maximum(pos, 1), np.nan)
            fpr_b = np.where(neg > 0, fp_b / np.maximum(neg, 1), np.nan)
        return {
            "rows": rows, "pos": pos, "neg": neg, "selected": tp + fp, "correct": correct,
            "selection_rate": (tp + fp) / rows, "accuracy": correct / rows, "tpr": tpr, "fpr": fpr,
            "tp": tp, "fp": fp, "actual_rate": pos / rows,
            "selection_rate_b": (tp_b + fp_b) / rows, "accuracy_b": correct_b / rows,
            "tpr_b": tpr_b, "fpr_b": fpr_b, "correct_b": correct_b,
        }
    # multiclass: cells (right, predicted the rate_of class) per group, drawn as a multinomial
    right = y == p
    said = p == rate_of
    cells = np.stack([np.bincount(g, weights=right & said, minlength=n_groups),
                      np.bincount(g, weights=right & ~said, minlength=n_groups),
                      np.bincount(g, weights=~right & said, minlength=n_groups),
                      np.bincount(g, weights=~right & ~said, minlength=n_groups)], axis=1)
    draws = np.empty((rounds, n_groups, 4))
    for j in range(n_groups):
        draws[:, j, :] = rng.multinomial(int(rows[j]), cells[j] / rows[j], size=rounds)
    correct = cells[:, 0] + cells[:, 1]
    selected = cells[:, 0] + cells[:, 2]
    correct_b = draws[:, :, 0] + draws[:, :, 1]
    return {
        "rows": rows, "selected": selected, "correct": correct,
        "selection_rate": selected / rows, "accuracy": correct / rows,
        "selection_rate_b": (draws[:, :, 0] + draws[:, :, 2]) / rows, "accuracy_b": correct_b / rows,
        "correct_b": correct_b,
    }


def _numeric_counts(y: np.ndarray, p: np.ndarray, g: np.ndarray, n_groups: int, rounds: int,
                    rng: np.random.Generator) -> dict[str, Any]:
    err = p - y
    abs_err = np.abs(err)
    rows = np.bincount(g, minlength=n_groups).astype(float)
    mae = np.bincount(g, weights=abs_err, minlength=n_groups) / rows
    signed = np.bincount(g, weights=err, minlength=n_groups) / rows
    mae_b = np.column_stack([_boot_means(abs_err[g == j], rounds, rng) for j in range(n_groups)])
    return {"rows": rows, "mean_error": mae, "mean_signed_error": signed, "mean_error_b": mae_b}


def _relative_change(task: str, c: dict[str, Any], judged: np.ndarray) -> dict[str, np.ndarray]:
    """How much worse each group does than overall: accuracy drop, or MAE rise, as a share."""
    n = c["rows"].sum()
    if task == "numeric":
        overall = float((c["mean_error"] * c["rows"]).sum() / n)
        overall_b = (c["mean_error_b"] * c["rows"]).sum(axis=1) / n
        with np.errstate(divide="ignore", invalid="ignore"):
            change = (c["mean_error"] - overall) / overall if overall > 0 else np.zeros_like(c["rows"])
            change_b = np.where(overall_b[:, None] > 0,
                                (c["mean_error_b"] - overall_b[:, None]) / overall_b[:, None], 0.0)
    else:
        overall = float(c["correct"].sum() / n)
        overall_b = c["correct_b"].sum(axis=1) / n
        with np.errstate(divide="ignore", invalid="ignore"):
            change = (overall - c["accuracy"]) / overall if overall > 0 else np.zeros_like(c["rows"])
            change_b = np.where(overall_b[:, None] > 0,
                                (overall_b[:, None] - c["accuracy_b"]) / overall_b[:, None], 0.0)
    rounds = change_b.shape[0]
    p = (1 + (change_b <= 0).sum(axis=0)) / (rounds + 1)
    flagged = np.zeros(len(change), dtype=bool)
    idx = np.nonzero(judged)[0] if judged.sum() >= 2 else np.zeros(0, dtype=np.int64)
    reject = _benjamini_hochberg(p[idx], settings.get("group_fdr_q"))
    flagged[idx] = reject & (change[idx] > settings.get("group_drop_warning") + _EPS)
    low = np.array([_interval(change_b[:, j])[0] for j in range(len(change))])
    high = np.array([_interval(change_b[:, j])[1] for j in range(len(change))])
    return {"overall": overall, "change": change, "low": low, "high": high, "p": p, "flagged": flagged}


def _arm_groups(task: str, c: dict[str, Any], rel: dict[str, np.ndarray], judged: np.ndarray) -> list[dict]:
    """The per-group metrics of one arm, in group order; None for groups too small to judge."""
    out = []
    if task == "numeric":
        keys = ("mean_error", "mean_error_low", "mean_error_high", "mean_signed_error",
                "mean_error_rise", "mean_error_rise_low", "mean_error_rise_high", "mean_error_rise_p", "serves_worse")
        for j in range(len(c["rows"])):
            if not judged[j]:
                out.append(dict.fromkeys(keys))
                continue
            low, high = _interval(c["mean_error_b"][:, j])
            out.append({
                "mean_error": c["mean_error"][j], "mean_error_low": low, "mean_error_high": high,
                "mean_signed_error": c["mean_signed_error"][j],
                "mean_error_rise": rel["change"][j], "mean_error_rise_low": rel["low"][j],
                "mean_error_rise_high": rel["high"][j], "mean_error_rise_p": rel["p"][j],
                "serves_worse": bool(rel["flagged"][j]),
            })
        return out
    sel_low, sel_high = _wilson(c["selected"], c["rows"])
    acc_low, acc_high = _wilson(c["correct"], c["rows"])
    if task == "binary":
        tpr_low, tpr_high = _wilson(c["tp"], c["pos"])
        fpr_low, fpr_high = _wilson(c["fp"], c["neg"])
    keys = ("selection_rate", "selection_rate_low", "selection_rate_high", "accuracy", "accuracy_low",
            "accuracy_high", "tpr", "tpr_low", "tpr_high", "fpr", "fpr_low", "fpr_high", "error_rate",
            "accuracy_drop", "accuracy_drop_low", "accuracy_drop_high", "accuracy_drop_p", "serves_worse")
    for j in range(len(c["rows"])):
        if not judged[j]:
            out.append(dict.fromkeys(keys))
            continue
        row = {
            "selection_rate": c["selection_rate"][j], "selection_rate_low": sel_low[j],
            "selection_rate_high": sel_high[j],
            "accuracy": c["accuracy"][j], "accuracy_low": acc_low[j], "accuracy_high": acc_high[j],
            "tpr": None, "tpr_low": None, "tpr_high": None, "fpr": None, "fpr_low": None, "fpr_high": None,
            "error_rate": 1.0 - c["accuracy"][j],
            "accuracy_drop": rel["change"][j], "accuracy_drop_low": rel["low"][j],
            "accuracy_drop_high": rel["high"][j], "accuracy_drop_p": rel["p"][j],
            "serves_worse": bool(rel["flagged"][j]),
        }
        if task == "binary":
            row.update({"tpr": c["tpr"][j], "tpr_low": tpr_low[j], "tpr_high": tpr_high[j],
                        "fpr": c["fpr"][j], "fpr_low": fpr_low[j], "fpr_high": fpr_high[j]})
        out.append(row)
    return out


def _balanced_accuracy(y: np.ndarray, pred: np.ndarray) -> float | None:
    """The share right within each true answer, averaged over the answers (scikit-learn's
    ``balanced_accuracy_score``): what the trial's main score is when one answer is rare."""
    known = np.array([v is not None for v in y], dtype=bool)
    shares = [float(np.mean(pred[known & (y == cls)] == cls)) for cls in pd.unique(y[known])]
    return float(np.mean(shares)) if shares else None


def _arm_metrics(task: str, c: dict[str, Any], rel: dict[str, np.ndarray], judged: np.ndarray,
                 order: list[str]) -> dict[str, Any]:
    """Gaps across the judged groups for one arm."""
    enough = judged.sum() >= 2
    if task == "numeric":
        gap, low, high = _spread(c["mean_error"], c["mean_error_b"], judged)
        n = c["rows"].sum()
        m: dict[str, Any] = {
            "mean_error_gap": gap, "mean_error_gap_low": low, "mean_error_gap_high": high,
            "worst_group": None, "best_group": None,
            "overall_mean_error": rel["overall"],
            "overall_mean_signed_error": float((c["mean_signed_error"] * c["rows"]).sum() / n),
        }
        if enough:
            idx = np.nonzero(judged)[0]
            m["worst_group"] = order[idx[np.argmax(c["mean_error"][idx])]]
            m["best_group"] = order[idx[np.argmin(c["mean_error"][idx])]]
        return m
    dp, dp_low, dp_high = _spread(c["selection_rate"], c["selection_rate_b"], judged)
    acc_gap, acc_low, acc_high = _spread(c["accuracy"], c["accuracy_b"], judged)
    m = {
        "demographic_parity_difference": dp, "demographic_parity_difference_low": dp_low,
        "demographic_parity_difference_high": dp_high, "demographic_parity_ratio": None,
        "equalized_odds_difference": None, "equalized_odds_difference_low": None,
        "equalized_odds_difference_high": None,
        "equal_opportunity_difference": None, "equal_opportunity_difference_low": None,
        "equal_opportunity_difference_high": None,
        "worst_group": None, "best_group": None,
        "accuracy_gap": acc_gap, "accuracy_gap_low": acc_low, "accuracy_gap_high": acc_high,
        "overall_accuracy": rel["overall"],
        "overall_selection_rate": float(c["selected"].sum() / c["rows"].sum()),
    }
    if not enough:
        return m
    idx = np.nonzero(judged)[0]
    sel = c["selection_rate"][idx]
    if sel.max() > 0:
        m["demographic_parity_ratio"] = float(sel.min() / sel.max())
    m["worst_group"] = order[idx[np.argmin(c["accuracy"][idx])]]
    m["best_group"] = order[idx[np.argmax(c["accuracy"][idx])]]
    if task == "binary":
        tpr_gap, tpr_low, tpr_high = _spread(c["tpr"], c["tpr_b"], judged & (c["pos"] > 0))
        fpr_gap, fpr_low, fpr_high = _spread(c["fpr"], c["fpr_b"], judged & (c["neg"] > 0))
        m["equal_opportunity_difference"] = tpr_gap
        m["equal_opportunity_difference_low"], m["equal_opportunity_difference_high"] = tpr_low, tpr_high
        gaps = [gap for gap in ((tpr_gap, tpr_low, tpr_high), (fpr_gap, fpr_low, fpr_high)) if gap[0] is not None]
        if gaps:
            larger = max(gaps, key=lambda gap: gap[0])
            (m["equalized_odds_difference"], m["equalized_odds_difference_low"],
             m["equalized_odds_difference_high"]) = larger
    return m


# =====================================================================================================
# sentences and findings
# =====================================================================================================
def _above(value: float | None, limit: float) -> bool:
    return value is not None and value > limit + _EPS


def _extremes(values: np.ndarray, mask: np.ndarray) -> tuple[int, int]:
    """(index of the lowest, index of the highest) value among the masked groups."""
    idx = np.nonzero(mask)[0]
    return int(idx[np.argmin(values[idx])]), int(idx[np.argmax(values[idx])])


def _arm_words(task: str, arm: str, column: str, banding: str, rate_of: str | None, c: dict[str, Any],
               rel: dict[str, Any], m: dict[str, Any], judged: np.ndarray, order: list[str],
               labels: dict[str, str] | None, verb: str) -> tuple[list[str], list[Finding]]:
    recipe = W.recipe_name(arm, labels)
    name = [W.who(gr, column, banding) for gr in order]
    sentences: list[str] = []
    findings: list[Finding] = []
    details_base = {"arm": arm, "recipe": (labels or {}).get(arm, ""), "column": column}

    def add(sentence: str) -> None:
        sentences.append(W.SENTENCE_FOR_RECIPE.format(recipe=recipe, sentence=sentence))

    # "With groups this small" only when a judged group is under the low-confidence size; else the plain words.
    small = bool((judged & (c["rows"] < settings.get("low_confidence_group_rows"))).any())
    could_be_luck = W.COULD_BE_LUCK if small else W.COULD_BE_LUCK_LARGE
    luck_inline_words = W.LUCK_SMALL_INLINE if small else W.LUCK_LARGE_INLINE
    both_verb = W.plural_verb(verb)
    either_share = W.SHARE_PHRASE_EITHER.format(verb=verb)
    if task in ("binary", "multiclass"):
        lo, hi = _extremes(c["selection_rate"], judged)
        rates = {"low": name[lo], "high": name[hi], "low_rate": W.rate(c["selection_rate"][lo]),
                 "high_rate": W.rate(c["selection_rate"][hi]), "verb": verb}
        dp, dp_ratio = m["demographic_parity_difference"], m["demographic_parity_ratio"]
        line = settings.get("four_fifths_ratio")
        fails_four_fifths = task == "binary" and dp_ratio is not None and dp_ratio < line - _EPS
        ratio_text = W.ratio(dp_ratio) if dp_ratio is not None else "undefined"
        # A gap whose interval reaches 0 could be luck: still reported, but as "info".
        dp_luck = dp is not None and m["demographic_parity_difference_low"] <= _EPS
        luck = could_be_luck if dp_luck else ""
        luck_inline = (luck_inline_words if dp_luck else "")
        nobody = c["selection_rate"][judged].max() <= 0
        if nobody:  # 0 of 0: no ratio, no four-fifths screening, no gap
            fails_four_fifths = False
            selection_sentence = W.SELECTION_NOBODY.format(verb=verb, rows=f"{int(c['rows'][judged].sum()):,}")
        elif fails_four_fifths:
            selection_sentence = W.FOUR_FIFTHS.format(ratio=ratio_text, line=f"{line:g}", **rates) + luck
        elif _above(dp, settings.get("parity_warning")):
            selection_sentence = W.SELECTION_GAP.format(ratio=ratio_text, **rates) + luck
        elif rates["low_rate"] == rates["high_rate"]:
            selection_sentence = W.SELECTION_SAME.format(**rates)
        else:
            selection_sentence = W.SELECTION_EVEN.format(**rates)
        add(selection_sentence)
        numbers = {"selection_rates": {order[j]: c["selection_rate"][j] for j in np.nonzero(judged)[0]},
                   "demographic_parity_difference": dp,
                   "demographic_parity_difference_low": m["demographic_parity_difference_low"],
                   "demographic_parity_difference_high": m["demographic_parity_difference_high"],
                   "demographic_parity_ratio": dp_ratio, "rate_of": rate_of, "could_be_luck": dp_luck}
        if _above(dp, settings.get("parity_warning")):
            severity = ("info" if dp_luck else
                        "critical" if _above(dp, settings.get("parity_critical")) else "warning")
            share = W.SHARE_PHRASE.format(verb=verb)
            dp_likely = W.likely(m["demographic_parity_difference_low"], m["demographic_parity_difference_high"])
            limits = {"warning": W.points(settings.get("parity_warning")),
                      "critical": W.points(settings.get("parity_critical"))}
            message = W.DEMOGRAPHIC_PARITY.format(Share=W.capitalise(share), gap=W.points(dp), likely=dp_likely,
                                                  **limits, **rates) + luck
            words = _pair_words(W.DEMOGRAPHIC_PARITY_TITLE_BOTH.format(verb=both_verb, column=column),
                                W.DEMOGRAPHIC_PARITY_EXPLAINED.format(share=either_share, column=column, **limits),
                                W.DEMOGRAPHIC_PARITY_NUMBERS.format(gap=W.points(dp), likely=dp_likely,
                                                                    luck=luck_inline, **rates))
            findings.append(Finding(
                "demographic_parity", severity, (column,),
                W.DEMOGRAPHIC_PARITY_TITLE.format(recipe=recipe, verb=verb, column=column),
                message, W.DEMOGRAPHIC_PARITY_SUGGESTION.format(column=column), {**details_base, **numbers, **words}))
        if fails_four_fifths:
            words = _pair_words(W.FOUR_FIFTHS_TITLE_BOTH.format(column=column),
                                W.FOUR_FIFTHS_EXPLAINED.format(share=either_share, column=column, line=f"{line:g}"),
                                W.FOUR_FIFTHS_NUMBERS.format(ratio=ratio_text, luck=luck_inline, **rates))
            findings.append(Finding(
                "four_fifths", "info" if dp_luck else "warning", (column,),
                W.FOUR_FIFTHS_TITLE.format(recipe=recipe, column=column),
                selection_sentence, W.FOUR_FIFTHS_SUGGESTION, {**details_base, **numbers, "line": line, **words}))

    # mistakes
    eo = m.get("equalized_odds_difference")
    flagged = np.nonzero(rel["flagged"])[0]
    if len(flagged):
        flagged = flagged[np.argsort(-rel["change"][flagged], kind="stable")]
        if task == "numeric":
            overall = W.number(rel["overall"])
            items = [{"who": name[j], "group_error": W.number(c["mean_error"][j])} for j in flagged]
            sentence = (W.FURTHER_OFF.format(overall_error=overall, **items[0]) if len(items) == 1 else
                        W.FURTHER_OFF_MANY.format(whos=W.join_and([W.FURTHER_OFF_ITEM.format(**i) for i in items]),
                                                  overall_error=overall))
        else:
            overall = W.pct(rel["overall"])
            items = [{"who": name[j], "group_rate": W.pct(c["accuracy"][j])} for j in flagged]
            sentence = (W.MORE_MISTAKES.format(overall_rate=overall, **items[0]) if len(items) == 1 else
                        W.MORE_MISTAKES_MANY.format(whos=W.join_and([W.MORE_MISTAKES_ITEM.format(**i) for i in items]),
                                                    overall_rate=overall))
        add(sentence)
        metric = "mean_error" if task == "numeric" else "accuracy"
        drop = f"{settings.get('group_drop_warning'):.0%}"
        words = _pair_words(W.GROUP_PERFORMANCE_TITLE_BOTH.format(column=column),
                            W.GROUP_PERFORMANCE_EXPLAINED.format(drop=drop), sentence.rstrip("."))
        findings.append(Finding(
            "group_performance", "warning", (column,),
            W.GROUP_PERFORMANCE_TITLE.format(recipe=recipe, column=column),
            sentence + W.GROUP_PERFORMANCE_DETAIL.format(drop=drop),
            W.GROUP_PERFORMANCE_SUGGESTION,
            {**details_base, **words, "groups": [order[j] for j in flagged], "overall": rel["overall"],
             metric: {order[j]: c[metric][j] for j in flagged},
             "relative_change": {order[j]: rel["change"][j] for j in flagged},
             "p_value": {order[j]: rel["p"][j] for j in flagged}}))
    elif task == "binary" and _above(eo, settings.get("equalized_odds_warning")):
        part = _eo_parts(c, judged, name, verb, rate_of, True)[0]
        eo_luck = m["equalized_odds_difference_low"] <= _EPS
        add(W.MISTAKES_UNEVEN.format(part=part) + (could_be_luck if eo_luck else ""))
    else:
        add(W.ERRORS_EVEN if task == "numeric" else W.MISTAKES_EVEN)

    if task == "binary" and _above(eo, settings.get("equalized_odds_warning")):
        eo_luck = m["equalized_odds_difference_low"] <= _EPS
        parts = "; ".join(_eo_parts(c, judged, name, verb, rate_of))
        eo_likely = W.likely(m["equalized_odds_difference_low"], m["equalized_odds_difference_high"])
        warning = W.points(settings.get("equalized_odds_warning"))
        message = W.EQUALIZED_ODDS.format(parts=parts, gap=W.points(eo), likely=eo_likely,
                                          warning=warning) + (could_be_luck if eo_luck else "")
        words = _pair_words(W.EQUALIZED_ODDS_TITLE_BOTH.format(column=column),
                            W.EQUALIZED_ODDS_EXPLAINED.format(column=column, warning=warning),
                            W.EQUALIZED_ODDS_NUMBERS.format(parts=parts, gap=W.points(eo), likely=eo_likely,
                                                            luck=luck_inline_words if eo_luck else ""))
        findings.append(Finding(
            "equalized_odds", "info" if eo_luck else "warning", (column,),
            W.EQUALIZED_ODDS_TITLE.format(recipe=recipe, column=column),
            message, W.EQUALIZED_ODDS_SUGGESTION,
            {**details_base, **words, "equalized_odds_difference": eo,
             "equalized_odds_difference_low": m["equalized_odds_difference_low"],
             "equalized_odds_difference_high": m["equalized_odds_difference_high"],
             "equal_opportunity_difference": m["equal_opportunity_difference"], "could_be_luck": eo_luck,
             "tpr": {order[j]: c["tpr"][j] for j in np.nonzero(judged)[0]},
             "fpr": {order[j]: c["fpr"][j] for j in np.nonzero(judged)[0]}}))
    return sentences, findings


def _pair_words(both_title: str, explanation: str, numbers: str) -> dict[str, dict[str, str]]:
    """The words that let recipe A's and recipe B's findings of one check read as one
    (``group_findings.pair_findings``): the title for both, the explanation said once, and this
    recipe's numbers, said after it."""
    return {"pair_words": {"both_title": both_title, "explanation": explanation, "numbers": numbers}}


def _eo_parts(c: dict[str, Any], judged: np.ndarray, name: list[str], verb: str, positive: str,
              larger_only: bool = False) -> list[str]:
    """The TPR and FPR gaps in words, larger first; a gap under one point is left out."""
    parts = []
    for rate, base, template in (("tpr", "pos", W.EO_TPR_PART), ("fpr", "neg", W.EO_FPR_PART)):
        mask = judged & (c[base] > 0)
        if mask.sum() < 2:
            continue
        lo, hi = _extremes(c[rate], mask)
        gap = c[rate][hi] - c[rate][lo]
        if W.point_count(gap) == "0":
            continue
        parts.append((gap, template.format(positive=positive, verb=verb, wrongly=W.VERB_WRONGLY.format(verb=verb),
                                           high_rate=W.pct(c[rate][hi]), high=name[hi],
                                           low_rate=W.pct(c[rate][lo]), low=name[lo])))
    parts.sort(key=lambda part: -part[0])
    texts = [text for _, text in parts]
    return texts[:1] if larger_only else texts


def _size_words(column: str, order: list[str], rows: np.ndarray) -> tuple[list[str], list[Finding], list[dict]]:
    """Notes per group, sentences about small groups, and the group_size finding."""
    minimum = settings.get("min_group_rows")
    low_limit = settings.get("low_confidence_group_rows")
    notes = []
    too_few, low = [], []
    for gr, n in zip(order, rows.astype(int)):
        if n < minimum:
            notes.append({"confidence": "too few", "note": W.NOTE_TOO_FEW.format(rows=n)})
            too_few.append((gr, n))
        elif n < low_limit:
            notes.append({"confidence": "low", "note": W.NOTE_LOW.format(rows=n)})
            low.append((gr, n))
        else:
            notes.append({"confidence": "normal", "note": ""})
    sentences = []
    if len(too_few) == 1:
        sentences.append(W.TOO_FEW_ONE.format(group=too_few[0][0], rows=too_few[0][1], minimum=minimum))
    elif too_few:
        items = W.join_and([W.SIZE_ITEM.format(group=gr, rows=n) for gr, n in too_few])
        sentences.append(W.TOO_FEW_MANY.format(items=items, minimum=minimum))
    if len(low) == 1:
        sentences.append(W.LOW_ONE.format(group=low[0][0], rows=low[0][1]))
    elif low:
        sentences.append(W.LOW_MANY.format(items=W.join_and([W.SIZE_ITEM.format(group=gr, rows=n) for gr, n in low])))
    findings = []
    if sentences:
        findings.append(Finding(
            "group_size", "info", (column,), W.GROUP_SIZE_TITLE.format(column=column), " ".join(sentences),
            W.GROUP_SIZE_SUGGESTION,
            {"column": column, "too_few": {gr: int(n) for gr, n in too_few},
             "low_confidence": {gr: int(n) for gr, n in low},
             "min_group_rows": minimum, "low_confidence_group_rows": low_limit}))
    return sentences, findings, notes


# =====================================================================================================
# the public entry points
# =====================================================================================================
def group_results(sensitive: pd.Series, y_true: pd.Series | np.ndarray, preds: dict[str, np.ndarray], *,
                  task: str, positive: str | None, column: str, labels: dict[str, str] | None = None,
                  seed: int = 42, target: str | None = None) -> dict:
    """Per-group results of each arm's predictions, with findings and plain sentences.

    ``sensitive``, ``y_true`` and every array in ``preds`` are aligned by position (not by
    index). ``preds`` maps an arm ("a", "b") to its predicted labels (numbers for a numeric
    task). ``labels`` maps an arm to its recipe's name for the sentences; ``target`` (the
    predicted column's name) chooses the verb for a yes/no target ("predicts 'survived' for"). Rows whose true
    value is empty are left out. The result is JSON-serialisable and holds no NaN.
    """
    if task not in TASKS:
        raise ValueError(f"task must be one of {TASKS}, not {task!r}")
    s = pd.Series(sensitive).reset_index(drop=True)
    y_raw = pd.Series(y_true.to_numpy() if isinstance(y_true, pd.Series) else np.asarray(y_true))
    for arm, p in preds.items():
        if len(p) != len(s):
            raise ValueError(f"predictions of {arm!r} have {len(p)} rows, the sensitive column {len(s)}")
    if len(y_raw) != len(s):
        raise ValueError(f"y_true has {len(y_raw)} rows, the sensitive column {len(s)}")

    keep = y_raw.notna().to_numpy().copy()
    if task == "numeric":
        y = pd.to_numeric(y_raw, errors="coerce").to_numpy(float)
        keep &= np.isfinite(y)
    else:
        y = _labels(y_raw)
    if not keep.any():
        raise ValueError("no rows with a true value to compare groups on")
    text, order, banding = _group_labels(s[keep], column)
    y = y[keep]
    g = pd.Categorical(text, categories=order).codes.astype(np.int64)
    rows = np.bincount(g, minlength=len(order)).astype(float)
    judged = rows >= settings.get("min_group_rows")

    arm_preds: dict[str, np.ndarray] = {}
    for arm, p in preds.items():
        p = np.asarray(p)[keep]
        arm_preds[arm] = (np.asarray(pd.to_numeric(pd.Series(p), errors="coerce"), dtype=float) if task == "numeric"
                          else _labels(p))

    rate_of: str | None = None
    if task == "binary":
        classes = sorted(str(v) for v in pd.unique(y) if v is not None)
        rate_of = str(positive) if positive is not None else (_positive_class(classes) if classes else None)
    elif task == "multiclass":
        pooled = pd.Series(np.concatenate(list(arm_preds.values())) if arm_preds else np.array([], dtype=object))
        counts = pooled.dropna().value_counts()
        if len(counts):
            top = counts.max()
            rate_of = sorted(str(k) for k, v in counts.items() if v == top)[0]

    verb = W.selection_verb(rate_of, target if task == "binary" else None) if rate_of is not None else ""
    size_sentences, size_findings, notes = _size_words(column, order, rows)
    rounds = int(settings.get("group_bootstrap_rounds"))
    per_arm_groups: dict[str, list[dict]] = {}
    metrics: dict[str, dict] = {}
    balanced: dict[str, float | None] = {}  # each arm's balanced accuracy over these rows (compare_groups)
    findings: list[Finding] = []
    summary: list[str] = []
    if task == "multiclass" and rate_of is not None:
        summary.append(W.METHOD_MULTICLASS.format(column=column, cls=rate_of))
    elif task == "numeric":
        summary.append(W.METHOD_NUMERIC.format(column=column))
    actual = None
    for arm, p in arm_preds.items():
        rng = _rng(seed, arm)
        if task == "numeric":
            c = _numeric_counts(y, p, g, len(order), rounds, rng)
        else:
            c = _classification_counts(task, y, p, g, len(order), rate_of, rounds, rng)
            if task == "binary":
                actual = c["actual_rate"]
        rel = _relative_change(task, c, judged)
        per_arm_groups[arm] = _arm_groups(task, c, rel, judged)
        metrics[arm] = _arm_metrics(task, c, rel, judged, order)
        if task != "numeric":
            balanced[arm] = _balanced_accuracy(y, p)
        if judged.sum() >= 2:
            sentences, arm_findings = _arm_words(task, arm, column, banding, rate_of, c, rel, metrics[arm],
                                                 judged, order, labels, verb)
            summary.extend(sentences)
            findings.extend(arm_findings)
    if judged.sum() == 0:
        summary.append(W.NONE_JUDGED.format(column=column, minimum=settings.get("min_group_rows")))
    elif judged.sum() == 1:
        summary.append(W.ONE_JUDGED.format(column=column, group=order[int(np.nonzero(judged)[0][0])]))
    summary.extend(size_sentences)
    findings.extend(size_findings)

    groups_out = []
    for j, gr in enumerate(order):
        entry = {"group": gr, "rows": int(rows[j]), "judged": bool(judged[j]), **notes[j]}
        if task == "binary":
            entry["actual_rate"] = float(actual[j]) if actual is not None and judged[j] else None
        for arm in arm_preds:
            entry[arm] = per_arm_groups[arm][j]
        groups_out.append(entry)

    result = {
        "column": column, "banded": bool(banding), "positive": rate_of if task == "binary" else None,
        "task": task, "rate_of": rate_of, "verb": verb, "rows": int(rows.sum()), "labels": dict(labels or {}),
        "groups": groups_out, "metrics": metrics,
        "findings": [f.to_dict() for f in findings], "summary": summary,
    }
    if balanced:  # the trial's main score when one answer is rare; not a fairness measure, so not in "metrics"
        result["balanced_accuracy"] = balanced
    return _clean(result)


def _clean(value: Any) -> Any:
    """Plain Python values only, NaN/inf as None, so json.dumps(allow_nan=False) works."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        return v if math.isfinite(v) else None
    if isinstance(value, np.ndarray):
        return _clean(value.tolist())
    return value


# =====================================================================================================
# comparing A and B
# =====================================================================================================
def _unevenness(result: dict, arm: str) -> float | None:
    """One number for 'how unevenly are the groups treated' (0 = evenly)."""
    m = result.get("metrics", {}).get(arm) or {}
    task = result.get("task", "binary")
    if task == "numeric":
        gap, overall = m.get("mean_error_gap"), m.get("overall_mean_error")
        if gap is None or not overall:
            return None
        return gap / overall
    parts = [m.get("demographic_parity_difference"), m.get("equalized_odds_difference")]
    if task == "multiclass":
        parts = [m.get("demographic_parity_difference"), m.get("accuracy_gap")]
    parts = [x for x in parts if x is not None]
    return max(parts) if parts else None


def _accuracy_phrase(result: dict, subject: str, other: str, metric: str | None = None) -> tuple[str, bool] | None:
    """('1 point less accurate', True), ('about as accurate', False), ...: for subject against other,
    and whether it says subject does worse.

    On the trial's main score when it is balanced accuracy (one answer is rare): plain accuracy
    then rewards predicting the common answer, and on AER's CPS1985 ('union', 18% yes) it said
    "Recipe B is 9 points more accurate" where the verdict, on balanced accuracy, had recipe A
    ahead by 5.4 points."""
    ms, mo = result["metrics"][subject], result["metrics"][other]
    if result.get("task") == "numeric":
        es, eo = ms.get("overall_mean_error"), mo.get("overall_mean_error")
        if es is None or eo is None:
            return None
        diff = es - eo
        if abs(diff) <= settings.get("practical_difference") * max(es, eo, _EPS):
            return W.ABOUT_AS_ACCURATE, False
        template = W.NUMBER_LESS_ACCURATE if diff > 0 else W.NUMBER_MORE_ACCURATE
        return template.format(amount=W.number(abs(diff))), diff > 0
    balanced = result.get("balanced_accuracy") or {}
    if metric == "balanced_accuracy" and balanced.get(subject) is not None and balanced.get(other) is not None:
        value_s, value_o = balanced[subject], balanced[other]
        more, less = W.POINTS_HIGHER_BALANCED, W.POINTS_LOWER_BALANCED
    else:
        value_s, value_o = ms.get("overall_accuracy"), mo.get("overall_accuracy")
        more, less = W.POINTS_MORE_ACCURATE, W.POINTS_LESS_ACCURATE
    if value_s is None or value_o is None:
        return None
    diff = value_s - value_o
    if W.point_count(diff) == "0" or abs(diff) < settings.get("practical_difference") - _EPS:
        return W.ABOUT_AS_ACCURATE, False
    return (more if diff > 0 else less).format(points=W.points(diff)), diff < 0


def _uneven_reasons(result: dict, arm: str) -> list[str]:
    """What the findings say this arm does unevenly, in the words of their titles (empty: nothing flagged)."""
    checks = {f.get("check") for f in result.get("findings") or [] if (f.get("details") or {}).get("arm") == arm}
    reasons = []
    if checks & {"demographic_parity", "four_fifths"}:
        reasons.append(W.UNEVEN_SELECTION.format(verb=result.get("verb") or W.selection_verb(result.get("rate_of"))))
    if "equalized_odds" in checks:
        reasons.append(W.UNEVEN_MISTAKES)
    if "group_performance" in checks:
        reasons.append(W.UNEVEN_WORSE)
    return reasons


def _gap_text(result: dict, value: float) -> str:
    if result.get("task") == "numeric":
        return W.GAP_NUMBER.format(share=W.pct(value))
    return W.points(value)


def compare_groups(results_by_column: dict[str, dict], metric: str | None = None,
                   winner: str | None = None) -> list[str]:
    """Plain sentences comparing recipe A and B group by group, one per sensitive column.

    "Recipe A is 1 point less accurate but treats the two gender groups far more evenly."
    Evenness is the larger of the selection gap and the equalized odds gap (binary), of the
    selection gap and accuracy gap (several classes), or the error gap ÷ overall error
    (numbers). Gaps within 2 points of each other count as "about as evenly"; a gap at
    most half the other's is "far more evenly". ``metric`` is the trial's main score: the
    accuracy said is balanced accuracy when that is it (``_accuracy_phrase``). ``winner`` is the
    verdict's ("a", "b" or "none"): when the verdict found no clear winner, or a difference too
    small to matter, these sentences do not call one recipe more accurate on the same rows (Ecdat
    Wages1: "recipe A is more accurate" under "too small to matter"); they say neither clearly is.
    """
    out: list[str] = []
    for column, result in results_by_column.items():
        metrics = result.get("metrics") or {}
        if "a" not in metrics or "b" not in metrics:
            continue
        judged = sum(1 for gr in result.get("groups", []) if gr.get("judged"))
        ua, ub = _unevenness(result, "a"), _unevenness(result, "b")
        if judged < 2 or ua is None or ub is None:
            continue
        labels = result.get("labels") or {}
        count = W.count_word(judged)
        if abs(ua - ub) < 0.02 - _EPS:
            phrase = _accuracy_phrase(result, "a", "b", metric)
            if phrase is None:
                continue
            acc = phrase[0]
            rest = (W.COMPARE_REST_UNSETTLED if winner == "none" and acc != W.ABOUT_AS_ACCURATE else
                    W.COMPARE_REST_SAME if acc == W.ABOUT_AS_ACCURATE else
                    W.COMPARE_REST_ACCURACY.format(recipe=W.recipe_name("a", labels).replace("Recipe", "recipe", 1),
                                                   accuracy=acc))
            # "About as evenly" only when neither recipe has a finding about these groups; otherwise say who does what.
            reasons = {arm: _uneven_reasons(result, arm) for arm in ("a", "b")}
            flagged = [arm for arm in ("a", "b") if reasons[arm]]
            if not flagged:
                out.append(W.COMPARE_SAME_EVENNESS.format(count=count, column=column, rest=rest))
                continue
            if len(flagged) == 2 and reasons["a"] == reasons["b"]:  # said once for both, not twice in a row
                uneven = W.UNEVEN_EACH.format(reasons=W.join_and(reasons["a"]))
            else:
                uneven = W.join_and([W.UNEVEN_ARM.format(recipe=W.recipe_name(arm, labels),
                                                         reasons=W.join_and(reasons[arm])) for arm in flagged])
            template = W.COMPARE_SAME_UNEVENNESS if len(flagged) == 2 else W.COMPARE_SAME_GAP_ONE_UNEVEN
            out.append(template.format(count=count, column=column, gap_a=_gap_text(result, ua),
                                       gap_b=_gap_text(result, ub), uneven=uneven, rest=rest))
            continue
        fairer, other = ("a", "b") if ua < ub else ("b", "a")
        small, large = min(ua, ub), max(ua, ub)
        evenness = W.FAR_MORE_EVENLY if small <= 0.5 * large else W.MORE_EVENLY
        phrase = _accuracy_phrase(result, fairer, other, metric)
        if phrase is None:
            continue
        acc, worse = phrase
        if winner == "none":
            still = _uneven_reasons(result, fairer)
            out.append(W.COMPARE_FAIRER_UNSETTLED.format(recipe=W.recipe_name(fairer, labels), count=count,
                                                         column=column, evenness=evenness)
                       + (W.COMPARE_STILL_UNEVEN.format(reasons=W.join_and(still)) if still else ""))
            continue
        conj = "but" if worse else "and"
        sentence = W.COMPARE_FAIRER.format(recipe=W.recipe_name(fairer, labels), accuracy=acc, conj=conj,
                                           count=count, column=column, evenness=evenness)
        still = _uneven_reasons(result, fairer)
        out.append(sentence + (W.COMPARE_STILL_UNEVEN.format(reasons=W.join_and(still)) if still else ""))
    return out


# =====================================================================================================
# proxies: columns that stand in for a sensitive column
# =====================================================================================================
def _cramers_v(x: pd.Series, y: np.ndarray) -> float:
    """Bias-corrected Cramér's V (Bergsma 2013) between two categorical columns."""
    return cramers_v(pd.crosstab(x.to_numpy(), y).to_numpy(dtype=float))


def proxy_columns(frame: pd.DataFrame, sensitive: str, *, kinds: dict[str, str], exclude: list[str] = (),
                  seed: int = 42) -> list[dict]:
    """Columns that, on their own, give the sensitive column away, strongest first.

    Number and date columns: out-of-fold AUC of a shallow tree on that one column plus an
    "is missing" indicator (macro one-vs-rest AUC for more than two groups). Category and
    yes/no columns: bias-corrected Cramér's V. IDs and free text are skipped. A number
    sensitive column (age) is banded first; groups under ``min_group_rows`` are left out.
    At most ``proxy_sample_rows`` rows are used (a seeded sample).
    Returns ``[{"column", "method", "score", "strength", "text"}]``; "strong" at or above
    ``proxy_auc`` / ``proxy_cramers_v``, "some" at or above the ``*_some`` settings.
    """
    if sensitive not in frame.columns:
        raise KeyError(sensitive)
    text, _, _ = _group_labels(frame[sensitive], sensitive)
    keep = text != W.MISSING_GROUP
    counts = pd.Series(text[keep]).value_counts()
    big = set(counts[counts >= settings.get("min_group_rows")].index)
    keep &= np.isin(text, list(big))
    if len(big) < 2:
        return []
    positions = np.nonzero(keep)[0]
    limit = int(settings.get("proxy_sample_rows"))
    if len(positions) > limit:
        positions = np.sort(np.random.default_rng(seed).choice(positions, size=limit, replace=False))
    data = frame.iloc[positions].reset_index(drop=True)
    groups = sorted(big)
    code = {gr: j for j, gr in enumerate(groups)}
    y = np.array([code[t] for t in text[positions]], dtype=np.int64)
    # The same one-column tree the leakage and proxy checks grow (checks/_scoring.py).
    goal = make_goal(y, "binary" if len(groups) == 2 else "multiclass", 5, seed)
    depth = int(settings.get("leakage_tree_depth"))

    auc_strong, auc_some = settings.get("proxy_auc"), settings.get("proxy_auc_some")
    v_strong, v_some = settings.get("proxy_cramers_v"), settings.get("proxy_cramers_v_some")
    found = []
    skip = set(exclude) | {sensitive}
    for col in frame.columns:
        if col in skip:
            continue
        kind = kinds.get(col) or infer_kind(frame[col], col)
        values = data[col]
        if values.notna().sum() == 0:
            continue
        if kind in ("number", "numeric", "date"):
            score = single_column_score(encode_column(values, "date" if kind == "date" else "number"), goal,
                                        depth, seed)
            method = "auc"
            strength = "strong" if score >= auc_strong - _EPS else "some" if score >= auc_some - _EPS else ""
            rank = (score - 0.5) / max(auc_strong - 0.5, _EPS)
        elif kind in ("category", "boolean"):
            x_text = _labels(values)
            score = _cramers_v(pd.Series(np.where(pd.isna(x_text), W.MISSING_GROUP, x_text)), y)
            method = "cramers_v"
            strength = "strong" if score >= v_strong - _EPS else "some" if score >= v_some - _EPS else ""
            rank = score / max(v_strong, _EPS)
        else:
            continue
        if not strength:
            continue
        template = {("auc", "strong"): W.PROXY_AUC_STRONG, ("auc", "some"): W.PROXY_AUC_SOME,
                    ("cramers_v", "strong"): W.PROXY_V_STRONG, ("cramers_v", "some"): W.PROXY_V_SOME}[method, strength]
        found.append(({"column": col, "method": method, "score": round(score, 4), "strength": strength,
                       "text": template.format(column=col, sensitive=sensitive, score=f"{score:.2f}")},
                      (strength == "strong", rank)))
    found.sort(key=lambda item: item[1], reverse=True)
    return [item[0] for item in found]
