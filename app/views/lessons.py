"""Lessons (classroom mode): a guided tour over a sample, and "break it on purpose" lessons."""

from __future__ import annotations

import streamlit as st

import state
import ui
from fairtrial.lessons import LESSONS, TOUR, TOUR_SAMPLE, caught_findings, lesson_by_id, run_lesson
from fairtrial.samples import sample_by_file

st.title("Classroom lessons")
ui.help_line(
    "Start with the guided tour over a clean sample, then break a copy of a sample on purpose and watch "
    "FairTrial's checks catch the problem and a fair A/B trial expose it. The sample files are never changed: "
    "each lesson stores its own copy, named after the lesson."
)

# --- the guided tour ------------------------------------------------------------------------------
with st.expander("Guided tour: from a table to a verdict in six steps", icon=":material/tour:",
                 expanded=state.dataset_id() is None):
    st.markdown("\n".join(f"{i}. **{step}.** {do}  \n   *What to look at:* {look}"
                          for i, (step, do, look) in enumerate(TOUR, 1)))
    if st.button("Load the students' table", icon=":material/upload_file:", key="tour_load"):
        from fairtrial.load import load_file

        sample = sample_by_file(TOUR_SAMPLE)
        stored = ui.attempt(lambda: ui.store().save_dataset(load_file(sample.path)))
        if stored is not None:
            state.choose_dataset(stored[0].dataset_id)
            state.set("target", sample.target)
            st.success(f"Loaded '{stored[0].name}' ({stored[0].n_rows:,} rows). Next: step 2, the Check page.",
                       icon=":material/check_circle:")
    st.page_link("views/check.py", label="Step 2: Check", icon=":material/fact_check:")

# --- break it on purpose ------------------------------------------------------------------------------
st.subheader("Break it on purpose")
lesson_id = st.selectbox("Pick a lesson", [lesson.id for lesson in LESSONS],
                         format_func=lambda i: lesson_by_id(i).title, key="lesson_pick")
lesson = lesson_by_id(lesson_id)
st.caption(f"Uses a copy of the sample '{sample_by_file(lesson.sample).title}'; the copy is stored as "
           f"'{lesson.dataset_name}'. Column to predict: `{lesson.target}`.")

story, caught_col = st.columns(2)
with story:
    st.markdown("#### The story")
    st.markdown(f"**What we did:** {lesson.what_we_did}")
    st.markdown(f"**What to look for:** {lesson.look_for}")
    st.markdown(f"**What it teaches:** {lesson.teaches}")
    st.markdown(f"**Talk about it:** {lesson.discuss}")
ui.classroom_words(list(lesson.terms), "Words for this lesson:")

done = st.session_state.get("lesson_done") or {}
if st.button("Plant the problem and run the checks and the trial", type="primary", icon=":material/science:",
             key="lesson_run"):
    bar, update = ui.progress_bar("Planting the problem in a copy ...")
    run = ui.attempt(lambda: run_lesson(ui.store(), lesson, progress=update))
    bar.empty()
    if run is not None:
        state.choose_dataset(run.dataset.dataset_id)
        state.set("target", lesson.target)
        state.set("trial_id", run.trial_id)
        done = {"lesson": lesson.id, "dataset_id": run.dataset.dataset_id, "trial_id": run.trial_id}
        st.session_state["lesson_done"] = done

with caught_col:
    st.markdown("#### What the checks caught")
    if done.get("lesson") != lesson.id:
        st.caption("Press the button below the story to plant the problem; the checks' findings appear here.")
    else:
        latest = ui.attempt(lambda: ui.store().latest_check_run(done["dataset_id"], target=lesson.target))
        findings = (latest or {}).get("findings") or []
        caught, missed = caught_findings(lesson, findings)
        if not lesson.expected:
            st.info(lesson.no_check, icon=":material/visibility_off:")
        for finding in caught:
            ui.finding_card(finding, key=f"lesson_{finding.check}")
        if missed:
            st.warning("The checks did not raise everything this lesson expects: "
                       + "; ".join(f"'{e.column}'" for e in missed) + ".", icon=":material/warning:")

if done.get("lesson") == lesson.id and done.get("trial_id") is not None:
    trial = ui.attempt(lambda: ui.store().get_trial(done["trial_id"]))
    if trial is not None:
        result = trial["result"]
        st.markdown("#### What the trial showed")
        st.markdown(f"**Recipe A:** {result['a']['label']}  \n**Recipe B:** {result['b']['label']}")
        st.markdown((result.get("verdict") or {}).get("text", ""))
        for sentence in result.get("groups_summary") or []:
            st.markdown(f"- {sentence}")
        st.success(f"**What this lesson expects:** {lesson.promise}", icon=":material/school:")
        ui.handout_button(int(done["trial_id"]), key="lesson_handout")
        st.page_link("views/check.py", label="See every finding on the Check page", icon=":material/fact_check:")
        st.page_link("views/results.py", label="See the whole trial on the Results page",
                     icon=":material/emoji_events:")
