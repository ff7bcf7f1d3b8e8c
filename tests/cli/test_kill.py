"""`kill -9` of `fairtrial compare`: no worker processes left behind, nothing half stored.

Both tests run the real CLI in a separate process and kill it with SIGKILL, which nothing
in the program can catch; what is left afterwards is what a user finds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from fairtrial.store import Store

from cli_helpers import run_cli

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-eo", "pid=,ppid="], capture_output=True, text=True, check=True).stdout
    return [int(p) for p, pp in (line.split() for line in out.splitlines()) if int(pp) == pid]


def _descendants(pid: int) -> list[int]:
    found = _children(pid)
    return found + [d for c in found for d in _descendants(c)]


def _alive(pid: int) -> bool:
    out = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True).stdout.strip()
    return bool(out) and not out.startswith("Z")  # a zombie has ended; only its exit code is left


def _wait_until(condition, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def test_killing_compare_leaves_no_worker_processes_behind(tmp_path, db_path):
    # Before: loky's two workers and its two resource trackers kept running after kill -9; with
    # the workers from a fork server, the server and both workers did, until they watched the program.
    rng = np.random.default_rng(3)
    X = rng.normal(size=(3000, 8))
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(8)]).round(4)
    frame["y"] = np.where(X[:, 0] + X[:, 1] + rng.normal(size=3000) > 0, "yes", "no")
    table = tmp_path / "table.csv"
    frame.to_csv(table, index=False)
    env = {**os.environ, "FAIRTRIAL_PARALLEL_FOLDS_ROWS": "100", "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, "-m", "fairtrial.cli", "compare", table, "--target", "y", "--a", "simple",
                             "--b", "tree", "--folds", "5", "--repeats", "10", "--quiet"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    family: list[int] = []
    try:
        # joblib keeps its two workers until the program ends, so they are there once they start:
        # the program's children are loky's and Python's resource trackers and the fork server,
        # whose children are the two workers (which keep it running: workers.watch_parent).
        assert _wait_until(lambda: len(_descendants(proc.pid)) >= 5 or proc.poll() is not None, 120)
        assert proc.poll() is None, "compare ended before its workers could be seen"
        family = _descendants(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert _wait_until(lambda: not any(_alive(p) for p in family), 30), \
            [p for p in family if _alive(p)]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for pid in family:  # a failed run must not leave its own orphans behind either
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


DIE_WHILE_STORING = textwrap.dedent(
    """
    import os, signal, sys
    from fairtrial.store import db

    audit = db.Store._audit

    def audit_then_die(self, con, action, *args, **kwargs):
        audit(self, con, action, *args, **kwargs)
        if action == "trial run":  # the last statement inside save_trial's transaction
            os.kill(os.getpid(), signal.SIGKILL)

    db.Store._audit = audit_then_die
    from fairtrial.cli import main
    sys.exit(main(sys.argv[1:]))
    """
)


def test_compare_killed_while_storing_leaves_earlier_trials_intact_and_no_half_trial(capsys, db_path):
    first = run_cli(capsys, "compare", SAMPLES / "students.csv", "--target", "passed", "--a", "simple", "--b", "tree",
                    "--folds", "3", "--repeats", "1", "--json", "--quiet")
    assert first.code == 0, first.err
    before = Store(db_path).get_trial(first.json()["trial_id"])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    killed = subprocess.run([sys.executable, "-c", DIE_WHILE_STORING, "compare", SAMPLES / "loans.csv", "--target",
                             "approved", "--a", "simple", "--b", "forest", "--folds", "3", "--repeats", "1",
                             "--quiet"], env=env, capture_output=True, text=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-500:]

    store = Store(db_path)
    assert [t["trial_id"] for t in store.list_trials()] == [first.json()["trial_id"]]
    assert store.get_trial(first.json()["trial_id"]) == before
    assert len(store.list_models()) == 2
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        for table in ("runs", "models", "findings"):
            orphans = con.execute(f"SELECT count(*) FROM {table} WHERE trial_id IS NOT NULL AND trial_id NOT IN "
                                  "(SELECT id FROM trials)").fetchone()[0]
            assert orphans == 0, table
        assert con.execute("SELECT count(*) FROM fold_metrics WHERE run_id NOT IN (SELECT id FROM runs)").fetchone()[0] \
            == 0
        assert con.execute("SELECT count(*) FROM audit_log WHERE action = 'trial run'").fetchone()[0] == 1
    finally:
        con.close()
    # and the store still works: the next trial is stored and its model predicts
    again = run_cli(capsys, "compare", SAMPLES / "students.csv", "--target", "passed", "--a", "simple", "--b", "tree",
                    "--folds", "3", "--repeats", "1", "--json", "--quiet")
    assert again.code == 0, again.err
