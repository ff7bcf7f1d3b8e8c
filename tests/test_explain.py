"""The verdict in plain words, from hand-made result dicts (the ``TrialResult.to_dict()`` shape)."""

from __future__ import annotations

import copy

import pytest

from fairtrial.explain import build_verdict, decide_winner, format_difference, format_score


def result(**changes) -> dict:
    """A trial result dict: Simple (A) vs Gradient boosting (B), balanced accuracy, 25 re-splits."""
    d = {
        "task": "binary", "target": "churn", "primary_metric": "balanced_accuracy",
        "metric_label": "balanced accuracy", "higher_is_better": True, "metric_in_points": True,
        "metric_reason": "The classes are imbalanced (only 12% of rows are 'yes'), so ... (higher is better).",
        "splits": {"folds": 5, "repeats": 5, "splits": 25, "reason": "", "holdout_rows": 250, "train_rows": 1000,
                   "duplicates_removed": 3},
        "a": {"label": "Simple", "mean": 0.70, "holdout": 0.71, "beats_baseline": True},
        "b": {"label": "Gradient boosting", "mean": 0.731, "holdout": 0.74, "beats_baseline": True},
        "baseline": {"label": "Always guess the most common", "mean": 0.5, "holdout": 0.5},
        "baseline_guess": {"kind": "most_common", "value": "no", "share": 0.88},
        "difference": {"mean": 0.031, "ci_low": 0.012, "ci_high": 0.050, "p_value": 0.004, "b_wins": 23,
                       "a_wins": 2, "ties": 0, "splits": 25, "higher_is_better": True},
        "holdout_check": {"rows": 250, "a": 0.71, "b": 0.74, "better": "b", "agrees_with_cv": True,
                          "p_value": 0.03},
        "cost": {"a": {"fit_seconds": 0.1, "predict_ms_per_1000": 2.0, "model_bytes": 20_000},
                 "b": {"fit_seconds": 4.0, "predict_ms_per_1000": 12.0, "model_bytes": 900_000}},
        "calibration": {"available": True,
                        "a": {"available": True, "ece": 0.03, "severity": "ok"},
                        "b": {"available": True, "ece": 0.12, "severity": "critical"}},
        "robustness": {"a": {"noise_flips": 0.01, "blank_flips": 0.02, "blank_share": 0.1, "blank_column": "tenure",
                             "severity": "ok"},
                       "b": {"noise_flips": 0.08, "blank_flips": 0.03, "blank_share": 0.1, "blank_column": "tenure",
                             "severity": "warning"}},
        "importance": [{"arm": "a", "column": "tenure", "importance": 0.10},
                       {"arm": "a", "column": "plan", "importance": 0.02},
                       {"arm": "a", "column": "age", "importance": 0.0},
                       {"arm": "b", "column": "tenure", "importance": 0.12},
                       {"arm": "b", "column": "plan", "importance": 0.05},
                       {"arm": "b", "column": "age", "importance": 0.01}],
        "too_good": [],
    }
    for key, value in changes.items():
        d[key] = value
    return d


def diff(**changes) -> dict:
    base = copy.deepcopy(result()["difference"])
    base.update(changes)
    return base


def test_a_clear_winner_is_named_with_the_range_and_the_luck_words():
    v = build_verdict(result())
    assert v.winner == "b"
    assert v.text.startswith(
        "Gradient boosting beats Simple by 3.1 points of balanced accuracy (95% range 1.2 to 5.0); it won 23 of 25 "
        "re-splits, so this is very unlikely to be luck. It is 40 times slower to train and predicts 1,000 rows "
        "in 12 ms.")


def test_p_below_five_percent_is_unlikely_to_be_luck():
    v = build_verdict(result(difference=diff(p_value=0.03)))
    assert "so this is unlikely to be luck." in v.text and "very unlikely" not in v.text


def test_an_interval_with_zero_has_no_clear_winner():
    v = build_verdict(result(difference=diff(mean=0.01, ci_low=-0.01, ci_high=0.03, p_value=0.3, b_wins=15)))
    assert v.winner == "none"
    assert v.text.startswith("There is no clear winner: Gradient boosting scored 1.0 point higher balanced accuracy")
    assert "includes zero, so it could be luck" in v.text and "15 of 25" in v.text


def test_a_tiny_interval_is_practically_the_same():
    v = build_verdict(result(difference=diff(mean=0.002, ci_low=0.001, ci_high=0.004, p_value=0.01)))
    assert v.winner == "none"
    assert "no clear winner" in v.text and "practically the same" in v.text


def test_a_real_but_small_difference_says_it_may_not_matter():
    v = build_verdict(result(difference=diff(mean=0.008, ci_low=0.001, ci_high=0.015, p_value=0.02)))
    assert v.winner == "b" and "may not matter in practice" in v.text


def test_a_wins_when_the_interval_is_below_zero():
    v = build_verdict(result(difference=diff(mean=-0.03, ci_low=-0.05, ci_high=-0.01, a_wins=22, b_wins=3),
                             holdout_check={"rows": 250, "a": 0.74, "b": 0.71, "better": "a",
                                            "agrees_with_cv": True}))
    assert v.winner == "a"
    assert v.text.startswith("Simple beats Gradient boosting by 3.0 points")
    assert "It is also 40 times faster to train" in v.text


