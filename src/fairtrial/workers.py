"""Worker processes that end when the program that started them dies.

A trial fits its one-core recipes two at a time in joblib's worker processes (loky). When
the program running the trial is killed outright (``kill -9``, the app's terminal closed,
the computer's out-of-memory killer), nothing in it can run any more, and loky's idle
workers stayed behind, each holding a copy of the data, until loky's own idle timeout.
Measured before this module: after ``kill -9`` of ``fairtrial compare`` both workers and
loky's two resource trackers were still running.

``watch_parent(parent_pid)`` is the workers' initializer (joblib passes it to loky, which
runs it once in each worker as it starts, before any task): it starts a small thread that
checks every ``_POLL_SECONDS`` whether the worker's parent is still ``parent_pid``; when
the parent has died the worker has been re-parented, and it exits at once. Once the
workers are gone, loky's resource trackers (which wait for every program holding their
pipe) end too. Works wherever ``os.getppid`` does (Linux, macOS, Windows); no process
group or signal set-up is needed.
"""

from __future__ import annotations

import os
import threading
import time

__all__ = ["watch_parent"]

_POLL_SECONDS = 0.5  # how soon an orphaned worker notices; not a statistical threshold


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
