"""Metrics: the weighted versions agree with scikit-learn, and the primary metric follows the data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn import metrics as skm

from fairtrial.errors import BadChoiceError
from fairtrial.scoring import choose_metric, score, weighted_scores
from fairtrial.task import TaskInfo

RNG = np.random.default_rng(0)
Y = RNG.choice(["no", "yes"], size=300, p=[0.7, 0.3]).astype(object)
P = np.round(RNG.random(300), 2)
PRED = np.where(P > 0.5, "yes", "no").astype(object)
Y3 = RNG.choice(["a", "b", "c"], size=300).astype(object)
P3 = RNG.dirichlet([1, 1, 1], size=300)
PRED3 = np.array(["a", "b", "c"], dtype=object)[P3.argmax(axis=1)]


@pytest.mark.parametrize("metric, ours, theirs", [
    ("accuracy", lambda: score("accuracy", Y, PRED), lambda: skm.accuracy_score(Y, PRED)),
    ("balanced_accuracy", lambda: score("balanced_accuracy", Y, PRED, classes=("no", "yes")),
     lambda: skm.balanced_accuracy_score(Y, PRED)),
    ("f1", lambda: score("f1", Y, PRED, classes=("no", "yes"), positive="yes"),
     lambda: skm.f1_score(Y, PRED, pos_label="yes")),
    ("roc_auc", lambda: score("roc_auc", Y, proba=np.c_[1 - P, P], classes=("no", "yes"), positive="yes"),
     lambda: skm.roc_auc_score(Y == "yes", P)),
    ("multiclass auc", lambda: score("roc_auc", Y3, proba=P3, classes=("a", "b", "c")),
     lambda: skm.roc_auc_score(Y3, P3, multi_class="ovr")),
    ("macro f1", lambda: score("f1", Y3, PRED3, classes=("a", "b", "c")),
     lambda: skm.f1_score(Y3, PRED3, average="macro")),
])
def test_scores_match_scikit_learn(metric, ours, theirs):
    assert ours() == pytest.approx(theirs())


def test_number_scores_match_scikit_learn():
    y = RNG.normal(1e4, 100, size=200)
    pred = y + RNG.normal(0, 30, size=200)
    assert score("mae", y, pred) == pytest.approx(skm.mean_absolute_error(y, pred))
    assert score("rmse", y, pred) == pytest.approx(skm.root_mean_squared_error(y, pred))
    assert score("r2", y, pred) == pytest.approx(skm.r2_score(y, pred))


def test_weights_count_rows():
    y = np.array(["a", "b", "b"], dtype=object)
    pred = np.array(["a", "a", "b"], dtype=object)
    w = np.array([[1, 1, 1], [2, 0, 1], [0, 1, 0]])
    np.testing.assert_allclose(weighted_scores("accuracy", w, y, pred), [2 / 3, 1.0, 0.0])


def test_balanced_accuracy_skips_a_class_missing_from_the_rows():
    y = np.array(["a", "a"], dtype=object)
    assert score("balanced_accuracy", y, y, classes=("a", "b")) == 1.0


@pytest.mark.parametrize("yes_share, expected", [(0.5, "accuracy"), (0.25, "accuracy"), (0.1, "balanced_accuracy")])
def test_primary_metric_follows_the_balance(yes_share, expected):
    n = 100
    y = pd.Series(["yes"] * int(n * yes_share) + ["no"] * (n - int(n * yes_share)))
    metric, reason = choose_metric(TaskInfo("binary", "", ("no", "yes"), "yes"), y)
    assert metric == expected
    assert "higher is better" in reason
    if expected == "balanced_accuracy":
        assert "only 10% of rows are 'yes'" in reason


def test_multiclass_imbalance_uses_share_times_classes():
    y = pd.Series(["a"] * 45 + ["b"] * 45 + ["c"] * 10)  # 0.10 x 3 = 0.3 < 0.5
    assert choose_metric(TaskInfo("multiclass", "", ("a", "b", "c")), y)[0] == "balanced_accuracy"


def test_numbers_use_mae_and_asked_metrics_must_fit():
    assert choose_metric(TaskInfo("numeric", ""), pd.Series([1.0, 2.0]))[0] == "mae"
    info = TaskInfo("binary", "", ("no", "yes"), "yes")
    assert choose_metric(info, pd.Series(["no", "yes"]), "roc_auc")[0] == "roc_auc"
    with pytest.raises(BadChoiceError, match="does not fit a numeric target"):
        choose_metric(TaskInfo("numeric", ""), pd.Series([1.0, 2.0]), "roc_auc")


def test_a_rare_share_under_10_percent_is_written_with_one_decimal_like_the_other_sentences():
    from fairtrial.task import detect_task

    y = pd.Series(["Yes"] * 38 + ["No"] * 962)
    _, reason = choose_metric(detect_task(y, "default"), y)
    assert "only 3.8% of rows are 'Yes'" in reason
