"""Benchmark: the whole ``fairtrial compare`` process against a bare whole-process script.

What a user waits for is the whole command: start-up and imports, reading and hashing the file,
the data checks, the trial (folds, final models, holdout, importance, robustness), storing it all.
This script writes a generated churn-like table (``bench_trial.make_data``: 12 numbers, 6
categories, 2 yes/no columns and a yes/no target) to a CSV and times, as separate processes,
alternating (bare, FairTrial, bare, FairTrial ...) after one warm-up of each:

- FairTrial: ``fairtrial compare FILE --target target --a simple --b boosting --folds 5
  --repeats 1 --seed 0 --json --timings`` with a fresh database each time;
- bare: ``python -c`` that reads the CSV with pandas, keeps a stratified random 80% of the rows
  and runs scikit-learn ``cross_validate`` (5 folds) of a plain logistic regression pipeline
  (impute + scale numbers, one-hot categories) and a default ``HistGradientBoostingClassifier``
  (categories as ordinal codes).

    .venv/bin/python bench/bench_compare.py [--rows 100000] [--rounds 3] [--money] [--before-src OLD/src]

Prints each run with the machine's load, the medians, the ratio (wall and CPU seconds; CPU is the
whole machine's busy time during the run, so run it on a quiet machine), the target (<= 1.3, DESIGN.md) and where FairTrial's time
went (the median seconds of each step of ``--timings``). ``--money`` adds money-view prices.
``--before-src`` also times another copy of FairTrial's ``src`` (e.g. ``git archive`` of an older
commit) in the same rounds, for a before/after ratio measured under the same load.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
sys.path.insert(0, str(HERE))

from bench_trial import make_data  # noqa: E402

# The bare whole-process CV (also bench_bigfile.py's): argv[1] the CSV, argv[2] an optional row cap.
BARE = """
import sys
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_validate, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

frame = pd.read_csv(sys.argv[1])
y = frame.pop("target")
pool, _ = train_test_split(np.arange(len(frame)), test_size=0.2, random_state=0, stratify=y)
if len(sys.argv) > 2 and len(pool) > int(sys.argv[2]):  # the same number of training rows as a sampled trial
    pool, _ = train_test_split(pool, train_size=int(sys.argv[2]), random_state=0, stratify=y.iloc[pool])
X, y = frame.iloc[pool], y.iloc[pool]
num = [c for c in X.columns if X[c].dtype.kind in "fi"]
cat = [c for c in X.columns if c not in num]
lr = make_pipeline(ColumnTransformer([("n", make_pipeline(SimpleImputer(), StandardScaler()), num),
                                      ("c", OneHotEncoder(handle_unknown="ignore"), cat)]),
                   LogisticRegression(max_iter=1000))
hgb = make_pipeline(ColumnTransformer([("n", "passthrough", num),
                                       ("c", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), cat)]),
                    HistGradientBoostingClassifier())
cv = StratifiedKFold(5, shuffle=True, random_state=0)
for model in (lr, hgb):
    print(cross_validate(model, X, y, cv=cv)["test_score"].mean())
