"""Time ``check_drift`` on two 100,000-row x 20-column tables against a bare numpy/scipy baseline.

Run ``.venv/bin/python bench/bench_drift.py [rows] [repeats]``. It builds an old table and a
new one with five planted shifts (a number moved up, a number spread out, a number often left
empty, a category whose mix changed, a category with a new value) and times, in the same run:

- ``check_drift`` as the app and the CLI call it (column kinds come with the loaded Dataset);
- ``check_drift`` guessing the column kinds itself;
- ``check_drift`` without the old-versus-new classifier (per-column work only);
- a bare baseline of the same per-column statistics written the obvious way with numpy,
  pandas and scipy: ``np.quantile`` bins + PSI and ``scipy.stats.wasserstein_distance`` for
  numbers, ``value_counts`` + PSI and ``scipy.spatial.distance.jensenshannon`` for categories.

It prints the median of ``repeats`` runs (after one warm-up) and the ratios. DESIGN.md's
target: drift between two 100,000-row files within 1.5 s on 2 cores (Evidently takes 5.3 s).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from fairtrial.drift import check_drift  # noqa: E402
from fairtrial.kinds import infer_kinds  # noqa: E402


def make_pair(n: int = 100_000, seed: int = 11) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two 20-column tables; the new one has five planted shifts."""

    def table(rng: np.random.Generator, new: bool) -> pd.DataFrame:
        start = 0 if not new else n
        t = {
            "customer_id": [f"C{i:07d}" for i in range(start, start + n)],
            "signup_date": (pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, n) + (365 if new else 0),
                                                                         unit="D")).strftime("%Y-%m-%d"),
            "age": rng.integers(18, 80, n),
            "tenure_months": rng.geometric(1 / 24, n).clip(1, 96),
            "monthly_fee": np.round(rng.gamma(3.0, 12.0, n) * (1.25 if new else 1.0), 2),  # shift: higher
            "support_calls": rng.poisson(1.2, n),
            "income": rng.normal(42_000, 9_000, n),
            "basket_value": rng.lognormal(3.5, 0.6 if not new else 0.95, n),  # shift: spread out
            "discount": np.round(rng.uniform(0, 0.3, n), 3),
            "satisfaction": rng.normal(7.0, 1.5, n).clip(0, 10),
            "distance_km": rng.exponential(8.0, n),
            "last_order_days": rng.integers(0, 400, n).astype(float),
            "region": rng.choice(["north", "south", "east", "west"], n,
                                 p=[0.4, 0.3, 0.2, 0.1] if not new else [0.25, 0.3, 0.25, 0.2]),  # shift: mix
            "channel": rng.choice(["shop", "web", "phone"] + (["app"] if new else []), n,
                                  p=[0.5, 0.4, 0.1] if not new else [0.4, 0.35, 0.1, 0.15]),  # shift: new value
            "plan": rng.choice(["basic", "plus", "pro"], n, p=[0.6, 0.3, 0.1]),
            "city": rng.choice([f"city_{i:03d}" for i in range(200)], n),
            "payment": rng.choice(["card", "cash", "invoice", "paypal", "other"], n),
            "newsletter": rng.choice(["yes", "no"], n),
            "gender": rng.choice(["female", "male", "other"], n, p=[0.49, 0.49, 0.02]),
            "churned": rng.choice(["yes", "no"], n, p=[0.2, 0.8]),
        }
        frame = pd.DataFrame(t)
        if new:  # shift: a number often left empty
            frame.loc[rng.random(n) < 0.25, "last_order_days"] = np.nan
        return frame

    return table(np.random.default_rng(seed), False), table(np.random.default_rng(seed + 1), True)


