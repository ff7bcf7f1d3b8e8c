"""Paired statistics, checked against hand computations."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as sps

from fairtrial.stats import (
    bootstrap_mean_ci,
    corrected_t_test,
    mcnemar,
    paired_bootstrap,
    wilson_interval,
)


def test_corrected_t_test_matches_the_formula_by_hand():
    diffs = [0.01, 0.02, 0.03, 0.04, 0.05]
    # mean 0.03; s² = (0.0004 + 0.0001 + 0 + 0.0001 + 0.0004) / 4 = 0.00025
    # se = sqrt((1/5 + 20/80) * 0.00025) = sqrt(0.0001125) = 0.0106066
    result = corrected_t_test(diffs, n_train=80, n_test=20)
    se = math.sqrt(0.45 * 0.00025)
    assert result.mean == pytest.approx(0.03)
    assert result.se == pytest.approx(se)
    assert result.t == pytest.approx(0.03 / se)  # 2.828
    assert result.df == 4 and result.splits == 5
    half = 2.7764451051977987 * se  # t(4) 97.5% quantile
    assert result.ci_low == pytest.approx(0.03 - half)
    assert result.ci_high == pytest.approx(0.03 + half)
    assert result.p_value == pytest.approx(2 * sps.t.sf(0.03 / se, 4))
    assert result.p_value == pytest.approx(0.04742, abs=1e-4)


def test_correction_widens_the_naive_interval():
    rng = np.random.default_rng(0)
    diffs = rng.normal(0.01, 0.01, size=25)
    corrected = corrected_t_test(diffs, n_train=80, n_test=20)
    naive_se = diffs.std(ddof=1) / math.sqrt(25)
    assert corrected.se == pytest.approx(naive_se * math.sqrt(1 + 25 * 0.25))


def test_identical_scores_give_a_zero_interval_and_p_one():
    result = corrected_t_test([0.0] * 10, n_train=100, n_test=25)
    assert (result.mean, result.ci_low, result.ci_high, result.p_value) == (0.0, 0.0, 0.0, 1.0)
    constant = corrected_t_test([0.02] * 10, n_train=100, n_test=25)
    assert (constant.ci_low, constant.ci_high, constant.p_value) == (0.02, 0.02, 0.0)


def test_corrected_t_test_needs_two_splits():
    with pytest.raises(ValueError, match="at least two splits"):
        corrected_t_test([0.1], 10, 2)


def test_bootstrap_mean_ci_is_seeded_and_covers_the_mean():
    diffs = np.linspace(-0.01, 0.05, 20)
    low, high = bootstrap_mean_ci(diffs, rounds=2000, seed=1)
    assert (low, high) == bootstrap_mean_ci(diffs, rounds=2000, seed=1)
    assert low < diffs.mean() < high
    assert bootstrap_mean_ci([0.02] * 5) == (0.02, 0.02)


def test_mcnemar_exact_by_hand():
    # A right & B wrong on 3 rows, A wrong & B right on 9 rows: b + c = 12 < 25, exact test
    a = [True] * 3 + [False] * 9 + [True] * 50
    b = [False] * 3 + [True] * 9 + [True] * 50
    result = mcnemar(a, b)
    assert (result.b, result.c, result.method) == (3, 9, "exact")
    # 2 * P(X <= 3), X ~ Binomial(12, 1/2) = 2 * (1 + 12 + 66 + 220) / 4096
    assert result.p_value == pytest.approx(2 * 299 / 4096)


def test_mcnemar_chi_square_by_hand():
    a = [True] * 10 + [False] * 25
    b = [False] * 10 + [True] * 25
    result = mcnemar(a, b)
    assert result.method == "chi-square"
    assert result.statistic == pytest.approx(196 / 35)  # (|10 - 25| - 1)² / 35 = 5.6
    assert result.p_value == pytest.approx(sps.chi2.sf(5.6, 1))
    assert result.p_value == pytest.approx(0.01796, abs=1e-5)


def test_mcnemar_without_disagreement():
    assert mcnemar([True, False], [True, False]).p_value == 1.0


@pytest.mark.parametrize("k, n, low, high", [
    (8, 10, 0.4902, 0.9433),
    (0, 10, 0.0, 0.2775),
    (50, 100, 0.4038, 0.5962),
])
def test_wilson_interval_by_hand(k, n, low, high):
    got = wilson_interval(k, n)
    assert got[0] == pytest.approx(low, abs=1e-4)
    assert got[1] == pytest.approx(high, abs=1e-4)


def test_wilson_interval_edge_cases():
    assert all(math.isnan(v) for v in wilson_interval(0, 0))
    with pytest.raises(ValueError):
        wilson_interval(5, 3)


def test_paired_bootstrap_same_predictions_is_no_difference():
    y = np.array(["yes", "no"] * 50, dtype=object)
    pred = np.array(["yes"] * 100, dtype=object)
    result = paired_bootstrap("accuracy", y, pred, pred, rounds=500, seed=0)
    assert (result.difference, result.ci_low, result.ci_high, result.p_value) == (0.0, 0.0, 0.0, 1.0)


def test_paired_bootstrap_finds_a_clear_difference():
    rng = np.random.default_rng(0)
    y = rng.normal(size=300)
    good, bad = y + rng.normal(0, 0.1, 300), y + rng.normal(0, 1.0, 300)
    result = paired_bootstrap("mae", y, bad, good, rounds=1000, seed=0)
    assert result.difference < 0  # B (good) has the smaller error
    assert result.ci_high < 0 and result.p_value < 0.01
    again = paired_bootstrap("mae", y, bad, good, rounds=1000, seed=0)
    assert again == result


def test_paired_bootstrap_auc_uses_probabilities():
    rng = np.random.default_rng(1)
    y = rng.choice(["no", "yes"], size=400).astype(object)
    signal = (y == "yes") + rng.normal(0, 0.6, 400)
    p_good = 1 / (1 + np.exp(-signal))
    p_bad = rng.random(400)
    result = paired_bootstrap("roc_auc", y, proba_a=np.c_[1 - p_bad, p_bad], proba_b=np.c_[1 - p_good, p_good],
                              classes=("no", "yes"), positive="yes", rounds=500, seed=0)
    assert result.difference > 0.2 and result.ci_low > 0
