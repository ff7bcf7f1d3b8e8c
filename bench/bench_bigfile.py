"""Benchmark (issue 13, big files): time and peak memory of ``fairtrial import``, ``check`` and
``compare`` on a big CSV against a bare whole-process cross-validation, in one run.

    .venv/bin/python bench/bench_bigfile.py [--rows 1000000] [--rounds 3] [--file /tmp/big.csv]
                                            [--only bare,import,check,compare] [--env NAME=VALUE ...]

The file (generated 20-column churn table of ``bench_trial.make_data``, numbers to 6 digits)
is written under /tmp when it does not exist and is never committed. Every command runs as its own
process under ``/usr/bin/time -v`` (wall seconds and "Maximum resident set size"; with joblib
workers the largest single process, which is what ``time -v`` reports for the parent and waited-for
children). The commands are interleaved with the bare script (bare, import, check, compare, bare,
...) so machine load hits both; the ratios are medians over the rounds. The bare script is what a
data scientist would type: ``pandas.read_csv``, a stratified 80% of the rows (the rows a trial
trains on when no sample is taken), and ``cross_validate`` (5 stratified folds) of a plain
logistic pipeline (impute + scale numbers, one-hot categories) and a default
HistGradientBoostingClassifier (categories as ordinal codes), one after the other. ``bare_sample``
does the same on a stratified 200,000 of those rows (``max_training_rows``), the rows a trial on
this file trains on: it reads the same whole file, so it shows what the sample itself saves.

Not run by the tests; prints a table and the ratios against the bare script.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable

sys.path.insert(0, str(ROOT / "bench"))
from bench_compare import BARE  # noqa: E402  (the same bare CV; its argv[2] caps the rows)


def make_file(path: Path, rows: int) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_trial import make_data

    make_data(rows, 0).to_csv(path, index=False, float_format="%.6g")


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, peak resident MB (``/usr/bin/time -v``) and the exit code of ``cmd``."""
    out = subprocess.run(["/usr/bin/time", "-v", *cmd], env=env, capture_output=True, text=True)
    err = out.stderr
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", err)
    h, m, s = (float(g) if g else 0.0 for g in wall.groups())
    rss = float(re.search(r"Maximum resident set size \(kbytes\): (\d+)", err).group(1)) / 1024
    if out.returncode:
        tail = [line for line in err.splitlines() if line.strip() and not line.startswith("\t")][-3:]
        print(f"  ! exit {out.returncode}: {' | '.join(tail)}", flush=True)
    return h * 3600 + m * 60 + s, rss, out.returncode


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--file", default=None)
    ap.add_argument("--only", default="bare,bare_sample,import,check,compare")
    ap.add_argument("--src", default=str(ROOT / "src"), help="the fairtrial sources to time (e.g. an older copy)")
    ap.add_argument("--env", action="append", default=[], help="NAME=VALUE for the fairtrial commands")
    args = ap.parse_args()
    path = Path(args.file or f"/tmp/fairtrial_big_{args.rows}.csv")
    if not path.exists():
        print(f"writing {path} ...", flush=True)
        make_file(path, args.rows)
    env = {**os.environ, "PYTHONPATH": args.src}
    env.update(dict(e.split("=", 1) for e in args.env))
    cli = [PY, "-m", "fairtrial.cli"]
    common = ["--target", "target"]
    with tempfile.TemporaryDirectory(prefix="bench_bigfile_") as tmp:
        commands = {
            "bare": [PY, "-c", BARE, str(path)],
            "bare_sample": [PY, "-c", BARE, str(path), "200000"],
            "import": [*cli, "--db", f"{tmp}/import.duckdb", "import", str(path), "--json"],
            "check": [*cli, "--db", f"{tmp}/check.duckdb", "check", str(path), *common, "--json"],
            "compare": [*cli, "--db", f"{tmp}/compare.duckdb", "compare", str(path), *common, "--a", "simple",
                        "--b", "boosting", "--folds", "5", "--repeats", "1", "--seed", "0", "--json"],
        }
        chosen = [c for c in args.only.split(",") if c in commands]
        results: dict[str, list[tuple[float, float]]] = {c: [] for c in chosen}
        for r in range(args.rounds):
            for name in chosen:
                for db in Path(tmp).glob("*.duckdb*"):
                    db.unlink()
                seconds, mb, _ = timed(commands[name], env)
                results[name].append((seconds, mb))
                print(f"round {r + 1} {name:11s} {seconds:8.1f} s  peak {mb:7.0f} MB  (load {load()})", flush=True)
    print(f"\n{path} ({path.stat().st_size / 1e6:.0f} MB), {args.rounds} rounds, medians:")
    medians = {name: (statistics.median(s for s, _ in runs), statistics.median(mb for _, mb in runs))
               for name, runs in results.items()}
    for name, (t, m) in medians.items():
        ratio = ""
        for base in ("bare", "bare_sample"):
            if base in medians and not name.startswith("bare"):
                bt, bm = medians[base]
                ratio += f"  | vs {base}: time {t / bt:.2f}x, peak {m / bm:.2f}x"
        print(f"  {name:11s} {t:8.1f} s  peak {m:7.0f} MB{ratio}")
    print("  (target: peak <= 1.2x the bare CV)")

if __name__ == "__main__":
    main()
