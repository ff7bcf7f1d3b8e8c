"""Run every benchmark in turn (``make bench``). Each prints its own ratios against bare
scikit-learn / pandas / numpy measured in the same run; copy the numbers you want to keep
into docs/benchmarks.md. Timings never go into tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["bench_load.py", "bench_checks.py", "bench_corpus.py", "bench_drift.py", "bench_trial.py", "bench_compare.py",
         "bench_startup.py", "bench_app.py"]


def main() -> int:
    failed = []
    for name in ORDER:
        print(f"\n=== {name} ===", flush=True)
        if subprocess.call([sys.executable, str(HERE / name)]) != 0:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
