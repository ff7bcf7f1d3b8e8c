"""Data quality: duplicates, constant columns, free text, mixed types, missing values, outliers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .frames import (
    TARGET,
    base,
    found,
    loud,
    numeric_base,
    run,
    with_constant,
    with_duplicates,
    with_free_text,
    with_missing,
    with_mixed_types,
    with_near_constant,
    with_outliers,
)


def test_the_clean_frame_is_clean():
    report = run(base())
    assert [f.check for f in report.findings] == ["task"]
    assert [f.check for f in run(numeric_base(), "price").findings] == ["task"]


def test_duplicates_above_one_percent_warn_and_are_removed():
    report = run(with_duplicates(base(), 18))
    (finding,) = found(report, "duplicates")
    assert finding.severity == "warning" and finding.action == "removed before splitting"
    assert "18 rows (2.9% of 618) are exact copies" in finding.message
    assert report.duplicate_rows == 18


def test_a_few_duplicates_are_only_noted():
    (finding,) = found(run(with_duplicates(base(), 3)), "duplicates")
    assert finding.severity == "info" and "3 rows (0.5% of 603)" in finding.message
    assert run(base()).duplicate_rows == 0


def test_constant_column_is_excluded():
    report = run(with_constant(base()))
    (finding,) = found(report, "constant")
    assert finding.severity == "info" and finding.action == "excluded" and finding.columns == ("country",)
    assert "'country' has the same value ('UK') on every row" in finding.message
    assert "country" in report.excluded_columns


def test_near_constant_column_warns():
    (finding,) = found(run(with_near_constant(base())), "constant")
    assert finding.severity == "warning" and finding.action == ""
    assert "'payment' has the same value ('card') on 99.5% of rows; only 3 rows differ" in finding.message


def test_free_text_warns():
    (finding,) = found(run(with_free_text(base())), "high_cardinality")
    assert finding.severity == "warning" and finding.columns == ("comment",)
    assert "'comment' has 600 different values among 600 filled rows (100% unique)" in finding.message
    assert not found(run(base()), "high_cardinality")


def test_mixed_types_warn_between_one_and_ten_percent():
    (finding,) = found(run(with_mixed_types(base(), 0.05)), "mixed_types")
    assert finding.severity == "warning" and finding.columns == ("household",)
    assert "5% of its filled cells are words (such as 'unknown')" in finding.message
    assert not found(run(with_mixed_types(base(), 0.005)), "mixed_types")
    assert not found(run(with_mixed_types(base(), 0.2)), "mixed_types")


def test_missing_values_by_share():
    (warn,) = found(run(with_missing(base(), "visits", 0.10)), "missing")
    assert warn.severity == "warning" and "'visits' is empty for 10% of rows (60 of 600)" in warn.message
    (crit,) = found(run(with_missing(base(), "visits", 0.60)), "missing")
    assert crit.severity == "critical" and "60% of rows" in crit.message
    (drop,) = found(run(with_missing(base(), "visits", 0.97)), "missing")
    assert drop.severity == "critical" and "Switch it off" in drop.suggestion
    assert not found(run(with_missing(base(), "visits", 0.03)), "missing")


def test_outliers_are_noted_with_column_and_share():
    (finding,) = found(run(with_outliers(base())), "outliers")
    assert finding.severity == "info" and finding.columns == ("spend",)
    assert "'spend' has 6 rows (1%)" in finding.message
    assert finding.details["columns"]["spend"]["large"] == 6


def test_a_long_natural_tail_is_not_called_unusual():
    frame = base().assign(income=np.round(np.random.default_rng(0).lognormal(10, 0.8, 600), 2))
    assert not found(run(frame), "outliers")
    assert not loud(run(frame))


def _survey(n: int = 600, seed: int = 4) -> pd.DataFrame:
    """Coded answers of different people, no ID: five questions of six answers and a yes/no outcome."""
    rng = np.random.default_rng(seed)
    answers = {f"q{i}": rng.integers(1, 7, n) for i in range(1, 6)}
    outcome = rng.random(n) < 0.2 + 0.1 * (answers["q1"] > 3)
    return pd.DataFrame({**answers, TARGET: np.where(outcome, "yes", "no")})


def test_look_alike_rows_at_chance_level_are_kept_and_only_noted():
    survey = _survey()
    report = run(survey)
    (finding,) = found(report, "duplicates")
    assert finding.severity == "info" and report.duplicate_rows == 0 and not finding.details["beyond_chance"]
    assert finding.details["identical_pairs"] < 2 * finding.details["chance_pairs"]
    assert "FairTrial keeps every row" in finding.message


def test_far_more_identical_rows_than_chance_are_a_warning_and_still_kept():
    # 40 answers entered a second time into the same survey: about 17 pairs agree by chance, 51 in all
    survey = _survey()
    twice = pd.concat([survey, survey.sample(40, random_state=1)], ignore_index=True)
    report = run(twice)
    (finding,) = found(report, "duplicates")
    details = finding.details
    assert finding.severity == "warning" and details["beyond_chance"] and not finding.action
    assert report.duplicate_rows == 0 and details["identical_pairs"] >= 2 * details["chance_pairs"]
    assert (f"{details['identical_pairs']:.0f} pairs of identical rows, where chance would give about "
            f"{details['chance_pairs']:.0f} if the columns were unrelated") in finding.message
    assert "some of these rows may be the same record entered twice. FairTrial kept every row" in finding.message


def test_empty_cells_in_a_column_about_people_are_not_said_to_help_the_models():
    frame = base().assign(age=[None if i % 5 == 0 else 20 + i % 50 for i in range(len(base()))])
    report = run(frame)
    assert "age" in report.sensitive_columns
    (finding,) = [f for f in found(report, "missing") if f.columns == ("age",)]
    assert "kept out of the models" in finding.message and "still helps" not in finding.message
