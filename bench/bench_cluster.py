"""Benchmark: a trial on this computer against the same trial on a local Dask cluster.

Needs the cluster extra (``pip install -e '.[cluster]'``), so ``make bench`` leaves it out.
On ``bench_trial.py``'s generated table, runs in turn (A, B, C, A, B, C ...): a bare
``cross_validate`` of the same two pipelines on the same folds (the yardstick), ``run_trial``
here, and ``run_trial`` with ``FAIRTRIAL_DASK_SCHEDULER`` pointing at a ``LocalCluster`` of
two one-thread worker processes started once beforehand (its start is timed apart; one
warm-up trial loads the packages in the workers). Checks that both trials give the same
numbers (fold scores, out-of-fold and holdout predictions, verdict) and prints medians and
ratios. On one machine the cluster shares the same cores, so this measures what going
through Dask costs (data sent to the workers, one thread per fit), not what more computers gain.

    .venv/bin/python bench/bench_cluster.py [--rows 30000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from bench_trial import KINDS, make_data  # noqa: E402
from sklearn.model_selection import cross_validate  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from fairtrial import settings  # noqa: E402
from fairtrial.recipes import Recipe, build_pipeline  # noqa: E402
from fairtrial.scoring import choose_metric  # noqa: E402
from fairtrial.splits import make_splits  # noqa: E402
from fairtrial.task import class_labels, detect_task  # noqa: E402
from fairtrial.trial import TrialPlan, run_trial  # noqa: E402


def bare(frame, plan: TrialPlan) -> float:
    """The yardstick: cross_validate of the same two pipelines on the trial's folds, here."""
    start = time.perf_counter()
    task = detect_task(frame[plan.target], plan.target)
    columns = plan.feature_columns(frame)
    splits = make_splits(frame, plan.target, task, folds=plan.folds, repeats=plan.repeats, seed=plan.seed)
    y = class_labels(frame[plan.target]).to_numpy(dtype=object)
    metric, _ = choose_metric(task, y)
    limit = 1 if len(splits.pool) < settings.get("threads_min_rows") else None  # the trial's thread rule
    with threadpool_limits(limits=limit):
        for recipe in (plan.recipe_a, plan.recipe_b):
            pipe = build_pipeline(Recipe.parse(recipe) if isinstance(recipe, str) else recipe, task, KINDS, columns,
                                  plan.seed, metric=metric)
            cross_validate(pipe, frame[columns], y, cv=list(splits.pairs), scoring=metric)
    return time.perf_counter() - start


def _trial(frame, plan, address: str):
    if address:
        os.environ["FAIRTRIAL_DASK_SCHEDULER"] = address
    else:
        os.environ.pop("FAIRTRIAL_DASK_SCHEDULER", None)
    start = time.perf_counter()
    result = run_trial(frame, KINDS, plan)
    return time.perf_counter() - start, result


def _same(here, there) -> list[str]:
    """What differs between two results (empty: the same numbers)."""
    out = []
    for role in ("a", "b", "baseline"):
        mine, theirs = getattr(here, role), getattr(there, role)
        if mine.fold_scores != theirs.fold_scores:
            out.append(f"{role} fold scores")
        if not (mine.oof_pred == theirs.oof_pred).all() or not (mine.holdout_pred == theirs.holdout_pred).all():
            out.append(f"{role} predictions")
    # measured seconds differ from run to run anywhere: the cost sentence, and the winner's
    # sentence ends with how much slower it is to train
    if here.verdict.winner != there.verdict.winner:
        out.append("winner")
    mine = [s for s in here.verdict.sentences if not s.startswith("Cost:") and "to train" not in s]
    theirs = [s for s in there.verdict.sentences if not s.startswith("Cost:") and "to train" not in s]
    out += [f"verdict: {a!r} vs {b!r}" for a, b in zip(mine, theirs) if a != b]
    if len(mine) != len(theirs):
        out.append("verdict: a different number of sentences")
    return out


def main(argv: list[str] | None = None) -> int:
    from distributed import LocalCluster

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--a", default="simple")
    parser.add_argument("--b", default="boosting")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)

    frame = make_data(args.rows)
    plan = TrialPlan(target="target", recipe_a=args.a, recipe_b=args.b, folds=args.folds, repeats=args.repeats,
                     seed=0)
    print(f"data: {frame.shape[0]:,} rows x {frame.shape[1] - 1} columns; A={args.a} B={args.b}; "
          f"{args.folds} folds x {args.repeats}; load {os.getloadavg()[0]:.1f}", flush=True)
    start = time.perf_counter()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        print(f"cluster of 2 one-thread workers started in {time.perf_counter() - start:.1f} s", flush=True)
        warm, _ = _trial(frame, plan, cluster.scheduler_address)
        print(f"warm-up trial on the cluster (workers load their packages): {warm:.1f} s", flush=True)
        times: dict[str, list[float]] = {"bare": [], "here": [], "cluster": []}
        differences = []
        for r in range(args.rounds):
            times["bare"].append(bare(frame, plan))
            seconds, here = _trial(frame, plan, "")
            times["here"].append(seconds)
            seconds, there = _trial(frame, plan, cluster.scheduler_address)
            times["cluster"].append(seconds)
            differences += _same(here, there)
            print(f"round {r + 1}: bare {times['bare'][-1]:.1f} s, trial here {times['here'][-1]:.1f} s, "
                  f"on the cluster {times['cluster'][-1]:.1f} s  (load {os.getloadavg()[0]:.1f}); "
                  f"{'same numbers' if not _same(here, there) else 'DIFFERENT: ' + ', '.join(_same(here, there))}",
                  flush=True)
    os.environ.pop("FAIRTRIAL_DASK_SCHEDULER", None)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"load at the end {os.getloadavg()[0]:.1f}")
    d = here.to_dict()
    print(f"\nA {d['a']['mean']:.4f}  B {d['b']['mean']:.4f}  winner {d['verdict']['winner']}")
    print(f"medians of {args.rounds}: bare {med['bare']:.1f} s, here {med['here']:.1f} s, cluster {med['cluster']:.1f} s")
    print(f"trial here / bare: {med['here'] / med['bare']:.2f}   on the cluster / bare: {med['cluster'] / med['bare']:.2f}"
          f"   cluster / here: {med['cluster'] / med['here']:.2f}")
    print("same numbers in every round" if not differences else f"DIFFERENT: {sorted(set(differences))}")
    return 1 if differences else 0


if __name__ == "__main__":
    raise SystemExit(main())
