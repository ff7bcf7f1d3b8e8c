"""Where a trial's fits run: this computer by default, or an existing Dask cluster when
FAIRTRIAL_DASK_SCHEDULER names one, with the same numbers either way and one plain line
when the cluster cannot be used."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest
from trial_frames import learnable

from fairtrial import settings, workers
from fairtrial.cli import main as cli_main
from fairtrial.errors import ClusterError
from fairtrial.trial import TrialPlan, run_trial

REPO = Path(__file__).resolve().parents[1]
STUDENTS = REPO / "sample_data" / "students.csv"
PLAN = TrialPlan(target="target", recipe_a="simple", recipe_b="boosting", folds=3, repeats=2, seed=42)


@pytest.fixture(scope="module")
def cluster():
    """Two one-thread worker processes: the fits really travel (pickled) to other programs."""
    distributed = pytest.importorskip("distributed", reason="the Dask tests need the test extra: "
                                                            "pip install -e '.[test]'")
    # Spawned worker processes re-run the file of this process's ``__main__``, which after the
    # app tests (Streamlit's AppTest) is app/streamlit_app.py and fails outside Streamlit: start
    # the workers with a bare ``__main__`` (put back at once; nothing else reads it meanwhile).
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        running = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
    finally:
        sys.modules["__main__"] = main
    with running:
        yield running


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fits_run_by(cluster) -> int:
    """How many fits the cluster has computed (joblib names its tasks batch_of_<function>_<n>_calls)."""
    total = 0
    for name, prefix in cluster.scheduler.task_prefixes.items():
        found = re.fullmatch(r"batch_of__in_series_(\d+)_calls", name)
        if found:
            total += int(found.group(1)) * prefix.state_counts["memory"]  # tasks that computed a result
    return total


def _same_every_run(result) -> dict:
    """Everything in a trial's result that must not depend on where the fits ran (no timings)."""
    d = result.to_dict()
    out = {k: d[k] for k in ("primary_metric", "splits", "difference", "holdout_check", "calibration",
                             "robustness", "importance", "secondary", "too_good", "a", "b", "baseline")}
    out["winner"] = d["verdict"]["winner"]
    # the cost sentence reports measured seconds, which differ from run to run anywhere
    out["sentences"] = [s for s in d["verdict"]["sentences"] if not s.startswith("Cost:")]
    return out


def test_the_cluster_setting_is_off_by_default_and_then_no_cluster_client_is_ever_loaded():
    # ``dask`` alone may be imported when installed: skops lists scikit-learn's estimators at
    # import, which walks sklearn.externals.array_api_compat.dask. The client is ``distributed``.
    assert settings.get("dask_scheduler") == ""
    code = textwrap.dedent("""
        import sys
        sys.path.insert(0, "tests")
        from trial_frames import learnable
        from fairtrial.trial import TrialPlan, run_trial
        frame, kinds = learnable(120)
        run_trial(frame, kinds, TrialPlan(target="target", recipe_a="simple", recipe_b="tree", folds=2, repeats=1))
        print(sorted(m for m in sys.modules if m.split(".")[0] == "distributed" or m == "joblib._dask"))
    """)
    env = {k: v for k, v in os.environ.items() if k != "FAIRTRIAL_DASK_SCHEDULER"}
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_trial_on_a_dask_cluster_gives_exactly_the_local_numbers(cluster, monkeypatch):
    frame, kinds = learnable(300)
    monkeypatch.delenv("FAIRTRIAL_DASK_SCHEDULER", raising=False)
    here = run_trial(frame, kinds, PLAN)
    monkeypatch.setenv("FAIRTRIAL_DASK_SCHEDULER", cluster.scheduler_address)
    there = run_trial(frame, kinds, PLAN)

    # every fit of A and B ran on the cluster: 6 re-splits and the final model, for each recipe
    assert _fits_run_by(cluster) == 2 * (6 + 1)
    assert _same_every_run(there) == _same_every_run(here)
    for role in ("a", "b", "baseline"):
        mine, theirs = getattr(here, role), getattr(there, role)
        assert len(mine.fold_scores) == 6 and mine.fold_scores == theirs.fold_scores
        assert (mine.oof_pred == theirs.oof_pred).all() and (mine.holdout_pred == theirs.holdout_pred).all()
    assert here.a.fold_scores != here.b.fold_scores  # two different recipes, really compared


