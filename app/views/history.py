"""History: every stored dataset and trial, and the audit log."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import state
import ui

st.title("History")
ui.help_line("Everything FairTrial has stored on this computer: datasets, trials and what was done when.")

datasets = ui.attempt(lambda: ui.store().list_datasets())
if datasets is not None:
    st.subheader("Datasets")
    if not datasets:
        st.info("Nothing stored yet. Start on the Upload page.")
    else:
        frame = pd.DataFrame(datasets)[["dataset_id", "name", "rows", "columns", "source_file", "created_at"]]
        st.dataframe(frame, hide_index=True, width="stretch")
        choice = st.selectbox("Work with dataset", [d["dataset_id"] for d in datasets],
                              format_func=lambda i: f"{i}: {next(d['name'] for d in datasets if d['dataset_id'] == i)}",
                              key="history_dataset")
        if st.button("Use this dataset", key="history_use"):
            state.choose_dataset(int(choice))
            st.success(f"Now working with dataset {choice}.")

log = ui.attempt(lambda: ui.store().audit_log(limit=50))
if log:
    st.subheader("What was done")
    st.dataframe(pd.DataFrame(log)[["at", "actor", "action", "object_type", "object_id"]], hide_index=True,
                 width="stretch")
