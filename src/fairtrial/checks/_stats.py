"""Small, vectorised statistics the checks share: Cramér's V, mutual information, Wilson."""

from __future__ import annotations

import math

import numpy as np

from ..stats import wilson_interval as _wilson

_Z95 = 1.959963984540054


def contingency(a: np.ndarray, b: np.ndarray, na: int, nb: int) -> np.ndarray:
    """Counts of each (a, b) pair; ``a`` and ``b`` are integer codes in [0, na) and [0, nb)."""
    return np.bincount(a.astype(np.int64) * nb + b.astype(np.int64), minlength=na * nb).reshape(na, nb)


def cramers_v(table: np.ndarray) -> float:
    """Bias-corrected Cramér's V (Bergsma 2013) of a contingency table; 0 when undefined."""
    table = np.asarray(table, dtype=float)
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    n = table.sum()
    r, k = table.shape
    if n < 2 or r < 2 or k < 2:
        return 0.0
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0, keepdims=True) / n
    chi2 = float(((table - expected) ** 2 / expected).sum())
    phi2 = chi2 / n
    phi2_corr = max(0.0, phi2 - (k - 1) * (r - 1) / (n - 1))
    r_corr = r - (r - 1) ** 2 / (n - 1)
    k_corr = k - (k - 1) ** 2 / (n - 1)
    denom = min(k_corr - 1, r_corr - 1)
    if denom <= 0:
        return 0.0
    return float(min(1.0, math.sqrt(phi2_corr / denom)))


def _entropy(counts: np.ndarray) -> float:
    total = counts.sum()
    if total <= 0:
        return 0.0
    p = counts[counts > 0] / total
    return float(-(p * np.log(p)).sum())


def normalized_mutual_information(table: np.ndarray) -> float:
    """Mutual information divided by the mean of the two entropies (as scikit-learn's default)."""
    table = np.asarray(table, dtype=float)
    n = table.sum()
    if n <= 0:
        return 0.0
    h_a = _entropy(table.sum(axis=1))
    h_b = _entropy(table.sum(axis=0))
    if h_a == 0 or h_b == 0:
        return 0.0
    mi = h_a + h_b - _entropy(table.ravel())
    return float(max(0.0, min(1.0, mi / ((h_a + h_b) / 2))))


def wilson_interval(successes: int | float, n: int | float) -> tuple[float, float]:
    """``fairtrial.stats.wilson_interval`` (95%), with the whole 0..1 range when there are no rows."""
    return (0.0, 1.0) if n <= 0 else _wilson(successes, n)


def mean_interval(values: np.ndarray, z: float = _Z95) -> tuple[float, float]:
    """A normal-approximation 95% interval of a mean."""
    n = len(values)
    if n < 2:
        m = float(values.mean()) if n else 0.0
        return (m, m)
    m = float(values.mean())
    half = z * float(values.std(ddof=1)) / math.sqrt(n)
    return (m - half, m + half)


def robust_z(values: np.ndarray) -> np.ndarray:
    """|x - median| / (1.4826 * MAD), falling back to the mean absolute deviation when MAD is 0.

    The modified z-score of Iglewicz and Hoaglin; NaN stays NaN. All zeros when spread is 0.
    """
    x = np.asarray(values, dtype=float)
    med = np.nanmedian(x)
    dev = np.abs(x - med)
    mad = np.nanmedian(dev)
    if mad > 0:
        return dev / (1.482602218505602 * mad)
    mean_ad = np.nanmean(dev)
    if mean_ad > 0:
        return dev / (1.2533141373155001 * mean_ad)
    return np.where(np.isnan(x), np.nan, 0.0)
