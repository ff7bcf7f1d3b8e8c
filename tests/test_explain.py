"""The verdict in plain words, from hand-made result dicts (the ``TrialResult.to_dict()`` shape)."""

from __future__ import annotations

import copy
import re

import pytest

from fairtrial.explain import (build_verdict, calibration_text, decide_winner, format_difference, format_score,
                               format_score_pair)


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


def test_not_beating_the_baseline_is_said_plainly_with_both_numbers():
    d = result()
    d["a"].update(mean=0.50, beats_baseline=False, vs_baseline={"mean": 0.0, "ci_low": -0.01, "ci_high": 0.01})
    assert "Simple is no better than always guessing 'no' (50.0% against 50.0% balanced accuracy)." in \
        build_verdict(d).text
    d["a"].update(mean=0.48, vs_baseline={"mean": -0.02, "ci_low": -0.03, "ci_high": -0.01})
    assert "Simple does worse than always guessing 'no' (48.0% against 50.0% balanced accuracy)." in \
        build_verdict(d).text


def test_too_good_scores_warn_about_leakage():
    v = build_verdict(result(too_good=[{"role": "b", "metric": "roc_auc", "value": 0.998}]))
    assert "A score of 0.998 (ROC AUC) for Gradient boosting is too good to be true" in v.text  # the name people read
    assert "leakage" in v.text


def test_two_too_good_scores_are_one_warning_that_names_both_recipes():
    both = [{"role": "a", "metric": "balanced_accuracy", "value": 1.0},
            {"role": "b", "metric": "balanced_accuracy", "value": 1.0}]
    v = build_verdict(result(too_good=both))
    assert v.text.count("too good to be true") == 1
    assert ("Scores of 100.0% (balanced accuracy) for Simple and Gradient boosting are too good to be true for "
            "most real data") in v.text
    apart = [both[0], {**both[1], "value": 0.996}]
    assert "Scores of 100.0% (balanced accuracy) for Simple and 99.6% (balanced accuracy) for Gradient boosting" \
        in build_verdict(result(too_good=apart)).text


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


def test_identical_rows_kept_are_worded_by_whether_chance_explains_them():
    def splits(beyond: bool) -> str:
        sp = {**result()["splits"], "duplicates_removed": 0, "identical_rows_kept": 24,
              "identical_rows_beyond_chance": beyond}
        return build_verdict(result(splits=sp)).parts["splits"]

    assert "that is expected among different people or records" in splits(False)
    beyond = splits(True)
    assert ("24 rows have the same value as another row in every column, more often than chance gives, so some may "
            "be the same record entered twice") in beyond and "expected among different people" not in beyond


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
                                   "(73.1% against 50.0% balanced accuracy).")
    d["b"].update(beats_baseline=False, mean=0.50)
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


# --- one verdict: every sentence agrees with the numbers and with the others -----------------------------------
def titanic() -> dict:
    """The R TitanicSurvival trial: A leads B clearly, but neither clearly beats always guessing 'no'."""
    d = result(primary_metric="accuracy", metric_label="accuracy", target="survived",
               baseline_guess={"kind": "most_common", "value": "no", "share": 0.544},
               difference=diff(mean=-0.089, ci_low=-0.156, ci_high=-0.021, p_value=0.02, a_wins=25, b_wins=0),
               holdout_check={"rows": 64, "a": 0.594, "b": 0.547, "better": "a", "agrees_with_cv": True})
    d["a"].update(mean=0.607, beats_baseline=False, predicted_share={"no": 0.61, "yes": 0.39},
                  vs_baseline={"mean": 0.0635, "ci_low": -0.0007, "ci_high": 0.128, "p_value": 0.052})
    d["b"].update(mean=0.518, beats_baseline=False, predicted_share={"no": 0.64, "yes": 0.36},
                  vs_baseline={"mean": -0.025, "ci_low": -0.083, "ci_high": 0.032, "p_value": 0.38})
    d["baseline"]["mean"] = 0.544
    return d


