"""The money view in the app: three prices on the Trial page, the money verdict on Results."""

from __future__ import annotations

from test_pages import _checked, _stored_trial, app_at, finish_rerun, start_trial, texts

from fairtrial.store import Store


def test_three_prices_on_the_trial_page_give_a_money_verdict_on_results():
    state = _checked("churn.csv", "churned")
    at = app_at("views/trial.py", **state)
    at.selectbox(key="trial_recipe_B").select("tree")
    at.number_input(key="trial_folds").set_value(3)
    at.checkbox(key="trial_auto_repeats").uncheck()
    at.toggle(key="trial_value_on").set_value(True)
    at.run()
    at.number_input(key="trial_repeats").set_value(1)
    at.number_input(key="trial_value_hit").set_value(50.0)
    at.number_input(key="trial_value_false_alarm").set_value(10.0)
    at.number_input(key="trial_value_miss").set_value(30.0)
    at.text_input(key="trial_value_currency").input("€")
    start_trial(at)
    assert not at.exception, [e.message for e in at.exception]
    trial = Store().get_trial(at.session_state["trial_id"])
    assert trial["plan"]["value"] == {"hit": 50.0, "false_alarm": 10.0, "miss": 30.0, "currency": "€"}
    value = trial["result"]["value"]
    results = app_at("views/results.py", **state, trial_id=trial["trial_id"])
    shown = texts(results)
    assert f"**Money view.** {value['text']}" in shown
    table = results.dataframe[0].value  # the money table comes before the tabs
    assert list(table["choice"])[2:] == ["Act on no row", "Act on every row"]
    history = app_at("views/history.py", **state)
    assert "a correct flag earns €50, a false alarm costs €10, a miss costs €30" in texts(history)


def test_prices_typed_on_results_run_the_same_trial_again_with_a_money_view():

    state = _checked("churn.csv", "churned")
    trial_id, data, plan, ds = _stored_trial(state, "simple", "tree")
    assert "value" not in data
    at = app_at("views/results.py", **state, trial_id=trial_id)
    at.number_input(key="results_value_hit").set_value(50.0)
    at.number_input(key="results_value_false_alarm").set_value(10.0)
    at.number_input(key="results_value_miss").set_value(30.0)
    finish_rerun(at.button(key="results_value_run").click().run())
    assert not at.exception, [e.message for e in at.exception]
    new_id = at.session_state["trial_id"]
    assert new_id != trial_id
    again = Store().get_trial(new_id)
    assert again["plan"]["value"]["hit"] == 50.0
    assert again["result"]["a"]["fold_scores"] == data["a"]["fold_scores"]  # the same trial, now with prices
    assert "**Money view.**" in texts(at)
