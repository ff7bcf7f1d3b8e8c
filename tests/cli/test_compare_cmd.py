"""`fairtrial compare`, `history` and `report`: the promised JSON on stdout, progress on
stderr, reports on disk, and one plain `error:` line with exit code 2 for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from fairtrial.recipes import RECIPE_NAMES

from cli_helpers import run_cli, run_process

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"
STUDENTS = SAMPLES / "students.csv"
FAST = ("--folds", "3", "--repeats", "1", "--seed", "7")
TOP_KEYS = {"trial_id", "task", "primary_metric", "a", "b", "baseline", "difference", "verdict", "cost",
            "calibration", "importance", "groups"}
ARM_KEYS = {"recipe", "fold_scores", "mean", "holdout", "beats_baseline"}
BASELINE_KEYS = {"recipe", "fold_scores", "mean"}
DIFFERENCE_KEYS = {"mean", "ci_low", "ci_high", "p_value", "b_wins", "splits"}


def compare(capsys, *args: str, file: Path = STUDENTS, target: str = "passed"):
    return run_cli(capsys, "compare", file, "--target", target, "--a", "simple", "--b", "tree", *FAST, *args)


def strict_json(text: str):
    return json.loads(text, parse_constant=lambda c: pytest.fail(f"non-standard JSON constant {c}"))


def assert_one_error_line(res, *words: str) -> None:
    assert res.code == 2, (res.code, res.err)
    assert res.out == ""
    assert res.err.startswith("error: ") and res.err.count("\n") == 1, res.err
    assert "Traceback" not in res.err
    for word in words:
        assert word in res.err, (word, res.err)


# --- the JSON -------------------------------------------------------------------------------------
def test_json_holds_every_key_the_readme_promises(capsys):
    res = compare(capsys, "--json")
    assert res.code == 0, res.err
    data = strict_json(res.out)  # stdout is nothing but the JSON document

    assert TOP_KEYS <= set(data)
    assert isinstance(data["trial_id"], int)
    assert data["task"] == "binary" and data["primary_metric"] == "accuracy"
    assert ARM_KEYS <= set(data["a"]) and ARM_KEYS <= set(data["b"])
    assert BASELINE_KEYS <= set(data["baseline"])
    assert (data["a"]["recipe"], data["b"]["recipe"], data["baseline"]["recipe"]) == ("simple", "tree", "baseline")
    for role in ("a", "b", "baseline"):
        scores = data[role]["fold_scores"]
        assert len(scores) == 3 and all(0 <= s <= 1 for s in scores)
        assert data[role]["mean"] == pytest.approx(np.mean(scores))
    for role in ("a", "b"):
        assert isinstance(data[role]["beats_baseline"], bool)
        assert 0 <= data[role]["holdout"] <= 1
    assert DIFFERENCE_KEYS <= set(data["difference"])
    diff = data["difference"]
    assert diff["ci_low"] <= diff["mean"] <= diff["ci_high"]
    assert 0 <= diff["p_value"] <= 1 and diff["splits"] == 3 and 0 <= diff["b_wins"] <= 3
    assert data["verdict"]["winner"] in ("a", "b", "none")
    assert isinstance(data["verdict"]["text"], str) and data["verdict"]["text"]
    assert set(data["cost"]) == {"a", "b", "baseline"}
    assert {"fit_seconds", "predict_ms_per_1000", "model_bytes"} <= set(data["cost"]["a"])
    assert isinstance(data["calibration"], dict) and {"a", "b"} <= set(data["calibration"])
    assert data["importance"] and {"arm", "column", "importance"} <= set(data["importance"][0])
    assert data["groups"] == {}, "no --sensitive: no group results"


def test_progress_goes_to_stderr_and_quiet_silences_it(capsys):
    res = compare(capsys, "--json")
    assert res.code == 0
    assert "%" in res.err and "Split 600 rows" in res.err
    assert f"Trial {res.json()['trial_id']} stored" in res.err
    quiet = compare(capsys, "--json", "--quiet")
    assert quiet.code == 0
    assert "%" not in quiet.err and "stored" in quiet.err
    assert quiet.json()["a"]["fold_scores"] == res.json()["a"]["fold_scores"]


def test_text_output_starts_with_the_verdict(capsys):
    res = compare(capsys)
    assert res.code == 0, res.err
    verdict = run_cli(capsys, "history", "--json").json()[0]["verdict"]
    assert res.out.startswith(verdict + "\n")
    assert "Main score: accuracy." in res.out
    with pytest.raises(json.JSONDecodeError):
        json.loads(res.out)


def test_sensitive_columns_give_group_results_and_both_reports_are_written(capsys, tmp_path):
    xlsx, html = tmp_path / "out.xlsx", tmp_path / "out.html"
    res = compare(capsys, "--sensitive", "ethnicity", "--report", xlsx, "--html", html, "--json",
                  file=SAMPLES / "loans.csv", target="approved")
    assert res.code == 0, res.err
    data = strict_json(res.out)
    assert list(data["groups"]) == ["ethnicity"]
    assert {"groups", "metrics", "findings", "proxies"} <= set(data["groups"]["ethnicity"])
    assert "ethnicity" not in data["a"]["columns"]
    assert f"Excel report written to {xlsx}" in res.err and f"HTML summary written to {html}" in res.err
    wb = load_workbook(xlsx, read_only=True)
    try:
        assert "Provenance" in wb.sheetnames
    finally:
        wb.close()
    page = html.read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html") and "ethnicity" in page


def test_history_lists_the_trial_newest_first(capsys):
    first = compare(capsys, "--json", "--quiet").json()["trial_id"]
    second = compare(capsys, "--json", "--quiet", "--seed", "8").json()["trial_id"]
    rows = run_cli(capsys, "history", "--json").json()
    assert [r["trial_id"] for r in rows] == [second, first]
    assert rows[0]["dataset"] == "students" and rows[0]["target"] == "passed"
    assert (rows[0]["a"], rows[0]["b"], rows[0]["seed"]) == ("simple", "tree", 8)
    text = run_cli(capsys, "history")
    assert f"{first:>4}  " in text.out and "simple vs tree predicting 'passed'" in text.out


# --- report ---------------------------------------------------------------------------------------
def test_report_writes_the_workbook_of_a_stored_trial(capsys, tmp_path):
    trial_id = compare(capsys, "--json", "--quiet").json()["trial_id"]
    out = tmp_path / "again.xlsx"
    res = run_cli(capsys, "report", trial_id, "-o", out)
    assert res.code == 0, res.err
    assert out.read_bytes()[:2] == b"PK" and res.out == ""


def test_report_without_an_output_file_is_a_plain_error(capsys):
    trial_id = compare(capsys, "--json", "--quiet").json()["trial_id"]
    assert_one_error_line(run_cli(capsys, "report", trial_id), "Say where to write the report", "-o report.xlsx")


def test_report_of_an_unknown_trial_says_there_is_no_such_trial(capsys, tmp_path):
    out = tmp_path / "x.xlsx"
    assert_one_error_line(run_cli(capsys, "report", "999", "-o", out), "There is no trial number 999")
    assert not out.exists()


# --- bad input ------------------------------------------------------------------------------------
@pytest.fixture
def one_value_target(tmp_path) -> Path:
    rng = np.random.default_rng(0)
    path = tmp_path / "one_value.csv"
    pd.DataFrame({"x": rng.normal(size=60).round(2), "colour": rng.choice(["red", "blue"], 60),
                  "answer": "yes"}).to_csv(path, index=False)
    return path


def test_an_unknown_target_suggests_the_closest_column(capsys):
    res = run_cli(capsys, "compare", STUDENTS, "--target", "pased", "--a", "simple", "--b", "tree", *FAST)
    assert_one_error_line(res, "no column to predict called 'pased'", "Did you mean 'passed'?")


def test_a_target_with_one_value_has_nothing_to_predict(capsys, one_value_target):
    res = run_cli(capsys, "compare", one_value_target, "--target", "answer", "--a", "simple", "--b", "tree", *FAST)
    assert_one_error_line(res, "have the same one ('yes')", "nothing to predict")


def test_an_unknown_recipe_lists_the_recipe_names(capsys):
    res = run_cli(capsys, "compare", STUDENTS, "--target", "passed", "--a", "simple", "--b", "forrest", *FAST)
    assert_one_error_line(res, "Unknown recipe 'forrest'", "Choose one of: " + ", ".join(RECIPE_NAMES))


def test_a_holdout_given_as_a_percentage_suggests_the_share(capsys):
    res = run_cli(capsys, "compare", STUDENTS, "--target", "passed", "--a", "simple", "--b", "tree", "--holdout", "20")
    assert_one_error_line(res, "--holdout 20", "--holdout 0.2")


def test_a_missing_file_is_a_plain_error(capsys, tmp_path):
    res = run_cli(capsys, "compare", tmp_path / "nope.csv", "--target", "passed", "--a", "simple", "--b", "tree")
    assert_one_error_line(res, "There is no file called", "nope.csv")


def test_bad_input_stores_no_trial(capsys, one_value_target):
    run_cli(capsys, "compare", one_value_target, "--target", "answer", "--a", "simple", "--b", "tree", *FAST)
    run_cli(capsys, "compare", STUDENTS, "--target", "pased", "--a", "simple", "--b", "tree", *FAST)
    assert run_cli(capsys, "history", "--json").json() == []
    assert run_cli(capsys, "models", "--json").json() == []


@pytest.mark.parametrize("args, words", [
    (("--target", "pased", "--a", "simple", "--b", "tree"), "Did you mean 'passed'?"),
    (("--target", "passed", "--a", "simple", "--b", "tree", "--holdout", "20"), "--holdout 0.2"),
])
def test_bad_input_in_a_real_process_exits_2_with_one_line_and_no_traceback(args, words):
    res = run_process("compare", STUDENTS, *args, "--json")
    assert_one_error_line(res, words)


@pytest.mark.slow
def test_bad_input_found_while_the_workers_start_is_still_one_line(tmp_path):
    """The workers start before the file is read; an error found meanwhile ends them at once,
    with no warning from their start and no file of theirs left behind."""
    import os

    env = {**os.environ, "FAIRTRIAL_PARALLEL_FOLDS_ROWS": "100", "TMPDIR": str(tmp_path),
           "FAIRTRIAL_DB": str(tmp_path / "ft.duckdb")}
    for _ in range(5):  # ended in the middle of their start, they printed more in about half the runs
        res = run_process("compare", STUDENTS, "--target", "pased", "--a", "simple", "--b", "boosting", env=env)
        assert_one_error_line(res, "Did you mean 'passed'?")
        assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("ft.duckdb")] == []


# --- the expected time, before a long trial (issue 14) ---------------------------------------------
def test_a_trial_longer_than_the_setting_is_announced_with_its_expected_time(capsys, monkeypatch):
    monkeypatch.setenv("FAIRTRIAL_TRIAL_TIME_WARNING_SECONDS", "0")
    res = compare(capsys, "--json")
    assert res.code == 0, res.err
    first = res.err.splitlines()[0]
    assert first.startswith("This trial will take about ") and "re-splits" in first, res.err
    assert "estimate" not in strict_json(res.out)  # the JSON keeps its keys


def test_a_short_trial_starts_without_a_word_about_time(capsys):
    res = compare(capsys, "--json")
    assert res.code == 0, res.err
    assert "This trial will take" not in res.err


def test_b_without_puts_A_with_a_column_against_the_same_recipe_without_it(capsys):
    res = run_cli(capsys, "compare", STUDENTS, "--target", "passed", "--a", "simple", "--b", "simple", *FAST,
                  "--b-without", "hours_studied", "--json")
    assert res.code == 0, res.err
    data = strict_json(res.out)
    assert "hours_studied" in data["a"]["columns"] and "hours_studied" not in data["b"]["columns"]
    assert data["plan"]["recipe_b"]["without"] == ["hours_studied"]
    assert data["b"]["recipe_options"]["without"] == ["hours_studied"]
    assert "B is the same recipe as A without the column 'hours_studied'" in data["verdict"]["text"]


def test_b_without_an_unknown_column_is_one_plain_error(capsys):
    res = compare(capsys, "--b-without", "hours")
    assert_one_error_line(res)
    assert "--b-without: there is no column 'hours' in 'students'." in res.err


def test_report_writes_the_one_page_class_handout(capsys, tmp_path):
    trial_id = compare(capsys, "--json", "--quiet").json()["trial_id"]
    out = tmp_path / "handout.html"
    res = run_cli(capsys, "report", trial_id, "--handout", out)
    assert res.code == 0, res.err
    page = out.read_text(encoding="utf-8")
    assert "FairTrial class handout" in page and "@media print" in page
    assert f"One-page class handout written to {out}" in res.err


# --- what a benchmark reads (issue 13) ---------------------------------------------------------------
def test_timings_adds_the_seconds_of_each_step_to_the_json(capsys):
    res = compare(capsys, "--json", "--timings")
    assert res.code == 0, res.err
    data = strict_json(res.out)
    seconds = data["timings"]
    for step in ("read", "kinds", "hash", "storage", "checks", "fold fits", "final fits", "holdout",
                 "importance", "robustness", "groups", "command"):
        assert step in seconds, step
    assert all(isinstance(v, float) and v >= 0 for v in seconds.values())
    steps = sum(v for k, v in seconds.items() if k not in ("command", "start-up and imports"))
    assert abs(steps - seconds["command"]) < 0.05  # the steps (with "other") add up to the command
    assert "timings" not in strict_json(compare(capsys, "--json").out)  # only when asked for


def test_compare_does_not_load_what_only_the_reports_and_the_app_need(tmp_path):
    probe = ("import sys; from fairtrial.cli import main; "
             f"code = main(['--db', {str(tmp_path / 'ft.duckdb')!r}, 'compare', {str(STUDENTS)!r}, '--target', "
             "'passed', '--a', 'simple', '--b', 'boosting', '--folds', '3', '--repeats', '1', '--json', '--quiet']); "
             "sys.stdout = sys.__stderr__; "
             "print('LOADED', sorted(m for m in ('openpyxl', 'plotly', 'streamlit') if m in sys.modules)); "
             "raise SystemExit(code)")
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "LOADED []" in proc.stderr, proc.stderr[-500:]


def test_compare_starts_the_workers_before_it_reads_a_text_file(capsys, monkeypatch):
    """The workers' start-up (the fork server's imports, about 1.5 s) overlaps this process's
    imports, the reading and the checks: the first call comes with a guess of the rows from the
    file's size, before the file is read."""
    from fairtrial import load, workers

    calls = []
    monkeypatch.setattr(workers, "start_early", lambda rows: calls.append(("start", rows)))
    real = load.load_file
    monkeypatch.setattr(load, "load_file", lambda *a, **k: (calls.append(("read", None)), real(*a, **k))[1])
    assert compare(capsys, "--json").code == 0
    rows = len(pd.read_csv(STUDENTS))
    assert calls[0] == ("start", int(rows * 0.8)) and calls[1] == ("read", None)
    assert calls[2] == ("start", int(rows * 0.8))  # again after reading: an Excel file, or a wrong guess


