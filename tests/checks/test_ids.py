"""ID columns: row labels that are not 1..n, and IDs shared by several rows (the trial's groups)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from .frames import base, found, run


def _row_labels(n: int, seed: int = 0) -> np.ndarray:
    """Integers from 1001 up with gaps (rows dropped before export), shuffled: not 1..n, not consecutive."""
    rng = np.random.default_rng(seed)
    return rng.permutation(np.sort(rng.choice(np.arange(1001, 1001 + 3 * n), size=n, replace=False)))


@pytest.mark.parametrize("column", ["No.", "index", "row_names", "row_nr", "Record Number", "Unnamed: 0"])
def test_integer_row_labels_with_gaps_are_ids(column):
    frame = base()
    frame.insert(0, column, _row_labels(len(frame)))
    report = run(frame)
    (finding,) = found(report, "id_like")
    assert finding.columns == (column,) and finding.action == "excluded"
    assert finding.details["repeats"] is False and report.proposed_group is None
    assert "every row has its own value" in finding.message


def _adverts(n_ads: int = 170, seed: int = 1) -> pd.DataFrame:
    """Three to four rows per job advert (one per applicant), all sharing the advert's 'job_id'."""
    rng = np.random.default_rng(seed)
    per_ad = rng.integers(3, 5, n_ads)
    frame = base(n=int(per_ad.sum()), seed=seed)
    frame.insert(0, "job_id", rng.permutation(np.repeat(rng.choice(np.arange(10_000, 99_999), n_ads, replace=False),
                                                        per_ad)))
    return frame


def test_an_id_shared_by_a_few_rows_each_is_the_trials_group():
    frame = _adverts()
    report = run(frame)
    (finding,) = found(report, "id_like")
    assert finding.columns == ("job_id",) and finding.action == "excluded"
    assert finding.details["repeats"] is True and 3.0 <= finding.details["rows_per_id"] <= 4.0
    assert finding.details["most_rows_per_id"] == 4
    assert ("rows with the same 'job_id' belong together; FairTrial keeps them on one side of every split"
            in finding.message.replace("Rows", "rows"))
    assert "3.5 rows per value on average (up to 4)" in finding.message
    assert report.proposed_group == "job_id"


def test_codes_with_digits_on_a_few_rows_each_are_a_shared_id_without_an_id_name():
    frame = _adverts()
    frame["job_id"] = "J-" + frame["job_id"].astype(str)
    frame = frame.rename(columns={"job_id": "advert"})
    report = run(frame)
    (finding,) = found(report, "id_like")
    assert finding.columns == ("advert",) and finding.details["repeats"] is True
    assert report.proposed_group == "advert"


def test_repeating_numbers_and_codes_that_describe_rows_are_not_shared_ids():
    rng = np.random.default_rng(2)
    frame = base().assign(zip_code=rng.integers(10_000, 10_150, 600), store_number=rng.integers(1, 6, 600),
                          size="M" + pd.Series(rng.integers(100, 103, 600)).astype(str))
    report = run(frame)
    assert not found(report, "id_like") and report.proposed_group is None