def test_a_lead_over_a_recipe_that_is_not_clearly_better_than_guessing_is_no_success():
    v = build_verdict(titanic())
    # Simple really did better than boosting, but the winner of a trial is the recipe to use, and neither is
    # clearly better than guessing: no winner is named (a shuffled target must name none).
    assert v.winner == "none" and v.tone == "caution" and v.to_dict()["tone"] == "caution"
    assert v.text.startswith("Simple did better than Gradient boosting by 8.9 points of accuracy (95% range 2.1 to "
                             "15.6); it won 25 of 25 re-splits, so this is unlikely to be luck.")
    assert ("But neither recipe is clearly better than always guessing 'no': Simple is not clearly better (60.7% "
            "against 54.4% accuracy, could be luck) and Gradient boosting is no better (51.8% against 54.4%).") in v.text
    assert not any("beats" in sentence for sentence in v.sentences)
    # Both recipes said 'yes' to some rows, so here (and only here) the data may be to blame.
    assert "the columns may not hold what is needed to predict 'survived'" in v.parts["baseline"]


@pytest.mark.parametrize("winner_diff", [diff(), diff(mean=-0.03, ci_low=-0.05, ci_high=-0.01), diff(ci_low=-0.01)])
@pytest.mark.parametrize("beats_a, beats_b", [(True, True), (True, False), (False, True), (False, False)])
def test_no_verdict_claims_a_success_next_to_a_winner_no_better_than_guessing(winner_diff, beats_a, beats_b):
    d = result(difference=winner_diff)
    d["a"]["beats_baseline"], d["b"]["beats_baseline"] = beats_a, beats_b
    v = build_verdict(d)
    winner_useful = v.winner != "none" and d[v.winner]["beats_baseline"]
    if " beats " in v.text or v.tone == "success":
        assert winner_useful
        assert "Neither recipe" not in v.text
        assert f"{d[v.winner]['label']} is not clearly better" not in v.text
        assert f"{d[v.winner]['label']} is no better" not in v.text
    assert (v.tone == "success") == bool(winner_useful)


def rare(**arm_changes) -> dict:
    """An 8% outcome: both untreated recipes say 'no' to every row (balanced accuracy exactly 0.5)."""
    d = result(baseline_guess={"kind": "most_common", "value": "no", "share": 0.92},
               task_info={"task": "binary", "classes": ["no", "yes"], "positive": "yes"},
               difference=diff(mean=0.0, ci_low=0.0, ci_high=0.0, p_value=1.0, b_wins=0, a_wins=0))
    for role, recipe in (("a", "simple"), ("b", "forest")):
        d[role].update(recipe=recipe, recipe_options={"imbalance": "none"}, mean=0.5, fold_scores=[0.5] * 25,
                       beats_baseline=False, predicted_share={"no": 1.0},
                       vs_baseline={"mean": 0.0, "ci_low": 0.0, "ci_high": 0.0, "p_value": 1.0})
        d[role].update(arm_changes.get(role, {}))
    return d


def test_a_recipe_that_says_no_to_everyone_is_told_to_weigh_rare_answers_instead_of_blaming_the_data():
    v = build_verdict(rare())
    assert ("Simple and Gradient boosting predicted 'no' for every row: with only 8% 'yes', an untreated model never "
            "says 'yes' at a 50% cut-off. Switch on the option 'Give rare answers more weight' (balanced; "
            "`simple:balanced` and `forest:balanced` on the command line) and run the trial again.") in v.text
    assert "may not hold what is needed" not in " ".join(v.sentences)
    assert "tip" not in v.parts, "the advice is given once"
    assert v.tone == "caution"


def test_older_results_without_predicted_shares_are_read_from_the_split_scores():
    d = rare()
    for role in ("a", "b"):
        del d[role]["predicted_share"]
    assert "Simple and Gradient boosting predicted 'no' for every row" in build_verdict(d).text
    d["a"]["fold_scores"] = [0.5, 0.49, 0.51] * 8 + [0.5]  # the splits alone do not show it; the holdout does
    d["secondary"] = {"a": {"confusion": {"labels": ["no", "yes"], "matrix": [[230, 0], [20, 0]]}}}
    assert "Simple and Gradient boosting predicted 'no' for every row" in build_verdict(d).text


def test_a_recipe_that_almost_never_says_the_rare_answer_gets_the_same_advice_with_its_share():
    d = rare(a={"predicted_share": {"no": 0.9954, "yes": 0.0046}, "mean": 0.507, "fold_scores": [0.507] * 25},
             b={"predicted_share": {"no": 0.70, "yes": 0.30}, "mean": 0.52, "fold_scores": [0.52] * 25})
    text = build_verdict(d).text
    assert ("Simple predicted 'no' for 99.5% of rows: with only 8% 'yes', an untreated model rarely says 'yes' at a "
            "50% cut-off. Switch on the option 'Give rare answers more weight' (balanced; `simple:balanced` on the "
            "command line)") in text
    assert "Gradient boosting predicted" not in text


