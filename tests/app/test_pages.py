"""Every page of the app, driven with Streamlit's AppTest (no browser)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from fairtrial.load import load_file
from fairtrial.store import Store

REPO = Path(__file__).resolve().parents[2]
APP = str(REPO / "app" / "streamlit_app.py")
TIMEOUT = 120


def app_at(page: str | None = None, **state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def stored(name: str) -> int:
    ds, _ = Store().save_dataset(load_file(REPO / "sample_data" / name))
    return ds.dataset_id


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [e.value for e in at.info]
    parts += [e.value for e in at.success] + [e.value for e in at.error] + [e.value for e in at.warning]
    return "\n".join(str(p) for p in parts)


def test_upload_loads_a_sample_and_shows_its_preview():
    at = app_at()
    assert at.title[0].value == "Upload your data"
    at.selectbox(key="upload_sample").select("Student pass/fail (classroom)").run()
    assert not at.exception
    assert at.dataframe, "the preview and the column kinds are shown"
    preview = at.dataframe[0].value
    assert "passed" in preview.columns and len(preview) == 20
    assert [m.label for m in at.metric][:2] == ["Rows", "Columns"]
    assert at.metric[0].value == "600"
    assert "Stored 'students' as dataset" in texts(at)
    assert at.session_state["dataset_id"] is not None


def test_uploading_the_same_sample_again_reuses_it():
    at = app_at()
    at.selectbox(key="upload_sample").select("Student pass/fail (classroom)").run()
    first = at.session_state["dataset_id"]
    at2 = app_at()
    at2.selectbox(key="upload_sample").select("Student pass/fail (classroom)").run()
    assert at2.session_state["dataset_id"] == first
    assert "uploaded before" in texts(at2)


def test_the_excel_sample_offers_its_sheets():
    at = app_at()
    at.selectbox(key="upload_sample").select("Monthly sales (Excel, two sheets)").run()
    sheet = at.selectbox(key="sheet_monthly_sales.xlsx")
    assert sheet.options == ["Sales", "Stores"] and sheet.value == "Sales"
    sheet.select("Stores").run()
    assert not at.exception
    assert "store" in at.dataframe[0].value.columns


def test_every_page_without_a_dataset_points_to_upload():
    for page in ("views/check.py", "views/trial.py", "views/results.py"):
        at = app_at(page)
        assert "Start on the **Upload** page" in texts(at), page
        sidebar = "\n".join(m.value for m in at.sidebar.markdown)
        assert "**Dataset:** none yet" in sidebar, "the sidebar is drawn even when the page ends early"


def test_the_sidebar_shows_the_current_dataset_and_step():
    dataset_id = stored("students.csv")
    at = app_at("views/check.py", dataset_id=dataset_id)
    sidebar = "\n".join(m.value for m in at.sidebar.markdown)
    assert "students" in sidebar and "600 rows" in sidebar and "2. Check" in sidebar


def test_check_page_shows_findings_and_the_summary():
    dataset_id = stored("churn.csv")
    at = app_at("views/check.py", dataset_id=dataset_id)
    assert at.selectbox(key="check_target").value == "churned"
    labels = [m.label for m in at.metric]
    assert labels == ["Problems to fix", "Things to check", "Things to know"]
    assert int(at.metric[0].value) >= 1  # the leaky cancellation_reason
    titles = " ".join(e.label for e in at.expander)
    assert "cancellation_reason" in titles or "cancellation_reason" in texts(at)
    assert at.session_state["check_run_id"] is not None


def test_check_page_lets_the_user_switch_an_excluded_column_back_on():
    dataset_id = stored("churn.csv")
    at = app_at("views/check.py", dataset_id=dataset_id)
    undo = at.multiselect(key="check_include_churned")
    assert "customer_id" in undo.options
    undo.select("customer_id").run()
    assert not at.exception
    assert at.session_state["include"] == ["customer_id"]


def test_history_lists_datasets():
    stored("students.csv")
    at = app_at("views/history.py")
    assert "students" in at.dataframe[-2].value["name"].tolist() or any(
        "students" in str(df.value) for df in at.dataframe)


def test_new_data_without_models_says_to_run_a_trial():
    at = app_at("views/new_data.py")
    assert "no saved models yet" in texts(at)


def _checked(name: str, target: str, **extra) -> dict:
    dataset_id = stored(name)
    at = app_at("views/check.py", dataset_id=dataset_id, **extra)
    assert at.selectbox(key="check_target").value == target
    return {"dataset_id": dataset_id, "target": target}


def start_trial(at: AppTest) -> AppTest:
    """Click "Start the trial" and wait for the trial, which runs in its own thread (state.Job),
    then run the page once more: it collects the trial and opens Results (or says what stopped it)."""
    at.button(key="trial_start").click().run()
    assert not at.exception, [e.message for e in at.exception]
    job = at.session_state["_jobs"]["trial"]
    assert job.wait(TIMEOUT), "the trial did not finish"
    return at.run()


def finish_rerun(at: AppTest) -> AppTest:
    """After a click that starts a re-run on the Results page: wait for it (its own thread, as a
    trial) and run the page once more, which collects it and opens the new trial."""
    assert not at.exception, [e.message for e in at.exception]
    job = at.session_state["_jobs"]["results_rerun"]
    assert job.wait(TIMEOUT), "the re-run did not finish"
    return at.run()


def _stored_trial(state: dict, recipe_a: str = "simple", recipe_b: str = "tree", **options):
    """A small trial (3 folds, 1 repeat) on the checked dataset, stored as the app stores it:
    ``(trial_id, result_dict, plan, dataset)``."""
    from fairtrial.workflow import check_dataset, plan_from_checks, run_compare

    ds = Store().get_dataset(state["dataset_id"])
    report, _ = check_dataset(Store(), ds, state["target"])
    options = {"folds": 3, "repeats": 1, **options}
    plan = plan_from_checks(state["target"], report, recipe_a=recipe_a, recipe_b=recipe_b, **options)
    trial_id, data, _ = run_compare(Store(), ds, plan)
    return trial_id, data, plan, ds


def test_trial_page_runs_a_trial_and_opens_results():
    state = _checked("students.csv", "passed")
    at = app_at("views/trial.py", **state)
    assert at.selectbox(key="trial_recipe_A").value == "simple"
    at.selectbox(key="trial_recipe_B").select("tree")
    at.number_input(key="trial_folds").set_value(3)
    at.checkbox(key="trial_auto_repeats").uncheck()
    at.run()
    at.number_input(key="trial_repeats").set_value(2)
    start_trial(at)
    assert not at.exception, [e.message for e in at.exception]
    trial_id = at.session_state["trial_id"]
    assert trial_id is not None
    stored_trial = Store().get_trial(trial_id)
    assert stored_trial["plan"]["folds"] == 3 and stored_trial["plan"]["repeats"] == 2
    assert stored_trial["result"]["b"]["recipe"] == "tree"


def test_results_page_shows_the_verdict_charts_and_downloads():
    state = _checked("students.csv", "passed")
    from fairtrial.trial import TrialPlan

    trial_id, data, plan, ds = _stored_trial(state, "simple", "tree")
    at = app_at("views/results.py", **state, trial_id=trial_id)
    assert data["verdict"]["text"] in [s.value for s in at.success] + [i.value for i in at.info] + [w.value for w in at.warning]
    assert len(at.get("plotly_chart")) >= 3
    labels = [b.label for b in at.get("download_button")]
    assert "Download the Excel report" in labels and "One-page summary (HTML)" in labels
    # Each score is named once ("Always guess the most common", not "Always guess: Always guess ..."),
    # and no sentence is said twice on the page (the holdout sentence sat above and in the first tab).
    assert [m.label for m in at.metric][2] == data["baseline"]["label"]
    said = [m.value for m in at.markdown if m.value.strip()]
    assert len(said) == len(set(said)), [s for s in said if said.count(s) > 1]
    assert isinstance(TrialPlan.from_dict(Store().get_trial(trial_id)["plan"]), TrialPlan)


def test_results_page_re_run_says_same_numbers():
    state = _checked("students.csv", "passed")

    trial_id, _, plan, ds = _stored_trial(state, "simple", "tree")
    at = app_at("views/results.py", **state, trial_id=trial_id)
    finish_rerun(at.button(key="results_rerun").click().run())
    assert not at.exception, [e.message for e in at.exception]
    assert any(f"the same numbers as trial {trial_id}" in s.value for s in at.success), texts(at)


def test_results_shows_fairness_for_people_columns():
    state = _checked("loans.csv", "approved")
    from fairtrial.workflow import check_dataset, plan_from_checks, run_compare

    ds = Store().get_dataset(state["dataset_id"])
    report, _ = check_dataset(Store(), ds, "approved", sensitive=["ethnicity"])
    plan = plan_from_checks("approved", report, recipe_a="simple", recipe_b="tree", sensitive=["ethnicity"],
                            folds=3, repeats=1)
    trial_id, data, _ = run_compare(Store(), ds, plan)
    assert "ethnicity" in data["groups"]
    at = app_at("views/results.py", **state, trial_id=trial_id)
    assert "By 'ethnicity'" in [h.value for h in at.subheader]
    assert any("postcode" in m.value for m in at.markdown), "the postcode proxy is named"
    # The chart picker names the group measures in words, not by their code names.
    assert at.radio(key="res_group_metric_ethnicity").options == [
        "How often it predicts the outcome", "How often it is right", "Real cases it finds", "False alarms"]
    # The chart notes its 95% lines itself; the caption under it does not say it again.
    assert "One bar per recipe and group." in " ".join(c.value for c in at.caption)
    assert not [c for c in at.caption if "thin lines" in c.value]
    # Group sizes show their share as a percentage, not as 0.5707.
    sizes = next(d for d in at.dataframe if "judged" in d.value.columns)
    assert '"percent"' in sizes.proto.columns and "share of rows" in sizes.proto.columns
    # Both recipes approve some ethnicity groups more often: one card says so, the explanation once, then
    # recipe A's and recipe B's numbers (not two cards that explain the same measure twice).
    titles = [e.label for e in at.expander]
    assert "Both recipes approve some ethnicity groups more often than others" in titles
    assert not [t for t in titles if t.startswith("Recipe ") and "approves some ethnicity groups" in t]
    said = " ".join(m.value for m in at.main.markdown)  # the page, not the sidebar's glossary
    assert said.count("is called the demographic parity difference") == 1
    assert said.count("The four-fifths rule divides") == 1
    assert said.count("not a legal finding") == 1  # the summary above the cards does not say it per recipe


def test_new_data_page_checks_drift_for_a_saved_model():
    state = _checked("students.csv", "passed")
    from fairtrial.workflow import check_dataset, plan_from_checks, run_compare

    ds = Store().get_dataset(state["dataset_id"])
    report, _ = check_dataset(Store(), ds, "passed")
    run_compare(Store(), ds, plan_from_checks("passed", report, recipe_a="simple", recipe_b="tree", folds=3, repeats=1))
    at = app_at("views/new_data.py")
    assert next(s for s in at.selectbox if s.label == "Saved model").options
    assert at.get("file_uploader"), "the page asks for the new rows"


def test_trial_page_offers_reweighing_while_people_columns_are_in_effect():
    state = _checked("loans.csv", "approved")
    at = app_at("views/trial.py", **state)
    captions = [c.value for c in at.caption]
    # Each left-out column is named once: people columns on their own line, not also among the left-out ones.
    assert "Left out after the checks: `applicant_id`. Change this on the Check page." in captions
    assert "Kept out of the models and used to compare groups: `age`, `gender`, `ethnicity`." in captions
    at = app_at("views/trial.py", **state, sensitive=["ethnicity"])
    fairness = at.selectbox(key="trial_fairness_B")
    assert fairness.options == ["As is", "Fairer: reweigh groups while learning"]
    at_without = app_at("views/trial.py", **state, sensitive=[])
    assert not [s for s in at_without.selectbox if s.key == "trial_fairness_B"]


def test_upload_preview_hides_personal_data():
    at = app_at()
    at.selectbox(key="upload_sample").select("Customer churn (shop)").run()
    assert not at.exception
    preview = at.dataframe[0].value
    assert "email" in preview.columns and (preview["email"] == "(hidden: personal data)").all()
    assert not preview["email"].astype(str).str.contains("@").any()
    assert preview["plan"].notna().all() and "(hidden" not in " ".join(preview["plan"].astype(str))
    assert "Hidden: 'email'. This column looks like personal data, so FairTrial never shows its values and leaves " \
           "it out of the models." in texts(at)


def test_results_shows_a_trophy_only_when_the_winner_also_beats_guessing_and_amounts_with_separators():
    state = _checked("house_prices.csv", "price")
    from fairtrial.explain import build_verdict

    trial_id, data, plan, ds = _stored_trial(state, "baseline", "simple")
    assert data["verdict"]["tone"] == "success" and data["verdict"]["winner"] == "b"
    at = app_at("views/results.py", **state, trial_id=trial_id)
    assert [s.value for s in at.success] == [data["verdict"]["text"]]
    values = [m.value for m in at.metric]
    assert all(re.fullmatch(r"[\d,.]+", v) for v in values) and any("," in v for v in values), values

    # The same trial, told that the winner is not clearly better than guessing: a caution box, no trophy.
    data["b"]["beats_baseline"] = False
    data["verdict"] = build_verdict(data).to_dict()
    assert data["verdict"]["tone"] == "caution"
    caution_id = Store().save_trial(ds.dataset_id, plan.to_dict(), data)
    at = app_at("views/results.py", **state, trial_id=caution_id)
    assert not at.success
    assert data["verdict"]["text"] in [w.value for w in at.warning]


def test_check_page_puts_proposed_people_columns_in_effect_without_a_confirm_press():
    state = _checked("loans.csv", "approved")
    at = app_at("views/check.py", **state)
    chosen = at.multiselect(key="check_sensitive_approved")
    assert chosen.value == ["age", "gender", "ethnicity"]
    assert not [b for b in at.button if b.key == "check_confirm_sensitive"], "no separate Confirm press"
    assert "already in effect" in texts(at)
    report = check_report(state["dataset_id"], "approved")
    assert report.sensitive_columns == ["age", "gender", "ethnicity"]
    assert {"age", "gender", "ethnicity"} <= set(report.excluded_columns)
    # The user removes what is not about people; the checks run again with their list.
    chosen.unselect("age").run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.session_state["sensitive"] == ["gender", "ethnicity"]
    report = check_report(state["dataset_id"], "approved")
    assert report.sensitive_columns == ["gender", "ethnicity"] and "age" not in report.excluded_columns
    # Without a Confirm press the Trial page already treats the proposed columns as people columns.
    trial = app_at("views/trial.py", **state)
    assert trial.selectbox(key="trial_fairness_B").options == ["As is", "Fairer: reweigh groups while learning"]


def check_report(dataset_id: int, target: str):
    from fairtrial.checks import CheckReport

    latest = Store().latest_check_run(dataset_id, target=target)
    return CheckReport.from_dict({**latest["summary"], "findings": [f.to_dict() for f in latest["findings"]]})


def rare_returns(path: Path) -> Path:
    """About 9% 'yes', customers with one or two rows each, and a gender column."""
    rng = np.random.default_rng(5)
    cid = np.repeat(np.arange(700), rng.choice([1, 2], size=700))
    habit = rng.normal(size=700)
    y = habit[cid] + rng.normal(scale=0.8, size=cid.size) > 1.7
    pd.DataFrame({"customer_id": [f"C{c + 1000}" for c in cid],
                  "spend": (habit[cid] + rng.normal(scale=0.3, size=cid.size)).round(2),
                  "gender": rng.choice(["female", "male"], size=cid.size),
                  "returned": np.where(y, "yes", "no")}).to_csv(path, index=False)
    return path


def _start_small_trial(at: AppTest) -> dict:
    at.number_input(key="trial_folds").set_value(3)
    at.checkbox(key="trial_auto_repeats").uncheck()
    at.run()
    at.number_input(key="trial_repeats").set_value(1)
    start_trial(at)
    assert not at.exception, [e.message for e in at.exception]
    return Store().get_trial(at.session_state["trial_id"])["plan"]


def test_trial_page_defaults_follow_the_checks_and_match_the_command_line(capsys, tmp_path):
    from cli.cli_helpers import run_cli

    file = rare_returns(tmp_path / "returns.csv")
    cli = run_cli(capsys, "compare", file, "--target", "returned", "--a", "simple", "--b", "boosting",
                  "--folds", "3", "--repeats", "1", "--json", "--quiet")
    assert cli.code == 0, cli.err
    by_cli = cli.json()
    assert set(by_cli["defaults"]) == {"imbalance", "group", "sensitive"}
    state = {"dataset_id": by_cli["dataset"]["dataset_id"], "target": "returned"}
    app_at("views/check.py", **state)

    at = app_at("views/trial.py", **state)
    assert at.selectbox(key="trial_imbalance_A").value == "balanced"
    assert at.selectbox(key="trial_imbalance_B").value == "balanced"
    assert at.selectbox(key="trial_group").value == "customer_id"
    shown = texts(at)
    assert "Chosen by FairTrial because the checks found one answer rare" in shown
    assert "Chosen by FairTrial because 'customer_id' repeats over rows" in shown
    assert "What FairTrial chose for you" in shown and "Rows with the same 'customer_id' were kept together" in shown
    assert _start_small_trial(at) == by_cli["plan"], "the app and the command line make the same plan"
    # The Results page says what was chosen and why.
    assert "What FairTrial chose from the checks: Because only" in texts(at)


def test_trial_page_lets_the_user_switch_each_default_off(capsys, tmp_path):
    from cli.cli_helpers import run_cli

    file = rare_returns(tmp_path / "returns.csv")
    cli = run_cli(capsys, "compare", file, "--target", "returned", "--a", "simple:none", "--b", "boosting:none",
                  "--no-group", "--sensitive", "--folds", "3", "--repeats", "1", "--json", "--quiet")
    assert cli.code == 0, cli.err
    by_cli = cli.json()
    state = {"dataset_id": by_cli["dataset"]["dataset_id"], "target": "returned"}
    check = app_at("views/check.py", **state)
    check.multiselect(key="check_sensitive_returned").unselect("gender").run()
    at = app_at("views/trial.py", **state, sensitive=[])
    at.selectbox(key="trial_imbalance_A").select("none")
    at.selectbox(key="trial_imbalance_B").select("none")
    at.selectbox(key="trial_group").select_index(0)  # "None"
    at.run()
    assert "What FairTrial chose for you" not in texts(at)
    plan = _start_small_trial(at)
    assert plan["recipe_a"]["imbalance"] == plan["recipe_b"]["imbalance"] == "none"
    assert plan["group"] is None and plan["sensitive"] == [] and plan["defaults"] == {}
    assert plan == by_cli["plan"]


def test_trial_page_drops_the_proposed_group_when_rows_are_in_time_order(tmp_path):
    ds, _ = Store().save_dataset(load_file(rare_returns(tmp_path / "returns.csv")))
    state = {"dataset_id": ds.dataset_id, "target": "returned"}
    app_at("views/check.py", **state)
    at = app_at("views/trial.py", **state)
    assert at.selectbox(key="trial_group").value == "customer_id"
    at.checkbox(key="trial_time").check().run()
    assert not at.exception, [e.message for e in at.exception]
    # The page no longer offers a group the plan would drop, and says why.
    assert not [s for s in at.selectbox if s.key == "trial_group"]
    assert at.selectbox(key="trial_group_time").value == "None"
    shown = texts(at)
    assert "cannot keep those rows together and test on later rows at the same time" in shown
    assert "Chosen by FairTrial because 'customer_id' repeats" not in shown
    assert "Rows with the same 'customer_id' were kept together" not in shown
    plan = _start_small_trial(at)
    assert plan["time_ordered"] is True and plan["group"] is None and "group" not in plan["defaults"]
    # Unticked again, the proposed group is back.
    at.switch_page("views/trial.py").run()
    at.checkbox(key="trial_time").uncheck().run()
    assert at.selectbox(key="trial_group").value == "customer_id"


def test_check_page_speaks_of_one_proposed_people_column_in_the_singular(tmp_path):
    rng = np.random.default_rng(7)
    income = rng.normal(40, 10, size=400).round(1)
    file = tmp_path / "cards.csv"
    pd.DataFrame({"age": rng.integers(18, 80, size=400), "income": income,
                  "card": np.where(income + rng.normal(0, 8, size=400) > 40, "yes", "no")}).to_csv(file, index=False)
    ds, _ = Store().save_dataset(load_file(file))
    at = app_at("views/check.py", dataset_id=ds.dataset_id, target="card")
    assert at.multiselect(key="check_sensitive_card").value == ["age"]
    captions = [c.value for c in at.caption]
    assert "FairTrial proposed 'age' from its name and values, and it is already in effect: kept out of the models " \
           "and used for the group checks. Remove it if it is not about people." in captions
    assert not [c for c in captions if "proposed these" in c]


def test_fairness_tab_does_not_let_an_accuracy_lead_outshout_a_verdict_of_no_clear_winner():
    state = _checked("loans.csv", "approved")

    trial_id, data, plan, ds = _stored_trial(state, "simple", "tree")
    assert any("accurate" in s for s in data["groups_summary"]), data["groups_summary"]
    hedge = "The verdict above found no clear winner: where a sentence here calls one recipe more or less accurate"
    # Stored as a trial without a clear winner: the group sentences' accuracy lead is said to be maybe luck.
    data["verdict"] = {**data["verdict"], "winner": "none"}
    none_id = Store().save_trial(ds.dataset_id, plan.to_dict(), data)
    assert any(hedge in c.value for c in app_at("views/results.py", **state, trial_id=none_id).caption)
    # With a winner, no such caption.
    data["verdict"] = {**data["verdict"], "winner": "a"}
    a_id = Store().save_trial(ds.dataset_id, plan.to_dict(), data)
    assert not any(hedge in c.value for c in app_at("views/results.py", **state, trial_id=a_id).caption)


def test_check_page_folds_away_many_findings_of_one_kind(tmp_path):
    rng = np.random.default_rng(11)
    n = 600
    x = rng.normal(size=n)
    frame = pd.DataFrame({"x": x.round(3), "bought": np.where(x + rng.normal(size=n) > 0, "yes", "no")})
    for j in range(6):  # six columns that are 0 on all but a handful of rows
        col = np.zeros(n, dtype=int)
        col[rng.choice(n, size=3, replace=False)] = 1
        frame[f"flag{j}"] = col
    file = tmp_path / "flags.csv"
    frame.to_csv(file, index=False)
    ds, _ = Store().save_dataset(load_file(file))
    at = app_at("views/check.py", dataset_id=ds.dataset_id, target="bought")
    title = "Nearly the same value everywhere"
    # one card for the six columns, naming them; the details of the first three, the rest named below them
    card = next(e for e in at.expander if e.label.startswith(title))
    assert card.label == f"{title} ('flag0', 'flag1', 'flag2', 'flag3', 'flag4' and 1 more)"
    assert [e.label for e in at.expander].count(card.label) == 1
    said = [m.value for m in card.markdown]
    assert [s.split(":**")[0] for s in said if s.startswith("**'flag")] == ["**'flag0'", "**'flag1'", "**'flag2'"]
    assert "3 more: 'flag3', 'flag4', 'flag5'." in [c.value for c in card.caption]
    at.toggle(key="check_all_warning").set_value(True).run()
    assert not at.exception, [e.message for e in at.exception]
    card = next(e for e in at.expander if e.label.startswith(title))
    assert len([m for m in card.markdown if m.value.startswith("**'flag")]) == 6


def test_trial_page_says_the_expected_time_of_a_long_trial_next_to_start(monkeypatch):
    state = _checked("students.csv", "passed")
    at = app_at("views/trial.py", **state)
    assert "This trial will take about" not in texts(at)  # 600 rows: seconds, no word
    monkeypatch.setenv("FAIRTRIAL_TRIAL_TIME_WARNING_SECONDS", "0")
    at = app_at("views/trial.py", **state)
    assert any(w.value.startswith("This trial will take about") and "600 rows" in w.value for w in at.warning), \
        texts(at)


def _stored_emails(dataset_id: int) -> list[str]:
    with Store().connect() as con:
        table = con.execute("SELECT content_table FROM datasets WHERE id = ?", [dataset_id]).fetchone()[0]
        return [r[0] for r in con.execute(f'SELECT email FROM "{table}"').fetchall()]


def test_upload_stores_personal_data_scrambled_and_says_so():
    at = app_at()
    assert at.checkbox(key="upload_keep_personal").value is False
    at.selectbox(key="upload_sample").select("Customer churn (shop)").run()
    assert not at.exception, [e.message for e in at.exception]
    assert ("FairTrial stored 'email' scrambled (personal data); the original values are not kept."
            in texts(at))
    emails = _stored_emails(at.session_state["dataset_id"])
    assert emails and not any("@" in e for e in emails)
    assert "Hidden: 'email'" in texts(at)  # the preview still hides the column


def test_upload_keeps_personal_data_when_asked():
    at = app_at()
    at.checkbox(key="upload_keep_personal").check().run()
    at.selectbox(key="upload_sample").select("Customer churn (shop)").run()
    assert not at.exception, [e.message for e in at.exception]
    assert "scrambled" not in texts(at)
    assert all("@" in e for e in _stored_emails(at.session_state["dataset_id"]))


def test_check_page_says_a_kind_of_finding_on_several_columns_once_naming_them():
    """The loans sample: age, gender and ethnicity each look like they describe people and are kept aside.
    One card says so, naming the three columns and what to do once; each column's own words are in it."""
    at = app_at("views/check.py", dataset_id=stored("loans.csv"), target="approved")
    labels = [e.label for e in at.expander]
    assert "Sensitive: kept for group checks ('age', 'gender' and 'ethnicity')" in labels
    assert "Sensitive: kept for group checks" not in labels
    card = next(e for e in at.expander if e.label.startswith("Sensitive: kept for group checks"))
    said = [m.value for m in card.markdown]
    assert said[0].startswith("**What to do:** If one of them is not about people, remove it from the columns about "
                              "people")
    assert [s.split(":**")[0] for s in said if s.startswith("**'")] == ["**'age'", "**'gender'", "**'ethnicity'"]
