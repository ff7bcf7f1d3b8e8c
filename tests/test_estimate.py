"""The expected time of a trial, said before it starts (issue 14): timed fits per recipe on a
sample (two sizes: a fixed part and a part per row), scaled by rows and by the number of fits
the plan needs."""

from __future__ import annotations

import itertools
import time

from fairtrial import estimate as estimate_module
from fairtrial.estimate import estimate_trial_seconds, fits_needed, needs_warning, warning_text
from fairtrial.recipes import Recipe
from fairtrial.trial import TrialPlan, run_trial

from trial_frames import learnable


def _plan(a: str = "forest", b: str = "boosting", **options) -> TrialPlan:
    return TrialPlan(target="target", recipe_a=Recipe.parse(a), recipe_b=Recipe.parse(b), **options)


def test_the_plan_needs_one_fit_per_re_split_and_one_final_fit_per_recipe():
    # 5,000 rows: 20% aside, 5 folds repeated 5 times (small data) -> 25 re-splits on 3,200 rows, final on 4,000
    assert fits_needed(5000, _plan()) == (25, 5, 3200.0, 4000.0)
    assert fits_needed(5000, _plan(folds=3, repeats=2, holdout=0.5)) == (6, 2, 2500.0 * 2 / 3, 2500.0)


def test_one_sample_fit_is_scaled_by_rows_and_by_the_number_of_fits(monkeypatch):
    frame, kinds = learnable(n=5000, seed=2)
    clock = itertools.count(0.0, 1.0)  # every timed fit "takes" exactly one second
    seconds, text = estimate_trial_seconds(frame, kinds, _plan(), timer=lambda: next(clock))
    # each fit trains on 4/5 of the 2,000-row sample = 1,600 rows: one second per 1,600 rows
    per_recipe = (25 * 3200 + 4000) / 1600
    assert seconds == 3 * per_recipe  # forest, boosting and the always-guess baseline
    assert text.startswith("This trial will take about 3 minutes (5,000 rows, 25 re-splits of")
    assert "each trained 26 times" in text and "in step with the rows" in text


def test_a_fixed_part_per_fit_comes_from_timing_two_sample_sizes():
    """Gradient boosting's rounds cost nearly as much on 400 rows as on 1,600: put all of a fit's
    time on its rows, the estimate said 36 s for a trial of 8 s. Timed on a quarter of the rows as
    well, the line through both timings splits a fit into a fixed part and a part per row."""
    frame, kinds = learnable(n=5000, seed=2)
    # 1,600 rows: 2 s for each recipe, then 400 rows: 1 s each
    ends = itertools.accumulate([2.0, 0.0] * 3 + [1.0, 0.0] * 3, initial=0.0)
    seconds, text = estimate_trial_seconds(frame, kinds, _plan(), timer=lambda: next(ends))
    per_row, fixed = 1 / 1200, 2 - 1600 / 1200
    assert abs(seconds - 3 * (26 * fixed + (25 * 3200 + 4000) * per_row)) < 1e-9
    assert seconds < 3 * (25 * 3200 + 4000) * 2 / 1600  # the all-on-rows guess of the same timings
    assert "timing each recipe on 400 and 1,600 rows" in text and "beyond a fixed part" in text


def test_the_smaller_sample_is_timed_only_when_the_first_guess_would_be_shown(monkeypatch):
    frame, kinds = learnable(n=5000, seed=2)
    fits: list[int] = []
    real = estimate_module._fit_job

    def counted(pipeline, X_train, *args, **kwargs):
        fits.append(len(X_train))
        return real(pipeline, X_train, *args, **kwargs)

    monkeypatch.setattr(estimate_module, "_fit_job", counted)
    short = itertools.count(0.0, 0.001)  # every fit 1 ms: a few seconds in all, nothing to say
    estimate_trial_seconds(frame, kinds, _plan(), timer=lambda: next(short), refine=needs_warning)
    assert fits == [1600] * 3
    fits.clear()
    long = itertools.count(0.0, 10.0)  # every fit 10 s: worth a warning, so the guess is refined
    estimate_trial_seconds(frame, kinds, _plan(), timer=lambda: next(long), refine=needs_warning)
    assert fits == [1600] * 3 + [400] * 3


def test_one_core_recipes_train_two_re_splits_at_once_on_bigger_tables(monkeypatch):
    frame, kinds = learnable(n=5000, seed=2)
    monkeypatch.setenv("FAIRTRIAL_PARALLEL_FOLDS_ROWS", "1000")
    clock = itertools.count(0.0, 1.0)
    seconds, _ = estimate_trial_seconds(frame, kinds, _plan("simple", "forest"), timer=lambda: next(clock))
    per_recipe = (25 * 3200 + 4000) / 1600
    assert seconds == per_recipe / 2 + 2 * per_recipe  # simple in two worker processes; forest, baseline here


def test_the_estimate_has_the_order_of_magnitude_of_a_real_trial():
    frame, kinds = learnable(n=4000, seed=5)
    plan = _plan("simple", "forest", folds=3, repeats=2)
    expected, _ = estimate_trial_seconds(frame, kinds, plan)
    started = time.perf_counter()
    run_trial(frame, kinds, plan)
    measured = time.perf_counter() - started
    assert expected / 10 < measured < expected * 10, (expected, measured)


def test_a_warning_only_above_the_setting(monkeypatch):
    frame, kinds = learnable(n=600, seed=1)
    assert warning_text(frame, kinds, _plan("simple", "tree")) is None  # a few seconds: no word
    monkeypatch.setenv("FAIRTRIAL_TRIAL_TIME_WARNING_SECONDS", "0")
    assert warning_text(frame, kinds, _plan("simple", "tree")).startswith("This trial will take about")
    assert needs_warning(0.5) and not needs_warning(0.0)


def test_a_plan_the_trial_cannot_run_gives_no_estimate_and_no_error(monkeypatch):
    frame, kinds = learnable(n=600, seed=1)
    monkeypatch.setenv("FAIRTRIAL_TRIAL_TIME_WARNING_SECONDS", "0")
    plan = TrialPlan(target="no such column", recipe_a=Recipe.parse("simple"), recipe_b=Recipe.parse("tree"))
    assert warning_text(frame, kinds, plan) is None
