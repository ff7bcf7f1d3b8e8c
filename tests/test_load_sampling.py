"""Files above ``max_rows``: a plain message that says what to do, and a seeded random sample read
instead when asked (``load_file(sample_rows=N)``). Small files with a small ``max_rows`` setting
stand in for huge ones."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from fairtrial.errors import BadFileError, TooManyRowsError
from fairtrial.load import load_file


def _csv(n: int) -> bytes:
    rng = np.random.default_rng(0)
    return pd.DataFrame({"row": np.arange(n), "shop": rng.choice(["north", "south"], n),
                         "bought": rng.choice(["no", "yes"], n)}).to_csv(index=False).encode()


@pytest.fixture
def limit_1000(monkeypatch):
    monkeypatch.setenv("FAIRTRIAL_MAX_ROWS", "1000")


def test_a_file_above_max_rows_is_refused_with_the_rows_counted_and_what_to_do(limit_1000):
    with pytest.raises(TooManyRowsError) as caught:
        load_file(_csv(3_200), filename="orders.csv")
    text = str(caught.value)
    assert text.startswith("This table has about 3,200 rows; FairTrial reads at most 1,000 rows at once.")
    assert "--sample-rows 1000" in text and "'Use a random sample' on the Upload page" in text
    assert (caught.value.rows, caught.value.limit) == (3_200, 1_000)


def test_millions_of_rows_are_said_in_millions(monkeypatch):
    monkeypatch.setenv("FAIRTRIAL_MAX_ROWS", "100000")
    with pytest.raises(TooManyRowsError, match=r"^This table has about 1\.2 million rows"):
        load_file(_csv(1_200_000), filename="orders.csv")


def test_a_sample_is_read_instead_seeded_in_file_order_and_said(limit_1000):
    ds = load_file(_csv(3_200), filename="orders.csv", sample_rows=500)
    assert ds.n_rows == 500 and ds.frame["row"].is_monotonic_increasing
    assert ds.read_options["sample"] == {"rows": 500, "of": 3_200, "asked": 500, "seed": 42, "sampled": True}
    assert ("FairTrial read a random 500 of the file's 3,200 rows (every row equally likely; seed 42, so reading "
            "the file again gives the same rows); the other 2,700 rows were left out of this dataset.") in ds.notes
    assert load_file(_csv(3_200), filename="orders.csv", sample_rows=500).sha256 == ds.sha256


def test_a_sample_of_a_file_read_in_several_chunks_is_spread_over_the_whole_file():
    ds = load_file(_csv(160_000), filename="orders.csv", sample_rows=2_000)  # chunks of 50,000 rows
    rows = ds.frame["row"].to_numpy()
    assert len(np.unique(rows)) == 2_000 and rows.max() < 160_000
    per_quarter = np.bincount(rows // 40_000, minlength=4)
    assert per_quarter.min() > 400 and per_quarter.max() < 600  # about 500 each: every row equally likely


def test_asking_for_more_rows_than_the_file_has_reads_every_row_and_says_so():
    ds = load_file(_csv(300), filename="orders.csv", sample_rows=500)
    assert ds.n_rows == 300 and ds.read_options["sample"]["sampled"] is False
    assert "You asked for a random 500 rows; the file has 300, so every row was read." in ds.notes


def test_a_sample_above_max_rows_is_refused(limit_1000):
    with pytest.raises(BadFileError, match="A sample of 5,000 rows is not possible"):
        load_file(_csv(3_200), filename="orders.csv", sample_rows=5_000)


def test_a_workbook_above_max_rows_is_refused_then_sampled(limit_1000):
    buf = io.BytesIO()
    pd.read_csv(io.BytesIO(_csv(1_500))).to_excel(buf, index=False)
    with pytest.raises(TooManyRowsError, match="^This table has about 1,500 rows"):
        load_file(buf.getvalue(), filename="orders.xlsx")
    ds = load_file(buf.getvalue(), filename="orders.xlsx", sample_rows=400)
    assert ds.n_rows == 400 and ds.frame["row"].is_monotonic_increasing
    assert ds.read_options["sample"]["of"] == 1_500
    assert any(n.startswith("FairTrial read a random 400 of the file's 1,500 rows") for n in ds.notes)


def test_a_text_file_above_the_size_limit_is_offered_as_a_sample_and_read_as_one(monkeypatch):
    monkeypatch.setenv("FAIRTRIAL_MAX_FILE_MB", "1")
    data = _csv(200_000)  # about 3 MB
    with pytest.raises(TooManyRowsError) as caught:
        load_file(data, filename="orders.csv")
    text = str(caught.value)
    fit = int(200_000 * (1 << 20) / len(data))  # rows of a file just under the limit
    assert text.startswith("This file is 3 MB, more than the 1 MB FairTrial reads.")
    assert f"or let FairTrial read a random {caught.value.limit:,} of its about 200,000 rows" in text
    assert caught.value.limit == int(float(f"{fit:.2g}")) and caught.value.rows == 200_000
    assert f"--sample-rows {caught.value.limit}" in text
    ds = load_file(data, filename="orders.csv", sample_rows=caught.value.limit)  # no size limit on a sample
    assert ds.n_rows == caught.value.limit
