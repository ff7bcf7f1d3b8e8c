"""The trial runner: fair splits, honest comparisons, reproducible numbers."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from trial_frames import learnable, noise, numbers

from fairtrial import trial as trial_module
from fairtrial.errors import BadChoiceError, TrialCancelled
from fairtrial.recipes import Recipe
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
def test_two_folds_at_a_time_give_the_same_numbers(monkeypatch):
    frame, kinds = learnable(150)
    plan = TrialPlan(target="target", recipe_a="simple", recipe_b="tree", **FAST)
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
