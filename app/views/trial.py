"""Trial: choose two recipes and run a fair A/B trial on the same splits."""

from __future__ import annotations

import streamlit as st

import state
import ui
from fairtrial import workers
from fairtrial.errors import FairTrialError
from fairtrial.defaults import FOLLOW, group_default, remedy_for
from fairtrial.recipes import FAIRNESS_OPTIONS, IMBALANCE_OPTIONS, RECIPE_NAMES, Recipe
from fairtrial.workflow import plan_from_checks, run_compare

st.title("Run a trial")
ui.help_line(
    "Pick two recipes. FairTrial trains both, and the 'always guess' baseline, on exactly the same splits of "
    "your rows, keeps a share aside for a final check, and then tells you which one is really better."
)
ui.classroom_words(["baseline", "resplit", "fold", "holdout", "seed"], "Words on this page:")

dataset_id = ui.need_dataset()
target = state.get("target")
if not target:
    st.info("First choose the column to predict on the **Check** page.")
    st.page_link("views/check.py", label="Go to Check", icon=":material/fact_check:")
    ui.halt()
ds = ui.attempt(lambda: ui.dataset(dataset_id))
report = ui.attempt(lambda: ui.check_report(dataset_id, target, sha256=ds.sha256)) if ds is not None else None
if ds is None or report is None:
    st.info("Run the checks for this column on the **Check** page first.")
    st.page_link("views/check.py", label="Go to Check", icon=":material/fact_check:")
    ui.halt()

task = report.task.task
st.markdown(f"Predicting **{target}**. {report.task.reason}")
# The user's columns about people, or (None) the ones the checks proposed, in effect until removed.
chosen_sensitive = state.get("sensitive")
sensitive = list(chosen_sensitive if chosen_sensitive is not None else report.sensitive_columns)
left_out = [c for c in report.excluded_columns if c not in sensitive]  # people columns get their own line
if left_out:
    st.caption("Left out after the checks: " + ", ".join(f"`{c}`" for c in left_out)
               + ". Change this on the Check page.")
if sensitive:
    st.caption("Kept out of the models and used to compare groups: " + ", ".join(f"`{c}`" for c in sensitive) + ".")

allowed = [c for c in ds.columns if c != target and c not in report.excluded_columns and c not in sensitive]
real_recipes = [n for n in RECIPE_NAMES if n != "baseline"]


def recipe_picker(side: str, default: str) -> Recipe:
    name = st.selectbox(
        f"Recipe {side}", real_recipes, index=real_recipes.index(default),
        format_func=lambda n: Recipe(n).label_for(task), key=f"trial_recipe_{side}",
    )
    st.caption(Recipe(name).description(task))
    speed = st.radio("Speed", ["quick", "thorough"], horizontal=True, key=f"trial_speed_{side}",
                     help="Thorough uses more trees or tries; slower, sometimes a little better.")
    imbalance = "none"
    if task != "numeric":
        # Defaults follow the findings: the checks' remedy for a rare answer is preselected.
        proposed = remedy_for(name, task, report.proposed_imbalance)
        imbalance = st.selectbox(
            "Rare answers", IMBALANCE_OPTIONS, index=IMBALANCE_OPTIONS.index(proposed), key=f"trial_imbalance_{side}",
            format_func={"none": "Treat all rows the same", "balanced": "Give rare answers more weight",
                         "threshold": "Tune the yes/no cut-off (inside training only)"}.get,
            help="Helps when one answer is rare, e.g. 3% fraud.",
        )
        if proposed != "none":
            st.caption("Chosen by FairTrial because the checks found one answer rare, and the main score counts "
                       "every answer equally. Pick 'Treat all rows the same' to switch it off.")
        if imbalance == proposed:
            imbalance = None  # the checks' default: the plan records it and says why
    fairness = "none"
    if sensitive:
        fairness = st.selectbox(
            "Fairness", FAIRNESS_OPTIONS, key=f"trial_fairness_{side}",
            format_func={"none": "As is", "reweigh": "Fairer: reweigh groups while learning"}.get,
            help="Reweighing makes each group's answers count as if they did not depend on the group "
                 f"({', '.join(sensitive)}). Compare 'as is' against 'fairer' to see what fairness costs.",
        )
    subset = st.toggle("Use only some columns", key=f"trial_subset_{side}",
                       help="Compare e.g. 'with column X' against 'without column X'.")
    features = None
    if subset:
        features = st.multiselect("Columns", allowed, default=allowed, key=f"trial_features_{side}") or None
    return Recipe(name, speed, imbalance, tuple(features) if features else None, fairness=fairness)


left, right = st.columns(2)
with left:
    st.subheader("Recipe A")
    recipe_a = recipe_picker("A", "simple")
with right:
    st.subheader("Recipe B")
    recipe_b = recipe_picker("B", "boosting")

