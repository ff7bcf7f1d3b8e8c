"""New data: check new rows for drift and score them with a saved model."""

from __future__ import annotations

import streamlit as st

import ui

st.title("New data")
ui.help_line("Upload new rows to see whether they look like the data the model learned from, and score them.")
ui.need_dataset()
