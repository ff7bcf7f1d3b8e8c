"""Where a trial's fits run: worker processes on this computer, or an existing Dask cluster.

**On this computer** (the default) a trial fits its simple, tree and boosting recipes two at a time in
joblib's worker processes (loky). When the program running the trial is killed outright
(``kill -9``, the app's terminal closed, the computer's out-of-memory killer), nothing in
it can run any more, and loky's idle workers stayed behind, each holding a copy of the
data, until loky's own idle timeout. Measured before ``watch_parent``: after ``kill -9`` of
``fairtrial compare`` both workers and loky's two resource trackers were still running.

``watch_parent(parent_pid)`` is the workers' initializer (joblib passes it to loky, which
runs it once in each worker as it starts, before any task): it starts a small thread that
checks every ``_POLL_SECONDS`` whether the worker's parent is still ``parent_pid``; when
the parent has died the worker has been re-parented, and it exits at once. Once the
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

import importlib.metadata
import os
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import partial

from . import settings
from .errors import ClusterError

try:
    import fcntl  # POSIX: the workers' imports take turns (``_ready``)
except ImportError:  # Windows: they import at the same time
    fcntl = None

__all__ = ["cluster_address", "fit_backend", "local_parallel", "on_worker", "route", "start_early", "stop_workers",
           "watch_parent"]

_POLL_SECONDS = 0.5  # how soon an orphaned worker notices; not a statistical threshold
_START_WAIT_SECONDS = 20.0  # how long a command's end waits for the workers' start (a few seconds at most)

# Packages whose version decides the numbers (or whether a fit can run at all): a worker
# with another scikit-learn could give other scores from the same seed.
_SAME_VERSIONS = ("fairtrial", "scikit-learn", "numpy", "pandas", "scipy")

_START_HINT = ("Start the cluster (on one computer: dask scheduler; on each worker computer: dask worker {address} "
               "--nthreads 1), or unset FAIRTRIAL_DASK_SCHEDULER to train on this computer.")


def _watch(parent_pid: int) -> None:
    while True:
        if os.getppid() != parent_pid:
            os._exit(1)  # the parent is gone: nobody will read this worker's results
        time.sleep(_POLL_SECONDS)


def watch_parent(parent_pid: int) -> None:
    """In a worker process (not ``parent_pid`` itself): end this process when ``parent_pid`` dies."""
    if os.getpid() == parent_pid:
        return
    threading.Thread(target=_watch, args=(parent_pid,), daemon=True, name="fairtrial-parent-watch").start()


def _imports() -> None:
    """What every fit needs: scikit-learn, pandas, the recipes.

    Not skops: making each final model's file in the worker that trained it, with skops loaded
    by both workers while this program still read and checked the file, was slower (10.0 s
    against 9.8 s in 4 alternating runs on 100,000 rows): once the workers start early, the
    two cores are busy from the start, so two skops imports cost more than this program's one."""
    from . import fitting, recipes  # noqa: F401


def _ready(lock: str | None = None) -> int:
    """A worker's first task: import what every fit needs, so the trial's first fits do not wait.

    With ``lock`` (a file ``start_early`` made), the two workers import one after the other:
    meanwhile this program reads and checks the file on one core, and two workers importing
    at once would share the other core with it and slow it down. Measured on 100,000 rows
    (2 cores, quiet): the whole ``compare`` took 10.0 s with the imports in turn against
    10.3-10.5 s with both at once (and 10.9 s when the workers started only after reading)."""
    if lock is None or fcntl is None:
        _imports()
    else:
        try:
            fh = open(lock, "rb")
        except OSError:  # no file: the command ended before this worker's turn (stop_workers)
            return os.getpid()
        with fh:
            fcntl.flock(fh, fcntl.LOCK_EX)  # released when the file is closed
            if os.path.exists(lock):  # else called off while this worker waited: its first fit imports
                _imports()
    time.sleep(0.05)  # hold this worker a moment, so the other worker takes the other task
    return os.getpid()


def local_parallel(**options):
    """joblib's ``Parallel`` over this computer's two worker processes, as every trial and
    ``start_early`` call it: the same arguments, so loky hands them the same workers."""
    from joblib import Parallel

    # each worker ends itself if this process is killed (watch_parent)
    return Parallel(n_jobs=2, initializer=watch_parent, initargs=(os.getpid(),), **options)


