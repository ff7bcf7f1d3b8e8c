"""Paired statistics for comparing two recipes, and intervals others reuse.

- ``corrected_t_test``: the Nadeau–Bengio corrected resampled t-test for per-split
  differences of repeated cross-validation (the folds overlap, so the plain t-test is
  far too confident).
- ``bootstrap_mean_ci``: percentile bootstrap interval of a mean difference.
- ``mcnemar``: McNemar's test on paired right/wrong answers (exact binomial when the
  disagreements are few, chi-square with continuity correction otherwise).
- ``paired_bootstrap``: resample holdout rows, recompute both recipes' scores on the same
  resample, and read the interval and p-value of the difference.
- ``wilson_interval``: the Wilson score interval of a proportion.

Every function takes plain arrays and numbers and returns a small frozen dataclass or a
tuple; none reads global state, and every random draw takes an explicit seed.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
from scipy import stats as sps

from .scoring import weighted_differences

__all__ = [
    "McNemarResult",
    "PairedBootstrapResult",
    "PairedTest",
    "bootstrap_mean_ci",
    "corrected_t_test",
    "mcnemar",
    "paired_bootstrap",
    "wilson_interval",
]


def _clean(x: float) -> float | None:
    return None if x is None or not math.isfinite(x) else float(x)


@dataclass(frozen=True)
class PairedTest:
    """Result of the corrected resampled t-test on per-split differences."""

    mean: float
    ci_low: float
    ci_high: float
    p_value: float
    t: float
    se: float
    df: int
    splits: int
    confidence: float

    def to_dict(self) -> dict:
        return {k: (_clean(v) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def corrected_t_test(diffs, n_train: float, n_test: float, confidence: float = 0.95) -> PairedTest:
    """Nadeau & Bengio (2003) corrected resampled t-test.

    With J per-split differences d (same splits for both recipes), mean d̄ and sample
    variance s² (ddof=1), the variance of d̄ is estimated as (1/J + n_test/n_train)·s²
    instead of s²/J: the extra n_test/n_train term accounts for the overlap of training
    sets between splits. The interval is d̄ ± t(J−1, (1+confidence)/2)·se and the p-value
    is two-sided from a t distribution with J−1 degrees of freedom.

    When every difference is the same (s² = 0) the interval is that single value and the
    p-value is 1 if it is zero, 0 otherwise.
    """
    d = np.asarray(diffs, dtype=np.float64)
    d = d[np.isfinite(d)]
    j = len(d)
    if j < 2:
        raise ValueError("the corrected t-test needs at least two splits")
    if n_train <= 0 or n_test <= 0:
        raise ValueError("n_train and n_test must be positive")
    if np.all(d == d[0]):  # exactly equal differences: no spread (avoid round-off noise in the mean)
        mean, var = float(d[0]), 0.0
    else:
        mean, var = float(d.mean()), float(d.var(ddof=1))
    df = j - 1
    se = math.sqrt((1.0 / j + n_test / n_train) * var)
    if se == 0.0 or not math.isfinite(se):
        p = 1.0 if mean == 0.0 else 0.0
        t = 0.0 if mean == 0.0 else math.copysign(math.inf, mean)
        return PairedTest(mean, mean, mean, p, t, 0.0, df, j, confidence)
    t = mean / se
    p = float(2.0 * sps.t.sf(abs(t), df))
    half = float(sps.t.ppf((1.0 + confidence) / 2.0, df)) * se
    return PairedTest(mean, mean - half, mean + half, min(1.0, p), float(t), se, df, j, confidence)


def bootstrap_mean_ci(diffs, rounds: int = 2000, seed: int = 0, confidence: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean of ``diffs`` (resampling the values)."""
    d = np.asarray(diffs, dtype=np.float64)
    d = d[np.isfinite(d)]
    if len(d) == 0:
        return float("nan"), float("nan")
    if np.all(d == d[0]):
        return float(d[0]), float(d[0])
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(d), size=(rounds, len(d)))
    means = d[idx].mean(axis=1)
    alpha = (1.0 - confidence) / 2.0
    return float(np.quantile(means, alpha)), float(np.quantile(means, 1.0 - alpha))


