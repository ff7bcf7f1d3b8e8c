"""Re-run check: the same numbers within a relative 1e-9; a real difference is named, with its likely cause."""

from __future__ import annotations

import copy

from fairtrial.rerun import compare_results

STORED = {
    "a": {"label": "Simple", "fold_scores": [0.81, 0.79, 0.8], "holdout": 0.8},
    "b": {"label": "Random forest", "fold_scores": [0.851234567891, 0.84, None], "holdout": 0.86},
    "baseline": {"label": "Always guess", "fold_scores": [0.5, 0.5, 0.5], "holdout": 0.5},
    "difference": {"mean": 0.04},
    "versions": {"python": "3.11.7", "scikit-learn": "1.9.1", "numpy": "2.3.0"},
}


def again(**changes) -> dict:
    out = copy.deepcopy(STORED)
    for path, value in changes.items():
        role, key = path.split("__")
        out[role][key] = value
    return out


def test_digits_beyond_the_ninth_are_not_a_difference():
    new = again(b__fold_scores=[0.851234567891 + 5e-12, 0.84, None])
    check = compare_results(STORED, new, old_id=4, new_id=9)
    assert check.same is True and check.differences == []
    assert check.message == "Re-run as trial 9: the same numbers as trial 4 (every score equal to 9 significant digits)."


def test_a_real_difference_names_the_score_and_says_the_versions_did_not_change():
    check = compare_results(STORED, again(a__holdout=0.801), old_id=4, new_id=9)
    assert check.same is False
    assert check.differences == ["Simple's score on the rows kept aside (0.8 then, 0.801 now)"]
    assert check.message == ("Re-run as trial 9: 1 number differs from trial 4: Simple's score on the rows kept aside "
                             "(0.8 then, 0.801 now). The software versions are the same, so this is unexpected: "
                             "please report it with both trial numbers.")


def test_a_changed_library_is_named_as_the_likely_cause():
    new = again(b__fold_scores=[0.85, 0.84, 0.7])
    new["versions"] = {**STORED["versions"], "scikit-learn": "1.9.2"}
    check = compare_results(STORED, new)
    assert check.differences == ["Random forest's score on re-split 1 (0.851235 then, 0.85 now)",
                                 "Random forest's score on re-split 3 (none then, 0.7 now)"]
    assert check.versions_changed == ["scikit-learn was 1.9.1 then, 1.9.2 now"]
    assert check.message.startswith("Re-run: 2 numbers differ from the stored trial: Random forest's score on re-split 1")
    assert check.message.endswith("Likely cause: the software changed between the runs (scikit-learn was 1.9.1 then, "
                                  "1.9.2 now).")


def test_a_different_number_of_re_splits_is_a_difference():
    new = again(baseline__fold_scores=[0.5, 0.5])
    check = compare_results(STORED, new)
    assert check.differences == ["the number of re-splits of Always guess (3 then, 2 now)"]
