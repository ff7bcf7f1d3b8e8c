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


# --- Excel decompression bombs, long cells ------------------------------------------------
import zipfile  # noqa: E402

import pytest  # noqa: E402

from fairtrial.errors import BadFileError, FileTooLargeError  # noqa: E402

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def _bomb_xlsx(path, text_mb: int, fill: bytes = b"a") -> None:
    """A tiny workbook whose text part (xl/sharedStrings.xml) unpacks to ``text_mb`` MB:
    one cell pointing at one enormous text."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/></Types>'))
        z.writestr("_rels/.rels", f'<?xml version="1.0"?><Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
                   f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook {_NS} xmlns:r="{_REL}"><sheets>'
                   '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0"?><Relationships xmlns="{_PKG}">'
                   f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
                   f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
                   '</Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0"?><worksheet {_NS}><sheetData>'
                   '<row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>')
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            f.write(f'<?xml version="1.0"?><sst {_NS}><si><t>'.encode())
            chunk = fill * (1 << 20)
            for _ in range(text_mb):
                f.write(chunk)
            f.write(b"</t></si></sst>")


def test_a_workbook_that_unpacks_past_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    # The reader (python-calamine) keeps the whole text part in memory: a 300 KB file with
    # 300 MB of text reached 2 GB of memory before this check. Here: 12 MB against 10 MB.
    monkeypatch.setenv("FAIRTRIAL_MAX_WORKBOOK_UNPACKED_MB", "10")
    path = tmp_path / "bomb.xlsx"
    _bomb_xlsx(path, 12)
    assert path.stat().st_size < 200_000
    with pytest.raises(FileTooLargeError) as err:
        load_file(path)
    text = str(err.value)
    assert text.startswith("This Excel file unpacks to 12 MB, more than FairTrial reads")
    assert "save the table as 'CSV UTF-8'" in text and "aaaa" not in text


def test_a_workbook_whose_text_part_is_too_large_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("FAIRTRIAL_MAX_WORKBOOK_SHARED_STRINGS_MB", "5")
    path = tmp_path / "texts.xlsx"
    _bomb_xlsx(path, 6)
    with pytest.raises(FileTooLargeError, match=r"unpacks to 6 MB of text \(the part that holds its texts\)"):
        load_file(path)


def test_a_workbook_that_unpacks_to_hundreds_of_times_its_size_is_refused_as_a_bomb(tmp_path):
    path = tmp_path / "ratio.xlsx"
    _bomb_xlsx(path, 70, fill=b"\0")  # 70 MB of zeros pack to about 300 KB
    with pytest.raises(FileTooLargeError, match=r"This Excel file unpacks to [\d,]+ times its size \(70 MB\)"):
        load_file(path)


def test_a_cell_longer_than_excel_allows_is_refused_in_plain_words(tmp_path, monkeypatch):
    monkeypatch.setenv("FAIRTRIAL_MAX_CELL_CHARS", "100")
    path = tmp_path / "long.csv"
    path.write_text("name,notes\nann," + "x" * 150 + "\nbob,short\n")
    with pytest.raises(FileTooLargeError) as err:
        load_file(path)
    assert str(err.value) == (
        "The column 'notes' holds a text of 150 characters; FairTrial reads at most 100 in one cell. "
        "Shorten that text (or delete the column) and try again."
    )
    long_name = tmp_path / "long_name.csv"
    long_name.write_text("y" * 150 + ",b\n1,2\n3,4\n")
    with pytest.raises(FileTooLargeError, match="^A column name holds a text of 150 characters"):
        load_file(long_name)


def test_a_very_long_name_in_a_message_is_cut_so_the_message_stays_one_short_line(tmp_path):
    path = tmp_path / "header_only.csv"
    path.write_text("z" * 5000 + ",b\n")
    with pytest.raises(BadFileError) as err:
        load_file(path)
    assert len(str(err.value)) < 300 and "zzz..." in str(err.value)


def test_a_nul_character_after_the_first_mib_is_refused_like_one_at_the_start(tmp_path):
    # The encoding sniffer reads only the first MiB; binary data further down must not be stored as text.
    from fairtrial.errors import BadFileError
    from fairtrial.load import load_file

    path = tmp_path / "late_nul.csv"
    body = "name,score\n" + "".join(f"row{i},{i % 7}\n" for i in range(120_000))  # about 1.4 MB
    path.write_bytes(body.encode() + b"bad\x00cell,3\n")
    assert path.stat().st_size > 1024 * 1024
    with pytest.raises(BadFileError, match="binary data"):
        load_file(path)