def test_for_errors_lower_is_better_and_the_sign_flips():
    d = result(task="numeric", primary_metric="mae", metric_label="mean absolute error", higher_is_better=False,
               metric_in_points=False, baseline_guess={"kind": "typical", "value": 120.0},
               difference=diff(mean=-3.1, ci_low=-5.0, ci_high=-1.2, higher_is_better=False),
               calibration={"available": False, "reason": "Calibration is about predicted chances."},
               robustness={"a": {"noise_change": 0.5, "severity": "ok"}, "b": {"noise_change": 0.7, "severity": "ok"}})
    d["baseline"]["mean"] = 30.0
    assert decide_winner(d["difference"]) == "b"
    v = build_verdict(d)
    assert v.text.startswith("Gradient boosting beats Simple: its guesses are off by 3.10 less on average "
                             "(mean absolute error, 95% range 1.20 to 5.00)")


def test_not_beating_the_baseline_is_said_plainly():
    d = result()
    d["a"]["beats_baseline"] = False
    assert "Simple is no better than always guessing 'no'" in build_verdict(d).text
    d["b"]["beats_baseline"] = False
    assert "Neither recipe is better than always guessing 'no' (balanced accuracy 50.0%)" in build_verdict(d).text


def test_too_good_scores_warn_about_leakage():
    v = build_verdict(result(too_good=[{"role": "b", "metric": "roc_auc", "value": 0.998}]))
    assert "A score of 0.998 (roc auc) for Gradient boosting is too good to be true" in v.text
    assert "leakage" in v.text


def test_a_disagreeing_holdout_is_reported():
    v = build_verdict(result(holdout_check={"rows": 250, "a": 0.75, "b": 0.70, "better": "a",
                                            "agrees_with_cv": False}))
    assert "Careful: on the 250 rows kept aside for the final check, Simple did better" in v.text
    assert "disagrees with the re-splits" in v.text


def test_one_sentence_each_for_the_other_aspects():
    v = build_verdict(result())
    parts = v.parts
    assert parts["metric"].startswith("The classes are imbalanced")
    assert "Simple's are close to what really happens (calibration error 0.03)" in parts["calibration"]
    assert "Gradient boosting's are clearly off" in parts["calibration"]
    assert "changes 1% of Simple's answers and 8% of Gradient boosting's" in parts["robustness"]
    assert "Gradient boosting is sensitive to messy inputs" in parts["robustness"]
    assert parts["cost"] == ("Cost: training takes Simple 100 ms and Gradient boosting 4.0 s; predicting 1,000 "
                             "rows takes 2 ms and 12 ms; the saved models are 20 KB and 879 KB.")
    assert "for Simple 'tenure' and 'plan'; for Gradient boosting 'tenure', 'plan' and 'age'" in parts["importance"]
    assert ("3 rows were left out first because each was an exact copy of another row in every column, IDs "
            "included (the first copy stayed in), so no row could be in both training and test.") in parts["splits"]
    assert list(v.sentences)[0] == parts["comparison"]


@pytest.mark.parametrize("value, metric, text", [
    (0.8734, "accuracy", "87.3%"), (0.91234, "roc_auc", "0.912"), (1234.5, "mae", "1,234"), (3.14159, "mae", "3.14"),
])
def test_scores_are_written_the_way_people_read_them(value, metric, text):
    assert format_score(value, metric) == text


def test_differences_in_points_or_units():
    assert format_difference(-0.031, True) == "3.1 points"
    assert format_difference(0.01, True) == "1.0 point"
    assert format_difference(-12.5, False) == "12.5"


def test_a_baseline_arm_is_not_judged_against_itself():
    d = result()
    d["a"].update(recipe="baseline", label="Always guess the most common", beats_baseline=False)
    v = build_verdict(d)
    assert "Always guess the most common is no better" not in " ".join(v.sentences)
    assert v.parts["baseline"] == ("Gradient boosting does clearly better than always guessing 'no' "
                                   "(balanced accuracy 50.0%).")
    d["b"]["beats_baseline"] = False
    assert "Gradient boosting is no better than always guessing 'no'" in build_verdict(d).text


def test_a_tip_when_imbalanced_classes_meet_recipes_without_imbalance_handling():
    d = result()
    d["a"]["recipe_options"] = {"imbalance": "none"}
    d["b"]["recipe_options"] = {"imbalance": "balanced"}
    tip = build_verdict(d).parts["tip"]
    assert tip.startswith("Tip: the classes are imbalanced and Simple ran without imbalance handling")
    assert "tip" not in build_verdict(result(primary_metric="accuracy")).parts


def test_an_unclear_lead_gives_its_range_in_the_same_direction_as_the_sentence():
    # B − A is −2.0 points (A ahead), with a B − A range of −5.8 to 1.7: A's advantage is −1.7 to 5.8.
    v = build_verdict(result(difference=diff(mean=-0.020, ci_low=-0.058, ci_high=0.017, p_value=0.3,
                                             b_wins=10, a_wins=15)))
    assert v.winner == "none"
    assert v.text.startswith("There is no clear winner: Simple scored 2.0 points higher balanced accuracy than "
                             "Gradient boosting on average, but the 95% range of its advantage (-1.7 to 5.8) "
                             "includes zero, so it could be luck. Simple did better on 15 of 25 re-splits.")


def test_a_range_in_the_targets_units_gives_both_ends_the_same_decimals():
    d = result(primary_metric="mae", metric_label="mean absolute error", higher_is_better=False,
               metric_in_points=False,
               difference=diff(mean=3.32, ci_low=0.0913, ci_high=6.55, p_value=0.02, b_wins=3, a_wins=22,
                               higher_is_better=False))
    v = build_verdict(d)
    assert v.winner == "a"
    assert "95% range 0.09 to 6.55" in v.text