"""


_SETTLE_SECONDS = 0.3  # after a run, for processes it started but did not wait for to finish


def _busy_seconds() -> float | None:
    """The whole machine's busy CPU seconds so far (Linux: /proc/stat), or None elsewhere."""
    try:
        with open("/proc/stat") as fh:
            fields = fh.readline().split()
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq = (int(x) for x in fields[1:8])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def _timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall and CPU seconds of ``cmd`` and its stdout.

    CPU is the whole machine's busy time from start to end (plus ``_SETTLE_SECONDS``): the
    command's workers come from a fork server that the command does not wait for, so the CPU
    of the processes it waited for (``RUSAGE_CHILDREN``, used where /proc/stat is missing)
    leaves them out. Hence: a quiet machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy = _busy_seconds()
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{cmd[:4]} failed:\n{done.stderr[-2000:]}")
    if busy is not None:
        time.sleep(_SETTLE_SECONDS)
        return wall, _busy_seconds() - busy, done.stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of (bare, FairTrial) after a warm-up")
    parser.add_argument("--a", default="simple")
    parser.add_argument("--b", default="boosting")
    parser.add_argument("--money", action="store_true", help="also give money-view prices (1, 0.2, 0.5)")
    parser.add_argument("--python", default=sys.executable, help="the Python that runs both processes")
    parser.add_argument("--warmup", type=int, default=1, help="warm-up rounds, not counted (default 1)")
    parser.add_argument("--before-src", help="another FairTrial src folder to time in the same rounds (before/after)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench_compare_") as tmp:
        path = Path(tmp) / "churn.csv"
        make_data(args.rows).to_csv(path, index=False)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
        bare_cmd = [args.python, "-c", BARE, str(path)]
        compare = [args.python, "-m", "fairtrial.cli", "compare", str(path), "--target", "target", "--a", args.a,
                   "--b", args.b, "--folds", "5", "--repeats", "1", "--seed", "0", "--json", "--timings"]
        if args.money:
            compare += ["--value-hit", "1", "--cost-false-alarm", "0.2", "--cost-miss", "0.5"]
        print(f"data: {args.rows:,} rows x 20 columns + target ({path.stat().st_size / 1e6:.0f} MB CSV); "
              f"A={args.a} B={args.b}", flush=True)

        def fairtrial_run(i: int, src: Path = SRC) -> tuple[float, float, dict]:
            run_env = {**env, "FAIRTRIAL_DB": str(Path(tmp) / f"run{i}_{abs(hash(str(src)))}.duckdb"),
                       "PYTHONPATH": str(src)}
            wall, cpu, out = _timed(compare if src == SRC else [a for a in compare if a != "--timings"], run_env)
            return wall, cpu, json.loads(out)

        bare, ours, before, breakdowns = [], [], [], []
        result = old = None
        for r in range(args.rounds + args.warmup):
            label = "warm-up" if r < args.warmup else f"round {r - args.warmup + 1}"
            b = _timed(bare_cmd, env)[:2]
            print(f"{label}: bare      {b[0]:6.1f} s wall {b[1]:6.1f} s CPU  (load {os.getloadavg()[0]:.1f})", flush=True)
            wall, cpu, result = fairtrial_run(r)
            print(f"{label}: fairtrial {wall:6.1f} s wall {cpu:6.1f} s CPU  (load {os.getloadavg()[0]:.1f})", flush=True)
            if args.before_src:
                old_wall, old_cpu, old = fairtrial_run(r, Path(args.before_src).resolve())
                print(f"{label}: before    {old_wall:6.1f} s wall {old_cpu:6.1f} s CPU  (load {os.getloadavg()[0]:.1f})",
                      flush=True)
            if r >= args.warmup:
                bare.append(b)
                ours.append((wall, cpu))
                breakdowns.append(result["timings"])
                if args.before_src:
                    before.append((old_wall, old_cpu))

    med = {k: statistics.median(x[i] for x in rows) for k, rows, i in
           (("bare wall", bare, 0), ("bare cpu", bare, 1), ("ours wall", ours, 0), ("ours cpu", ours, 1))}
    print(f"\nwhere fairtrial compare's time went (median of {len(breakdowns)} runs, seconds):")
    for key in breakdowns[0]:
        values = [t.get(key, 0.0) for t in breakdowns]
        print(f"  {statistics.median(values):7.2f}  {key}")
    print(f"\nmetric {result['primary_metric']}: A {result['a']['mean']:.4f}  B {result['b']['mean']:.4f}  "
          f"baseline {result['baseline']['mean']:.4f}; holdout A {result['a']['holdout']:.4f} "
          f"B {result['b']['holdout']:.4f}")
    print("verdict:", result["verdict"]["text"])
    print(f"\nbare whole-process CV: {med['bare wall']:.1f} s wall, {med['bare cpu']:.1f} s CPU (medians)")
    print(f"fairtrial compare:     {med['ours wall']:.1f} s wall, {med['ours cpu']:.1f} s CPU (medians)")
    if before:
        old_wall, old_cpu = (statistics.median(x[i] for x in before) for i in (0, 1))
        print(f"before ({args.before_src}): {old_wall:.1f} s wall, {old_cpu:.1f} s CPU (medians); ratio "
              f"{old_wall / med['bare wall']:.2f}x wall, {old_cpu / med['bare cpu']:.2f}x CPU; "
              f"A {old['a']['mean']:.4f} B {old['b']['mean']:.4f}")
    print(f"ratio: {med['ours wall'] / med['bare wall']:.2f}x wall, {med['ours cpu'] / med['bare cpu']:.2f}x CPU "
          f"(target <= 1.3x)  per round: "
          f"{[round(o[0] / b[0], 2) for o, b in zip(ours, bare)]} wall  load now {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
