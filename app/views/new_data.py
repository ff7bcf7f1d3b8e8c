"""New data: check new rows for drift and score them with a saved model; promote or roll back."""

from __future__ import annotations

import io

import streamlit as st

import ui
from fairtrial.charts_drift import drift_chart
from fairtrial.checks.personal import hide_personal
from fairtrial.model_names import model_label, model_timeline, status_words
from fairtrial.report import write_predictions_workbook
from fairtrial.workflow import check_new_data, personal_columns, score_new_data

st.title("New data")
ui.help_line(
    "Upload new rows (for example this month's customers). FairTrial first checks whether they look like the "
    "rows the model learned from, then adds the model's prediction to each row."
)

models = ui.attempt(lambda: ui.store().list_models())
if models is None:
    ui.halt()
if not models:
    st.info("There are no saved models yet: every trial saves its two models. Run a trial first.")
    st.page_link("views/trial.py", label="Go to Trial", icon=":material/science:")
    ui.halt()

st.subheader("Which model?")


def _promote(model_id: int) -> None:
    """Runs before the page is drawn again, so every label below already shows the new state."""
    replaced = ui.attempt(lambda: ui.store().promote_model(model_id))
    st.session_state["new_said"] = f"Model {model_id} is now in use" + (
        f"; it replaces model {replaced}." if replaced else ".")


def _rollback(model_id: int) -> None:
    restored = ui.attempt(lambda: ui.store().rollback_model(model_id))
    st.session_state["new_said"] = f"Model {model_id} is out of use" + (
        f"; model {restored} is back in use." if restored else "; no earlier model was in use.")


said = st.session_state.pop("new_said", None)
if said:
    st.success(said, icon=":material/check:")
by_id = {m["model_id"]: m for m in models}
in_use = [m["model_id"] for m in models if m["status"] == "promoted"]
# The browser keeps showing a picked choice's old words when only its words change, so the picker is
# drawn anew (its key names every model's status) whenever a model goes in or out of use; the model
# picked is kept apart and stays picked.
picked = st.session_state.get("new_model_picked")
if picked not in by_id:
    picked = in_use[0] if in_use else next(iter(by_id))
statuses = "".join(f"{i}{status_words(m)[0]}" for i, m in by_id.items())
model_id = st.selectbox(
    "Saved model", list(by_id), index=list(by_id).index(picked),
    format_func=lambda i: f"{i}: {model_label(by_id[i])} ({status_words(by_id[i])})",
    key=f"new_model_{statuses}",
)
st.session_state["new_model_picked"] = model_id
c1, c2 = st.columns(2)
if by_id[model_id]["status"] != "promoted":
    c1.button("Put this model in use", icon=":material/publish:", key="new_promote", on_click=_promote,
              args=(model_id,), help="The model in use is the one the command line scores with by default.")
else:
    c2.button("Roll back", icon=":material/undo:", key="new_rollback", on_click=_rollback, args=(model_id,),
              help="Take this model out of use and bring back the one before.")
timeline = ui.attempt(lambda: model_timeline(ui.store(), (by_id[model_id]["metadata"] or {}).get("target")))
if timeline:
    with st.expander("When each model was in use", icon=":material/history:"):
        st.markdown("\n".join(f"- {line}" for line in timeline))

st.subheader("The new rows")
upload = st.file_uploader("CSV or Excel file with the new rows", type=["csv", "tsv", "txt", "xlsx", "xlsm", "xls"],
                          key="new_file")
if upload is None:
    ui.halt()
new = ui.attempt(lambda: ui.load_upload(upload.getvalue(), upload.name, None))
if new is None:
    ui.halt()

drift_ctx = ui.attempt(lambda: ui.memo(("drift", model_id, new.sha256), lambda: check_new_data(ui.store(), model_id, new)))
if drift_ctx is None:
    ui.halt()
drift, _ctx = drift_ctx
st.markdown(f"**{drift.summary}**")

st.plotly_chart(drift_chart(drift), width="stretch", key="new_drift_chart")
st.caption("Each bar is one column: the longer, the more it has changed. Above the first line is worth a look; "
           "above the second, the model may score these rows badly.")
for i, finding in enumerate(drift.findings):
    ui.finding_card(finding, key=f"drift_{i}")

if drift.blocking:
    st.error("Scoring is blocked: the new rows lack columns the model needs (see above).")
    ui.halt()

if st.button("Score the new rows", type="primary", icon=":material/calculate:", key="new_score"):
    scored = ui.attempt(lambda: score_new_data(ui.store(), model_id, new))
    if scored is not None:
        table, _ = scored
        pii = ui.attempt(lambda: personal_columns(ui.store(), model_id, new)) or []
        st.dataframe(hide_personal(table.head(200), pii), width="stretch")
        st.caption(f"{len(table):,} rows scored. 'prediction' is the model's answer for each row.")
        buffer = io.BytesIO()
        for note in write_predictions_workbook(table, buffer, pii_columns=pii):
            st.caption(note)
        st.download_button("Download the rows with predictions (Excel)", buffer.getvalue(),
                           file_name="predictions.xlsx", icon=":material/download:", key="new_download",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