def test_the_row_guess_counts_a_small_file_and_scales_a_big_one(tmp_path):
    from fairtrial.cli.common import rough_row_count

    small = tmp_path / "small.csv"
    small.write_text("a,b\n1,2\n3,4\n5,6")  # no line break after the last row
    assert rough_row_count(str(small)) == 3
    big = tmp_path / "big.csv"
    pd.DataFrame({"x": np.arange(200_000), "y": np.arange(200_000) % 7}).to_csv(big, index=False)
    assert 180_000 <= rough_row_count(str(big)) <= 220_000  # from its first megabyte only
    (tmp_path / "one_line.csv").write_text("a,b,c")
    for name in ("one_line.csv", "missing.csv", "table.xlsx"):
        assert rough_row_count(str(tmp_path / name)) is None


def test_only_the_command_lines_own_process_freezes_its_objects_for_the_garbage_collector(capsys, tmp_path):
    """After its imports, ``fairtrial compare`` tells the garbage collector to leave the objects
    made so far alone (they live until the end); a program that calls ``main`` (the tests,
    another tool) keeps its collector as it was."""
    import gc
    import subprocess
    import sys

    before = gc.get_freeze_count()
    assert compare(capsys, "--json").code == 0
    assert gc.get_freeze_count() == before
    probe = ("import gc, sys; import fairtrial.workflow as w; real = w.run_compare; "
             "w.run_compare = lambda *a, **k: (print('FROZEN', gc.get_freeze_count() > 0, file=sys.__stderr__), "
             "real(*a, **k))[1]; from fairtrial.cli import run; "
             f"sys.argv = ['fairtrial', '--db', {str(tmp_path / 'ft.duckdb')!r}, 'compare', {str(STUDENTS)!r}, "
             "'--target', 'passed', '--a', 'simple', '--b', 'tree', '--folds', '3', '--repeats', '1', '--quiet']; run()")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "FROZEN True" in proc.stderr


