"""The fairness option of a recipe: reweighing groups inside the training rows (Kamiran & Calders)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fairtrial.errors import BadChoiceError
from fairtrial.load import load_file
from fairtrial.recipes import Recipe, reweigh_weights
from fairtrial.trial import TrialPlan, run_trial
from fairtrial.workflow import group_section

LOANS = Path(__file__).resolve().parents[1] / "sample_data" / "loans.csv"


def test_weights_match_a_hand_computation():
    groups = np.array(["a", "a", "a", "b"], dtype=object)
    y = np.array(["yes", "yes", "no", "no"], dtype=object)
    # P(a)=3/4, P(b)=1/4, P(yes)=P(no)=1/2; P(a,yes)=2/4, P(a,no)=1/4, P(b,no)=1/4.
    assert reweigh_weights(groups, y).tolist() == pytest.approx([0.75, 0.75, 1.5, 0.5])


def test_after_weighting_every_group_has_the_same_share_of_each_answer():
    rng = np.random.default_rng(0)
    groups = rng.choice(["x", "y", "z"], 2000, p=[0.6, 0.3, 0.1]).astype(object)
    y = np.where(rng.random(2000) < np.select([groups == "x", groups == "y"], [0.7, 0.4], 0.2), "yes", "no")
    w = reweigh_weights(groups, y.astype(object))
    overall = (w * (y == "yes")).sum() / w.sum()
    for g in ("x", "y", "z"):
        m = groups == g
        assert (w[m] * (y[m] == "yes")).sum() / w[m].sum() == pytest.approx(overall)
    assert w.mean() == pytest.approx(1.0)


def test_the_option_round_trips_as_text_and_data():
    recipe = Recipe.parse("simple:reweigh")
    assert recipe.fairness == "reweigh" and recipe.short() == "simple:reweigh"
    assert Recipe.from_dict(recipe.to_dict()) == recipe
    assert recipe.option_label("binary") == "Simple (logistic/linear) — groups reweighed"


def test_reweighing_needs_a_column_about_people():
    ds = load_file(LOANS)
    plan = TrialPlan(target="approved", recipe_a="simple", recipe_b="simple:reweigh", folds=3, repeats=1)
    with pytest.raises(BadChoiceError, match="needs at least one column about people"):
        run_trial(ds.frame, ds.kinds, plan)


def test_reweighing_narrows_the_planted_approval_gap_at_a_small_accuracy_cost():
    ds = load_file(LOANS)
    plan = TrialPlan(target="approved", recipe_a="simple", recipe_b="simple:reweigh", folds=3, repeats=1,
                     excluded=("applicant_id", "ethnicity", "gender", "age"), sensitive=("ethnicity",))
    result = run_trial(ds.frame, ds.kinds, plan)
    section = group_section(ds, result)["columns"]["ethnicity"]
    gap = {arm: section["metrics"][arm]["demographic_parity_difference"] for arm in ("a", "b")}
    assert gap["b"] < gap["a"] - 0.05
    assert abs(result.b.mean - result.a.mean) < 0.03
    assert any("reweigh" in note for note in result.b.notes)
    assert result.b.label.endswith("groups reweighed")
