"""FairTrial app entry: page config, sidebar and navigation. Pages live in views/."""

from __future__ import annotations

import streamlit as st

import state
import ui

st.set_page_config(page_title="FairTrial", page_icon=":material/balance:", layout="wide")

PAGES = [
    st.Page("views/upload.py", title="1. Upload", icon=":material/upload_file:", default=True),
    st.Page("views/check.py", title="2. Check", icon=":material/fact_check:"),
    st.Page("views/trial.py", title="3. Trial", icon=":material/science:"),
    st.Page("views/results.py", title="4. Results", icon=":material/emoji_events:"),
    st.Page("views/history.py", title="5. History", icon=":material/history:"),
    st.Page("views/new_data.py", title="6. New data", icon=":material/update:"),
]

page = st.navigation(PAGES)

with st.sidebar:
    st.markdown("### FairTrial")
    st.caption("A fair A/B trial of two model recipes, explained in plain words.")
    status = st.container()


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
