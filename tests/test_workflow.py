"""The shared steps (fairtrial.workflow) that the app and the CLI both call: same file, same
choices and same seed give the same numbers, whichever front ran them."""

from __future__ import annotations

import copy
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from fairtrial.checks import CheckReport
from fairtrial.errors import BadChoiceError
from fairtrial.explain import build_verdict
from fairtrial.load import load_file
from fairtrial.recipes import Recipe
from fairtrial.report import provenance_settings
from fairtrial.store import Store
from fairtrial.trial import TrialPlan
from fairtrial.workflow import (
    check_dataset,
    check_new_data,
    leave_out,
    plan_from_checks,
    plan_with_and_without,
    report_bytes,
    require_column,
    rerun_trial,
    run_compare,
    score_new_data,
)

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
FAST = dict(folds=3, repeats=1, seed=7)


def stored(name: str) -> tuple[Store, object]:
    store = Store()
    ds, _ = store.save_dataset(load_file(SAMPLES / name))
    return store, ds


def small_trial(store: Store, ds, target: str = "passed", **options):
    report, _ = check_dataset(store, ds, target)
    plan = plan_from_checks(target, report, recipe_a="simple", recipe_b="tree", **{**FAST, **options})
    trial_id, data, _ = run_compare(store, ds, plan)
    return trial_id, data, plan


# --- require_column -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def churn():
    return load_file(SAMPLES / "churn.csv")


def test_require_column_returns_a_known_name(churn):
    assert require_column(churn, "churned") == "churned"


def test_an_unknown_column_suggests_the_closest_name(churn):
    with pytest.raises(BadChoiceError) as err:
        require_column(churn, "churnd", "column to predict")
    assert "There is no column to predict called 'churnd' in 'churn'." in str(err.value)
    assert "Did you mean 'churned'?" in str(err.value)


def test_a_name_that_differs_only_in_case_is_suggested(churn):
    with pytest.raises(BadChoiceError, match=r"Did you mean 'monthly_fee'\?"):
        require_column(churn, "MONTHLY_FEE")


def test_a_name_far_from_every_column_lists_the_columns(churn):
    with pytest.raises(BadChoiceError) as err:
        require_column(churn, "zzzz")
    assert "Did you mean" not in str(err.value)
    assert "The columns are: customer_id, email" in str(err.value)


def test_no_column_at_all_asks_to_pick_one(churn):
    with pytest.raises(BadChoiceError, match="No column to predict was chosen"):
        require_column(churn, None, "column to predict")


# --- check_dataset --------------------------------------------------------------------------------
def test_check_dataset_stores_a_check_run_that_comes_back_with_its_findings():
    store, ds = stored("churn.csv")
    report, run_id = check_dataset(store, ds, "churned")
    assert run_id is not None
    latest = store.latest_check_run(ds.dataset_id, target="churned")
    assert latest["check_run_id"] == run_id
    assert latest["task"] == "binary"
    assert [f.to_dict() for f in latest["findings"]] == [f.to_dict() for f in report.findings]
    assert {"missingness_leakage", "pii", "id_like"} <= {f.check for f in latest["findings"]}
    assert latest["summary"]["excluded_columns"] == report.excluded_columns
    assert "findings" not in latest["summary"]


def test_check_dataset_without_a_store_stores_nothing():
    ds = load_file(SAMPLES / "students.csv")
    report, run_id = check_dataset(None, ds, "passed")
    assert run_id is None and report.target == "passed"


def test_check_dataset_refuses_an_unknown_sensitive_column_before_checking():
    store, ds = stored("loans.csv")
    with pytest.raises(BadChoiceError, match="Did you mean 'gender'"):
        check_dataset(store, ds, "approved", sensitive=["gendr"])
    assert store.latest_check_run(ds.dataset_id) is None


# --- plan_from_checks -----------------------------------------------------------------------------
REPORT = SimpleNamespace(excluded_columns=["applicant_id", "email"], sensitive_columns=["gender"])


