"""FairTrial app entry: page config, sidebar and navigation. Pages live in views/."""

from __future__ import annotations

import hmac
import os

import streamlit as st

import state
import ui
from fairtrial import workers

workers.use_fork_server()  # the trials' worker processes come from one fork server (its imports done once)

st.set_page_config(page_title="FairTrial", page_icon=":material/balance:", layout="wide")


def password_gate() -> None:
    """When the app is shared (``fairtrial app --share``), ask for the password before any page."""
    if os.environ.get("FAIRTRIAL_APP_SHARED") != "1" or st.session_state.get("_fairtrial_unlocked"):
        return
    expected = os.environ.get("FAIRTRIAL_APP_PASSWORD", "")
    st.title("FairTrial")
    if not expected.strip():
        st.error("This shared app has no password set, so it stays closed. "
                 "Start it again with FAIRTRIAL_APP_PASSWORD set.")
        st.stop()
    typed = st.text_input("Password", type="password", key="_fairtrial_password")
    if typed and hmac.compare_digest(typed.encode("utf-8"), expected.encode("utf-8")):
        st.session_state["_fairtrial_unlocked"] = True
        del st.session_state["_fairtrial_password"]
        st.rerun()
    if typed:
        st.error("That password is not right.")
    st.stop()


password_gate()

PAGES = [
    st.Page("views/upload.py", title="1. Upload", icon=":material/upload_file:", default=True),
    st.Page("views/check.py", title="2. Check", icon=":material/fact_check:"),
    st.Page("views/trial.py", title="3. Trial", icon=":material/science:"),
    st.Page("views/results.py", title="4. Results", icon=":material/emoji_events:"),
    st.Page("views/history.py", title="5. History", icon=":material/history:"),
    st.Page("views/new_data.py", title="6. New data", icon=":material/update:"),
]
# Classroom mode: longer explanations on every page, and the Lessons page (a guided tour and
# "break it on purpose" lessons). The switch sits above the navigation, which depends on it.
with st.sidebar:
    st.toggle("Classroom mode", key="classroom_mode",
              help="For teachers: longer explanations in plain words, a guided tour over a sample, and lessons "
                   "that break a copy of a sample on purpose so the class can watch FairTrial catch it.")
if ui.classroom():
    PAGES.append(st.Page("views/lessons.py", title="Lessons", icon=":material/school:"))

page = st.navigation(PAGES)

with st.sidebar:
    st.markdown("### FairTrial")
    st.caption("A fair A/B trial of two model recipes, explained in plain words.")
    status = st.container()
    ui.glossary_panel()


def sidebar_status() -> None:
    """The current dataset, target and step."""
    with status:
        dataset_id = state.dataset_id()
        if dataset_id is None:
            st.markdown("**Dataset:** none yet")
        else:
            ds = ui.attempt(lambda: ui.dataset(dataset_id))
            if ds is not None:
                st.markdown(f"**Dataset:** {ds.name}  \n{ds.n_rows:,} rows, {ds.n_cols} columns")
            target = state.get("target")
            if target:
                st.markdown(f"**Predicting:** `{target}`")
        st.markdown(f"**Step:** {page.title}")


try:
    page.run()
except ui.Halt:
    pass  # the page ended early on purpose
finally:
    # Filled after the page ran (even when it ended early), so it shows what the page just chose.
    sidebar_status()
