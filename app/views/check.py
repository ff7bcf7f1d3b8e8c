"""Check: the automatic data checks before any training."""

from __future__ import annotations

import streamlit as st

import ui

st.title("Check the data")
ui.help_line("Before training, FairTrial looks for leaks, imbalance, bias and quality problems, and says what to do.")
ui.need_dataset()
