"""Classroom mode in the app (AppTest, no browser): the sidebar switch, longer explanations from
the glossary, the Lessons page (guided tour, "break it on purpose" lessons) and the Check page's
one-click "with and without a column" trial."""

from __future__ import annotations

from test_pages import app_at, stored, texts

from fairtrial.lessons import TOUR
from fairtrial.store import Store


def test_the_sidebar_switch_turns_on_the_longer_explanations():
    at = app_at("views/check.py", dataset_id=stored("churn.csv"))
    assert at.sidebar.toggle(key="classroom_mode").value is False
    assert not [e for e in at.main.info if "Words on this page:" in e.value]
    at.sidebar.toggle(key="classroom_mode").set_value(True).run()
    assert not at.exception
    words = next(e.value for e in at.main.info if e.value.startswith("Words on this page:"))
    assert "- **Leakage (a column that gives the answer away):**" in words and "For example:" in words


def test_the_lessons_page_has_a_numbered_guided_tour_that_loads_the_sample():
    at = app_at("views/lessons.py", classroom_mode=True)
    assert at.title[0].value == "Classroom lessons"
    tour = next(m.value for m in at.markdown if m.value.startswith("1. **Upload.**"))
    assert [f"{i}. **{step}.**" in tour for i, (step, _, _) in enumerate(TOUR, 1)] == [True] * len(TOUR)
    at.button(key="tour_load").click().run()
    assert not at.exception
    assert at.session_state["target"] == "passed"
    assert Store().get_dataset(at.session_state["dataset_id"]).name == "students"
    assert "Next: step 2, the Check page." in texts(at)


def test_a_lesson_stores_its_copy_and_shows_the_story_next_to_what_the_checks_caught():
    at = app_at("views/lessons.py", classroom_mode=True)
    assert at.selectbox(key="lesson_pick").value == "leak"
    assert "**What we did:** We added a column called 'certificate_issued'" in texts(at)
    at.button(key="lesson_run").click().run()
    assert not at.exception, [e.message for e in at.exception]
    names = [d["name"] for d in Store().list_datasets()]
    assert names == ["students — lesson: a leaky column"]
    assert at.session_state["target"] == "passed" and at.session_state["trial_id"] is not None
    assert "A copy of the target" in [e.label for e in at.expander]
    words = texts(at)
    assert "too good to be true" in words
    assert "B is the same recipe as A without the column 'certificate_issued'" in words
    assert "**What this lesson expects:** A's near-perfect score is fake" in words
    handout = at.get("download_button")
    assert [b.label for b in handout] == ["Class handout to print (one page)"]


def test_a_lesson_no_check_can_catch_says_why_and_the_trial_names_no_winner():
    at = app_at("views/lessons.py", classroom_mode=True)
    at.selectbox(key="lesson_pick").select("shuffle").run()
    at.button(key="lesson_run").click().run()
    assert not at.exception, [e.message for e in at.exception]
    info = "\n".join(e.value for e in at.info)
    assert "looks normal to every data check" in info
    assert "neither recipe is clearly better than always guessing 'pass'" in texts(at)


def test_check_page_tries_a_people_column_with_and_without_in_one_click():
    dataset_id = stored("loans.csv")
    at = app_at("views/check.py", dataset_id=dataset_id)
    pick = at.selectbox(key="check_with_without_approved")
    assert pick.value == "age"  # the first flagged column: the proposed people columns come after any leak
    assert pick.options[:3] == ["age (flagged by the checks)", "gender (flagged by the checks)",
                                "ethnicity (flagged by the checks)"]
    pick.select("gender").run()
    at.button(key="check_with_without_run").click().run()
    assert not at.exception, [e.message for e in at.exception]
    trial = Store().get_trial(at.session_state["trial_id"])
    assert trial["plan"]["recipe_b"]["without"] == ["gender"]
    assert "gender" in trial["result"]["a"]["columns"] and "gender" not in trial["result"]["b"]["columns"]
    assert "B is the same recipe as A without the column 'gender'" in trial["result"]["verdict"]["text"]
    assert at.title[0].value == "Results"  # the trial opens on the Results page, with the handout to print
    assert "Class handout to print (one page)" in [b.label for b in at.get("download_button")]


def test_the_results_page_explains_the_words_of_its_tabs_in_classroom_mode():
    """The Results page's tabs (Fairness, Calibration and errors, Cost, What mattered) each have their word."""
    from test_pages import _checked, _stored_trial

    state = _checked("students.csv", "passed")
    trial_id, _, _, _ = _stored_trial(state, "simple", "tree")
    at = app_at("views/results.py", **state, trial_id=trial_id, classroom_mode=True)
    words = next(e.value for e in at.main.info if e.value.startswith("Words on this page:"))
    for name in ("95% range", "Group gap", "Calibration error", "Robustness", "Cost (time and size)",
                 "Importance"):
        assert f"- **{name}:**" in words, name
