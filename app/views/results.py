"""Results: the verdict in plain words, then the numbers and charts behind it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import state
import ui
import fairtrial.charts_trial as ct
from fairtrial.charts_groups import group_charts, group_size_table
from fairtrial.errors import FairTrialError
from fairtrial.explain import format_score, format_score_pair
from fairtrial.findings import Finding
from fairtrial.group_findings import pair_findings, summary_not_repeated
from fairtrial.model_names import trial_label
from fairtrial.trial import TrialPlan
from fairtrial.value import format_money
from fairtrial.workflow import report_bytes, rerun_compare_with_prices, rerun_trial, trial_next_steps

RERUN_JOB = "results_rerun"  # this session's running re-run (state.Job), one at a time

# The group charts' names in plain words (the engine keys them by metric name).
GROUP_METRIC_WORDS = {"selection_rate": "How often it predicts the outcome", "accuracy": "How often it is right",
                      "tpr": "Real cases it finds", "fpr": "False alarms", "mean_error": "How far off it is"}

st.title("Results")
ui.help_line("Which recipe won, by how much, whether that could be luck, what it costs, and whom it serves worse.")
# The words of this page's numbers and tabs (Fairness, Calibration and errors, Cost, What mattered).
ui.classroom_words(["interval", "p_value", "baseline", "holdout", "group_gap", "selection_rate", "calibration_error",
                    "robustness", "cost", "permutation_importance"], "Words on this page:")

dataset_id = ui.need_dataset()
trials = ui.attempt(lambda: [t for t in ui.store().list_trials() if t["dataset_id"] == dataset_id])
if not trials:
    st.info("No trial has been run on this dataset yet.")
    st.page_link("views/trial.py", label="Go to Trial", icon=":material/science:")
    ui.halt()
ids = [t["trial_id"] for t in trials]
current = state.get("trial_id")
by_trial = {t["trial_id"]: t for t in trials}
if st.session_state.get("results_trial") not in ids or "results_open" in st.session_state:
    # A trial to open (a re-run just made): set the picker itself before it is drawn; the browser
    # otherwise sends back the trial it showed before, and the page would open that one again.
    opened = st.session_state.pop("results_open", current)
    st.session_state["results_trial"] = opened if opened in ids else ids[0]
trial_id = st.selectbox("Trial", ids, key="results_trial",
                        format_func=lambda i: trial_label(by_trial[i]))
state.set("trial_id", trial_id)
# The outcome of a re-run just done (the page was drawn again to open the new trial): at the top.
said = st.session_state.pop("results_rerun_said", None)
if said is not None and said.get("trial_id") == trial_id:
    (st.success if said.get("same") else st.warning)(said["message"], icon=":material/replay:")
stored = ui.attempt(lambda: ui.store().get_trial(trial_id))
if stored is None:
    ui.halt()
res, plan = stored["result"], stored["plan"]


def chart(name: str, build):
    """A chart of this stored trial, drawn once per session (a stored trial's result never changes),
    not again on every widget change."""
    return ui.memo(("trial_chart", ui.store().path.as_posix(), int(trial_id), name), build)


labels = {"a": res["a"]["label"], "b": res["b"]["label"], "baseline": res["baseline"]["label"]}
verdict = res.get("verdict") or {}

# --- what to do next (the engine's sentences, the same as in compare --json and the reports) -----------
steps = ui.attempt(lambda: trial_next_steps(ui.store(), stored)) or []
if steps:
    st.markdown("**What to do next**\n\n" + "\n".join(f"{i}. {s}" for i, s in enumerate(steps, 1)))

# --- the verdict ---------------------------------------------------------------------------------
# A green trophy box only when the engine says the winner also clearly beats guessing (older trials have no tone).
tone = verdict.get("tone", "neutral")
box = {"success": st.success, "caution": st.warning}.get(tone, st.info)
box_text = verdict.get("text", "")
too_good = (verdict.get("parts") or {}).get("too_good") or ""
if too_good and too_good in box_text and any(too_good in s for s in steps):
    box_text = " ".join(box_text.replace(too_good, "").split())  # the first step above says it already
box(box_text, icon=":material/emoji_events:" if tone == "success" else None)
if not too_good:  # a trial stored before the verdict said it: its warnings, one per recipe
    for item in res.get("too_good") or []:
        st.warning(item.get("text") if isinstance(item, dict) else str(item), icon=":material/warning:")
shown = [verdict.get("text", "")]
for sentence in (verdict.get("sentences") or [])[1:3]:
    if not any(sentence in said for said in shown):  # the box already says it
        st.markdown(sentence)
        shown.append(sentence)

metric = res.get("metric_label") or res.get("primary_metric")
scores = dict(zip("ab", format_score_pair(res["a"].get("mean"), res["b"].get("mean"), res.get("primary_metric", ""))))
scores["baseline"] = format_score(res["baseline"].get("mean"), res.get("primary_metric", ""))
c1, c2, c3 = st.columns(3)
for col, role in zip((c1, c2, c3), ("a", "b", "baseline")):
    col.metric(f"Recipe {role.upper()}: {labels[role]}" if role != "baseline" else labels[role], scores[role],
               help=ui.term_help(res.get("primary_metric"), f"Average {metric} over all re-splits."))
st.caption(res.get("metric_reason", ""))
if (verdict.get("parts") or {}).get("defaults"):
    st.caption("What FairTrial chose from the checks: " + verdict["parts"]["defaults"])

# --- the money view (prices given for this trial), and a form to give or change them -------------
money = res.get("value") or {}
if money.get("text"):
    st.markdown(f"**Money view.** {money['text']}")
    if money.get("kind") != "typical_error":
        cur = money.get("currency") or ""
        rows = [(labels["a"], money["a"]), (labels["b"], money["b"]), ("Act on no row", money["act_on_none"]),
                ("Act on every row", money["act_on_all"])]
        st.dataframe(pd.DataFrame([{
            "choice": name, f"value per {money['per_rows']:,} rows": format_money(part.get("mean"), cur),
            "95% range": f"{format_money(part.get('ci_low'), cur)} to {format_money(part.get('ci_high'), cur)}",
            "cut-off": "" if part.get("cutoff") is None else f"{part['cutoff']:.0%}",
            "on the rows kept aside": format_money(part.get("holdout"), cur)} for name, part in rows]),
            hide_index=True, width="stretch", key="res_value")
if res.get("task") == "binary":
    with st.expander("What is it worth? Try prices" if not money else "Try other prices", icon=":material/payments:"):
        prices = (money.get("inputs") or plan.get("value") or {})
        with st.form("results_value_form"):
            hit = st.number_input("What is a correct flag worth?", value=float(prices.get("hit", 0.0)), step=1.0,
                                  key="results_value_hit")
            false_alarm = st.number_input("What does a false alarm cost?",
                                          value=float(prices.get("false_alarm", 0.0)), step=1.0,
                                          key="results_value_false_alarm")
            miss = st.number_input("What does a miss cost?", value=float(prices.get("miss", 0.0)), step=1.0,
                                   key="results_value_miss")
            currency = st.text_input("Currency (optional)", prices.get("currency", ""), max_chars=8,
                                     key="results_value_currency")
            go = st.form_submit_button("Run this trial again with these prices", icon=":material/play_arrow:",
                                       key="results_value_run")
        if go and state.job(RERUN_JOB) is None:
            ds_money = ui.attempt(lambda: ui.dataset(stored["dataset_id"]))
            if ds_money is not None:
                st.session_state.pop("results_rerun_stopped", None)
                store, prices_now = ui.store(), {"hit": hit, "false_alarm": false_alarm, "miss": miss,
                                                 "currency": currency}
                state.start_job(RERUN_JOB, lambda progress, cancel: ("prices", rerun_compare_with_prices(
                    store, ds_money, plan, prices_now, progress=progress, rerun_of=int(trial_id), cancel=cancel)))
                st.rerun()

# --- the rest in tabs --------------------------------------------------------------------------
tab_split, tab_groups, tab_quality, tab_cost, tab_more = st.tabs(
    ["A vs B per split", "Fairness", "Calibration and errors", "Cost", "What mattered"])

with tab_split:
    st.plotly_chart(chart("splits", lambda: ct.splits_chart(res)), width="stretch", key="res_splits")
    st.caption("Each point is one re-split: both recipes were tested on exactly the same rows. "
               "Look for a recipe that is above the other on most splits, not just on average.")
    table = pd.DataFrame({"split": range(1, len(res["a"]["fold_scores"]) + 1),
                          labels["a"]: res["a"]["fold_scores"], labels["b"]: res["b"]["fold_scores"],
                          labels["baseline"]: res["baseline"]["fold_scores"]})
    with st.expander("The numbers per split"):
        st.dataframe(table, hide_index=True, width="stretch")
    holdout_words = (verdict.get("parts") or {}).get("holdout", "")
    if not any(holdout_words in said for said in shown):  # not said twice on one screen
        st.markdown(holdout_words)

with tab_groups:
    groups = res.get("groups") or {}
    if not groups:
        st.info("No column about people was in effect for this trial, so groups were not compared. Name them on "
                "the Check page (e.g. gender or age) and run the trial again.")
    for sentence in res.get("groups_summary") or []:
        st.markdown(f"**{sentence}**")
    if verdict.get("winner") == "none" and any("accurate" in s for s in res.get("groups_summary") or []):
        # The group sentences compare accuracy without a range; the verdict above is the judge of that.
        st.caption("The verdict above found no clear winner: where a sentence here calls one recipe more or less "
                   "accurate, that difference may be luck.")
    for column, section in groups.items():
        st.subheader(f"By '{column}'")
        # The sentences the finding cards below do not say already (A's and B's four-fifths line, once, there).
        for sentence in summary_not_repeated(section.get("summary") or [], section.get("findings") or []):
            st.markdown(f"- {sentence}")
        figs = chart(f"groups_{column}", lambda: group_charts(section, labels=labels))
        if figs:
            choice = st.radio("Show", list(figs), horizontal=True, key=f"res_group_metric_{column}",
                              format_func=lambda m: GROUP_METRIC_WORDS.get(m, m))
            st.plotly_chart(figs[choice], width="stretch", key=f"res_group_chart_{column}")
            # The chart itself says what the thin lines are.
            st.caption("One bar per recipe and group. Bars of very different height for different groups mean "
                       "the recipe treats them differently.")
        st.dataframe(pd.DataFrame(group_size_table(section)), hide_index=True, width="stretch", key=f"res_sizes_{column}",
                     column_config={
                         "rows": st.column_config.NumberColumn(help="Rows of this group the recipes were tested on."),
                         "share": st.column_config.NumberColumn("share of rows", format="percent",
                                                                help="This group's share of the tested rows."),
                         "judged": st.column_config.CheckboxColumn("enough rows to judge", help=ui.term_help("judged")),
                         "confidence": st.column_config.TextColumn(help="Low: few rows, so its results are less certain."),
                     })
        proxies = section.get("proxies") or []
        if proxies:
            st.markdown("**Columns that give away '" + column + "'** (even when it is left out):")
            for p in proxies:
                st.markdown(f"- {p.get('text')}")
        # Recipe A's and recipe B's finding of one check as one card: the explanation once, then both numbers.
        for i, finding in enumerate(pair_findings(section.get("findings") or [])):
            ui.finding_card(Finding.from_dict(finding), key=f"grp_{column}_{i}")

with tab_quality:
    st.markdown((verdict.get("parts") or {}).get("calibration", ""))
    if (res.get("calibration") or {}).get("available"):
        st.plotly_chart(chart("calibration", lambda: ct.calibration_chart(res)), width="stretch", key="res_calibration")
        st.caption("If a recipe says '70% chance', about 70 in 100 such rows should really be positive: points on "
                   "the diagonal are honest chances, points below it are over-confident.")
    if res.get("task") != "numeric":
        cols = st.columns(2)
        for col, role in zip(cols, ("a", "b")):
            fig = chart(f"confusion_{role}", lambda: ct.confusion_chart(res, role))
            if fig is not None:
                col.plotly_chart(fig, width="stretch", key=f"res_confusion_{role}")
        st.caption("Rows are the true answers, columns what the recipe said: the diagonal counts the right answers.")
    st.markdown((verdict.get("parts") or {}).get("robustness", ""))

with tab_cost:
    st.markdown((verdict.get("parts") or {}).get("cost", ""))
    st.plotly_chart(chart("cost", lambda: ct.cost_chart(res)), width="stretch", key="res_cost")
    st.caption("Shorter bars are cheaper. A small gain in score may not be worth a much slower or bigger model.")

with tab_more:
    st.markdown((verdict.get("parts") or {}).get("importance", ""))
    if res.get("importance"):
        st.plotly_chart(chart("importance", lambda: ct.importance_chart(res)), width="stretch", key="res_importance")
        st.caption("How much the score drops when a column's values are shuffled on the kept-aside rows: "
                   "the longer the bar, the more the recipe relies on that column.")
    st.markdown((verdict.get("parts") or {}).get("splits", ""))

# --- hand it on, or check it again ----------------------------------------------------------------
st.divider()
files = ui.attempt(lambda: ui.memo(("report", ui.store().path.as_posix(), int(trial_id)),
                                   lambda: report_bytes(ui.store(), int(trial_id))))
d1, d2, d3 = st.columns(3)
if files is not None:
    xlsx, page = files
    d1.download_button("Download the Excel report", xlsx, file_name=f"fairtrial-trial-{trial_id}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/download:", key="results_xlsx", type="primary")
    d2.download_button("One-page summary (HTML)", page, file_name=f"fairtrial-trial-{trial_id}.html",
                       mime="text/html", icon=":material/download:", key="results_html")
ui.handout_button(int(trial_id), d2, key="results_handout")
if d3.button("Re-run with the same settings", icon=":material/replay:", key="results_rerun",
             disabled=state.job(RERUN_JOB) is not None,
             help="Runs the trial again from its stored settings and seed, and checks the numbers match."):
    ds = ui.attempt(lambda: ui.dataset(stored["dataset_id"]))
    if ds is not None:
        # In its own thread (state.Job), as a trial: it keeps its progress bar, can be stopped, and
        # a widget change on this page neither stops nor repeats it.
        st.session_state.pop("results_rerun_stopped", None)
        store, rerun_plan = ui.store(), TrialPlan.from_dict(plan)
        state.start_job(RERUN_JOB, lambda progress, cancel: ("same", rerun_trial(
            store, ds, rerun_plan, stored, progress=progress, cancel=cancel)))
        st.rerun()  # drawn again at once: the Re-run button greyed out, the progress bar below


@st.fragment(run_every=3.0)
def rerun_progress() -> None:
    """A running re-run's progress bar and Stop button, redrawn every 3 seconds; when it ends,
    the new trial opens with its outcome at the top (or the page says what stopped it)."""
    job = state.job(RERUN_JOB)
    if job is None:
        return
    if not job.done:
        ui.job_running(job, stop_label="Stop the re-run", key="results_rerun_stop")
        return
    state.collect_job(RERUN_JOB)
    if job.cancelled:
        st.session_state["results_rerun_stopped"] = (trial_id, "The re-run was stopped. Nothing from it was kept.")
    elif isinstance(job.error, FairTrialError):
        st.session_state["results_rerun_stopped"] = (trial_id, str(job.error))
    elif job.error is not None:
        raise job.error
    else:
        kind, outcome = job.result
        new_id = outcome.trial_id if kind == "same" else outcome
        if kind == "same":  # the outcome goes at the top of the re-run's page (or of this one: not stored)
            st.session_state["results_rerun_said"] = {"trial_id": new_id if new_id is not None else trial_id,
                                                      "same": outcome.same, "message": outcome.message}
        if new_id is not None:
            state.set("trial_id", new_id)
            st.session_state["results_open"] = new_id  # the picker then opens the new trial
    st.rerun()


stopped = st.session_state.get("results_rerun_stopped")  # what ended the last re-run, until the next one
if stopped and stopped[0] == trial_id:
    st.warning(stopped[1], icon=":material/stop_circle:")
if state.job(RERUN_JOB) is not None:
    rerun_progress()
