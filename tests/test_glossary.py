"""The glossary: one table of plain words for every term FairTrial shows."""

from __future__ import annotations

import pytest
from groups_frames import GAP, numbers, preds

from fairtrial import glossary
from fairtrial.groups import group_results
from fairtrial.report import content
from fairtrial.scoring import METRICS

# The terms the issue names; each must have an entry (by its id or a raw id the engine stores).
NAMED = ("accuracy", "balanced_accuracy", "roc_auc", "r2", "mae", "baseline", "resplit", "fold", "holdout", "seed",
         "interval", "p_value", "calibration_error", "brier", "selection_rate", "tpr", "fpr", "equalized_odds",
         "demographic_parity", "four_fifths", "group_gap", "proxy", "cramers_v", "leakage", "id_column",
         "personal_data", "imbalance", "balanced_weights", "cutoff", "drift", "psi", "jensen_shannon",
         "wasserstein", "permutation_importance", "robustness", "model_file", "promote", "rollback", "mean_error",
         "judged")
_BOUNDS = ("_low", "_high")


def _measure_ids(result: dict) -> set[str]:
    """Every number id a group result stores, per group and per recipe, without the 95% ends."""
    ids = set()
    for part in [*(g[arm] for g in result["groups"] for arm in ("a", "b")), *result["metrics"].values()]:
        ids |= {k for k, v in part.items()
                if isinstance(v, (int, float)) and not isinstance(v, bool) and not k.endswith(_BOUNDS)}
    return ids


@pytest.mark.parametrize("key", NAMED)
def test_every_term_the_issue_names_has_an_entry(key):
    assert glossary.term(key) is not None, key


@pytest.mark.parametrize("entry", list(glossary.TERMS.values()), ids=list(glossary.TERMS))
def test_every_entry_has_a_name_a_meaning_a_direction_and_an_example(entry):
    assert entry.name.strip() and entry.example.strip()
    assert entry.meaning.endswith(".") and len(entry.meaning) > 30
    assert entry.better in {glossary.BETTER_HIGHER, glossary.BETTER_LOWER} or entry.better.startswith("Neither")
    assert "_" not in entry.name, "a name is words, not a raw id"
    assert "The score FairTrial used" not in entry.meaning


def test_the_trial_scores_are_read_from_scoring_not_written_twice():
    for name, info in METRICS.items():
        entry = glossary.term(name)
        assert entry is not None, name
        assert entry.meaning.lower().startswith(info.meaning.lower()[:40])
        assert entry.higher_is_better is info.higher_is_better


@pytest.mark.parametrize("task", ["binary", "numeric"])
def test_every_measure_the_group_results_store_has_an_entry(task):
    if task == "binary":
        result = group_results(GAP["gender"], GAP["approved"], preds(GAP, "a", "b"), task="binary",
                               positive="yes", column="gender")
    else:
        frame = numbers()
        result = group_results(frame["region"], frame["price"], preds(frame, "a", "b"), task="numeric",
                               positive=None, column="region")
    ids = _measure_ids(result)
    assert ids, "the group result stores numbers"
    missing = sorted(k for k in ids if glossary.term(k) is None)
    assert missing == []


def test_a_selection_rate_is_neither_better_higher_nor_lower():
    for key in ("selection_rate", "overall_selection_rate"):
        entry = glossary.term(key)
        assert entry.higher_is_better is None
        assert entry.better.startswith("Neither")
        assert content.metric_info(key).better == entry.better


@pytest.mark.parametrize("key", ["demographic_parity_difference", "equalized_odds_difference",
                                 "equal_opportunity_difference", "accuracy_gap", "mean_error_gap"])
def test_a_gap_between_groups_says_closer_to_zero_is_fairer(key):
    assert glossary.term(key).better == glossary.BETTER_CLOSER
    assert "closer to 0" in content.metric_info(key).better


def test_the_four_fifths_ratio_says_closer_to_one_is_fairer():
    assert glossary.term("demographic_parity_ratio").better == glossary.BETTER_CLOSER_TO_ONE
    assert "0.80" in glossary.term("demographic_parity_ratio").meaning


@pytest.mark.parametrize("key", ["overall_selection_rate", "demographic_parity_ratio", "equal_opportunity_difference",
                                 "accuracy_gap", "mean_error", "mean_error_gap", "overall_mean_error",
                                 "mean_signed_error", "accuracy_drop", "mean_error_rise", "accuracy_drop_p"])
def test_the_report_explains_every_group_measure_in_plain_words(key):
    info = content.metric_info(key)
    assert "The score FairTrial used" not in info.meaning
    assert "glossary has no plain words" not in info.meaning
    assert "_" not in info.label


def test_raw_engine_ids_find_their_entry():
    assert glossary.term("tpr").name == "Real cases found (true positive rate)"
    assert glossary.term("FPR").name == "False alarms (false positive rate)"
    assert glossary.term("mean_error") is glossary.term("group_mean_error")
    assert glossary.term("no_such_word") is None
    assert [t.id for t in glossary.terms_for(["tpr", "true_positive_rate", "nope", "fold"])] == [
        "true_positive_rate", "fold"]
