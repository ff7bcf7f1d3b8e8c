"""A finding says what FairTrial did about it in a sentence, never as a stored one-word code."""

from __future__ import annotations

from fairtrial.findings import Finding


def _finding(action: str, columns=("cancellation_reason",)) -> Finding:
    return Finding(check="leakage_missingness", severity="critical", columns=columns, title="Filled in only for some outcomes",
                   message="...", action=action)


def test_what_fairtrial_did_is_a_sentence_naming_the_columns():
    assert _finding("excluded").action_words == "Left 'cancellation_reason' out of the models."
    assert _finding("excluded", ("a", "b")).action_words == "Left 'a' and 'b' out of the models."
    assert _finding("scoring blocked", ()).action_words == "Did not score the new rows."
    assert _finding("").action_words == ""