def test_the_plan_leaves_out_the_check_exclusions_and_the_confirmed_sensitive_columns():
    plan = plan_from_checks("approved", REPORT, recipe_a="simple", recipe_b="tree", sensitive=["ethnicity", "age"])
    assert plan.excluded == ("applicant_id", "email", "ethnicity", "age")
    assert plan.sensitive == ("ethnicity", "age")
    assert plan.recipe_a == Recipe("simple") and plan.recipe_b == Recipe("tree")


def test_without_a_choice_the_plan_follows_the_sensitive_columns_of_the_checks():
    plan = plan_from_checks("approved", REPORT, recipe_a="simple", recipe_b="tree")
    assert plan.sensitive == ("gender",)
    assert plan.excluded == ("applicant_id", "email", "gender")


def test_an_empty_choice_means_no_sensitive_columns():
    plan = plan_from_checks("approved", REPORT, recipe_a="simple", recipe_b="tree", sensitive=[])
    assert plan.sensitive == () and plan.excluded == ("applicant_id", "email")


def test_a_column_both_excluded_and_sensitive_is_listed_once():
    plan = plan_from_checks("approved", REPORT, recipe_a="simple", recipe_b="tree", sensitive=["email"])
    assert plan.excluded == ("applicant_id", "email") and plan.sensitive == ("email",)


def test_the_task_is_left_to_detection_unless_overridden():
    assert plan_from_checks("approved", REPORT, recipe_a="simple", recipe_b="tree").task is None
    plan = plan_from_checks("approved", REPORT, recipe_a="simple", recipe_b="tree", task="multiclass",
                            folds=4, seed=3)
    assert plan.task == "multiclass" and plan.folds == 4 and plan.seed == 3


# --- run_compare ----------------------------------------------------------------------------------
def test_run_compare_adds_group_results_and_stores_the_trial_with_two_models():
    store, ds = stored("loans.csv")
    report, _ = check_dataset(store, ds, "approved", sensitive=["ethnicity"])
    plan = plan_from_checks("approved", report, recipe_a="simple", recipe_b="tree", sensitive=["ethnicity"], **FAST)
    trial_id, data, result = run_compare(store, ds, plan)

    assert list(data["groups"]) == ["ethnicity"]
    section = data["groups"]["ethnicity"]
    assert {"groups", "metrics", "findings", "proxies"} <= set(section)
    assert {g["group"] for g in section["groups"]} == {"Group A", "Group B", "Group C"}
    assert set(section["metrics"]) == {"a", "b"}
    assert any(f["check"] == "demographic_parity" for f in section["findings"])
    assert "postcode" in [p["column"] for p in section["proxies"]]
    assert "ethnicity" not in data["a"]["columns"] and "ethnicity" not in data["b"]["columns"]

    assert trial_id is not None and data["trial_id"] == trial_id
    trial = store.get_trial(trial_id)
    assert trial["trial_id"] == trial_id and trial["dataset_id"] == ds.dataset_id
    assert trial["plan"]["sensitive"] == ["ethnicity"] and "ethnicity" in trial["plan"]["excluded"]
    assert trial["result"]["a"]["fold_scores"] == data["a"]["fold_scores"]
    models = [m for m in store.list_models() if m["trial_id"] == trial_id]
    assert sorted(m["metadata"]["arm"] for m in models) == ["a", "b"]
    assert {m["status"] for m in models} == {"candidate"}


def test_run_compare_refuses_an_unknown_sensitive_column_and_stores_nothing():
    store, ds = stored("loans.csv")
    plan = TrialPlan(target="approved", sensitive=("ethnicty",), **FAST)
    with pytest.raises(BadChoiceError, match="Did you mean 'ethnicity'"):
        run_compare(store, ds, plan)
    assert store.list_trials() == [] and store.list_models() == []


