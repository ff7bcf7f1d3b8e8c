"""Splits: one holdout kept untouched, the same folds for every recipe, no row on both sides."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from trial_frames import BINARY, learnable, numbers, people

from fairtrial.errors import BadChoiceError
from fairtrial.splits import auto_repeats, make_splits, whole_row_copies
from fairtrial.task import TaskInfo

NUMERIC = TaskInfo("numeric", "test")


def _assert_clean(splits):
    hold = set(splits.holdout.tolist())
    pool = set(splits.pool.tolist())
    assert not hold & pool
    assert hold | pool == set(splits.kept.tolist())
    for train, test in splits.pairs:
        assert not set(train.tolist()) & set(test.tolist())
        assert not set(train.tolist()) & hold and not set(test.tolist()) & hold


def test_holdout_is_stratified_and_never_in_a_fold():
    frame, _ = learnable(400)
    splits = make_splits(frame, "target", BINARY, folds=5, repeats=2, seed=7)
    _assert_clean(splits)
    assert len(splits.holdout) == 80 and splits.n_splits == 10 and splits.kind == "stratified"
    share_all = (frame["target"] == "yes").mean()
    share_hold = (frame["target"].iloc[splits.holdout] == "yes").mean()
    assert abs(share_all - share_hold) < 0.02
    # each repeat's test parts cover the pool exactly once
    for r in range(2):
        tests = np.concatenate([splits.pairs[r * 5 + k][1] for k in range(5)])
        assert sorted(tests.tolist()) == sorted(splits.pool.tolist())
    assert splits.last_repeat() == [5, 6, 7, 8, 9]


def test_same_seed_same_splits():
    frame, _ = learnable(200)
    one = make_splits(frame, "target", BINARY, folds=3, repeats=2, seed=3)
    two = make_splits(frame, "target", BINARY, folds=3, repeats=2, seed=3)
    np.testing.assert_array_equal(one.holdout, two.holdout)
    for (tr1, te1), (tr2, te2) in zip(one.pairs, two.pairs):
        np.testing.assert_array_equal(tr1, tr2)
        np.testing.assert_array_equal(te1, te2)


def test_exact_duplicates_are_removed_before_splitting():
    frame, _ = learnable(200)
    copies = frame.iloc[[0, 1, 2, 3, 4, 0]]  # six copies of five rows (row 0 twice)
    doubled = pd.concat([frame, copies], ignore_index=True)
    splits = make_splits(doubled, "target", BINARY, folds=3, repeats=1, seed=0)
    assert splits.duplicates_removed == 6
    assert len(splits.kept) == 200
    assert not set(splits.kept.tolist()) & set(range(200, 206))
    assert ("6 rows were exact copies of another row in every column and removed first (the first copy stays)"
            in splits.description)
    _assert_clean(splits)


def test_a_row_that_differs_only_in_its_id_is_not_a_copy():
    frame, _ = learnable(100)
    frame["row_id"] = range(100)
    twin = frame.iloc[[0]].assign(row_id=999)  # same model inputs and answer, another record
    data = pd.concat([frame, twin], ignore_index=True)
    splits = make_splits(data, "target", BINARY, folds=3, repeats=1)
    assert splits.duplicates_removed == 0 and len(splits.kept) == 101
    assert "copies" not in splits.description


def test_people_who_share_every_model_input_all_stay():
    frame, _ = people(400)
    assert frame[["band", "plan", "left"]].duplicated().sum() > 380  # few different inputs ...
    splits = make_splits(frame, "left", BINARY, folds=3, repeats=1)
    assert splits.duplicates_removed == 0  # ... yet every person is a row of their own
    assert len(splits.pool) + len(splits.holdout) == 400


def test_only_rows_equal_in_every_column_are_removed_and_blank_answers_are_set_aside():
    frame, _ = people(200)
    copies = frame.iloc[[5, 6, 6]]  # three copies, person_id included
    blank = frame.iloc[[7, 8, 8, 9]].assign(left=[None, " ", " ", ""])  # no answer (one twice)
    data = pd.concat([frame, copies, blank], ignore_index=True)
    splits = make_splits(data, "left", BINARY, folds=3, repeats=1)
    assert splits.duplicates_removed == 3
    assert splits.missing_target_removed == 4
    assert len(splits.kept) == 200 and set(splits.kept.tolist()) == set(range(200))
    _assert_clean(splits)


def test_a_table_of_few_columns_of_few_values_and_no_id_keeps_its_identical_rows():
    frame, _ = people(400)
    survey = frame.drop(columns=["person_id"])  # 12 possible rows: nearly every row has a twin
    copies = whole_row_copies(survey, "left")
    assert copies.identical == 388 and copies.removed == 0 and copies.chance_pairs > 1_000
    splits = make_splits(survey, "left", BINARY, folds=3, repeats=1)
    assert splits.duplicates_removed == 0 and splits.identical_kept == 388
    assert len(splits.pool) + len(splits.holdout) == 400
    assert "388 rows share every value with another row, as expected with so few columns, and all stay" in (
        splits.description)


def test_far_more_identical_rows_than_chance_still_all_stay_and_the_splits_say_so():
    rng = np.random.default_rng(4)
    survey = pd.DataFrame({**{f"q{i}": rng.integers(1, 7, 600) for i in range(1, 6)},
                           "left": rng.choice(["yes", "no"], 600)})
    at_chance = whole_row_copies(survey, "left")
    assert at_chance.removed == 0 and not at_chance.beyond_chance  # a few pairs, as chance gives
    twice = pd.concat([survey, survey.iloc[:40]], ignore_index=True)  # 40 answers entered again
    copies = whole_row_copies(twice, "left")
    assert copies.removed == 0 and copies.beyond_chance and copies.pairs >= 2 * copies.chance_pairs >= 2
    splits = make_splits(twice, "left", BINARY, folds=3, repeats=1)
    assert splits.duplicates_removed == 0 and len(splits.pool) + len(splits.holdout) == 640
    assert splits.to_dict()["identical_rows_beyond_chance"] is True
    assert "more often than chance gives (some may be copies: see the Check page), and all stay" in (
        splits.description)


def test_a_file_pasted_twice_loses_the_second_copy_of_every_row():
    frame, _ = people(100)
    twice = pd.concat([frame, frame], ignore_index=True)
    copies = whole_row_copies(twice, "left")
    assert copies.removed == 100 and copies.chance_pairs == 0.0  # person_id tells the records apart
    splits = make_splits(twice, "left", BINARY, folds=3, repeats=1)
    assert set(splits.kept.tolist()) == set(range(100))


def test_rows_without_a_target_are_left_out():
    frame, _ = learnable(100)
    frame.loc[[3, 4], "target"] = None
    splits = make_splits(frame, "target", BINARY, folds=3, repeats=1)
    assert splits.missing_target_removed == 2
    assert 3 not in splits.kept and 4 not in splits.kept


def test_grouped_folds_never_split_a_group():
    frame, _ = learnable(300)
    frame["customer"] = np.random.default_rng(0).integers(0, 40, size=300)
    splits = make_splits(frame, "target", BINARY, folds=4, repeats=2, seed=1, group="customer")
    assert splits.kind == "grouped" and splits.n_splits == 8
    groups = frame["customer"].to_numpy()
    hold_groups = set(groups[splits.holdout])
    assert not hold_groups & set(groups[splits.pool])
    for train, test in splits.pairs:
        assert not set(groups[train]) & set(groups[test])
    _assert_clean(splits)


def test_grouped_numbers_use_group_kfold():
    frame, _ = numbers(200)
    frame["store"] = np.arange(200) % 25
    splits = make_splits(frame, "price", NUMERIC, folds=3, repeats=1, group="store")
    groups = frame["store"].to_numpy()
    for train, test in splits.pairs:
        assert not set(groups[train]) & set(groups[test])


def test_time_order_tests_on_later_rows_and_keeps_the_last_rows():
    frame, _ = learnable(200)
    splits = make_splits(frame, "target", BINARY, folds=4, seed=0, time_ordered=True, repeats=3)
    assert splits.kind == "time" and splits.repeats == 1 and splits.n_splits == 4
    np.testing.assert_array_equal(splits.holdout, np.arange(160, 200))
    for train, test in splits.pairs:
        assert train.max() < test.min()
    assert "only one way" in splits.reason


@pytest.mark.parametrize("rows, repeats", [(500, 5), (20_000, 5), (20_001, 3), (50_000, 3), (100_000, 2),
                                           (100_001, 1)])
def test_repeats_adapt_to_size_and_say_why(rows, repeats):
    reps, why = auto_repeats(rows)
    assert reps == repeats
    assert f"{rows:,} rows" in why


def test_the_chosen_repeats_are_reported():
    frame, _ = learnable(100)
    auto = make_splits(frame, "target", BINARY, folds=3)
    assert auto.repeats == 5 and "repeated 5 times because the data has 100 rows" in auto.reason
    chosen = make_splits(frame, "target", BINARY, folds=3, repeats=2)
    assert chosen.reason == "You chose to repeat the 3-fold split twice."
    assert chosen.to_dict()["train_rows"] == 80 and chosen.to_dict()["holdout_rows"] == 20


def test_a_class_too_small_for_the_folds_is_a_plain_error():
    frame, _ = learnable(100)
    frame.loc[:3, "target"] = "rare"
    with pytest.raises(BadChoiceError, match=r"The class 'rare' of 'target' has only 4 rows"):
        make_splits(frame, "target", TaskInfo("multiclass", "t", ("no", "rare", "yes")), folds=5)


def test_too_few_groups_is_a_plain_error():
    frame, _ = learnable(100)
    frame["family"] = np.arange(100) % 4
    with pytest.raises(BadChoiceError, match="has only 4 different values"):
        make_splits(frame, "target", BINARY, folds=5, group="family")


@pytest.mark.parametrize("kwargs, match", [
    ({"folds": 1}, "1 folds is not possible"),
    ({"holdout": 0.9}, "Keeping 90% of rows aside"),
    ({"group": "x0", "time_ordered": True}, "either a group column or"),
    ({"group": "nope"}, "no group column 'nope'"),
])
def test_impossible_choices_are_plain_errors(kwargs, match):
    frame, _ = learnable(100)
    with pytest.raises(BadChoiceError, match=match):
        make_splits(frame, "target", BINARY, **kwargs)


# --- copies found with little memory (duplicated_rows) ---------------------------------------------------
def test_duplicated_rows_finds_exactly_the_rows_pandas_calls_copies():
    from fairtrial.splits import duplicated_rows

    rng = np.random.default_rng(11)
    for _ in range(40):
        n = int(rng.integers(1, 300))
        frame = pd.DataFrame({
            "zero": rng.choice([0.0, -0.0, 1.5, np.nan], n),  # 0.0 and -0.0 are the same value
            "text": rng.choice(np.array(["x", "y", None, np.nan], dtype=object), n),
            "flag": rng.choice([True, False], n),
            "count": pd.array(rng.choice([1, 2, None], n), dtype="Int64"),
            "mixed": rng.choice(np.array([1, "1", 2.0, None], dtype=object), n),
            "day": pd.to_datetime(rng.choice(["2024-01-01", "2024-01-02", None], n)),
        })
        assert np.array_equal(duplicated_rows(frame), frame.duplicated(keep="first").to_numpy())
    assert not duplicated_rows(pd.DataFrame({"a": []})).any()
