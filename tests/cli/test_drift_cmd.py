"""`fairtrial drift`: JSON shape on stdout, plain text, exit 0 with drift, 2 with one line on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from fairtrial.cli import commands

from cli_helpers import Result, run_cli, run_process


def _table(n: int, seed: int, shift: float = 0.0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "customer_id": np.arange(n) + 1000,
        "spend": np.round(rng.gamma(3.0, 20.0, n) + shift * 35.0, 2),
        "visits": rng.poisson(4, n),
        "channel": rng.choice(["shop", "web", "phone"], n, p=[0.5, 0.4, 0.1]),
        "bought": rng.choice(["yes", "no"], n),
    })


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("drift")
    paths = {"old": folder / "old.csv", "same": folder / "same.csv", "shifted": folder / "shifted.csv",
             "missing": folder / "missing.csv"}
    _table(3_000, 1).to_csv(paths["old"], index=False)
    _table(3_000, 2).to_csv(paths["same"], index=False)
    _table(3_000, 3, shift=1.5).to_csv(paths["shifted"], index=False)
    _table(3_000, 4).drop(columns=["spend"]).to_csv(paths["missing"], index=False)
    return paths


def test_json_has_the_promised_shape(capsys, files):
    res = run_cli(capsys, "drift", files["old"], files["shifted"], "--target", "bought", "--json")
    assert res.code == 0, res.err
    data = json.loads(res.out, parse_constant=lambda c: pytest.fail(f"non-standard JSON constant {c}"))
    assert {"reference", "new", "summary", "share_drifted", "weighted_share", "domain_auc", "blocking", "columns",
            "findings"} <= set(data)
    assert data["reference"]["name"] == "old" and data["new"]["name"] == "shifted"
    for side in ("reference", "new"):
        assert set(data[side]) == {"name", "rows", "columns", "sha256"}
        assert data[side]["rows"] == 3_000 and data[side]["columns"] == 5 and len(data[side]["sha256"]) == 64
    spend = next(c for c in data["columns"] if c["column"] == "spend")
    assert spend["drifted"] and spend["severity"] == "critical" and spend["psi"] > 0.25
    assert any(f["check"] == "column_drift" and f["columns"] == ["spend"] for f in data["findings"])
    assert data["blocking"] is False
    assert next(c for c in data["columns"] if c["column"] == "bought")["role"] == "target"


def test_same_data_exits_zero_with_no_warnings(capsys, files):
    data = run_cli(capsys, "drift", files["old"], files["same"], "--json").json()
    assert [f for f in data["findings"] if f["severity"] != "info"] == []
    assert data["share_drifted"] == 0.0 and abs(data["domain_auc"] - 0.5) < 0.06


def test_a_missing_column_is_reported_not_an_error(capsys, files):
    res = run_cli(capsys, "drift", files["old"], files["missing"], "--json")
    assert res.code == 0
    finding = next(f for f in res.json()["findings"] if f["check"] == "schema")
    assert finding["columns"] == ["spend"] and finding["severity"] == "warning"


def test_text_output_says_the_summary_and_each_column(capsys, files):
    res = run_cli(capsys, "drift", files["old"], files["shifted"])
    assert res.code == 0, res.err
    assert res.out.startswith("Old rows: old, 3,000 rows, 5 columns.\nNew rows: shifted, 3,000 rows, 5 columns.\n")
    assert "[PROBLEM] 'spend' has shifted a lot" in res.out
    assert "What to do:" in res.out
    assert "shifted a lot" in next(line for line in res.out.splitlines() if line.strip().startswith("spend"))
    assert "Not compared (IDs, dates, free text): customer_id" in res.out
    with pytest.raises(json.JSONDecodeError):
        json.loads(res.out)


@pytest.mark.parametrize("args, words", [
    (["{old}", "{nowhere}"], "There is no file called"),
    (["{old}", "{same}", "--target", "nope"], "no column called 'nope'"),
    (["{old}"], "the following arguments are required: new"),
])
def test_bad_input_is_one_plain_line_and_exit_2(capsys, files, tmp_path, args, words):
    values = {k: str(v) for k, v in files.items()} | {"nowhere": str(tmp_path / "nowhere.csv")}
    res = run_cli(capsys, "drift", *[a.format(**values) for a in args])
    assert res.code == 2
    assert res.err.startswith("error: ") and res.err.count("\n") == 1 and words in res.err
    assert res.out == ""


def _run_real_process(*args: str) -> Result:
    """The real command line; until cli/commands.py imports drift_cmd, import it first."""
    if "drift_cmd" in Path(commands.__file__).read_text():
        return run_process(*args)
    code = "import sys, fairtrial.cli.drift_cmd; from fairtrial.cli import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True, timeout=300)
    return Result(proc.returncode, proc.stdout, proc.stderr)


def test_a_real_process_with_a_bad_file_exits_2_with_one_line_and_no_traceback(files, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x00\x01\x02 not a table")
    res = _run_real_process("drift", files["old"], bad)
    assert res.code == 2 and res.err.startswith("error: ") and "Traceback" not in res.err
    assert res.err.count("\n") == 1


def test_a_needed_column_missing_from_the_new_file_blocks_scoring(capsys, tmp_path):
    students = Path(__file__).resolve().parents[2] / "sample_data" / "students.csv"
    new = tmp_path / "new.csv"
    pd.read_csv(students).drop(columns=["hours_studied"]).to_csv(new, index=False)
    res = run_cli(capsys, "drift", students, new, "--needs", "hours_studied", "attendance_pct", "--json")
    assert res.code == 0, res.err
    data = res.json()
    assert data["blocking"] is True
    schema = [f for f in data["findings"] if f["check"] == "schema" and f["severity"] == "critical"]
    assert schema and "hours_studied" in schema[0]["message"]
    without = run_cli(capsys, "drift", students, new, "--json").json()
    assert without["blocking"] is False


def test_json_says_drift_true_or_false_as_the_summary_does(capsys, files):
    same = run_cli(capsys, "drift", files["old"], files["same"], "--json").json()
    assert same["drift"] is False and same["summary"].startswith("None of the")
    shifted = run_cli(capsys, "drift", files["old"], files["shifted"], "--json").json()
    assert shifted["drift"] is True and "has shifted" in shifted["summary"]
    assert shifted["drift"] == any(c["drifted"] for c in shifted["columns"])


def test_a_random_split_of_one_file_with_a_many_valued_column_is_not_drift(capsys, tmp_path):
    rng = np.random.default_rng(8)
    table = pd.DataFrame({"store": rng.permutation(np.repeat([f"store {i}" for i in range(180)], 60)),
                          "spend": np.round(rng.gamma(3.0, 20.0, 180 * 60), 2)})
    order = rng.permutation(len(table))
    table.iloc[order[:5_400]].to_csv(tmp_path / "a.csv", index=False)
    table.iloc[order[5_400:]].to_csv(tmp_path / "b.csv", index=False)
    data = run_cli(capsys, "drift", tmp_path / "a.csv", tmp_path / "b.csv", "--json").json()
    store = next(c for c in data["columns"] if c["column"] == "store")
    assert data["drift"] is False and not store["drifted"] and store["js"] >= 0.09
    assert store["js_chance"] >= store["js"] - 0.02