# --- the app and the command line give the same numbers -----------------------------------------
def test_the_app_path_and_the_cli_path_give_identical_numbers(capsys):
    from cli.cli_helpers import run_cli

    cli = run_cli(capsys, "compare", SAMPLES / "students.csv", "--target", "passed", "--a", "simple", "--b", "tree",
                  "--folds", "3", "--repeats", "2", "--seed", "7", "--json")
    assert cli.code == 0, cli.err
    by_cli = cli.json()

    # What the app does: the Check page runs the checks with no confirmed sensitive columns,
    # the Trial page reads them back from the store and builds the plan from its widgets.
    store = Store(actor="app")
    ds = store.get_dataset(by_cli["dataset"]["dataset_id"])
    check_dataset(store, ds, "passed", sensitive=None, task=None, include=[], exclude=[])
    latest = store.latest_check_run(ds.dataset_id, target="passed")
    report = CheckReport.from_dict({**latest["summary"], "findings": [f.to_dict() for f in latest["findings"]]})
    plan = plan_from_checks("passed", report, recipe_a=Recipe("simple", "quick", "none", None, fairness="none"),
                            recipe_b=Recipe("tree", "quick", "none", None, fairness="none"), sensitive=[],
                            folds=3, repeats=2, seed=7, holdout=20 / 100, group=None, time_ordered=False, metric=None)
    app_id, by_app, _ = run_compare(store, ds, plan)

    assert app_id != by_cli["trial_id"]
    assert by_app["plan"] == by_cli["plan"]
    for role in ("a", "b", "baseline"):
        assert by_app[role]["fold_scores"] == by_cli[role]["fold_scores"], role
        assert by_app[role]["holdout"] == by_cli[role]["holdout"], role
    assert len(by_app["a"]["fold_scores"]) == 6
    for key in ("mean", "ci_low", "ci_high", "p_value", "b_wins"):
        assert by_app["difference"][key] == by_cli["difference"][key], key
    assert by_app["verdict"]["winner"] == by_cli["verdict"]["winner"]
    # The verdict's words are the same; only the measured training and prediction times
    # (the "cost", wall-clock timings that no seed fixes) may differ between two runs.
    # Given the CLI run's timings, the app run's verdict is word for word the CLI's.
    assert build_verdict({**by_app, "cost": by_cli["cost"]}).text == by_cli["verdict"]["text"]
    assert by_app["verdict"]["text"].split(". ")[0] == by_cli["verdict"]["text"].split(". ")[0]
    untimed = ("comparison", "cost")
    assert ({k: v for k, v in by_app["verdict"]["parts"].items() if k not in untimed}
            == {k: v for k, v in by_cli["verdict"]["parts"].items() if k not in untimed})


# --- report round trip, re-run ----------------------------------------------------------------------
def test_the_excel_report_holds_the_settings_that_rerun_the_trial_to_the_same_numbers():
    store, ds = stored("students.csv")
    trial_id, data, plan = small_trial(store, ds)
    xlsx, html = report_bytes(store, trial_id)
    assert xlsx[:2] == b"PK" and "<html" in html.lower()

    settings = provenance_settings(xlsx)
    assert settings["dataset_sha256"] == ds.sha256
    again = TrialPlan.from_dict(settings)
    assert again == plan

    _, data2, _ = run_compare(store, ds, again)
    for role in ("a", "b", "baseline"):
        assert data2[role]["fold_scores"] == data[role]["fold_scores"], role
        assert data2[role]["holdout"] == data[role]["holdout"], role
    assert data2["difference"]["mean"] == data["difference"]["mean"]


