"""Where a command's time goes: named phases, recorded only when asked for.

``fairtrial compare --timings`` records, and adds a ``timings`` key to the JSON (seconds per
phase); ``bench/bench_compare.py`` reads it. The engine never prints: it only marks phases.

    with timings.recording() as seconds:   # the command turns recording on
        ...
        with timings.phase("checks"):        # the engine marks its steps
            ...
    seconds  # {"checks": 1.2, ...}

Phases nest: the time of an inner phase counts for the inner phase only (the outer one keeps
its own part), so the phases add up to the recorded stretch. Nothing is recorded, and a phase
costs one ``if``, when no recording is on.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

__all__ = ["Laps", "phase", "recording", "timed"]

_seconds: dict[str, float] | None = None  # the recording in progress (None: off)
_stack: list[list[float]] = []  # per open phase: [start, time spent in inner phases]

F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def recording() -> Iterator[dict[str, float]]:
    """Record phases while inside; yields the dict of seconds per phase (filled as they end)."""
    global _seconds
    outer, outer_stack = _seconds, list(_stack)
    _seconds, _stack[:] = {}, []
    try:
        yield _seconds
    finally:
        _seconds, _stack[:] = outer, outer_stack


@contextmanager
def phase(name: str) -> Iterator[None]:
    """Mark a step of the work under ``name`` (added up when the same name comes again)."""
    if _seconds is None:
        yield
        return
    seconds = _seconds
    frame = [time.perf_counter(), 0.0]
    _stack.append(frame)
    try:
        yield
    finally:
        elapsed = time.perf_counter() - frame[0]
        if _stack and _stack[-1] is frame:
            _stack.pop()
        if _stack:
            _stack[-1][1] += elapsed
        seconds[name] = seconds.get(name, 0.0) + elapsed - frame[1]


def timed(name: str) -> Callable[[F], F]:
    """Decorator form of ``phase``."""

    def wrap(func: F) -> F:
        @functools.wraps(func)
        def inner(*args: Any, **kwargs: Any) -> Any:
            with phase(name):
                return func(*args, **kwargs)

        return inner  # type: ignore[return-value]

    return wrap


class Laps:
    """Phases one after another in straight-line code: ``lap("stats")`` ends the phase before
    (if any) and starts ``stats``; ``lap.stop()`` ends the last one."""

    def __init__(self) -> None:
        self._open: Any = None

    def __call__(self, name: str) -> None:
        self.stop()
        self._open = phase(name)
        self._open.__enter__()

    def stop(self) -> None:
        if self._open is not None:
            opened, self._open = self._open, None
            opened.__exit__(None, None, None)


def process_age() -> float | None:
    """Seconds since this process started (Linux; None elsewhere): the start-up and imports
    before a command's own work began, when asked for at its start."""
    try:
        import os

        with open("/proc/self/stat", "rb") as fh:
            started_ticks = int(fh.read().rsplit(b")", 1)[1].split()[19])
        return max(time.clock_gettime(time.CLOCK_BOOTTIME) - started_ticks / os.sysconf("SC_CLK_TCK"), 0.0)
    except (OSError, ValueError, IndexError, AttributeError):
        return None
