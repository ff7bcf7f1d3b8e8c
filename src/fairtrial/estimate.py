"""How long a trial will take, said before it starts (issue 14: a size guard with words).

``estimate_trial_seconds(frame, kinds, plan)`` fits each recipe of the plan (A, B and the
always-guess baseline) on a small sample of the table (``estimate_sample_rows`` rows,
stratified by the answer for yes/no and class targets, the same columns), on 4 in 5 of its
rows and on a quarter of those, times each fit and its predictions, and scales up:

* by rows, along the line through the two timings: a fixed part per fit (gradient
  boosting's 100 rounds cost nearly as much on 400 rows as on 1,600) and a part per
  training row (roughly linear for the linear recipe and the histogram boosting; forests and
  trees grow a little faster, about n log n, so big tables may take somewhat longer than
  said). Put all on the rows, the 100,000-row simple-vs-boosting trial was said to take 36 s
  and took 8 s (issue 13);
* by the number of fits the plan needs: every re-split trains each of the three recipes
  once (``folds x repeats`` re-splits, repeats chosen by size as the trial does), and each
  recipe is trained once more on all training rows for the final check;
* the simple, tree and gradient boosting recipes on bigger tables train two re-splits at
  once, one thread each, as the trial does, so their part is halved.

Measured on this 2-core machine, busy with other work (a 60,000-row table, 8 numbers and a
category, a yes/no target, 10 re-splits): simple vs forest said 104 s, took 114 s; simple vs
boosting said 49 s, took 78 s; forest vs boosting said 134 s, took 110 s (all within a factor
of 1.6). Timing the sample fit with several threads made boosting look ten times slower.
The time to check the models, importance and the rest after the fits is not counted.

It returns ``(seconds, text)``; ``text`` is a plain sentence, always given, and
``needs_warning(seconds)`` says whether it is worth showing (``trial_time_warning_seconds``).
Nothing here is stored; the sample fit takes about a second even for forests.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from . import settings
from .recipes import Recipe, build_pipeline, used_columns
from .scoring import choose_metric
from .splits import auto_repeats
from .task import class_labels, empty_target
from .trial import _ONE_CORE_RECIPES, TrialPlan, _fit_job, kinds_and_task

_MIN_SMALL_ROWS = 100  # fewer training rows than this in a quarter of the sample: time one size only

__all__ = ["estimate_trial_seconds", "fits_needed", "needs_warning", "scale_seconds", "say_duration"]


def _sample(frame: pd.DataFrame, target: str, is_classes: bool, rows: int, seed: int) -> pd.DataFrame:
    """``rows`` rows of ``frame`` with a target, in the answers' shares for class targets."""
    keep = frame[~empty_target(frame[target]).to_numpy(dtype=bool)]
    if len(keep) <= rows:
        return keep
    rng = np.random.default_rng(seed)
    if not is_classes:
        return keep.iloc[np.sort(rng.choice(len(keep), rows, replace=False))]
    labels = class_labels(keep[target]).to_numpy(dtype=object)
    picked: list[np.ndarray] = []
    for value in pd.unique(labels):
        where = np.flatnonzero(labels == value)
        take = max(2, round(rows * len(where) / len(keep)))  # every answer at least twice
        picked.append(rng.choice(where, min(take, len(where)), replace=False))
    return keep.iloc[np.sort(np.concatenate(picked))]


def fits_needed(n_rows: int, plan: TrialPlan) -> tuple[int, int, float, float]:
    """``(re-splits, repeats, rows per re-split fit, rows of the final fit)`` for a table of ``n_rows``."""
    folds = int(plan.folds or settings.get("folds"))
    holdout = float(plan.holdout if plan.holdout is not None else settings.get("holdout_share"))
    pool = n_rows * (1 - holdout)
    limit = plan.max_training_rows
    if limit and pool > limit:  # the trial trains on a sample of ``limit`` rows (sampling.py)
        n_rows, pool = int(limit + n_rows * holdout), float(limit)
    repeats = int(plan.repeats) if plan.repeats else auto_repeats(n_rows)[0]
    if plan.time_ordered:
        repeats = 1
    return folds * repeats, repeats, pool * (folds - 1) / folds, pool


def scale_seconds(sample_seconds: dict[str, float], sample_rows: int, n_rows: int, plan: TrialPlan,
                  one_core: dict[str, bool], *, small_seconds: dict[str, float] | None = None,
                  small_rows: int = 0) -> float:
    """The trial's fitting time from a timed fit per recipe on ``sample_rows`` rows.

    With a second timing on ``small_rows`` rows (``small_seconds``), each fit takes the fixed
    part plus the part per row of the line through the two timings; when the smaller fit was
    not faster (too quick to time apart), or without it, all of the time is put on the rows
    (linear from zero: the longer guess)."""
    n_splits, _, fold_rows, pool_rows = fits_needed(n_rows, plan)
    parallel = pool_rows >= settings.get("parallel_folds_rows")
    total = 0.0
    for role, seconds in sample_seconds.items():
        per_row, fixed = seconds / max(sample_rows, 1), 0.0
        quick = (small_seconds or {}).get(role)
        if quick is not None and 0 < small_rows < sample_rows and quick < seconds:
            per_row = (seconds - quick) / (sample_rows - small_rows)
            fixed = seconds - per_row * sample_rows
        role_total = fixed * (n_splits + 1) + per_row * (n_splits * fold_rows + pool_rows)
        if parallel and one_core.get(role, False):
            role_total /= 2  # two re-splits at once in worker processes
        total += role_total
    return total


