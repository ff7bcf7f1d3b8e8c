"""Leakage: columns that give the answer away, through values or emptiness; copies; IDs; names."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from fairtrial.checks.leakage import post_outcome_name, target_named

from .frames import (
    TARGET,
    base,
    found,
    loud,
    numeric_base,
    run,
    with_id,
    with_leak,
    with_missingness_leak,
    with_moderate_leak,
    with_spread_signal,
    with_target_copy,
    with_telling_empty,
    with_two_strong_copies,
)

LAB_CLASSES = ["negative", "inconclusive", "positive"]


def test_a_column_that_gives_the_answer_away_is_excluded():
    report = run(with_leak(base()))
    (finding,) = found(report, "leakage")
    assert finding.severity == "critical" and finding.action == "excluded" and finding.columns == ("refund_amount",)
    assert "On its own, 'refund_amount' predicts 'bought' almost perfectly (AUC 1.00 out of 1.00" in finding.message
    assert "while the best of the other columns reaches only AUC 0.6" in finding.message
    assert "switch it back on" in finding.suggestion
    assert finding.details["evidence"] == ["near_perfect", "post_outcome_name"] and finding.details["tree_depth"] == 4
    assert report.excluded_columns == ["refund_amount"]


def test_a_strong_column_below_the_critical_line_is_a_warning_the_user_decides():
    # 'call_minutes' alone reaches AUC 0.90-0.97, far better than the rest of the table, but it is
    # neither near-perfect, nor named like an outcome, nor a placeholder: the user decides.
    report = run(with_moderate_leak(base()))
    (finding,) = found(report, "leakage")
    assert finding.severity == "warning" and finding.action == "" and finding.columns == ("call_minutes",)
    assert 0.90 <= finding.details["score"] < 0.975 and finding.details["alone"] is True
    assert "On its own, 'call_minutes' predicts 'bought' strongly (AUC 0.9" in finding.message
    assert ("Strong — check whether this value is known before the outcome; if it is recorded afterwards, switch it "
            "off.") in finding.message
    assert "FairTrial kept it" in finding.message and finding.details["evidence"] == []
    assert report.excluded_columns == []


def credit_like(n: int = 2000, seed: int = 21) -> pd.DataFrame:
    """A loan table: 'debt_ratio' alone reaches AUC about 0.92; age, employment years and open
    loans add real signal of their own (the issue's credit table, where the strongest honest
    column was excluded for "carrying the model alone")."""
    rng = np.random.default_rng(seed)
    default = rng.random(n) < 0.3
    debt_ratio = np.round(np.where(default, 2.1, 0.0) + rng.normal(3, 1, n), 3)
    age = np.where(default, rng.integers(19, 75, n) - rng.integers(0, 12, n), rng.integers(19, 75, n)).clip(18, 80)
    years = np.round(rng.exponential(6, n) * np.where(default, 0.5, 1.0), 1)
    loans = rng.poisson(2, n) + np.where(default, rng.poisson(1.2, n), 0)
    return pd.DataFrame({"debt_ratio": debt_ratio, "age": age, "employment_years": years, "open_loans": loans,
                         "purpose": rng.choice(["car", "home", "education", "other"], size=n),
                         "defaulted": np.where(default, "yes", "no")})


def test_the_strongest_honest_column_of_a_credit_table_stays_in_the_trial():
    from fairtrial.recipes import Recipe
    from fairtrial.workflow import plan_from_checks

    report = run(credit_like(), "defaulted")
    (finding,) = found(report, "leakage")
    assert finding.columns == ("debt_ratio",) and finding.severity == "warning" and finding.action == ""
    assert 0.90 <= finding.details["score"] < 0.95
    assert "'debt_ratio' predicts 'defaulted' strongly" in finding.message and "Strong — check" in finding.message
    plan = plan_from_checks("defaulted", report, recipe_a=Recipe("simple"), recipe_b=Recipe("boosting"))
    # Only 'age' (a column about people, kept aside for the group checks) is left out.
    assert "debt_ratio" not in plan.excluded and report.excluded_columns == report.sensitive_columns == ["age"]


def test_two_near_perfect_copies_of_a_measurement_are_both_excluded():
    # Each alone reaches AUC 0.99 or more: near-perfect on its own is evidence enough, whether
    # or not another column knows the same (two copies must not vouch for each other).
    report = run(with_two_strong_copies(base()))
    findings = found(report, "leakage")
    assert {f.columns for f in findings} == {("height_cm",), ("height_in",)}
    assert all(f.severity == "critical" and f.action == "excluded" for f in findings)
    assert all(f.details["score"] >= 0.99 and f.details["evidence"] == ["near_perfect"] for f in findings)
    assert "predicts 'bought' almost perfectly" in findings[0].message
    assert sorted(report.excluded_columns) == ["height_cm", "height_in"]


def test_a_signal_spread_over_many_columns_is_ordinary():
    report = run(with_spread_signal(base()))
    (finding,) = found(report, "leakage")
    assert finding.severity == "info" and len(finding.columns) == 6
    assert "6 columns each predict 'bought' well" in finding.message
    assert not loud(report)


def test_a_column_filled_only_after_the_outcome_is_caught_through_emptiness():
    report = run(with_missingness_leak(base()))
    (finding,) = found(report, "missingness_leakage")
    assert finding.severity == "critical" and finding.action == "excluded"
    assert ("'cancel_note' is empty for 100% of rows where 'bought' is 'no' and filled for 100% of rows where "
            "it is 'yes'") in finding.message
    assert "AUC 1.00 out of 1.00" in finding.message
    assert finding.details["nmi"] == pytest.approx(1.0)
    assert not found(report, "leakage") and not found(report, "missing")
    assert not found(report, "target_copy")


def test_telling_emptiness_alone_is_a_warning():
    (finding,) = found(run(with_telling_empty(base())), "missingness_leakage")
    assert finding.severity == "warning" and finding.action == ""
    assert ("'coupon_code' is empty for 69% of rows where 'bought' is 'yes' and filled for 80% of rows where it "
            "is 'no'") in finding.message
    assert finding.details["nmi"] >= 0.1 and finding.details["score"] < 0.9


def test_random_emptiness_is_silent():
    frame = base()
    frame.loc[frame.sample(frac=0.1, random_state=0).index, "spend"] = np.nan
    assert not found(run(frame), "missingness_leakage")


def test_a_copy_of_the_target_is_excluded():
    report = run(with_target_copy(base()))
    (finding,) = found(report, "target_copy")
    assert finding.severity == "critical" and finding.action == "excluded"
    assert "'bought_flag' is a copy of 'bought'" in finding.message and "Cramér's V 1.00" in finding.message
    assert not found(report, "leakage")


def test_a_copy_of_a_number_target():
    frame = numeric_base().assign(price_k=lambda d: d["price"] / 1000 + 0.001)
    (finding,) = found(run(frame, "price"), "target_copy")
    assert finding.columns == ("price_k",) and "rank correlation 1.000" in finding.message


def test_a_number_target_leak_uses_r2():
    rng = np.random.default_rng(0)
    frame = numeric_base().assign(tax_paid=lambda d: d["price"] * 0.02 + rng.normal(0, 150, len(d)))
    (finding,) = found(run(frame, "price"), "leakage")
    assert finding.severity == "critical" and finding.details["metric"] == "R²"
    assert "R² 0.9" in finding.message


def test_an_id_is_excluded_but_still_tested():
    report = run(with_id(base()))
    (finding,) = found(report, "id_like")
    assert finding.severity == "info" and finding.action == "excluded"
    assert "'customer_id' looks like an ID: every row has its own value (600 different values)" in finding.message
    assert finding.details["score"] < 0.7
    assert not found(report, "leakage")


def test_an_id_numbered_in_outcome_order_is_not_zeroed():
    report = run(with_id(base(), ordered_by_outcome=True))
    (leak,) = found(report, "leakage")
    assert leak.columns == ("customer_id",) and leak.severity == "warning"
    assert leak.details["score"] > 0.97
    assert "numbered or sorted by outcome" in leak.message
    assert report.excluded_columns == ["customer_id"]


def test_an_id_in_outcome_order_does_not_hide_a_real_leak():
    report = run(with_leak(with_id(base(), ordered_by_outcome=True)))
    by = {f.columns: f for f in found(report, "leakage")}
    assert by[("refund_amount",)].severity == "critical" and by[("customer_id",)].severity == "warning"


def test_two_different_leaks_are_both_excluded():
    report = run(with_missingness_leak(with_leak(base())))
    assert found(report, "leakage")[0].severity == "critical"
    assert found(report, "missingness_leakage")[0].severity == "critical"
    assert set(report.excluded_columns) == {"refund_amount", "cancel_note"}


@pytest.mark.parametrize("name, hint", [
    ("refund_status", True), ("cancel_date", True), ("Cancellation reason", True), ("closed_at", True),
    ("payment_after", True), ("ergebnis", True), ("marital_status", False), ("employment_status", False),
    ("spend", False), ("paid_plan", True), ("result", True),
])
def test_post_outcome_names(name, hint):
    assert post_outcome_name(name) is hint


def test_an_outcome_like_name_is_a_hint():
    rng = np.random.default_rng(1)
    frame = base().assign(order_status=rng.choice(["open", "closed"], size=600))
    (finding,) = found(run(frame), "post_outcome_name")
    assert finding.severity == "warning" and finding.columns == ("order_status",)
    assert "'order_status' sounds like something recorded after the outcome" in finding.message
    assert not found(run(base()), "post_outcome_name")


def test_big_tables_are_sampled_and_say_so(monkeypatch):
    monkeypatch.setenv("FAIRTRIAL_LEAKAGE_SAMPLE_ROWS", "300")
    (finding,) = found(run(with_leak(base())), "leakage")
    assert finding.details["sampled"] is True and finding.details["sampled_rows"] == 300
    assert "measured on a sample of 300 of the 600 rows" in finding.message


def test_multiclass_leak():
    frame = pd.DataFrame({"size": np.repeat(["S", "M", "L"], 200)})
    rng = np.random.default_rng(2)
    frame["weight"] = rng.normal(60, 10, 600).round(3)
    frame["box_code"] = frame["size"].map({"S": 1.0, "M": 2.0, "L": 3.0}) + rng.normal(0, 0.05, 600)
    (finding,) = found(run(frame, "size"), "leakage")
    assert finding.columns == ("box_code",) and finding.severity == "critical"
    assert TARGET not in frame


def lab_table(pattern: str, name: str = "lab_value", n: int = 1200, seed: int = 5) -> pd.DataFrame:
    """A 3-answer test result ('negative', 'inconclusive', 'positive') and a lab column that tells
    'positive' apart: ``constant`` (0 for every other answer, a real measurement for positives,
    as when the lab only runs once a test is positive), ``empty`` (the same, left empty), or
    ``real`` (real values for everyone, far higher for positives). Averaged over the three
    answers it scores only about AUC 0.82: it cannot tell 'negative' from 'inconclusive'."""
    rng = np.random.default_rng(seed)
    y = rng.choice(LAB_CLASSES, size=n, p=[0.4, 0.3, 0.3])
    positive = y == "positive"
    measured = np.round(rng.lognormal(1.5, 0.4, n), 2)
    value = {"constant": np.where(positive, measured, 0.0), "empty": np.where(positive, measured, np.nan),
             "real": np.round(np.where(positive, rng.normal(12, 2, n), rng.normal(4, 1.5, n)), 2)}[pattern]
    return pd.DataFrame({name: value, "age": rng.integers(18, 90, n),
                         "temperature": np.round(rng.normal(37.2, 0.6, n) + 0.4 * positive, 1),
                         "ward": rng.choice(["A", "B", "C"], size=n), "test": y})


def test_a_lab_value_filled_in_only_for_positive_tests_is_excluded():
    report = run(lab_table("constant"), "test")
    (finding,) = found(report, "leakage")
    assert finding.severity == "critical" and finding.action == "excluded" and finding.columns == ("lab_value",)
    assert finding.details["score"] < 0.9  # the average over all answers hides it
    assert finding.details["class"] == "positive" and finding.details["per_class"]["positive"] >= 0.99
    assert set(finding.details["per_class"]) == set(LAB_CLASSES)
    assert finding.details["evidence"] == ["placeholder"]
    assert ("'lab_value' gives away 'positive' almost perfectly (AUC 1.00 for 'positive' against the rest"
            in finding.message)
    assert ("'lab_value' holds the same value (0) for every row where 'test' is 'inconclusive' or 'negative' but real "
            "values where it is 'positive'") in finding.message
    assert report.excluded_columns == ["lab_value", "age"] and report.sensitive_columns == ["age"]


def test_a_lab_value_left_empty_unless_positive_is_caught_through_emptiness():
    report = run(lab_table("empty"), "test")
    (finding,) = found(report, "missingness_leakage")
    assert finding.severity == "critical" and finding.details["class"] == "positive"
    assert ("'lab_value' is empty for every row where 'test' is 'inconclusive' or 'negative' but is filled in where it "
            "is 'positive'") in finding.message
    assert "gives away 'positive' almost perfectly" in finding.message and not found(report, "leakage")


def test_a_result_named_column_that_gives_one_answer_away_is_excluded():
    report = run(lab_table("real", name="test_result"), "test")
    (finding,) = found(report, "leakage")
    assert finding.severity == "critical" and finding.action == "excluded" and finding.columns == ("test_result",)
    assert finding.details["evidence"] == ["post_outcome_name"] and finding.details["class"] == "positive"
    assert "gives away 'positive' almost perfectly" in finding.message
    assert "Its name sounds like something recorded after the outcome" in finding.message
    assert not found(report, "post_outcome_name")  # one finding per column


def test_a_plainly_named_column_that_gives_one_answer_away_is_a_warning_naming_it():
    report = run(lab_table("real"), "test")
    (finding,) = found(report, "leakage")
    assert finding.severity == "warning" and finding.action == "" and finding.details["class"] == "positive"
    assert finding.details["per_class"]["positive"] >= 0.975 and finding.details["score"] < 0.9
    assert ("'lab_value' gives away 'positive' almost perfectly (AUC 1.00 for 'positive' against the rest"
            in finding.message)
    assert finding.details["rest_score"] < 0.7
    assert f"much better than all the other columns together (AUC {finding.details['rest_score']:.2f} for 'positive')" \
        in finding.message
    assert "Strong — check whether this value is known before the outcome" in finding.message
    assert report.excluded_columns == report.sensitive_columns == ["age"]  # kept aside as about people, not a leak


def _sklearn_table(name: str) -> pd.DataFrame:
    from sklearn import datasets

    bunch = getattr(datasets, f"load_{name}")(as_frame=True)
    frame = bunch.frame.copy()
    frame["target"] = np.asarray(bunch.target_names)[bunch.target.to_numpy()]
    return frame


@pytest.mark.parametrize("name", ["iris", "wine", "breast_cancer"])
def test_clean_real_tables_have_no_leakage_warnings(name):
    # Petals set 'setosa' apart perfectly, tumour measurements predict the diagnosis with AUC
    # 0.91-0.96 each: strong, honest signals that many columns share. At most an info note.
    report = run(_sklearn_table(name), "target")
    leaks = [f for f in report.findings if f.check in ("leakage", "missingness_leakage", "target_copy")]
    assert all(f.severity == "info" for f in leaks), [(f.columns, f.severity) for f in leaks]
    assert report.excluded_columns == []


def test_a_spend_column_that_is_zero_for_every_no_is_excluded_below_the_critical_line():
    # Like 'expenditure' in the AER CreditCard table: 0 for every applicant without a card, real
    # amounts for most card holders. Strong (not near-perfect) plus the placeholder pattern.
    rng = np.random.default_rng(14)
    frame = base()
    spent = np.round(rng.lognormal(4, 1, len(frame)), 2) * (rng.random(len(frame)) < 0.85)
    frame["monthly_spend"] = np.where(frame[TARGET] == "yes", spent, 0.0)
    (finding,) = found(run(frame), "leakage")
    assert finding.severity == "critical" and finding.action == "excluded"
    assert 0.90 <= finding.details["score"] < 0.975 and finding.details["evidence"] == ["placeholder"]
    assert ("'monthly_spend' holds the same value (0) for every row where 'bought' is 'no' but real values where it "
            "is 'yes'") in finding.message


def test_an_outcome_name_with_a_strong_score_is_excluded():
    frame = with_moderate_leak(base()).rename(columns={"call_minutes": "refund_status"})
    report = run(frame)
    (finding,) = found(report, "leakage")
    assert finding.severity == "critical" and finding.details["evidence"] == ["post_outcome_name"]
    assert "predicts 'bought' strongly" in finding.message and "Its name sounds like" in finding.message
    assert report.excluded_columns == ["refund_status"] and not found(report, "post_outcome_name")


@pytest.mark.parametrize("column, target, named", [
    ("nfatal", "fatal", True), ("fatal1517", "fatal", True), ("fatal_night", "fatal", True),
    ("price_per_sqft", "price", True), ("PriceLand", "SalePrice", False), ("sale_price_land", "SalePrice", True),
    ("pop", "fatal", False), ("fatal", "fatal", False), ("y_lag", "y", False), ("x_y", "y", False),
])
def test_a_column_is_named_like_the_target_when_it_contains_every_word_of_it(column, target, named):
    assert target_named(column, target) is named


def test_strong_columns_named_like_the_target_are_warnings_even_when_others_do_as_well():
    # Counts of a subset of the target (night-time, single-vehicle) scale with the population like the
    # target itself: each predicts it strongly, and so do the others together, so the comparison alone
    # calls them ordinary. Their names say they may be parts of the answer: a warning, kept in.
    rng = np.random.default_rng(5)
    n = 400
    pop = np.exp(rng.normal(13, 0.8, n))
    risk = np.exp(rng.normal(0, 0.35, n))
    night = rng.poisson(pop * risk * 4e-5)
    day = rng.poisson(pop * risk * 6e-5)
    single = rng.binomial(night + day, 0.45)
    frame = pd.DataFrame({"pop": np.round(pop), "unemp": np.round(rng.normal(7, 2, n), 1),
                          "nfatal": night, "sfatal": single, "fatal": night + day})
    report = run(frame, "fatal")
    by = {f.columns: f for f in found(report, "leakage")}
    for column in ("nfatal", "sfatal"):
        finding = by[(column,)]
        assert finding.severity == "warning" and finding.details["named_like_target"] is True
        assert f"'{column}' is named like the target 'fatal'" in finding.message
        assert "a part, a share or a recount of 'fatal'" in finding.message and "FairTrial kept it" in finding.message
        assert column not in report.excluded_columns
    assert set(by) == {("nfatal",), ("sfatal",)} and not report.excluded_columns


def test_the_unit_of_a_panel_is_a_shared_id_whose_similar_answers_are_no_alarm():
    # 30 states once a year for 8 years; the target follows each state's size, so the state alone predicts it.
    rng = np.random.default_rng(2)
    states, years = 30, 8
    size = np.repeat(rng.lognormal(6, 1, states), years)
    frame = pd.DataFrame({"state": np.repeat([f"st{i:02d}" for i in range(states)], years),
                          "year": np.tile(np.arange(1982, 1982 + years), states),
                          "unemp": np.round(rng.normal(7, 2, states * years), 1),
                          "deaths": np.round(size * rng.lognormal(0, 0.15, states * years))})
    report = run(frame, "deaths")
    (id_finding,) = found(report, "id_like")
    assert id_finding.columns == ("state",) and id_finding.details["repeats"] and id_finding.severity == "info"
    assert report.proposed_group == "state" and "state" in report.excluded_columns
    assert id_finding.details["panel_time"] == "year"
    assert "Each value has at most one row per 'year': the table is a panel" in id_finding.message
    (finding,) = [f for f in found(report, "leakage") if f.columns == ("state",)]
    assert finding.severity == "info" and finding.details["shared_id"] and finding.details["score"] >= 0.8
    assert "rows with the same 'state' have similar answers. That is why FairTrial keeps each 'state'" in (
        finding.message)
    assert not loud(report)
