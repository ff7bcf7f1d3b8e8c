"""How a sensitive column's group findings are read: recipe A's and recipe B's finding of one check
as one (the explanation once, then each recipe's numbers), and summary sentences a finding repeats
left out."""

from __future__ import annotations

import copy
import re

import pytest

from groups_frames import GAP, block, preds, shuffled

from fairtrial.group_findings import pair_findings, summary_not_repeated
from fairtrial.groups import group_results

# Both recipes approve men far more often than women: A 30% vs 65% (35 points), B 34% vs 60% (27 points).
BOTH = shuffled(
    block("women", 100, 100, a=(50, 10), b=(55, 12)),
    block("men", 100, 100, a=(90, 40), b=(85, 35)),
)
LABELS = {"a": "Simple", "b": "Forest"}


def _both() -> dict:
    return group_results(BOTH["gender"], BOTH["approved"], preds(BOTH, "a", "b"), task="binary", positive="yes",
                         column="gender", labels=LABELS, seed=5)


def test_recipe_a_and_b_findings_of_one_check_read_as_one_finding_with_the_explanation_once():
    stored = _both()
    assert [(f["check"], f["details"]["arm"]) for f in stored["findings"][:2]] == [
        ("demographic_parity", "a"), ("four_fifths", "a")]  # stored one per recipe, as before
    read = pair_findings(stored["findings"])
    parity = [f for f in read if f["check"] == "demographic_parity"]
    assert len(parity) == 1
    (f,) = parity
    assert f["severity"] == "critical" and f["columns"] == ["gender"]
    assert f["title"] == "Both recipes approve some gender groups more often than others"
    assert re.fullmatch(
        r"The gap in the share of people a recipe approves, between the highest and the lowest gender group, is "
        r"called the demographic parity difference; above 10 points is worth a look, above 20 points is serious\. "
        r"Recipe A \(Simple\): 65% for men vs 30% for women, a gap of 35 points \(likely between \d+ and \d+ "
        r"points\)\. Recipe B \(Forest\): 60% for men vs 34% for women, a gap of 27 points \(likely between \d+ "
        r"and \d+ points\)\.", f["message"]), f["message"]
    assert f["suggestion"].count("Check whether the difference comes from things that really matter") == 1
    # each recipe's numbers are kept
    assert set(f["details"]["recipes"]) == {"a", "b"}
    assert f["details"]["recipes"]["a"]["demographic_parity_difference"] == pytest.approx(0.35)
    four = next(g for g in read if g["check"] == "four_fifths")
    assert four["title"] == "Both recipes fail the four-fifths screening rule for gender"
    assert four["message"].startswith("The four-fifths rule divides the share of people a recipe approves in the "
                                      "lowest gender group by that in the highest; a ratio below 0.8 is a common "
                                      "screening line — a warning sign, not a legal finding. Recipe A (Simple): It "
                                      "approves 30% of women vs 65% of men (ratio 0.46). Recipe B (Forest): It "
                                      "approves 34% of women vs 60% of men (ratio 0.56).")
    # the paired finding stands where recipe A's stood, in the stored order of the checks
    assert [g["check"] for g in read] == list(dict.fromkeys(g["check"] for g in stored["findings"]))


def test_a_finding_of_one_recipe_alone_is_read_as_it_was_stored():
    """GAP: recipe A treats women and men alike, so only recipe B has a finding on 'gender'."""
    stored = group_results(GAP["gender"], GAP["approved"], preds(GAP, "a", "b"), task="binary", positive="yes",
                           column="gender", labels=LABELS)
    assert {f["details"].get("arm") for f in stored["findings"] if f["check"] != "group_size"} == {"b"}
    assert pair_findings(stored["findings"]) == stored["findings"]


def test_findings_stored_before_the_pair_words_were_kept_read_as_before():
    stored = copy.deepcopy(_both()["findings"])
    for f in stored:
        f["details"].pop("pair_words", None)
    assert pair_findings(stored) == stored


def test_a_summary_sentence_a_finding_repeats_is_left_out_even_with_its_could_be_luck_note():
    findings = [{"message": "Its mistakes are not spread evenly: among people whose true answer is 'yes', it "
                            "approves 50% of men but 20% of women; among people whose true answer is not 'yes', it "
                            "wrongly approves 9% of men but 8% of women. The larger gap, 30 points (likely between 0 "
                            "and 65 points), is called the equalized odds difference; above 10 points is worth a "
                            "look. With groups this small, this gap could be luck."}]
    summary = ["Recipe B (Forest): Its mistakes are not spread evenly: among people whose true answer is 'yes', it "
               "approves 50% of men but 20% of women. With groups this small, this gap could be luck.",
               "Recipe A (Simple): Its mistakes are spread evenly."]
    assert summary_not_repeated(summary, findings) == ["Recipe A (Simple): Its mistakes are spread evenly."]
