"""Drift: do the new rows still look like the rows a model learned from?

``check_drift(reference, new)`` compares two tables and says, in plain words, which columns
have shifted and whether the new rows as a whole look different. Methods and limits follow
``shared/CHECKS.md`` ("New data (drift)"); every number comes from ``settings``.

- Schema: columns missing from or new in the new file, a column whose type changed, category
  values never seen before. A missing column the model needs blocks scoring.
- Number columns: population stability index (PSI) on ``drift_bins`` bins cut at the old
  rows' quantiles (empty bins count as ``drift_bin_floor``; empty cells get a bin of their own
  when either file has any, and so does a value shared by at least half a bin's worth of old
  rows, so whole-number counts and constants are not lumped with their neighbours), and the
  Wasserstein distance divided by the old rows' standard deviation ("how far values moved, in
  units of their usual spread").
- Category and yes/no columns: PSI over the values (empty cells are a value of their own)
  and the Jensen–Shannon distance in base 2 (0 = same mix, 1 = nothing in common).
- Sampling noise: with few rows per value both PSI and the Jensen–Shannon distance come out
  well above 0 even when nothing changed (a random 50/50 split of a 180-value column with 30
  rows a value has JS about 0.11). So every column is also tested (two-sample KS test for
  numbers, with a test of the empty-cell share; chi-square for categories; Benjamini–Hochberg
  across the compared columns), and its effect sizes are compared with their chance levels at
  these file sizes (``chance_levels``: simulated no-change splits from the pooled shares;
  ``wasserstein_chance``: the analytic expectation, widened to an upper quantile by re-splits;
  the level is what luck stays below in ``drift_chance_quantile`` of no-change splits). A
  column has shifted only when its test says "unlikely to be luck" AND its effect beyond the
  chance level clears the threshold. Small samples (either file has at most
  ``drift_small_sample_rows`` rows) are worded by the test and stay warnings; larger ones are
  worded by the effect sizes.
- Whole table: the share of shifted columns, weighted by importance when given, and a
  domain classifier: gradient-boosted trees try to tell old rows from new ones; its
  out-of-fold AUC says how different the two tables look (0.5 = cannot tell them apart); it
  counts only when it is also above what luck reaches at the sample sizes it saw.
  It sees a sample of at most ``drift_domain_sample_rows`` rows from each file, never the
  target, IDs, dates or free text.

Large data is judged by effect sizes, not p-values: with many rows every test says "different".
Messages name columns and numbers, never the values in the cells.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable

import numpy as np
import pandas as pd

from . import settings
from .errors import BadChoiceError
from .findings import SEVERITY_RANK, Finding
from .kinds import _DATE_LIKE, infer_kind, infer_kinds, numeric_share

__all__ = ["ColumnDrift", "DriftReport", "check_drift", "psi", "js_distance", "wasserstein_sorted"]

_COMPARED_NUMBER = ("number",)
_COMPARED_CATEGORY = ("category", "boolean")
_SKIP_REASON = {
    "id": "looks like an ID (a different value on almost every row), so it is expected to differ and was not compared",
    "date": "holds dates; new rows are expected to be later, so it was not compared",
    "text": "holds free text, which FairTrial does not compare",
}
_KIND_WORDS = {
    "number": "numbers", "category": "categories", "boolean": "yes/no values", "date": "dates",
    "text": "free text", "id": "IDs",
}
_MISSING_KEY = "\x00<empty>\x00"
_DOMAIN_MAX_LEVELS = 250  # category levels kept for the domain classifier (HistGradientBoosting allows < 255)


# --------------------------------------------------------------------------------------------
# Result objects
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ColumnDrift:
    """How one column compares between the old and the new rows.

    ``method`` is ``psi+wasserstein`` (numbers), ``psi+js`` (categories), ``ks`` or
    ``chi-square`` (small samples; the effect sizes are still filled in to show) or
    ``skipped`` (IDs, dates, free text). ``wasserstein`` is divided by the old rows' standard
    deviation. ``psi_chance``, ``js_chance`` and ``wasserstein_chance`` are what those come out
    as by luck alone at these file sizes (the ``drift_chance_quantile`` quantile under no change). ``p_value`` is the
    Benjamini–Hochberg adjusted value of the column's test (KS for numbers, chi-square for
    categories; every size), ``p_value_raw`` the test's own. ``severity`` is ``ok``,
    ``warning`` or ``critical``. ``text`` is one plain sentence.
    """

    column: str
    kind: str
    method: str
    role: str = "feature"
    psi: float | None = None
    wasserstein: float | None = None
    js: float | None = None
    p_value: float | None = None
    p_value_raw: float | None = None
    drifted: bool = False
    severity: str = "ok"
    text: str = ""
    weight: float = 0.0
    rows_reference: int = 0
    rows_new: int = 0
    missing_reference: float | None = None
    missing_new: float | None = None
    unseen_values: int = 0
    unseen_share: float = 0.0
    psi_chance: float | None = None
    js_chance: float | None = None
    wasserstein_chance: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return _clean(asdict(self))


@dataclass(frozen=True)
class DriftReport:
    """Everything ``check_drift`` found, ready for the app, the CLI and the report."""

    findings: list[Finding]
    columns: list[ColumnDrift]
    share_drifted: float
    weighted_share: float
    domain_auc: float | None
    blocking: bool
    summary: str
    details: dict[str, Any] = field(default_factory=dict)
    drift: bool = False  # the decision the summary states: a column shifted or the classifier tells the files apart

    def column(self, name: str) -> ColumnDrift:
        for row in self.columns:
            if row.column == name:
                return row
        raise KeyError(name)

    @property
    def drifted_columns(self) -> list[str]:
        return [c.column for c in self.columns if c.drifted]

    def to_dict(self) -> dict[str, Any]:
        return _clean({
            "summary": self.summary,
            "drift": self.drift,
            "share_drifted": self.share_drifted,
            "weighted_share": self.weighted_share,
            "domain_auc": self.domain_auc,
            "blocking": self.blocking,
            "columns": [c.to_dict() for c in self.columns],
            "findings": [f.to_dict() for f in self.findings],
            "details": self.details,
        })


def _clean(value: Any) -> Any:
    """Plain JSON values: numpy scalars unwrapped, NaN/inf as None."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


# --------------------------------------------------------------------------------------------
# Statistics (pure numpy; exposed for tests and the benchmark)
# --------------------------------------------------------------------------------------------
def psi(p_ref: np.ndarray, p_new: np.ndarray, floor: float | None = None) -> float:
    """Population stability index of two share vectors; shares below ``floor`` count as ``floor``."""
    floor = settings.get("drift_bin_floor") if floor is None else floor
    a = np.maximum(np.asarray(p_ref, dtype="float64"), floor)
    b = np.maximum(np.asarray(p_new, dtype="float64"), floor)
    return float(np.sum((b - a) * np.log(b / a)))