def test_a_balanced_recipe_that_still_says_no_to_everyone_is_not_told_to_switch_on_balanced():
    d = rare(a={"recipe": "simple:balanced", "recipe_options": {"imbalance": "balanced"}},
             b={"predicted_share": {"no": 0.70, "yes": 0.30}, "mean": 0.52, "fold_scores": [0.52] * 25})
    text = build_verdict(d).text
    assert ("Simple predicted 'no' for every row, even with rare answers given more weight: the columns used do not "
            "tell 'yes' apart from 'no'.") in text
    assert "`simple:balanced`" not in text


def test_balanced_weights_explain_a_poor_calibration():
    d = result()
    d["b"]["recipe_options"] = {"imbalance": "balanced"}
    sentence = build_verdict(d).parts["calibration"]
    assert ("Gradient boosting's are off on purpose: it gave the rare answers more weight while learning, which "
            "raises its stated chances of them, so use its answers rather than its percentages "
            "(calibration error 0.12)") in sentence
    assert "clearly off" not in sentence
    assert "on purpose" in calibration_text({"available": True, "ece": 0.12, "severity": "critical"}, "B",
                                            weighted=True)


def test_when_both_recipes_chances_are_off_on_purpose_the_reason_is_said_once_with_both_numbers():
    """AER's CPS1985 (union, 18% 'yes'): both recipes learned with balanced weights and both are off; the
    sentence said the same reason twice, once per recipe."""
    d = result()
    for role in ("a", "b"):
        d[role]["recipe_options"] = {"imbalance": "balanced"}
    d["calibration"]["a"] = {**d["calibration"]["b"], "ece": 0.26}
    sentence = build_verdict(d).parts["calibration"]
    assert sentence.count("on purpose") == 1
    assert sentence.startswith("Predicted chances: both recipes' are off on purpose: they gave the rare answers more "
                               "weight while learning, which raises their stated chances of them, so use their "
                               "answers rather than their percentages (calibration error 0.26 for Simple and 0.12 "
                               "for Gradient boosting).")


def test_amounts_in_the_targets_units_have_thousands_separators_and_no_exponents():
    d = result(task="numeric", primary_metric="mae", metric_label="mean absolute error", higher_is_better=False,
               metric_in_points=False, baseline_guess={"kind": "typical", "value": 174_000.0},
               difference=diff(mean=-17_400.0, ci_low=-25_100.0, ci_high=-9_650.0, higher_is_better=False),
               calibration={"available": False, "reason": "Calibration is about predicted chances."},
               robustness={"a": {"noise_change": 0.0000123, "severity": "ok"},
                           "b": {"noise_change": 12_345.0, "severity": "ok"}})
    d["baseline"]["mean"] = 52_000.0
    d["secondary"] = {"a": {"r2": 0.41}, "b": {"r2": -0.004}}
    v = build_verdict(d)
    assert "R² on the rows kept aside: Simple 0.41, Gradient boosting 0.00 (1 is perfect" in v.parts["metric"]
    assert "its guesses are off by 17,400 less on average (mean absolute error, 95% range 9,650 to 25,100)" in v.text
    assert "always guessing the typical value of 174,000" in " ".join(v.sentences)
    assert not re.search(r"\de[+-]\d", " ".join(v.sentences)), "no 1.74e+04 or 1.23e-05"
    assert "moves Simple's guesses by 0.0000123 and Gradient boosting's by 12,345" in v.parts["robustness"]
    assert format_score(17_400.0, "mae") == "17,400" and format_difference(-17_400.0, False) == "17,400"


def test_a_lead_on_almost_every_re_split_that_could_still_be_luck_says_why():
    # The churn sample: A better on 10 of 10 re-splits, yet the corrected range includes zero.
    d = result(difference=diff(mean=-0.033, ci_low=-0.07, ci_high=0.005, p_value=0.08))
    d["difference"].update(a_wins=10, b_wins=0, ties=0, splits=10)
    v = build_verdict(d)
    assert v.winner == "none"
    assert "did better on 10 of 10 re-splits: that sounds convincing, but the re-splits reuse the same rows" in v.text


