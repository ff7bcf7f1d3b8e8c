"""User-facing errors: one plain line, message then hint."""

from __future__ import annotations

from fairtrial.errors import BadFileError, FairTrialError, StoreBusyError, StoreError


def test_message_and_hint_make_one_line():
    err = BadFileError("The file is empty.", "Choose a file that has rows.")
    assert str(err) == "The file is empty. Choose a file that has rows."
    assert "\n" not in str(err)


def test_a_missing_full_stop_is_added_between_message_and_hint():
    assert str(FairTrialError("No rows", "Add some")) == "No rows. Add some"


def test_newlines_inside_messages_are_folded():
    assert str(FairTrialError("line one\nline two")) == "line one line two"


def test_the_hierarchy_lets_callers_catch_one_type():
    assert issubclass(StoreBusyError, StoreError) and issubclass(StoreError, FairTrialError)
