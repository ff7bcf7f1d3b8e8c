"""Conflicting labels: look-alike rows with different answers."""

from __future__ import annotations

import pandas as pd

from .frames import base, found, numeric_base, run, with_conflicts


def test_many_conflicts_are_critical():
    (finding,) = found(run(with_conflicts(base(), 0.06)), "conflicting_labels")
    assert finding.severity == "critical" and finding.columns == ("bought",)
    assert "36 rows (6%) look exactly the same in every column the model uses" in finding.message
    assert "(18 sets of look-alike rows)" in finding.message
    assert finding.details["columns_compared"] == ["spend", "plan", "region", "visits"]


def test_a_few_conflicts_warn():
    (finding,) = found(run(with_conflicts(base(), 0.02)), "conflicting_labels")
    assert finding.severity == "warning" and "12 rows (2%)" in finding.message


def test_no_conflicts_is_silent_and_exact_copies_do_not_conflict():
    frame = base()
    assert not found(run(frame), "conflicting_labels")
    copies = pd.concat([frame, frame.iloc[:30]], ignore_index=True)
    assert not found(run(copies), "conflicting_labels")


def test_excluded_columns_do_not_tell_rows_apart():
    frame = with_conflicts(base(), 0.06).assign(row_no=range(600))
    report = run(frame)
    assert "row_no" in report.excluded_columns
    assert found(report, "conflicting_labels")[0].severity == "critical"


def test_number_targets_are_not_compared():
    assert not found(run(numeric_base(), "price"), "conflicting_labels")


def test_look_alikes_expected_by_chance_are_a_thing_to_know_with_the_best_possible_score():
    # 600 people described by two columns of few values (like a table of passengers by class and
    # sex): different people share every value, so their different answers are not errors.
    import numpy as np

    rng = np.random.default_rng(5)
    band = rng.choice(["18-30", "31-50", "51+"], 600)
    plan = rng.choice(["basic", "plus"], 600)
    left = np.where(rng.random(600) < np.where(plan == "basic", 0.6, 0.3), "yes", "no")
    frame = pd.DataFrame({"person": [f"P{i:04d}" for i in range(600)], "band": band, "plan": plan, "left": left})
    (finding,) = found(run(frame, "left"), "conflicting_labels")
    assert finding.severity == "info" and finding.details["expected_by_chance"] is True
    assert "With so few columns of so few values this is expected" in finding.message
    # the ceiling: each of the 6 sets answered with its commoner answer
    sets = frame.groupby(["band", "plan"])["left"].agg(lambda s: s.value_counts().iloc[0]).sum() / 600
    assert abs(finding.details["best_possible_share_right"] - sets) < 1e-4  # details keep 4 decimals
    assert f"at best {round(sets * 100)}% of them" in finding.message
