"""Reading CSV and Excel files: detection, clean-up, and one plain line for every bad file."""

from __future__ import annotations

import datetime as dt
import io
import string
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings as hsettings
from hypothesis import strategies as st

from fairtrial.dataset import canonical_sha256
from fairtrial.errors import BadFileError, FileTooLargeError
from fairtrial.load import SUPPORTED_EXTENSIONS, list_sheets, load_file


# ------------------------------------------------------------------------------------------
# helpers: every test file is made here, in memory or in tmp_path
# ------------------------------------------------------------------------------------------
def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    """A workbook written the fast way (openpyxl write-only), one sheet per dict entry."""
    wb = openpyxl.Workbook(write_only=True)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def encrypted_xlsx_bytes(password: str = "secret") -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = xlsx_bytes({"Data": [["a", "b"], [1, 2]]})
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(plain)).encrypt(password, out)
    return out.getvalue()


def load_csv(text: str | bytes, filename: str = "data.csv", **kw):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return load_file(data, filename=filename, **kw)


def one_line(err: pytest.ExceptionInfo) -> str:
    text = str(err.value)
    assert "\n" not in text and "Traceback" not in text
    return text


# ------------------------------------------------------------------------------------------
# The API shape others code against
# ------------------------------------------------------------------------------------------
def test_supported_extensions_are_csv_text_and_excel():
    assert SUPPORTED_EXTENSIONS == (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls")


def test_loading_a_path_gives_a_dataset_named_after_the_file(tmp_path):
    path = tmp_path / "sub" / "Customers 2024.csv"
    path.parent.mkdir()
    path.write_text("age,city\n31,Lyon\n45,Paris\n", encoding="utf-8")
    ds = load_file(path)
    assert ds.name == "Customers 2024"
    assert ds.source_file == "Customers 2024.csv"
    assert ds.dataset_id is None and ds.sheet is None
    assert ds.columns == ["age", "city"]
    assert ds.frame["age"].tolist() == [31, 45]
    assert ds.kinds == {"age": "number", "city": "category"}
    assert ds.sha256 == canonical_sha256(ds.frame)
    assert ds.read_options["delimiter"] == "," and ds.read_options["header"] is True


def test_path_and_uploaded_bytes_give_the_same_dataset(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"a;b\n1,5;x\n2,5;y\n")
    from_path = load_file(path)
    from_bytes = load_file(path.read_bytes(), filename=r"C:\Users\me\x.csv", name="mine")
    assert from_bytes.sha256 == from_path.sha256
    assert from_bytes.source_file == "x.csv" and from_bytes.name == "mine"
    assert from_bytes.notes == from_path.notes


def test_bytes_without_a_filename_are_sniffed():
    ds = load_file(b"a,b\n1,2\n")
    assert ds.columns == ["a", "b"] and ds.name == "upload"
    ds = load_file(xlsx_bytes({"S": [["a"], [1]]}))
    assert ds.sheet == "S"


# ------------------------------------------------------------------------------------------
# CSV detection
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("delimiter", "label"), [(",", "','"), (";", "';'"), ("\t", "tabs"), ("|", "'|'")])
def test_delimiter_is_detected(delimiter, label):
    rows = [["name", "score", "note"], ["Ann", "1", "a, b"], ["Bob", "2", "c"], ["Cy", "3", "d"]]
    text = "\n".join(delimiter.join(f'"{c}"' if "," in c else c for c in r) for r in rows) + "\n"
    ds = load_csv(text)
    assert ds.columns == ["name", "score", "note"]
    assert ds.frame["score"].tolist() == [1, 2, 3]
    assert ds.frame["note"].tolist() == ["a, b", "c", "d"]
    assert ds.read_options["delimiter"] == delimiter
    assert f"with {label} between values" in ds.notes[0]


def test_tsv_extension_prefers_tabs_when_equally_consistent():
    ds = load_csv("a,b\tc,d\n1,2\t3,4\n", filename="x.tsv")
    assert ds.read_options["delimiter"] == "\t"
    assert ds.columns == ["a,b", "c,d"]


