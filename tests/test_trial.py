"""The trial runner: fair splits, honest comparisons, reproducible numbers."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from trial_frames import learnable, noise, numbers, people

from fairtrial import trial as trial_module
from fairtrial.checks import run_checks
from fairtrial.errors import BadChoiceError, TrialCancelled
from fairtrial.recipes import Recipe
from fairtrial.task import TaskInfo
from fairtrial.trial import TrialPlan, TrialResult, run_trial

FAST = dict(folds=3, repeats=2, seed=42)


@pytest.fixture(scope="module")
def simple_vs_tree() -> tuple[pd.DataFrame, TrialResult]:
    frame, kinds = learnable(300)
    plan = TrialPlan(target="target", recipe_a="simple", recipe_b="tree", **FAST)
    return frame, run_trial(frame, kinds, plan)


def _numbers(d: dict) -> dict:
    """The parts of to_dict() that must not change between runs with the same seed (no timings)."""
    keep = ("primary_metric", "splits", "difference", "holdout_check", "calibration", "robustness",
            "importance", "secondary", "too_good")
    out = {k: d[k] for k in keep}
    for role in ("a", "b", "baseline"):
        out[role] = d[role]
    return out


def test_identical_recipes_have_no_clear_winner():
    frame, kinds = learnable(240)
    result = run_trial(frame, kinds, TrialPlan(target="target", recipe_a="tree", recipe_b="tree", **FAST))
    assert result.a.fold_scores == result.b.fold_scores
    assert result.verdict.winner == "none"
    assert "no clear winner" in result.verdict.text
    assert result.difference["mean"] == 0.0 and result.difference["p_value"] == 1.0
    assert result.a.label != result.b.label  # "Decision tree (A)" and "(B)" so the words stay clear


def test_boosting_beats_the_baseline_on_learnable_data():
    frame, kinds = learnable(300)
    plan = TrialPlan(target="target", recipe_a="baseline", recipe_b="boosting", **FAST)
    result = run_trial(frame, kinds, plan)
    assert result.verdict.winner == "b"
    assert result.difference["ci_low"] > 0
    assert result.b.beats_baseline and not result.a.beats_baseline
    assert result.verdict.text.startswith("Gradient boosting beats Always guess the most common by ")
    assert "re-splits, so this is" in result.verdict.text


def test_neither_recipe_beats_guessing_on_a_shuffled_target():
    frame, kinds = noise(300)
    result = run_trial(frame, kinds, TrialPlan(target="target", recipe_a="simple", recipe_b="tree", **FAST))
    assert not result.a.beats_baseline and not result.b.beats_baseline
    assert "Neither recipe is clearly better than always guessing" in result.verdict.text
    assert "predicted more than one answer and still did not clearly beat guessing" in result.verdict.text
    assert result.verdict.tone == "caution"
    shares = result.to_dict()["a"]["predicted_share"]  # how often each answer was given, out of fold
    assert set(shares) == {"no", "yes"} and sum(shares.values()) == pytest.approx(1.0)


def test_same_seed_gives_the_same_numbers(simple_vs_tree):
    frame, first = simple_vs_tree
    _, kinds = learnable(300)
    again = run_trial(frame, kinds, first.plan)
    assert _numbers(again.to_dict()) == _numbers(first.to_dict())
    pd.testing.assert_frame_equal(again.holdout_frame(), first.holdout_frame())


def test_every_recipe_sees_the_same_folds_and_never_the_holdout(monkeypatch):
    seen: list[tuple[str, tuple, tuple | None]] = []
    real = trial_module._fit_job

    def spy(pipeline, X_train, y_train, X_test, classes, keep_model, weights=None):
        name = pipeline.steps[-1][1].__class__.__name__
        seen.append((name, tuple(X_train.index), None if X_test is None else tuple(X_test.index)))
        return real(pipeline, X_train, y_train, X_test, classes, keep_model, weights)

    monkeypatch.setattr(trial_module, "_fit_job", spy)
    frame, kinds = learnable(200)
    frame.index = frame.index + 1000  # labels differ from positions on purpose
    result = run_trial(frame, kinds, TrialPlan(target="target", recipe_a="simple", recipe_b="bayes", **FAST))
    holdout = set(result.holdout_frame()["row"])
    assert len(holdout) == 40
    by_split: dict[tuple, set[str]] = {}
    for name, train, test in seen:
        assert not holdout & set(train)
        if test is None:  # final model: every non-holdout row
            assert set(train) == set(frame.index) - holdout
        else:
            assert not holdout & set(test) and not set(train) & set(test)
            by_split.setdefault((train, test), set()).add(name)
    assert len(by_split) == 6  # 3 folds x 2 repeats, each used by all three recipes
    assert all(names == {"DummyClassifier", "LogisticRegression", "GaussianNB"} for names in by_split.values())


def test_result_shape_for_the_cli_json(simple_vs_tree):
    _, result = simple_vs_tree
    d = result.to_dict()
    json.dumps(d, allow_nan=False)
    assert {"task", "primary_metric", "metric_reason", "splits", "a", "b", "baseline", "difference",
            "holdout_check", "verdict", "cost", "calibration", "robustness", "importance", "secondary",
            "versions"} <= set(d)
    assert {"folds", "repeats", "reason", "holdout_rows", "train_rows", "duplicates_removed"} <= set(d["splits"])
    for role in ("a", "b"):
        assert {"recipe", "label", "fold_scores", "mean", "holdout", "beats_baseline"} <= set(d[role])
        assert len(d[role]["fold_scores"]) == 6
        assert {"fit_seconds", "predict_ms_per_1000", "model_bytes"} <= set(d["cost"][role])
    assert {"recipe", "fold_scores", "mean", "holdout"} <= set(d["baseline"])
    assert {"mean", "ci_low", "ci_high", "p_value", "b_wins", "splits"} <= set(d["difference"])
    assert {"winner", "text", "sentences"} <= set(d["verdict"])
    assert d["a"]["recipe"] == "simple" and d["b"]["label"] == "Decision tree"
    assert d["splits"] == {**d["splits"], "folds": 3, "repeats": 2, "holdout_rows": 60, "train_rows": 240}
    assert d["versions"]["scikit-learn"]
    assert {"arm", "column", "importance", "spread"} <= set(d["importance"][0])
    for role in ("a", "b"):
        mine = [i for i in d["importance"] if i["arm"] == role]
        assert 0 < len(mine) <= 10 and mine == sorted(mine, key=lambda i: -i["importance"])


def test_holdout_frame_lists_every_holdout_row(simple_vs_tree):
    frame, result = simple_vs_tree
    hold = result.holdout_frame()
    assert list(hold.columns) == ["row", "position", "y_true", "pred_a", "pred_b", "pred_baseline",
                                  "proba_a", "proba_b"]
    assert len(hold) == 60
    assert (hold["y_true"].to_numpy() == frame["target"].iloc[hold["position"]].to_numpy()).all()
    assert hold["proba_a"].between(0, 1).all()
    assert (hold["pred_a"] == np.where(hold["proba_a"] >= 0.5, "yes", "no")).mean() > 0.95
    oof = result.oof_frame()
    assert len(oof) == 240 and not set(oof["row"]) & set(hold["row"])


def test_secondary_calibration_robustness_and_cost_are_filled(simple_vs_tree):
    _, result = simple_vs_tree
    sec = result.secondary["b"]
    assert {"precision", "recall", "f1", "accuracy", "confusion"} <= set(sec)
    assert np.asarray(sec["confusion"]["matrix"]).sum() == 60
    cal = result.calibration["a"]
    assert cal["available"] and cal["bins"] == 8 and len(cal["curve"]["observed"]) == 8  # 240 rows / 30 a bin
    assert cal["text"].startswith("Simple (logistic/linear)'s predicted chances")
    assert 0 <= cal["ece"] <= 1 and cal["brier_skill"] > 0
    rob = result.robustness["b"]
    assert 0 <= rob["noise_flips"] <= 1 and 0 <= rob["blank_flips"] <= 1
    assert rob["blank_column"] in result.b.columns and rob["severity"] in ("ok", "warning", "critical")
    assert result.a.model_bytes > 0 and result.a.fit_seconds > 0 and result.a.predict_ms_per_1000 > 0
    assert len(result.verdict.sentences) >= 8


def test_numbers_use_mae_and_lower_is_better():
    frame, kinds = numbers(240)
    plan = TrialPlan(target="price", recipe_a="baseline", recipe_b="simple", **FAST)
    result = run_trial(frame, kinds, plan)
    d = result.to_dict()
    assert d["task"] == "numeric" and d["primary_metric"] == "mae" and d["higher_is_better"] is False
    assert d["difference"]["mean"] < 0 and d["difference"]["ci_high"] < 0  # B's error is smaller
    assert result.verdict.winner == "b" and result.b.beats_baseline
    assert "its guesses are off by" in result.verdict.text and "less on average" in result.verdict.text
    assert {"mae", "rmse", "r2"} <= set(d["secondary"]["b"]) and d["secondary"]["b"]["r2"] > 0.5
    assert "R² on the rows kept aside" in result.verdict.parts["metric"]
    assert "proba_a" not in result.holdout_frame().columns
    assert d["calibration"]["available"] is False


def test_multiclass_runs():
    frame, kinds = learnable(240, classes=3)
    result = run_trial(frame, kinds, TrialPlan(target="target", recipe_a="bayes", recipe_b="simple", **FAST))
    assert result.task.task == "multiclass"
    assert result.holdout_frame()["proba_b"].between(1 / 3, 1).all()
    json.dumps(result.to_dict(), allow_nan=False)


def test_duplicates_and_groups_are_honoured():
    frame, kinds = learnable(200)
    frame["customer"] = np.arange(200) % 30
    frame = pd.concat([frame, frame.iloc[:10]], ignore_index=True)
    plan = TrialPlan(target="target", recipe_a="simple", recipe_b="bayes", group="customer", **FAST)
    result = run_trial(frame, kinds, plan)
    assert result.splits.duplicates_removed == 10 and result.splits.kind == "grouped"
    assert "customer" not in result.a.columns
    groups = frame["customer"].to_numpy()
    for train, test in result.splits.pairs:
        assert not set(groups[train]) & set(groups[test])


def test_a_table_without_copies_keeps_every_row_although_people_share_the_model_inputs():
    frame, kinds = people(400)  # unique person_id; band and plan take 6 combinations
    result = run_trial(frame, kinds, TrialPlan(target="left", recipe_a="simple", recipe_b="tree", **FAST))
    assert result.splits.duplicates_removed == 0
    assert len(result.splits.pool) + len(result.splits.holdout) == 400
    assert "Every row of the file took part." in result.verdict.parts["splits"]
    assert "copies" not in result.splits.description


def test_the_trial_removes_exactly_the_copies_the_check_page_counts():
    frame, kinds = people(300)
    copies = frame.iloc[[10, 11, 11]]  # three rows equal in every column, person_id included
    no_answer = frame.iloc[[12, 12, 13]].assign(left=["", "", None])  # copies without an answer do not count
    data = pd.concat([frame, copies, no_answer], ignore_index=True)
    report = run_checks(data, "left")
    finding = next(f for f in report.findings if f.check == "duplicates")
    assert report.duplicate_rows == 3 and finding.details["duplicate_rows"] == 3
    assert "3 rows (1% of 303) are exact copies of another row, equal in every column" in finding.message

    result = run_trial(data, kinds, TrialPlan(target="left", recipe_a="simple", recipe_b="tree", **FAST))
    assert result.splits.duplicates_removed == 3 and result.splits.missing_target_removed == 3
    assert result.task.classes == ("no", "yes")  # a blank answer is no answer, not a third class
    assert len(result.splits.kept) == 300
    assert ("3 rows were left out first because each was an exact copy of another row in every column"
            in result.verdict.parts["splits"])
    assert "3 rows have no value in 'left' and were left out." in result.verdict.parts["splits"]


def test_a_table_without_an_id_whose_rows_share_every_value_keeps_them_and_the_check_page_agrees():
    frame, kinds = people(300)
    survey = frame.drop(columns=["person_id"])
    report = run_checks(survey, "left")
    finding = next(f for f in report.findings if f.check == "duplicates")
    assert report.duplicate_rows == 0 and finding.details["identical_rows"] == 288 and not finding.action
    assert finding.message.startswith("288 rows (96% of 300) have the same value as another row in every column.")
    assert "so these are not copies: FairTrial keeps every row." in finding.message

    result = run_trial(survey, kinds, TrialPlan(target="left", recipe_a="simple", recipe_b="tree", **FAST))
    assert result.splits.duplicates_removed == 0 and len(result.splits.kept) == 300
    assert ("288 rows have the same value as another row in every column; with so few columns of so few values "
            "that is expected among different people or records, so they are not copies and all of them count."
            in result.verdict.parts["splits"])


def test_a_shuffled_target_on_a_people_table_names_no_winner():
    named = []
    for seed in range(20):
        frame, kinds = people(400, seed=seed, shuffled=True)
        plan = TrialPlan(target="left", recipe_a="simple", recipe_b="tree", folds=3, seed=seed)
        result = run_trial(frame, kinds, plan)
        assert result.splits.duplicates_removed == 0
        named.append(result.verdict.winner)
    assert named.count("none") >= 19, named


YES_NO = TaskInfo("binary", "test", ("no", "yes"), "yes")
PERFECT = {"accuracy": 1.0, "balanced_accuracy": 1.0, "roc_auc": 1.0}


def test_a_perfect_small_holdout_is_no_leakage_warning_when_cross_validation_is_honest():
    y_hold = np.array(["yes"] * 14 + ["no"] * 22)  # 36 rows kept aside, all right
    cv = {"a": 0.80, "b": 0.979}
    assert trial_module._too_good("accuracy", YES_NO, cv, {"a": {}, "b": PERFECT}, y_hold) == []


def test_a_cross_validated_score_near_perfect_is_too_good_to_be_true():
    y_hold = np.array(["yes"] * 14 + ["no"] * 22)
    items = trial_module._too_good("accuracy", YES_NO, {"a": 0.80, "b": 0.995}, {"a": {}, "b": PERFECT}, y_hold)
    assert items == [{"role": "b", "metric": "accuracy", "value": 0.995, "source": "cross-validation"}]


def test_a_perfect_holdout_warns_only_when_it_is_large_enough_to_be_sure():
    cv = {"a": 0.80, "b": 0.97}
    big = np.array(["yes"] * 200 + ["no"] * 200)  # 400 of 400 right: the low end of the interval is 0.99
    items = trial_module._too_good("accuracy", YES_NO, cv, {"a": {}, "b": {"accuracy": 1.0}}, big)
    assert [(i["role"], i["metric"], i["source"], i["rows"]) for i in items] == [("b", "accuracy", "holdout", 400)]
    assert items[0]["low"] >= 0.99
    rare = np.array(["yes"] * 20 + ["no"] * 380)  # a perfect AUC rests on the 20 rows of the rare class
    assert trial_module._too_good("accuracy", YES_NO, cv, {"a": {}, "b": {"roc_auc": 1.0}}, rare) == []


def test_numbers_are_judged_by_the_r2_of_the_out_of_fold_predictions():
    numeric = TaskInfo("numeric", "test")
    y_hold = np.linspace(0, 1, 500)
    honest = trial_module._too_good("mae", numeric, {"a": 0.6, "b": 0.98}, {"a": {"r2": 1.0}, "b": {"r2": 1.0}},
                                    y_hold)
    assert honest == []
    items = trial_module._too_good("mae", numeric, {"a": 0.6, "b": 0.995}, {"a": {}, "b": {}}, y_hold)
    assert items == [{"role": "b", "metric": "r2", "value": 0.995, "source": "cross-validation"}]


def test_a_column_that_gives_the_answer_away_is_too_good_in_a_trial():
    frame, kinds = people(300)
    frame["left_copy"] = frame["left"].map({"yes": "Y", "no": "N"})
    result = run_trial(frame, {**kinds, "left_copy": "category"},
                       TrialPlan(target="left", recipe_a="simple", recipe_b="tree", **FAST))
    items = result.to_dict()["too_good"]
    assert {i["role"] for i in items} == {"a", "b"} and all(i["source"] == "cross-validation" for i in items)
    assert "too good to be true" in items[0]["text"]


def test_progress_is_reported_and_cancel_stops_the_trial():
    frame, kinds = learnable(150)
    plan = TrialPlan(target="target", recipe_a="simple", recipe_b="bayes", **FAST)
    shares: list[float] = []
    run_trial(frame, kinds, plan, progress=lambda share, message: shares.append(share))
    assert shares[0] == 0.0 and shares[-1] == 1.0 and shares == sorted(shares)
    assert len(shares) >= 3 * 6 + 3

    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 4

    with pytest.raises(TrialCancelled, match="stopped"):
        run_trial(frame, kinds, plan, cancel=cancel)


@pytest.mark.slow
@pytest.mark.parametrize("recipe_b", ["tree", "boosting"])
def test_two_folds_at_a_time_give_the_same_numbers(monkeypatch, recipe_b):
    """In the two worker processes (one thread each) every fit gives what it gives here,
    gradient boosting included (its histograms are summed the same way with any number of threads)."""
    frame, kinds = learnable(150)
    plan = TrialPlan(target="target", recipe_a="simple", recipe_b=recipe_b, **FAST)
    one_by_one = run_trial(frame, kinds, plan)
    monkeypatch.setenv("FAIRTRIAL_PARALLEL_FOLDS_ROWS", "1")
    in_parallel = run_trial(frame, kinds, plan)
    assert in_parallel.a.fold_scores == one_by_one.a.fold_scores
    assert in_parallel.b.fold_scores == one_by_one.b.fold_scores
    assert _numbers(in_parallel.to_dict()) == _numbers(one_by_one.to_dict())


def test_plan_round_trips_and_refuses_unknown_columns():
    plan = TrialPlan(target="target", recipe_a=Recipe("forest", features=("x0",)), recipe_b="knn:thorough",
                     columns=["x0", "x1"], sensitive=["shop"], repeats=3)
    assert TrialPlan.from_dict(json.loads(json.dumps(plan.to_dict()))) == plan
    frame, kinds = learnable(100)
    with pytest.raises(BadChoiceError, match="no column named 'nope'"):
        run_trial(frame, kinds, TrialPlan(target="target", columns=("nope",)))
    with pytest.raises(BadChoiceError, match="no column 'price' to predict"):
        run_trial(frame, kinds, TrialPlan(target="price"))


def test_trial_charts_draw_from_the_result_dict(simple_vs_tree):
    import plotly.graph_objects as go

    from fairtrial import charts_trial as ct

    _, result = simple_vs_tree
    d = json.loads(json.dumps(result.to_dict()))  # as stored: plain JSON, no models
    figures = [ct.splits_chart(d), ct.difference_chart(d), ct.calibration_chart(d), ct.confusion_chart(d, "a"),
               ct.importance_chart(d), ct.cost_chart(result)]
    assert all(isinstance(f, go.Figure) for f in figures)
    assert len(figures[0].data) == 3 and list(figures[0].data[1].y) == d["a"]["fold_scores"]
    assert len(figures[2].data) == 3  # the diagonal and two recipes
    assert ct.confusion_chart({**d, "secondary": {"a": {"mae": 1.0}}}, "a") is None


def test_a_recipe_that_cannot_learn_is_a_plain_error():
    frame, kinds = learnable(120)
    frame["note"] = ""
    kinds["note"] = "text"
    plan = TrialPlan(target="target", recipe_a=Recipe("simple", features=("note",)), recipe_b="bayes", **FAST)
    with pytest.raises(BadChoiceError, match="could not be trained on this data"):
        run_trial(frame, kinds, plan)
