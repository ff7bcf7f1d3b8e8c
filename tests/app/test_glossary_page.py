"""The glossary in the app: a panel of plain words in the sidebar, and tooltips from it on the Results page."""

from __future__ import annotations

from fairtrial.glossary import term
from fairtrial.load import load_file
from fairtrial.store import Store

from test_pages import REPO, app_at


def test_the_sidebar_has_the_glossary_in_plain_words():
    at = app_at()
    assert "Words FairTrial uses" in [e.label for e in at.sidebar.expander]
    words = "\n".join(m.value for m in at.sidebar.markdown)
    for key in ("selection_rate", "tpr", "fpr", "psi", "seed", "fold", "four_fifths"):
        entry = term(key)
        assert f"**{entry.name}:** {entry.meaning} *{entry.better}.*" in words, key
    assert "Selection rate (how often it says 'yes'):** " in words
    for raw in ("selection_rate", "balanced_accuracy", "mean_error", "The score FairTrial used"):
        assert raw not in words


def test_the_results_numbers_explain_their_score_from_the_glossary():
    from fairtrial.workflow import check_dataset, plan_from_checks, run_compare

    ds, _ = Store().save_dataset(load_file(REPO / "sample_data" / "students.csv"))
    report, _ = check_dataset(Store(), ds, "passed")
    plan = plan_from_checks("passed", report, recipe_a="simple", recipe_b="tree", folds=3, repeats=1)
    trial_id, data, _ = run_compare(Store(), ds, plan)
    at = app_at("views/results.py", dataset_id=ds.dataset_id, target="passed", trial_id=trial_id)
    entry = term(data["primary_metric"])
    assert len(at.metric) >= 3
    for shown in at.metric[:3]:
        assert entry.meaning in shown.help and entry.better in shown.help
