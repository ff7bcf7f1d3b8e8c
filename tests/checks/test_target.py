"""The target: what will be predicted, imbalance, rare answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from .frames import TARGET, base, found, multiclass_base, numeric_base, run


def test_task_is_always_explained():
    (task,) = found(run(base()), "task")
    assert task.severity == "info" and task.columns == (TARGET,)
    assert "'bought' has two values" in task.message and "'yes' as the outcome to find" in task.message
    assert task.details["class_counts"] == {"no": 360, "yes": 240}
    (numeric,) = found(run(numeric_base(), "price"), "task")
    assert numeric.details["task"] == "numeric" and "predicts the number" in numeric.message
    (multi,) = found(run(multiclass_base(), "size"), "task")
    assert multi.details["task"] == "multiclass" and "'L', 'M', 'S'" in multi.message


@pytest.mark.parametrize("share, severity, level, words", [
    (0.15, "warning", "mild", "Only 15% of rows (90 of 600)"),
    (0.07, "critical", "strong", "Only 7% of rows (70 of 1,000)"),
])
def test_binary_imbalance(share, severity, level, words):
    (finding,) = found(run(base(n=1000 if share < 0.1 else 600, share=share)), "imbalance")
    assert finding.severity == severity and finding.details["level"] == level
    assert finding.columns == (TARGET,) and words in finding.message and "'no'" in finding.message
    assert "balanced accuracy" in finding.message


def test_severe_imbalance_by_share_and_by_rows():
    frame = base(n=3000, share=0.015)
    (finding,) = found(run(frame), "imbalance")
    assert finding.severity == "critical" and finding.details["level"] == "severe"
    assert "1.5% of rows (45 of 3,000)" in finding.message


def test_balanced_enough_is_silent():
    assert not found(run(base(share=0.25)), "imbalance")


def test_imbalance_is_not_inverted():
    # The rare answer is the one named, whichever label it has.
    frame = base(share=0.85)
    (finding,) = found(run(frame), "imbalance")
    assert finding.details["rarest_class"] == "no" and "have 'bought' = 'no'" in finding.message


def test_multiclass_imbalance_uses_rarest_share_times_classes():
    (finding,) = found(run(multiclass_base(shares=(0.6, 0.33, 0.07)), "size"), "imbalance")
    assert finding.severity == "critical" and finding.details["level"] == "strong"
    assert finding.details["rarest_class"] == "L"
    assert finding.details["rarest_share_times_classes"] == pytest.approx(0.21, abs=0.04)
    assert not found(run(multiclass_base(), "size"), "imbalance")


def test_rare_class_is_worth_knowing_below_30_rows_per_test_fold():
    frame = base(n=1000, share=0.1)  # 100 'yes' rows: 80 after the holdout, 16 per test fold
    (finding,) = found(run(frame), "rare_class")
    assert finding.severity == "info" and "'yes' has 100 rows" in finding.message
    assert "each test part holds only about 16 'yes' rows" in finding.message
    assert finding.details["too_few"] == []
    assert not found(run(base()), "rare_class")  # 240 'yes' rows: 38 per test fold


def _three_classes(sizes: tuple[int, ...], seed: int = 4) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    label = np.repeat(["class_0", "class_1", "class_2"][: len(sizes)], sizes)
    return pd.DataFrame({"alcohol": np.round(rng.normal(13, 0.8, len(label)) + (label == "class_1"), 2),
                         "hue": np.round(rng.normal(1, 0.2, len(label)), 3), "cultivar": label})


def test_a_small_clean_table_gets_a_note_not_a_warning():
    # Like scikit-learn's wine: 178 rows, three classes of 48 to 71 rows (8 to 11 per test fold).
    (finding,) = found(run(_three_classes((59, 71, 48)), "cultivar"), "rare_class")
    assert finding.severity == "info" and "Every answer in 'cultivar' is rare" in finding.message
    assert "averages them" in finding.message and finding.suggestion.startswith("Nothing to fix")


def test_a_class_too_small_for_the_folds_warns_and_says_what_to_do():
    (finding,) = found(run(_three_classes((90, 80, 20)), "cultivar"), "rare_class")
    assert finding.severity == "warning" and finding.details["too_few"] == ["class_2"]
    assert finding.details["rows_per_test_fold"]["class_2"] == pytest.approx(3.2)
    assert "too few for a test part to say anything about 'class_2'" in finding.message
    assert "use fewer folds (3 instead of 5)" in finding.suggestion


def test_numeric_target_has_no_class_checks():
    report = run(numeric_base(), "price")
    assert not found(report, "imbalance") and not found(report, "rare_class")


def test_targets_read_as_labels_whatever_their_type():
    frame = base().assign(bought=lambda d: (d[TARGET] == "yes").astype(float))
    (task,) = found(run(frame), "task")
    assert task.details["classes"] == ["0", "1"] and task.details["positive"] == "1"
    frame = base().assign(bought=lambda d: pd.array(np.where(d[TARGET] == "yes", True, False)))
    assert run(frame).task.task == "binary"
