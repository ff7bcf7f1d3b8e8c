"""Guessing what each column holds: number, category, boolean, date, text or id."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from fairtrial.kinds import infer_kind, infer_kinds, looks_like_id_name, numeric_share

N = 200
rng = np.random.default_rng(0)


def test_consecutive_integers_are_an_id():
    assert infer_kind(pd.Series(np.arange(1000, 1000 + N)), "row") == "id"


def test_integers_named_like_an_id_with_mostly_unique_values_are_an_id():
    values = pd.Series(rng.choice(10**6, size=N, replace=False))
    assert infer_kind(values, "customer_id") == "id"
    assert infer_kind(values, "amount") == "number"


def test_short_unique_codes_are_an_id():
    assert infer_kind(pd.Series([f"C{i:06d}" for i in range(N)]), "customer") == "id"


def test_emails_are_text_not_an_id():
    emails = pd.Series([f"person{i}@example.com" for i in range(N)])
    assert infer_kind(emails, "email") == "text"


@pytest.mark.parametrize(
    "values",
    [["yes", "no"], ["Y", "N"], ["true", "false"], ["ja", "nein"], [1, 0], [1.0, 0.0], [True, False]],
    ids=["yes-no", "y-n", "true-false", "ja-nein", "ints", "floats", "bools"],
)
def test_two_yes_no_values_are_boolean(values):
    col = pd.Series((values * (N // 2))[:N])
    assert infer_kind(col, "flag") == "boolean"


def test_booleans_with_gaps_are_boolean():
    assert infer_kind(pd.Series([True, None, False, True], dtype=object), "paid") == "boolean"


def test_dates_as_datetimes_and_as_text_are_dates():
    days = pd.date_range("2024-01-01", periods=N, freq="D")
    assert infer_kind(pd.Series(days), "when") == "date"
    assert infer_kind(pd.Series(days.strftime("%Y-%m-%d")), "when") == "date"
    assert infer_kind(pd.Series(days.strftime("%d/%m/%Y")), "when") == "date"


def test_fractional_numbers_are_numbers():
    assert infer_kind(pd.Series(rng.normal(50, 10, N)), "income") == "number"


def test_numbers_written_as_text_are_numbers():
    assert infer_kind(pd.Series([str(x) for x in rng.integers(0, 50, N)] + ["n/a"]), "visits") == "number"


def test_few_repeated_words_are_a_category():
    assert infer_kind(pd.Series(rng.choice(["north", "south", "east"], N)), "region") == "category"
    assert infer_kind(pd.Series(rng.integers(0, 5, 10)), "stars") == "number"


def test_long_varied_sentences_are_free_text():
    words = np.array(["good", "slow", "kind", "late", "fine", "cheap", "helpful", "rude", "fast", "clean"])
    comments = pd.Series([" ".join(rng.choice(words, 6)) + f" visit {i}" for i in range(N)])
    assert infer_kind(comments, "comment") == "text"


def test_empty_and_blank_columns_are_categories():
    assert infer_kind(pd.Series([None, None], dtype=object), "x") == "category"
    assert infer_kind(pd.Series(["", "  ", None], dtype="str"), "x") == "category"


def test_blank_strings_are_ignored_when_guessing():
    assert infer_kind(pd.Series(["yes", " ", "no", "", "yes"], dtype="str"), "x") == "boolean"


def test_infer_kinds_covers_every_column_of_a_typical_table():
    frame = pd.DataFrame({
        "customer_id": np.arange(1, N + 1),
        "email": [f"p{i}@shop.example" for i in range(N)],
        "newsletter": rng.choice(["yes", "no"], N),
        "signup": pd.date_range("2023-01-01", periods=N, freq="D"),
        "spend": rng.gamma(2.0, 30.0, N).round(2),
        "plan": rng.choice(["basic", "plus", "pro"], N),
    })
    assert infer_kinds(frame) == {
        "customer_id": "id",
        "email": "text",
        "newsletter": "boolean",
        "signup": "date",
        "spend": "number",
        "plan": "category",
    }


@pytest.mark.parametrize(("name", "expected"), [
    ("id", True), ("customer_id", True), ("CustomerID", True), ("order no", True), ("uuid", True),
    ("ref", True), ("age", False), ("identity_score", False), ("video", False), ("paid", False),
])
def test_id_like_names(name, expected):
    assert looks_like_id_name(name) is expected


def test_numeric_share_counts_values_that_read_as_numbers():
    assert numeric_share(pd.Series(["1", "2.5", "x", None])) == pytest.approx(2 / 3)
    assert numeric_share(pd.Series([1.0, 2.0])) == 1.0
    assert numeric_share(pd.Series([None, None], dtype=object)) == 0.0


def test_large_columns_are_guessed_from_an_even_sample_with_exact_counts():
    n = 50_000
    col = pd.Series(["yes", "no"] * (n // 2), dtype="str")
    col.iloc[-1] = "maybe"  # a third value anywhere makes it a category, not yes/no
    assert infer_kind(col, "answer") == "category"


def test_row_labels_with_gaps_are_an_id():
    labels = pd.Series(np.random.default_rng(0).permutation(np.arange(1, 3 * N, 3)))
    assert infer_kind(labels, "No.") == "id" and infer_kind(labels, "rownames") == "id"
    assert infer_kind(labels, "height") == "number"


def test_an_id_on_three_to_four_rows_each_is_an_id():
    ids = pd.Series(np.repeat(np.arange(5000, 5000 + N // 4), 4)[:N])
    assert infer_kind(ids, "job_id") == "id" and infer_kind(ids.astype(str), "customerId") == "id"
    assert infer_kind(ids, "zip_code") == "number" and infer_kind(ids, "visits") == "number"


def test_looks_like_id_name_reads_row_labels():
    assert all(looks_like_id_name(n) for n in ["No.", "index", "row_names", "Record Number", "Unnamed: 0"])
    assert not any(looks_like_id_name(n) for n in ["price_index", "notes", "rows_count"])


def test_numbers_of_a_week_or_a_floor_are_not_shared_ids():
    weeks = pd.Series(np.tile(np.arange(1, 53), 5)[:N])
    assert infer_kind(weeks, "week_nr") == "number" and infer_kind(weeks, "floorNo") == "number"


def test_codes_on_a_few_rows_each_are_an_id_but_codes_on_dozens_of_rows_are_a_category():
    rng = np.random.default_rng(0)
    adverts = pd.Series(rng.permutation(np.repeat([f"J-{i:04d}" for i in range(300)], 3)))
    shops = pd.Series(rng.permutation(np.repeat([f"shop_{i:03d}" for i in range(180)], 30)))
    assert infer_kind(adverts, "advert") == "id"
    assert infer_kind(shops, "shop") == "category"


def _panel(units: int = 12, years: int = 15, seed: int = 0) -> pd.DataFrame:
    """Firms observed once a year: 'firm' is the panel's unit, 'year' its time."""
    rng = np.random.default_rng(seed)
    firm = np.repeat(np.arange(1, units + 1), years)
    size = np.repeat(rng.lognormal(5, 1, units), years)
    return pd.DataFrame({"firm": firm, "year": np.tile(np.arange(1990, 1990 + years), units),
                         "value": np.round(size * rng.lognormal(0, 0.2, units * years), 1),
                         "inv": np.round(0.1 * size * rng.lognormal(0, 0.3, units * years), 2)})


def test_the_unit_of_a_panel_is_an_id_shared_by_its_rows():
    panel = _panel()
    assert infer_kinds(panel) == {"firm": "id", "year": "number", "value": "number", "inv": "number"}
    states = panel.assign(firm=panel["firm"].map(lambda i: f"s{i:02d}"))  # text labels: the same
    assert infer_kinds(states)["firm"] == "id"


@pytest.mark.parametrize("change", ["too_few_units", "no_time_column", "twice_a_year", "unbalanced"])
def test_a_repeating_category_without_the_shape_of_a_panel_is_not_an_id(change):
    panel = _panel()
    if change == "too_few_units":  # 6 regions cannot give 5 grouped folds and a held-out part
        panel = _panel(units=6, years=30)
    elif change == "no_time_column":  # a balanced design of treatments by plots is not a panel
        panel = panel.rename(columns={"year": "plot"})
    elif change == "twice_a_year":
        panel = panel.assign(year=panel["year"] // 2)
    else:  # one firm on 15 rows, the others on 3
        panel = panel[(panel["firm"] == 1) | (panel["year"] < 1993)]
    assert infer_kinds(panel)["firm"] == "number"
