"""Time all pre-training checks on 100,000 rows x 20 columns against bare scikit-learn.

Run ``.venv/bin/python bench/bench_checks.py [rows]``. It builds a table with the classic
traps planted (an ID, e-mail addresses, a column filled only after the outcome, gender and
age, a postcode that stands in for a group, duplicates, missing values, outliers), times
``run_checks`` and, in the same run, a bare scikit-learn baseline of comparable model work:
``cross_val_predict`` of a depth-4 decision tree on every column, one at a time, on the same
sampled rows. It prints both times and their ratio. DESIGN.md's target: all checks on
100,000 rows within 3 s on 2 cores.
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np
import pandas as pd


def make_frame(n: int = 100_000, seed: int = 7) -> pd.DataFrame:
    """A 20-column table (19 columns + the target 'churned') with planted problems."""
    rng = np.random.default_rng(seed)
    group = rng.choice(3, size=n, p=[0.6, 0.25, 0.15])
    postcodes = np.array([f"P{g}{d}" for g in range(3) for d in range(12)])
    home = rng.random(n) < 0.9
    postcode = np.where(home, postcodes[group * 12 + rng.integers(0, 12, n)], postcodes[rng.integers(0, 36, n)])
    tenure = rng.geometric(1 / 24, size=n).clip(1, 96)
    fee = np.round(rng.gamma(3.0, 12.0, size=n), 2)
    calls = rng.poisson(1.2, size=n)
    latent = (-0.6 * np.log1p(tenure) + 0.3 * calls + 0.01 * fee - 1.2 * (group == 0)
              + rng.normal(0, 1, n))
    churned = latent > np.quantile(latent, 0.8)
    frame = pd.DataFrame({
        "customer_id": [f"C{i:07d}" for i in range(n)],
        "email": [f"user{i}@example.com" for i in rng.permutation(n)],
        "signup_date": (pd.Timestamp("2024-12-31") - pd.to_timedelta(tenure * 30, unit="D")).strftime("%Y-%m-%d"),
        "gender": rng.choice(["female", "male"], size=n),
        "age": rng.integers(18, 80, size=n),
        "ethnicity": np.array(["A", "B", "C"])[group],
        "postcode": postcode,
        "plan": rng.choice(["basic", "standard", "premium"], size=n, p=[0.5, 0.3, 0.2]),
        "region": rng.choice(["North", "South", "East", "West"], size=n),
        "monthly_fee": fee,
        "tenure_months": tenure,
        "support_calls": calls,
        "last_login_days": rng.exponential(6.0, size=n).round(1),
        "discount": rng.choice([0, 10, 20], size=n, p=[0.7, 0.2, 0.1]),
        "spend_total": np.round(fee * tenure * rng.lognormal(0, 0.2, n), 2),
        "devices": rng.integers(1, 6, size=n),
        "newsletter": rng.choice(["yes", "no"], size=n),
        "satisfaction": np.where(rng.random(n) < 0.2, np.nan, rng.integers(1, 6, size=n)),
        "cancellation_reason": np.where(churned, rng.choice(["price", "service", "moved"], size=n), None),
        "churned": np.where(churned, "yes", "no"),
    })
    dup = rng.choice(n, size=n // 200, replace=False)
    frame.iloc[dup[: len(dup) // 2]] = frame.iloc[dup[len(dup) // 2:]].to_numpy()
    outliers = rng.choice(n, size=50, replace=False)
    frame.loc[outliers, "monthly_fee"] = frame.loc[outliers, "monthly_fee"] * 40
    return frame


def baseline_seconds(frame: pd.DataFrame, target: str) -> float:
    """Bare scikit-learn doing the core model work of the checks: ``cross_val_predict`` of a
    depth-4 tree on each column alone (text as ordinal codes, empty cells as -1), on the
    same number of stratified sampled rows, with as many folds."""
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.tree import DecisionTreeClassifier

    from fairtrial import settings

    n_rows = min(len(frame), int(settings.get("leakage_sample_rows")))
    folds = int(settings.get("check_folds"))
    start = time.perf_counter()
    sample = frame.groupby(target, group_keys=False).sample(frac=n_rows / len(frame), random_state=0)
    y = sample[target].to_numpy()
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    for column in frame.columns.drop(target):
        values = sample[column]
        if pd.api.types.is_numeric_dtype(values):
            x = values.fillna(-1).to_numpy().reshape(-1, 1)
        else:
            x = pd.factorize(values, sort=True)[0].reshape(-1, 1)
        cross_val_predict(DecisionTreeClassifier(max_depth=4, random_state=0), x, y, cv=splitter,
                          method="predict_proba")
    return time.perf_counter() - start


def _timed(fn) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def main(argv: list[str] | None = None) -> dict:
    """``bench_checks.py [rows] [repeats]``: medians of interleaved runs, wall and CPU time."""
    from fairtrial.checks import run_checks
    from fairtrial.kinds import infer_kinds

    argv = sys.argv[1:] if argv is None else argv
    n = int(argv[0]) if argv else 100_000
    repeats = int(argv[1]) if len(argv) > 1 else 5
    frame = make_frame(n)
    kinds = infer_kinds(frame)
    report = run_checks(frame.head(2000), "churned")  # warm up imports and caches
    runs: dict[str, list[tuple[float, float]]] = {"guess kinds": [], "kinds given": [], "baseline": []}
    for _ in range(repeats):
        runs["guess kinds"].append(_timed(lambda: run_checks(frame, "churned")))
        runs["kinds given"].append(_timed(lambda: run_checks(frame, "churned", kinds=kinds)))
        runs["baseline"].append(_timed(lambda: baseline_seconds(frame, "churned")))
    report = run_checks(frame, "churned", kinds=kinds)
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in runs.items()}
    base_wall, base_cpu = med["baseline"]
    print(f"{n:,} rows x {frame.shape[1]} columns, median of {repeats} interleaved runs (wall s / CPU s):")
    for name, label in (("guess kinds", "run_checks, guessing column kinds"),
                        ("kinds given", "run_checks, kinds given (as the app and CLI call it)"),
                        ("baseline", "bare scikit-learn: depth-4 tree per column, cross_val_predict")):
        wall, cpu = med[name]
        print(f"  {label:62s} {wall:5.2f} / {cpu:5.2f}   ratio {wall / base_wall:4.2f}x / {cpu / base_cpu:4.2f}x")
    print("target: all checks <= 3 s on 100,000 rows")
    print(f"found: {report.summary_line()}")
    for finding in report.findings:
        print(f"  [{finding.severity}] {finding.check}: {', '.join(finding.columns)}")
    return {"rows": n, "medians": med}


if __name__ == "__main__":
    main()
