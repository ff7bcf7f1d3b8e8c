"""History: every stored dataset and trial, their reports, and the audit log."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import state
import ui
from fairtrial.model_names import recipe_words, rerun_words, trial_label, winner_words
from fairtrial.value import format_price
from fairtrial.workflow import report_bytes

st.title("History")
ui.help_line("Everything FairTrial has stored on this computer: datasets, trials and what was done when. "
             "Open any trial again, or download its report.")

trials = ui.attempt(lambda: ui.store().list_trials())
if trials is not None:
    st.subheader("Trials")
    if not trials:
        st.info("No trials yet. Run one on the Trial page.")
    else:
        table = pd.DataFrame([{
            "trial": t["trial_id"], "run at": t["created_at"], "dataset": t["dataset"], "predicts": t["target"],
            "recipe A": recipe_words(t["a"], t["task"]), "recipe B": recipe_words(t["b"], t["task"]),
            "winner": winner_words(t), "re-run": rerun_words(t), "verdict": t["verdict"]} for t in trials])
        st.dataframe(table, hide_index=True, width="stretch", key="history_trials",
                     column_config={"winner": st.column_config.TextColumn(
                                        help="The recipe that won, or 'no clear winner' when the difference could be luck."),
                                    "re-run": st.column_config.TextColumn(
                                        help="A trial run again from another's settings, and whether the numbers "
                                             "came out the same."),
                                    "verdict": st.column_config.TextColumn(width="large")})
        by_id = {t["trial_id"]: t for t in trials}
        chosen = st.selectbox("Trial", list(by_id), key="history_trial",
                              format_func=lambda i: trial_label(by_id[i], dataset=True))
        chosen_trial = ui.attempt(lambda: ui.store().get_trial(int(chosen))) or {}
        prices = (chosen_trial.get("plan") or {}).get("value")
        if prices:
            cur = prices.get("currency") or ""
            st.caption(f"Prices of this trial's money view: a correct flag earns {format_price(prices['hit'], cur)}, "
                       f"a false alarm costs {format_price(prices['false_alarm'], cur)}, a miss costs "
                       f"{format_price(prices['miss'], cur)}.")
        c1, c2, c3 = st.columns(3)
        if c1.button("Open in Results", icon=":material/open_in_new:", key="history_open"):
            state.choose_dataset(int(by_id[chosen]["dataset_id"]))
            state.set("target", by_id[chosen]["target"])
            state.set("trial_id", int(chosen))
            st.switch_page("views/results.py")
        files = ui.attempt(lambda: ui.memo(("report", ui.store().path.as_posix(), int(chosen)),
                                           lambda: report_bytes(ui.store(), int(chosen))))
        if files is not None:
            xlsx, page = files
            c2.download_button("Excel report", xlsx, file_name=f"fairtrial-trial-{chosen}.xlsx",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                               icon=":material/download:", key="history_xlsx")
            c3.download_button("One-page summary (HTML)", page, file_name=f"fairtrial-trial-{chosen}.html",
                               mime="text/html", icon=":material/download:", key="history_html")

datasets = ui.attempt(lambda: ui.store().list_datasets())
if datasets is not None:
    st.subheader("Datasets")
    if not datasets:
        st.info("Nothing stored yet. Start on the Upload page.")
    else:
        frame = pd.DataFrame([{"number": d["dataset_id"], "name": d["name"], "rows": d["rows"],
                               "columns": d["columns"], "file": d["source_file"], "stored at": d["created_at"]}
                              for d in datasets])
        st.dataframe(frame, hide_index=True, width="stretch", key="history_datasets")
        names = {d["dataset_id"]: d["name"] for d in datasets}
        choice = st.selectbox("Work with dataset", list(names), format_func=lambda i: f"{i}: {names[i]}",
                              key="history_dataset")
        if st.button("Use this dataset", key="history_use"):
            state.choose_dataset(int(choice))
            st.success(f"Now working with dataset {choice}. Go on to the Check page.")

log = ui.attempt(lambda: ui.store().audit_log(limit=50))
if log:
    st.subheader("What was done")
    ui.help_line("The audit log: every dataset stored, check run, trial, model promoted or rolled back.")
    st.dataframe(pd.DataFrame([{"when": e["at"], "who": e["actor"], "what": e["action"],
                                "on": f"{e['object_type']} {e['object_id']}" if e["object_type"] else ""}
                               for e in log]), hide_index=True, width="stretch", key="history_log")
