"""Output paths (``report -o/--html``, ``compare --report/--html``, ``predict -o``) are checked before
any work: a missing folder, a folder, a link or a device is one plain ``error:`` line and exit 2."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cli_helpers import run_cli

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"


def plain_error(res, *words: str) -> None:
    assert res.code == 2, (res.code, res.err)
    assert res.err.startswith("error: ") and res.err.count("\n") == 1 and "Traceback" not in res.err
    for word in words:
        assert word in res.err


@pytest.fixture
def trial_id(capsys) -> int:
    res = run_cli(capsys, "compare", SAMPLES / "students.csv", "--target", "passed", "--a", "simple", "--b", "tree",
                  "--folds", "2", "--repeats", "1", "--seed", "1", "--json", "--quiet")
    assert res.code == 0, res.err
    return res.json()["trial_id"]


def test_report_into_a_missing_folder_is_a_plain_error(capsys, tmp_path, trial_id):
    res = run_cli(capsys, "report", trial_id, "-o", tmp_path / "nowhere" / "r.xlsx")
    plain_error(res, "The folder for", "does not exist")
    res = run_cli(capsys, "report", trial_id, "--html", tmp_path / "nowhere" / "r.html")
    plain_error(res, "does not exist")


def test_report_onto_a_folder_is_a_plain_error(capsys, tmp_path, trial_id):
    res = run_cli(capsys, "report", trial_id, "-o", tmp_path)
    plain_error(res, "is a folder, not a file", "report.xlsx")


def test_html_is_never_written_through_a_link(capsys, tmp_path, trial_id):
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me")
    link = tmp_path / "summary.html"
    link.symlink_to(victim)
    res = run_cli(capsys, "report", trial_id, "--html", link)
    plain_error(res, "link", "does not write through links")
    res = run_cli(capsys, "report", trial_id, "-o", tmp_path / "r.xlsx", "--html", link)
    plain_error(res, "link")
    assert victim.read_text() == "keep me"
    assert not (tmp_path / "r.xlsx").exists(), "nothing is written when one of the paths is refused"


def test_compare_onto_a_folder_stops_before_storing_the_trial(capsys, tmp_path):
    res = run_cli(capsys, "compare", SAMPLES / "students.csv", "--target", "passed", "--a", "simple", "--b", "tree",
                  "--folds", "2", "--repeats", "1", "--report", tmp_path, "--quiet")
    plain_error(res, "is a folder, not a file")
    assert run_cli(capsys, "history", "--json").json() == []
    assert run_cli(capsys, "datasets", "--json").json() == []


def test_compare_html_through_a_link_stops_before_any_work(capsys, tmp_path):
    (tmp_path / "s.html").symlink_to(tmp_path / "elsewhere.html")
    res = run_cli(capsys, "compare", SAMPLES / "students.csv", "--target", "passed", "--a", "simple", "--b", "tree",
                  "--html", tmp_path / "s.html", "--quiet")
    plain_error(res, "link")
    assert not (tmp_path / "elsewhere.html").exists()
    assert run_cli(capsys, "history", "--json").json() == []


def test_predict_into_a_missing_folder_or_onto_a_folder_is_a_plain_error(capsys, tmp_path):
    rows = SAMPLES / "students.csv"
    plain_error(run_cli(capsys, "predict", rows, "-o", tmp_path / "missing" / "p.csv"), "does not exist")
    plain_error(run_cli(capsys, "predict", rows, "-o", tmp_path), "is a folder, not a file", "predictions.csv")


def test_an_output_onto_a_device_is_refused(capsys, tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    plain_error(run_cli(capsys, "predict", SAMPLES / "students.csv", "-o", fifo), "not a plain file")


def test_a_plain_existing_file_is_replaced(capsys, tmp_path, trial_id):
    out = tmp_path / "r.html"
    out.write_text("old")
    res = run_cli(capsys, "report", trial_id, "--html", out)
    assert res.code == 0, res.err
    assert out.read_text() != "old"