def test_decimal_comma_with_dot_thousands_is_detected():
    text = "Artikel;Preis;Menge\nÄpfel;1,50;3\nBirnen;1.234,75;12\nKiwi;0,99;1\n"
    ds = load_csv(text)
    assert ds.read_options["decimal"] == "," and ds.read_options["thousands"] == "."
    assert ds.frame["Preis"].tolist() == [1.5, 1234.75, 0.99]
    assert ds.frame["Menge"].tolist() == [3, 12, 1]
    assert ds.notes[0].startswith("Read as CSV with ';' between values and ',' as the decimal mark")
    assert "Read 'Preis' as numbers with '.' between thousands." in ds.notes


def test_headerless_decimal_comma_numbers_are_split_on_semicolons():
    ds = load_csv("1,5;2,5\n3,5;4,5\n")
    assert ds.read_options["delimiter"] == ";"
    assert ds.frame.to_numpy().tolist() == [[1.5, 2.5], [3.5, 4.5]]


def test_utf8_bom_is_removed_from_the_first_column_name():
    ds = load_csv(b"\xef\xbb\xbfid,name\n1,\xc3\xa9mile\n")
    assert ds.columns == ["id", "name"]
    assert ds.frame["name"].tolist() == ["émile"]
    assert ds.read_options["encoding"] == "utf-8-sig"
    assert "(encoding UTF-8 with BOM)" in ds.notes[0]


def test_excel_unicode_text_utf16_with_tabs_is_read():
    text = "Name\tStadt\tBetrag\nJürgen\tKöln\t12\nZoë\tMünchen\t7\n"
    ds = load_csv(text.encode("utf-16"), filename="export.txt")
    assert ds.columns == ["Name", "Stadt", "Betrag"]
    assert ds.frame["Stadt"].tolist() == ["Köln", "München"]
    assert ds.read_options["encoding"] == "utf-16" and ds.read_options["delimiter"] == "\t"


def test_windows_1252_with_accents_and_euro_sign_is_read():
    text = "produit;prix;poids\nCafé crème;2,50 €;1,5\nThé;3 €;0,25\n"
    ds = load_csv(text.encode("cp1252"))
    assert ds.frame["produit"].tolist() == ["Café crème", "Thé"]
    assert ds.frame["prix"].tolist() == ["2,50 €", "3 €"]
    assert ds.frame["poids"].tolist() == [1.5, 0.25]
    assert ds.read_options["encoding"] == "cp1252"
    assert ds.notes[0] == "Read as CSV with ';' between values and ',' as the decimal mark (encoding Windows-1252)."


def test_a_non_utf8_byte_after_the_detection_sample_switches_to_windows_1252():
    body = "".join(f"{i},plain\n" for i in range(120_000))  # ~1.3 MB of ASCII
    data = ("n,word\n" + body + "120000,déjà vu\n").encode("cp1252")
    ds = load_csv(data)
    assert ds.read_options["encoding"] == "cp1252"
    assert ds.frame["word"].iloc[-1] == "déjà vu"
    assert ds.n_rows == 120_001


def test_latin1_is_used_when_windows_1252_cannot_decode():
    ds = load_csv(b"a,b\n1,x\x81y\n")
    assert ds.read_options["encoding"] == "latin-1"
    assert ds.frame["b"].tolist() == ["x\x81y"]


def test_first_row_of_numbers_means_there_is_no_header():
    ds = load_csv("5.1,3.5,setosa\n4.9,3.0,setosa\n6.3,3.3,virginica\n")
    assert ds.columns == ["column_1", "column_2", "column_3"]
    assert ds.n_rows == 3 and ds.read_options["header"] is False
    assert "The first row holds values, not column names, so the columns are named column_1 to column_3." in ds.notes


def test_numbers_over_number_columns_are_data_but_a_text_name_makes_a_header():
    ds = load_csv("2023,2024,region\n10,12,north\n11,13,south\n")
    assert ds.read_options["header"] is False  # all number columns have numbers on top: data
    ds = load_csv("sales 2023,2024,region\n10,12,north\n11,13,south\n")
    assert ds.columns == ["sales 2023", "2024", "region"]


def test_text_only_table_without_header_is_recognised_by_repeated_values():
    ds = load_csv("red,small\nblue,small\nred,large\n")
    assert ds.read_options["header"] is False
    ds = load_csv("colour,size\nred,small\nblue,large\n")
    assert ds.read_options["header"] is True


