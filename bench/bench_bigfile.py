"""Benchmark (issue 13, big files): time and peak memory of ``fairtrial import``, ``check`` and
``compare`` on a big CSV against a bare whole-process cross-validation, in one run.

    .venv/bin/python bench/bench_bigfile.py [--rows 1000000] [--rounds 3] [--file /tmp/big.csv]
                                            [--only bare,import,check,compare] [--env NAME=VALUE ...]

The file (generated 20-column churn table of ``bench_trial.make_data``, numbers to 6 digits)
is written under /tmp when it does not exist and is never committed. Every command runs as its own
process under ``/usr/bin/time -v`` (wall seconds and "Maximum resident set size"; with joblib
workers the largest single process, which is what ``time -v`` reports for the parent and waited-for
children); with psutil installed, also the peak of all its processes together (the sum of their
proportional set sizes, sampled every 0.2 s), which is what the computer must hold. The commands are interleaved with the bare script (bare, import, check, compare, bare,
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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable

sys.path.insert(0, str(ROOT / "bench"))
from bench_compare import BARE  # noqa: E402  (the same bare CV; its argv[2] caps the rows)


def make_file(path: Path, rows: int) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_trial import make_data

    make_data(rows, 0).to_csv(path, index=False, float_format="%.6g")


def _tree_pss_mb(root) -> float:
    """Memory of a process and all its children together, MB: the sum of their proportional set
    sizes (a page shared by several processes counts once in all), so worker processes count."""
    import psutil

    total = 0
    for proc in [root, *root.children(recursive=True)]:
        try:
            total += proc.memory_full_info().pss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total / 2**20


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int, float]:
    """Wall seconds, peak resident MB of the largest single process (``/usr/bin/time -v``), the
    exit code of ``cmd`` and the peak of all its processes together (MB, sampled every 0.2 s;
    0 without psutil)."""
    try:
        import psutil
    except ImportError:
        psutil = None
    proc = subprocess.Popen(["/usr/bin/time", "-v", *cmd], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    together = 0.0
    if psutil is not None:
        root = psutil.Process(proc.pid)
        while proc.poll() is None:
            together = max(together, _tree_pss_mb(root))
            time.sleep(0.2)
    stdout, stderr = proc.communicate()
    out = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
    err = out.stderr
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", err)
    h, m, s = (float(g) if g else 0.0 for g in wall.groups())
    rss = float(re.search(r"Maximum resident set size \(kbytes\): (\d+)", err).group(1)) / 1024
    if out.returncode:
        tail = [line for line in err.splitlines() if line.strip() and not line.startswith("\t")][-3:]
        print(f"  ! exit {out.returncode}: {' | '.join(tail)}", flush=True)
    return h * 3600 + m * 60 + s, rss, out.returncode, together


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
        results: dict[str, list[tuple[float, float, float]]] = {c: [] for c in chosen}
        for r in range(args.rounds):
            for name in chosen:
                for db in Path(tmp).glob("*.duckdb*"):
                    db.unlink()
                seconds, mb, _, together = timed(commands[name], env)
                results[name].append((seconds, mb, together))
                print(f"round {r + 1} {name:11s} {seconds:8.1f} s  peak {mb:7.0f} MB, all processes {together:7.0f} MB"
                      f"  (load {load()})", flush=True)
    print(f"\n{path} ({path.stat().st_size / 1e6:.0f} MB), {args.rounds} rounds, medians:")
    medians = {name: tuple(statistics.median(run[i] for run in runs) for i in range(3))
               for name, runs in results.items()}
    for name, (t, m, a) in medians.items():
        ratio = ""
        for base in ("bare", "bare_sample"):
            if base in medians and not name.startswith("bare"):
                bt, bm, ba = medians[base]
                ratio += f"  | vs {base}: time {t / bt:.2f}x, peak {m / bm:.2f}x, all processes {a / max(ba, 1e-9):.2f}x"
        print(f"  {name:11s} {t:8.1f} s  peak {m:7.0f} MB  all processes {a:7.0f} MB{ratio}")
    print("  (target: peak <= 1.2x the bare CV; 'peak' is the largest single process, 'all processes' the\n"
          "   largest sum of every process of the command at one moment, worker processes included)")

if __name__ == "__main__":
    main()
