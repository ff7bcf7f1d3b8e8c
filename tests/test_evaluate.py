"""Calibration, robustness and importance: small hand-checkable cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from trial_frames import BINARY, learnable

from fairtrial.evaluate import calibration, permutation_importance, predict_both, robustness, secondary_metrics
from fairtrial.recipes import Recipe, build_pipeline


def test_calibration_by_hand():
    # 60 rows, two equal-count bins of 30: chance 0.2 (6 of 30 are yes) and chance 0.8 (20 of 30 are yes)
    chance = np.r_[np.full(30, 0.2), np.full(30, 0.8)]
    y = np.array(["yes"] * 6 + ["no"] * 24 + ["yes"] * 20 + ["no"] * 10, dtype=object)
    cal = calibration(y, np.c_[1 - chance, chance], ("no", "yes"), "yes")
    assert cal["bins"] == 2
    assert [round(p, 4) for p in cal["curve"]["observed"]] == [0.2, 0.6667]
    assert cal["curve"]["predicted"] == pytest.approx([0.2, 0.8]) and cal["curve"]["rows"] == [30, 30]
    assert cal["ece"] == pytest.approx(0.5 * 0.0 + 0.5 * (0.8 - 20 / 30))
    brier = (6 * 0.8**2 + 24 * 0.2**2 + 20 * 0.2**2 + 10 * 0.8**2) / 60
    assert cal["brier"] == pytest.approx(brier)
    rate = 26 / 60
    assert cal["brier_skill"] == pytest.approx(1 - brier / (rate * (1 - rate)))
    assert cal["severity"] == "warning"  # ECE 0.067: above 0.05, below 0.10
    too_few = calibration(y[:50], np.c_[1 - chance, chance][:50], ("no", "yes"), "yes")
    assert too_few["available"] is False and "Only 50 rows" in too_few["reason"]


def test_importance_finds_the_column_that_matters():
    frame, kinds = learnable(300)
    frame["useless"] = np.random.default_rng(0).normal(size=300)
    kinds["useless"] = "number"
    cols = list(kinds)
    model = build_pipeline(Recipe("simple"), BINARY, kinds, cols, seed=0).fit(frame, frame["target"])
    y = frame["target"].to_numpy(dtype=object)
    first = permutation_importance(model, frame, y, cols, "accuracy", ("no", "yes"), "yes", seed=0)
    assert first == permutation_importance(model, frame, y, cols, "accuracy", ("no", "yes"), "yes", seed=0)
    ranked = [item["column"] for item in first]
    assert ranked.index("useless") > 3
    assert first[0]["drop"] > 0.05


def test_robustness_on_a_model_that_ignores_noise():
    frame, kinds = learnable(200)
    model = build_pipeline(Recipe("baseline"), BINARY, kinds, list(kinds), seed=0).fit(frame, frame["target"])
    y = frame["target"].to_numpy(dtype=object)
    out = robustness(model, frame, y, metric="accuracy", classes=("no", "yes"), positive="yes",
                     number_columns=["x0", "x1"], spreads={"x0": 1.0, "x1": 1.0}, blank_column="shop", seed=0)
    assert out["noise_flips"] == 0.0 and out["blank_flips"] == 0.0 and out["severity"] == "ok"
    assert out["rows"] == 200


def test_predictions_follow_the_most_likely_class_and_fill_unseen_classes():
    frame, kinds = learnable(120)
    train = frame[frame["target"] == "yes"].head(2)
    model = build_pipeline(Recipe("baseline"), BINARY, kinds, list(kinds), seed=0).fit(train, train["target"])
    pred, proba = predict_both(model, frame.head(3), ("no", "yes"))
    np.testing.assert_array_equal(proba, [[0.0, 1.0]] * 3)
    assert list(pred) == ["yes"] * 3


def test_secondary_metrics_by_hand():
    y = np.array(["yes", "yes", "no", "no"], dtype=object)
    pred = np.array(["yes", "no", "yes", "no"], dtype=object)
    out = secondary_metrics("binary", y, pred, None, ("no", "yes"), "yes")
    assert (out["precision"], out["recall"], out["f1"]) == (0.5, 0.5, 0.5)
    assert out["confusion"]["matrix"] == [[1, 1], [1, 1]]
    numbers = secondary_metrics("numeric", np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 5.0]), None, (), None)
    assert numbers["mae"] == pytest.approx(2 / 3) and numbers["rmse"] == pytest.approx(np.sqrt(4 / 3))
    pd.testing.assert_series_equal(pd.Series([numbers["r2"]]), pd.Series([1 - 4 / 2]))


def test_big_tables_are_predicted_in_chunks_with_the_same_answers(monkeypatch):
    from fairtrial import evaluate

    frame, kinds = learnable(n=300, seed=5)
    y = frame.pop("target").to_numpy(dtype=object)
    for name in ("simple", "boosting"):
        model = build_pipeline(Recipe(name), BINARY, kinds, list(kinds), 0).fit(frame.iloc[:200], y[:200])
        whole_pred, whole_proba = evaluate.predict_both(model, frame, ("no", "yes"))
        monkeypatch.setattr(evaluate, "_PREDICT_CHUNK", 7)  # 300 rows in 43 chunks
        pred, proba = evaluate.predict_both(model, frame, ("no", "yes"))
        monkeypatch.undo()
        assert np.array_equal(pred, whole_pred) and np.allclose(proba, whole_proba, rtol=1e-12, atol=0)
        assert np.allclose(proba, model.predict_proba(frame), rtol=1e-12, atol=0) and proba.shape == (300, 2)


def test_importance_on_more_shuffled_rows_than_one_chunk_gives_the_same_scores(monkeypatch):
    # The shuffled copies are prepared arrays, stacked: above one chunk they are cut like a table
    # (compare on 100,000 rows failed here with "'numpy.ndarray' object has no attribute 'iloc'").
    from fairtrial import evaluate

    frame, kinds = learnable(n=300, seed=5)
    y = frame.pop("target").to_numpy(dtype=object)
    model = build_pipeline(Recipe("simple"), BINARY, kinds, list(kinds), 0).fit(frame.iloc[:200], y[:200])
    args = (model, frame.iloc[200:], y[200:], list(kinds), "balanced_accuracy", ("no", "yes"), "yes")
    whole = evaluate.permutation_importance(*args, seed=0)
    monkeypatch.setattr(evaluate, "_PREDICT_CHUNK", 7)
    assert evaluate.permutation_importance(*args, seed=0) == whole


def test_importance_predicts_the_shuffled_copies_a_block_at_a_time(monkeypatch):
    """All shuffled copies at once were 1 + 3 per column times the sample (122,000 x 102 float64,
    100 MB, for 20 columns; gigabytes for a wide table): they are now written a block of whole
    copies at a time into one buffer, with the same scores."""
    from fairtrial import evaluate

    frame, kinds = learnable(n=300, seed=5)
    y = frame.pop("target").to_numpy(dtype=object)
    model = build_pipeline(Recipe("simple"), BINARY, kinds, list(kinds), 0).fit(frame.iloc[:200], y[:200])
    args = (model, frame.iloc[200:], y[200:], list(kinds), "balanced_accuracy", ("no", "yes"), "yes")
    whole = evaluate.permutation_importance(*args, seed=0)
    sizes: list[int] = []
    real = evaluate.predict_both

    def spy(m, X, classes):
        sizes.append(X.shape[0])
        return real(m, X, classes)

    monkeypatch.setattr(evaluate, "_PREDICT_CHUNK", 250)  # 100 rows a copy: 2 copies a block
    monkeypatch.setattr(evaluate, "predict_both", spy)
    assert evaluate.permutation_importance(*args, seed=0) == whole
    copies = 1 + 3 * len(kinds)
    assert max(sizes) == 200 and sum(sizes) == copies * 100 and len(sizes) == -(-copies // 2)
