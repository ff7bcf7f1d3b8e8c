"""Whole trials on real public tables (issue 9's bar): every real row counts, a shuffled target
names no winner, a rare outcome with signal beats guessing by default, and the verdict reads as
one story. The tables are the cached corpus CSVs (see corpus.py for their sources)."""

from __future__ import annotations

import numpy as np
import pytest

from fairtrial.load import load_file
from fairtrial.recipes import Recipe
from fairtrial.workflow import check_dataset, plan_from_checks, run_compare

from .corpus import HERE


def trial(name: str, target: str, a: str, b: str, *, frame=None, sensitive=None, folds=5, repeats=2, seed=42):
    ds = load_file(HERE / f"{name}.csv")
    if frame is not None:
        ds = _replace_frame(ds, frame)
    report, _ = check_dataset(None, ds, target, sensitive=sensitive)
    plan = plan_from_checks(target, report, recipe_a=Recipe.parse(a, unset=None), recipe_b=Recipe.parse(b, unset=None),
                            sensitive=sensitive, folds=folds, repeats=repeats, seed=seed)
    _, data, _ = run_compare(None, ds, plan)
    return report, data


def _replace_frame(ds, frame):
    import dataclasses

    return dataclasses.replace(ds, frame=frame)


def test_titanic_keeps_every_passenger_and_tells_one_story():
    # 1,309 passengers, no two rows alike (each has a name); without the names 875 rows repeat.
    report, data = trial("carData_TitanicSurvival", "survived", "simple", "tree", sensitive=["sex"])
    sp = data["splits"]
    assert report.duplicate_rows == 0 and sp["duplicates_removed"] == 0
    assert sp["train_rows"] + sp["holdout_rows"] == 1309
    assert 0.61 < data["baseline_guess"]["share"] < 0.63  # the true share of 'no' (61.8%), not a distorted one
    text = " ".join(data["verdict"]["sentences"])
    assert "Every row of the file took part." in text
    # One story: never "beats" beside "not clearly better than guessing", never a success beside it.
    assert not ("beats" in text and ("no better than" in text or "not clearly better than" in text))
    assert data["verdict"]["tone"] != "success" or all(data[r]["beats_baseline"] for r in ("a", "b"))


@pytest.mark.slow
def test_a_shuffled_titanic_target_names_no_winner_in_at_least_19_of_20_seeds():
    # With age in the models a single tree overfits the noise and really does worse than the simple
    # model; but neither beats guessing, so no recipe is named the one to use.
    frame = load_file(HERE / "carData_TitanicSurvival.csv").frame
    named = []
    for seed in range(20):
        shuffled = frame.assign(survived=np.random.default_rng(seed).permutation(frame["survived"].to_numpy()))
        _, data = trial("carData_TitanicSurvival", "survived", "simple", "tree", frame=shuffled, sensitive=["sex"],
                        repeats=1, seed=seed)
        named.append(data["verdict"]["winner"])
        assert data["verdict"]["tone"] != "success", data["verdict"]["text"]
    assert sum(w != "none" for w in named) <= 1, named


@pytest.mark.slow
def test_a_rare_outcome_with_signal_beats_guessing_by_default():
    # ISLR Caravan (3,000 of 5,822 rows): 6% bought caravan insurance. Untreated, both recipes say
    # 'No' to nearly everyone; the default remedy (balanced weights) makes them find buyers.
    report, data = trial("ISLR_Caravan", "Purchase", "simple", "tree", folds=3, repeats=1)
    assert report.proposed_imbalance == "balanced"
    assert data["primary_metric"] == "balanced_accuracy"
    assert data["a"]["recipe_options"]["imbalance"] == "balanced"
    assert data["a"]["beats_baseline"] and data["a"]["mean"] > 0.6
    assert "rare answers" in " ".join(data["verdict"]["sentences"]) or data.get("defaults")

    _, untreated = trial("ISLR_Caravan", "Purchase", "simple:none", "tree:none", folds=3, repeats=1)
    assert untreated["a"]["mean"] < data["a"]["mean"] - 0.05
    words = " ".join(untreated["verdict"]["sentences"])
    assert "Give rare answers more weight" in words and "may not hold what is needed" not in words


def test_doctor_visits_are_predicted_as_a_number_and_the_verdict_reads_as_one_sentence_each():
    # Ecdat Doctor: a count from 0 to 48, 17 values, 13 of them on fewer than 10 rows. Read as classes
    # it was refused; as a count it is a number trial, and the always-guess baseline is the typical value.
    report, data = trial("Ecdat_Doctor", "doctor", "simple", "forest", repeats=1)
    assert report.task.task == "numeric" and data["task"] == "numeric"
    assert data["splits"]["train_rows"] + data["splits"]["holdout_rows"] == 485
    verdict = data["verdict"]["text"]
    assert "Both recipes did not" not in verdict
    assert "typical value" in verdict
