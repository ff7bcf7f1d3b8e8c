"""The shared words and tidy rows behind both report formats."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from trial_fixture import make_findings, make_trial

import fairtrial.report

from fairtrial.report import content as c


@pytest.mark.parametrize("values, expected", [
    ({"m": 0.8}, {"m": (0.8, None, None)}),
    ({"m": {"value": 0.8, "ci_low": 0.7, "ci_high": 0.9}}, {"m": (0.8, 0.7, 0.9)}),
    ({"m": [0.8, 0.7, 0.9]}, {"m": (0.8, 0.7, 0.9)}),
    ({"m": 0.8, "m_ci_low": 0.7, "m_ci_high": 0.9}, {"m": (0.8, 0.7, 0.9)}),
    ({"m": None, "note": "text is skipped"}, {"m": (None, None, None)}),
    ({"m": float("nan")}, {"m": (None, None, None)}),
    (None, {}),
])
def test_metric_triples_read_every_interval_shape(values, expected):
    assert c.metric_triples(values) == expected


@pytest.mark.parametrize("name, higher, percent", [
    ("accuracy", True, True), ("balanced_accuracy", True, True), ("roc_auc", True, False), ("mae", False, False),
    ("r2", True, False), ("rmse", False, False), ("some_new_error", False, False), ("some_new_score", True, False),
])
def test_metric_info_says_which_way_is_better(name, higher, percent):
    info = c.metric_info(name)
    assert info.higher_is_better is higher and info.percent is percent
    assert info.better == ("Higher is better" if higher else "Lower is better")


def test_split_rows_number_repeats_and_folds():
    rows = c.split_rows(make_trial())
    assert len(rows) == 15
    assert [(r.repeat, r.fold) for r in rows[4:7]] == [(1, 5), (2, 1), (2, 2)]


def test_split_rows_without_a_matching_fold_count_leave_repeat_empty():
    trial = make_trial()
    trial["plan"]["folds"] = trial["result"]["splits"]["folds"] = 4
    assert {r.repeat for r in c.split_rows(trial)} == {None}


@pytest.mark.parametrize("p, words", [(0.004, "is very unlikely to be luck"), (0.03, "is unlikely to be luck"),
                                      (0.4, "could well be luck"), (None, "not available")])
def test_p_words(p, words):
    assert words in c.p_words(p)


def test_importance_as_a_list_split_by_recipe():
    trial = make_trial()
    trial["result"]["importance"] = [{"recipe": "b", "column": "x", "importance": 0.1},
                                     {"recipe": "a", "column": "y", "importance": 0.2},
                                     {"recipe": "b", "column": "z", "importance": 0.3}]
    lists = c.importance_lists(trial)
    assert list(lists) == ["Recipe B: Random forest", "Recipe A: Simple (logistic/linear)"]
    assert [e["column"] for e in lists["Recipe B: Random forest"]] == ["z", "x"]


def test_cost_sentences():
    assert c.cost_sentences(make_trial()) == [
        "Random forest (B) takes 35× as long to train as Simple (logistic/linear) (A).",
        "Random forest (B) takes 32× as long to give answers as Simple (logistic/linear) (A).",
        "Random forest (B) needs 3,824× the disk space of Simple (logistic/linear) (A).",
    ]


def test_personal_columns_come_from_the_pii_check():
    assert c.personal_columns(make_findings()) == {"email", "full_name"}


@pytest.mark.parametrize("module", [c, fairtrial.report])
def test_all_names_exist(module):
    assert all(hasattr(module, name) for name in module.__all__)


def test_next_steps_are_the_engines_and_never_call_a_winner_useful_when_it_is_not_better_than_guessing():
    trial = make_trial()
    for arm in ("a", "b"):
        trial["result"][arm]["beats_baseline"] = False
    steps = c.next_steps(trial, [])
    assert not any(s.startswith("Use ") for s in steps)
    assert steps[0].startswith("Neither Simple (logistic/linear) nor Random forest is clearly better than always guessing, so "
                               "do not use either yet")
    assert steps[-1] == ("To repeat this trial with the same numbers, use the settings on the Provenance sheet (hidden "
                         "so that it is not printed: right-click a sheet tab and choose Unhide).")


def test_next_steps_stored_with_the_trial_are_shown_as_they_are():
    trial = make_trial()
    trial["result"]["next_steps"] = ["Use Random forest (B): as stored."]
    assert c.next_steps(trial, [], in_workbook=False) == [
        "Use Random forest (B): as stored.",
        "To repeat this trial with the same numbers, use the settings on the Provenance sheet of the Excel report."]


def test_a_group_block_says_each_thing_once_summary_repeats_left_to_the_findings():
    from groups_frames import GAP, preds

    from fairtrial.groups import group_results

    stored = group_results(GAP["gender"], GAP["approved"], preds(GAP, "a", "b"), task="binary", positive="yes",
                           column="gender")
    block = c.group_blocks({"groups": {"gender": stored}})[0]
    texts = c.group_sentences(block)
    assert "Recipe A: Its mistakes are spread evenly." in texts  # no finding says it: kept
    assert not any(t.startswith("Recipe B: For women the model approves 41%") for t in texts)  # a finding says it
    assert sum("For women the model approves 41% vs 58% for men" in t for t in texts) == 1
    assert any(t.startswith("Warning: Recipe B fails the four-fifths screening rule for gender.") for t in texts)


def test_the_difference_is_read_with_a_95_percent_range_the_word_the_glossary_explains():
    metric = c.metric_info("balanced_accuracy")
    assert c.interval_words(metric, -0.015, 0.035) == ("The 95% range runs from -1.5 points to +3.5 points: it "
                                                     "includes 0, so the two recipes may be equally good.")
    assert fairtrial.report.content.glossary.term("interval").name == "95% range"


def test_a_calibration_warning_says_what_to_do():
    lines, _more = c.main_warnings(make_trial(), [])
    assert ("Warning: the chances Random forest (B) gives are clearly off (calibration error 12.1%): use its answers, "
            "not its percentages.") in lines


def test_a_gap_between_two_shares_is_said_in_points_and_a_share_in_per_cent():
    gap = c.metric_info("demographic_parity_difference")
    assert gap.text(0.171) == "17.1 points" and gap.range_text(0.09, 0.26) == "9.0 to 26.0 points"
    assert c.metric_info("accuracy_gap").text(0.05) == "5.0 points"
    assert c.metric_info("selection_rate").text(0.41) == "41.0%"
    assert c.metric_info("selection_rate").range_text(0.37, 0.45) == "37.0% to 45.0%"
    assert c.metric_info("demographic_parity_ratio").text(0.71) == "0.710"  # a ratio is neither


def test_a_score_in_the_targets_own_units_reads_as_a_person_writes_it():
    mae = c.metric_info("mae")
    assert mae.text(58497.788) == "58,498" and mae.diff_text(-3634.2) == "-3,634" and mae.diff_text(12.44) == "+12.4"
    assert c.metric_info("r2").text(0.8704) == "0.870" and c.metric_info("r2").diff_text(0.01) == "+0.010"


def test_number_formats_follow_the_size_of_the_values():
    mae = c.metric_info("mae")
    assert mae.for_values([58497.8, 61000.2]).excel_format == "#,##0"
    assert mae.for_values([12.4]).diff_format == "+#,##0.0;-#,##0.0;#,##0.0"
    assert c.metric_info("r2").for_values([0.87]).excel_format == "0.000"
    assert c.metric_info("accuracy").for_values([0.8]).excel_format == "0.0%"


def test_a_tiny_p_value_is_said_as_below_one_in_a_thousand():
    assert c.p_words(0.0001) == "p < 0.001: a difference this size is very unlikely to be luck."
    assert c.p_words(0.0041) == "p = 0.004: a difference this size is very unlikely to be luck."
    trial = make_trial()
    trial["result"]["difference"]["p_value"] = 0.00002
    p_row = next(k for k in c.key_numbers(trial) if k.label.startswith("Could the difference be luck"))
    assert p_row.text == "p < 0.001" and p_row.value == pytest.approx(0.00002)


def test_two_warnings_of_one_check_name_their_columns_and_a_repeated_sentence_is_listed_once():
    from fairtrial.findings import Finding

    gap = dict(check="group_gap", severity="critical", title="Outcome differs between groups",
               message="...", suggestion="Ask whether past decisions were fair.")
    findings = [Finding(columns=("age", "approved"), **gap), Finding(columns=("ethnicity", "approved"), **gap),
                Finding(columns=("ethnicity", "approved"), **gap)]
    lines, more = c.main_warnings({"result": {}}, findings)
    assert lines == ["Critical: Outcome differs between groups ('age' and 'ethnicity'): Ask whether past "
                     "decisions were fair."]
    assert more == 0
    named = Finding(check="leakage", severity="warning", columns=("refund",), title="Leak",
                    message="", suggestion="Remove 'refund' from the file.")
    assert c.main_warnings({"result": {}}, [named])[0] == ["Warning: Leak: Remove 'refund' from the file."]


# --- on paper ---------------------------------------------------------------------------------
def _stored_block(task: str, column: str = "gender") -> c.GroupBlock:
    import numpy as np
    import pandas as pd
    from groups_frames import GAP, preds

    from fairtrial.groups import group_results

    if task == "numeric":
        rng = np.random.default_rng(5)
        y = pd.Series(rng.normal(100, 10, len(GAP)))
        stored = group_results(GAP["gender"], y, {"a": y + rng.normal(0, 3, len(GAP)),
                                                  "b": y + rng.normal(0, 5, len(GAP))},
                               task="numeric", positive=None, column=column)
    else:
        stored = group_results(GAP["gender"], GAP["approved"], preds(GAP, "a", "b"), task="binary",
                               positive="yes", column=column)
    return c.group_blocks({"groups": {column: stored}})[0]


def test_paper_shows_the_main_score_and_the_measures_the_fairness_gaps_are_made_of():
    """Yes/no: the main score, how often it says 'yes' (demographic parity), real cases found and false
    alarms (equalized odds); the error rate and a group's drop against all rows are left to the screen."""
    binary = _stored_block("binary")
    assert c.paper_measures(binary, "accuracy") == ["accuracy", "selection_rate", "tpr", "fpr"]
    assert {"error_rate", "accuracy_drop"} <= set(binary.metric_names)
    # numbers: the average miss and whether it guesses too high or too low
    assert c.paper_measures(_stored_block("numeric"), "mae") == ["mean_error", "mean_signed_error"]
    # a measure the trial stored that FairTrial does not know is still shown, in its stored order
    odd = c.GroupBlock("x", None, [c.GroupRow("g", 50, True, "", "", {"a": {"odd_score": (0.5, None, None)}})],
                       ["odd_score"], {})
    assert c.paper_measures(odd, "accuracy") == ["odd_score"]