def test_rerunning_a_stored_forest_trial_says_same_numbers():
    store, ds = stored("students.csv")
    report, _ = check_dataset(store, ds, "passed")
    plan = plan_from_checks("passed", report, recipe_a="simple", recipe_b="forest", **FAST)
    trial_id, _, _ = run_compare(store, ds, plan)
    trial = store.get_trial(trial_id)
    check = rerun_trial(store, ds, TrialPlan.from_dict(trial["plan"]), trial)
    assert check.same is True and check.differences == []
    assert check.trial_id is not None and check.trial_id != trial_id
    assert check.message.startswith(f"Re-run as trial {check.trial_id}: the same numbers as trial {trial_id}")


def test_a_rerun_that_differs_names_the_number_and_the_changed_library():
    store, ds = stored("students.csv")
    trial_id, _, _ = small_trial(store, ds)
    trial = store.get_trial(trial_id)
    doctored = copy.deepcopy(trial)
    doctored["result"]["b"]["fold_scores"][1] += 1e-3
    doctored["result"]["versions"]["scikit-learn"] = "0.0.1"
    check = rerun_trial(store, ds, TrialPlan.from_dict(trial["plan"]), doctored)
    label = trial["result"]["b"]["label"]
    assert check.same is False and len(check.differences) == 1
    assert check.differences[0].startswith(f"{label}'s score on re-split 2 (")
    assert "1 number differs from trial" in check.message and f"{label}'s score on re-split 2" in check.message
    assert f"scikit-learn was 0.0.1 then, {trial['result']['versions']['scikit-learn']} now" in check.message


def test_a_rerun_is_stored_as_a_rerun_of_its_trial_with_its_outcome():
    store, ds = stored("students.csv")
    trial_id, _, _ = small_trial(store, ds)
    trial = store.get_trial(trial_id)
    check = rerun_trial(store, ds, TrialPlan.from_dict(trial["plan"]), trial)
    listed = {t["trial_id"]: t for t in store.list_trials()}
    assert listed[check.trial_id]["rerun_of"] == trial_id and listed[check.trial_id]["rerun_same"] is True
    assert listed[trial_id]["rerun_of"] is None and listed[trial_id]["rerun_same"] is None
    assert store.get_trial(check.trial_id)["result"]["rerun"] == {"of": trial_id, "same": True,
                                                                   "message": check.message}
    assert store.audit_log(limit=1)[0]["action"] == "trial re-run"


# --- new data -----------------------------------------------------------------------------------
@pytest.fixture
def students_model(tmp_path):
    """A stored trial on students.csv and the id of its model B, plus a helper that writes
    new rows to a file and loads them like an upload."""
    store, ds = stored("students.csv")
    trial_id, _, _ = small_trial(store, ds)
    model_id = next(m["model_id"] for m in store.list_models()
                    if m["trial_id"] == trial_id and m["metadata"]["arm"] == "b")

    def new_rows(frame: pd.DataFrame, name: str = "new"):
        path = tmp_path / f"{name}.csv"
        frame.to_csv(path, index=False)
        return load_file(path)

    return SimpleNamespace(store=store, ds=ds, model_id=model_id, new_rows=new_rows)


def test_scoring_new_rows_adds_a_prediction_and_the_chance_of_the_positive_answer(students_model):
    m = students_model
    first = m.ds.frame.head(50).drop(columns=["passed"])
    table, drift = score_new_data(m.store, m.model_id, m.new_rows(first))
    assert len(table) == 50
    assert list(table.columns) == [*first.columns, "prediction", "chance of 'pass'"]
    assert set(table["prediction"]) <= {"pass", "fail"}
    chances = table["chance of 'pass'"]
    assert chances.between(0, 1).all()
    assert ((chances >= 0.5) == (table["prediction"] == "pass")).all()
    assert not drift.blocking
    assert any(a["action"] == "new data scored" for a in m.store.audit_log())


