"""The session's state: typed accessors for the user's choices (ids and small values, never
models, frames or database connections), the results kept so that reruns do not redo slow work
(``memo``), and long steps run in their own thread (``Job``). The engine never imports this."""

from __future__ import annotations

import threading
from typing import Any, Callable, TypeVar

import streamlit as st

T = TypeVar("T")

_DEFAULTS: dict[str, Any] = {
    "dataset_id": None,
    "target": None,
    "check_run_id": None,
    "trial_id": None,
    "sensitive": None,
    "include": [],
    "exclude": [],
}


def get(key: str) -> Any:
    if key not in _DEFAULTS:
        raise KeyError(key)
    return st.session_state.get(key, _DEFAULTS[key])


def set(key: str, value: Any) -> None:  # noqa: A001 - mirrors st.session_state
    if key not in _DEFAULTS:
        raise KeyError(key)
    st.session_state[key] = value


def dataset_id() -> int | None:
    return get("dataset_id")


def choose_dataset(dataset_id: int) -> None:
    """A new dataset resets every later choice."""
    if get("dataset_id") != dataset_id:
        for key, value in _DEFAULTS.items():
            st.session_state[key] = value
    st.session_state["dataset_id"] = dataset_id


# --- results kept for this session, so a rerun (any widget change) does not redo slow work ------
# Plain results only (check reports, figures, sentences), keyed on the dataset's sha256, the
# target and the options that change them; at most MEMO_SIZE of them, the oldest dropped first.
MEMO_SIZE = 32


def memo(key: tuple, compute: Callable[[], T]) -> T:
    """The result of ``compute()`` kept under ``key`` for this session (failures are never kept)."""
    box = st.session_state.setdefault("_memo", {})
    if key in box:
        box[key] = box.pop(key)  # the most recently used stays longest
    else:
        box[key] = compute()
        while len(box) > MEMO_SIZE:
            box.pop(next(iter(box)))
    return box[key]


# --- long steps in their own thread -------------------------------------------------------------
class Job:
    """A long step (a trial) run in its own thread, outside the page's script run, so a widget
    change while it runs neither stops nor repeats it. ``work(progress, cancel)`` gets a
    ``progress(share, message)`` callback and a ``cancel()`` test that the engine checks between
    fits (``run_trial``'s hook): ``stop()`` ends the step at the next fit and nothing is kept."""

    def __init__(self, work: Callable[[Callable[[float, str], None], Callable[[], bool]], Any]):
        self.share = 0.0
        self.message = "Starting ..."
        self.result: Any = None
        self.error: BaseException | None = None
        self.cancelled = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(work,), name="fairtrial-job", daemon=True)

    def start(self) -> "Job":
        self._thread.start()
        return self

    def _run(self, work) -> None:
        from fairtrial.errors import TrialCancelled

        try:
            self.result = work(self._progress, self._stop.is_set)
        except TrialCancelled:
            self.cancelled = True
        except BaseException as exc:  # shown on the page by the script run that collects the job
            self.error = exc

    def _progress(self, share: float, message: str) -> None:
        self.share = min(max(float(share), 0.0), 1.0)
        self.message = message

    def stop(self) -> None:
        """Ask the step to stop at its next check (between two fits)."""
        self._stop.set()
        self.message = "Stopping after the current fit ..."

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> bool:
        self._thread.join(timeout)
        return self.done


def start_job(name: str, work) -> Job:
    """Start ``work`` as this session's job ``name``, unless one of that name is still running
    (then that one is returned: one trial at a time per session)."""
    jobs = st.session_state.setdefault("_jobs", {})
    running = jobs.get(name)
    if running is not None and not running.done:
        return running
    jobs[name] = Job(work).start()
    return jobs[name]


def job(name: str) -> Job | None:
    """This session's job ``name`` (running or finished and not yet collected), or None."""
    return st.session_state.get("_jobs", {}).get(name)


def collect_job(name: str) -> Job | None:
    """Take a finished job out of the session (None while it still runs, or when there is none)."""
    found = job(name)
    if found is None or not found.done:
        return None
    return st.session_state["_jobs"].pop(name)