with st.expander("How to split the rows", icon=":material/tune:"):
    holdout = st.slider("Rows kept aside for the final check", 10, 40, 20, step=5, format="%d%%",
                        help="These rows are never used until the very end.", key="trial_holdout") / 100
    folds = st.number_input("Folds in each re-split", 3, 10, 5, key="trial_folds",
                            help="Each re-split cuts the rows into this many parts; each part is tested once.")
    auto_repeats = st.checkbox("Let FairTrial choose the number of re-splits", True, key="trial_auto_repeats",
                               help="5 on small data, fewer on big data so the trial takes about a minute.")
    repeats = None if auto_repeats else int(st.number_input("Re-splits", 1, 20, 5, key="trial_repeats"))
    seed = int(st.number_input("Random seed", 0, 2**31 - 1, 42, key="trial_seed",
                               help="The same seed gives exactly the same numbers again."))
    time_ordered = st.checkbox("The rows are in time order (test on later rows only)", key="trial_time",
                               help="Each test uses only rows that come after the rows a recipe learned from.")
    group_options = [None] + [c for c in ds.columns if c != target]
    # Defaults follow the findings: an ID that repeats over rows keeps its rows together.
    proposed_group = group_default(report, target=target, folds=int(folds), time_ordered=False,
                                   sensitive=sensitive)
    proposed_column = proposed_group["column"] if proposed_group else None
    if time_ordered:
        # Splits by time cannot also keep groups together, so the plan has no group column.
        group = None
        st.selectbox("Rows that belong together (e.g. the same customer)", ["None"], disabled=True,
                     key="trial_group_time",
                     help="Rows with the same value here are never split between training and testing.")
        if proposed_column:
            st.caption(f"'{proposed_column}' repeats over rows, but FairTrial cannot keep those rows together "
                       "and test on later rows at the same time, so the rows are split by time only. Untick "
                       f"'The rows are in time order' to keep rows with the same '{proposed_column}' together.")
    else:
        group = st.selectbox("Rows that belong together (e.g. the same customer)", group_options,
                             index=group_options.index(proposed_column) if proposed_column in group_options else 0,
                             format_func=lambda c: "None" if c is None else c, key="trial_group",
                             help="Rows with the same value here are never split between training and testing.")
        if proposed_column:
            st.caption(f"Chosen by FairTrial because '{proposed_column}' repeats over rows: rows that share it are "
                       "alike, and testing on the twins of training rows makes a model look better than it is. "
                       "Pick 'None' to switch it off.")
            if group == proposed_column:
                group = FOLLOW  # the checks' default: the plan records it and says why
    metric = None
    if task != "numeric":
        metric = "roc_auc" if st.checkbox("Rank by ROC AUC (how well it sorts likely from unlikely)",
                                          key="trial_auc") else None

value = None
if task == "binary":
    with st.expander("What is it worth? (optional money view)", icon=":material/payments:"):
        st.caption("Give three prices and FairTrial also says what acting on each recipe's flags earns per 1,000 "
                   "rows, from which cut-off, and whether it beats acting on nobody or on everybody.")
        if st.toggle("Count the money", key="trial_value_on"):
            hit = st.number_input("What is a correct flag worth?", value=0.0, step=1.0, key="trial_value_hit",
                                  help="What acting on a row that really has the outcome earns, e.g. a customer "
                                       "kept.")
            false_alarm = st.number_input("What does a false alarm cost?", value=0.0, step=1.0,
                                          key="trial_value_false_alarm",
                                          help="What acting on a row that does not have the outcome costs.")
            miss = st.number_input("What does a miss cost?", value=0.0, step=1.0, key="trial_value_miss",
                                   help="What a row with the outcome that nobody acted on costs.")
            currency = st.text_input("Currency (optional)", "", max_chars=8, key="trial_value_currency")
            value = {"hit": hit, "false_alarm": false_alarm, "miss": miss, "currency": currency}

plan = ui.attempt(lambda: plan_from_checks(
    target, report, recipe_a=recipe_a, recipe_b=recipe_b, sensitive=chosen_sensitive, folds=int(folds), repeats=repeats,
    seed=seed, holdout=holdout, group=group, time_ordered=time_ordered, metric=metric, value=value))
if plan is None:
    ui.halt()

if plan.defaults:
    st.info("**What FairTrial chose for you, from the checks**\n\n"
            + "\n\n".join(d["sentence"] for d in plan.defaults.values()), icon=":material/tune:")

if plan.recipe_a == plan.recipe_b:
    st.info("A and B are the same recipe: the trial will show how much scores move by chance alone.")

expected = ui.trial_estimate(ds, plan)
if expected:
    st.warning(expected, icon=":material/schedule:")
# a trial on many rows trains in two worker processes: start them while the options are chosen
workers.start_early(int(len(ds.frame) * (1 - plan.holdout)))


@st.fragment(run_every=3.0)
def trial_progress() -> None:
    """The running trial's progress bar and its Stop button, redrawn every 3 seconds (each redraw costs the
    trial a little time: at 1 s the trial took about 15% longer, bench/bench_app.py); when the
    trial ends, its results (or what stopped it) are shown."""
    job = state.job("trial")
    if job is None:
        return
    if not job.done:
        ui.job_running(job, stop_label="Stop the trial", key="trial_stop")
        st.caption("The trial runs on while you look at other choices on this page; changing them does not "
                   "change this trial.")
        return
    state.collect_job("trial")
    if job.cancelled:
        st.session_state["trial_said"] = ("stopped", "The trial was stopped. Nothing from it was kept.")
    elif isinstance(job.error, FairTrialError):
        st.session_state["trial_said"] = ("error", str(job.error))
    elif job.error is not None:
        raise job.error
    else:
        trial_id, _data, _result = job.result
        state.set("trial_id", trial_id)
        st.switch_page("views/results.py")
    st.rerun()


said = st.session_state.get("trial_said")  # what ended the last trial, shown until the next one starts
if said is not None:
    kind, words = said
    if kind == "stopped":
        st.warning(words, icon=":material/stop_circle:")
    else:
        st.error(words, icon=":material/error:")
running = state.job("trial") is not None
if st.button("Start the trial", type="primary", icon=":material/play_arrow:", key="trial_start", disabled=running):
    # The trial runs in its own thread (state.Job): reruns of this page do not stop or repeat it.
    st.session_state.pop("trial_said", None)
    store = ui.store()
    state.start_job("trial", lambda progress, cancel: run_compare(store, ds, plan, progress=progress, cancel=cancel))
    st.rerun()  # drawn again at once: the Start button greyed out, the progress bar below
if state.job("trial") is not None:
    trial_progress()
