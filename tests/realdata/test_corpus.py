"""The data checks on real public tables, judged against answer keys written from the tables' documentation.

One case per table: every problem in its key is found at least at the listed severity, no
legitimate strong predictor is excluded or gets a critical finding, and a clean control table
gets no warning or critical finding. A failure names exactly the key items missed.
"""

from __future__ import annotations

import pytest

from fairtrial.checks import run_checks

from .corpus import KEYS, evaluate, load


def test_the_corpus_is_ten_or_more_real_tables_with_their_facts_counted():
    assert len(KEYS) >= 10 and sum(k.clean for k in KEYS) >= 3
    for key in KEYS:
        table = load(key)
        assert len(table) == key.rows <= 3_000 and key.target in table.columns, key.name
        assert int(table.duplicated().sum()) == key.duplicates, key.name  # whole-row duplicates, every column
        assert set(key.legit) <= set(table.columns), key.name
        assert all(c is None or c in table.columns for _, c, _ in key.expect), key.name


@pytest.mark.parametrize("key", KEYS, ids=[k.name for k in KEYS])
def test_the_checks_find_what_the_key_lists_and_raise_no_false_alarm(key):
    report = run_checks(load(key), key.target)
    result = evaluate(key, report)
    problems = [f"missed {check} on {column or 'the table'} (at least {severity})"
                for check, column, severity in result["missed"]] + result["alarms"]
    assert not problems, f"{key.name}: " + "; ".join(problems)
