"""Results: the verdict, in plain words, with the numbers behind it."""

from __future__ import annotations

import streamlit as st

import ui

st.title("Results")
ui.help_line("Which recipe won, by how much, whether that could be luck, and what it costs.")
ui.need_dataset()