def test_steadiness_of_a_recipe_that_gives_everyone_the_same_answer_is_not_praised():
    quiet = {"noise_flips": 0.0, "blank_flips": 0.0, "blank_share": 0.1, "blank_column": "tenure", "severity": "ok"}
    both = rare()
    both["robustness"] = {"a": dict(quiet), "b": dict(quiet)}
    text = " ".join(build_verdict(both).sentences)
    assert "hold up well" not in text
    assert "That says little here: both give (nearly) everyone the same answer" in text
    one = rare(b={"predicted_share": {"no": 0.7, "yes": 0.3}})
    one["robustness"] = {"a": dict(quiet), "b": dict(quiet)}
    text = " ".join(build_verdict(one).sentences)
    assert "for Simple that says little, since it gives (nearly) everyone the same answer" in text


def test_the_verdict_names_the_column_only_when_the_recipes_differ_in_nothing_else():
    from fairtrial.explain import without_sentence
    from fairtrial.recipes import Recipe

    def arms(a: Recipe, b: Recipe) -> dict:
        return {"a": {"recipe_options": a.to_dict()}, "b": {"recipe_options": b.to_dict()}}

    assert without_sentence(arms(Recipe("simple"), Recipe("simple", without=("sex",)))).startswith(
        "B is the same recipe as A without the column 'sex':")
    assert without_sentence(arms(Recipe("tree", without=("age", "sex")), Recipe("tree"))).startswith(
        "A is the same recipe as B without the columns 'age', 'sex':")
    assert without_sentence(arms(Recipe("simple"), Recipe("tree", without=("sex",)))) == ""  # another recipe too
    assert without_sentence(arms(Recipe("simple"), Recipe("simple"))) == ""
    assert without_sentence(arms(Recipe("simple", without=("a",)), Recipe("simple", without=("b",)))) == ""


def test_two_scores_side_by_side_differ_by_the_difference_the_verdict_states():
    # 73.136% and 70.575%: the verdict says 2.6 points, so 73.1% and 70.6% (2.5 apart) would contradict it.
    assert format_score_pair(0.73136, 0.70575, "balanced_accuracy") == ("73.14%", "70.58%")
    assert format_difference(0.73136 - 0.70575, True) == "2.6 points"
    assert format_score_pair(0.731, 0.706, "balanced_accuracy") == ("73.1%", "70.6%")
    assert format_score_pair(0.70575, 0.73136, "accuracy") == ("70.58%", "73.14%")
    assert format_score_pair(0.9, 0.8, "roc_auc") == ("0.900", "0.800")


def test_sensitive_to_messy_inputs_says_the_drop_behind_it_and_when_it_may_be_chance():
    """AER CPS1985 ('union', 107 rows kept aside): the sentence showed '0% and 2%' changed answers beside
    'sensitive'; the judgement rests on the score drop, and two changed answers of 107 can make it."""
    def arm(blank_drop, blank_flips, rows=107):
        return {"rows": rows, "noise_share": 0.05, "blank_share": 0.1, "blank_column": "wage", "noise_score_drop": 0.0,
                "blank_score_drop": blank_drop, "noise_flips": 0.0, "blank_flips": blank_flips, "severity": "warning"}

    few = build_verdict(result(robustness={"a": arm(0.0206, 2 / 107), "b": arm(0.0526, 2 / 107)})).parts["robustness"]
    assert ("Simple and Gradient boosting are sensitive to messy inputs: blanking 10% of 'wage' lowers Simple's "
            "balanced accuracy by 2.1 points (2 of 107 answers changed)") in few
    assert "lowers Gradient boosting's balanced accuracy by 5.3 points (2 of 107 answers changed)" in few
    assert "So few changed answers can move the score this much on 107 rows by chance" in few
    many = build_verdict(result(robustness={"a": arm(0.03, 0.06, 2000), "b": arm(0.05, 0.08, 2000)})).parts["robustness"]
    assert "(120 of 2,000 answers changed)" in many and "by chance" not in many


def test_without_number_columns_the_robustness_sentence_does_not_report_noise_it_never_added():
    quiet = {"rows": 262, "noise_columns": 0, "noise_flips": 0.0, "noise_score_drop": 0.0, "blank_share": 0.1,
             "blank_column": "passengerClass", "blank_flips": 0.02, "blank_score_drop": 0.0, "severity": "ok"}
    text = build_verdict(result(robustness={"a": dict(quiet), "b": dict(quiet)})).parts["robustness"]
    assert text.startswith("The models read no number columns to add noise to; blanking 10% of the most important "
                           "column changes 2% of Simple's answers and 2% of Gradient boosting's")
    assert "Small noise" not in text
