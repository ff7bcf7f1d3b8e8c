"""Where a trial's fits run: this computer by default, or an existing Dask cluster when
FAIRTRIAL_DASK_SCHEDULER names one, with the same numbers either way and one plain line
when the cluster cannot be used."""

from __future__ import annotations

import json
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


WORKERS_OF = textwrap.dedent(
    """
    import json, os, sys
    from joblib import delayed
    from fairtrial import workers

    if __name__ == "__main__":
        if sys.argv[1] == "fork server":
            workers.use_fork_server()
        workers.start_early(5000).join(timeout=120)
        ask = ("(os.getppid(), 'skops.io' in sys.modules and 'fairtrial.fitting' in sys.modules, "
               "sorted({d['num_threads'] for d in __import__('threadpoolctl').threadpool_info()}))")
        answers = workers.local_parallel()(delayed(eval)(ask, {"os": os, "sys": sys}) for _ in range(2))
        rows = __import__("numpy").zeros(500_000)  # 4 MB: loky would share it as a file (a memmap)
        received = workers.local_parallel()(delayed(eval)("type(rows).__name__", {"rows": rows}) for _ in range(2))
        print(json.dumps({"program": os.getpid(), "answers": answers, "received": received}))
        workers.stop_workers()
    """
)


def _workers_of(how: str) -> dict:
    env = {**os.environ, "FAIRTRIAL_PARALLEL_FOLDS_ROWS": "1000", "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-c", WORKERS_OF, how], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr[-2000:]
    return json.loads(done.stdout)


def test_the_programs_workers_come_from_one_fork_server_with_the_imports_done_and_one_thread_each():
    """The command line and the app: one fresh process imports scikit-learn, pandas, the
    recipes and skops once, and forks both workers from it; each keeps loky's share of the
    cores (one thread on two cores), which loky would have put in a fresh worker's environment."""
    from joblib.externals.loky import cpu_count

    seen = _workers_of("fork server")
    parents = {parent for parent, _, _ in seen["answers"]}
    assert len(parents) == 1 and seen["program"] not in parents  # both from the fork server
    for _, preloaded, threads in seen["answers"]:
        assert preloaded  # before any fit asked for them
        assert threads == [max(cpu_count() // 2, 1)]
    # Rows go in the task, not as files in /dev/shm: loky counts who uses those in a resource
    # tracker that workers from the fork server do not reach; on 1,000,000 rows that printed its
    # tracebacks by the hundred, and once a worker died and the trial waited for ever.
    assert seen["received"] == ["ndarray", "ndarray"]


def test_a_program_that_only_uses_the_engine_keeps_lokys_own_start():
    """Its main module may not be safe to import again (no ``if __name__ == "__main__":``), so its
    workers are loky's: started by the program itself, importing what each task needs."""
    seen = _workers_of("loky")
    assert {parent for parent, _, _ in seen["answers"]} == {seen["program"]}
    assert seen["received"] == ["memmap", "memmap"]  # loky's own workers share big rows as files


def test_the_fork_server_is_used_only_while_the_main_module_is_safe_to_import_again(monkeypatch, tmp_path):
    """A worker from the fork server imports the program's main module again. After Streamlit's
    test runner, that was the app's page script, and every worker died importing it; a user's
    script without ``if __name__ == "__main__":`` would run itself again. Then loky's own start."""
    import importlib.machinery

    from joblib.externals.loky.backend.context import get_start_method

    def main_module(file=None, spec=None):
        module = types.ModuleType("__main__")
        module.__spec__ = None if spec is None else importlib.machinery.ModuleSpec(spec, None)
        if file is not None:
            module.__file__ = str(file)
        return module

    monkeypatch.setattr(workers, "_FORK_SERVER", [True])
    monkeypatch.setattr(workers, "_SET_HERE", [])
    assert get_start_method() is None
    try:
        monkeypatch.setitem(sys.modules, "__main__", main_module(file=tmp_path / "my_script.py"))
        assert workers._start_method() is None and not workers.files_made_by_workers()
        for safe in (main_module(spec="fairtrial.__main__"), main_module(),
                     main_module(file=Path(sys.executable).parent / "fairtrial")):
            monkeypatch.setitem(sys.modules, "__main__", safe)
            assert workers._start_method() == "forkserver"
        assert workers.files_made_by_workers()
        monkeypatch.setitem(sys.modules, "__main__", main_module(file=REPO / "app" / "streamlit_app.py"))
        assert workers._start_method() is None  # put back: loky's own start
    finally:
        from joblib.externals.loky.backend.context import set_start_method

        set_start_method(None, force=True)
