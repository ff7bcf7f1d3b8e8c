"""Where a trial's fits run: worker processes on this computer, or an existing Dask cluster.

**On this computer** (the default) a trial fits its simple, tree and boosting recipes two at a time in
joblib's worker processes (loky). When the program running the trial is killed outright
(``kill -9``, the app's terminal closed, the computer's out-of-memory killer), nothing in
it can run any more, and loky's idle workers stayed behind, each holding a copy of the
data, until loky's own idle timeout. Measured before ``watch_parent``: after ``kill -9`` of
``fairtrial compare`` both workers and loky's two resource trackers were still running.

``watch_parent`` is the workers' initializer (joblib passes it to loky, which runs it once
in each worker as it starts, before any task): it starts a small thread that checks every
``_POLL_SECONDS`` whether the program that started it still runs (its parent, or the parent
of the fork server it came from: ``use_fork_server``); when the program has died, the worker
exits at once. Once the
workers are gone, loky's resource trackers (which wait for every program holding their
pipe) end too. Works wherever ``os.getppid`` does (Linux, macOS, Windows); no process
group or signal set-up is needed.

**On a Dask cluster** (the ``dask_scheduler`` setting, ``FAIRTRIAL_DASK_SCHEDULER=tcp://host:8786``)
every fit of recipes A and B goes through the same ``joblib.Parallel`` call, with joblib's
``dask`` backend and a ``distributed.Client`` of that scheduler (``fit_backend``); no queue
or worker pool of our own. The trivial baseline still trains here (microseconds; its rows
need not travel), as do the data checks' quick models and the inner fits of the money view
(``value.py``, only when prices are given). The fits are the same objects with the same seeds, so the numbers are
the same as on this computer (tests/test_workers.py checks it on a ``LocalCluster``). When
the setting is empty, ``dask`` and ``distributed`` are never imported.

A scheduler that cannot be used stops the trial with one plain line (``ClusterError``;
the CLI exits 2) instead of quietly training here: whoever set the address meant the fits
to run on the cluster (a classroom server with two cores and 30 students), so silently
running them on this computer would hide the outage behind slow trials; the fix is one
command, and the message names it.
"""

from __future__ import annotations

import os
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial

from . import settings
from .errors import ClusterError

__all__ = ["cluster_address", "files_made_by_workers", "fit_backend", "local_parallel", "on_worker", "route",
           "start_early", "stop_workers", "use_fork_server", "watch_parent"]

_POLL_SECONDS = 0.5  # how soon an orphaned worker notices; not a statistical threshold
_START_WAIT_SECONDS = 20.0  # how long a command's end waits for the workers' start (a few seconds at most)

# Packages whose version decides the numbers (or whether a fit can run at all): a worker
# with another scikit-learn could give other scores from the same seed.
_SAME_VERSIONS = ("fairtrial", "scikit-learn", "numpy", "pandas", "scipy")

_START_HINT = ("Start the cluster (on one computer: dask scheduler; on each worker computer: dask worker {address} "
               "--nthreads 1), or unset FAIRTRIAL_DASK_SCHEDULER to train on this computer.")


def _running(pid: int) -> bool:
    """Whether process ``pid`` still runs (an ended process that its parent has not collected yet,
    a zombie, has ended; on Linux its state says so)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's: it exists
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):  # no /proc (macOS): it answered
        return True


def _watch(program_pid: int, parent_pid: int) -> None:
    while True:
        if os.getppid() != parent_pid or (program_pid != parent_pid and not _running(program_pid)):
            os._exit(1)  # the program is gone: nobody will read this worker's results
        time.sleep(_POLL_SECONDS)


def watch_parent(program_pid: int, threads: int | None = None) -> None:
    """In a worker process (not ``program_pid`` itself, the program that started the workers):
    end this process when the program ends, and use ``threads`` threads per fit.

    The worker's parent is the program itself (loky's own start), and then a changed parent
    means the program is gone; or the fork server the program started (``use_fork_server``),
    which the workers themselves keep running (Python's fork server runs as long as any of its
    clients do, and every worker is one), so the program itself is watched as well. Measured:
    after ``kill -9`` of ``fairtrial compare`` the fork server and both workers kept running
    when only the parent was watched.

    ``threads`` is set when the workers come from the fork server: loky gives its own workers
    the limit in their environment (``OMP_NUM_THREADS`` and the like, one thread each on two
    cores) before anything is imported, but a forked worker has its imports already, so the
    limit is set here, with threadpoolctl, as the trial's other limits are."""
    if os.getpid() == program_pid:
        return
    if threads is not None:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=threads)  # for the rest of this worker's life
    threading.Thread(target=_watch, args=(program_pid, os.getppid()), daemon=True,
                     name="fairtrial-parent-watch").start()


