"""A page rerun (any widget change) does not redo slow work: the checks, their charts and the
stored check report are kept for the session by the dataset's sha256, the target and the
options. A trial runs in its own thread: a widget change does not stop or repeat it, and
"Stop the trial" ends it through the engine's cancel hook, keeping nothing."""

from __future__ import annotations

import threading
import time

import pytest
from test_pages import TIMEOUT, _checked, app_at, texts

import fairtrial.charts
import fairtrial.checks
import fairtrial.workflow
from fairtrial.store import Store


def _count(monkeypatch: pytest.MonkeyPatch, owner, name: str) -> list:
    """Replace ``owner.name`` by a wrapper that records each call; the list of calls."""
    calls: list = []
    real = getattr(owner, name)

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def test_a_widget_change_on_the_check_page_neither_reruns_the_checks_nor_redraws_their_charts(monkeypatch):
    state = _checked("churn.csv", "churned")
    at = app_at("views/check.py", **state)
    assert at.get("plotly_chart"), "the churn sample's findings have charts"
    checks = _count(monkeypatch, fairtrial.checks, "run_checks")
    charts = _count(monkeypatch, fairtrial.charts, "chart_for_finding")

    at.run()
    at.multiselect(key="check_exclude").set_value([]).run()  # a widget change that leaves the checks as they are
    assert not at.exception, [e.message for e in at.exception]
    assert (len(checks), len(charts)) == (0, 0)
    assert at.get("plotly_chart"), "the kept charts are still shown"

    # A choice that changes the checks runs them again, once, and draws the new findings' charts.
    at.radio(key="check_task").set_value("multiclass").run()
    assert not at.exception, [e.message for e in at.exception]
    assert len(checks) == 1 and len(charts) >= 1
    drawn = len(charts)
    at.run()
    assert len(checks) == 1 and len(charts) == drawn