def test_single_column_file_keeps_commas_inside_values():
    ds = load_csv("comment\nHello, world\nFine\n")
    assert ds.columns == ["comment"]
    assert ds.frame["comment"].tolist() == ["Hello, world", "Fine"]


def test_iso_and_day_month_year_dates_become_dates():
    ds = load_csv("signup;last;seen\n2024-01-31;31.01.2024;2024-01-31 10:15:00\n2023-12-01;01.12.2023;\n")
    for col in ("signup", "last", "seen"):
        assert pd.api.types.is_datetime64_any_dtype(ds.frame[col]), col
    assert ds.frame["last"].tolist() == [pd.Timestamp("2024-01-31"), pd.Timestamp("2023-12-01")]
    assert pd.isna(ds.frame["seen"].iloc[1])
    assert "Read 'signup', 'last' and 'seen' as dates." in ds.notes
    assert ds.kinds["signup"] == "date"


def test_a_column_with_one_non_date_stays_text():
    ds = load_csv("d\n2024-01-31\nsoon\n2024-02-01\n")
    assert ds.frame["d"].tolist() == ["2024-01-31", "soon", "2024-02-01"]


def test_quoted_thousands_in_a_comma_file_become_numbers():
    ds = load_csv('item,amount\nA,"1,234.50"\nB,12.00\n')
    assert ds.frame["amount"].tolist() == [1234.5, 12.0]
    assert ds.read_options["thousands"] == ","


def test_a_column_mixing_numbers_and_text_across_reading_chunks_is_text():
    # pandas reads big files in chunks; a late text value must not leave a mixed column
    text = "a,b\n" + "1,x\n" * 300_000 + "abc,y\n"
    ds = load_csv(text)
    assert ds.frame["a"].dtype == "str"
    assert ds.frame["a"].iloc[0] == "1" and ds.frame["a"].iloc[-1] == "abc"


def test_excel_sep_hint_line_sets_the_separator_and_is_skipped():
    ds = load_csv("sep=;\r\nname;amount\r\nAnn;1,5\r\n")
    assert ds.columns == ["name", "amount"] and ds.frame["amount"].tolist() == [1.5]
    assert "The first line 'sep=;' only tells Excel the separator, so it was skipped." in ds.notes


def test_lines_of_spaces_above_the_table_are_skipped():
    ds = load_csv("   \n\n  \nname,age\nAnn,31\n")
    assert ds.columns == ["name", "age"] and ds.frame["age"].tolist() == [31]


def test_old_mac_line_endings_are_read():
    ds = load_csv("a,b\r1,2\r3,4\r")
    assert ds.frame.to_numpy().tolist() == [[1, 2], [3, 4]]


# ------------------------------------------------------------------------------------------
# Column names, empty rows and columns
# ------------------------------------------------------------------------------------------
def test_column_names_are_stripped_and_blank_ones_numbered():
    ds = load_csv('  age ,,"Total\n price"\n31,x,5\n')
    assert ds.columns == ["age", "column_2", "Total price"]
    assert "A column had no name; it is now 'column_2'." in ds.notes


def test_duplicate_names_get_a_suffix_and_a_note():
    ds = load_csv("price,price,price_2\n1,2,3\n")
    assert ds.columns == ["price", "price_3", "price_2"]
    assert ds.frame["price_3"].tolist() == [2]
    assert "Two columns were both called 'price'; the second is now 'price_3'." in ds.notes


def test_names_differing_only_in_capitals_clash_and_are_renamed():
    ds = load_csv("Age,age,AGE\n1,2,3\n")
    assert ds.columns == ["Age", "age_2", "AGE_3"]
    assert any("'Age', 'age' and 'AGE' differ only in capital letters" in n for n in ds.notes)


def test_three_identical_names_are_numbered_in_order():
    ds = load_csv("x,x,x\n1,2,3\n")
    assert ds.columns == ["x", "x_2", "x_3"]
    assert "Three columns were all called 'x'; they are now 'x', 'x_2' and 'x_3'." in ds.notes


def test_fully_empty_rows_are_dropped_and_counted():
    ds = load_csv("a,b\n1,x\n,\n\n2,y\n,\n")
    assert ds.frame["b"].tolist() == ["x", "y"]
    assert "Skipped 2 empty rows." in ds.notes