def test_new_rows_missing_a_needed_column_are_refused_and_nothing_is_stored(students_model):
    m = students_model
    before = m.store.list_models()
    rows = m.ds.frame.head(50).drop(columns=["passed", "hours_studied", "attendance_pct"])
    with pytest.raises(BadChoiceError) as err:
        score_new_data(m.store, m.model_id, m.new_rows(rows))
    assert "lacks 2 column(s) the model needs: hours_studied, attendance_pct" in str(err.value)
    assert m.store.list_models() == before
    assert not any(a["action"] == "new data scored" for a in m.store.audit_log())


def test_rows_from_the_same_file_show_no_drift(students_model):
    m = students_model
    rows = m.ds.frame.sample(300, random_state=1).drop(columns=["passed"])
    report, ctx = check_new_data(m.store, m.model_id, m.new_rows(rows))
    assert ctx["target"] == "passed" and "hours_studied" in ctx["columns"]
    assert [f for f in report.findings if f.severity != "info"] == []
    assert not report.blocking


def test_shifted_rows_are_reported_as_column_drift_for_the_shifted_column(students_model, monkeypatch):
    # students.csv has 600 rows; drift on samples up to 1,000 rows is judged by tests
    # (small_sample_drift). Lower that limit so the effect sizes decide (column_drift).
    monkeypatch.setenv("FAIRTRIAL_DRIFT_SMALL_SAMPLE_ROWS", "100")
    m = students_model
    rows = m.ds.frame.sample(300, random_state=1).drop(columns=["passed"])
    rows["hours_studied"] = rows["hours_studied"] + 10
    report, _ = check_new_data(m.store, m.model_id, m.new_rows(rows, "shifted"))
    drifted = [f for f in report.findings if f.check == "column_drift"]
    assert [f.columns for f in drifted] == [("hours_studied",)]
    assert drifted[0].severity in ("warning", "critical")


def test_shifted_rows_in_a_small_sample_are_a_small_sample_drift_warning(students_model):
    m = students_model
    rows = m.ds.frame.sample(300, random_state=1).drop(columns=["passed"])
    rows["hours_studied"] = rows["hours_studied"] + 10
    report, _ = check_new_data(m.store, m.model_id, m.new_rows(rows, "shifted"))
    drifted = [f for f in report.findings if f.check == "small_sample_drift"]
    assert [f.columns for f in drifted] == [("hours_studied",)]


# --- one-click "A: with column X / B: without it" ------------------------------------------------------
def test_with_and_without_a_column_about_people_lets_only_A_learn_from_it():
    ds = load_file(SAMPLES / "loans.csv")
    report, _ = check_dataset(None, ds, "approved")
    assert "gender" in report.excluded_columns  # the checks keep it out of the models ...
    plan = plan_with_and_without("approved", report, "gender", kinds=ds.kinds, **FAST)
    assert "gender" not in plan.excluded and "gender" in plan.sensitive  # ... here only B leaves it out
    assert plan.recipe_a == Recipe("simple") and plan.recipe_b == Recipe("simple", without=("gender",))
    sentence = plan.defaults["sensitive"]["sentence"]
    assert sentence.startswith("'gender' describes people; to show what it changes, recipe A learned from it and "
                               "recipe B did not.")
    assert "'age' and 'ethnicity' were kept out of both models" in sentence
    _, data, result = run_compare(None, ds, plan)
    assert "gender" in data["a"]["columns"] and "gender" not in data["b"]["columns"]
    assert [c for c in data["a"]["columns"] if c != "gender"] == data["b"]["columns"]
    assert data["a"]["label"] == "Simple (logistic/linear) — with 'gender'"
    assert data["b"]["label"] == "Simple (logistic/linear) — without 'gender'"
    assert ("B is the same recipe as A without the column 'gender': the same rows in every split, the same seed and "
            "the same settings, so any difference between them comes from that column alone.") in data["verdict"]["text"]
    assert sentence in data["verdict"]["sentences"]
    assert set(data["groups"]) == {"age", "gender", "ethnicity"}


