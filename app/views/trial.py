"""Trial: choose two recipes and run a fair A/B trial on the same splits."""

from __future__ import annotations

import streamlit as st

import state
import ui
from fairtrial.recipes import FAIRNESS_OPTIONS, IMBALANCE_OPTIONS, RECIPE_NAMES, Recipe
from fairtrial.workflow import plan_from_checks, run_compare

st.title("Run a trial")
ui.help_line(
    "Pick two recipes. FairTrial trains both, and the 'always guess' baseline, on exactly the same splits of "
    "your rows, keeps a share aside for a final check, and then tells you which one is really better."
)

dataset_id = ui.need_dataset()
target = state.get("target")
if not target:
    st.info("First choose the column to predict on the **Check** page.")
    st.page_link("views/check.py", label="Go to Check", icon=":material/fact_check:")
    ui.halt()
ds = ui.attempt(lambda: ui.dataset(dataset_id))
report = ui.attempt(lambda: ui.check_report(dataset_id, target))
if ds is None or report is None:
    st.info("Run the checks for this column on the **Check** page first.")
    st.page_link("views/check.py", label="Go to Check", icon=":material/fact_check:")
    ui.halt()

task = report.task.task
st.markdown(f"Predicting **{target}**. {report.task.reason}")
if report.excluded_columns:
    st.caption("Left out after the checks: " + ", ".join(f"`{c}`" for c in report.excluded_columns)
               + ". Change this on the Check page.")
sensitive = state.get("sensitive") or []
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
        imbalance = st.selectbox(
            "Rare answers", IMBALANCE_OPTIONS, key=f"trial_imbalance_{side}",
            format_func={"none": "Treat all rows the same", "balanced": "Give rare answers more weight",
                         "threshold": "Tune the yes/no cut-off (inside training only)"}.get,
            help="Helps when one answer is rare, e.g. 3% fraud.",
        )
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
    group_options = [None] + [c for c in ds.columns if c != target]
    group = st.selectbox("Rows that belong together (e.g. the same customer)", group_options,
                         format_func=lambda c: "None" if c is None else c, key="trial_group",
                         help="Rows with the same value here are never split between training and testing.")
    time_ordered = st.checkbox("The rows are in time order (test on later rows only)", key="trial_time")
    metric = None
    if task != "numeric":
        metric = "roc_auc" if st.checkbox("Rank by ROC AUC (how well it sorts likely from unlikely)",
                                          key="trial_auc") else None

plan = ui.attempt(lambda: plan_from_checks(
    target, report, recipe_a=recipe_a, recipe_b=recipe_b, sensitive=sensitive, folds=int(folds), repeats=repeats,
    seed=seed, holdout=holdout, group=group, time_ordered=time_ordered, metric=metric))
if plan is None:
    ui.halt()

if recipe_a == recipe_b:
    st.info("A and B are the same recipe: the trial will show how much scores move by chance alone.")

if st.button("Start the trial", type="primary", icon=":material/play_arrow:", key="trial_start"):
    st.caption("To stop, press Stop at the top right of the page; nothing is kept from a stopped trial.")
    bar, update = ui.progress_bar("Starting ...")
    outcome = ui.attempt(lambda: run_compare(ui.store(), ds, plan, progress=update))
    bar.empty()
    if outcome is not None:
        trial_id, _data, _result = outcome
        state.set("trial_id", trial_id)
        st.switch_page("views/results.py")