def js_distance(p_ref: np.ndarray, p_new: np.ndarray) -> float:
    """Jensen–Shannon distance in base 2 (0 = same shares, 1 = nothing in common)."""
    p = np.asarray(p_ref, dtype="float64")
    q = np.asarray(p_new, dtype="float64")
    p = p / p.sum()
    q = q / q.sum()
    m = (p + q) / 2.0
    with np.errstate(divide="ignore", invalid="ignore"):
        kl_p = np.where(p > 0, p * np.log(p / m), 0.0).sum()
        kl_q = np.where(q > 0, q * np.log(q / m), 0.0).sum()
    value = (kl_p + kl_q) / (2.0 * math.log(2.0))
    return float(math.sqrt(min(max(value, 0.0), 1.0)))


def wasserstein_sorted(u: np.ndarray, v: np.ndarray) -> float:
    """1-D Wasserstein distance of two already sorted samples (same result as scipy's).

    The area between the two step CDFs: merge the samples (two sorted runs, so a stable sort
    is a linear merge), count how many of each side lie at or below every point by a running
    sum, and add up |F_u - F_v| times the gap to the next point. Ties add zero-width gaps.
    """
    if len(u) == 0 or len(v) == 0:
        return float("nan")
    merged, gap = _cdf_gap(u, v)
    return float((np.abs(gap) * np.diff(merged)).sum())