def test_the_overall_value_of_a_measure_is_read_from_beside_the_gaps():
    block = _stored_block("binary")
    assert c.overall_value(block, "a", "accuracy") == block.fairness["a"]["overall_accuracy"][0]
    assert c.overall_value(block, "a", "tpr") is None


def test_the_findings_of_one_check_stand_together_and_their_shared_advice_is_said_once():
    finding = {"check": "demographic_parity", "severity": "critical", "suggestion": "Look at stand-in columns."}
    block = c.GroupBlock("age", None, [], [], {}, [
        dict(finding, title="A approves some age groups more often", message="A: 25 points."),
        dict(finding, check="four_fifths", severity="warning", title="A fails the four-fifths rule",
             message="A: ratio 0.68.", suggestion="Treat it as a reason to look closer."),
        dict(finding, title="B approves some age groups more often", message="B: 34 points."),
    ])
    assert c.group_sentences(block) == [
        "Critical: A approves some age groups more often. A: 25 points.",
        "Critical: B approves some age groups more often. B: 34 points. Look at stand-in columns.",
        "Warning: A fails the four-fifths rule. A: ratio 0.68. Treat it as a reason to look closer.",
    ]


def test_the_printed_words_are_those_of_the_printed_measures():
    import copy

    from groups_frames import GAP, preds

    from fairtrial.groups import group_results

    trial = copy.deepcopy(make_trial())
    trial["result"]["primary_metric"] = "accuracy"
    trial["result"]["groups"] = {"gender": group_results(GAP["gender"], GAP["approved"], preds(GAP, "a", "b"),
                                                         task="binary", positive="yes", column="gender")}
    paper = {t.id for t in c.words_used(trial, group_measures="paper")}
    every = {t.id for t in c.words_used(trial, group_measures="all")}
    assert {"true_positive_rate", "false_positive_rate", "calibration_error"} <= paper
    assert "error_rate" in every - paper
    with pytest.raises(ValueError, match="group_measures"):
        c.words_used(trial, group_measures="some")


