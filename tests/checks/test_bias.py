"""Bias in the data: sensitive columns, outcome gaps between groups, proxies."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from fairtrial.checks import group_codes
from fairtrial.checks.bias import name_category

from .frames import base, found, numeric_base, run, with_group_gap, with_proxy


@pytest.mark.parametrize("column, category", [
    ("gender", "gender"), ("Sex", "gender"), ("Geschlecht", "gender"), ("sexe", "gender"), ("género", "gender"),
    ("race", "ethnicity"), ("Ethnicity", "ethnicity"), ("ethnic_group", "ethnicity"), ("religion", "religion"),
    ("age", "age"), ("Alter", "age"), ("âge", "age"), ("edad", "age"), ("customerAge", "age"),
    ("date_of_birth", "birth"), ("DOB", "birth"), ("Geburtsdatum", "birth"), ("marital_status", "marital"),
    ("disability", "disability"), ("is_pregnant", "pregnancy"), ("nationality", "nationality"),
    ("Staatsangehörigkeit", "nationality"), ("country_of_birth", "birth"), ("language", "language"),
    ("mother_tongue", "language"), ("sexual_orientation", "sexual_orientation"),
    ("card_age_months", None), ("page_views", None), ("average_spend", None), ("usage", None),
    ("plan", None), ("storage_gb", None), ("message", None),
])
def test_sensitive_names_in_several_languages(column, category):
    assert name_category(column) == category


def test_sensitive_columns_are_proposed_by_name_and_by_values():
    rng = np.random.default_rng(0)
    frame = base().assign(col_x=rng.choice(["M", "F"], size=600), age=rng.integers(18, 90, 600),
                          alter=rng.integers(18, 90, 600), size_code=rng.choice(["M", "L"], size=600))
    report = run(frame)
    assert report.proposed_sensitive == ["col_x", "age", "alter"]
    by = {f.columns[0]: f for f in found(report, "sensitive")}
    assert by["col_x"].details["found_by"] == "values" and "gender or sex" in by["col_x"].message
    assert by["age"].details["found_by"] == "name and values"
    # Proposed columns are in effect at once: out of the model, used for the group checks,
    # until the user removes them.
    assert all(f.severity == "warning" and f.action == "kept aside for group checks" for f in by.values())
    assert "If 'age' is not about people, remove it from the columns about people" in by["age"].suggestion
    assert "You marked" not in by["age"].message and "looks like it describes a person's age" in by["age"].message
    assert report.sensitive_columns == ["col_x", "age", "alter"] and report.sensitive_chosen_by == "checks"
    assert {"col_x", "age", "alter"} <= set(report.excluded_columns)
    assert report.exclusion_reasons["age"] == "it looks like it describes people: kept aside for group checks"


def test_a_longer_name_with_numbers_beyond_a_lifetime_is_not_an_age():
    frame = base().assign(customer_age_index=np.arange(600) * 3.5)
    assert not found(run(frame), "sensitive")


@pytest.mark.parametrize("column", ["age", "Age", "AGE_years", "age (yrs)"])
def test_a_column_named_only_age_is_proposed_whatever_its_values(column):
    # issue 10: "The name is enough; odd values are an outliers finding, not a veto" (scaled ages, as in
    # scikit-learn's diabetes table, or ages in months)
    rng = np.random.default_rng(3)
    years = rng.integers(18, 90, 600).astype(float)
    for values in ((years - years.mean()) / years.std() / 23.0, years * 12.0):
        report = run(base().assign(**{column: values}))
        (finding,) = found(report, "sensitive")
        assert finding.columns == (column,) and finding.details["found_by"] == "name"
        assert f"'{column}' looks like it describes a person's age (going by its name)" in finding.message
        codes, labels = group_codes(pd.Series(values), "number", "age")
        assert "under 25" not in labels and len(set(codes[codes >= 0])) == 4  # quarters, not age bands in years


def test_unconfirmed_proposals_are_noted_when_the_user_chose_others():
    rng = np.random.default_rng(0)
    frame = base().assign(gender=rng.choice(["female", "male"], size=600), age=rng.integers(18, 90, 600))
    report = run(frame, sensitive=["gender"])
    by = {f.columns[0]: f for f in found(report, "sensitive")}
    assert by["gender"].severity == "info" and by["gender"].action == "kept aside for group checks"
    assert by["age"].severity == "info" and "you did not mark it" in by["age"].message
    assert "age" not in report.excluded_columns


def test_a_big_gap_between_groups_is_critical_with_wilson_intervals():
    report = run(with_group_gap(base(), 0.3))
    (finding,) = found(report, "group_gap")
    assert finding.severity == "critical" and finding.columns == ("gender", "bought")
    assert finding.details["gap"] > 0.2 and finding.details["interval"] == "Wilson 95%"
    groups = {g["group"]: g for g in finding.details["groups"]}
    assert set(groups) == {"female", "male"}
    for g in groups.values():
        assert g["low"] < g["rate"] < g["high"] and g["rows"] >= 30
    assert "'bought' is 'yes' for" in finding.message and "'gender' = 'female'" in finding.message
    assert "percentage points" in finding.message


def test_a_smaller_gap_warns_and_no_gap_is_silent():
    (finding,) = found(run(with_group_gap(base(), 0.15)), "group_gap")
    assert finding.severity == "warning" and 0.1 < finding.details["gap"] <= 0.2
    assert not found(run(with_group_gap(base(), 0.0)), "group_gap")


def test_a_gap_between_small_groups_could_be_chance():
    (finding,) = found(run(with_group_gap(base(), 0.3, group_rows=40)), "group_gap")
    assert finding.severity == "info" and finding.details["could_be_chance"] and finding.details["gap"] > 0.2
    assert "could be chance" in finding.message


def test_groups_too_small_to_judge_are_named():
    frame = with_group_gap(base(), 0.3)
    frame.loc[:9, "gender"] = "diverse"
    (finding,) = found(run(frame), "group_gap")
    assert finding.details["too_small"] == ["diverse"]
    assert "fewer than 30 rows were not compared: 'diverse'" in finding.message


def test_confirmed_sensitive_columns_are_used_instead_of_proposals():
    frame = with_group_gap(base(), 0.3).rename(columns={"gender": "segment"})
    frame["segment"] = frame["segment"].map({"female": "A", "male": "B"})
    assert not found(run(frame), "group_gap")
    (finding,) = found(run(frame, sensitive=["segment"]), "group_gap")
    assert finding.columns == ("segment", "bought")
    assert not found(run(with_group_gap(base(), 0.3), sensitive=[]), "group_gap")


def test_number_targets_compare_group_averages():
    frame = numeric_base()
    frame["gender"] = np.where(frame["price"] > frame["price"].median(), "male", "female")
    (finding,) = found(run(frame, "price"), "group_gap")
    assert finding.severity == "critical" and finding.details["gap_in_spreads"] > 0.5
    assert "the average 'price' is" in finding.message


def test_age_is_compared_in_bands():
    codes, labels = group_codes(pd.Series(np.arange(18, 90).repeat(3)), "number", "age")
    assert labels == ["under 25", "25-34", "35-44", "45-54", "55-64", "65 and over"]
    assert codes.min() == 0 and codes.max() == 5


def test_a_proxy_for_a_sensitive_column():
    report = run(with_proxy(base()))
    (finding,) = found(report, "proxy")
    assert finding.severity == "warning" and finding.columns == ("district", "ethnicity")
    assert "'district' gives away 'ethnicity'" in finding.message and "AUC 0.9" in finding.message
    assert finding.details["cramers_v"] > 0.5
    assert not [f for f in found(report, "proxy") if f.columns[0] in ("spend", "plan", "region", "visits")]


def test_no_sensitive_columns_no_group_checks():
    report = run(base())
    assert not found(report, "group_gap") and not found(report, "proxy") and report.proposed_sensitive == []


def test_an_age_with_decimals_or_a_typing_error_is_still_an_age():
    rng = np.random.default_rng(4)
    age = np.round(rng.uniform(0.5, 80, 600), 2)
    age[:3] = [0.92, 0.17, 138.0]  # infants in years, and one impossible typo
    report = run(base().assign(age=age))
    assert report.proposed_sensitive == ["age"]
    (finding,) = found(report, "sensitive")
    assert finding.details["category"] == "age" and finding.details["found_by"] == "name and values"


@pytest.mark.parametrize("column, category", [
    ("marstat", "marital"), ("mar_st", "marital"), ("maritl", "marital"), ("ethn", "ethnicity"),
    ("relig", "religion"), ("natl", "nationality"), ("natl_income", None),
])
def test_abbreviated_names_count(column, category):
    assert name_category(column) == category


@pytest.mark.parametrize("column, values, category", [
    ("marstat", ["Married", "Divorced", "Widowed", "Never married"], "marital"),
    ("status", ["2. Married", "1. Never Married", "4. Divorced"], "marital"),
    ("group", ["White", "Black", "Asian", "Hispanic"], "ethnicity"),
    ("ethn", ["other", "hisp", "black"], "ethnicity"),
])
def test_values_that_say_marital_status_or_ethnicity_are_proposed(column, values, category):
    rng = np.random.default_rng(5)
    report = run(base().assign(**{column: rng.choice(values, size=600)}))
    assert report.proposed_sensitive == [column]
    (finding,) = found(report, "sensitive")
    assert finding.details["category"] == category and "values" in finding.details["found_by"]


@pytest.mark.parametrize("values", [["white", "black", "draw"], ["single", "double", "suite"], ["red", "white"]])
def test_colours_chess_sides_and_room_types_are_not_people(values):
    rng = np.random.default_rng(6)
    report = run(base().assign(kind=rng.choice(values, size=600)))
    assert report.proposed_sensitive == []


def _rare_outcome_gap(rate_a: float, rate_b: float, rows: int = 2400, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    group = np.repeat(["A", "B"], rows)
    hired = rng.random(2 * rows) < np.where(group == "A", rate_a, rate_b)
    return pd.DataFrame({"experience": rng.integers(0, 20, 2 * rows), "ethnicity": group,
                         "hired": np.where(hired, "yes", "no")})


def test_a_rare_outcome_two_thirds_as_often_in_one_group_is_a_warning():
    frame = _rare_outcome_gap(0.096, 0.064)  # 8% overall, ratio 0.67, about 3 points apart
    report = run(frame, "hired")
    (finding,) = found(report, "group_gap")
    assert finding.severity == "warning" and finding.columns == ("ethnicity", "hired")
    assert finding.details["gap"] < 0.10 and 0.55 < finding.details["rate_ratio"] < 0.75
    assert finding.details["judged_by"] == ["ratio"] and not finding.details["could_be_chance"]
    assert finding.details["outcome"] == "yes"
    assert "'hired' is 'yes' for" in finding.message and "(2,400 rows)" in finding.message
    assert f"the lower rate is {finding.details['rate_ratio']:.2f} times the higher one" in finding.message
    assert "below the four-fifths line (0.80)" in finding.message and "unlikely to be chance" in finding.message


def test_a_ratio_gap_that_could_be_chance_or_is_near_equal_is_silent():
    assert not found(run(_rare_outcome_gap(0.096, 0.064, rows=200), "hired"), "group_gap")
    assert not found(run(_rare_outcome_gap(0.08, 0.075), "hired"), "group_gap")


def test_half_the_rate_of_a_rare_outcome_is_critical():
    (finding,) = found(run(_rare_outcome_gap(0.10, 0.04), "hired"), "group_gap")
    assert finding.severity == "critical" and finding.details["rate_ratio"] < 0.5


@pytest.mark.parametrize("column, values, category", [
    ("afam", ["yes", "no"], "ethnicity"), ("hisp", [0, 1], "ethnicity"), ("female", [1, 0], "gender"),
    ("foreign", ["no", "yes"], "nationality"), ("minority", [True, False], "ethnicity"),
])
def test_a_yes_no_column_named_after_a_group_of_people_is_proposed(column, values, category):
    # Econometric tables mark groups with one yes/no column each (AER's HMDA: 'afam'; CPS: 'female').
    frame = base().assign(**{column: np.resize(values, len(base()))})
    report = run(frame)
    assert column in report.proposed_sensitive
    (finding,) = [f for f in found(report, "sensitive") if f.columns == (column,)]
    assert finding.details["category"] == category


@pytest.mark.parametrize("column, values", [("white", ["red", "rose", "dry"]), ("black", [1.5, 2.5, 3.5]),
                                            ("white_wine", ["yes", "no"])])
def test_a_group_word_with_other_values_or_in_a_longer_name_is_not_proposed(column, values):
    frame = base().assign(**{column: np.resize(values, len(base()))})
    assert column not in run(frame).proposed_sensitive
