"""Hostile input files on the command line: one plain line and the work goes on, or one
``error:`` line and exit 2; never a traceback, a numpy warning or a raw scikit-learn message."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cli_helpers import run_process


def _frame(n: int = 200, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"a": rng.normal(size=n).round(4), "b": rng.normal(size=n).round(4)})
    frame["y"] = (2 * frame["a"] + rng.normal(size=n)).round(4)
    frame["passed"] = np.where(frame["a"] + rng.normal(size=n) > 0, "yes", "no")
    return frame


def _clean_stderr(err: str) -> None:
    assert "Traceback" not in err and "RuntimeWarning" not in err and "internal problem" not in err
    assert "dtype('float64')" not in err and ".py:" not in err


def test_infinite_numbers_in_a_number_target_are_read_as_empty_in_check_and_compare(tmp_path):
    frame = _frame().astype({"y": object})
    frame.loc[[3, 7], "y"] = "inf"
    frame.loc[9, "y"] = "-inf"
    path = tmp_path / "inf_target.csv"
    frame.to_csv(path, index=False)
    db = tmp_path / "ft.duckdb"
    res = run_process("--db", db, "check", path, "--target", "y", "--json")
    assert res.code == 0, res.err
    _clean_stderr(res.err)
    assert "'y' had 3 infinite values (like 'inf')" in res.err
    res = run_process("--db", db, "compare", path, "--target", "y", "--a", "simple", "--b", "tree",
                      "--folds", "3", "--repeats", "1", "--quiet", "--json")
    assert res.code == 0, res.err
    _clean_stderr(res.err)
    assert res.json()["trial_id"] >= 1


def test_infinite_and_huge_numbers_in_a_feature_do_not_break_a_trial(tmp_path):
    frame = _frame().astype({"b": object})
    frame.loc[[3, 7], "b"] = "inf"
    frame.loc[9, "b"] = "1e308"
    path = tmp_path / "inf_feature.csv"
    frame.to_csv(path, index=False)
    res = run_process("--db", tmp_path / "ft.duckdb", "compare", path, "--target", "passed", "--a", "simple",
                      "--b", "tree", "--folds", "3", "--repeats", "1", "--quiet", "--json")
    assert res.code == 0, res.err
    _clean_stderr(res.err)
    assert "'b' had 2 infinite values (like 'inf') and 1 number of 1e+38 or more" in res.err


def test_import_and_check_of_a_pipe_end_at_once_with_one_line(tmp_path):
    import os

    fifo = tmp_path / "rows.csv"
    os.mkfifo(fifo)
    for args in (("import", fifo), ("check", fifo, "--target", "y")):
        res = run_process("--db", tmp_path / "ft.duckdb", *args, timeout=60)
        assert res.code == 2 and res.out == ""
        assert res.err == "error: 'rows.csv' is a pipe, not a plain file. Save the table as a CSV or Excel file " \
                          "and pick that file.\n"