def _cdf_gap(u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both sorted samples merged, and F_u - F_v just after each merged point but the last."""
    both = np.concatenate((u, v))
    order = np.argsort(both, kind="stable")
    merged = both[order]
    from_u = np.cumsum(order < len(u))[:-1]  # how many of u lie at or below each point
    steps = np.arange(1, len(both), dtype="float64")  # how many of both
    # F_u - F_v = from_u / n_u - (steps - from_u) / n_v
    return merged, from_u * (1.0 / len(u) + 1.0 / len(v)) - steps / len(v)


def _ks_large(n_u: int, n_v: int, gap: np.ndarray, steps: np.ndarray) -> float:
    """Two-sample KS p-value (scipy's asymptotic method) from ``_cdf_gap`` and the merged steps."""
    from scipy.stats import kstwo

    real = steps > 0  # inside a run of ties the CDFs are not yet both at their value
    d = float(np.abs(gap[real]).max()) if real.any() else 0.0
    en = n_u * n_v / (n_u + n_v)
    return float(np.clip(kstwo.sf(d, np.round(en)), 0.0, 1.0))


def chance_levels(counts_ref: np.ndarray, counts_new: np.ndarray, draws: int | None = None,
                  seed: int = 0) -> tuple[float, float]:
    """How big PSI and the Jensen–Shannon distance come out by luck alone at these file sizes.

    Under "no change" both files are drawn from the same shares; the best guess of those shares
    is the two files pooled. ``draws`` pairs of files of the same sizes are drawn (multinomial)
    from the pooled shares and the ``drift_chance_quantile`` quantile of each statistic over the
    draws is returned: ``(psi_chance, js_chance)`` ("luck alone stays below this in 95 of 100
    no-change splits"). Both statistics are biased upward by sampling noise (PSI by about
    (values - 1) x (1/n_old + 1/n_new)), and more so with many values and few rows each, so an
    observed value is judged by how far it lies above these levels.
    """
    cr = np.asarray(counts_ref, dtype="int64")
    cn = np.asarray(counts_new, dtype="int64")
    n_r, n_n = int(cr.sum()), int(cn.sum())
    pooled = (cr + cn)[(cr + cn) > 0].astype("float64")
    if n_r == 0 or n_n == 0 or len(pooled) < 2:
        return 0.0, 0.0
    pooled /= pooled.sum()
    draws = int(settings.get("drift_chance_draws")) if draws is None else int(draws)
    draws = max(20, min(draws, 2_000_000 // len(pooled)))  # keeps a many-valued column fast
    rng = np.random.default_rng(seed)
    a = rng.multinomial(n_r, pooled, size=draws) / n_r
    b = rng.multinomial(n_n, pooled, size=draws) / n_n
    floor = settings.get("drift_bin_floor")
    fa, fb = np.maximum(a, floor), np.maximum(b, floor)
    psi_draws = ((fb - fa) * np.log(fb / fa)).sum(axis=1)
    m = (a + b) / 2.0
    with np.errstate(divide="ignore", invalid="ignore"):
        kl = np.where(a > 0, a * np.log(a / m), 0.0).sum(axis=1) + np.where(b > 0, b * np.log(b / m), 0.0).sum(axis=1)
    js_draws = np.sqrt(np.clip(kl / (2.0 * math.log(2.0)), 0.0, 1.0))
    q = float(settings.get("drift_chance_quantile"))
    return float(np.quantile(psi_draws, q)), float(np.quantile(js_draws, q))


def wasserstein_chance(u: np.ndarray, v: np.ndarray, draws: int | None = None, seed: int = 0) -> float:
    """How big the Wasserstein distance of two sorted samples of these sizes comes out by luck alone.

    Under no change, at every point the gap between the two step CDFs is about normal with mean
    0 and variance F(1 - F)(1/n_u + 1/n_v), so the expected distance (the area of the gap) is
    sqrt(2/pi) times the integral of that standard deviation over the pooled values. The
    ``drift_chance_quantile`` quantile is that expectation times the ratio quantile / mean seen
    in ``draws`` random re-splits of (a sample of 1,000 of) the pooled values; with at most 1,000
    values in all it is the quantile over re-splits of the values themselves (a permutation test's
    null distribution, exact where the normal approximation is weakest).
    """
    if len(u) == 0 or len(v) == 0:
        return float("nan")
    return _w_chance(np.sort(np.concatenate((u, v)), kind="stable"), len(u), len(v), draws, seed)


def _w_chance(both: np.ndarray, n_u: int, n_v: int, draws: int | None = None, seed: int = 0,
              steps: np.ndarray | None = None) -> float:
    """``wasserstein_chance`` from the two samples already merged and sorted (``steps``: its diff)."""
    steps = np.diff(both) if steps is None else steps
    f = np.arange(1, len(both), dtype="float64") / len(both)
    area = float((np.sqrt(f * (1.0 - f)) * steps).sum())
    mean = math.sqrt(2.0 / math.pi) * math.sqrt(1.0 / n_u + 1.0 / n_v) * area
    if mean <= 0:
        return 0.0
    rng = np.random.default_rng(seed)
    pool = both if len(both) <= 1_000 else both[np.sort(rng.choice(len(both), 1_000, replace=False))]
    m = len(pool)
    k = max(1, min(m - 1, round(m * n_u / len(both))))
    draws = int(settings.get("drift_chance_draws")) if draws is None else int(draws)
    # Each draw puts a random k of the (sorted) pooled values on the old side; the area between
    # the two step CDFs is then a running count, for all draws at once.
    side = rng.permuted(np.tile(np.arange(m) < k, (max(draws, 10), 1)), axis=1)
    on_u = np.cumsum(side, axis=1)[:, :-1]
    gap = on_u / k - (np.arange(1, m) - on_u) / (m - k)
    w = (np.abs(gap) * np.diff(pool)).sum(axis=1)
    level = float(np.quantile(w, float(settings.get("drift_chance_quantile"))))
    if len(pool) == len(both):  # every value re-split: the permutation quantile itself
        return level
    return float(mean * level / w.mean()) if w.mean() > 0 else mean


def _as_float(col: pd.Series) -> np.ndarray:
    """Numbers as float64 with NaN for empty cells and for anything that is not a number."""
    if pd.api.types.is_bool_dtype(col) or pd.api.types.is_numeric_dtype(col):
        out = col.to_numpy(dtype="float64", na_value=np.nan)
    else:
        out = pd.to_numeric(col, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    if not out.flags.writeable:
        out = out.copy()
    out[~np.isfinite(out)] = np.nan
    return out


@dataclass
class _Numeric:
    values_ref: np.ndarray
    values_new: np.ndarray
    psi: float
    wasserstein: float | None
    missing_ref: float
    missing_new: float
    shift: float  # (mean new - mean ref) / std ref
    spread_ratio: float  # std new / std ref
    p_raw: float | None = None
    psi_chance: float = 0.0  # PSI expected by luck alone at these sizes
    wasserstein_chance: float | None = None  # the same for the distance, ÷ reference std


def _numeric_stats(r: np.ndarray, n: np.ndarray, seed: int = 0) -> _Numeric:
    bins = int(settings.get("drift_bins"))
    ok_r = r[~np.isnan(r)]
    ok_n = n[~np.isnan(n)]
    rs = np.sort(ok_r)
    ns = np.sort(ok_n)
    edges = np.unique(np.quantile(rs, np.arange(1, bins) / bins)) if len(rs) else np.empty(0)
    # A value many old rows share (a whole-number count, a constant) gets a bin of its own, so
    # "all 5" versus "half 5, half 6" is not one bin on both sides.
    heavy = (np.searchsorted(rs, edges, side="right") - np.searchsorted(rs, edges, side="left")) \
        >= 0.5 / bins * len(rs)
    keep = np.column_stack((np.ones(len(edges), dtype=bool), heavy)).ravel()

    def counts(sorted_values: np.ndarray) -> np.ndarray:
        cuts = np.column_stack((np.searchsorted(sorted_values, edges, side="left"),
                                np.searchsorted(sorted_values, edges, side="right"))).ravel()[keep]
        return np.diff(np.concatenate(([0], cuts, [len(sorted_values)])))

    cr, cn = counts(rs), counts(ns)
    miss_r, miss_n = len(r) - len(rs), len(n) - len(ns)
    if miss_r or miss_n:
        cr = np.append(cr, miss_r)
        cn = np.append(cn, miss_n)
    value_psi = psi(cr / max(len(r), 1), cn / max(len(n), 1))

    psi_chance, _ = chance_levels(cr, cn, seed=seed)

    w_norm: float | None = None
    w_chance: float | None = None
    shift = spread = float("nan")
    p_raw = 1.0 if len(rs) == len(ns) else 0.0  # nothing filled on one side (or both)
    if len(rs) and len(ns):
        merged, gap = _cdf_gap(rs, ns)  # one merge serves the distance, its chance level and the KS test
        steps = np.diff(merged)
        w = float((np.abs(gap) * steps).sum())
        if len(rs) > 1 and len(ns) > 1 and max(len(rs), len(ns)) > int(settings.get("drift_small_sample_rows")):
            p_raw = _ks_large(len(rs), len(ns), gap, steps)
        std_r = float(rs.std(ddof=1)) if len(rs) > 1 else 0.0
        std_n = float(ns.std(ddof=1)) if len(ns) > 1 else 0.0
        if std_r > 0:
            w_norm = w / std_r
            w_chance = _w_chance(merged, len(rs), len(ns), seed=seed, steps=steps) / std_r
            shift = (float(ns.mean()) - float(rs.mean())) / std_r
            spread = std_n / std_r
        elif w == 0:
            w_norm, w_chance, shift, spread = 0.0, 0.0, 0.0, 1.0
    # A test at every size: an effect size alone is inflated by sampling noise.
    from scipy.stats import chi2_contingency, ks_2samp

    # scipy's (exact where it can) p-value for small samples; the asymptotic one, computed above
    # from the same merge, for large ones
    if len(rs) and len(ns) and (min(len(rs), len(ns)) <= 1 or
                                max(len(rs), len(ns)) <= int(settings.get("drift_small_sample_rows"))):
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "ks_2samp: Exact calculation unsuccessful", RuntimeWarning)
            p_raw = float(ks_2samp(rs, ns).pvalue)
    if miss_r or miss_n:
        # KS only sees filled cells: test "empty or not" too and keep the smaller, doubled (Bonferroni).
        table = np.array([[miss_r, len(rs)], [miss_n, len(ns)]])
        table = table[:, table.sum(axis=0) > 0]
        p_missing = float(chi2_contingency(table, correction=False).pvalue) if table.shape[1] == 2 else 1.0
        p_raw = min(1.0, 2.0 * min(p_raw, p_missing))
    return _Numeric(r, n, value_psi, w_norm, miss_r / max(len(r), 1), miss_n / max(len(n), 1), shift, spread, p_raw,
                    psi_chance, w_chance)


def _canonical_keys(uniques: Iterable[Any]) -> list[str]:
    """One text key per value, so 1, 1.0 and "1" are one category and ' a' equals 'a'."""
    keys = []
    for v in uniques:
        if isinstance(v, (bool, np.bool_)):
            keys.append("1" if v else "0")  # True is 1, as in pandas
        elif isinstance(v, (int, np.integer)):
            keys.append(str(int(v)))
        elif isinstance(v, (float, np.floating)):
            f = float(v)
            keys.append(str(int(f)) if math.isfinite(f) and f == int(f) and abs(f) < 1e15 else repr(f))
        else:
            text = str(v).strip()
            keys.append(text if text else _MISSING_KEY)
    return keys


@dataclass
class _Category:
    codes_ref: np.ndarray  # joint category id per row, -1 for empty
    codes_new: np.ndarray
    counts_ref: np.ndarray  # per joint id, empty cells last
    counts_new: np.ndarray
    n_seen: int  # joint ids below this appear in the old rows
    psi: float
    js: float
    missing_ref: float
    missing_new: float
    unseen_values: int
    unseen_share: float
    p_raw: float | None = None
    psi_chance: float = 0.0  # PSI expected by luck alone at these sizes
    js_chance: float = 0.0  # the same for the Jensen–Shannon distance


def _category_stats(ref: pd.Series, new: pd.Series, seed: int = 0) -> _Category:
    kr, ur = pd.factorize(ref, use_na_sentinel=True)
    kn, un = pd.factorize(new, use_na_sentinel=True)
    index: dict[str, int] = {}
    map_r = np.empty(len(ur) + 1, dtype="int64")
    for i, key in enumerate(_canonical_keys(ur)):
        map_r[i] = -1 if key == _MISSING_KEY else index.setdefault(key, len(index))
    n_seen = len(index)
    map_n = np.empty(len(un) + 1, dtype="int64")
    for i, key in enumerate(_canonical_keys(un)):
        map_n[i] = -1 if key == _MISSING_KEY else index.setdefault(key, len(index))
    map_r[-1] = -1  # factorize's -1 (empty) indexes the last slot
    map_n[-1] = -1
    codes_r = map_r[kr]
    codes_n = map_n[kn]
    k = len(index)
    cr = np.bincount(codes_r + 1, minlength=k + 1)
    cn = np.bincount(codes_n + 1, minlength=k + 1)
    counts_r = np.append(cr[1:], cr[0])  # empty cells last
    counts_n = np.append(cn[1:], cn[0])
    if counts_r[-1] == 0 and counts_n[-1] == 0:
        counts_r, counts_n = counts_r[:-1], counts_n[:-1]
    n_r, n_n = max(len(ref), 1), max(len(new), 1)
    p_r, p_n = counts_r / n_r, counts_n / n_n
    unseen = cn[1 + n_seen:]
    table = np.vstack([counts_r, counts_n])
    table = table[:, table.sum(axis=0) > 0]
    p_raw = 1.0
    if table.shape[1] >= 2 and table[0].sum() and table[1].sum():
        from scipy.stats import chi2_contingency

        p_raw = float(chi2_contingency(table, correction=False).pvalue)
    return _Category(
        codes_r, codes_n, counts_r, counts_n, n_seen,
        psi(p_r, p_n), js_distance(p_r, p_n) if counts_r.sum() and counts_n.sum() else 1.0,
        cr[0] / n_r, cn[0] / n_n, int((unseen > 0).sum()), float(unseen.sum() / n_n), p_raw,
        *chance_levels(counts_r, counts_n, seed=seed),
    )


# --------------------------------------------------------------------------------------------
# Plain words
# --------------------------------------------------------------------------------------------
def _pct(share: float) -> str:
    value = 100.0 * share
    if value == 0:
        return "0%"
    if value < 1:
        return f"{value:.1f}%"
    return f"{value:.0f}%"


def _num(x: float | None, digits: int = 2) -> str:
    return "n/a" if x is None or not math.isfinite(x) else f"{x:.{digits}f}"


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def _names(cols: Iterable[str], limit: int = 8) -> str:
    cols = [f"'{c}'" for c in cols]
    if len(cols) > limit:
        return ", ".join(cols[:limit]) + f" and {len(cols) - limit} more"
    return ", ".join(cols)


def _p_words(p: float) -> str:
    if p < 0.001:
        return "less than 0.1% of the time"
    return f"only {_pct(p)} of the time" if p < 0.05 else f"{_pct(p)} of the time"


def _numeric_how(st: _Numeric) -> str:
    parts = []
    w = st.wasserstein or 0.0
    if math.isfinite(st.shift) and abs(st.shift) >= max(0.05, 0.5 * w):
        side = "higher" if st.shift > 0 else "lower"
        parts.append(f"values are mostly {side} than before, by about {abs(st.shift):.2f} of their usual spread")
    elif math.isfinite(st.spread_ratio) and st.spread_ratio >= 1.2:
        parts.append(f"values are more spread out than before ({st.spread_ratio:.1f}× the usual spread)")
    elif math.isfinite(st.spread_ratio) and 0 < st.spread_ratio <= 1 / 1.2:
        parts.append(f"values are less spread out than before ({st.spread_ratio:.1f}× the usual spread)")
    elif w >= settings.get("wasserstein_warning") / 2:
        parts.append(f"the shape of the values changed (they moved {w:.2f} of their usual spread in all)")
    if abs(st.missing_new - st.missing_ref) >= 0.05:
        parts.append(f"empty cells went from {_pct(st.missing_ref)} to {_pct(st.missing_new)} of rows")
    return "; ".join(parts)


def _category_how(st: _Category) -> str:
    p_r = st.counts_ref / max(st.counts_ref.sum(), 1)
    p_n = st.counts_new / max(st.counts_new.sum(), 1)
    parts = []
    if len(p_r):
        i = int(np.argmax(np.abs(p_n - p_r)))
        if (st.missing_ref > 0 or st.missing_new > 0) and i == len(p_r) - 1:
            parts.append(f"empty cells went from {_pct(p_r[i])} to {_pct(p_n[i])} of rows")
        elif i < st.n_seen and abs(p_n[i] - p_r[i]) >= 0.005:
            parts.append(f"one value went from {_pct(p_r[i])} of rows to {_pct(p_n[i])}")
    if st.unseen_values:
        cover = "covers" if st.unseen_values == 1 else "cover"
        parts.append(f"{_plural(st.unseen_values, 'value')} never seen before {cover} "
                     f"{_pct(st.unseen_share)} of the new rows")
    return "; ".join(parts)


# --------------------------------------------------------------------------------------------
# Schema
# --------------------------------------------------------------------------------------------
def _changed_kind(kind: str, new_col: pd.Series, name: str) -> tuple[str, float] | None:
    """The new kind when the column's type really changed (not just a different guess)."""
    nonempty = new_col.dropna()
    if nonempty.empty:
        return None
    if kind == "number":
        if numeric_share(new_col) >= 0.9:  # the rule kinds uses (on a sample)
            return None
        text = nonempty.astype(str).str.strip()
        text = text[text != ""]
        bad = float(pd.to_numeric(text, errors="coerce").isna().mean()) if len(text) else 0.0
        new_kind = infer_kind(new_col, name)
        return ("category" if new_kind == "number" else new_kind), bad
    if kind in ("id", "text"):
        return None  # not compared, and their guessed kind moves with the rows
    if (kind == "date") == _looks_like_dates(nonempty):
        return None
    return infer_kind(new_col, name), float("nan")


def _looks_like_dates(values: pd.Series) -> bool:
    """The same rule as ``kinds``: a date column, or text where 95% of a sample reads as dates."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return True
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return False
    sample = values.sample(n=500, random_state=0) if len(values) > 500 else values
    return bool(sample.astype(str).str.strip().str.match(_DATE_LIKE).mean() >= 0.95)


def _schema_findings(ref_cols: list[str], new_cols: list[str], target: str | None,
                     needed: list[str] | None) -> tuple[list[Finding], bool]:
    findings: list[Finding] = []
    new_set = set(new_cols)
    ref_set = set(ref_cols)
    folded = {c.strip().casefold(): c for c in new_cols}

    def hint(col: str) -> str:
        other = folded.get(col.strip().casefold())
        return f" The new file has a column '{other}', which may be the same one under another spelling." \
            if other and other != col else ""

    blocking = False
    needed_set = [c for c in (needed or []) if c != target]
    for col in needed_set:
        if col not in new_set:
            blocking = True
            findings.append(Finding(
                check="schema", severity="critical", columns=(col,),
                title=f"A column the model needs is missing: '{col}'",
                message=(f"The model needs the column '{col}', but the new file has no column with that name, "
                         f"so FairTrial cannot score these rows.{hint(col)}"),
                suggestion=(f"Add '{col}' to the new file with the same name and meaning as before, "
                            "or retrain the model without it."),
                details={"missing_column": col, "needed": True},
                action="scoring blocked",
            ))
    others = [c for c in ref_cols if c not in new_set and c != target and c not in needed_set]
    if others:
        known = needed is not None
        hints = "".join(hint(c) for c in others)
        findings.append(Finding(
            check="schema", severity="info" if known else "warning", columns=tuple(others),
            title=f"{_plural(len(others), 'column')} of the old file {'is' if len(others) == 1 else 'are'} missing",
            message=(f"{_plural(len(others), 'column')} of the old file {'is' if len(others) == 1 else 'are'} "
                     f"not in the new one: {_names(others)}."
                     + (" The model does not use them, so scoring can go ahead." if known else
                        " A model that uses them cannot score these rows.") + hints),
            suggestion=("Nothing to do for scoring." if known else
                        "If the model uses these columns, add them back with the same names; otherwise ignore this."),
            details={"missing_columns": others, "count": len(others)},
        ))
    extra = [c for c in new_cols if c not in ref_set]
    if extra:
        findings.append(Finding(
            check="schema", severity="warning", columns=tuple(extra),
            title=f"{_plural(len(extra), 'new column')} in the new file",
            message=(f"The new file has {_plural(len(extra), 'column')} the old one did not have: {_names(extra)}. "
                     + ("A model trained on the old rows never saw it and ignores it." if len(extra) == 1 else
                        "A model trained on the old rows never saw them and ignores them.")),
            suggestion="If these columns should matter, retrain on data that has them; otherwise ignore this.",
            details={"new_columns": extra, "count": len(extra)},
        ))
    return findings, blocking


# --------------------------------------------------------------------------------------------
# Domain classifier
# --------------------------------------------------------------------------------------------
def _domain_classifier(numeric: dict[str, _Numeric], categories: dict[str, _Category], n_ref: int, n_new: int,
                       seed: int) -> tuple[float | None, dict[str, Any]]:
    cap = int(settings.get("drift_domain_sample_rows"))
    min_rows = int(settings.get("drift_domain_min_rows"))
    used = list(numeric) + list(categories)
    info: dict[str, Any] = {"method": "gradient-boosted trees telling old rows from new ones, out-of-fold AUC",
                            "columns_used": used}
    if not used:
        info["skipped"] = "no number or category columns to compare"
        return None, info
    if min(n_ref, n_new) < min_rows:
        info["skipped"] = f"fewer than {min_rows} rows in one of the files"
        return None, info
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold
    from threadpoolctl import threadpool_limits

    rng = np.random.default_rng(seed)
    take_r = np.sort(rng.choice(n_ref, cap, replace=False)) if n_ref > cap else slice(None)
    take_n = np.sort(rng.choice(n_new, cap, replace=False)) if n_new > cap else slice(None)
    rows_r, rows_n = min(n_ref, cap), min(n_new, cap)
    blocks, is_cat = [], []
    for st in numeric.values():
        blocks.append(np.concatenate((st.values_ref[take_r], st.values_new[take_n])))
        is_cat.append(False)
    for st in categories.values():
        codes = np.concatenate((st.codes_ref[take_r], st.codes_new[take_n]))
        k = int(codes.max()) + 1 if len(codes) else 0
        if k > _DOMAIN_MAX_LEVELS:
            counts = np.bincount(codes[codes >= 0], minlength=k)
            order = np.argsort(-counts, kind="stable")
            remap = np.full(k, _DOMAIN_MAX_LEVELS, dtype="int64")
            remap[order[:_DOMAIN_MAX_LEVELS]] = np.arange(_DOMAIN_MAX_LEVELS)
            codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
        col = codes.astype("float64")
        col[codes < 0] = np.nan
        blocks.append(col)
        is_cat.append(True)
    x = np.column_stack(blocks)
    y = np.concatenate((np.zeros(rows_r, dtype="int8"), np.ones(rows_n, dtype="int8")))
    folds = 2 if len(y) >= 10_000 else 5
    folds = max(2, min(folds, rows_r, rows_n))
    oof = np.empty(len(y), dtype="float64")
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    # One OpenMP thread: about as fast as two on samples this size, and no stalls of spinning
    # OpenMP threads when another program is busy on the same cores (docs/benchmarks.md).
    with threadpool_limits(limits=1, user_api="openmp"):
        for train, test in splitter.split(x, y):
            model = HistGradientBoostingClassifier(
                max_iter=30, max_leaf_nodes=8, learning_rate=0.3, early_stopping=False,
                categorical_features=np.array(is_cat) if any(is_cat) else None, random_state=seed,
            )
            model.fit(x[train], y[train])
            oof[test] = model.predict_proba(x[test])[:, 1]
    auc = float(roc_auc_score(y, oof))
    info.update({"sample_rows_reference": rows_r, "sample_rows_new": rows_n, "folds": folds,
                 "sampled": bool(n_ref > cap or n_new > cap), "sample_cap_per_file": cap})
    return round(auc, 4), info


# --------------------------------------------------------------------------------------------
# The check
# --------------------------------------------------------------------------------------------
def _r(x: float, digits: int = 4) -> float:
    return round(float(x), digits)


def _sig(x: float, digits: int = 4) -> float:
    """``digits`` significant digits: small p-values stay readable, not 0.0."""
    return float(f"{float(x):.{digits}g}")


def _bh(p_values: list[float]) -> list[float]:
    if not p_values:
        return []
    from scipy.stats import false_discovery_control

    return [float(v) for v in false_discovery_control(np.asarray(p_values, dtype="float64"), method="bh")]


def check_drift(
    reference: pd.DataFrame,
    new: pd.DataFrame,
    *,
    kinds: dict[str, str] | None = None,
    needed_columns: list[str] | None = None,
    importance: dict[str, float] | None = None,
    target: str | None = None,
    seed: int = 42,
) -> DriftReport:
    """Compare ``new`` rows with the ``reference`` rows a model learned from.

    ``kinds`` are the reference columns' kinds (guessed when not given); ``needed_columns``
    the columns the model uses (a missing one blocks scoring; when not given, a missing
    column is a warning); ``importance`` weights columns in the share of shifted columns
    (equal weights when not given); ``target`` is compared on its own and never used by the
    domain classifier.
    """
    if reference.shape[0] == 0:
        raise BadChoiceError("The old (reference) file has no rows.", "Choose the file the model learned from.")
    if new.shape[0] == 0:
        raise BadChoiceError("The new file has no rows.", "Choose a file with the new rows to compare.")
    ref_names = {str(c): c for c in reference.columns}
    new_names = {str(c): c for c in new.columns}
    if target is not None and target not in ref_names:
        raise BadChoiceError(f"There is no column called '{target}' in the old file.",
                             "Pick the target from its columns, or leave it out.")
    kinds = dict(kinds) if kinds is not None else infer_kinds(reference)
    n_ref, n_new = int(reference.shape[0]), int(new.shape[0])
    small_rows = int(settings.get("drift_small_sample_rows"))
    small = min(n_ref, n_new) <= small_rows
    limits = _Limits.now()

    findings, blocking = _schema_findings(list(ref_names), list(new_names), target, needed_columns)

    # Per column: statistics, and the schema notes that only show up in the values.
    numeric: dict[str, _Numeric] = {}
    categories: dict[str, _Category] = {}
    rows: dict[str, dict[str, Any]] = {}
    for col in ref_names:
        if col not in new_names:
            continue
        kind = kinds.get(col) or infer_kind(reference[ref_names[col]], col)
        kind = kind if kind in _KIND_WORDS else "category"
        r_col, n_col = reference[ref_names[col]], new[new_names[col]]
        row: dict[str, Any] = {"column": col, "kind": kind, "role": "target" if col == target else "feature",
                               "rows_reference": n_ref, "rows_new": n_new}
        changed = _changed_kind(kind, n_col, col)
        if changed is not None:
            findings.append(_changed_kind_finding(col, kind, *changed))
        if kind in _COMPARED_NUMBER:
            st = numeric[col] = _numeric_stats(_as_float(r_col), _as_float(n_col), seed)
            row.update(method="ks" if small else "psi+wasserstein", psi=_r(st.psi),
                       wasserstein=None if st.wasserstein is None else _r(st.wasserstein), p_value_raw=st.p_raw,
                       missing_reference=_r(st.missing_ref), missing_new=_r(st.missing_new),
                       psi_chance=_r(st.psi_chance),
                       wasserstein_chance=None if st.wasserstein_chance is None else _r(st.wasserstein_chance))
        elif kind in _COMPARED_CATEGORY:
            cst = categories[col] = _category_stats(r_col, n_col, seed)
            row.update(method="chi-square" if small else "psi+js", psi=_r(cst.psi), js=_r(cst.js),
                       psi_chance=_r(cst.psi_chance), js_chance=_r(cst.js_chance),
                       p_value_raw=cst.p_raw, missing_reference=_r(cst.missing_ref), missing_new=_r(cst.missing_new),
                       unseen_values=int(cst.unseen_values), unseen_share=_r(cst.unseen_share))
            if cst.unseen_values:
                findings.append(_unseen_finding(col, cst))
        else:
            row.update(method="skipped", text=f"'{col}' {_SKIP_REASON.get(kind, 'was not compared')}.")
        rows[col] = row

    # Every compared column is tested, with the Benjamini–Hochberg correction across them.
    tested = [c for c in rows if rows[c]["method"] != "skipped"]
    for col, adjusted in zip(tested, _bh([rows[c]["p_value_raw"] for c in tested])):
        rows[col]["p_value"] = _sig(adjusted)
        rows[col]["p_value_raw"] = _sig(rows[col]["p_value_raw"])

    # Decide per column and say it in words.
    for col, row in rows.items():
        if row["method"] == "skipped":
            continue
        drifted, severity = _decide(row, limits)
        how = _numeric_how(numeric[col]) if col in numeric else _category_how(categories[col])
        row.update(drifted=drifted, severity=severity)
        row["text"] = _column_text(row, how, len(tested), limits)
        if drifted:
            findings.append(_column_finding(row, min(n_ref, n_new)))

    # Whole table: share of shifted columns, weighted by importance.
    features = [c for c, r in rows.items() if r["method"] != "skipped" and r["role"] == "feature"]
    weights, weighted_by = _weights(features, importance)
    for c in features:
        rows[c]["weight"] = round(weights[c], 6)
    drifted_features = [c for c in features if rows[c]["drifted"]]
    share = len(drifted_features) / len(features) if features else 0.0
    wshare = sum(weights[c] for c in drifted_features)
    if features and wshare >= limits.share_warn:
        findings.append(_share_finding(drifted_features, len(features), share, wshare, weighted_by, limits))

    # Whole table: can a classifier tell old rows from new ones?
    auc, domain_info = _domain_classifier({c: numeric[c] for c in features if c in numeric},
                                          {c: categories[c] for c in features if c in categories}, n_ref, n_new, seed)
    domain_level = _domain_level(auc, domain_info, limits)
    if domain_level != "ok":
        findings.append(_domain_finding(auc, domain_info, limits, domain_level))

    findings.sort(key=lambda f: -SEVERITY_RANK[f.severity])
    target_drifted = target is not None and bool(rows.get(target, {}).get("drifted"))
    summary = _summary(len(drifted_features), len(features), wshare, domain_level, blocking, target_drifted, findings,
                       limits)
    details = {
        "rows_reference": n_ref, "rows_new": n_new, "small_samples": small, "weights": weighted_by,
        "drifted_columns": drifted_features, "compared_columns": features,
        "skipped_columns": [c for c, r in rows.items() if r["method"] == "skipped"],
        "domain_classifier": domain_info,
        "thresholds": {**limits.__dict__, "drift_small_sample_rows": small_rows},
    }
    return DriftReport(findings=findings, columns=[ColumnDrift(**row) for row in rows.values()],
                       share_drifted=_r(share), weighted_share=_r(wshare), domain_auc=auc, blocking=blocking,
                       summary=summary, details=details,
                       drift=bool(drifted_features or target_drifted or domain_level != "ok"))


_TESTS = ("ks", "chi-square")


@dataclass(frozen=True)
class _Limits:
    """The drift thresholds in force for one check (read once from ``settings``)."""

    psi_warning: float
    psi_critical: float
    wasserstein_warning: float
    js_warning: float
    drift_share_warning: float
    domain_auc_warning: float
    domain_auc_critical: float
    drift_fdr_q: float
    drift_chance_quantile: float

    @classmethod
    def now(cls) -> "_Limits":
        return cls(**{name: float(settings.get(name)) for name in cls.__dataclass_fields__})

    @property
    def share_warn(self) -> float:
        return self.drift_share_warning

    @property
    def auc_warn(self) -> float:
        return self.domain_auc_warning


def _decide(row: dict[str, Any], lim: _Limits) -> tuple[bool, str]:
    """Shifted or not, and how badly.

    Two conditions, at every file size: the column's test says the difference is unlikely to be
    luck (Benjamini–Hochberg adjusted p below ``drift_fdr_q``), and the effect is big enough to
    matter once what luck alone produces at these sizes (in ``drift_chance_quantile`` of
    no-change splits) is taken off: PSI and the Wasserstein distance minus their chance levels,
    the Jensen–Shannon distance with its chance level removed in the squared scale (where
    independent noise adds up). A random split of one table
    has effects at their chance levels, so it does not count as drift however many values a
    column has.
    """
    if not row["p_value"] < lim.drift_fdr_q:
        return False, "ok"
    psi_excess = row["psi"] - (row.get("psi_chance") or 0.0)
    if row["kind"] in _COMPARED_NUMBER:
        w, w_chance = row["wasserstein"], row.get("wasserstein_chance") or 0.0
        drifted = psi_excess >= lim.psi_warning or (w is not None and w - w_chance >= lim.wasserstein_warning)
    else:
        drifted = _js_excess(row) >= lim.js_warning or psi_excess > lim.psi_critical
    if row["method"] in _TESTS:  # small samples: a warning sign, never "shifted a lot"
        return drifted, "warning" if drifted else "ok"
    return drifted, "critical" if drifted and psi_excess > lim.psi_critical else ("warning" if drifted else "ok")


def _js_excess(row: dict[str, Any]) -> float:
    """The Jensen–Shannon distance beyond luck: sqrt(js^2 - chance^2), 0 when below chance."""
    return math.sqrt(max(row["js"] ** 2 - (row.get("js_chance") or 0.0) ** 2, 0.0))


def _luck_share(lim: _Limits) -> str:
    return f"in {100 * lim.drift_chance_quantile:.0f} of 100 samples with no change at all"


def _column_text(row: dict[str, Any], how: str, n_tested: int, lim: _Limits) -> str:
    col, method, drifted, critical = row["column"], row["method"], row["drifted"], row["severity"] == "critical"
    name = f"'{col}'" + (" (the column you predict)" if row["role"] == "target" else "")
    more = f"; {how}." if drifted and how else "."
    significant = row["p_value"] < lim.drift_fdr_q
    small_anyway = "; the difference is real but small once what luck alone gives is taken off"
    if method in _TESTS:
        test = "a KS test" if method == "ks" else "a chi-square test"
        if method == "ks" and (row["missing_reference"] or row["missing_new"]):
            test = "a KS test of the values, with a test of how many cells are empty,"
        luck = (f"{test} says a difference this big would turn up by luck {_p_words(row['p_value'])} "
                f"(after allowing for the {_plural(n_tested, 'column')} tested)")
        if drifted:
            return f"{name} looks different in the new rows: {luck}{more}"
        return f"{name} looks like before: {luck}{small_anyway if significant else ''}."
    if method == "psi+wasserstein":
        nums = f"stability index (PSI) {_num(row['psi'])}, moved {_num(row['wasserstein'])} of its usual spread"
        chance = (f"with these file sizes, luck alone gives a PSI up to about {_num(row['psi_chance'])} and a move "
                  f"up to about {_num(row['wasserstein_chance'])} of the spread {_luck_share(lim)}")
        if critical:
            return (f"{name} has shifted a lot: {nums}. {chance[0].upper()}{chance[1:]}; a PSI more than "
                    f"{lim.psi_critical:.2f} beyond that is a big shift{more}")
        if drifted:
            return (f"{name} has shifted: {nums}. {chance[0].upper()}{chance[1:]}; a shift counts from PSI "
                    f"{lim.psi_warning:.2f} or {lim.wasserstein_warning:.2f} of the spread beyond that{more}")
        return f"{name} looks like before: {nums}; {chance}{small_anyway if significant else ''}."
    nums = f"Jensen–Shannon distance {_num(row['js'])} (0 = same mix, 1 = nothing in common), PSI {_num(row['psi'])}"
    chance = (f"with this many rows and values, luck alone gives a distance up to about {_num(row['js_chance'])} "
              f"and a PSI up to about {_num(row['psi_chance'])} {_luck_share(lim)}")
    if critical:
        return (f"The mix of values in {name} has shifted a lot: {nums}. {chance[0].upper()}{chance[1:]}; a PSI "
                f"more than {lim.psi_critical:.2f} beyond that is a big shift{more}")
    if drifted:
        return (f"The mix of values in {name} has shifted: {nums}. {chance[0].upper()}{chance[1:]}; a shift counts "
                f"from a distance of {lim.js_warning:.2f} beyond that{more}")
    return f"{name} looks like before: {nums}; {chance}{small_anyway if significant else ''}."


def _column_finding(row: dict[str, Any], fewest_rows: int) -> Finding:
    col, method, severity = row["column"], row["method"], row["severity"]
    small_note = (f" With only {fewest_rows:,} rows in one file this is a warning sign, not proof."
                  if method in _TESTS else "")
    impact = (" The model learned from the old answers, so its scores may be off for these rows."
              if row["role"] == "target" else " A model trained on the old rows may score these new rows badly.")
    keys = ("method", "psi", "wasserstein", "js", "p_value", "p_value_raw", "missing_reference", "missing_new")
    return Finding(
        check="small_sample_drift" if method in _TESTS else "column_drift",
        severity=severity, columns=(col,),
        title=f"'{col}' has shifted a lot" if severity == "critical" else f"'{col}' has shifted",
        message=row["text"] + impact + small_note,
        suggestion=(f"Check whether something changed in how '{col}' is collected or in your customers; "
                    "if the change is real, retrain on recent rows before trusting the scores."),
        details={k: row[k] for k in keys if row.get(k) is not None},
    )


def _changed_kind_finding(col: str, kind: str, new_kind: str, bad_share: float) -> Finding:
    known = math.isfinite(bad_share)
    extra = f" ({_pct(bad_share)} of its filled cells do not read as numbers)" if known else ""
    return Finding(
        check="schema", severity="warning", columns=(col,),
        title=f"'{col}' changed type",
        message=(f"'{col}' held {_KIND_WORDS[kind]} in the old file but looks like "
                 f"{_KIND_WORDS.get(new_kind, new_kind)} in the new one{extra}. "
                 "A model trained on the old rows will misread it."),
        suggestion=(f"Check how '{col}' is filled in the new file (units, typing mistakes, a different format) "
                    "and make it match the old file. FairTrial treats cells it cannot read as empty."),
        details={"old_kind": kind, "new_kind": new_kind, **({"unreadable_share": _r(bad_share)} if known else {})},
    )


def _unseen_finding(col: str, st: _Category) -> Finding:
    return Finding(
        check="schema", severity="warning", columns=(col,),
        title=f"New values in '{col}'",
        message=(f"'{col}' has {_plural(st.unseen_values, 'value')} in the new file that never appeared in the old "
                 f"one, on {_pct(st.unseen_share)} of the new rows. A model trained on the old rows has never seen "
                 "them and can only guess for those rows."),
        suggestion=(f"Check whether these are new options or spelling variants of old ones in '{col}'; "
                    "fix spellings, or retrain once you have enough rows with the new values."),
        details={"unseen_values": int(st.unseen_values), "unseen_share": _r(st.unseen_share)},
    )


def _weights(features: list[str], importance: dict[str, float] | None) -> tuple[dict[str, float], str]:
    """Weights summing to 1: importance (negatives count as 0) or, without it, equal."""
    raw = {c: max(float((importance or {}).get(c) or 0.0), 0.0) for c in features}
    total = sum(raw.values())
    if importance is None or total <= 0:
        return ({c: 1.0 / len(features) for c in features} if features else {}), "equal"
    return {c: v / total for c, v in raw.items()}, "importance"


def _share_finding(drifted: list[str], n_compared: int, share: float, wshare: float, weighted_by: str,
                   lim: _Limits) -> Finding:
    weighted_words = " once weighted by how much the model relies on each" if weighted_by == "importance" else ""
    n = len(drifted)
    return Finding(
        check="dataset_drift", severity="warning", columns=tuple(drifted),
        title="A large share of the columns has shifted",
        message=(f"{n} of {n_compared} compared columns {'has' if n == 1 else 'have'} shifted "
                 f"({_pct(wshare)}{weighted_words}), at or above the {_pct(lim.drift_share_warning)} limit. "
                 "A large share of the inputs look different from the rows the model learned from."),
        suggestion=("Check that the new file comes from the same source and process as the old one; "
                    "if it does, retrain on recent rows."),
        details={"drifted": n, "compared": n_compared, "share_drifted": _r(share), "weighted_share": _r(wshare),
                 "weights": weighted_by},
    )


def _domain_level(auc: float | None, info: dict[str, Any], lim: _Limits) -> str:
    """``ok``, ``warning`` or ``critical`` for the classifier's AUC, judged against its chance spread.

    Under no change an out-of-fold AUC is about normal around 0.5 with standard deviation
    sqrt((n_old + n_new + 1) / (12 n_old n_new)) (the Mann–Whitney statistic's), so on small
    samples a high AUC can be luck: it only counts when it is also above 0.5 plus
    ``drift_domain_alpha``'s one-sided normal quantile times that spread.
    """
    if auc is None:
        return "ok"
    from scipy.stats import norm

    n_r, n_n = info["sample_rows_reference"], info["sample_rows_new"]
    spread = math.sqrt((n_r + n_n + 1) / (12.0 * n_r * n_n))
    chance = 0.5 + float(norm.isf(float(settings.get("drift_domain_alpha")))) * spread
    info["auc_by_luck_up_to"] = _r(chance)
    if auc >= max(lim.domain_auc_critical, chance):
        return "critical"
    return "warning" if auc >= max(lim.domain_auc_warning, chance) else "ok"


def _domain_finding(auc: float, info: dict[str, Any], lim: _Limits, level: str) -> Finding:
    critical = level == "critical"
    sample = (f" It looked at {info['sample_rows_reference']:,} old and {info['sample_rows_new']:,} new rows, "
              "a sample to keep it fast." if info.get("sampled") else "")
    return Finding(
        check="domain_classifier", severity="critical" if critical else "warning",
        columns=tuple(info["columns_used"]),
        title="The new rows look clearly different" if critical else "The new rows look somewhat different",
        message=(f"A model asked to tell old rows from new ones scored AUC {auc:.2f} (0.5 means it cannot tell "
                 f"them apart, 1.0 means it always can; warning from {lim.domain_auc_warning:.2f}, serious from "
                 f"{lim.domain_auc_critical:.2f}; with this many rows luck alone reaches up to "
                 f"{info['auc_by_luck_up_to']:.2f}). "
                 + ("The new rows look clearly different from the old ones." if critical else
                    "The new rows differ from the old ones in ways a model can pick up.") + sample),
        suggestion=("Retrain before trusting the scores: add recent rows to the training data." if critical else
                    "Check the scores on the new rows carefully; retrain if they matter and the shifted columns "
                    "are important."),
        details={"auc": auc, **{k: v for k, v in info.items() if k != "columns_used"}},
    )


def _summary(n_drifted: int, n_compared: int, wshare: float, domain_level: str, blocking: bool,
             target_drifted: bool, findings: list[Finding], lim: _Limits) -> str:
    if blocking:
        missing = [c for f in findings if f.check == "schema" and f.severity == "critical" for c in f.columns]
        return (f"The new file is missing {_plural(len(missing), 'column')} the model needs ({_names(missing)}), "
                f"so it cannot be scored — add {'it' if len(missing) == 1 else 'them'} and try again.")
    if n_compared == 0:
        head = "No columns could be compared"
    elif n_drifted == 0:
        head = f"None of the {n_compared} compared columns has shifted"
    else:
        head = f"{n_drifted} of {n_compared} columns {'has' if n_drifted == 1 else 'have'} shifted"
    if domain_level == "critical":
        tail = "the new rows look clearly different from the old ones — retrain before trusting the scores."
    elif domain_level == "warning":
        tail = "the new rows look somewhat different from the old ones — check the scores carefully."
    elif n_compared and wshare >= lim.drift_share_warning:
        tail = "that is a large share of the inputs — consider retraining on recent rows."
    elif target_drifted:
        tail = "but the answers in the column you predict have shifted — the model may be out of date."
    elif n_drifted:
        tail = "overall the new rows still look like the old ones — keep an eye on the shifted columns."
    elif any(f.severity != "info" for f in findings):
        tail = "the new rows look like the old ones, but see the notes about the file's columns."
    else:
        tail = "the new rows look like the old ones."
    return f"{head}; {tail}"
