"""Defaults follow the findings (fairtrial.defaults, DESIGN.md): a rare answer gets a leak-proof
remedy, a repeating ID keeps its rows together, and proposed columns about people are in effect;
each default is recorded in the plan, said in the verdict, and can be switched off."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from fairtrial.checks import run_checks
from fairtrial.kinds import infer_kinds
from fairtrial.recipes import Recipe
from fairtrial.trial import TrialPlan, run_trial
from fairtrial.workflow import plan_from_checks

from cli.cli_helpers import run_cli

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


def rare_outcome_table(n: int = 2000, seed: int = 3) -> pd.DataFrame:
    """About 8% 'yes', with real signal in two columns: untreated recipes at a 0.5 cut-off
    rarely answer 'yes'."""
    rng = np.random.default_rng(seed)
    x1, x2, x3 = rng.normal(size=(3, n))
    y = rng.random(n) < 1 / (1 + np.exp(-(-3.3 + 1.2 * x1 + 0.8 * x2)))
    return pd.DataFrame({"income": (50 + 10 * x1).round(1), "visits": (5 + 2 * x2).round(2),
                         "noise": x3.round(3), "bought": np.where(y, "yes", "no")})


def repeating_customers(n_customers: int = 700, seed: int = 4) -> pd.DataFrame:
    """Customers with one to three rows each; whether a customer returns things depends on a
    habit all their rows share, so testing on a customer seen in training flatters a model."""
    rng = np.random.default_rng(seed)
    per = rng.choice([1, 2, 2], size=n_customers)
    cid = np.repeat(np.arange(n_customers), per)
    rng.shuffle(cid)
    habit = rng.normal(size=n_customers)
    y = (habit[cid] + rng.normal(scale=0.8, size=cid.size)) > 0
    return pd.DataFrame({"customer_id": [f"C{c + 1000}" for c in cid],
                         "spend": (habit[cid] + rng.normal(scale=0.3, size=cid.size)).round(2),
                         "month": rng.integers(1, 13, cid.size), "returned": np.where(y, "yes", "no")})


def compare_json(capsys, file: Path, target: str, a: str, b: str, *extra: str) -> dict:
    res = run_cli(capsys, "compare", file, "--target", target, "--a", a, "--b", b, "--folds", "3", "--repeats", "2",
                  "--seed", "7", "--json", "--quiet", *extra)
    assert res.code == 0, res.err
    return res.json()


# --- a rare answer -------------------------------------------------------------------------------
def test_a_rare_answer_gets_balanced_weights_by_default_and_simple_none_switches_it_off(capsys, tmp_path):
    table = rare_outcome_table()
    assert 0.07 < (table["bought"] == "yes").mean() < 0.09
    file = tmp_path / "rare.csv"
    table.to_csv(file, index=False)

    data = compare_json(capsys, file, "bought", "simple", "forest")
    assert data["primary_metric"] == "balanced_accuracy"
    assert data["a"]["recipe_options"]["imbalance"] == data["b"]["recipe_options"]["imbalance"] == "balanced"
    assert data["plan"]["recipe_a"]["imbalance"] == "balanced", "the plan stores the resolved option"
    assert data["defaults"]["imbalance"]["recipes"] == {"a": "balanced", "b": "balanced"}
    assert data["a"]["beats_baseline"] and data["b"]["beats_baseline"]
    assert data["a"]["mean"] >= 0.65, "with balanced weights the simple recipe finds the rare 'yes' rows"
    said = data["verdict"]["parts"]["defaults"]
    assert said.startswith("Because only 7.6% of the table's rows have 'bought' = 'yes', both recipes gave rare answers more "
                           "weight while learning (balanced weights)")
    assert "--a simple:none --b forest:none" in said and said in data["verdict"]["sentences"]

    off = compare_json(capsys, file, "bought", "simple:none", "forest")
    assert off["a"]["recipe_options"]["imbalance"] == "none"
    assert off["b"]["recipe_options"]["imbalance"] == "balanced"
    assert off["defaults"]["imbalance"]["recipes"] == {"b": "balanced"}
    assert off["verdict"]["parts"]["defaults"].startswith(
        "Because only 7.6% of the table's rows have 'bought' = 'yes', Random forest (B) gave rare answers more weight")
    assert off["a"]["mean"] < data["a"]["mean"] - 0.1, "untreated, the simple recipe rarely answers 'yes'"
    assert "Simple (logistic/linear) ran without imbalance handling" in off["verdict"]["parts"]["tip"]


def test_an_open_remedy_is_resolved_per_recipe_and_a_chosen_one_is_kept():
    report = run_checks(rare_outcome_table(), "bought")
    assert report.proposed_imbalance == "balanced"
    (finding,) = report.by_check("imbalance")
    assert "both recipes give rare answers more weight by default" in finding.suggestion
    plan = plan_from_checks("bought", report, recipe_a="knn", recipe_b="simple:threshold")
    # Nearest neighbours cannot weigh rows: it tunes its cut-off inside the training rows instead.
    assert plan.recipe_a.imbalance == "threshold" and plan.recipe_b.imbalance == "threshold"
    assert plan.defaults["imbalance"]["recipes"] == {"a": "threshold"}
    assert "Nearest neighbours (A) moved its yes/no cut-off" in plan.defaults["imbalance"]["sentence"]
    kept = plan_from_checks("bought", report, recipe_a=Recipe("simple"), recipe_b=Recipe("forest", imbalance=None))
    assert kept.recipe_a.imbalance == "none" and kept.recipe_b.imbalance == "balanced"
    # A re-run of the stored plan gives the same plan.
    assert TrialPlan.from_dict(plan.to_dict()) == plan
    balanced = run_checks(rare_outcome_table().assign(bought=np.tile(["yes", "no"], 1000)), "bought")
    plain = plan_from_checks("bought", balanced, recipe_a="simple", recipe_b="forest")
    assert plain.recipe_a.imbalance == plain.recipe_b.imbalance == "none" and plain.defaults == {}


# --- a repeating ID --------------------------------------------------------------------------------
def test_a_repeating_customer_id_keeps_its_rows_together_by_default():
    table = repeating_customers()
    report = run_checks(table, "returned")
    assert report.proposed_group == "customer_id"
    plan = plan_from_checks("returned", report, recipe_a="simple", recipe_b="tree", folds=3, repeats=1)
    assert plan.group == "customer_id"
    assert "Rows with the same 'customer_id' were kept together" in plan.defaults["group"]["sentence"]
    assert "--no-group" in plan.defaults["group"]["sentence"]

    result = run_trial(table, infer_kinds(table), plan)
    assert result.splits.kind == "grouped"
    ids = table["customer_id"].to_numpy()
    for train, test in result.splits.pairs:
        assert not set(ids[train]) & set(ids[test]), "a customer on both sides of a split"
    assert not set(ids[result.splits.pool]) & set(ids[result.splits.holdout])
    assert plan.defaults["group"]["sentence"] in result.verdict.sentences

    off = plan_from_checks("returned", report, recipe_a="simple", recipe_b="tree", group=None)
    assert off.group is None and "group" not in off.defaults
    timed = plan_from_checks("returned", report, recipe_a="simple", recipe_b="tree", time_ordered=True)
    assert timed.group is None, "rows in time order are split by time, not by customer"


def test_the_command_line_groups_by_default_and_no_group_switches_it_off(capsys, tmp_path):
    file = tmp_path / "returns.csv"
    repeating_customers().to_csv(file, index=False)
    grouped = compare_json(capsys, file, "returned", "simple", "tree")
    assert grouped["plan"]["group"] == "customer_id" and grouped["splits"]["kind"] == "grouped"
    assert grouped["defaults"]["group"]["column"] == "customer_id"
    for switch in (("--no-group",), ("--group", "none")):
        off = compare_json(capsys, file, "returned", "simple", "tree", *switch)
        assert off["plan"]["group"] is None and off["splits"]["kind"] == "stratified", switch
        assert "group" not in off["defaults"]


# --- columns about people -----------------------------------------------------------------------------
def test_proposed_people_columns_are_out_of_the_models_and_compared_without_sensitive(capsys):
    data = compare_json(capsys, SAMPLES / "loans.csv", "approved", "simple", "tree")
    assert data["plan"]["sensitive"] == ["age", "gender", "ethnicity"]
    assert set(data["groups"]) == {"age", "gender", "ethnicity"}
    for role in ("a", "b"):
        assert not {"age", "gender", "ethnicity"} & set(data[role]["columns"]), role
    assert data["defaults"]["sensitive"]["columns"] == ["age", "gender", "ethnicity"]
    assert "remove them from the columns about people" in data["verdict"]["parts"]["defaults"]

    chosen = compare_json(capsys, SAMPLES / "loans.csv", "approved", "simple", "tree", "--sensitive", "gender")
    assert chosen["plan"]["sensitive"] == ["gender"] and list(chosen["groups"]) == ["gender"]
    assert "ethnicity" in chosen["a"]["columns"] and "gender" not in chosen["a"]["columns"]
    assert "sensitive" not in chosen["defaults"]
    none = compare_json(capsys, SAMPLES / "loans.csv", "approved", "simple", "tree", "--sensitive")
    assert none["plan"]["sensitive"] == [] and none["groups"] == {}


@pytest.mark.parametrize("columns, start", [(["sex", "age"], "'sex' and 'age': they seem to describe people, so "
                                                              "FairTrial kept them out of the models"),
                                            (["gender"], "'gender': it seems to describe people, so FairTrial kept "
                                                         "it out of the models")])
def test_the_people_default_says_in_plain_grammar_why_columns_were_kept_out(columns, start):
    from types import SimpleNamespace

    from fairtrial.defaults import sensitive_default

    report = SimpleNamespace(sensitive_chosen_by="checks", sensitive_columns=columns)
    assert sensitive_default(report, None)["sentence"].startswith(start)


@pytest.mark.parametrize("text, open_", [("simple", True), ("simple:none", False), ("simple:thorough", True),
                                         ("forest:balanced", False)])
def test_recipe_text_without_an_imbalance_option_leaves_it_open_on_the_command_line(text, open_):
    assert (Recipe.parse(text, unset=None).imbalance is None) is open_
    assert Recipe.parse(text).imbalance is not None, "elsewhere a recipe without the option has none"
