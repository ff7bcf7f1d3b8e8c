"""Recall and false alarms of the data checks on the real-data corpus (tests/realdata/).

Run ``.venv/bin/python bench/bench_corpus.py``. For every table: key items found / expected,
the items missed (check, column, minimum severity), false alarms (a legitimate predictor
excluded or given a critical finding, a warning or critical finding on a clean control table)
and the seconds ``run_checks`` took; then the total recall and the number of false alarms.
The target (issue "real-data corpus"): recall >= 95%, no legitimate predictor excluded, no
warning or critical on a clean control table.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from fairtrial.checks import run_checks  # noqa: E402
from tests.realdata.corpus import KEYS, evaluate, load  # noqa: E402


def main() -> None:
    found = expected = alarms = 0
    print(f"{'table':<26} {'rows':>5}  found/expected  false alarms  seconds")
    for key in KEYS:
        table = load(key)
        start = time.perf_counter()
        result = evaluate(key, run_checks(table, key.target))
        seconds = time.perf_counter() - start
        found += len(result["found"])
        expected += len(key.expect)
        alarms += len(result["alarms"])
        print(f"{key.name:<26} {len(table):>5}  {len(result['found']):>5} / {len(key.expect):<6}  "
              f"{len(result['alarms']):>12}  {seconds:7.2f}")
        for check, column, severity in result["missed"]:
            print(f"    missed: {check} on {column or 'the table'} (at least {severity})")
        for alarm in result["alarms"]:
            print(f"    false alarm: {alarm}")
    recall = found / expected if expected else 1.0
    print(f"total: {found} of {expected} known problems found (recall {recall:.0%}); {alarms} false alarms "
          f"(target: recall >= 95%, 0 false alarms)")


if __name__ == "__main__":
    main()
