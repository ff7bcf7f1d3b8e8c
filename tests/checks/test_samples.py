"""The sample files' planted problems are found, and well-known clean data stays quiet.

"Loud" findings are warnings and criticals: what a user must look at. Each test names every
loud finding it expects, so a new false alarm fails it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer, load_iris

from fairtrial.checks import CheckReport, run_checks

from .frames import found, loud

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"


def _sample(file: str, target: str) -> CheckReport:
    path = SAMPLES / file
    if not path.exists():
        pytest.skip(f"sample_data/{file} is not there (run `make samples`)")
    try:
        from fairtrial.load import load_file
    except ImportError:  # the loader is optional for these tests
        return run_checks(pd.read_csv(path), target)
    ds = load_file(path)
    report = run_checks(ds.frame, target, kinds=ds.kinds)
    json.dumps(report.to_dict())  # plain values only
    return report


def _loud(report: CheckReport) -> set[tuple[str, tuple[str, ...]]]:
    return {(f.check, f.columns) for f in loud(report)}


def test_churn_leak_id_email_and_imbalance():
    report = _sample("churn.csv", "churned")
    (leak,) = [f for f in report.findings if f.check in ("missingness_leakage", "leakage")]
    assert leak.columns == ("cancellation_reason",) and leak.severity == "critical"
    assert "'cancellation_reason' is empty for 100% of rows where 'churned' is 'no'" in leak.message
    assert found(report, "id_like")[0].columns == ("customer_id",)
    assert found(report, "pii")[0].columns == ("email",)
    (imbalance,) = found(report, "imbalance")
    assert imbalance.severity == "warning" and imbalance.details["rarest_share"] == pytest.approx(0.148, abs=0.01)
    assert report.excluded_columns == ["customer_id", "email", "cancellation_reason"]
    assert _loud(report) == {("missingness_leakage", ("cancellation_reason",)), ("pii", ("email",)),
                             ("imbalance", ("churned",))}


def test_loans_sensitive_columns_gap_and_postcode_proxy():
    report = _sample("loans.csv", "approved")
    assert {"gender", "ethnicity", "age"} <= set(report.proposed_sensitive)
    gaps = {f.columns[0]: f for f in found(report, "group_gap")}
    assert gaps["ethnicity"].severity == "critical" and gaps["ethnicity"].details["gap"] > 0.2
    assert ("postcode", "ethnicity") in {f.columns for f in found(report, "proxy")}
    assert found(report, "id_like")[0].columns == ("applicant_id",)
    # Also truly there: approval rises with age in this data (older applicants have higher
    # credit scores), a gap of over 20 points between age bands.
    assert _loud(report) == {("sensitive", ("age",)), ("sensitive", ("gender",)), ("sensitive", ("ethnicity",)),
                             ("group_gap", ("ethnicity", "approved")), ("group_gap", ("age", "approved")),
                             ("proxy", ("postcode", "ethnicity"))}


def test_fraud_rare_outcome():
    report = _sample("fraud.csv", "fraud")
    (imbalance,) = found(report, "imbalance")
    assert imbalance.severity == "critical" and imbalance.details["level"] in ("strong", "severe")
    assert "Only 3% of rows (150 of 5,000)" in imbalance.message
    assert _loud(report) == {("imbalance", ("fraud",))}


def test_students_is_clean():
    report = _sample("students.csv", "passed")
    assert loud(report) == []
    assert report.excluded_columns == ["student_no"]


def test_house_prices_missing_values_and_unusual_houses():
    report = _sample("house_prices.csv", "price")
    assert _loud(report) == {("missing", ("energy_label",))}
    (outliers,) = found(report, "outliers")
    assert "area_m2" in outliers.columns


def test_breast_cancer_has_strong_ordinary_signals_and_no_alarms():
    # What is truly there: many tumour measurements each separate the diagnoses well on their
    # own (one-column AUC 0.90-0.95), and all the others together do even better (AUC 0.98).
    # That is a strong, ordinary signal, not a leak, so it is only noted (info); there are no
    # IDs, empty cells, copies or sensitive columns, so nothing warns.
    frame = load_breast_cancer(as_frame=True).frame
    report = run_checks(frame, "target")
    assert loud(report) == []
    (strong,) = found(report, "leakage")
    assert strong.severity == "info" and len(strong.columns) >= 5
    assert report.excluded_columns == []


def test_iris_is_small_and_its_petals_tell_the_species():
    # What is truly there: petal length and petal width each tell the three species apart
    # almost perfectly (one-column AUC about 0.97) and set setosa (0) apart perfectly. FairTrial
    # cannot know petals are measured before a flower is named, but nothing points to a leak:
    # not near-perfect for every species, no outcome-like name, no placeholder, and the other
    # columns together do as well. So a note (info), no warning. With 50 flowers per species,
    # each test fold holds only 8 of each, so per-species scores are shaky: a thing to know
    # (rare_class info), not a warning. One exact duplicate row is noted.
    frame = load_iris(as_frame=True).frame
    report = run_checks(frame, "target")
    assert _loud(report) == set()
    assert [f.severity for f in found(report, "rare_class")] == ["info"]
    (note,) = found(report, "leakage")
    assert note.severity == "info" and set(note.columns) == {"petal length (cm)", "petal width (cm)"}
    assert note.details["classes"] == {"petal length (cm)": "0", "petal width (cm)": "0"}  # 0 is setosa
    assert report.excluded_columns == [] and report.duplicate_rows == 1