def test_empty_unnamed_columns_at_the_right_edge_are_dropped():
    ds = load_csv("a;b;;\n1;2;;\n3;4;;\n")
    assert ds.columns == ["a", "b"]
    assert "Ignored 2 empty columns without a name at the right edge of the table." in ds.notes


def test_named_empty_columns_are_kept():
    ds = load_csv("a,b,notes\n1,2,\n3,4,\n")
    assert ds.columns == ["a", "b", "notes"]
    assert ds.frame["notes"].isna().all()


def test_data_rows_ending_with_an_extra_separator_are_read():
    ds = load_csv("a;b\n1;2;\n3;4;\n")
    assert ds.columns == ["a", "b"] and ds.frame.to_numpy().tolist() == [[1, 2], [3, 4]]


# ------------------------------------------------------------------------------------------
# Excel workbooks
# ------------------------------------------------------------------------------------------
@pytest.fixture
def workbook() -> bytes:
    return xlsx_bytes({
        "Blank": [],
        "Sales": [
            ["id", "amount", "when", "paid", "code"],
            [1, 2.5, dt.datetime(2024, 1, 2, 9, 30), True, "A1"],
            [2, 3, dt.date(2024, 1, 3), False, 7],
            [None, None, None, None, None],
            [3, None, dt.date(2024, 1, 4), True, "B2"],
        ],
        "Other": [["x", "y"], ["a", 1]],
    })


def test_workbook_reads_first_sheet_with_data_and_keeps_types(workbook):
    ds = load_file(workbook, filename="book.xlsx")
    assert ds.sheet == "Sales" and ds.source_file == "book.xlsx"
    f = ds.frame
    assert f["id"].tolist() == [1, 2, 3] and f["id"].dtype == "int64"
    assert f["amount"].tolist()[:2] == [2.5, 3.0] and pd.isna(f["amount"].iloc[2])
    assert pd.api.types.is_datetime64_any_dtype(f["when"])
    assert f["when"].iloc[0] == pd.Timestamp("2024-01-02 09:30")
    assert f["paid"].tolist() == [True, False, True]
    assert f["code"].tolist() == ["A1", "7", "B2"]
    assert ds.kinds["when"] == "date" and ds.kinds["paid"] == "boolean"
    assert "The sheet 'Blank' is empty, so FairTrial read 'Sales'." in ds.notes
    assert "'code' mixes numbers and text, so it was read as text." in ds.notes
    assert "Skipped 1 empty row." in ds.notes


def test_workbook_sheet_can_be_chosen(workbook):
    ds = load_file(workbook, filename="book.xlsx", sheet="Other")
    assert ds.sheet == "Other" and ds.columns == ["x", "y"]


def test_list_sheets_names_every_worksheet_in_order(workbook, tmp_path):
    path = tmp_path / "book.xlsm"
    path.write_bytes(workbook)
    assert list_sheets(path) == ["Blank", "Sales", "Other"]
    assert list_sheets(workbook, filename="book.xlsx") == ["Blank", "Sales", "Other"]


def test_list_sheets_refuses_a_csv():
    with pytest.raises(BadFileError, match=r"is not an Excel workbook, so it has no sheets"):
        list_sheets(b"a,b\n1,2\n", filename="a.csv")


def test_workbook_title_row_above_the_table_is_skipped():
    data = xlsx_bytes({"S": [["Customer list, March"], [], ["name", "age", "city"], ["Ann", 31, "Oslo"]]})
    ds = load_file(data, filename="t.xlsx")
    assert ds.columns == ["name", "age", "city"] and ds.n_rows == 1
    assert "Skipped 1 title row above the table." in ds.notes


def test_workbook_without_header_gets_numbered_columns():
    ds = load_file(xlsx_bytes({"S": [[1, 2.5], [2, 3.5]]}), filename="t.xlsx")
    assert ds.columns == ["column_1", "column_2"]
    assert ds.frame["column_1"].tolist() == [1, 2]


def test_workbook_duplicate_and_numeric_header_names_are_cleaned():
    ds = load_file(xlsx_bytes({"S": [["Name", "name", 2024, None], ["a", "b", "x", 2]]}), filename="t.xlsx")
    assert ds.columns == ["Name", "name_2", "2024", "column_4"]


