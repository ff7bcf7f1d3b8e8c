"""Classroom lessons (fairtrial.lessons): each plants one problem in a copy of a sample, the
real checks catch it (and do not raise the same finding on the clean sample), and the lesson's
A/B trial, run by the real engine with the lesson's own settings, says in words what the lesson
promises."""

from __future__ import annotations

import pandas as pd
import pytest

from fairtrial.errors import BadChoiceError
from fairtrial.glossary import terms_for
from fairtrial.lessons import LESSONS, caught_findings, lesson_by_id, lesson_dataset, plant, run_lesson
from fairtrial.load import load_file
from fairtrial.samples import sample_by_file
from fairtrial.store import Store
from fairtrial.workflow import check_dataset


def _sample(lesson):
    return load_file(sample_by_file(lesson.sample).path)


@pytest.fixture(scope="module")
def runs():
    """Every lesson run once, end to end, with the lesson's own trial settings (what a class sees)."""
    return {lesson.id: run_lesson(None, lesson) for lesson in LESSONS}


# --- the lessons as data ------------------------------------------------------------------------
def test_there_are_four_lessons_each_with_a_story_a_trial_and_a_question():
    assert [lesson.id for lesson in LESSONS] == ["leak", "rare", "bias", "shuffle"]
    for lesson in LESSONS:
        story = lesson.story()
        assert story.startswith("What we did: ") and "What to look for: " in story and "What it teaches: " in story
        assert lesson.discuss.endswith("?")
        assert 3 <= len(lesson.terms) <= 5
        assert [t.id for t in terms_for(lesson.terms)] == list(lesson.terms)  # every word is in the glossary
        assert lesson.expected or lesson.no_check  # either a check catches it, or the lesson says why none can


def test_the_guided_tour_has_numbered_steps_over_a_clean_sample():
    from fairtrial.lessons import TOUR, TOUR_SAMPLE

    assert TOUR_SAMPLE == "students.csv"
    assert [step for step, _, _ in TOUR][:4] == ["Upload", "Check", "Trial", "Results"]
    assert all(do and look for _, do, look in TOUR)


def test_the_planted_copy_is_named_after_its_sample_and_lesson():
    assert lesson_by_id("leak").dataset_name == "students — lesson: a leaky column"
    assert lesson_by_id("bias").dataset_name == "loans — lesson: biased answers"


def test_an_unknown_lesson_is_a_plain_error():
    with pytest.raises(BadChoiceError, match="There is no lesson called 'magic'"):
        lesson_by_id("magic")


# --- planting: on a copy, the same every time -----------------------------------------------------
@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_planting_leaves_the_sample_alone_and_repeats_exactly(lesson):
    frame = _sample(lesson).frame
    before = frame.copy()
    first, again, other = plant(lesson, frame), plant(lesson, frame), plant(lesson, frame, seed=7)
    pd.testing.assert_frame_equal(frame, before)
    pd.testing.assert_frame_equal(first.frame, again.frame)
    assert not first.frame.equals(other.frame)
    assert not first.frame.equals(frame)


def test_the_leak_is_filled_in_after_the_outcome():
    planted = plant(lesson_by_id("leak"), _sample(lesson_by_id("leak")).frame)
    frame = planted.frame
    assert list(frame.columns[-2:]) == ["certificate_issued", "passed"]
    assert (frame.loc[frame["passed"] == "fail", "certificate_issued"] == "no").all()
    # almost every pass has its certificate; a few are not recorded yet, as with real leaks
    assert 0 < planted.facts["passed_without_certificate"] <= 0.03 * planted.facts["passed"]


def test_the_rare_answer_keeps_six_in_a_hundred_refusals():
    planted = plant(lesson_by_id("rare"), _sample(lesson_by_id("rare")).frame)
    shares = planted.frame["approved"].value_counts(normalize=True)
    assert shares["no"] == pytest.approx(72 / 1872)
    assert planted.facts["always_yes_accuracy"] == pytest.approx(1800 / 1872)


def test_the_biased_answers_turn_half_the_womens_approvals_into_refusals():
    lesson = lesson_by_id("bias")
    original = _sample(lesson).frame
    planted = plant(lesson, original)
    men = original["gender"] == "male"
    pd.testing.assert_series_equal(planted.frame.loc[men, "approved"], original.loc[men, "approved"])
    after, before = planted.facts["approval_after"], planted.facts["approval_before"]
    assert after["female"] == pytest.approx(before["female"] / 2, abs=0.03)
    assert after["male"] == before["male"]


def test_the_shuffled_answers_keep_the_same_counts():
    lesson = lesson_by_id("shuffle")
    original = _sample(lesson).frame
    planted = plant(lesson, original).frame
    assert planted["passed"].value_counts().to_dict() == original["passed"].value_counts().to_dict()
    pd.testing.assert_frame_equal(planted.drop(columns="passed"), original.drop(columns="passed"))