# What the fork server imports before it forks any worker: what every fit needs and skops,
# with Ctrl+C set aside and the garbage collector frozen (``fork_server.py``).
_PRELOAD = ["fairtrial.fork_server"]


_FORK_SERVER: list[bool] = []  # set by ``use_fork_server``


def use_fork_server() -> None:
    """From now on, start this program's worker processes from a fork server that has imported
    ``_PRELOAD`` once (Python's ``forkserver``, its default start on Linux from Python 3.14),
    instead of each worker starting a fresh Python and importing it all again (loky's own start).

    The server is a fresh, single-threaded Python started for the purpose: it imports and
    forks, and never trains anything, so the usual danger of forking (a copy of a process
    whose other threads held locks, OpenMP's among them) does not arise. Each worker is then
    ready in milliseconds, with the imports in memory it shares with the server. Measured on
    100,000 rows (2 cores, 5 alternating rounds, three times, with the final models' files made
    in the workers): the whole ``compare`` took 9.35-9.8 s against 9.8-10.3 s (medians) and
    0.7-1.9 CPU-seconds less; the two workers' own imports (about 1.5 s each) are one import,
    which overlaps this program's own (docs/benchmarks.md, "Fourth round").

    FairTrial's own programs call it (the command line's process, the app). Like Python's
    "spawn", each worker imports the program's main module again (as ``__mp_main__``): a
    script that runs a trial without ``if __name__ == "__main__":`` would start itself in
    every worker, so a program that merely uses the engine keeps loky's start unless it calls
    this, and even then only while its main module is safe to import again
    (``_main_safe_to_import``). Not on Windows (no fork), nor when the program has already
    chosen how loky starts its workers."""
    _FORK_SERVER[:] = [True]


_SET_HERE: list[bool] = []  # the fork server was chosen by ``_start_method``


def _main_safe_to_import() -> bool:
    """Whether a worker may import this program's main module again, as a worker from the fork
    server does (``multiprocessing.spawn.prepare``): a package's ``__main__`` (``python -m
    fairtrial``, ``python -m streamlit``, which multiprocessing skips), no file (interactive), or
    an installed command (pip writes those with ``if __name__ == "__main__":``, in the folder of
    the Python that runs them). Not a script of the user's, nor a page's script that Streamlit's
    test runner left as ``__main__``: importing those again in a worker runs them, or fails."""
    main = sys.modules.get("__main__")
    name = getattr(getattr(main, "__spec__", None), "name", None)
    if name is not None:
        return name == "__main__" or name.endswith(".__main__")
    path = getattr(main, "__file__", None)
    if path is None:
        return True
    folder = os.path.dirname(os.path.abspath(path))
    commands = {os.path.dirname(os.path.abspath(sys.executable)),
                os.path.join(sys.prefix, "Scripts" if os.name == "nt" else "bin")}
    return folder in commands


def _start_method() -> str | None:
    """How loky starts this program's workers: from the fork server once ``use_fork_server`` was
    called, while the main module is safe to import again (set here when workers start; put
    back to loky's own start if the main module has changed since), else what the program
    chose (None: loky's own)."""
    import multiprocessing

    from joblib.externals.loky.backend.context import get_start_method, set_start_method

    wanted = (bool(_FORK_SERVER) and "forkserver" in multiprocessing.get_all_start_methods()
              and _main_safe_to_import())
    current = get_start_method()
    if wanted and current is None:
        multiprocessing.set_forkserver_preload(_PRELOAD)
        set_start_method("forkserver")
        _SET_HERE[:] = [True]
    elif not wanted and current == "forkserver" and _SET_HERE:
        set_start_method(None, force=True)  # loky makes new workers (``local_parallel``'s arguments change)
        _SET_HERE.clear()
    return get_start_method()


def _ready() -> int:
    """A worker's first task (``start_early``), so that the trial's first fits find it started."""
    time.sleep(0.05)  # hold this worker a moment, so the other worker takes the other task
    return os.getpid()