def test_a_csv_that_is_really_a_workbook_is_read_as_one(workbook):
    ds = load_file(workbook, filename="renamed.csv")
    assert ds.sheet == "Sales"
    assert ds.notes[0] == "The file is named .csv but is an Excel workbook, so FairTrial read it as one."


def test_same_table_as_csv_and_as_xlsx_has_the_same_sha256():
    rows = [
        ["id", "price", "city", "signup", "member"],
        [1, 9.5, "Lyon", dt.datetime(2024, 1, 31), True],
        [2, None, "Nîmes", dt.datetime(2023, 12, 1), False],
        [3, 12.25, None, dt.datetime(2024, 2, 29), True],
    ]
    csv_text = "id,price,city,signup,member\n1,9.5,Lyon,2024-01-31,True\n2,,Nîmes,2023-12-01,False\n3,12.25,,2024-02-29,True\n"
    from_csv = load_csv(csv_text)
    from_xlsx = load_file(xlsx_bytes({"Sheet1": rows}), filename="t.xlsx")
    assert from_csv.columns == from_xlsx.columns
    assert from_csv.kinds == from_xlsx.kinds
    assert from_csv.sha256 == from_xlsx.sha256


# ------------------------------------------------------------------------------------------
# Bad files: one plain line each, saying what is wrong and what to do
# ------------------------------------------------------------------------------------------
def test_empty_file_is_refused():
    with pytest.raises(BadFileError, match=r"^The file is empty \(0 bytes\)\. Check that you picked the right file"):
        load_csv(b"")


def test_file_of_only_spaces_is_refused():
    with pytest.raises(BadFileError, match=r"only spaces, no table\. Check that you picked the right file"):
        load_csv(b"    \t ")


def test_file_of_only_blank_lines_is_refused():
    with pytest.raises(BadFileError, match=r"only blank lines, no table"):
        load_csv(b"\n\r\n  \n\n")


def test_file_with_only_separators_has_no_columns():
    with pytest.raises(BadFileError, match=r"^The file has no columns: its lines hold only separators"):
        load_csv(b",,,\n,,,\n")


def test_header_without_rows_is_refused():
    with pytest.raises(BadFileError, match=r"column names \('name', 'age' and 'city'\) but no rows of data"):
        load_csv("name,age,city\n\n,,\n")


def test_sheet_with_header_only_is_refused():
    with pytest.raises(BadFileError, match=r"^The sheet 'S' has column names \('a' and 'b'\) but no rows"):
        load_file(xlsx_bytes({"S": [["a", "b"]]}), filename="t.xlsx")


def test_text_file_renamed_to_xlsx_is_refused():
    with pytest.raises(BadFileError, match=r"named \.xlsx but is not an Excel workbook \(it looks like plain text\)\. "
                                           r"If it is a CSV file, rename it to \.csv"):
        load_csv("a,b\n1,2\n", filename="data.xlsx")


def test_truncated_xlsx_is_refused(workbook):
    with pytest.raises(BadFileError, match=r"^This Excel file \('cut\.xlsx'\) is damaged or incomplete"):
        load_file(workbook[: len(workbook) // 2], filename="cut.xlsx")


def test_zip_without_a_workbook_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<doc/>")
    with pytest.raises(BadFileError, match=r"is a Word document, not an Excel workbook"):
        load_file(buf.getvalue(), filename="report.xlsx")


def test_password_protected_workbook_is_refused():
    data = encrypted_xlsx_bytes()
    assert data[:8] == bytes.fromhex("D0CF11E0A1B11AE1")
    with pytest.raises(BadFileError, match=r"^This workbook is protected with a password.*remove the password"):
        load_file(data, filename="locked.xlsx")
    with pytest.raises(BadFileError, match=r"protected with a password"):
        list_sheets(data, filename="locked.xlsx")


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        (bytes(range(256)) * 4, "binary data"),
        (b"a,b\n1,2\x00\x00\x00\n", "binary data"),
        ("a,b\n1,2\n".encode("utf-32"), "UTF-32"),
        (bytes([0x80 + (i * 7) % 32 for i in range(400)]), "binary data"),
    ],
    ids=["junk", "nul-bytes", "utf-32", "control-characters"],
)
def test_unreadable_encoding_is_refused(data, detail):
    with pytest.raises(BadFileError, match=rf"^This file is not readable text \(.*{detail}.*save it as 'CSV UTF-8'"):
        load_csv(data)