_starting: list[threading.Thread] = []  # the start_early thread, while it runs
_locks: set[str] = set()  # its lock file, until the start is over


def start_early(pool_rows: int, *, take_turns: bool = False) -> threading.Thread | None:
    """Start the two local worker processes now, in the background, when a trial on
    ``pool_rows`` training rows will use them: their start-up and imports (about a second
    each) then overlap the work this process does before the fits. The trial's own
    ``joblib.Parallel`` call reuses them (loky's executor is reused).

    The command line calls it before reading a text file (with a guess of its rows) and again
    after reading, with ``take_turns``: the workers import one after the other (``_ready``),
    as this process reads and checks the file on a core of its own meanwhile. The app calls it
    when the Trial page is shown, without: the app waits for the user then, and both workers
    are ready sooner importing at once (a trial started at once took 13.6 s instead of
    10.3 s on 15,500 rows with the workers taking turns). A call while they start or run does
    nothing."""
    if (cluster_address() or pool_rows < settings.get("parallel_folds_rows")
            or any(t.is_alive() for t in _starting) or len(_alive()) >= 2):
        return None

    def start() -> None:
        from joblib import delayed

        lock = None
        if take_turns:
            fd, lock = tempfile.mkstemp(prefix="fairtrial-workers-", suffix=".lock")
            os.close(fd)
            _locks.add(lock)
        try:
            local_parallel()(delayed(_ready)(lock) for _ in range(2))
        except Exception:  # noqa: BLE001  the trial starts them itself and reports any problem
            pass
        finally:
            _remove_locks()

    thread = threading.Thread(target=start, daemon=True, name="fairtrial-start-workers")
    _starting[:] = [thread]
    thread.start()
    return thread


def _remove_locks() -> None:
    for lock in list(_locks):
        with suppress(OSError):
            os.unlink(lock)
        _locks.discard(lock)


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

    A command that stops early (a plain error about the file, already said) calls off a start
    still under way (the lock file goes, so a worker waiting for its turn imports nothing) and
    waits for it (the import under way, at most ``_START_WAIT_SECONDS``) before it ends the
    workers: ended in the middle of joblib's start call, they left its folder of shared rows to
    two cleaners, and loky's resource tracker printed a traceback under the user's one line in
    about one run in six (a warning from joblib in about half). Should the wait run out, that
    warning is silenced."""
    _remove_locks()  # a worker still waiting for its turn to import gives up
    for thread in list(_starting):
        thread.join(timeout=_START_WAIT_SECONDS)
    executor = _executor()
    if executor is not None:
        warnings.filterwarnings("ignore", message="Failed to delete temporary folder", category=UserWarning)
        try:
            executor.shutdown(wait=True, kill_workers=True)
        except Exception:  # noqa: BLE001  already shut down, or broken: nothing left to end
            pass
    _remove_locks()


def cluster_address() -> str:
    """The Dask scheduler the fits go to (the ``dask_scheduler`` setting), or ``""``: this computer."""
    return str(settings.get("dask_scheduler")).strip()


def route(pool_jobs: list, main_jobs: list, address: str) -> tuple[list, list]:
    """Split the fits ``(role, split)`` into those run through joblib and those run here, one by one.

    On this computer the split made by the trial stands. On a cluster every fit of A and B
    goes through joblib (to the cluster); only the baseline's stay here."""
    if not address:
        return pool_jobs, main_jobs
    here = [job for job in main_jobs if job[0] == "baseline"]
    return pool_jobs + [job for job in main_jobs if job[0] != "baseline"], here


def on_worker(fit: Callable, address: str) -> Callable:
    """``fit`` as the trial sends it through joblib: unchanged on this computer; on a cluster,
    wrapped so that joblib calls inside the fit (a ColumnTransformer's) run in series on
    the worker, as they do in a loky worker, instead of going back to the cluster as tiny
    tasks of their own (joblib's dask backend passes itself on to nested calls)."""
    return partial(_in_series, fit) if address else fit


def _in_series(fit: Callable, *args):
    from joblib import parallel_config

    with parallel_config(backend="sequential"):
        return fit(*args)


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
    return importlib.metadata.version(package)
