"""The app tells the truth about state: which model is in use right after promote and rollback,
models named by what they predict, and re-runs shown as re-runs of their trial."""

from __future__ import annotations

from test_pages import _checked, app_at, finish_rerun, texts

from fairtrial.store import Store


def _trial(state: dict) -> int:
    from fairtrial.workflow import check_dataset, plan_from_checks, run_compare

    ds = Store().get_dataset(state["dataset_id"])
    report, _ = check_dataset(Store(), ds, "passed")
    trial_id, _, _ = run_compare(Store(), ds, plan_from_checks("passed", report, recipe_a="simple", recipe_b="tree",
                                                                folds=3, repeats=1))
    return trial_id


def _models() -> dict[str, int]:
    return {m["metadata"]["arm"]: m["model_id"] for m in Store().list_models()}


def _picker(at):
    """The New data page's model picker (its key changes with the models' status)."""
    return next(s for s in at.selectbox if s.label == "Saved model")


def _option(at, model_id: int) -> str:
    return next(o for o in _picker(at).options if o.startswith(f"{model_id}: "))


def test_models_are_named_by_dataset_target_recipe_and_day():
    _trial(_checked("students.csv", "passed"))
    at = app_at("views/new_data.py")
    models = _models()
    assert _option(at, models["b"]).startswith(f"{models['b']}: students · passed · Decision tree · ")
    assert _option(at, models["a"]).startswith(f"{models['a']}: students · passed · Simple (logistic/linear) · ")
    assert "recipe B" not in " ".join(_picker(at).options)


def test_promote_and_rollback_show_the_new_state_at_once():
    _trial(_checked("students.csv", "passed"))
    models = _models()
    at = app_at("views/new_data.py")
    assert _option(at, models["b"]).endswith("(candidate)")
    _picker(at).set_value(models["b"]).run()
    at.button(key="new_promote").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert f"Model {models['b']} is now in use." in texts(at)
    assert _option(at, models["b"]).endswith("(in use)")
    assert "new_promote" not in [b.key for b in at.button], "an in-use model is not offered for promotion"

    at.button(key="new_rollback").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert f"Model {models['b']} is out of use; no earlier model was in use." in texts(at)
    assert _option(at, models["b"]).endswith("(out of use)")
    assert "new_rollback" not in [b.key for b in at.button], "a model out of use cannot be rolled back again"
    timeline = texts(at)
    assert f"Model {models['b']} (students · passed · Decision tree · " in timeline
    assert "then none (rolled back)." in timeline


def test_a_re_run_opens_at_once_says_same_numbers_at_the_top_and_is_marked_in_history():
    state = _checked("students.csv", "passed")
    trial_id = _trial(state)
    at = app_at("views/results.py", **state, trial_id=trial_id)
    finish_rerun(at.button(key="results_rerun").click().run())
    assert not at.exception, [e.message for e in at.exception]
    new_id = max(t["trial_id"] for t in Store().list_trials())
    assert new_id != trial_id
    picker = at.selectbox(key="results_trial")
    assert picker.value == new_id, "the re-run is in the picker and open"
    assert f"re-run of trial {trial_id} · same numbers" in picker.options[picker.options.index(
        next(o for o in picker.options if o.startswith(f"{new_id}: ")))]
    # The outcome is the first thing under the picker, before the advice and the verdict.
    first = _after_picker(at)
    assert first.type == "success" and f"Re-run as trial {new_id}: the same numbers as trial {trial_id}" in first.value

    history = app_at("views/history.py", **state)
    table = next(d.value for d in history.dataframe if "re-run" in d.value.columns)
    marks = dict(zip(table["trial"], table["re-run"]))
    assert marks[new_id] == f"re-run of trial {trial_id} · same numbers" and marks[trial_id] == ""
    shown = " ".join(" ".join(map(str, d.value.columns)) for d in history.dataframe)
    for raw in ("trial_id", "dataset_id", "created_at", "object_type", "source_file"):
        assert raw not in shown
    assert f"re-run of trial {trial_id}" in " ".join(history.selectbox(key="history_trial").options)


def _after_picker(at):
    """The first element the Results page draws under its trial picker."""
    nodes = [at.main.children[k] for k in sorted(at.main.children)]
    i = next(n for n, node in enumerate(nodes) if getattr(node, "key", None) == "results_trial")
    return nodes[i + 1]


def test_trials_are_named_by_their_recipes_plain_names_in_the_pickers_and_in_history():
    state = _checked("students.csv", "passed")
    trial_id = _trial(state)
    results = app_at("views/results.py", **state, trial_id=trial_id)
    picker = results.selectbox(key="results_trial")
    assert picker.options[0].startswith(f"{trial_id}: Simple (logistic/linear) vs Decision tree · ")

    history = app_at("views/history.py", **state)
    assert history.selectbox(key="history_trial").options[0].startswith(
        f"{trial_id}: students · passed · Simple (logistic/linear) vs Decision tree · ")
    table = next(d.value for d in history.dataframe if "recipe A" in d.value.columns)
    row = table.iloc[0]
    assert (row["recipe A"], row["recipe B"]) == ("Simple (logistic/linear)", "Decision tree")
    assert row["winner"] in ("A: Simple (logistic/linear)", "B: Decision tree", "no clear winner")


def test_a_score_too_good_to_be_true_is_said_once_on_the_results_page():
    from fairtrial.workflow import check_dataset, plan_from_checks, run_compare

    state = _checked("churn.csv", "churned")
    ds = Store().get_dataset(state["dataset_id"])
    # The user switched the leak back on: both recipes score 100%.
    report, _ = check_dataset(Store(), ds, "churned", include=["cancellation_reason"])
    plan = plan_from_checks("churned", report, recipe_a="simple", recipe_b="tree", folds=3, repeats=1)
    trial_id, data, _ = run_compare(Store(), ds, plan)
    assert len(data["too_good"]) == 2
    at = app_at("views/results.py", **state, trial_id=trial_id)
    said = texts(at)
    assert said.count("too good to be true") == 1, [s for s in said.splitlines() if "too good" in s]
    assert "for Simple (logistic/linear) and Decision tree" in said


def test_the_score_tiles_differ_by_the_difference_the_verdict_states():
    import re

    from test_pages import _stored_trial

    state = _checked("churn.csv", "churned")
    trial_id, data, _, _ = _stored_trial(state, seed=3)
    at = app_at("views/results.py", **state, trial_id=trial_id)
    tiles = {m.label.split(":")[0]: float(m.value.rstrip("%")) for m in at.metric if m.label.startswith("Recipe ")}
    stated = float(re.search(r"([\d.]+) points? (?:of balanced accuracy|higher balanced accuracy)",
                             data["verdict"]["text"]).group(1))
    assert abs(abs(tiles["Recipe A"] - tiles["Recipe B"]) - stated) < 0.051, (tiles, stated)
