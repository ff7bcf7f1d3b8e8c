"""`fairtrial models`, `promote`, `rollback` and `predict`: the saved models of a trial, the
one in use, and new rows scored with it (CSV or a workbook whose text stays text)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from fairtrial.report import PREDICTIONS_SHEET

from cli_helpers import run_cli, run_process

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"


@pytest.fixture
def trial(capsys) -> dict:
    """One quick trial on students.csv; its two models by arm."""
    res = run_cli(capsys, "compare", SAMPLES / "students.csv", "--target", "passed", "--a", "simple", "--b", "tree",
                  "--folds", "3", "--repeats", "1", "--seed", "7", "--json", "--quiet")
    assert res.code == 0, res.err
    trial_id = res.json()["trial_id"]
    models = {m["metadata"]["arm"]: m["model_id"] for m in run_cli(capsys, "models", "--json").json()
              if m["trial_id"] == trial_id}
    return {"trial_id": trial_id, "a": models["a"], "b": models["b"]}


@pytest.fixture
def new_rows(tmp_path) -> tuple[Path, pd.DataFrame]:
    """The first 50 students without the answer, plus a free-text column that looks like a formula."""
    rows = pd.read_csv(SAMPLES / "students.csv").head(50).drop(columns=["passed"])
    rows["comment"] = ["=1+1" if i % 2 == 0 else "likes maths" for i in range(len(rows))]
    path = tmp_path / "new.csv"
    rows.to_csv(path, index=False)
    return path, rows


def statuses(capsys) -> dict[int, str]:
    return {m["model_id"]: m["status"] for m in run_cli(capsys, "models", "--json").json()}


def test_a_trial_saves_two_candidate_models(capsys, trial):
    rows = run_cli(capsys, "models", "--json").json()
    assert len(rows) == 2
    assert {m["status"] for m in rows} == {"candidate"}
    assert {m["trial_id"] for m in rows} == {trial["trial_id"]}
    assert sorted(m["metadata"]["arm"] for m in rows) == ["a", "b"]
    assert all(m["metadata"]["target"] == "passed" and m["size_bytes"] > 0 for m in rows)
    text = run_cli(capsys, "models")
    assert "recipe A: simple" in text.out and "recipe B: tree" in text.out and "candidate" in text.out


def test_predict_without_a_promoted_model_says_to_promote_one(capsys, trial, new_rows):
    res = run_cli(capsys, "predict", new_rows[0])
    assert res.code == 2 and res.out == ""
    assert res.err.startswith("error: No model is in use yet.") and res.err.count("\n") == 1
    assert "fairtrial promote ID" in res.err


def test_a_promoted_model_predicts_every_new_row_into_a_csv(capsys, trial, new_rows, tmp_path):
    res = run_cli(capsys, "promote", trial["b"])
    assert res.code == 0 and f"Model {trial['b']} is now in use." in res.err
    assert statuses(capsys) == {trial["a"]: "candidate", trial["b"]: "promoted"}

    out = tmp_path / "out.csv"
    res = run_cli(capsys, "predict", new_rows[0], "-o", out)
    assert res.code == 0, res.err
    assert "50 rows with predictions written to" in res.err and res.out == ""
    table = pd.read_csv(out)
    assert len(table) == 50
    assert list(table.columns) == [*new_rows[1].columns, "prediction", "chance of 'pass'"]
    assert table["prediction"].isin(["pass", "fail"]).all()
    assert table["chance of 'pass'"].between(0, 1).all()
    assert table["student_no"].tolist() == new_rows[1]["student_no"].tolist()


def test_predict_json_has_one_prediction_per_row(capsys, trial, new_rows):
    run_cli(capsys, "promote", trial["a"])
    data = run_cli(capsys, "predict", new_rows[0], "--json").json()
    assert data["model_id"] == trial["a"] and data["rows"] == 50
    assert len(data["predictions"]) == 50
    assert set(data["predictions"][0]) == {"prediction", "chance of 'pass'"}
    assert data["drift"]["blocking"] is False


def test_predictions_in_a_workbook_keep_formula_like_text_as_text(capsys, trial, new_rows, tmp_path):
    run_cli(capsys, "promote", trial["b"])
    out = tmp_path / "out.xlsx"
    res = run_cli(capsys, "predict", new_rows[0], "-o", out)
    assert res.code == 0, res.err
    wb = load_workbook(out)
    ws = wb[PREDICTIONS_SHEET]
    header = [c.value for c in ws[1]]
    assert header[-2:] == ["prediction", "chance of 'pass'"]
    comment = ws.cell(row=2, column=header.index("comment") + 1)
    assert comment.value == "=1+1" and comment.data_type == "s"
    assert ws.cell(row=3, column=header.index("comment") + 1).value == "likes maths"
    assert ws.max_row == 51
    for row in ws.iter_rows(min_row=2):
        assert row[header.index("prediction")].data_type == "s"
        assert row[header.index("student_no")].data_type == "s"
    wb.close()


def test_rollback_brings_back_the_model_that_was_in_use_before(capsys, trial):
    run_cli(capsys, "promote", trial["a"])
    res = run_cli(capsys, "promote", trial["b"])
    assert f"it replaces model {trial['a']}" in res.err
    assert statuses(capsys) == {trial["a"]: "retired", trial["b"]: "promoted"}

    res = run_cli(capsys, "rollback", trial["b"])
    assert res.code == 0, res.err
    assert f"model {trial['a']} is back in use" in res.err
    assert statuses(capsys) == {trial["a"]: "promoted", trial["b"]: "retired"}


def test_rolling_back_the_only_promoted_model_leaves_none_in_use(capsys, trial, new_rows):
    run_cli(capsys, "promote", trial["a"])
    res = run_cli(capsys, "rollback", trial["a"])
    assert res.code == 0 and "no earlier model was in use" in res.err
    assert "promoted" not in statuses(capsys).values()
    assert run_cli(capsys, "predict", new_rows[0]).code == 2


def test_rollback_of_a_model_never_promoted_is_a_plain_error(capsys, trial):
    res = run_cli(capsys, "rollback", trial["a"])
    assert res.code == 2 and res.err.count("\n") == 1
    assert f"Model {trial['a']} was never promoted" in res.err


def test_predict_refuses_a_file_missing_a_needed_column(capsys, trial, new_rows, tmp_path):
    run_cli(capsys, "promote", trial["b"])
    path = tmp_path / "no_hours.csv"
    new_rows[1].drop(columns=["hours_studied"]).to_csv(path, index=False)
    out = tmp_path / "out.csv"
    res = run_cli(capsys, "predict", path, "-o", out)
    assert res.code == 2 and res.out == ""
    assert res.err.startswith("error: ") and res.err.count("\n") == 1 and "Traceback" not in res.err
    assert "lacks 1 column(s) the model needs: hours_studied" in res.err
    assert not out.exists()


def test_an_unknown_model_number_is_a_plain_error(capsys, trial, new_rows):
    for args in (("promote", "999"), ("predict", new_rows[0], "--model", "999")):
        res = run_cli(capsys, *args)
        assert res.code == 2 and "There is no model number 999" in res.err, args


def test_personal_data_in_the_new_rows_never_reaches_the_predictions_workbook(capsys, tmp_path):
    churn = Path(__file__).resolve().parents[2] / "sample_data" / "churn.csv"
    res = run_cli(capsys, "compare", churn, "--target", "churned", "--a", "simple", "--b", "tree",
                  "--folds", "3", "--repeats", "1", "--json", "--quiet")
    assert res.code == 0, res.err
    model_id = max(m["model_id"] for m in run_cli(capsys, "models", "--json").json())
    new = tmp_path / "new.csv"
    pd.read_csv(churn).head(30).drop(columns=["churned"]).to_csv(new, index=False)
    out = tmp_path / "scored.xlsx"
    res = run_cli(capsys, "predict", new, "--model", model_id, "-o", out)
    assert res.code == 0, res.err
    header = [c.value for c in next(load_workbook(out)[PREDICTIONS_SHEET].iter_rows(max_row=1))]
    assert "email" not in header and "prediction" in header
    assert "personal data" in res.err


def test_predictions_in_a_csv_keep_formula_like_text_as_text_and_numbers_as_numbers(capsys, trial, new_rows,
                                                                                       tmp_path):
    """CSV injection (OWASP): a text cell starting with = + - @ tab or CR gets a leading apostrophe,
    in the file and on stdout; numbers, negative ones included, are written as they are."""
    run_cli(capsys, "promote", trial["b"])
    rows = new_rows[1].copy()
    rows["comment"] = ["=1+1", "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3", "\tx", "likes maths", "-7", "a=b"] * 6 + [
        "ok", "ok"]
    rows["=HYPERLINK(\"http://x\")"] = "x"
    rows["delta"] = [-(i + 0.5) for i in range(len(rows))]
    path = tmp_path / "hostile.csv"
    rows.to_csv(path, index=False)

    out = tmp_path / "out.csv"
    assert run_cli(capsys, "predict", path, "-o", out).code == 0
    stdout = run_cli(capsys, "predict", path).out
    for text in (out.read_text(), stdout):
        table = pd.read_csv(pd.io.common.StringIO(text), keep_default_na=False)
        assert table["comment"].tolist()[:8] == ["'=1+1", "'+cmd|' /C calc'!A0", "'@SUM(A1)", "'-2+3", "'\tx",
                                                 "likes maths", "-7", "a=b"]
        assert "'=HYPERLINK(\"http://x\")" in table.columns
        assert table["delta"].tolist() == rows["delta"].tolist()
        assert table["prediction"].isin(["pass", "fail"]).all()
        cells = [c for line in text.splitlines()[1:] for c in line.split(",")]
        assert not [c for c in cells if c.startswith(("=", "+", "@"))]


# --- a model changed inside the database: a plain refusal, never a crash ------------------------
def _edit_stored_model(db_path: Path, model_id: int, *, sign_with: bytes | None = None, drop_signature=False) -> None:
    """What someone who can write the database file could do: swap the model for one with a
    branch pointing outside its tree, and write a matching sha256 next to it (the old check)."""
    import json

    import duckdb
    import skops.io as sio

    from fairtrial.models import model_sha256, sign_model

    con = duckdb.connect(str(db_path))
    try:
        blob, meta = con.execute("SELECT content, metadata FROM models WHERE id = ?", [model_id]).fetchone()
        meta = json.loads(meta)
        model = sio.loads(bytes(blob), trusted=sio.get_untrusted_types(data=bytes(blob)))
        tree = model[-1].tree_
        state = tree.__getstate__()
        nodes = state["nodes"].copy()
        nodes["left_child"][0] = nodes["right_child"][0] = 10**9
        state["nodes"] = nodes
        tree.__setstate__(state)
        crafted = sio.dumps(model)
        if sign_with is not None:
            meta["signature"] = sign_model(crafted, sign_with)
        if drop_signature:
            meta.pop("signature", None)
        con.execute("UPDATE models SET content = ?, sha256 = ?, metadata = ? WHERE id = ?",
                    [crafted, model_sha256(crafted), json.dumps(meta), model_id])
    finally:
        con.close()


@pytest.mark.parametrize("how, words", [
    ("edited", "The saved model does not match its signature: it was changed after FairTrial stored it"),
    ("unsigned", "The saved model has no signature (it was stored before FairTrial signed its models)"),
    ("signed with the key", "The saved model holds a malformed tree (a branch points outside the tree)"),
])
def test_predict_with_a_crafted_model_is_a_plain_refusal_not_a_crash(capsys, trial, new_rows, db_path, how, words):
    # Before: the crafted model passed the sha256 check and predict died with a segfault (exit 139).
    from fairtrial.store.keys import key_path

    assert run_cli(capsys, "promote", trial["b"]).code == 0
    key = bytes.fromhex(key_path(db_path).read_text().strip())
    _edit_stored_model(db_path, trial["b"], sign_with=key if how == "signed with the key" else None,
                       drop_signature=how == "unsigned")
    res = run_process("predict", new_rows[0], "--model", trial["b"], timeout=120)
    assert res.code == 2, (res.code, res.err[-500:])
    assert res.out == "" and res.err.count("\n") == 1 and "Traceback" not in res.err
    assert res.err.startswith(f"error: {words}")
    assert res.err.rstrip().endswith("Run the trial again to make a new model.")
    assert {m["model_id"] for m in run_cli(capsys, "models", "--json").json()} == {trial["a"], trial["b"]}


def test_models_are_listed_by_dataset_target_recipe_and_day_with_their_state_in_words(capsys, trial):
    from fairtrial.model_names import day

    today = day(run_cli(capsys, "models", "--json").json()[0]["created_at"])
    run_cli(capsys, "promote", trial["a"])
    run_cli(capsys, "promote", trial["b"])
    res = run_cli(capsys, "models")
    lines = {int(line.split()[0]): line for line in res.out.splitlines()}
    assert "in use" in lines[trial["b"]] and f"students · passed · Decision tree · {today}" in lines[trial["b"]]
    assert "out of use" in lines[trial["a"]]
    assert f"students · passed · Simple (logistic/linear) · {today}" in lines[trial["a"]]
    # When each was in use, from the audit log, on stderr (the list on stdout stays one line per model).
    assert f"then model {trial['b']}." in res.err and f"Model {trial['b']} (" in res.err and "is in use since" in res.err
    listed = {m["model_id"]: m for m in run_cli(capsys, "models", "--json").json()}
    assert listed[trial["b"]]["label"] == f"students · passed · Decision tree · {today}"
    assert listed[trial["b"]]["in_use"] == "in use"


def test_history_marks_a_re_run_of_a_trial(capsys, trial):
    from fairtrial.store import Store
    from fairtrial.trial import TrialPlan
    from fairtrial.workflow import rerun_trial

    store = Store()
    stored = store.get_trial(trial["trial_id"])
    check = rerun_trial(store, store.get_dataset(stored["dataset_id"]), TrialPlan.from_dict(stored["plan"]), stored)
    lines = {int(line.split()[0]): line for line in run_cli(capsys, "history").out.splitlines()}
    assert f"'passed' (re-run of trial {trial['trial_id']} · same numbers) -> " in lines[check.trial_id]
    assert "re-run" not in lines[trial["trial_id"]]
    rows = {r["trial_id"]: r for r in run_cli(capsys, "history", "--json").json()}
    assert rows[check.trial_id]["rerun_of"] == trial["trial_id"] and rows[check.trial_id]["rerun_same"] is True
