"""The Results page opens with what to do next: the engine's sentences, as stored with the trial."""

from __future__ import annotations

from test_pages import _checked, app_at

from fairtrial.store import Store


def test_results_page_opens_with_the_stored_next_steps():
    state = _checked("students.csv", "passed")
    from fairtrial.workflow import check_dataset, plan_from_checks, run_compare

    ds = Store().get_dataset(state["dataset_id"])
    report, _ = check_dataset(Store(), ds, "passed")
    plan = plan_from_checks("passed", report, recipe_a="simple", recipe_b="tree", folds=3, repeats=1)
    trial_id, data, _ = run_compare(Store(), ds, plan)
    assert data["next_steps"]
    at = app_at("views/results.py", **state, trial_id=trial_id)
    first = at.markdown[0].value
    assert first.startswith("**What to do next**")
    for i, sentence in enumerate(data["next_steps"], 1):
        assert f"{i}. {sentence}" in first
