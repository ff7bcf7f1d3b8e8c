"""The Results page opens with what to do next: the engine's sentences, as stored with the trial."""

from __future__ import annotations

from test_pages import _checked, _stored_trial, app_at

from fairtrial.store import Store


def test_results_page_opens_with_the_stored_next_steps():
    state = _checked("students.csv", "passed")

    trial_id, data, plan, ds = _stored_trial(state, "simple", "tree")
    assert data["next_steps"]
    at = app_at("views/results.py", **state, trial_id=trial_id)
    first = at.markdown[0].value
    assert first.startswith("**What to do next**")
    for i, sentence in enumerate(data["next_steps"], 1):
        assert f"{i}. {sentence}" in first
