"""`fairtrial import` and `fairtrial datasets`: JSON on stdout, one plain error line, exit codes."""

from __future__ import annotations

import pytest

from fairtrial.samples import SAMPLES

from pathlib import Path
from cli_helpers import run_cli, run_process

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_data"

SAMPLE_FILES = sorted(p.name for p in SAMPLE_DIR.glob("*") if p.suffix in (".csv", ".xlsx"))


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_import_prints_the_promised_json_for_every_sample(capsys, name):
    res = run_cli(capsys, "import", SAMPLE_DIR / name, "--json")
    assert res.code == 0, res.err
    data = res.json()
    assert {"dataset_id", "name", "sha256", "rows", "columns", "kinds"} <= set(data)
    assert data["rows"] > 0 and data["columns"] == len(data["kinds"])
    assert len(data["sha256"]) == 64
    assert set(data["kinds"].values()) <= {"number", "category", "boolean", "date", "text", "id"}


def test_importing_the_same_file_twice_reuses_the_dataset(capsys):
    first = run_cli(capsys, "import", SAMPLE_DIR / "students.csv", "--json").json()
    second = run_cli(capsys, "import", SAMPLE_DIR / "students.csv", "--json")
    assert second.json()["dataset_id"] == first["dataset_id"]
    assert second.json()["reused"] is True
    assert "already stored" in second.err
    listed = run_cli(capsys, "datasets", "--json").json()
    assert [d["dataset_id"] for d in listed] == [first["dataset_id"]]


def test_the_sheet_option_picks_an_excel_sheet(capsys):
    sample = next(s for s in SAMPLES if s.file.endswith(".xlsx"))
    res = run_cli(capsys, "import", sample.path, "--sheet", sample.sheet, "--json")
    assert res.code == 0, res.err
    assert sample.target in res.json()["kinds"]


def test_an_unknown_sheet_is_a_plain_error(capsys):
    sample = next(s for s in SAMPLES if s.file.endswith(".xlsx"))
    res = run_cli(capsys, "import", sample.path, "--sheet", "No such sheet")
    assert res.code == 2
    assert res.err.startswith("error: ") and res.err.count("\n") == 1
    assert sample.sheet in res.err


def test_the_db_option_wins_over_the_environment(capsys, tmp_path):
    other = tmp_path / "other.duckdb"
    run_cli(capsys, "--db", other, "import", SAMPLE_DIR / "students.csv")
    assert other.exists()
    assert run_cli(capsys, "datasets", "--json", "--db", other).json() != []
    assert run_cli(capsys, "datasets", "--json").json() == []


def test_human_output_lists_each_column_and_its_kind(capsys):
    res = run_cli(capsys, "import", SAMPLE_DIR / "students.csv")
    assert res.code == 0
    assert "passed" in res.out and "Stored 'students' as dataset" in res.err


@pytest.mark.parametrize(
    "content, filename, words",
    [
        (b"", "empty.csv", "empty"),
        (b"a,b,c\n", "header_only.csv", "no rows"),
        (b"\n\n\n", "blank.csv", "blank"),
        (b"this is not a workbook", "fake.xlsx", "Excel"),
        (b"\x00\x01\x02\x03" * 200, "binary.csv", "not readable text"),
    ],
)
def test_bad_files_exit_2_with_one_plain_line(tmp_path, content, filename, words):
    path = tmp_path / filename
    path.write_bytes(content)
    res = run_process("import", path, "--json")
    assert res.code == 2
    assert res.out == ""
    assert res.err.startswith("error: ")
    assert res.err.count("\n") == 1, res.err
    assert "Traceback" not in res.err
    assert words.lower() in res.err.lower()


def test_a_missing_file_and_a_folder_are_plain_errors(capsys, tmp_path):
    res = run_cli(capsys, "import", tmp_path / "nope.csv")
    assert res.code == 2 and "no file called" in res.err
    res = run_cli(capsys, "import", tmp_path)
    assert res.code == 2 and "is a folder" in res.err


def test_usage_mistakes_exit_2_with_one_line(capsys):
    res = run_cli(capsys, "import")
    assert res.code == 2
    assert res.err.startswith("error: ") and res.err.count("\n") == 1
    res = run_cli(capsys, "no-such-command")
    assert res.code == 2 and "invalid choice" in res.err


def test_a_bad_file_does_not_touch_what_is_stored(capsys, tmp_path):
    run_cli(capsys, "import", SAMPLE_DIR / "students.csv")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"")
    assert run_cli(capsys, "import", bad).code == 2
    assert len(run_cli(capsys, "datasets", "--json").json()) == 1


def test_datasets_on_an_empty_database_says_how_to_start(capsys):
    res = run_cli(capsys, "datasets")
    assert res.code == 0 and "fairtrial import" in res.err


# --- personal data in the store (issue 14) -------------------------------------------------------
def _emails_in_store(dataset_id: int) -> list[str]:
    from fairtrial.store import Store

    with Store().connect() as con:
        table = con.execute("SELECT content_table FROM datasets WHERE id = ?", [dataset_id]).fetchone()[0]
        return [r[0] for r in con.execute(f'SELECT email FROM "{table}"').fetchall()]


def test_import_stores_an_email_column_scrambled_and_says_so(capsys):
    churn = Path(__file__).resolve().parents[2] / "sample_data" / "churn.csv"
    res = run_cli(capsys, "import", churn, "--json")
    assert res.code == 0, res.err
    assert "FairTrial stored 'email' scrambled (personal data); the original values are not kept." in res.err
    assert "--keep-personal" in res.err
    emails = _emails_in_store(res.json()["dataset_id"])
    assert emails and not any("@" in e for e in emails)


def test_import_keep_personal_stores_the_addresses_as_they_are(capsys):
    churn = Path(__file__).resolve().parents[2] / "sample_data" / "churn.csv"
    res = run_cli(capsys, "import", churn, "--keep-personal", "--json")
    assert res.code == 0, res.err
    assert "scrambled" not in res.err
    assert all("@" in e for e in _emails_in_store(res.json()["dataset_id"]))
