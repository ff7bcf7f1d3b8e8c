"""`--sample-rows N` on import, check and compare: a file above the row limit is refused with what to
do, and read as a seeded random sample when asked; the sample is said on stderr, in the JSON and in
the verdict. A small ``max_rows`` setting stands in for a huge file."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import run_cli

STUDENTS = Path(__file__).resolve().parents[2] / "sample_data" / "students.csv"  # 600 rows


@pytest.fixture(autouse=True)
def limit_400(monkeypatch):
    monkeypatch.setenv("FAIRTRIAL_MAX_ROWS", "400")


@pytest.mark.parametrize("command", [["import"], ["check", "--target", "passed"],
                                     ["compare", "--target", "passed", "--a", "simple", "--b", "tree"]])
def test_a_file_above_max_rows_gets_one_line_that_says_what_to_do(capsys, command):
    res = run_cli(capsys, command[0], STUDENTS, *command[1:])
    assert res.code == 2 and res.out == ""
    assert res.err.startswith("error: This table has about 600 rows; FairTrial reads at most 400 rows at once.")
    assert "--sample-rows 400" in res.err and len(res.err.strip().splitlines()) == 1


def test_import_reads_a_random_sample_and_says_so(capsys):
    res = run_cli(capsys, "import", STUDENTS, "--sample-rows", "300", "--json")
    assert res.code == 0, res.err
    assert res.json()["rows"] == 300
    said = "FairTrial read a random 300 of the file's 600 rows"
    assert said in res.err and any(note.startswith(said) for note in res.json()["notes"])
    again = run_cli(capsys, "import", STUDENTS, "--sample-rows", "300", "--json").json()
    assert again["reused"] is True  # the same seed reads the same rows


def test_check_json_describes_the_sample(capsys):
    res = run_cli(capsys, "check", STUDENTS, "--target", "passed", "--sample-rows", "300", "--json")
    assert res.code == 0, res.err
    assert res.json()["dataset"]["sample"] == {"rows": 300, "of": 600, "asked": 300, "seed": 42, "sampled": True}
    assert "FairTrial read a random 300 of the file's 600 rows" in res.err


def test_compare_says_in_the_verdict_that_the_table_is_a_sample(capsys):
    res = run_cli(capsys, "compare", STUDENTS, "--target", "passed", "--a", "simple", "--b", "tree", "--folds", "3",
                  "--repeats", "1", "--sample-rows", "300", "--json", "--quiet")
    assert res.code == 0, res.err
    data = res.json()
    assert data["dataset"]["rows"] == 300 and data["dataset"]["sample"]["of"] == 600
    assert ("This table is a random sample of the file it came from: FairTrial read 300 of its 600 rows (every row "
            "equally likely, seed 42), so the other 300 rows took no part in this trial.") in data["verdict"]["sentences"]