def test_file_over_the_size_limit_is_refused_before_reading():
    junk = bytes(range(256)) * 8  # would be "not readable text" if it were read
    with pytest.raises(FileTooLargeError, match=r"^This file is 2 KB, more than the 1 KB FairTrial reads\. Keep only"):
        load_csv(junk, max_bytes=1024)


def test_size_limit_comes_from_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("FAIRTRIAL_MAX_FILE_MB", "1")
    path = tmp_path / "big.csv"
    path.write_bytes(b"a\n" + b"1\n" * 600_000)
    with pytest.raises(FileTooLargeError, match=r"more than the 1 MB FairTrial reads"):
        load_file(path)


def test_too_many_rows_and_columns_are_refused(monkeypatch):
    monkeypatch.setenv("FAIRTRIAL_MAX_ROWS", "3")
    monkeypatch.setenv("FAIRTRIAL_MAX_COLUMNS", "2")
    with pytest.raises(FileTooLargeError, match=r"about 4 rows; FairTrial reads at most 3 rows at once\. FairTrial can "
                                                r"read a random 3 of them instead"):
        load_csv("a\n1\n2\n3\n4\n")
    with pytest.raises(FileTooLargeError, match=r"has 3 columns; FairTrial reads at most 2\. Delete the columns"):
        load_csv("a,b,c\n1,2,3\n")
    with pytest.raises(FileTooLargeError, match=r"about 4 rows"):
        load_file(xlsx_bytes({"S": [["a"], [1], [2], [3], [4]]}), filename="t.xlsx")


@pytest.mark.parametrize(("ext", "what"), [(".pdf", "PDF files"), (".docx", "Word documents"),
                                           (".parquet", "Parquet files"), (".dat", "'.dat' files")])
def test_unsupported_extension_names_the_supported_formats(ext, what):
    with pytest.raises(BadFileError, match=rf"^FairTrial cannot read {what}; it reads CSV \(\.csv, \.tsv, \.txt\) "
                                           r"or Excel \(\.xlsx, \.xlsm, \.xls\) files\. Save the table"):
        load_csv("a,b\n1,2\n", filename=f"table{ext}")


def test_pdf_content_with_a_csv_name_is_refused():
    with pytest.raises(BadFileError, match=r"cannot read PDF files"):
        load_csv(b"%PDF-1.7\n...", filename="table.csv")


def test_empty_sheet_is_refused_and_other_sheets_are_named(workbook):
    with pytest.raises(BadFileError, match=r"^The sheet 'Blank' is empty\. Pick another sheet \(this workbook has "
                                           r"'Sales' and 'Other'\)"):
        load_file(workbook, filename="book.xlsx", sheet="Blank")
    with pytest.raises(BadFileError, match=r"^The sheet 'S' is empty\. Put the table on this sheet"):
        load_file(xlsx_bytes({"S": []}), filename="t.xlsx")


def test_workbook_where_every_sheet_is_empty_is_refused():
    with pytest.raises(BadFileError, match=r"^Every sheet in this workbook is empty \('A' and 'B'\)"):
        load_file(xlsx_bytes({"A": [], "B": [[None, None]]}), filename="t.xlsx")


def test_unknown_sheet_names_the_available_sheets(workbook):
    with pytest.raises(BadFileError, match=r"^This workbook has no sheet called 'Sheet1'\. Pick one of its sheets: "
                                           r"'Blank', 'Sales' or 'Other'\.$"):
        load_file(workbook, filename="book.xlsx", sheet="Sheet1")


def test_ragged_row_beyond_the_first_lines_names_the_line():
    text = "a,b,c,d\n" + "1,2,3,4\n" * 99 + "1,2,3,4,5\n"
    with pytest.raises(BadFileError, match=r"^Line 101 of the file has 5 values but the header has 4\. "
                                           r"A value on that line probably contains the separator \(','\)"):
        load_csv(text)


def test_ragged_row_among_the_first_lines_names_the_line():
    with pytest.raises(BadFileError, match=r"^Line 7 of the file has 5 values but the header has 4"):
        load_csv("a;b;c;d\n" + "1;2;3;4\n" * 5 + "1;2;3;4;5\n")
    with pytest.raises(BadFileError, match=r"^Line 2 of the file has 3 values but the header has 2"):
        load_csv("a,b\n1,2,3\n4,5\n6,7\n")


