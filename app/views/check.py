"""Check: the automatic data checks before any training."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import state
import ui
from fairtrial import settings, workers
from fairtrial.findings import SEVERITIES, same_kind
from fairtrial.samples import SAMPLES
from fairtrial.workflow import check_dataset

SAME_KIND_SHOWN = 3  # findings of one kind shown before the rest fold away

st.title("Check the data")
ui.help_line(
    "Before anything is trained, FairTrial looks for answers hidden in the data (leaks), rare outcomes, "
    "unfair differences between groups, personal data and quality problems, and says what to do."
)

dataset_id = ui.need_dataset()
ds = ui.attempt(lambda: ui.dataset(dataset_id))
if ds is None:
    ui.halt()

suggested = state.get("target") or next((s.target for s in SAMPLES if s.file.rsplit(".", 1)[0] == ds.name), None)
target = st.selectbox(
    "Which column do you want to predict?",
    ds.columns,
    index=ds.columns.index(suggested) if suggested in ds.columns else None,
    placeholder="Choose the column to predict",
    help="The answer you want FairTrial to learn, e.g. whether a customer left, or a price.",
    key="check_target",
)
if target is None:
    st.info("Choose the column to predict to start the checks.")
    ui.halt()
if target != state.get("target"):
    state.set("target", target)
    state.set("sensitive", None)
    state.set("include", [])
    state.set("exclude", [])

with st.expander("Advanced choices", icon=":material/tune:"):
    task_choice = st.radio(
        "What kind of prediction?",
        ["Let FairTrial decide", "binary", "multiclass", "numeric"],
        horizontal=True,
        help="binary: one of two answers (yes/no); multiclass: one of a few answers; numeric: a number.",
        key="check_task",
    )
    extra_exclude = st.multiselect(
        "Leave these columns out of the models", [c for c in ds.columns if c != target],
        default=state.get("exclude"), key="check_exclude",
    )
task = None if task_choice == "Let FairTrial decide" else task_choice
state.set("exclude", list(extra_exclude))

sensitive = state.get("sensitive")
include = state.get("include")
# Kept for this session by the dataset's content and every choice that changes the checks.
key = ("checks", ds.sha256, target, task, tuple(sensitive) if sensitive is not None else None,
       tuple(include), tuple(extra_exclude))


def _run():
    bar = st.progress(0.0, text="Checking the data ...")

    def progress(share: float, message: str) -> None:
        bar.progress(min(max(share, 0.0), 1.0), text=message)

    try:
        return check_dataset(ui.store(), ds, target, sensitive=sensitive, task=task, include=include,
                             exclude=extra_exclude, progress=progress)
    finally:
        bar.empty()


result = ui.attempt(lambda: ui.memo(key, _run))
if result is None:
    ui.halt()
report, run_id = result
state.set("check_run_id", run_id)
# A trial usually comes next: its worker processes' start (the fork server's imports, about 2 s)
# begins now, while the user reads the findings, instead of when Start is pressed.
workers.start_early(int(len(ds.frame) * (1 - settings.get("holdout_share"))))

st.markdown(f"**{report.task.reason}**")
counts = report.counts()
c1, c2, c3 = st.columns(3)
c1.metric("Problems to fix", counts["critical"], help="Serious: FairTrial acted on these (e.g. left a column out).")
c2.metric("Things to check", counts["warning"], help="Worth a look before you trust the result.")
c3.metric("Things to know", counts["info"], help="Good to know; nothing to do.")
st.caption(f"In one line: {report.summary_line()}.")

# --- people columns: proposed and in effect at once; the user removes what is not about people --
st.subheader("Columns about people")
ui.help_line(
    "Columns such as gender, age or ethnicity are kept out of the models and used only to check whether the "
    "model treats groups of people differently. FairTrial proposes them; remove any that do not describe people, "
    "or add ones it missed."
)
in_effect = list(report.sensitive_columns)
chosen = st.multiselect(
    "Columns that describe who a person is",
    [c for c in ds.columns if c != target],
    default=in_effect,
    key=f"check_sensitive_{target}",
)
if report.sensitive_chosen_by == "checks" and in_effect:
    if len(in_effect) == 1:
        st.caption(f"FairTrial proposed '{in_effect[0]}' from its name and values, and it is already in effect: kept "
                   "out of the models and used for the group checks. Remove it if it is not about people.")
    else:
        st.caption("FairTrial proposed these from their names and values, and they are already in effect: kept out "
                   "of the models and used for the group checks. Remove any that are not about people.")
if list(chosen) != in_effect:
    state.set("sensitive", list(chosen))
    st.rerun()

# --- left-out columns, with undo ---------------------------------------------------------------
if report.excluded_columns or include:
    st.subheader("Columns left out of the models")
    rows = [{"column": c, "why": report.exclusion_reasons.get(c, "you chose to leave it out")}
            for c in report.excluded_columns]
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    back_on = st.multiselect(
        "Use these anyway (undo)",
        list(dict.fromkeys(include + [c for c in report.excluded_columns if c not in extra_exclude])),
        default=include,
        help="Switch a column back on if you know it is safe to use. The checks run again.",
        key=f"check_include_{target}",
    )
    if list(back_on) != list(include):
        state.set("include", list(back_on))
        st.rerun()

# --- findings by severity ----------------------------------------------------------------------
for severity in reversed(SEVERITIES):
    found = [f for f in report.findings if f.severity == severity]
    if not found:
        continue
    st.subheader(ui.SEVERITY_HEADING[severity])
    # Findings of one kind on several columns (three columns about people, 17 with nearly one value) are one
    # card naming the columns; the details of the first few are drawn, the rest on request.
    every = bool(st.session_state.get(f"check_all_{severity}"))
    folded = False
    for i, same in enumerate(same_kind(found)):
        if len(same) == 1:
            ui.finding_card(same[0], frame=ds.frame, target=target, kinds=ds.kinds, key=f"{severity}_{i}",
                            chart_key=(*key, severity, i))
            continue
        folded |= len(same) > SAME_KIND_SHOWN
        ui.same_kind_card(same, frame=ds.frame, target=target, kinds=ds.kinds, key=f"{severity}_{i}",
                          chart_key=(*key, severity, i), shown=None if every else SAME_KIND_SHOWN)
    if folded or every:
        st.toggle("Show every finding", key=f"check_all_{severity}")

# --- one click: the same recipe with and without a flagged column ----------------------------------
flagged = list(dict.fromkeys([*[c for c in report.excluded_columns if c not in report.sensitive_columns
                                and report.exclusion_reasons.get(c) and ds.kinds.get(c) not in ("id", "text")],
                              *report.sensitive_columns]))
with st.expander("Try with and without a column", icon=":material/compare_arrows:", expanded=ui.classroom()):
    ui.help_line(
        "One click runs a fair trial of the same recipe twice: A may use the column, B leaves it out; the same rows, "
        "splits and seed for both. For a leak, A's score shows how much the give-away fakes; for a column about "
        "people, the Fairness tab shows whether A treats groups less evenly."
    )
    options = flagged + [c for c in ds.columns if c != target and c not in flagged]
    column = st.selectbox("Column", options, index=0 if options else None, key=f"check_with_without_{target}",
                          format_func=lambda c: f"{c} (flagged by the checks)" if c in flagged else c)
    if column and st.button(f"Try with and without '{column}'", icon=":material/play_arrow:",
                            key="check_with_without_run"):
        from fairtrial.workflow import plan_with_and_without, run_compare

        plan = ui.attempt(lambda: plan_with_and_without(target, report, column, kinds=ds.kinds, recipe="simple",
                                                        sensitive=sensitive, task=task))
        if plan is not None:
            bar, update = ui.progress_bar("Starting ...")
            outcome = ui.attempt(lambda: run_compare(ui.store(), ds, plan, progress=update,
                                                     findings=report.findings))
            bar.empty()
            if outcome is not None:
                state.set("trial_id", outcome[0])
                st.switch_page("views/results.py")

ui.classroom_words(["leakage", "imbalance", "group_gap", "proxy", "personal_data", "id_column"],
                   "Words on this page:")

st.page_link("views/trial.py", label="Next: run a trial", icon=":material/arrow_forward:")