def test_the_trial_page_reads_the_stored_check_report_once_per_check_run(monkeypatch):
    state = _checked("students.csv", "passed")
    at = app_at("views/trial.py", **state)
    reads = _count(monkeypatch, Store, "latest_check_run")
    at.radio(key="trial_speed_A").set_value("thorough").run()
    at.number_input(key="trial_seed").set_value(7).run()
    assert not at.exception, [e.message for e in at.exception]
    assert reads == []
    assert "Predicting **passed**" in texts(at)

    # New checks on the Check page (another column left out) are read again on the Trial page.
    at.switch_page("views/check.py")
    at.run()
    at.multiselect(key="check_exclude").set_value(["sleep_hours"]).run()
    at.switch_page("views/trial.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert len(reads) == 1
    assert "`sleep_hours`. Change this on the Check page." in texts(at)


def _held_after_first_fit(monkeypatch) -> threading.Event:
    """The real trial, held after its first fit until the user presses Stop (or 60 s pass), so the
    test can act while it runs. Returns the event set once the first fit is done."""
    real = fairtrial.workflow.run_compare
    first_fit = threading.Event()

    def held(store, ds, plan, *, progress=None, cancel=None, **kwargs):
        def progress_then_hold(share: float, message: str) -> None:
            progress(share, message)
            first_fit.set()
            deadline = time.monotonic() + 60
            while not cancel() and time.monotonic() < deadline:
                time.sleep(0.01)

        return real(store, ds, plan, progress=progress_then_hold, cancel=cancel, **kwargs)

    monkeypatch.setattr(fairtrial.workflow, "run_compare", held)
    return first_fit


def test_stop_ends_a_running_trial_and_keeps_nothing_and_widget_changes_do_not_restart_it(monkeypatch):
    state = _checked("students.csv", "passed")
    first_fit = _held_after_first_fit(monkeypatch)
    at = app_at("views/trial.py", **state)
    at.number_input(key="trial_folds").set_value(3).run()
    at.button(key="trial_start").click().run()
    assert first_fit.wait(TIMEOUT), "the trial did not start"
    job = at.session_state["_jobs"]["trial"]

    # While it runs: its progress and a Stop button; a widget change neither stops nor repeats it.
    at.number_input(key="trial_seed").set_value(7).run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.session_state["_jobs"]["trial"] is job and not job.done
    assert at.button(key="trial_start").disabled
    assert at.get("progress") and job.message.startswith("Split 600 rows")

    at.button(key="trial_stop").click().run()
    assert job.wait(TIMEOUT) and job.cancelled and job.error is None
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert "The trial was stopped. Nothing from it was kept." in [w.value for w in at.warning]
    assert Store().list_trials() == [] and "trial_id" not in at.session_state
    assert not at.button(key="trial_start").disabled  # a new trial can start


def test_a_finished_trial_opens_its_results():
    from test_pages import start_trial

    state = _checked("students.csv", "passed")
    at = app_at("views/trial.py", **state)
    at.number_input(key="trial_folds").set_value(3)
    at.checkbox(key="trial_auto_repeats").uncheck()
    at.run()
    at.number_input(key="trial_repeats").set_value(1)
    start_trial(at)
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == "Results"
    assert at.session_state["trial_id"] == Store().list_trials()[0]["trial_id"]


def test_a_rerun_of_the_results_page_does_not_redraw_the_stored_trials_charts(monkeypatch):
    import fairtrial.charts_trial as ct
    from test_pages import _stored_trial

    state = _checked("students.csv", "passed")
    first, *_ = _stored_trial(state, "simple", "tree")
    second, *_ = _stored_trial(state, "simple", "forest")
    at = app_at("views/results.py", **state, trial_id=first)
    shown = len(at.get("plotly_chart"))
    drawn = {name: _count(monkeypatch, ct, name) for name in ("splits_chart", "cost_chart", "confusion_chart")}
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert {name: len(calls) for name, calls in drawn.items()} == {name: 0 for name in drawn}
    assert len(at.get("plotly_chart")) == shown

    # Another trial's charts are drawn for it, once.
    at.selectbox(key="results_trial").select(second).run()
    assert not at.exception, [e.message for e in at.exception]
    assert len(drawn["splits_chart"]) == 1 and len(drawn["cost_chart"]) == 1
    assert drawn["splits_chart"][0][0]["b"]["recipe"] == "forest"


def test_a_re_run_on_the_results_page_keeps_its_progress_can_be_stopped_and_keeps_nothing(monkeypatch):
    """A re-run is a whole trial: it runs in its own thread as one does, with a progress bar and
    a Stop button; a widget change neither stops nor repeats it (it ran in the page's script run,
    where it could not be stopped and any click ended it)."""
    from test_pages import _stored_trial

    state = _checked("students.csv", "passed")
    trial_id, *_ = _stored_trial(state, "simple", "tree")
    first_fit = _held_after_first_fit(monkeypatch)
    at = app_at("views/results.py", **state, trial_id=trial_id)
    at.button(key="results_rerun").click().run()
    assert first_fit.wait(TIMEOUT), "the re-run did not start"
    job = at.session_state["_jobs"]["results_rerun"]
    assert at.button(key="results_rerun").disabled, "greyed out at once, not only after the next click"

    at.selectbox(key="results_trial").set_value(trial_id).run()  # a widget change while it runs
    assert not at.exception, [e.message for e in at.exception]
    assert at.session_state["_jobs"]["results_rerun"] is job and not job.done
    assert at.button(key="results_rerun").disabled and at.get("progress")

    at.button(key="results_rerun_stop").click().run()
    assert job.wait(TIMEOUT) and job.cancelled and job.error is None
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert "The re-run was stopped. Nothing from it was kept." in [w.value for w in at.warning]
    assert [t["trial_id"] for t in Store().list_trials()] == [trial_id]
    assert not at.button(key="results_rerun").disabled  # it can be started again