def test_a_scheduler_that_does_not_answer_stops_the_trial_with_what_to_do(cluster, monkeypatch):
    address = f"tcp://127.0.0.1:{_closed_port()}"
    monkeypatch.setenv("FAIRTRIAL_DASK_SCHEDULER", address)
    monkeypatch.setenv("FAIRTRIAL_DASK_CONNECT_SECONDS", "1")
    frame, kinds = learnable(120)
    with pytest.raises(ClusterError) as caught:
        run_trial(frame, kinds, PLAN)
    assert str(caught.value) == (
        f"No Dask scheduler answered at {address} (FAIRTRIAL_DASK_SCHEDULER) within 1 seconds. Start the cluster "
        f"(on one computer: dask scheduler; on each worker computer: dask worker {address} --nthreads 1), or unset "
        "FAIRTRIAL_DASK_SCHEDULER to train on this computer.")


def test_the_command_line_says_it_in_one_line_and_exits_2(cluster, monkeypatch, capsys):
    address = f"tcp://127.0.0.1:{_closed_port()}"
    monkeypatch.setenv("FAIRTRIAL_DASK_SCHEDULER", address)
    monkeypatch.setenv("FAIRTRIAL_DASK_CONNECT_SECONDS", "1")
    code = cli_main(["compare", str(STUDENTS), "--target", "passed", "--a", "simple", "--b", "tree",
                     "--folds", "3", "--repeats", "1", "--seed", "7", "--json"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert lines == [f"error: No Dask scheduler answered at {address} (FAIRTRIAL_DASK_SCHEDULER) within 1 seconds. "
                     f"Start the cluster (on one computer: dask scheduler; on each worker computer: dask worker "
                     f"{address} --nthreads 1), or unset FAIRTRIAL_DASK_SCHEDULER to train on this computer."]
    assert "Traceback" not in err


def test_a_scheduler_without_workers_says_to_start_one(cluster, monkeypatch):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=":0") as empty:
        monkeypatch.setenv("FAIRTRIAL_DASK_SCHEDULER", empty.scheduler_address)
        monkeypatch.setenv("FAIRTRIAL_DASK_CONNECT_SECONDS", "1")
        frame, kinds = learnable(120)
        with pytest.raises(ClusterError) as caught:
            run_trial(frame, kinds, PLAN)
    assert str(caught.value) == (f"The Dask scheduler at {empty.scheduler_address} has no workers (waited 1 "
                                 f"seconds). Start at least one: dask worker {empty.scheduler_address} --nthreads 1")


def test_workers_with_another_scikit_learn_are_refused_before_any_fit(cluster, monkeypatch):
    real = workers._version
    monkeypatch.setattr(workers, "_version", lambda p: "0.0-here" if p == "scikit-learn" else real(p))
    monkeypatch.setenv("FAIRTRIAL_DASK_SCHEDULER", cluster.scheduler_address)
    before = _fits_run_by(cluster)
    frame, kinds = learnable(120)
    with pytest.raises(ClusterError) as caught:
        run_trial(frame, kinds, PLAN)
    import sklearn

    assert str(caught.value) == (
        f"The Dask workers of {cluster.scheduler_address} have scikit-learn {sklearn.__version__} where this "
        "computer has 0.0-here; other versions can give other numbers from the same seed. Install the same versions "
        "on every worker (pip install 'fairtrial[cluster]' from the same release).")
    assert _fits_run_by(cluster) == before


def test_an_address_that_is_not_one_says_how_to_write_it(cluster, monkeypatch):
    monkeypatch.setenv("FAIRTRIAL_DASK_SCHEDULER", "my-server")
    frame, kinds = learnable(120)
    with pytest.raises(ClusterError) as caught:
        run_trial(frame, kinds, PLAN)
    assert str(caught.value) == ("FAIRTRIAL_DASK_SCHEDULER is 'my-server', which is not a scheduler address. "
                                 "Write it like tcp://host:8786.")


def test_without_the_cluster_extra_the_message_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed now fails, as when not installed
    monkeypatch.setenv("FAIRTRIAL_DASK_SCHEDULER", "tcp://classroom-server:8786")
    frame, kinds = learnable(120)
    with pytest.raises(ClusterError) as caught:
        run_trial(frame, kinds, PLAN)
    assert str(caught.value) == (
        "FAIRTRIAL_DASK_SCHEDULER is set to tcp://classroom-server:8786, but the Dask part of FairTrial is not "
        "installed here. Install it with: pip install 'fairtrial[cluster]' (here and on every worker), or unset "
        "FAIRTRIAL_DASK_SCHEDULER to train on this computer.")


# --- this computer's two worker processes ---------------------------------------------------
def _local_workers() -> set[int]:
    return {p.pid for p in workers._alive()}


def test_workers_are_started_early_only_for_a_trial_that_will_use_them(monkeypatch):
    monkeypatch.setenv("FAIRTRIAL_PARALLEL_FOLDS_ROWS", "1000")
    workers.stop_workers()
    assert workers.start_early(999) is None and not _local_workers()
    monkeypatch.setenv("FAIRTRIAL_DASK_SCHEDULER", "tcp://127.0.0.1:1")  # the fits would go to a cluster
    assert workers.start_early(5000) is None and not _local_workers()


def test_early_workers_are_the_ones_the_trial_uses_and_the_cli_ends_them(monkeypatch):
    """Started while the file is read and checked, the same two processes then train the folds
    (loky reuses them: same arguments); when the command is done they are ended, not waited for."""
    from joblib import delayed

    monkeypatch.setenv("FAIRTRIAL_PARALLEL_FOLDS_ROWS", "1000")
    workers.stop_workers()
    workers.start_early(5000).join(timeout=120)
    early = _local_workers()
    assert len(early) == 2
    assert workers.start_early(5000) is None  # both running: nothing to start (the app calls it on every redraw)
    used = set(workers.local_parallel()(delayed(os.getpid)() for _ in range(6)))
    assert used <= early
    workers.stop_workers()
    assert not _local_workers()
    workers.stop_workers()  # nothing left: still fine


def test_the_two_workers_import_one_after_the_other(tmp_path):
    """While this program reads and checks the file on one core, the workers' imports take
    turns on the other: a worker whose turn has not come waits on the start's lock file."""
    import fcntl
    import threading

    lock = tmp_path / "start.lock"
    lock.touch()
    done = threading.Event()
    with open(lock, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # the other worker is importing
        waiting = threading.Thread(target=lambda: (workers._ready(str(lock)), done.set()), daemon=True)
        waiting.start()
        assert not done.wait(0.5)  # its turn has not come
    waiting.join(timeout=30)  # the lock is free: it imports and answers
    assert done.is_set()


def test_a_start_called_off_sends_a_waiting_worker_on_without_its_imports(tmp_path):
    """The command ended (stop_workers removes the lock file): a worker that has not had its
    turn answers at once, and one that waited imports nothing (its first fit would)."""
    import fcntl
    import threading

    assert workers._ready(str(tmp_path / "gone.lock")) == os.getpid()
    lock = tmp_path / "start.lock"
    lock.touch()
    imported = []
    original = workers._imports
    workers._imports = lambda: imported.append(1)
    try:
        with open(lock, "rb") as held:
            fcntl.flock(held, fcntl.LOCK_EX)
            waiting = threading.Thread(target=workers._ready, args=(str(lock),), daemon=True)
            waiting.start()
            lock.unlink()  # called off while it waits
        waiting.join(timeout=30)
        assert not waiting.is_alive() and imported == []
        lock.touch()
        workers._ready(str(lock))  # its turn, not called off: it imports
        assert imported == [1]
    finally:
        workers._imports = original


def test_early_workers_take_turns_only_when_asked_and_leave_no_lock_file_behind(monkeypatch, tmp_path):
    """The command line asks (it reads and checks the file meanwhile); the app, which waits for
    the user then, does not: both workers are ready sooner importing at once."""
    import tempfile

    monkeypatch.setenv("FAIRTRIAL_PARALLEL_FOLDS_ROWS", "1000")
    made = []
    real = tempfile.mkstemp
    monkeypatch.setattr(tempfile, "mkstemp", lambda **kw: made.append(kw) or real(dir=tmp_path, **kw))
    for take_turns, locks in ((False, 0), (True, 1)):
        workers.stop_workers()
        made.clear()
        workers.start_early(5000, take_turns=take_turns).join(timeout=120)
        assert len(_local_workers()) == 2
        assert len(made) == locks
        assert list(tmp_path.iterdir()) == []
    workers.stop_workers()