@dataclass(frozen=True)
class McNemarResult:
    """``b``: rows A got right and B wrong; ``c``: rows A got wrong and B right."""

    b: int
    c: int
    statistic: float
    p_value: float
    method: str  # "exact" | "chi-square"

    def to_dict(self) -> dict:
        return {"b": self.b, "c": self.c, "statistic": _clean(self.statistic), "p_value": _clean(self.p_value),
                "method": self.method}


def mcnemar(correct_a, correct_b, exact_below: int = 25) -> McNemarResult:
    """McNemar's test of paired right/wrong answers on the same rows.

    Only rows where the two disagree count: b (A right, B wrong) and c (A wrong, B right).
    When b + c < ``exact_below`` the p-value is the exact two-sided binomial test
    ``min(1, 2·P(X <= min(b, c)))`` with X ~ Binomial(b + c, 1/2); otherwise the
    chi-square statistic with continuity correction ``(|b − c| − 1)² / (b + c)`` on one
    degree of freedom. With no disagreements at all the p-value is 1.
    """
    a = np.asarray(correct_a, dtype=bool)
    bb = np.asarray(correct_b, dtype=bool)
    b = int(np.sum(a & ~bb))
    c = int(np.sum(~a & bb))
    n = b + c
    if n == 0:
        return McNemarResult(0, 0, 0.0, 1.0, "exact")
    if n < exact_below:
        p = min(1.0, 2.0 * float(sps.binom.cdf(min(b, c), n, 0.5)))
        return McNemarResult(b, c, float(min(b, c)), p, "exact")
    stat = (abs(b - c) - 1.0) ** 2 / n
    return McNemarResult(b, c, float(stat), float(sps.chi2.sf(stat, 1)), "chi-square")


@dataclass(frozen=True)
class PairedBootstrapResult:
    """Holdout difference ``score(B) − score(A)`` with its bootstrap interval and p-value."""

    difference: float
    ci_low: float
    ci_high: float
    p_value: float
    rounds: int

    def to_dict(self) -> dict:
        return {k: (_clean(v) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def paired_bootstrap(metric: str, y_true, pred_a=None, pred_b=None, proba_a=None, proba_b=None, *,
                     classes=(), positive=None, rounds: int = 2000, seed: int = 0,
                     confidence: float = 0.95, chunk: int = 100) -> PairedBootstrapResult:
    """Paired bootstrap of ``score(B) − score(A)`` on the same rows.

    Each round draws n rows with replacement, turned into row counts (weights), so both
    recipes are scored on exactly the same resample. The interval is the percentile
    interval of the differences; the two-sided p-value is
    ``min(1, 2·min(share of differences <= 0, share >= 0))``.
    """
    y = np.asarray(y_true)
    n = len(y)
    args = (y, pred_a, pred_b, proba_a, proba_b, classes, positive)
    observed = float(weighted_differences(metric, np.ones((1, n)), *args)[0])
    rng = np.random.default_rng(seed)
    diffs = []
    done = 0
    while done < rounds:
        size = min(chunk, rounds - done)
        picks = rng.integers(0, n, size=(size, n)) + (np.arange(size) * n)[:, None]
        w = np.bincount(picks.ravel(), minlength=size * n).reshape(size, n).astype(np.float64)
        diffs.append(weighted_differences(metric, w, *args))
        done += size
    d = np.concatenate(diffs)
    d = d[np.isfinite(d)]
    if len(d) == 0:
        return PairedBootstrapResult(observed, float("nan"), float("nan"), float("nan"), rounds)
    alpha = (1.0 - confidence) / 2.0
    p = min(1.0, 2.0 * min(float(np.mean(d <= 0)), float(np.mean(d >= 0))))
    return PairedBootstrapResult(observed, float(np.quantile(d, alpha)), float(np.quantile(d, 1 - alpha)), p,
                                 rounds)


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion ``successes / n``.

    centre = (p̂ + z²/2n) / (1 + z²/n), half-width = z·sqrt(p̂(1−p̂)/n + z²/4n²) / (1 + z²/n),
    with z the two-sided normal quantile. Returns (nan, nan) when n is 0.
    """
    if n <= 0:
        return float("nan"), float("nan")
    if not 0 <= successes <= n:
        raise ValueError("successes must be between 0 and n")
    z = float(sps.norm.ppf((1.0 + confidence) / 2.0))
    p = successes / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)