def test_the_planted_copy_is_stored_as_a_new_dataset_with_a_clear_name():
    store = Store()
    ds, _ = lesson_dataset(lesson_by_id("leak"))
    stored, reused = store.save_dataset(ds)
    assert not reused
    names = [d["name"] for d in store.list_datasets()]
    assert names == ["students — lesson: a leaky column"]
    assert stored.kinds["certificate_issued"] in ("boolean", "category")
    assert "planted on purpose" in stored.notes[-1]


# --- the checks catch it, and not on the clean sample ------------------------------------------------
@pytest.mark.parametrize("lesson", [lesson for lesson in LESSONS if lesson.expected], ids=lambda lesson: lesson.id)
def test_the_checks_catch_the_planted_problem_and_not_on_the_clean_sample(lesson, runs):
    run = runs[lesson.id]
    assert run.missed == ()
    assert [f.columns[0] for f in run.caught] == [e.column for e in lesson.expected]
    assert run.caught_words().startswith("The checks caught it: ")
    clean = _sample(lesson)
    report, _ = check_dataset(None, clean, lesson.target)
    caught, missed = caught_findings(lesson, report.findings)
    assert caught == () and missed == lesson.expected


def test_the_leak_is_kept_out_of_the_models_by_the_checks(runs):
    assert "certificate_issued" in runs["leak"].report.excluded_columns


def test_no_data_check_catches_shuffled_answers_and_the_lesson_says_why(runs):
    lesson = lesson_by_id("shuffle")
    seen = {(f.check, f.severity, f.columns) for f in runs["shuffle"].report.findings}
    report, _ = check_dataset(None, _sample(lesson), lesson.target)
    assert seen == {(f.check, f.severity, f.columns) for f in report.findings}
    assert runs["shuffle"].caught_words() == lesson.no_check
    assert "looks normal to every data check" in lesson.no_check


# --- the trial exposes it, in words -------------------------------------------------------------------
def test_the_leak_trial_calls_As_score_too_good_to_be_true(runs):
    data = runs["leak"].result
    text = data["verdict"]["text"]
    assert data["a"]["label"] == "Simple (logistic/linear) — with 'certificate_issued'"
    assert data["b"]["label"] == "Simple (logistic/linear) — without 'certificate_issued'"
    assert "certificate_issued" in data["a"]["columns"] and "certificate_issued" not in data["b"]["columns"]
    assert [item["role"] for item in data["too_good"]] == ["a"]
    assert f"for {data['a']['label']} is too good to be true" in text
    assert "B is the same recipe as A without the column 'certificate_issued'" in text
    assert data["b"]["beats_baseline"] is True  # the honest model is still useful
    assert ("The checks kept 'certificate_issued' out of the models because it seems to give the answer away: if it "
            "is only known after the outcome, A's lead is not real and B's score is the honest one.") in text
    assert data["next_steps"][1] == (
        f"Do not use {data['a']['label']}: its lead comes only from 'certificate_issued', which the checks kept out "
        f"because it seems to give the answer away. Use {data['b']['label']}, the same recipe without it, unless "
        "'certificate_issued' is really known before the outcome.")


def test_the_rare_answer_trial_scores_every_answer_equally_and_B_wins(runs):
    data = runs["rare"].result
    assert data["primary_metric"] == "balanced_accuracy"
    assert "only 3.8% of the rows in the trial are 'no'" in data["metric_reason"]
    assert data["verdict"]["winner"] == "b"
    assert data["verdict"]["text"].startswith(f"{data['b']['label']} beats {data['a']['label']}")


def test_the_biased_answers_trial_shows_A_copying_the_unfair_pattern(runs):
    data = runs["bias"].result
    gaps = {role: data["groups"]["gender"]["metrics"][role]["demographic_parity_difference"] for role in ("a", "b")}
    assert gaps["a"] > 0.3 > 0.1 > gaps["b"]
    assert any(s.startswith(f"Recipe B ({data['b']['label']})") and "treats the two gender groups far more evenly" in s
               for s in data["groups_summary"])
    assert "B is the same recipe as A without the column 'gender'" in data["verdict"]["text"]
    assert "gender" in data["plan"]["sensitive"]  # still used to compare the groups
    assert ("'gender' describes people: A's lead comes from treating people differently by it; look at the group "
            "results before using it.") in data["verdict"]["text"]
    assert any(step.startswith(f"Think twice before using {data['a']['label']}: its lead comes only from 'gender'")
               for step in data["next_steps"])
    assert not any(step.startswith("Use ") for step in data["next_steps"])


def test_the_shuffled_answers_trial_names_no_winner_because_nothing_beats_guessing(runs):
    data = runs["shuffle"].result
    assert data["verdict"]["winner"] == "none"
    assert "neither recipe is clearly better than always guessing 'pass'" in data["verdict"]["text"]
    assert not data["a"]["beats_baseline"] and not data["b"]["beats_baseline"]
    # 'pass' is common but 'fail' is not rare: saying 'pass' to nearly everyone is not the imbalance's
    # doing, so nobody is told that rare answers were the trouble (issue 11's classroom: nothing to learn).
    text = data["verdict"]["text"] + " ".join(data["next_steps"])
    assert "with only" not in text and "rare answers are hard to tell apart" not in text
    assert "say little about" in text
