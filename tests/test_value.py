"""The money view of a yes/no trial (issue 12 part 2): prices in, value per 1,000 rows out."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from trial_frames import learnable

from fairtrial import trial as trial_module
from fairtrial.errors import BadChoiceError
from fairtrial.splits import make_splits
from fairtrial.task import TaskInfo
from fairtrial.trial import TrialPlan, run_trial
from fairtrial.value import ValueInputs, best_cutoff, format_money, value_of

FAST = dict(folds=3, repeats=2, seed=7)
PRICES = {"hit": 50, "false_alarm": 10, "miss": 30, "currency": "€"}


def _rare(n: int = 600, seed: int = 5) -> tuple[pd.DataFrame, dict[str, str]]:
    """A rare 'yes' (about 8%) that one column ranks well, and a second noisy column."""
    rng = np.random.default_rng(seed)
    signal = rng.normal(size=n)
    chance = 1 / (1 + np.exp(-(2.2 * signal - 3.6)))
    frame = pd.DataFrame({"signal": signal, "other": rng.normal(size=n)})
    frame["target"] = np.where(rng.random(n) < chance, "yes", "no")
    return frame, {"signal": "number", "other": "number"}


@pytest.fixture(scope="module")
def learnable_trial():
    frame, kinds = learnable(300)
    plan = TrialPlan(target="target", recipe_a="simple", recipe_b="tree", value=PRICES, **FAST)
    return frame, kinds, plan, run_trial(frame, kinds, plan)


def _split_counts(frame: pd.DataFrame, plan: TrialPlan) -> list[tuple[int, int]]:
    task = TaskInfo("binary", "target", ("no", "yes"), "yes")
    splits = make_splits(frame, "target", task, folds=plan.folds, repeats=plan.repeats, seed=plan.seed,
                         holdout=plan.holdout)
    y = frame["target"].to_numpy()
    return [(int((y[te] == "yes").sum()), len(te)) for _, te in splits.pairs]


def test_prices_must_be_finite_numbers():
    with pytest.raises(BadChoiceError, match="not a number"):
        ValueInputs("fifty", 10, 30)
    with pytest.raises(BadChoiceError, match="not a finite number"):
        ValueInputs(50, float("inf"), 30)
    with pytest.raises(BadChoiceError):
        TrialPlan(target="target", value={"hit": 50, "false_alarm": None, "miss": 3})


def test_value_counts_hits_false_alarms_and_misses_per_thousand_rows():
    truth = np.array([1, 1, 1, 0, 0, 0, 0, 0, 0, 0], bool)
    act = np.array([1, 1, 0, 1, 0, 0, 0, 0, 0, 0], bool)
    # 2 hits × 50 − 1 false alarm × 10 − 1 miss × 30 = 60 on 10 rows = 6,000 per 1,000 rows
    assert value_of(truth, act, ValueInputs(50, 10, 30)) == pytest.approx(6000)
    assert format_money(-1234.4, "€") == "-€1,234"
    assert format_money(2300, "") == "2,300"


def test_act_on_none_and_act_on_all_are_the_hand_counted_values(learnable_trial):
    frame, _, plan, result = learnable_trial
    value = result.to_dict()["value"]
    counts = _split_counts(frame, plan)
    none = [-30 * pos * 1000 / n for pos, n in counts]
    every = [(50 * pos - 10 * (n - pos)) * 1000 / n for pos, n in counts]
    assert value["per_split"]["act_on_none"] == pytest.approx(none)
    assert value["per_split"]["act_on_all"] == pytest.approx(every)
    assert value["act_on_none"]["mean"] == pytest.approx(np.mean(none))
    assert value["act_on_all"]["mean"] == pytest.approx(np.mean(every))
    hold = result.holdout_frame()
    pos, n = int((hold["y_true"] == "yes").sum()), len(hold)
    assert value["act_on_none"]["holdout"] == pytest.approx(-30 * pos * 1000 / n)
    assert value["act_on_all"]["holdout"] == pytest.approx((50 * pos - 10 * (n - pos)) * 1000 / n)


def test_the_json_has_the_shape_the_issue_names(learnable_trial):
    value = learnable_trial[3].to_dict()["value"]
    assert value["per_rows"] == 1000 and value["currency"] == "€"
    assert value["inputs"] == {"hit": 50.0, "false_alarm": 10.0, "miss": 30.0, "currency": "€"}
    for key in ("a", "b"):
        assert {"mean", "ci_low", "ci_high", "cutoff", "holdout"} <= set(value[key])
        assert 0 < value[key]["cutoff"] < 1
    for key in ("act_on_none", "act_on_all"):
        assert {"mean", "ci_low", "ci_high", "holdout"} <= set(value[key])
    assert {"mean", "ci_low", "ci_high", "p_value"} <= set(value["difference"])
    assert len(value["curve"]["cutoffs"]) == len(value["curve"]["a"]) == len(value["curve"]["b"]) == 19
    # A clearly learnable target at these prices: acting on the model pays, and the text says how much.
    assert value["winner"] in ("a", "b")
    assert "per 1,000 rows more than" in value["text"] and "95% range €" in value["text"]
    assert "Act on a row when its chance of 'yes' is at least" in value["text"]


def test_prices_that_never_pay_name_no_recipe_and_say_so():
    frame, kinds = learnable(300)
    # Acting costs money even on a correct flag, and a miss costs nothing: acting never pays.
    plan = TrialPlan(target="target", recipe_a="simple", recipe_b="tree",
                     value={"hit": -5, "false_alarm": 10, "miss": 0}, **FAST)
    value = run_trial(frame, kinds, plan).to_dict()["value"]
    assert value["winner"] == "none"
    assert value["best_plain"] == "act_on_none" and value["act_on_none"]["mean"] == 0
    assert not value["a"]["beats_plain"] and not value["b"]["beats_plain"]
    assert value["text"].startswith("At these prices acting on the model is not worth it")
    assert "act on no row instead" in value["text"]


def test_a_good_ranker_on_a_rare_outcome_loses_on_accuracy_but_wins_on_value():
    frame, kinds = _rare()
    plan = TrialPlan(target="target", recipe_a="baseline", recipe_b="simple", metric=None,
                     value={"hit": 100, "false_alarm": 5, "miss": 0, "currency": "$"}, **FAST)
    result = run_trial(frame, kinds, plan)
    d = result.to_dict()
    # Plain accuracy: always saying 'no' is right about 92% of the time, and the ranker is no better.
    acc_a, acc_b = d["secondary"]["a"]["accuracy"], d["secondary"]["b"]["accuracy"]
    assert acc_b <= acc_a + 0.01
    value = d["value"]
    assert value["winner"] == "b"
    assert value["text"].startswith(f"Using {d['b']['label']} to choose which rows to act on earns about $")


def test_the_cut_off_never_sees_test_rows_or_the_holdout(monkeypatch):
    """Changing only the labels of a re-split's test rows (and of the holdout) must not move
    the cut-off chosen for that split: it is chosen on the training rows alone."""
    frame, kinds = learnable(240)
    plan = TrialPlan(target="target", recipe_a="simple", recipe_b="tree", value=PRICES, folds=3, repeats=1, seed=3)
    base = run_trial(frame, kinds, plan).to_dict()["value"]
    task = TaskInfo("binary", "target", ("no", "yes"), "yes")
    splits = make_splits(frame, "target", task, folds=3, repeats=1, seed=3, holdout=plan.holdout)
    train, test = splits.pairs[0]
    changed = frame.copy()
    flip = np.concatenate([test, splits.holdout])
    col = changed.columns.get_loc("target")
    changed.iloc[flip, col] = np.where(frame["target"].to_numpy()[flip] == "yes", "no", "yes")
    seen: list[set] = []
    real = trial_module._fit_job

    def spy(pipeline, X_train, y_train, X_test, classes, keep_model, weights=None):
        seen.append(set(X_train.index))
        return real(pipeline, X_train, y_train, X_test, classes, keep_model, weights)

    monkeypatch.setattr(trial_module, "_fit_job", spy)
    monkeypatch.setattr(trial_module, "make_splits", lambda *a, **k: splits)  # the same split for the changed labels
    after = run_trial(changed, kinds, plan).to_dict()["value"]
    for role in ("a", "b"):
        assert after[role]["split_cutoffs"][0] == base[role]["split_cutoffs"][0]
    holdout = set(frame.index[splits.holdout])
    assert all(not rows & holdout for rows in seen)


def test_the_cut_off_is_the_one_with_the_most_value():
    truth = np.array([1, 1, 0, 0, 0, 0], bool)
    chance = np.array([0.9, 0.6, 0.55, 0.2, 0.1, 0.05])
    cut = best_cutoff(truth, chance, ValueInputs(50, 10, 30))
    assert 0.55 < cut <= 0.6  # flag exactly the two positives


def test_a_number_target_gets_the_typical_error_as_its_money_view():
    from trial_frames import numbers

    frame, kinds = numbers(200)
    plan = TrialPlan(target="price", recipe_a="simple", recipe_b="tree", value=PRICES, **FAST)
    value = run_trial(frame, kinds, plan).to_dict()["value"]
    assert value["kind"] == "typical_error"
    assert "off by about" in value["text"] and "yes/no targets" in value["text"]


def test_a_trial_without_prices_has_no_value_section():
    frame, kinds = learnable(200)
    d = run_trial(frame, kinds, TrialPlan(target="target", recipe_a="simple", recipe_b="bayes", **FAST)).to_dict()
    assert "value" not in d and "value" not in d["plan"]


def test_the_prices_are_part_of_the_plan_and_round_trip():
    plan = TrialPlan(target="target", value=PRICES)
    again = TrialPlan.from_dict(plan.to_dict())
    assert again.value == {"hit": 50.0, "false_alarm": 10.0, "miss": 30.0, "currency": "€"}
    assert again == plan


def _cli(capsys, *args: str) -> tuple[int, str, str]:
    from fairtrial.cli import main

    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


CHURN = Path(__file__).resolve().parents[1] / "sample_data" / "churn.csv"
CLI_FAST = ("--folds", "3", "--repeats", "1", "--seed", "7", "--quiet")


def test_compare_json_on_the_churn_sample_has_the_money_verdict(capsys):
    code, out, _ = _cli(capsys, "compare", CHURN, "--target", "churned", "--a", "simple", "--b", "tree",
                        *CLI_FAST, "--value-hit", "50", "--cost-false-alarm", "10", "--cost-miss", "30",
                        "--currency", "€", "--json")
    assert code == 0
    data = json.loads(out)
    value = data["value"]
    assert {"per_rows", "currency", "inputs", "a", "b", "act_on_none", "act_on_all", "difference", "text"} <= set(value)
    assert value["currency"] == "€" and value["per_rows"] == 1000
    assert data["plan"]["value"] == {"hit": 50.0, "false_alarm": 10.0, "miss": 30.0, "currency": "€"}
    for role in ("a", "b"):
        assert value[role]["ci_low"] <= value[role]["mean"] <= value[role]["ci_high"]
    assert "95% range" in value["text"] or "not worth it" in value["text"]


def test_compare_refuses_some_of_the_prices_only(capsys):
    code, _, err = _cli(capsys, "compare", CHURN, "--target", "churned", "--a", "simple", "--b", "tree",
                        *CLI_FAST, "--value-hit", "50")
    assert code == 2 and "all three prices" in err


def test_a_rerun_reuses_the_prices_and_gives_the_same_value_numbers():
    from fairtrial.load import load_file
    from fairtrial.store import Store
    from fairtrial.workflow import check_dataset, plan_from_checks, rerun_trial, run_compare

    store = Store()
    ds, _ = store.save_dataset(load_file(CHURN))
    report, _ = check_dataset(store, ds, "churned")
    plan = plan_from_checks("churned", report, recipe_a="simple", recipe_b="tree", value=PRICES,
                            folds=3, repeats=1, seed=7)
    trial_id, data, _ = run_compare(store, ds, plan)
    trial = store.get_trial(trial_id)
    again = TrialPlan.from_dict(trial["plan"])
    assert again.value == plan.value
    check = rerun_trial(store, ds, again, trial)
    assert check.same is True
    rerun = store.get_trial(check.trial_id)["result"]["value"]
    for role in ("a", "b", "act_on_none", "act_on_all"):
        assert rerun[role]["mean"] == data["value"][role]["mean"]
        assert rerun[role]["holdout"] == data["value"][role]["holdout"]
    assert rerun["a"]["cutoff"] == data["value"]["a"]["cutoff"]


def test_the_next_steps_carry_one_money_sentence(learnable_trial):
    from fairtrial.decide import next_steps

    d = learnable_trial[3].to_dict()
    steps = next_steps(d)
    money = [s for s in steps if s.startswith("At your prices")]
    assert len(money) == 1 and "per 1,000 rows more than" in money[0] and "95% range €" in money[0]
    del d["value"]
    assert not any(s.startswith("At your prices") for s in next_steps(d))


def test_the_excel_report_has_a_value_sheet_with_a_native_chart(capsys, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "report.xlsx"
    code, _, _ = _cli(capsys, "compare", CHURN, "--target", "churned", "--a", "simple", "--b", "tree", *CLI_FAST,
                      "--value-hit", "50", "--cost-false-alarm", "10", "--cost-miss", "30", "--currency", "€",
                      "--report", out)
    assert code == 0
    wb = load_workbook(out)
    assert "Value" in wb.sheetnames
    ws = wb["Value"]
    assert ws["A2"].value.startswith(("Using ", "At these prices"))
    assert [ws.cell(row=r, column=1).value for r in range(9, 13)] == [
        "Recipe A: Simple (logistic/linear)", "Recipe B: Decision tree", "Act on no row", "Act on every row"]
    assert len(ws._charts) == 1
    assert all(not str(cell.value).startswith("=") for row in ws.iter_rows() for cell in row if cell.value)


def test_the_html_summary_has_the_money_view(capsys, tmp_path):
    out = tmp_path / "summary.html"
    code, _, _ = _cli(capsys, "compare", CHURN, "--target", "churned", "--a", "simple", "--b", "tree", *CLI_FAST,
                      "--value-hit", "50", "--cost-false-alarm", "10", "--cost-miss", "30", "--currency", "€",
                      "--html", out)
    assert code == 0
    page = out.read_text(encoding="utf-8")
    assert "<h2>Money view</h2>" in page and "Act on every row" in page and "€" in page