def test_with_and_without_a_leak_the_checks_excluded_lets_A_use_it():
    ds = load_file(SAMPLES / "churn.csv")
    report, _ = check_dataset(None, ds, "churned")
    plan = plan_with_and_without("churned", report, "cancellation_reason", kinds=ds.kinds, **FAST)
    _, data, _ = run_compare(None, ds, plan)
    assert "cancellation_reason" in data["a"]["columns"] and "cancellation_reason" not in data["b"]["columns"]
    assert data["verdict"]["winner"] == "a"
    assert [item["role"] for item in data["too_good"]] == ["a"]


def test_leaving_out_an_id_column_names_the_columns_so_A_really_uses_it():
    ds = load_file(SAMPLES / "students.csv")
    report, _ = check_dataset(None, ds, "passed")
    plan = plan_with_and_without("passed", report, "student_no", kinds=ds.kinds, **FAST)
    assert "student_no" in plan.recipe_a.features and plan.recipe_a.features == plan.recipe_b.features
    assert plan.recipe_b.without == ("student_no",)
    _, data, _ = run_compare(None, ds, plan)
    assert "student_no" in data["a"]["columns"] and "student_no" not in data["b"]["columns"]


def test_the_target_and_the_group_column_cannot_be_left_out():
    ds = load_file(SAMPLES / "students.csv")
    report, _ = check_dataset(None, ds, "passed")
    plan = plan_from_checks("passed", report, recipe_a="simple", recipe_b="simple", group="class_group", **FAST)
    with pytest.raises(BadChoiceError, match="'passed' is the column to predict"):
        leave_out(plan, ["passed"], kinds=ds.kinds)
    with pytest.raises(BadChoiceError, match="'class_group' keeps rows together"):
        leave_out(plan, ["class_group"], kinds=ds.kinds)


def test_a_with_and_without_trial_reruns_with_the_same_numbers():
    store, ds = stored("loans.csv")
    report, _ = check_dataset(store, ds, "approved")
    plan = plan_with_and_without("approved", report, "gender", kinds=ds.kinds, **FAST)
    trial_id, _, _ = run_compare(store, ds, plan)
    trial = store.get_trial(trial_id)
    assert TrialPlan.from_dict(trial["plan"]) == plan
    check = rerun_trial(store, ds, TrialPlan.from_dict(trial["plan"]), trial)
    assert check.same is True and check.differences == []
    assert store.get_trial(check.trial_id)["result"]["b"]["recipe_options"]["without"] == ["gender"]
    # History and the trial pickers tell A and B apart (they read 'simple vs simple' before).
    listed = {t["trial_id"]: t for t in store.list_trials()}[trial_id]
    assert listed["b"] == f"{plan.recipe_b.name} without 'gender'" and listed["a"] == plan.recipe_a.name


def test_the_two_shares_of_a_rare_answer_say_which_rows_they_count(tmp_path):
    """The checks count the table's rows; the trial first leaves out copies of whole rows, so its
    share of the rare answer can differ (ISLR Caravan: '5.8% of rows' and '6.1% of rows' in one
    verdict). Each sentence now says which rows it counts."""
    import json

    import numpy as np

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=900).round(6), "z": rng.normal(size=900).round(6),
                          "bought": np.where(np.arange(900) < 60, "yes", "no")})
    frame = pd.concat([frame, frame[frame["bought"] == "no"].iloc[:100]], ignore_index=True)  # 100 copies
    path = tmp_path / "shop.csv"
    frame.to_csv(path, index=False)
    ds = load_file(path)
    report, _ = check_dataset(None, ds, "bought")
    plan = plan_from_checks("bought", report, recipe_a="simple", recipe_b="tree", folds=3, repeats=1)
    _, data, _ = run_compare(None, ds, plan)
    said = json.dumps(data)
    assert "only 6% of the table's rows have 'bought' = 'yes'" in said  # 60 of 1,000
    assert "only 6.7% of the rows in the trial are 'yes'" in data["metric_reason"]  # 60 of the 900 kept
