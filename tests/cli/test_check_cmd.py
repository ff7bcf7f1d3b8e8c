"""`fairtrial check`: the findings as JSON or as labelled text; personal data never echoed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_helpers import run_cli

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"
FINDING_KEYS = {"check", "severity", "columns", "title", "message", "suggestion", "details", "action"}


@pytest.fixture
def churn_json(capsys) -> dict:
    res = run_cli(capsys, "check", SAMPLES / "churn.csv", "--target", "churned", "--json")
    assert res.code == 0, res.err
    assert "@example." not in res.out + res.err, "an e-mail address from the file was printed"
    return json.loads(res.out, parse_constant=lambda c: pytest.fail(f"non-standard JSON constant {c}"))


def test_json_has_the_dataset_task_target_and_findings(churn_json):
    data = churn_json
    assert {"dataset", "task", "target", "findings", "excluded_columns", "sensitive_columns"} <= set(data)
    assert data["dataset"]["rows"] == 4000 and data["dataset"]["columns"] == 13
    assert len(data["dataset"]["sha256"]) == 64 and int(data["dataset"]["sha256"], 16) >= 0
    assert data["target"] == "churned"
    assert data["task"]["task"] == "binary" and data["task"]["positive"] == "yes"
    assert data["findings"], "churn.csv has planted traps"
    for finding in data["findings"]:
        assert set(finding) == FINDING_KEYS, finding["check"]
        assert finding["severity"] in ("info", "warning", "critical")
        assert isinstance(finding["columns"], list) and isinstance(finding["details"], dict)


def test_json_lists_the_left_out_columns_and_no_sensitive_ones_unless_confirmed(churn_json):
    assert {"email", "customer_id", "cancellation_reason"} <= set(churn_json["excluded_columns"])
    assert churn_json["sensitive_columns"] == []
    checks = {(f["check"], tuple(f["columns"])) for f in churn_json["findings"]}
    assert ("missingness_leakage", ("cancellation_reason",)) in checks
    assert ("pii", ("email",)) in checks


def test_text_output_shows_the_summary_and_labels_and_never_an_email_address(capsys):
    res = run_cli(capsys, "check", SAMPLES / "churn.csv", "--target", "churned")
    assert res.code == 0, res.err
    lines = res.out.splitlines()
    assert lines[0] == "churn: 4,000 rows, 13 columns. Predicting 'churned'."
    assert lines[2] == "1 problem to fix, 2 things to check, 3 things to know"
    assert "[PROBLEM] " in res.out and "[CHECK] " in res.out and "[NOTE] " in res.out
    # Problems come first, then things to check, then notes.
    assert res.out.index("[PROBLEM]") < res.out.index("[CHECK]") < res.out.index("[NOTE]")
    assert "Left out of the models: customer_id, email, cancellation_reason" in res.out
    assert "@example." not in res.out + res.err
    with pytest.raises(json.JSONDecodeError):
        json.loads(res.out)


def test_confirmed_sensitive_columns_are_listed_and_left_out(capsys):
    res = run_cli(capsys, "check", SAMPLES / "loans.csv", "--target", "approved", "--sensitive", "gender", "--json")
    assert res.code == 0, res.err
    data = res.json()
    assert data["sensitive_columns"] == ["gender"]
    assert "gender" in data["excluded_columns"] and "ethnicity" not in data["excluded_columns"]
    sensitive = {f["columns"][0]: f["title"] for f in data["findings"] if f["check"] == "sensitive"}
    assert sensitive["gender"] == "Sensitive: kept for group checks"
    assert sensitive["ethnicity"] == "Possibly sensitive, not marked"


def test_without_sensitive_the_proposed_columns_are_in_effect_and_said_on_stderr(capsys):
    res = run_cli(capsys, "check", SAMPLES / "loans.csv", "--target", "approved")
    assert res.code == 0, res.err
    assert "Used for group checks only: age, gender, ethnicity" in res.out
    assert "FairTrial proposed these columns about people" in res.err and "ethnicity" in res.err
    assert "--sensitive alone for none" in res.err


def test_proposed_sensitive_columns_count_without_confirming_and_sensitive_overrides(capsys):
    proposed = run_cli(capsys, "check", SAMPLES / "loans.csv", "--target", "approved", "--json").json()
    assert proposed["sensitive_columns"] == ["age", "gender", "ethnicity"]
    assert proposed["sensitive_chosen_by"] == "checks"
    assert {"age", "gender", "ethnicity"} <= set(proposed["excluded_columns"])
    assert {f["columns"][0] for f in proposed["findings"] if f["check"] == "group_gap"} >= {"ethnicity"}
    none = run_cli(capsys, "check", SAMPLES / "loans.csv", "--target", "approved", "--sensitive", "--json").json()
    assert none["sensitive_columns"] == [] and none["sensitive_chosen_by"] == "you"
    assert not {"age", "gender", "ethnicity"} & set(none["excluded_columns"])
    assert not [f for f in none["findings"] if f["check"] in ("group_gap", "proxy")]


def test_an_unknown_sensitive_column_exits_2_with_one_line(capsys):
    res = run_cli(capsys, "check", SAMPLES / "loans.csv", "--target", "approved", "--sensitive", "gendr", "--json")
    assert res.code == 2
    assert res.out == ""
    assert res.err.startswith("error: ") and res.err.count("\n") == 1
    assert "Did you mean 'gender'?" in res.err


def test_an_unknown_target_exits_2_and_suggests_the_closest_column(capsys):
    res = run_cli(capsys, "check", SAMPLES / "churn.csv", "--target", "Churned")
    assert res.code == 2 and res.out == ""
    assert res.err.startswith("error: ") and res.err.count("\n") == 1
    assert "Did you mean 'churned'?" in res.err


def test_text_output_says_a_kind_of_finding_on_several_columns_once_naming_them(capsys):
    """As the Check page and the reports do: one item per kind, the columns named in its title
    (not the target every group-gap finding shares), each column's own words, the advice once."""
    res = run_cli(capsys, "check", SAMPLES / "loans.csv", "--target", "approved")
    assert res.code == 0, res.err
    out = res.out
    assert out.count("Sensitive: kept for group checks") == 1
    assert "[CHECK] Sensitive: kept for group checks ('age', 'gender' and 'ethnicity')" in out
    assert "[PROBLEM] Outcome differs between groups ('age' and 'ethnicity')\n" in out
    for col in ("age", "gender", "ethnicity"):  # each column's own sentence is still there
        assert f"    '{col}' looks like it describes a person's" in out
    assert out.count("What to do: If one of them is not about people") == 1
    assert out.count("FairTrial: kept aside for group checks") == 1
