"""What the target asks for: counts are numbers to predict, codes of groups stay classes."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_digits

from fairtrial.task import class_labels, detect_task, empty_target, looks_like_counts
from tests.realdata.corpus import HERE


def test_doctor_visits_are_a_count_and_the_reason_says_how_to_choose_classes():
    visits = pd.read_csv(HERE / "Ecdat_Doctor.csv")["doctor"]  # 0..48, 241 rows 0, thinning out
    info = detect_task(visits, "doctor")
    assert info.task == "numeric"
    assert "counts from 0 to 48" in info.reason and "Choose multiclass" in info.reason


def test_codes_of_groups_stay_classes_even_when_they_are_whole_numbers_from_0():
    digits = load_digits(as_frame=True).frame["target"]  # 0-9, about as many rows of each
    assert detect_task(digits, "digit").task == "multiclass"
    cover = pd.Series(np.repeat([1, 2, 3, 4, 5, 6, 7], [50, 60, 20, 5, 8, 9, 12]))  # types 1-7: not from 0
    assert detect_task(cover, "cover_type").task == "multiclass"


def test_a_few_whole_numbers_stay_classes_and_the_user_can_still_choose():
    few = pd.Series([0] * 50 + [1] * 20 + [2] * 10 + [3] * 5)  # four values: too few to call a count
    assert not looks_like_counts(few)
    assert detect_task(few, "children").task == "multiclass"
    visits = pd.Series([0] * 60 + [1] * 30 + [2] * 15 + [3] * 8 + [4] * 4 + [5] * 2 + [7] * 1)
    assert detect_task(visits, "visits").task == "numeric"
    assert detect_task(visits, "visits", override="multiclass").task == "multiclass"


def test_whole_numbers_where_zero_is_not_the_most_common_stay_classes():
    ratings = pd.Series([0] * 10 + [1] * 30 + [2] * 40 + [3] * 30 + [4] * 10 + [5] * 5)
    assert not looks_like_counts(ratings)



@pytest.mark.parametrize("values, dtype, labels, blank", [
    (["yes", "no ", " ", None, ""], "str", ["yes", "no ", " ", None, ""], [0, 0, 1, 1, 1]),
    (["yes", " ", None, np.nan], object, ["yes", " ", None, None], [0, 1, 1, 1]),
    # one key (1 == 1.0 == True) but three texts: made row by row
    ([1, True, "1", 1.0, None, False], object, ["1", "True", "1", "1.0", None, "False"], [0, 0, 0, 0, 1, 0]),
    ([True, False], bool, ["True", "False"], [0, 0]),
    ([True, None], "boolean", ["True", None], [0, 1]),
    ([1.0, 2.0, np.nan], float, ["1", "2", None], [0, 0, 1]),
    ([1, None], "Int64", ["1", None], [0, 1]),
    (["x", None], "category", ["x", None], [0, 1]),
])
def test_labels_and_blank_answers_are_the_same_when_made_once_per_value(values, dtype, labels, blank):
    """Text is made once per distinct value where that cannot change it (issue 13): the labels and
    the blank answers are what the row-by-row rule gives."""
    col = pd.Series(values * 2, dtype=dtype)
    assert [None if pd.isna(x) else x for x in class_labels(col)] == labels * 2
    assert empty_target(col).tolist() == [bool(b) for b in blank] * 2
