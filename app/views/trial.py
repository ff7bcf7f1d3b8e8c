"""Trial: choose two recipes and run a fair A/B trial."""

from __future__ import annotations

import streamlit as st

import ui

st.title("Run a trial")
ui.help_line("Pick two recipes. FairTrial trains both on exactly the same splits and tells you which is better.")
ui.need_dataset()
