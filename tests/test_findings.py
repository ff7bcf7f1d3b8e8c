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


def test_the_words_of_findings_of_one_kind_are_said_once_with_one_of_them_for_each_column():
    from fairtrial.findings import columns_named, said_once, same_kind

    kept = [Finding("sensitive", "warning", (col,), "Kept aside", f"'{col}' looks like it is about people.",
                    f"If '{col}' is not about people, remove it.") for col in ("age", "sex", "race")]
    other = Finding("sensitive", "info", ("zip",), "Kept aside", "...", "")
    assert [len(kind) for kind in same_kind([kept[0], other, *kept[1:]])] == [3, 1]  # by severity, check, title
    assert columns_named(kept) == "'age', 'sex' and 'race'"
    gaps = [Finding("group_gap", "critical", (col, "approved"), "Outcome differs between groups", "...")
            for col in ("age", "ethnicity")]
    assert columns_named(gaps) == "'age' and 'ethnicity'"  # the target they share is not a group
    assert said_once(kept) == "If one of them is not about people, remove it."
    assert said_once(kept, "message") == "One of them looks like it is about people."
    differ = [kept[0], Finding("sensitive", "warning", ("sex",), "Kept aside", "...", "Ask a lawyer.")]
    assert said_once(differ) == "If 'age' is not about people, remove it. Ask a lawyer."
    assert said_once(differ, "message", or_each=False) == ""
