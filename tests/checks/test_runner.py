"""run_checks: the public API, the registry of check ids, errors, choices and the report."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from fairtrial.checks import CHECK_IDS, CHECKS, CheckReport, run_checks
from fairtrial.errors import BadChoiceError
from fairtrial.findings import SEVERITY_RANK

from .frames import TARGET, base, fake_emails, found, run, with_id, with_leak, with_missingness_leak

EXPECTED_IDS = {
    "leakage", "missingness_leakage", "target_copy", "id_like", "imbalance", "rare_class", "conflicting_labels",
    "sensitive", "group_gap", "proxy", "pii", "missing", "constant", "high_cardinality", "duplicates",
    "mixed_types", "outliers", "post_outcome_name", "task",
}


def test_check_ids_are_exactly_the_documented_ones_each_with_a_one_line_description():
    assert set(CHECK_IDS) == EXPECTED_IDS
    assert [c.id for c in CHECKS] and {c.id for c in CHECKS} == EXPECTED_IDS
    assert len(CHECKS) == len(EXPECTED_IDS)
    for check_id, description in CHECK_IDS.items():
        assert check_id.islower() and " " not in check_id
        assert description.strip() and "\n" not in description and len(description) < 160


def test_every_check_has_one_shape():
    for check in CHECKS:
        assert callable(check.run) and check.title and check.description


@pytest.fixture(scope="module")
def leaky_report() -> CheckReport:
    frame = with_missingness_leak(with_id(with_leak(base())))
    frame["email"] = fake_emails(len(frame))
    return run_checks(frame, TARGET)


def test_report_shape_and_json(leaky_report):
    data = leaky_report.to_dict()
    assert {"task", "target", "findings", "excluded_columns", "sensitive_columns", "proposed_sensitive",
            "exclusion_reasons"} <= set(data)
    assert data["target"] == TARGET and data["task"]["task"] == "binary"
    json.dumps(data)  # plain values only
    again = CheckReport.from_dict(json.loads(json.dumps(data)))
    assert again.findings == leaky_report.findings and again.excluded_columns == leaky_report.excluded_columns


def test_findings_are_sorted_critical_first(leaky_report):
    ranks = [SEVERITY_RANK[f.severity] for f in leaky_report.findings]
    assert ranks == sorted(ranks, reverse=True)
    assert all(f.check in CHECK_IDS for f in leaky_report.findings)


def test_excluded_columns_and_reasons(leaky_report):
    assert leaky_report.excluded_columns == ["refund_amount", "customer_id", "cancel_note", "email"]
    reasons = leaky_report.exclusion_reasons
    assert set(reasons) == set(leaky_report.excluded_columns)
    assert "ID" in reasons["customer_id"] and "personal data" in reasons["email"]
    assert "gives the answer away" in reasons["refund_amount"]


def test_summary_line_counts_in_plain_words(leaky_report):
    counts = leaky_report.counts()
    line = leaky_report.summary_line()
    assert line.startswith(f"{counts['critical']} problems to fix")
    assert f"{counts['info']} thing" in line
    empty = CheckReport(target="t", task=leaky_report.task, findings=[])
    assert empty.summary_line() == "Nothing to report"


def test_personal_values_never_leave_the_checks(leaky_report):
    text = json.dumps(leaky_report.to_dict())
    assert "secret" not in text and "@example.org" not in text


def test_include_switches_a_column_back_on_and_exclude_switches_one_off():
    frame = with_id(with_leak(base()))
    report = run(frame, include=["refund_amount"], exclude=["region"])
    assert "refund_amount" not in report.excluded_columns
    leak = found(report, "leakage")[0]
    assert leak.action == "switched back on by you"
    assert "region" in report.excluded_columns
    assert report.exclusion_reasons["region"] == "you switched it off"
    assert "customer_id" in report.excluded_columns


def test_confirmed_sensitive_columns_are_kept_aside_not_proposed():
    frame = base().assign(gender=np.tile(["female", "male"], 300))
    report = run(frame, sensitive=["gender"])
    assert report.sensitive_columns == ["gender"]
    assert report.proposed_sensitive == ["gender"]
    assert "gender" in report.excluded_columns
    assert "group checks" in report.exclusion_reasons["gender"]
    (finding,) = found(report, "sensitive")
    assert finding.severity == "info" and finding.action == "kept aside for group checks"
    assert run(frame, sensitive=[]).sensitive_columns == []


def test_proposed_sensitive_columns_are_in_effect_without_confirming():
    frame = base().assign(gender=np.tile(["female", "male"], 300))
    report = run(frame)
    assert report.sensitive_columns == ["gender"] and report.sensitive_chosen_by == "checks"
    assert "gender" in report.excluded_columns
    (finding,) = found(report, "sensitive")
    assert finding.action == "kept aside for group checks"
    # The user's list replaces the proposal; an empty list means no column is about people.
    none = run(frame, sensitive=[])
    assert none.sensitive_columns == [] and none.sensitive_chosen_by == "you"
    assert "gender" not in none.excluded_columns


@pytest.mark.parametrize("options, match", [
    ({"exclude": ["nope"]}, "no column 'nope'"),
    ({"include": ["nope"]}, "no column 'nope'"),
    ({"sensitive": ["nope"]}, "no column 'nope'"),
    ({"exclude": [TARGET]}, "cannot be switched off"),
    ({"sensitive": [TARGET]}, "cannot also be a sensitive column"),
    ({"task": "numeric"}, "holds text"),
])
def test_bad_choices_are_plain_errors(options, match):
    with pytest.raises(BadChoiceError, match=match):
        run(base(n=60), **options)


def test_unknown_target():
    with pytest.raises(BadChoiceError, match="no column 'price' in this table to predict") as info:
        run_checks(base(n=60), "price")
    assert "Pick one of" in str(info.value)


def test_one_value_target_is_blocked_with_the_number():
    frame = base(n=60).assign(bought="yes")
    with pytest.raises(BadChoiceError, match="All 60 rows with a value in 'bought' have the same one") as info:
        run(frame)
    assert "Pick a column with at least two different values" in str(info.value)


def test_a_table_with_only_the_target():
    report = run(base()[[TARGET]])
    assert {f.check for f in report.findings} == {"task", "duplicates"}  # every row repeats 'yes' or 'no'
    assert report.excluded_columns == []


def test_a_class_with_fewer_rows_than_folds_is_blocked_with_the_number():
    frame = base(n=200)
    frame.loc[:2, TARGET] = "maybe"
    with pytest.raises(BadChoiceError) as info:
        run(frame)
    text = str(info.value)
    assert "'maybe'" in text and "3 rows" in text and "5 parts" in text and "collect at least 5" in text


def test_rows_without_a_target_are_left_out_and_said_so():
    frame = base()
    frame.loc[:29, TARGET] = None
    report = run(frame)
    (missing,) = [f for f in found(report, "missing") if f.columns == (TARGET,)]
    assert "30 rows" in missing.message and missing.action == "rows left out"
    assert missing.severity == "info"  # 5% of rows: not above the warning line


def test_progress_is_reported_from_zero_to_one():
    seen: list[tuple[float, str]] = []
    run(base(n=200), progress=lambda share, text: seen.append((share, text)))
    shares = [s for s, _ in seen]
    assert shares[0] == 0.0 and shares[-1] == 1.0 and shares == sorted(shares)
    assert all(isinstance(t, str) and t for _, t in seen)


def test_task_override_and_integer_column_names():
    frame = base(n=300)
    frame.columns = [0, 1, 2, 3, 4]
    report = run_checks(frame, 4)
    assert report.target == "4" and report.task.task == "binary"
    numbers = pd.DataFrame({"a": np.arange(300) % 7, "y": np.arange(300) % 3})
    assert run_checks(numbers, "y", task="numeric").task.task == "numeric"


def test_given_kinds_are_respected():
    frame = with_id(base())
    report = run(frame, kinds={"customer_id": "category"})
    assert not found(report, "id_like")


def test_same_input_same_report():
    frame = with_leak(base())
    assert run(frame).to_dict() == run(frame).to_dict()
