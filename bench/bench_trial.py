"""Benchmark: a whole FairTrial trial against a plain scikit-learn cross_validate.

On generated 100,000-row x 20-column data (12 numbers, 6 categories, 2 yes/no columns,
a binary target with some signal), times ``run_trial`` (split, A + B + baseline on the
shared folds, final models, holdout check, stats, calibration, robustness, importance,
model files) against a bare script doing ``cross_validate`` of the *same two pipelines*
on the *same folds*, in the same process, alternating the two so machine load hits both.

    .venv/bin/python bench/bench_trial.py [--rows 100000] [--a simple] [--b boosting] [--rounds 2]

Prints each timing with the machine's load, the ratio of the best runs (the least disturbed
by other programs; the median ratio too) against the target <= 1.15 (DESIGN.md), and peak memory. Data checks
are timed separately when ``fairtrial.checks.run_checks`` exists (pass ``--with-checks``).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from sklearn.model_selection import cross_validate  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from fairtrial import settings  # noqa: E402
from fairtrial.recipes import Recipe, build_pipeline  # noqa: E402
from fairtrial.scoring import choose_metric  # noqa: E402
from fairtrial.splits import make_splits  # noqa: E402
from fairtrial.task import class_labels, detect_task  # noqa: E402
from fairtrial.trial import TrialPlan, run_trial  # noqa: E402

KINDS = {**{f"num_{i}": "number" for i in range(12)}, **{f"cat_{i}": "category" for i in range(6)},
         "flag_0": "boolean", "flag_1": "boolean"}


def make_data(n: int = 100_000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    cols: dict[str, np.ndarray] = {}
    for i in range(12):
        cols[f"num_{i}"] = rng.normal(size=n)
    for i, k in enumerate((3, 5, 8, 12, 20, 40)):
        cols[f"cat_{i}"] = rng.choice([f"c{j}" for j in range(k)], size=n)
    cols["flag_0"] = rng.random(n) < 0.3
    cols["flag_1"] = rng.random(n) < 0.6
    f = pd.DataFrame(cols)
    logit = (0.8 * f.num_0 - 0.6 * f.num_1 + 0.5 * f.num_2 * f.num_3 + 0.4 * np.sin(2 * f.num_4)
             + (f.cat_0 == "c1") * 0.7 - (f.cat_1 == "c2") * 0.5 + f.flag_0 * 0.6 - 1.2)
    f["target"] = np.where(rng.random(n) < 1 / (1 + np.exp(-logit)), "yes", "no")
    f.loc[rng.random(n) < 0.03, "num_5"] = np.nan
    return f


def plain_sklearn(frame: pd.DataFrame, plan: TrialPlan) -> float:
    """What a careful scientist would write by hand: cross_validate both pipelines on the same folds."""
    start = time.perf_counter()
    task = detect_task(frame[plan.target], plan.target)
    columns = plan.feature_columns(frame)
    splits = make_splits(frame, plan.target, task, columns=columns, folds=plan.folds, seed=plan.seed)
    y = class_labels(frame[plan.target]).to_numpy(dtype=object)
    metric, _ = choose_metric(task, y)
    X = frame[columns]
    # The plain script gets the same thread rule as the trial on small data.
    limit = 1 if len(splits.pool) < settings.get("threads_min_rows") else None
    with threadpool_limits(limits=limit):
        for recipe in (plan.recipe_a, plan.recipe_b):
            pipe = build_pipeline(recipe, task, KINDS, columns, plan.seed, metric=metric)
            cross_validate(pipe, X, y, cv=list(splits.pairs), scoring=metric)
    return time.perf_counter() - start


def fairtrial_trial(frame: pd.DataFrame, plan: TrialPlan) -> tuple[float, list[tuple[float, str]], object]:
    marks: list[tuple[float, str]] = []
    start = time.perf_counter()
    result = run_trial(frame, KINDS, plan, progress=lambda share, msg: marks.append((time.perf_counter() - start, msg)))
    return time.perf_counter() - start, marks, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--a", default="simple")
    parser.add_argument("--b", default="boosting")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of (plain, trial)")
    parser.add_argument("--with-checks", action="store_true")
    args = parser.parse_args(argv)

    frame = make_data(args.rows)
    plan = TrialPlan(target="target", recipe_a=Recipe.parse(args.a), recipe_b=Recipe.parse(args.b))
    print(f"data: {frame.shape[0]:,} rows x {frame.shape[1] - 1} columns; A={args.a} B={args.b}", flush=True)

    plain_times, trial_times = [], []
    result = marks = None
    for r in range(args.rounds):
        plain_times.append(plain_sklearn(frame, plan))
        print(f"round {r + 1}: plain cross_validate {plain_times[-1]:.1f} s  (load {os.getloadavg()[0]:.1f})",
              flush=True)
        seconds, marks, result = fairtrial_trial(frame, plan)
        trial_times.append(seconds)
        print(f"round {r + 1}: FairTrial run_trial   {seconds:.1f} s  (load {os.getloadavg()[0]:.1f})", flush=True)

    check_seconds = None
    if args.with_checks:
        try:
            from fairtrial.checks import run_checks  # type: ignore[attr-defined]
        except ImportError:
            print("checks: fairtrial.checks.run_checks not available yet; skipped")
        else:
            start = time.perf_counter()
            run_checks(frame, "target", kinds=KINDS)
            check_seconds = time.perf_counter() - start
            print(f"checks: {check_seconds:.1f} s")

    plain, trial = min(plain_times), min(trial_times)
    print("\nwhere the trial's time went (last round):")
    previous = 0.0
    phases: dict[str, float] = {}
    for at, msg in marks:
        key = "folds" if msg.startswith("Re-split") else "final fits" if msg.startswith("Trained the final") else msg
        phases[key] = phases.get(key, 0.0) + (at - previous)
        previous = at
    for key, seconds in phases.items():
        print(f"  {seconds:6.1f} s  {key[:90]}")
    d = result.to_dict()
    print(f"\nsplits: {d['splits']['folds']} folds x {d['splits']['repeats']} repeats; "
          f"metric {d['primary_metric']}; A {d['a']['mean']:.4f}  B {d['b']['mean']:.4f}  "
          f"baseline {d['baseline']['mean']:.4f}")
    print("verdict:", d["verdict"]["text"])
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"\nplain cross_validate (best of {len(plain_times)}): {plain:.1f} s  {[round(t, 1) for t in plain_times]}")
    print(f"FairTrial run_trial  (best of {len(trial_times)}): {trial:.1f} s  {[round(t, 1) for t in trial_times]}")
    print(f"ratio: {trial / plain:.2f} best-of, {statistics.median(trial_times) / statistics.median(plain_times):.2f} "
          "median  (target <= 1.15)")
    if check_seconds is not None:
        print(f"ratio with checks: {(trial + check_seconds) / plain:.2f}")
    print(f"peak memory: {peak_self:.0f} MB (this process), {peak_children:.0f} MB (largest child process)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