def test_a_recipe_is_named_once_in_a_b_is_sentence():
    """'A is Simple (logistic/linear)', not 'A is Simple (logistic/linear) (A)'."""
    trial = make_trial()
    assert c.recipe_name(trial, "a") == "Simple (logistic/linear)"
    assert c.recipe_name({"plan": {}, "result": {}}, "b") == "recipe B"


# --- each thing said once ---------------------------------------------------------------------
def test_columns_about_people_kept_aside_read_once_in_the_main_warnings_naming_every_column():
    """The loans sample: age, gender and ethnicity look like they describe people, so each is kept aside
    with a warning of the same title. The summary says that title once, names the three columns, and
    says the advice once (each finding's advice names its own column: 'one of them' stands for it)."""
    import pandas as pd

    from fairtrial.checks import run_checks

    loans = pd.read_csv(Path(__file__).resolve().parents[2] / "sample_data" / "loans.csv")
    findings = run_checks(loans, "approved").findings
    kept = [f for f in findings if f.title == "Sensitive: kept for group checks"]
    assert [f.columns for f in kept] == [("age",), ("gender",), ("ethnicity",)]
    lines, _ = c.main_warnings({"result": {}}, findings, limit=20)
    said = [line for line in lines if "kept for group checks" in line]
    assert said == [
        "Warning: Sensitive: kept for group checks ('age', 'gender' and 'ethnicity'): If one of them is not about "
        "people, remove it from the columns about people (on the Check page, or name the right ones with "
        "--sensitive); the model may then use it. Otherwise switch it back on only if using it is lawful and fair "
        "for this decision."]