def say_duration(seconds: float) -> str:
    if seconds < 90:
        return f"{max(5, int(round(seconds / 5.0)) * 5)} seconds"
    if seconds < 90 * 60:
        return f"{int(round(seconds / 60))} minutes"
    hours = seconds / 3600
    return f"{hours:.1f} hours".replace(".0 hours", " hours")


def needs_warning(seconds: float) -> bool:
    """Whether the estimate is long enough to show before the trial starts."""
    return seconds > float(settings.get("trial_time_warning_seconds"))


def estimate_trial_seconds(frame: pd.DataFrame, kinds: dict[str, str], plan: TrialPlan, *,
                           timer: Callable[[], float] = time.perf_counter,
                           refine: Callable[[float], bool] | None = None) -> tuple[float, str]:
    """Time fits of each recipe on a sample and scale up: ``(seconds, plain sentence)``.

    The smaller sample is timed only when ``refine(seconds)`` says the first guess (all of the
    time put on the rows, the longer one) is worth refining: ``warning_text`` asks for it only
    when that guess is long enough to be shown (about 0.15 s saved on 100,000 rows otherwise).

    ``timer`` is the clock (tests pass a fake one). Raises what the trial itself would raise
    for a plan it cannot run (``BadChoiceError`` from the recipes); callers may simply skip
    the estimate then.
    """
    kinds, task = kinds_and_task(frame, kinds, plan)
    target = frame[plan.target]
    classes = task.classes if task.task != "numeric" else None
    seed = int(plan.seed if plan.seed is not None else settings.get("seed"))
    rows = int(settings.get("estimate_sample_rows"))
    sample = _sample(frame, plan.target, classes is not None, rows, seed)
    n_rows = int((~empty_target(target).to_numpy(dtype=bool)).sum())

    features = plan.feature_columns(frame)
    recipes = {"a": plan.recipe_a, "b": plan.recipe_b, "baseline": Recipe("baseline")}
    cols = {role: used_columns(r, kinds, features) for role, r in recipes.items() if role != "baseline"}
    needed = list(dict.fromkeys([*cols["a"], *cols["b"]])) or features
    if classes:
        y = class_labels(sample[plan.target]).to_numpy(dtype=object)
    else:
        y = pd.to_numeric(sample[plan.target], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    metric, _ = choose_metric(task, y, plan.metric)
    # 4 of 5 sample rows to train, the rest to predict, as in a 5-fold re-split
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(sample))
    cut = max(2, int(len(sample) * 0.8))
    tr, te = np.sort(order[:cut]), np.sort(order[cut:])
    X = sample[needed]
    # A quarter of the training rows as well: the line through the two timings gives each recipe's
    # fixed part (boosting's 100 rounds cost about the same on 400 rows as on 1,600) and its part
    # per row, instead of putting all of it on the rows (which said 36 s for an 8 s trial).
    small = np.sort(order[: cut // 4]) if cut // 4 >= _MIN_SMALL_ROWS else None
    timed: dict[str, float] = {}
    timed_small: dict[str, float] = {}
    # One thread, as the trial uses on small data: on a busy computer, several threads on a tiny
    # sample mostly wait for each other, and boosting then looks ten times slower than it is.
    pipelines = {role: build_pipeline(recipe, task, kinds, features, seed, metric=metric)
                 for role, recipe in recipes.items()}
    one_core = {role: recipes[role].name in _ONE_CORE_RECIPES for role in ("a", "b")}
    with threadpool_limits(limits=1):
        for role, pipeline in pipelines.items():
            start = timer()
            _fit_job(pipeline, X.iloc[tr], y[tr], X.iloc[te] if len(te) else None, classes, False)
            timed[role] = max(timer() - start, 0.0)
        seconds = scale_seconds(timed, len(tr), n_rows, plan, one_core)  # all on the rows: the longer guess
        if small is not None and (refine is None or refine(seconds)):
            for role, pipeline in pipelines.items():
                try:
                    start = timer()
                    _fit_job(pipeline, X.iloc[small], y[small], X.iloc[te] if len(te) else None, classes, False)
                    timed_small[role] = max(timer() - start, 0.0)
                except Exception:  # noqa: BLE001  e.g. a rare answer missing from the quarter: one size only
                    pass
            seconds = scale_seconds(timed, len(tr), n_rows, plan, one_core, small_seconds=timed_small or None,
                                    small_rows=len(small))
    if not timed_small:
        small = None  # the sentence names the sizes timed
    n_splits, _, _, _ = fits_needed(n_rows, plan)
    label_a, label_b = plan.recipe_a.label_for(task), plan.recipe_b.label_for(task)
    recipes_words = f"'{label_a}' and '{label_b}'" if label_a != label_b else f"'{label_a}' twice"
    text = (f"This trial will take about {say_duration(seconds)} ({n_rows:,} rows, {n_splits} re-splits of "
            f"{recipes_words} plus the always-guess baseline, each trained {n_splits + 1} times). "
            f"The guess comes from timing each recipe on {'' if small is None else f'{len(small):,} and '}"
            f"{len(tr):,} rows of the table and assuming training time grows in step with the rows"
            f"{'' if small is None else ' beyond a fixed part'}; forests can take longer than said on very big tables. "
            "To finish sooner, try it first on a sample of the rows or with fewer re-splits.")
    return seconds, text


def warning_text(frame: pd.DataFrame, kinds: dict[str, str], plan: TrialPlan) -> str | None:
    """The expected-time sentence when the trial will take longer than ``trial_time_warning_seconds``,
    else None. A plan the trial cannot run gives None here: the trial itself says why, in words."""
    from .errors import FairTrialError

    try:
        seconds, text = estimate_trial_seconds(frame, kinds, plan, refine=needs_warning)
    except (FairTrialError, ValueError, KeyError):
        return None
    return text if needs_warning(seconds) else None
