"""Leakage: columns that give the answer away, through values or emptiness; copies; IDs; names."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from fairtrial.checks.leakage import post_outcome_name

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


def test_a_column_that_gives_the_answer_away_is_excluded():
    report = run(with_leak(base()))
    (finding,) = found(report, "leakage")
    assert finding.severity == "critical" and finding.action == "excluded" and finding.columns == ("refund_amount",)
    assert "On its own, 'refund_amount' predicts 'bought' almost perfectly (AUC 1.00 out of 1.00" in finding.message
    assert "all the other columns together reach only AUC 0.6" in finding.message
    assert "switch it back on" in finding.suggestion
    assert finding.details["alone"] is True and finding.details["tree_depth"] == 4
    assert report.excluded_columns == ["refund_amount"]


def test_a_column_near_the_full_models_score_is_excluded_below_the_critical_level():
    (finding,) = found(run(with_moderate_leak(base())), "leakage")
    assert finding.severity == "critical" and finding.columns == ("call_minutes",)
    assert 0.90 <= finding.details["score"] < 0.97
    assert finding.details["score"] - 0.5 >= 0.95 * (finding.details["full_score"] - 0.5)


def test_two_copies_of_a_strong_measurement_are_asked_about_not_excluded():
    report = run(with_two_strong_copies(base()))
    findings = found(report, "leakage")
    assert {f.columns for f in findings} == {("height_cm",), ("height_in",)}
    assert all(f.severity == "warning" and f.action == "" for f in findings)
    assert "other columns together do nearly as well" in findings[0].message
    assert report.excluded_columns == []


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