def test_unclosed_quote_is_reported_with_its_line():
    with pytest.raises(BadFileError, match=r"^A quote mark \(\"\) opened near line 3 of the file is never closed"):
        load_csv('a,b\n1,2\n3,"four\n5,6\n')


def test_missing_path_and_folder_are_refused(tmp_path):
    with pytest.raises(BadFileError, match=r"^FairTrial cannot find the file 'nope\.csv'"):
        load_file(tmp_path / "nope.csv")
    with pytest.raises(BadFileError, match=r"is a folder, not a file"):
        load_file(tmp_path)


BAD_FILES = {
    "empty": (b"", "x.csv"),
    "spaces": (b"   ", "x.csv"),
    "blank-lines": (b"\n\n\n", "x.csv"),
    "separators": (b";;;\n;;;\n", "x.csv"),
    "header-only": (b"a,b\n", "x.csv"),
    "fake-xlsx": (b"hello", "x.xlsx"),
    "empty-xlsx": (b"", "x.xlsx"),
    "junk": (bytes(range(256)), "x.csv"),
    "ragged": (b"a,b\n1,2\n" * 60 + b"1,2,3\n", "x.csv"),
    "pdf": (b"%PDF-1.4", "x.pdf"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_messages_are_one_plain_line_with_advice(case):
    data, filename = BAD_FILES[case]
    with pytest.raises(BadFileError) as err:
        load_file(data, filename=filename)
    text = one_line(err)
    assert err.value.message and err.value.hint, "each message says what is wrong and what to do"
    for jargon in ("C error", "tokeniz", "Zip", "zipfile", "calamine", "pandas", "Errno", "codec"):
        assert jargon not in text


# ------------------------------------------------------------------------------------------
# Property: a small frame written as CSV comes back with the same names and values
# ------------------------------------------------------------------------------------------
_NAME = st.text(alphabet=string.ascii_letters + "_ ", min_size=1, max_size=10).map(lambda s: "c" + s.strip())
_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéü€,; ", min_size=1, max_size=8).filter(
    lambda s: s.strip() == s and s.lower() not in {"nan", "null", "none", "n/a", "na", "true", "false"}
)


@st.composite
def small_frames(draw):
    n_rows = draw(st.integers(min_value=1, max_value=12))
    n_cols = draw(st.integers(min_value=1, max_value=5))
    names = draw(st.lists(_NAME, min_size=n_cols, max_size=n_cols, unique_by=str.lower))
    columns = {}
    for name in names:
        kind = draw(st.sampled_from(["int", "float", "text"]))
        if kind == "int":
            values = draw(st.lists(st.integers(-10**6, 10**6), min_size=n_rows, max_size=n_rows))
        elif kind == "float":
            values = draw(st.lists(
                st.one_of(st.none(), st.floats(-1e5, 1e5, allow_nan=False).map(lambda x: round(x, 3))),
                min_size=n_rows, max_size=n_rows))
        else:
            values = draw(st.lists(st.one_of(st.none(), _WORD), min_size=n_rows, max_size=n_rows))
        columns[name] = values
    frame = pd.DataFrame(columns)
    assume(bool(frame.notna().any(axis=1).all()))  # fully empty rows are dropped by design
    return frame


def _cells(frame: pd.DataFrame) -> list[list]:
    out = []
    for name in frame.columns:
        col = []
        for v in frame[name].tolist():
            if v is None or (isinstance(v, float) and np.isnan(v)):
                col.append(None)
            elif isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
                col.append(float(v))
            else:
                col.append(v)
        out.append(col)
    return out


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    frame=small_frames(),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
    decimal_comma=st.booleans(),
)
def test_random_small_table_survives_a_csv_round_trip(frame, delimiter, encoding, decimal_comma):
    decimal = "," if decimal_comma and delimiter != "," else "."
    data = frame.to_csv(index=False, sep=delimiter, decimal=decimal).encode(encoding)
    ds = load_file(data, filename="t.csv")
    assert ds.columns == list(frame.columns)
    assert _cells(ds.frame) == _cells(frame)