def bare_baseline(ref: pd.DataFrame, new: pd.DataFrame, numbers: list[str], categories: list[str]) -> dict:
    """The same per-column statistics, written the obvious way."""
    from scipy.spatial.distance import jensenshannon
    from scipy.stats import wasserstein_distance

    out = {}
    for col in numbers:
        r = ref[col].to_numpy(dtype="float64", na_value=np.nan)
        n = new[col].to_numpy(dtype="float64", na_value=np.nan)
        r, n = r[np.isfinite(r)], n[np.isfinite(n)]
        edges = np.unique(np.quantile(r, np.linspace(0, 1, 11)[1:-1]))
        cr = np.bincount(np.searchsorted(edges, r, side="right"), minlength=len(edges) + 1) / len(r)
        cn = np.bincount(np.searchsorted(edges, n, side="right"), minlength=len(edges) + 1) / len(n)
        cr, cn = np.maximum(cr, 1e-4), np.maximum(cn, 1e-4)
        psi = float(np.sum((cn - cr) * np.log(cn / cr)))
        out[col] = (psi, wasserstein_distance(r, n) / r.std(ddof=1))
    for col in categories:
        shares = pd.concat({"r": ref[col].value_counts(normalize=True, dropna=False),
                            "n": new[col].value_counts(normalize=True, dropna=False)}, axis=1).fillna(0.0)
        pr, pn = shares["r"].to_numpy(), shares["n"].to_numpy()
        fr, fn = np.maximum(pr, 1e-4), np.maximum(pn, 1e-4)
        out[col] = (float(np.sum((fn - fr) * np.log(fn / fr))), float(jensenshannon(pr, pn, base=2)))
    return out


def _median_time(fn, repeats: int) -> tuple[float, object]:
    result = fn()  # warm-up (imports, first-call costs)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main(rows: int = 100_000, repeats: int = 5) -> None:
    ref, new = make_pair(rows)
    kinds = infer_kinds(ref)
    numbers = [c for c, k in kinds.items() if k == "number"]
    categories = [c for c, k in kinds.items() if k in ("category", "boolean") and c != "churned"]

    t_full, report = _median_time(lambda: check_drift(ref, new, kinds=kinds, target="churned"), repeats)
    t_guess, _ = _median_time(lambda: check_drift(ref, new, target="churned"), repeats)
    os.environ["FAIRTRIAL_DRIFT_DOMAIN_MIN_ROWS"] = str(10**12)  # switch the classifier off
    t_cols, _ = _median_time(lambda: check_drift(ref, new, kinds=kinds, target="churned"), repeats)
    del os.environ["FAIRTRIAL_DRIFT_DOMAIN_MIN_ROWS"]
    t_bare, bare = _median_time(lambda: bare_baseline(ref, new, numbers, categories), repeats)

    for col, (p, other) in bare.items():  # same numbers as the baseline (no empty cells in these columns' old rows)
        row = report.column(col)
        if row.missing_reference == 0 and row.missing_new == 0:
            assert abs(row.psi - p) < 1e-3, (col, row.psi, p)

    dc = report.details["domain_classifier"]
    print(f"drift: {rows:,} + {rows:,} rows x {ref.shape[1]} columns; median of {repeats} runs; "
          f"{os.cpu_count()} cores")
    print(f"  found: {report.summary}")
    print(f"  shifted columns: {', '.join(report.drifted_columns)}; classifier AUC {report.domain_auc} "
          f"on {dc['sample_rows_reference']:,} + {dc['sample_rows_new']:,} sampled rows")
    print(f"  check_drift (kinds given, as app/CLI):    {t_full:6.3f} s   (target 1.5 s; Evidently 5.3 s)")
    print(f"  check_drift (guessing kinds itself):      {t_guess:6.3f} s")
    print(f"  check_drift without the classifier:       {t_cols:6.3f} s")
    print(f"  bare numpy/scipy per-column baseline:     {t_bare:6.3f} s")
    print(f"  ratio per-column work / bare baseline:    {t_cols / t_bare:6.2f}x")
    print(f"  ratio whole check_drift / bare baseline:  {t_full / t_bare:6.2f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000, int(sys.argv[2]) if len(sys.argv) > 2 else 5)
