"""Hostile or odd input files: no row is lost without a word, and every refusal is plain."""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd

from fairtrial.load import load_file


def _categories(n: int, seed: int = 0) -> list[str]:
    return list(np.random.default_rng(seed).choice(["yes", "no"], size=n))


def test_a_quoted_carriage_return_in_the_header_keeps_the_first_data_row(tmp_path):
    for end in ("\n", "\r\n"):
        path = tmp_path / "cr.csv"
        path.write_bytes(f'a,"b\rc",y{end}1,2,x{end}3,4,y{end}5,6,x{end}'.encode())
        ds = load_file(path)
        assert len(ds.frame) == 3, "the first data row is kept"
        assert ds.frame.iloc[:, 0].tolist() == [1, 3, 5]
        assert ds.frame.iloc[:, 2].tolist() == ["x", "y", "x"]


def test_a_quoted_line_break_of_each_kind_in_the_header_keeps_every_row(tmp_path):
    path = tmp_path / "breaks.csv"
    path.write_bytes(b'"a\r\nb","c\rd","e\nf"\n1,2,3\n4,5,6\n')
    ds = load_file(path)
    assert ds.frame.values.tolist() == [[1, 2, 3], [4, 5, 6]]


def test_a_header_of_years_over_a_column_of_categories_is_read_as_names(tmp_path):
    rng = np.random.default_rng(1)
    body = [[int(v) for v in rng.integers(0, 99, size=3)] for _ in range(40)]
    labels = _categories(40)
    path = tmp_path / "years.csv"
    path.write_text("2021,2022,2023,label\n" + "".join(f"{a},{b},{c},{y}\n" for (a, b, c), y in zip(body, labels)))
    ds = load_file(path)
    assert list(ds.frame.columns) == ["2021", "2022", "2023", "label"]
    assert len(ds.frame) == 40 and ds.frame["label"].tolist() == labels
    assert any("'label' is not one of the values below it" in n and "add a row of column names" in n
               for n in ds.notes)


def test_a_header_of_years_in_a_workbook_is_read_as_names(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([2021, 2022, "label"])
    labels = _categories(30, seed=2)
    for i, y in enumerate(labels):
        ws.append([i, 2 * i, y])
    wb.save(tmp_path / "years.xlsx")
    ds = load_file(tmp_path / "years.xlsx")
    assert list(ds.frame.columns) == ["2021", "2022", "label"] and ds.frame["label"].tolist() == labels


def test_a_first_row_of_data_with_a_free_text_column_stays_data(tmp_path):
    """Names are nearly all different, so a new name in the first row says nothing about a header."""
    names = [f"person {i}" for i in range(30)]
    path = tmp_path / "people.csv"
    path.write_text("".join(f"{i},{i * 3},{n}\n" for i, n in enumerate(names)))
    ds = load_file(path)
    assert len(ds.frame) == 30 and ds.frame.iloc[:, 2].tolist() == names
    assert not any("read as column names" in n for n in ds.notes)


def test_a_first_row_of_data_whose_category_repeats_below_stays_data(tmp_path):
    labels = _categories(30, seed=3)
    path = tmp_path / "nohead.csv"
    path.write_text("".join(f"{i},{y}\n" for i, y in enumerate(labels)))
    ds = load_file(path)
    assert len(ds.frame) == 30
    assert pd.Series(ds.frame.iloc[:, 1]).tolist() == labels


def _regression_frame(n: int = 200, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"a": rng.normal(size=n).round(4), "b": rng.normal(size=n).round(4)})
    frame["y"] = (2 * frame["a"] + rng.normal(size=n)).round(4)
    frame["passed"] = np.where(frame["a"] + rng.normal(size=n) > 0, "yes", "no")
    return frame


def test_infinite_and_huge_numbers_are_read_as_empty_with_a_note(tmp_path):
    frame = _regression_frame().astype({"y": object, "b": object})
    frame.loc[[3, 7], "y"] = "inf"
    frame.loc[9, "y"] = "-inf"
    frame.loc[11, "b"] = "1e308"
    path = tmp_path / "inf.csv"
    frame.to_csv(path, index=False)
    ds = load_file(path)
    assert ds.frame["y"].isna().sum() == 3 and ds.frame["b"].isna().sum() == 1
    assert np.isfinite(ds.frame[["a", "b", "y"]].dropna().to_numpy()).all()
    assert ("'y' had 3 infinite values (like 'inf'), which no model can use, so those cells are read as empty. "
            "If they stand for something (e.g. 'no limit'), put a real number or a word in the file instead.") in ds.notes
    assert any(n.startswith("'b' had 1 number of 1e+38 or more") and "that cell is read as empty" in n
               for n in ds.notes)


def test_a_huge_number_in_a_workbook_is_read_as_empty(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["x", "label"])
    for i, y in enumerate(_categories(20, seed=4)):
        ws.append([1e300 if i == 5 else i + 0.5, y])
    wb.save(tmp_path / "huge.xlsx")
    ds = load_file(tmp_path / "huge.xlsx")
    assert ds.frame["x"].isna().sum() == 1 and ds.frame["x"].max() == 19.5


def test_a_link_to_a_device_is_called_a_device_not_an_empty_file(tmp_path):
    import pytest

    from fairtrial.errors import BadFileError

    link = tmp_path / "null.csv"
    link.symlink_to("/dev/null")
    with pytest.raises(BadFileError, match=r"^'null.csv' is a link to a device, not a plain file\.") as caught:
        load_file(link)
    assert "empty" not in str(caught.value)
