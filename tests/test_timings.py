"""timings.py: the steps of a command, recorded only when asked for (``compare --timings``)."""

from __future__ import annotations

import time

from fairtrial import timings


def test_nothing_is_recorded_without_a_recording():
    with timings.phase("read"):
        pass
    with timings.recording() as seconds:
        pass
    assert seconds == {}


def test_an_inner_step_counts_for_itself_only_so_the_steps_add_up():
    with timings.recording() as seconds:
        started = time.perf_counter()
        with timings.phase("trial"):
            time.sleep(0.02)
            with timings.phase("fits"):
                time.sleep(0.05)
            with timings.phase("fits"):  # the same name again is added up
                time.sleep(0.01)
        total = time.perf_counter() - started
    assert set(seconds) == {"trial", "fits"}
    assert seconds["fits"] >= 0.06
    assert 0.02 <= seconds["trial"] < seconds["fits"]
    assert abs(seconds["trial"] + seconds["fits"] - total) < 0.01


def test_laps_end_one_step_where_the_next_begins_and_timed_marks_a_function():
    @timings.timed("hash")
    def work() -> int:
        time.sleep(0.01)
        return 7

    with timings.recording() as seconds:
        lap = timings.Laps()
        lap("stats")
        assert work() == 7
        lap("importance")
        lap.stop()
        lap.stop()  # a second stop does nothing
    assert set(seconds) == {"stats", "hash", "importance"}
    assert seconds["hash"] >= 0.01 and seconds["stats"] < seconds["hash"]


def test_the_process_age_is_the_time_since_start_up():
    age = timings.process_age()
    assert age is None or 0 < age < 24 * 3600
