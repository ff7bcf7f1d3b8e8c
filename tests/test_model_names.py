"""Saved models in words: their names say what they predict from which data with which recipe
and when, and the timeline says when each was in use."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

import fairtrial.store.db as db
from fairtrial.load import load_file
from fairtrial.model_names import (day, model_label, model_timeline, recipe_words, rerun_words, status_words,
                                   trial_label, winner_words)
from fairtrial.store import Store
from fairtrial.workflow import check_dataset, plan_from_checks, run_compare

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
NOW = datetime(2026, 12, 1, 12, 0)


def test_a_model_label_carries_dataset_target_recipe_and_day():
    model = {"model_id": 7, "name": "trial 5 recipe B: forest", "dataset": "churn", "recipe": "Random forest",
             "metadata": {"target": "churned", "arm": "b"}, "created_at": "2026-12-01 09:30:00", "status": "candidate"}
    assert model_label(model, now=NOW) == "churn · churned · Random forest · 1 Dec"


def test_a_label_names_the_year_only_when_it_is_not_this_year():
    assert day("2025-03-03 10:00:00", now=NOW) == "3 Mar 2025"
    assert day("2026-03-03 10:00:00", now=NOW) == "3 Mar"


def test_a_model_without_its_trial_keeps_its_stored_name_parts():
    model = {"model_id": 3, "name": "trial 1 recipe A: simple", "dataset": None, "recipe": None,
             "metadata": {"target": "passed"}, "created_at": "2026-12-01 09:30:00"}
    assert model_label(model, now=NOW) == "passed · 1 Dec"


def test_status_words():
    assert [status_words({"status": s}) for s in ("promoted", "retired", "candidate")] == [
        "in use", "out of use", "candidate"]


@pytest.fixture
def two_models() -> tuple[Store, int, int]:
    store = Store()
    ds, _ = store.save_dataset(load_file(SAMPLES / "students.csv"))
    report, _ = check_dataset(store, ds, "passed")
    run_compare(store, ds, plan_from_checks("passed", report, recipe_a="simple", recipe_b="tree", folds=3, repeats=1))
    by_arm = {m["metadata"]["arm"]: m["model_id"] for m in store.list_models()}
    return store, by_arm["a"], by_arm["b"]


def test_stored_models_are_named_from_their_trial(two_models):
    store, a, b = two_models
    labels = {m["model_id"]: model_label(m) for m in store.list_models()}
    assert labels[a].startswith("students · passed · Simple (logistic/linear) · ")
    assert labels[b].startswith("students · passed · Decision tree · ")


def test_the_timeline_says_when_each_model_was_in_use_and_what_came_next(two_models, monkeypatch):
    store, a, b = two_models
    for when, step in ((datetime(2026, 3, 3, 9), lambda: store.promote_model(a)),
                       (datetime(2026, 4, 10, 9), lambda: store.promote_model(b)),
                       (datetime(2026, 4, 12, 9), lambda: store.rollback_model(b))):
        monkeypatch.setattr(db, "_now", lambda when=when: when)
        step()
    lines = model_timeline(store, "passed", now=NOW)
    assert len(lines) == 3
    assert lines[0].startswith(f"Model {a} (students · passed · Simple (logistic/linear) · ")
    assert lines[0].endswith("was in use 3 Mar – 10 Apr, then model " + str(b) + ".")
    assert lines[1].startswith(f"Model {b} (students · passed · Decision tree · ")
    assert lines[1].endswith(f"was in use 10 Apr – 12 Apr, then model {a}.")
    assert lines[2].endswith("is in use since 12 Apr.")
    assert model_timeline(store, "another target") == []


def test_a_rollback_with_nothing_before_ends_the_timeline_with_none_in_use(two_models, monkeypatch):
    store, a, _ = two_models
    monkeypatch.setattr(db, "_now", lambda: datetime(2026, 11, 30, 8, 5))
    store.promote_model(a)
    monkeypatch.setattr(db, "_now", lambda: datetime(2026, 11, 30, 9, 40))
    store.rollback_model(a)
    assert model_timeline(store, now=NOW)[-1].endswith("was in use on 30 Nov, 08:05–09:40, then none (rolled back).")


def test_a_trial_is_named_by_its_recipes_plain_names_and_time_never_by_recipe_ids():
    trial = {"trial_id": 2, "dataset": "churn", "target": "churned", "task": "binary", "a": "simple", "b": "tree",
             "created_at": "2026-12-01 17:50:53", "rerun_of": 1, "rerun_same": True, "winner": "none"}
    assert trial_label(trial, now=NOW) == ("2: Simple (logistic/linear) vs Decision tree · 1 Dec 17:50 · "
                                           "re-run of trial 1 · same numbers")
    assert trial_label(trial, dataset=True, now=NOW).startswith("2: churn · churned · Simple (logistic/linear) vs ")
    first = {**trial, "trial_id": 1, "rerun_of": None, "rerun_same": None}
    assert trial_label(first, now=NOW) == "1: Simple (logistic/linear) vs Decision tree · 1 Dec 17:50"


def test_a_number_target_names_its_recipes_for_numbers_and_an_unknown_id_stays_as_it_is():
    assert recipe_words("baseline", "numeric") == "Always guess the typical value"
    assert recipe_words("baseline", "binary") == "Always guess the most common"
    assert recipe_words("my_own", "binary") == "my_own"


def test_the_winner_is_named_or_said_to_be_missing():
    trial = {"a": "simple", "b": "forest", "task": "binary"}
    assert winner_words({**trial, "winner": "b"}) == "B: Random forest"
    assert winner_words({**trial, "winner": "a"}) == "A: Simple (logistic/linear)"
    assert winner_words({**trial, "winner": "none"}) == "no clear winner"


def test_rerun_words_say_whether_the_numbers_matched():
    assert rerun_words({"rerun_of": None}) == ""
    assert rerun_words({"rerun_of": 4, "rerun_same": False}) == "re-run of trial 4 · numbers differ"
    assert rerun_words({"rerun_of": 4, "rerun_same": None}) == "re-run of trial 4"