def test_findings_of_one_kind_with_different_advice_say_each_piece_of_advice_once_and_count_many_columns():
    from fairtrial.findings import Finding

    flat = [Finding("constant", "warning", (f"c{i}",), "Nearly one value", "...",
                    "Drop it." if i % 2 else "Keep it if it matters.") for i in range(7)]
    lines, more = c.main_warnings({"result": {}}, flat)
    assert lines == ["Warning: Nearly one value ('c0', 'c1', 'c2', 'c3', 'c4' and 2 more): Keep it if it matters. "
                     "Drop it."]
    assert more == 0
    # a finding of the same title but another severity keeps its own line and its own word
    worse = Finding("constant", "critical", ("c9",), "Nearly one value", "...", "Drop 'c9'.")
    assert c.main_warnings({"result": {}}, [*flat, worse])[0][0] == "Critical: Nearly one value: Drop 'c9'."


def _age_gap_block() -> c.GroupBlock:
    """Both recipes approve the older people far more often than the younger ones: each has a demographic
    parity finding, a four-fifths finding and an equalized odds finding on 'age'."""
    import numpy as np
    import pandas as pd

    from fairtrial.groups import group_results

    rng = np.random.default_rng(11)
    n = 900
    age = rng.integers(18, 70, n)
    old = age >= 45
    approved = np.where(rng.random(n) < np.where(old, 0.6, 0.3), "yes", "no")
    preds = {"a": np.where(rng.random(n) < np.where(old, 0.7, 0.2), "yes", "no"),
             "b": np.where(rng.random(n) < np.where(old, 0.6, 0.25), "yes", "no")}
    stored = group_results(pd.Series(age), approved, preds, task="binary", positive="yes", column="age",
                           labels={"a": "Simple", "b": "Forest"}, target="approved", seed=3)
    return c.group_blocks({"groups": {"age": stored}})[0]


def test_a_group_finding_explains_its_measure_once_then_gives_a_s_and_b_s_numbers():
    block = _age_gap_block()
    stored = {(f["check"], f["details"]["arm"]) for f in block.findings if "arm" in f["details"]}
    assert {("demographic_parity", "a"), ("demographic_parity", "b"), ("four_fifths", "a"),
            ("four_fifths", "b")} <= stored  # the stored findings stay one per recipe
    text = " ".join(c.group_sentences(block))
    for explanation in ("is called the demographic parity difference", "The four-fifths rule divides",
                        "is the larger of two gaps"):
        assert text.count(explanation) == 1, explanation
    parity = next(s for s in c.group_sentences(block) if "demographic parity difference" in s)
    assert parity.startswith("Critical: Both recipes approve some age groups more often than others. The gap in the "
                             "share of people a recipe approves, between the highest and the lowest age group, is "
                             "called the demographic parity difference; above 10 points is worth a look, above 20 "
                             "points is serious. Recipe A (Simple): ")
    a_numbers = parity.split("Recipe A (Simple): ")[1].split(" Recipe B (Forest): ")[0]
    assert re.fullmatch(r"\d+% for people aged [\d–+]+ vs \d+% for people aged [\w\d– ]+, a gap of \d+ points "
                        r"\(likely between \d+ and \d+ points\)\.", a_numbers), a_numbers
    assert parity.count("Check whether the difference comes from things that really matter") == 1
    four_fifths = next(s for s in c.group_sentences(block) if "four-fifths" in s)
    assert four_fifths.startswith("Warning: Both recipes fail the four-fifths screening rule for age. ")
    assert four_fifths.count("not a legal finding") == 1
    assert re.search(r"Recipe A \(Simple\): It approves \d+% of people aged [^ ]+ vs \d+% of people aged [^ ]+ "
                     r"\(ratio 0\.\d\d\)\. Recipe B \(Forest\): It approves ", four_fifths), four_fifths


def test_the_main_warnings_name_both_recipes_in_one_line_for_one_group_problem():
    block = _age_gap_block()
    trial = {"result": {"groups": {"age": {"column": "age", "groups": [], "findings": block.findings}}}}
    lines, _ = c.main_warnings(trial, [], limit=20)
    assert [line for line in lines if "some age groups more often" in line] == [
        "Critical: Both recipes approve some age groups more often than others: Check whether the difference "
        "comes from things that really matter for the decision. Columns that stand in for 'age' (a postcode, for "
        "example) can carry it even when 'age' is left out."]