def local_parallel(**options):
    """joblib's ``Parallel`` over this computer's two worker processes, as every trial and
    ``start_early`` call it: the same arguments, so loky hands them the same workers."""
    from joblib import Parallel
    from joblib.externals.loky import cpu_count

    forked = _start_method() == "forkserver"
    # forked workers have their imports already, so loky's thread limits (in their environment,
    # read as the libraries load) come too late: the same share is set in each (``watch_parent``)
    threads = max(cpu_count() // 2, 1) if forked else None
    if forked:
        # The rows go to forked workers in the task itself, not as files in /dev/shm that each
        # process maps: loky counts who uses those files in a resource tracker of this program's,
        # which a worker forked from the fork server does not reach (it started trackers of its
        # own). On 1,000,000 rows that printed loky's tracebacks by the hundred (KeyError) and
        # "169 leaked file objects", and once a worker died and the trial waited for ever.
        options.setdefault("max_nbytes", None)
    # each worker ends itself if this process is killed (watch_parent)
    return Parallel(n_jobs=2, initializer=watch_parent, initargs=(os.getpid(), threads), **options)


def files_made_by_workers() -> bool:
    """Whether each final model's file is made by the local worker that trained it
    (``fitting.fit_job``): when the workers come from the fork server, which has skops loaded
    (``_PRELOAD``). Not with loky's own workers, each of which would load skops for itself
    (0.6 s each: slower than this program loading it once, 10.0 s against 9.8 s in 4
    alternating runs on 100,000 rows), nor on a cluster, whose skops version is not checked."""
    return not cluster_address() and _start_method() == "forkserver"


_starting: list[threading.Thread] = []  # the start_early thread, while it runs


def start_early(pool_rows: int) -> threading.Thread | None:
    """Get the two local worker processes ready now, in the background, when a trial on
    ``pool_rows`` training rows will use them: their start-up then overlaps the work this
    process does before the fits. Returns the thread that does it (or None: nothing to do).

    With the fork server (``use_fork_server``) only the server is started: it imports what
    the workers need (about 1.5 s of the other core) while this process imports, reads and
    checks, and the trial's workers fork from it in milliseconds. Starting the workers
    themselves this early (loky's executor, its locks and queues), a command that then ended on
    bad input within its first two seconds left Python's resource tracker warning of a leaked
    semaphore under the user's one line, about once in 40 runs; the server alone holds none,
    and the command ends without waiting for it (it ends itself after its imports, seeing the
    program gone). With loky's own start both workers are started (``_ready``); the trial's
    own ``joblib.Parallel`` call then reuses them (loky's executor is reused).

    The command line calls it before reading a text file (with a guess of its rows) and again
    after reading; the app when the Trial page is shown. A call while they start or run does
    nothing."""
    if (cluster_address() or pool_rows < settings.get("parallel_folds_rows")
            or any(t.is_alive() for t in _starting) or len(_alive()) >= 2):
        return None

    def start() -> None:
        try:
            if _start_method() == "forkserver":
                import multiprocessing.forkserver

                multiprocessing.forkserver.ensure_running()
                return
            from joblib import delayed

            local_parallel()(delayed(_ready)() for _ in range(2))
        except Exception:  # noqa: BLE001  the trial starts them itself and reports any problem
            pass

    thread = threading.Thread(target=start, daemon=True, name="fairtrial-start-workers")
    _starting[:] = [thread]
    thread.start()
    return thread


def _executor():
    """loky's executor of this program's local workers, or None before the first trial."""
    from joblib.externals.loky import reusable_executor

    return getattr(reusable_executor, "_executor", None)


def _alive() -> list:
    """This program's local worker processes that are running."""
    processes = getattr(_executor(), "_processes", None) or {}
    return [p for p in list(processes.values()) if p.is_alive()]


def stop_workers() -> None:
    """End this program's idle local worker processes at once (the CLI, when its command is done).

    On exit loky would otherwise ask each worker to wind down and wait for it (about 0.7 s on
    100,000 rows: each worker frees its copy of the rows and its imports). Every result has
    been collected by then, so nothing is lost. The app keeps its workers for the next trial
    (loky ends them after 300 idle seconds). A no-op when no worker was started.

    A command that stops early (a plain error about the file, already said) first waits for a
    start still under way (``start_early``'s thread: a moment with the fork server; with loky's
    own start the workers' imports, at most ``_START_WAIT_SECONDS``) before it ends the workers:
    ended in the middle of joblib's start call, they left its folder of shared rows to two
    cleaners, and loky's resource tracker printed a traceback under the user's one line in
    about one run in six (a warning from joblib in about half). Should the wait run out, that
    warning is silenced."""
    for thread in list(_starting):
        thread.join(timeout=_START_WAIT_SECONDS)
    executor = _executor()
    if executor is not None:
        warnings.filterwarnings("ignore", message="Failed to delete temporary folder", category=UserWarning)
        try:
            executor.shutdown(wait=True, kill_workers=True)
        except Exception:  # noqa: BLE001  already shut down, or broken: nothing left to end
            pass


def cluster_address() -> str:
    """The Dask scheduler the fits go to (the ``dask_scheduler`` setting), or ``""``: this computer."""
    return str(settings.get("dask_scheduler")).strip()


def route(pool_jobs: list, main_jobs: list, address: str) -> tuple[list, list]:
    """Split the fits ``(role, split)`` into those run through joblib and those run here, one by one.

    On this computer the split made by the trial stands. On a cluster every fit of A and B
    goes through joblib (to the cluster); only the baseline's stay here."""
    if not address:
        return pool_jobs, main_jobs
    both = pool_jobs + main_jobs
    return [job for job in both if job[0] != "baseline"], [job for job in both if job[0] == "baseline"]


def on_worker(fit: Callable, address: str) -> Callable:
    """``fit`` as the trial sends it through joblib: unchanged on this computer; on a cluster,
    wrapped so that joblib calls inside the fit (a ColumnTransformer's) run in series on
    the worker, as they do in a loky worker, instead of going back to the cluster as tiny
    tasks of their own (joblib's dask backend passes itself on to nested calls)."""
    return partial(_in_series, fit) if address else fit


def _in_series(fit: Callable, *args, **kwargs):
    from joblib import parallel_config

    with parallel_config(backend="sequential"):
        return fit(*args, **kwargs)


@contextmanager
def fit_backend(address: str) -> Iterator[None]:
    """joblib's backend for the trial's fits while the block runs: unchanged when ``address``
    is empty; else the Dask cluster at ``address``, connected for this block and closed after."""
    if not address:
        yield
        return
    from asyncio import CancelledError

    from joblib import parallel_config

    client = _connect(address)
    try:
        from distributed import KilledWorker

        with parallel_config(backend="dask", client=client):
            yield
    except (OSError, KilledWorker, CancelledError) as exc:  # the cluster, not the data
        raise ClusterError(
            f"The Dask cluster at {address} (FAIRTRIAL_DASK_SCHEDULER) stopped during the trial "
            f"({type(exc).__name__}); nothing was kept.",
            "Check that its scheduler and workers are running and try again, or unset FAIRTRIAL_DASK_SCHEDULER "
            "to train on this computer.") from exc
    finally:
        client.close()


def _connect(address: str):
    """A ``distributed.Client`` of the scheduler at ``address`` with at least one worker whose
    packages match this computer's, or a ``ClusterError`` saying what to do."""
    seconds = float(settings.get("dask_connect_seconds"))
    hint = _START_HINT.format(address=address)
    try:
        from distributed import Client
    except ImportError as exc:
        raise ClusterError(
            f"FAIRTRIAL_DASK_SCHEDULER is set to {address}, but the Dask part of FairTrial is not installed here.",
            "Install it with: pip install 'fairtrial[cluster]' (here and on every worker), or unset "
            "FAIRTRIAL_DASK_SCHEDULER to train on this computer.") from exc
    try:
        client = Client(address, timeout=seconds, set_as_default=False)
    except ValueError as exc:  # raised before any connection is tried
        raise ClusterError(f"FAIRTRIAL_DASK_SCHEDULER is '{address}', which is not a scheduler address.",
                           "Write it like tcp://host:8786.") from exc
    except OSError as exc:  # refused, or nothing answered in time
        raise ClusterError(f"No Dask scheduler answered at {address} (FAIRTRIAL_DASK_SCHEDULER) within "
                           f"{seconds:g} seconds.", hint) from exc
    except Exception as exc:  # something answered, but not a Dask scheduler
        raise ClusterError(f"What answers at {address} (FAIRTRIAL_DASK_SCHEDULER) is not a Dask scheduler "
                           f"({type(exc).__name__}).", hint) from exc
    try:
        _check_workers(client, address, seconds)
    except BaseException:
        client.close()
        raise
    return client


def _check_workers(client, address: str, seconds: float) -> None:
    """At least one worker, and the packages that decide the numbers at this computer's versions."""
    import importlib.metadata

    try:
        client.wait_for_workers(1, timeout=seconds)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"The Dask scheduler at {address} has no workers (waited {seconds:g} seconds).",
                           f"Start at least one: dask worker {address} --nthreads 1") from exc
    for package in _SAME_VERSIONS:
        here = _version(package)
        try:
            there = client.run(importlib.metadata.version, package)
        except importlib.metadata.PackageNotFoundError as exc:
            raise ClusterError(f"A Dask worker of {address} does not have {package} installed.",
                               "Install the same packages on every worker: pip install 'fairtrial[cluster]'.") from exc
        except OSError as exc:  # a worker that went away while answering
            raise ClusterError(f"The Dask workers of {address} did not answer ({type(exc).__name__}).",
                               _START_HINT.format(address=address)) from exc
        other = sorted({v for v in there.values() if v != here})
        if other:
            raise ClusterError(
                f"The Dask workers of {address} have {package} {', '.join(other)} where this computer has {here}; "
                "other versions can give other numbers from the same seed.",
                "Install the same versions on every worker (pip install 'fairtrial[cluster]' from the same "
                "release).") from None


def _version(package: str) -> str:
    """``package``'s installed version on this computer (the workers' comes from ``client.run``)."""
    import importlib.metadata

    return importlib.metadata.version(package)