@pytest.mark.slow
def test_the_command_line_with_its_fork_server_gives_the_numbers_of_a_trial_run_here(capsys, tmp_path, monkeypatch):
    """The same trial in a real ``fairtrial compare`` (workers from the fork server, the final
    models' files made in the workers) and in this process (loky's workers): the same numbers,
    and the model file made in a worker scores new rows."""
    args = ["compare", STUDENTS, "--target", "passed", "--a", "simple", "--b", "boosting", "--folds", "3",
            "--repeats", "1", "--seed", "3", "--json", "--quiet"]
    monkeypatch.setenv("FAIRTRIAL_PARALLEL_FOLDS_ROWS", "10")
    here = run_cli(capsys, "--db", tmp_path / "here.duckdb", *args)
    assert here.code == 0, here.err
    import os
    import sys

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    there = run_process("--db", tmp_path / "there.duckdb", *args, env=env)
    assert there.code == 0, there.err
    a, b = here.json(), there.json()
    for key in ("a", "b", "baseline"):
        assert (b[key]["fold_scores"], b[key]["holdout"]) == (a[key]["fold_scores"], a[key]["holdout"])
    assert b["importance"] == a["importance"] and b["verdict"]["text"] == a["verdict"]["text"]
    models = run_process("--db", tmp_path / "there.duckdb", "models", "--json", env=env).json()
    model_b = next(m["model_id"] for m in models if m["metadata"]["arm"] == "b")
    scored = run_process("--db", tmp_path / "there.duckdb", "predict", STUDENTS, "--model", str(model_b), "--json",
                         env=env)
    assert scored.code == 0, scored.err
    assert scored.json()["model_id"] == model_b and len(scored.json()["predictions"]) == scored.json()["rows"] > 0

