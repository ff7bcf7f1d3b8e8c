"""Run a fair A/B trial of two recipes (plus the always-guess baseline) on the same splits.

``run_trial(frame, kinds, plan)`` does, in order:

1. works out the task and the primary metric (and says why);
2. sets aside rows without a target, removes rows that copy another row in every uploaded
   column (never rows that only share the model's columns) and splits once
   (``splits.make_splits``): a holdout kept untouched, then repeated folds; A, B and the
   baseline use the very same index arrays;
3. trains and scores every recipe on every split (preparation is fitted inside each
   fold), reporting progress after each fit and checking ``cancel()`` between fits;
4. trains each recipe's final model on all non-holdout rows and checks it on the holdout;
5. compares: per-split differences with the Nadeau–Bengio corrected interval (A vs B,
   and each vs the baseline), a holdout test (McNemar or paired bootstrap), calibration,
   robustness, cost, permutation importance and secondary metrics;
6. writes the verdict in plain sentences (``explain.py``).

Both cores are used: on bigger data the simple, tree and gradient boosting recipes train
two folds at once in separate processes, one thread each (``_ONE_CORE_RECIPES``); a forest
uses both cores inside one fit, so its folds run one after another.
The same seed gives the same numbers; only the timings differ between runs.
"""

from __future__ import annotations

import importlib.metadata
import math
import platform
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from joblib import delayed
from threadpoolctl import threadpool_limits

from . import explain, settings
from .timings import Laps, phase
from .errors import BadChoiceError, FairTrialError, TrialCancelled
from .fitting import JobOut as _JobOut
from .fitting import fit_job as _fit_job
from .evaluate import (
    calibration,
    permutation_importance,
    predict_both,
    predict_ms_per_1000,
    robustness,
    secondary_metrics,
)
from .defaults import say_defaults
from .kinds import infer_kinds
from .models import dump_model
from .recipes import Recipe, build_pipeline, recipe_notes, reweigh_weights, reweighs, used_columns
from .scoring import METRICS, choose_metric, score
from .splits import Splits, make_splits
from .stats import PairedTest, bootstrap_mean_ci, corrected_t_test, mcnemar, paired_bootstrap, wilson_interval
from .task import TaskInfo, class_labels, detect_task, empty_target
from .value import ValueInputs, best_cutoff, inner_folds, typical_error_value, value_section

__all__ = ["ROLES", "ArmResult", "TrialPlan", "TrialResult", "run_trial"]

ROLES: tuple[str, ...] = ("a", "b", "baseline")
# Recipes whose folds run two at a time in the worker processes, one thread each, from
# ``parallel_folds_rows`` training rows. The simple and tree recipes use one core anyway.
# Gradient boosting can use both cores itself, but one fit on two threads took 1.2-1.5x less
# time than on one (64,000 rows x 20 columns, this 2-core machine): two folds side by side on
# one thread each get more done, and a thread that waits at OpenMP's barriers while another
# program is busy (the app's server, a second trial) stalls far less with one (issue 13).
# Forests keep their two threads inside each fit; nearest neighbours and Bayes run here.
_ONE_CORE_RECIPES = ("simple", "tree", "boosting")


def _recipe(value: Any) -> Recipe:
    if isinstance(value, Recipe):
        return value
    if isinstance(value, dict):
        return Recipe.from_dict(value)
    return Recipe.parse(str(value))


@dataclass(frozen=True)
class TrialPlan:
    """Everything that decides a trial's numbers; plain data that round-trips through JSON.

    ``columns`` are the allowed feature columns (empty: every column but the target,
    the excluded ones and the group column). ``repeats=None`` picks repeats by size;
    ``metric=None`` picks the metric from the data; ``task=None`` detects it.
    """

    target: str
    task: str | None = None
    recipe_a: Recipe = field(default_factory=lambda: Recipe("simple"))
    recipe_b: Recipe = field(default_factory=lambda: Recipe("boosting"))
    columns: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    folds: int = 5
    repeats: int | None = None
    seed: int = 42
    holdout: float = 0.2
    group: str | None = None
    time_ordered: bool = False
    sensitive: tuple[str, ...] = ()
    metric: str | None = None
    # What FairTrial chose because the checks found it (``defaults.py``): e.g.
    # {"imbalance": {...}, "group": {...}, "sensitive": {...}}, each with a plain ``sentence``.
    defaults: dict[str, Any] = field(default_factory=dict)
    # The money view (``value.py``): {"hit", "false_alarm", "miss", "currency"} or None.
    value: dict[str, Any] | None = None
    # Train on a seeded sample above this many training rows (``sampling.py``); None: the
    # ``max_training_rows`` setting now, recorded so a re-run draws the same sample; 0: no limit.
    max_training_rows: int | None = None

    def __post_init__(self) -> None:
        if self.max_training_rows is None:
            object.__setattr__(self, "max_training_rows", int(settings.get("max_training_rows")))
        if self.value:
            object.__setattr__(self, "value", ValueInputs.from_dict(self.value).to_dict())
        else:
            object.__setattr__(self, "value", None)
        for name in ("recipe_a", "recipe_b"):
            recipe = _recipe(getattr(self, name))
            if recipe.imbalance is None:  # not chosen and not resolved by the checks: no remedy
                recipe = replace(recipe, imbalance="none")
            object.__setattr__(self, name, recipe)
        object.__setattr__(self, "defaults", dict(self.defaults or {}))
        for name in ("columns", "excluded", "sensitive"):
            object.__setattr__(self, name, tuple(str(c) for c in (getattr(self, name) or ())))

    def feature_columns(self, frame: pd.DataFrame) -> list[str]:
        """The allowed feature columns for this frame."""
        base = list(self.columns) if self.columns else [str(c) for c in frame.columns]
        drop = {self.target, *self.excluded, *([self.group] if self.group else [])}
        return [c for c in base if c not in drop]

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target, "task": self.task,
            "recipe_a": self.recipe_a.to_dict(), "recipe_b": self.recipe_b.to_dict(),
            "columns": list(self.columns), "excluded": list(self.excluded),
            "folds": self.folds, "repeats": self.repeats, "seed": self.seed, "holdout": self.holdout,
            "group": self.group, "time_ordered": self.time_ordered, "sensitive": list(self.sensitive),
            "metric": self.metric, "defaults": dict(self.defaults),
            **({"value": dict(self.value)} if self.value else {}),
            "max_training_rows": self.max_training_rows,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "TrialPlan":
        known = {f for f in cls.__dataclass_fields__}
        fields = {k: v for k, v in data.items() if k in known}
        # A plan stored before the training-row limit existed trained on every row: re-running it
        # must too, or a big old trial would re-run on a sample and report different numbers.
        fields.setdefault("max_training_rows", 0)
        return cls(**fields)


@dataclass(frozen=True, eq=False)
class ArmResult:
    """One recipe's results in a trial (``role`` is ``a``, ``b`` or ``baseline``)."""

    role: str
    recipe: Recipe
    label: str
    columns: tuple[str, ...]
    fold_scores: tuple[float, ...]
    mean: float
    holdout: float
    beats_baseline: bool | None
    vs_baseline: PairedTest | None
    fit_seconds: float
    predict_ms_per_1000: float
    model_bytes: int
    model: Any = field(repr=False)
    model_file: bytes = field(repr=False)
    model_sha256: str
    oof_pred: np.ndarray = field(repr=False)
    oof_proba: np.ndarray | None = field(repr=False)
    holdout_pred: np.ndarray = field(repr=False)
    holdout_proba: np.ndarray | None = field(repr=False)
    notes: tuple[str, ...] = ()

    def cost(self) -> dict[str, float]:
        return {"fit_seconds": _num(self.fit_seconds), "predict_ms_per_1000": _num(self.predict_ms_per_1000),
                "model_bytes": int(self.model_bytes)}

    def to_dict(self) -> dict[str, Any]:
        out = {
            "recipe": self.recipe.short(),
            "recipe_options": self.recipe.to_dict(),
            "label": self.label,
            "columns": list(self.columns),
            "fold_scores": [_num(s) for s in self.fold_scores],
            "mean": _num(self.mean),
            "holdout": _num(self.holdout),
            "notes": list(self.notes),
        }
        if self.oof_proba is not None and len(self.oof_pred):  # classes: how often each answer was predicted
            answers, counts = np.unique(np.asarray(self.oof_pred).astype(str), return_counts=True)
            out["predicted_share"] = {str(k): float(n / len(self.oof_pred)) for k, n in zip(answers, counts)}
        if self.role != "baseline":
            out["beats_baseline"] = bool(self.beats_baseline)
            out["vs_baseline"] = None if self.vs_baseline is None else self.vs_baseline.to_dict()
        return out


@dataclass(frozen=True, eq=False)
class TrialResult:
    """The whole outcome of ``run_trial``. ``to_dict()`` is the JSON of ``fairtrial compare --json``."""

    plan: TrialPlan
    task: TaskInfo
    primary_metric: str
    metric_reason: str
    splits: Splits
    a: ArmResult
    b: ArmResult
    baseline: ArmResult
    difference: dict
    holdout_check: dict
    calibration: dict
    robustness: dict
    importance: list
    secondary: dict
    verdict: explain.Verdict
    duration_seconds: float
    versions: dict
    notes: tuple[str, ...]
    row_labels: pd.Index = field(repr=False)
    y: np.ndarray = field(repr=False)
    oof_rows: np.ndarray = field(repr=False)
    context: dict = field(default_factory=dict, repr=False)

    @property
    def classes(self) -> tuple[str, ...]:
        return self.task.classes

    @property
    def positive(self) -> str | None:
        return self.task.positive

    def arm(self, role: str) -> ArmResult:
        return {"a": self.a, "b": self.b, "baseline": self.baseline}[role]

    def _frame(self, rows: np.ndarray, attr_pred: str, attr_proba: str) -> pd.DataFrame:
        data: dict[str, Any] = {"row": self.row_labels[rows], "position": rows, "y_true": self.y[rows]}
        for role in ROLES:
            data[f"pred_{role}"] = getattr(self.arm(role), attr_pred)
        if self.task.task != "numeric":
            for role in ("a", "b"):
                proba = getattr(self.arm(role), attr_proba)
                if self.task.task == "binary":
                    data[f"proba_{role}"] = proba[:, list(self.classes).index(self.positive)]
                else:
                    data[f"proba_{role}"] = proba.max(axis=1)
        return pd.DataFrame(data)

    def holdout_frame(self) -> pd.DataFrame:
        """One row per holdout row: ``row`` (the frame's index label), ``position`` (for
        ``frame.iloc``), ``y_true``, ``pred_a``, ``pred_b``, ``pred_baseline`` and, for
        classes, ``proba_a``/``proba_b``: the chance of the positive class (binary) or the
        confidence in the predicted class (multiclass). Predictions come from the final
        models, trained on all non-holdout rows."""
        return self._frame(self.splits.holdout, "holdout_pred", "holdout_proba")

    def oof_frame(self) -> pd.DataFrame:
        """Like ``holdout_frame`` for the out-of-fold predictions of the last repeat (each
        non-holdout row predicted by the fold model that did not train on it)."""
        return self._frame(self.oof_rows, "oof_pred", "oof_proba")

    def to_dict(self) -> dict[str, Any]:
        out = _result_dict(self)
        out["verdict"] = self.verdict.to_dict()
        return out


# --- helpers ------------------------------------------------------------------------------------
def _num(x: Any) -> float | None:
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return [_jsonable(v) for v in obj.tolist()]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return _num(obj)
    return obj


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for dist in ("fairtrial", "scikit-learn", "numpy", "pandas", "scipy", "skops", "joblib"):
        try:
            out[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            out[dist] = "unknown"
    return out


def fairness_groups(frame: pd.DataFrame, plan: TrialPlan) -> np.ndarray:
    """One group label per row from the plan's sensitive columns together (numbers in bands),
    for the 'reweigh' fairness option."""
    from .fairness_words import MISSING_GROUP
    from .groups import band_numeric

    parts = []
    for col in plan.sensitive:
        values = frame[col]
        if pd.api.types.is_numeric_dtype(values) and values.nunique() > 10:
            values = band_numeric(values, col)
        parts.append(values.astype(object).where(values.notna(), MISSING_GROUP).astype(str))
    return pd.concat(parts, axis=1).agg(" / ".join, axis=1).to_numpy(dtype=object)


def _in_pool(recipe: Recipe, pool_rows: int) -> bool:
    return recipe.name in _ONE_CORE_RECIPES and pool_rows >= settings.get("parallel_folds_rows")


def _wins(diffs: np.ndarray, higher: bool) -> tuple[int, int, int]:
    better = diffs > 0 if higher else diffs < 0
    worse = diffs < 0 if higher else diffs > 0
    return int(better.sum()), int(worse.sum()), int(len(diffs) - better.sum() - worse.sum())


# --- the runner -----------------------------------------------------------------------------------
def kinds_and_task(frame: pd.DataFrame, kinds: dict[str, str], plan: TrialPlan) -> tuple[dict[str, str], TaskInfo]:
    """Every column's kind (the given ones, the rest inferred) and the task of the plan's target
    (blank answers are no answers), as the trial and its time estimate both need them."""
    kinds = dict(kinds)
    missing_kinds = [c for c in frame.columns if str(c) not in kinds]
    if missing_kinds:
        kinds.update(infer_kinds(frame[missing_kinds]))
    target_values = frame[plan.target]
    return kinds, detect_task(target_values.mask(empty_target(target_values)), plan.target, override=plan.task)


def run_trial(frame: pd.DataFrame, kinds: dict[str, str], plan: TrialPlan, *,
              progress: Callable[[float, str], None] | None = None,
              cancel: Callable[[], bool] | None = None) -> TrialResult:
    """Run the trial described by ``plan`` on ``frame``; see the module docstring.

    ``progress(share_done, message)`` is called after every fit; ``cancel()`` is checked
    between fits and stops the trial with ``TrialCancelled``. Plain user mistakes (an
    unknown column, a class too small for the folds ...) raise ``BadChoiceError``.
    """
    started = time.perf_counter()
    report = progress or (lambda share, message: None)
    stop = cancel or (lambda: False)

    def check_cancel() -> None:
        if stop():
            raise TrialCancelled()

    check_cancel()
    if plan.target not in frame.columns:
        raise BadChoiceError(f"There is no column '{plan.target}' to predict.", "Pick one of the table's columns.")
    unknown = [c for c in (*plan.columns, *plan.sensitive) if c not in frame.columns]
    for recipe in (plan.recipe_a, plan.recipe_b):
        unknown += [c for c in (*(recipe.features or ()), *recipe.without) if c not in frame.columns]
    if unknown:
        raise BadChoiceError(f"The table has no column named '{unknown[0]}'.", "Check the spelling of the columns.")
    for recipe in (plan.recipe_a, plan.recipe_b):
        if recipe.fairness == "reweigh" and not plan.sensitive:
            raise BadChoiceError("Reweighing needs at least one column about people (e.g. gender).",
                                 "Name the columns about people on the Check page, or with --sensitive.")
        if recipe.features and plan.target in recipe.features:
            raise BadChoiceError(f"A recipe cannot use the target '{plan.target}' to predict itself.",
                                 "Remove it from the recipe's columns.")
    kinds, task = kinds_and_task(frame, kinds, plan)
    classes: tuple[str, ...] | None = task.classes if task.task != "numeric" else None
    features = plan.feature_columns(frame)
    recipes = {"a": plan.recipe_a, "b": plan.recipe_b, "baseline": Recipe("baseline")}
    cols = {role: used_columns(r, kinds, features) for role, r in recipes.items() if role != "baseline"}
    for role in ("a", "b"):
        if not cols[role]:
            raise BadChoiceError(f"Recipe {role.upper()} has no columns left to learn from.",
                                 "Allow at least one column that is not free text or an ID.")
    needed = list(dict.fromkeys([*cols["a"], *cols["b"]]))
    cols["baseline"] = needed

    splits = make_splits(frame, plan.target, task, folds=plan.folds, repeats=plan.repeats,
                         seed=plan.seed, holdout=plan.holdout, group=plan.group, time_ordered=plan.time_ordered,
                         max_training_rows=plan.max_training_rows)
    if classes:
        y_all = class_labels(frame[plan.target]).to_numpy(dtype=object)
    else:
        y_all = pd.to_numeric(frame[plan.target], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    # the rows the trial uses (copies of whole rows left out), said so: the checks' share is of the file's rows
    metric, metric_reason = choose_metric(task, y_all[splits.kept], plan.metric, rows="the rows in the trial")
    pipelines = {role: build_pipeline(r, task, kinds, features, plan.seed, metric=metric)
                 for role, r in recipes.items()}
    labels = {role: r.label_for(task) for role, r in recipes.items()}
    if plan.recipe_a == plan.recipe_b:
        labels["a"], labels["b"] = f"{labels['a']} (A)", f"{labels['b']} (B)"
    elif labels["a"] == labels["b"]:  # same recipe, other options: name the options
        labels["a"], labels["b"] = plan.recipe_a.option_label(task), plan.recipe_b.option_label(task)
        if labels["a"] == labels["b"]:
            labels["a"], labels["b"] = f"{labels['a']} (A)", f"{labels['b']} (B)"
        for role, other in (("a", "b"), ("b", "a")):  # "A: with 'sex' / B: without 'sex'"
            extra = [c for c in recipes[other].without if c not in recipes[role].without]
            if extra and not recipes[role].without:
                labels[role] += (", with " if " — " in labels[role] else " — with ") + ", ".join(f"'{c}'" for c in extra)

    # Small data: one thread per fit (see the ``threads_min_rows`` setting).
    limit = 1 if len(splits.pool) < settings.get("threads_min_rows") else None
    with threadpool_limits(limits=limit):
        return _run(frame, kinds, plan, task, classes, features, recipes, cols, needed, splits, y_all, metric,
                    metric_reason, pipelines, labels, report, check_cancel, started)


def _run(frame, kinds, plan, task, classes, features, recipes, cols, needed, splits, y_all, metric, metric_reason,
         pipelines, labels, report, check_cancel, started) -> "TrialResult":
    info = METRICS[metric]
    X = frame[needed]

    # --- 3 and 4: every fit, each reported --------------------------------------------------
    n_splits = splits.n_splits
    money = bool(plan.value) and task.task == "binary"
    total_units = 3 * n_splits + 3 + 2 + (2 * n_splits if money else 0)
    done = [0]
    outputs: dict[tuple[str, int | None], _JobOut] = {}

    def tick(message: str) -> None:
        done[0] += 1
        report(min(done[0] / total_units, 0.99), message)

    def job_message(role: str, split: int | None) -> str:
        if split is None:
            every = "the sampled" if splits.training_sample else "all"
            return f"Trained the final {labels[role]} model on {every} {len(splits.pool):,} training rows"
        return f"Re-split {split + 1} of {n_splits}: trained and tested {labels[role]}"

    fair_groups = fairness_groups(frame, plan) if any(reweighs(recipes[r]) for r in ("a", "b")) else None

    def weights_for(role: str, rows: np.ndarray) -> np.ndarray | None:
        if fair_groups is None or role == "baseline" or not reweighs(recipes[role]):
            return None
        return reweigh_weights(fair_groups[rows], y_all[rows])  # from the training rows only

    def job_args(role: str, split: int | None):
        if split is None:
            return (pipelines[role], X.iloc[splits.pool], y_all[splits.pool], None, classes, True,
                    weights_for(role, splits.pool))
        tr, te = splits.pairs[split]
        return (pipelines[role], X.iloc[tr], y_all[tr], X.iloc[te], classes, False, weights_for(role, tr))

    pool_roles = [role for role in ("a", "b") if _in_pool(recipes[role], len(splits.pool))]
    # longest first (final fits, then boosting's folds), so the two workers end together
    longest = sorted(pool_roles, key=lambda r: recipes[r].name != "boosting")
    pool_jobs = [(role, None) for role in longest]
    main_roles = [role for role in ("baseline", "a", "b") if role not in pool_roles]
    main_jobs = [(role, s) for s in range(n_splits) for role in main_roles] + [(role, None) for role in main_roles]
    from .workers import files_made_by_workers

    files_there = bool(pool_jobs) and files_made_by_workers()
    if files_there:
        # The final models' files are made by the workers, where skops is loaded; the
        # always-guess baseline's final model (a fit of no time) goes with them, so this
        # program need not load skops at all (0.6 s of one core, after the workers are done).
        main_jobs.remove(("baseline", None))
        pool_jobs.append(("baseline", None))
    pool_jobs += [(role, s) for role in longest for s in range(n_splits)]

    X_hold = X.iloc[splits.holdout]
    y_hold = y_all[splits.holdout]
    files: dict[str, tuple[bytes, str]] = {}
    importances: dict[str, list[dict]] = {}

    def on_final(role: str, busy: bool) -> None:
        """A final model's file and importance, made as soon as it is trained: while the worker
        processes still train the folds (``busy``), this process would otherwise only wait.
        Neither uses the fold results, so doing them now changes nothing but when. While busy,
        one thread: the two workers already keep both cores busy (two threads would wait for
        each other there)."""
        out = outputs[(role, None)]
        model = out.model
        with threadpool_limits(limits=1 if busy else None):
            with phase("model files"):  # made by the worker that trained it, else here
                files[role] = out.file if out.file is not None else dump_model(model)
            if role != "baseline":
                with phase("importance"):
                    importances[role] = permutation_importance(model, X_hold, y_hold, cols[role], metric, classes,
                                                               task.positive, seed=plan.seed)

    report(0.0, f"Split {len(splits.kept):,} rows: {splits.description}")
    try:
        _fit_all(pool_jobs, main_jobs, job_args, job_message, outputs, tick, check_cancel, on_final, files_there)
    except FairTrialError:
        raise
    except Exception as exc:  # a recipe that cannot learn from these rows: say so, no traceback
        raise BadChoiceError(
            f"A recipe could not be trained on this data ({type(exc).__name__}: {str(exc).splitlines()[0][:200]}).",
            "Try other columns or another recipe.") from exc
    check_cancel()

    # fold scores, out-of-fold predictions of the last repeat
    fold_scores: dict[str, np.ndarray] = {}
    for role in ROLES:
        fold_scores[role] = np.array([
            score(metric, y_all[splits.pairs[s][1]], outputs[(role, s)].pred, outputs[(role, s)].proba,
                  classes or (), task.positive) for s in range(n_splits)])
    last = splits.last_repeat()
    oof_rows = np.concatenate([splits.pairs[s][1] for s in last])
    order = np.argsort(oof_rows, kind="mergesort")
    oof_rows = oof_rows[order]
    oof: dict[str, tuple[np.ndarray, np.ndarray | None]] = {}
    for role in ROLES:
        pred = np.concatenate([outputs[(role, s)].pred for s in last])[order]
        proba = np.vstack([outputs[(role, s)].proba for s in last])[order] if classes else None
        oof[role] = (pred, proba)

    # --- holdout: the final models ----------------------------------------------------------
    hold: dict[str, tuple[np.ndarray, np.ndarray | None]] = {}
    cost: dict[str, dict] = {}
    for role in ROLES:
        model = outputs[(role, None)].model
        with phase("holdout"):
            # The prediction speed is timed on the holdout predictions the check needs anyway
            # (the same model, rows and call predict_ms_per_1000 would repeat); fewer than
            # 1,000 rows are still timed on a sample repeated to 1,000 rows.
            clock = time.perf_counter()
            hold[role] = predict_both(model, X_hold, classes)
            seconds = time.perf_counter() - clock
            speed = (seconds * 1000.0 * 1000.0 / len(X_hold) if len(X_hold) >= 1000
                     else predict_ms_per_1000(model, X_hold, classes))
        cost[role] = {"fit_seconds": outputs[(role, None)].seconds, "predict_ms_per_1000": speed,
                      "model_bytes": len(files[role][0])}
    check_cancel()
    tick("Checked the final models on the rows kept aside")

    # --- comparisons --------------------------------------------------------------------------
    lap = Laps()
    lap("stats")
    higher = info.higher_is_better
    ratio = splits.size_ratio()
    n_train = float(np.mean([len(tr) for tr, _ in splits.pairs]))
    n_test = n_train * ratio
    finite = np.isfinite(fold_scores["a"]) & np.isfinite(fold_scores["b"]) & np.isfinite(fold_scores["baseline"])
    notes: list[str] = []
    if finite.sum() < 2:
        raise BadChoiceError(f"{info.label} could not be computed on most re-splits (a test part had only one "
                             "class).", "Use balanced accuracy, fewer folds, or rows that are not in time order.")
    if not finite.all():
        notes.append(f"{int((~finite).sum())} re-splits could not be scored with {info.label} (a test part had "
                     "only one class) and were left out of the comparison.")
    diffs = fold_scores["b"][finite] - fold_scores["a"][finite]
    test = corrected_t_test(diffs, n_train, n_test)
    boot_low, boot_high = bootstrap_mean_ci(diffs, rounds=settings.get("bootstrap_rounds"), seed=plan.seed)
    b_wins, a_wins, ties = _wins(diffs, higher)
    difference = {**test.to_dict(), "b_wins": b_wins, "a_wins": a_wins, "ties": ties,
                  "bootstrap_low": _num(boot_low), "bootstrap_high": _num(boot_high),
                  "higher_is_better": higher, "test_to_train": ratio,
                  "method": "Nadeau–Bengio corrected resampled t-test on the per-split differences (B − A)"}
    vs_base: dict[str, PairedTest] = {}
    beats: dict[str, bool] = {}
    for role in ("a", "b"):
        d = fold_scores[role][finite] - fold_scores["baseline"][finite]
        vs_base[role] = corrected_t_test(d, n_train, n_test)
        beats[role] = bool(vs_base[role].ci_low > 0) if higher else bool(vs_base[role].ci_high < 0)
    cv_winner = explain.decide_winner(difference)
    practical = settings.get("practical_difference")
    if not info.points:  # errors in the target's units: 1% of the always-guess error
        practical *= abs(float(np.nanmean(fold_scores["baseline"])))
    holdout_check = _holdout_check(metric, y_hold, hold, classes, task.positive, cv_winner, plan.seed, practical)
    tick("Compared the recipes")
    value = None
    lap("money view")
    if money:
        value = _value(plan, task, classes, X, y_all, splits, pipelines, outputs, oof, oof_rows, hold, y_hold,
                       labels, weights_for, n_train, n_test, frame, tick, check_cancel)
    elif plan.value and task.task == "numeric":
        value = typical_error_value(plan.value, labels, fold_scores, metric, y_hold, hold)

    # --- what else matters: secondary, calibration, importance, robustness ------------------
    lap("secondary and calibration")
    secondary = {role: secondary_metrics(task.task, y_hold, *hold[role], classes or (), task.positive)
                 for role in ROLES}
    secondary["rows"] = int(len(y_hold))
    secondary["on"] = "the rows kept aside for the final check"
    if classes:
        cal = {"available": True,
               "source": "out-of-fold predictions of the last repeat (each row predicted by a model that had not "
                         "trained on it)"}
        for role in ("a", "b"):
            cal[role] = calibration(y_all[oof_rows], oof[role][1], classes, task.positive)
        cal["available"] = bool(cal["a"]["available"] or cal["b"]["available"])
    else:
        cal = {"available": False,
               "reason": "Calibration is about predicted chances; a number target has none."}
    robust: dict[str, Any] = {}
    pool_X = X.iloc[splits.pool]
    spreads: dict[str, float] = {}
    for c in needed:
        if kinds.get(c) == "number":
            values = pd.to_numeric(pool_X[c], errors="coerce")
            spreads[c] = float(values.std(ddof=0)) if values.notna().any() else 0.0
    for role in ("a", "b"):
        model = outputs[(role, None)].model
        top = importances[role][0]["column"] if importances[role] else (cols[role][0] if cols[role] else None)
        lap("robustness")
        robust[role] = robustness(model, X_hold, y_hold, metric=metric, classes=classes, positive=task.positive,
                                  number_columns=[c for c in cols[role] if kinds.get(c) == "number"],
                                  spreads=spreads, blank_column=top, seed=plan.seed,
                                  error_scale=None if info.points else practical / settings.get("practical_difference"))
    lap("verdict")
    importance = _importance_list(importances)
    tick("Checked calibration, robustness and what mattered most")

    # --- arms -----------------------------------------------------------------------------------
    technical: list[str] = []
    arms: dict[str, ArmResult] = {}
    for role in ROLES:
        recipe = recipes[role]
        arm_notes = list(recipe_notes(recipe, task)) if role != "baseline" else []
        messages = sorted({m for (r, _), out in outputs.items() if r == role for m in out.warnings})
        if "convergence" in messages:
            arm_notes.append(f"{labels[role]} did not fully settle while learning (it reached its step limit); "
                             "its scores may be a little lower than it could reach.")
        technical += [f"{labels[role]}: {m}" for m in messages if m != "convergence"]
        scores_role = fold_scores[role]
        arms[role] = ArmResult(
            role=role, recipe=recipe, label=labels[role], columns=tuple(cols[role]),
            fold_scores=tuple(float(s) for s in scores_role), mean=float(np.nanmean(scores_role)),
            holdout=score(metric, y_hold, *hold[role], classes or (), task.positive),
            beats_baseline=beats.get(role), vs_baseline=vs_base.get(role),
            fit_seconds=cost[role]["fit_seconds"], predict_ms_per_1000=cost[role]["predict_ms_per_1000"],
            model_bytes=cost[role]["model_bytes"], model=outputs[(role, None)].model,
            model_file=files[role][0], model_sha256=files[role][1],
            oof_pred=oof[role][0], oof_proba=oof[role][1], holdout_pred=hold[role][0],
            holdout_proba=hold[role][1], notes=tuple(arm_notes))
    if plan.group:
        notes.append(f"The group column '{plan.group}' was used to keep groups together, not as a clue.")

    cv_evidence = {role: arms[role].mean for role in ("a", "b")}
    if not info.higher_is_better:  # errors in the target's units: the R² of the out-of-fold predictions
        cv_evidence = {role: score("r2", y_all[oof_rows], oof[role][0]) for role in ("a", "b")}
    too_good = _too_good(metric, task, cv_evidence, secondary, y_hold)
    for item in too_good:
        item["text"] = explain.too_good_text(item, labels[item["role"]])
    if cal.get("available"):
        for role in ("a", "b"):
            cal[role]["text"] = explain.calibration_text(cal[role], labels[role], weighted=explain.raises_rare_chances(
                recipes[role].to_dict(), task.task))
    context = {
        "target": plan.target,
        "baseline_guess": _baseline_guess(task, y_all[splits.pool]),
        "too_good": too_good,
        "technical": technical,
        "value": value,
    }
    result = TrialResult(
        plan=plan, task=task, primary_metric=metric, metric_reason=metric_reason, splits=splits,
        a=arms["a"], b=arms["b"], baseline=arms["baseline"], difference=difference,
        holdout_check=holdout_check, calibration=cal, robustness=robust, importance=importance,
        secondary=secondary, verdict=explain.Verdict("none", "", ()), duration_seconds=0.0,
        versions=_versions(), notes=tuple(notes), row_labels=frame.index, y=y_all, oof_rows=oof_rows,
        context=context)
    verdict = say_defaults(explain.build_verdict(_result_dict(result)), plan.defaults)
    duration = time.perf_counter() - started
    result = TrialResult(**{**{f: getattr(result, f) for f in TrialResult.__dataclass_fields__},
                            "verdict": verdict, "duration_seconds": duration})
    lap.stop()
    report(1.0, "Done")
    return result


def _value(plan, task, classes, X, y_all, splits, pipelines, outputs, oof, oof_rows, hold, y_hold, labels,
           weights_for, n_train, n_test, frame, tick, check_cancel) -> dict:
    """The money view (``value.py``): per re-split, the cut-off with the most value on inner
    out-of-fold chances of that split's training rows only; then the value on its test rows."""
    inputs = ValueInputs.from_dict(plan.value)
    col = list(classes).index(task.positive)
    positive = y_all == task.positive
    groups = frame[plan.group].to_numpy(dtype=object) if plan.group else None
    split_cutoffs: dict[str, list[float]] = {"a": [], "b": []}
    for s, (tr, _) in enumerate(splits.pairs):
        inner = inner_folds(y_all[tr], plan.seed + s, groups=None if groups is None else groups[tr],
                            time_ordered=plan.time_ordered)
        for role in ("a", "b"):
            check_cancel()
            rows, chances = [], []
            for itr, ite in inner:
                out = _fit_job(pipelines[role], X.iloc[tr[itr]], y_all[tr[itr]], X.iloc[tr[ite]], classes, False,
                               weights_for(role, tr[itr]))
                rows.append(tr[ite])
                chances.append(out.proba[:, col])
            rows_all = np.concatenate(rows)
            split_cutoffs[role].append(best_cutoff(positive[rows_all], np.concatenate(chances), inputs))
            tick(f"Re-split {s + 1} of {len(splits.pairs)}: chose the money cut-off of {labels[role]}")
    return value_section(
        inputs, positive_label=str(task.positive), labels={r: labels[r] for r in ("a", "b")},
        split_truth=[positive[te] for _, te in splits.pairs],
        split_chances={r: [outputs[(r, s)].proba[:, col] for s in range(len(splits.pairs))] for r in ("a", "b")},
        split_cutoffs=split_cutoffs, oof_truth=positive[oof_rows],
        oof_chances={r: oof[r][1][:, col] for r in ("a", "b")}, hold_truth=y_hold == task.positive,
        hold_chances={r: hold[r][1][:, col] for r in ("a", "b")}, n_train=n_train, n_test=n_test)


def _fit_all(pool_jobs, main_jobs, job_args, job_message, outputs, tick, check_cancel, on_final,
             files_there: bool = False) -> None:
    """Run every fit: the pooled recipes two at a time in worker processes, the rest here, one by one
    (or every fit of A and B on a Dask cluster when one is set: workers.py). ``on_final(role)``
    is called as each final model arrives (the pool sends them first: they take longest), with
    ``busy`` true while the workers still train. With ``files_there`` the workers make the final
    models' files (``workers.files_made_by_workers``)."""
    from .workers import cluster_address, fit_backend, local_parallel, on_worker, route

    address = cluster_address()
    pool_jobs, main_jobs = route(pool_jobs, main_jobs, address)
    if pool_jobs:
        with warnings.catch_warnings(), fit_backend(address), phase("fold and final fits in worker processes"):
            # joblib notes when it stops idle workers; not a user matter
            warnings.simplefilter("ignore", UserWarning)
            runner = local_parallel(return_as="generator")
            fit = on_worker(_fit_job, address)
            results = runner(delayed(fit)(*job_args(role, s), model_file=files_there and s is None)
                             for role, s in pool_jobs)
            try:
                for (role, s), out in zip(pool_jobs, results):
                    outputs[(role, s)] = out
                    tick(job_message(role, s))
                    check_cancel()
                    if s is None:
                        on_final(role, busy=True)
            finally:
                closer = getattr(results, "close", None)
                if closer is not None:
                    closer()
    for role, s in main_jobs:
        check_cancel()
        with phase("fold fits" if s is not None else "final fits"):
            outputs[(role, s)] = _fit_job(*job_args(role, s))
        tick(job_message(role, s))
        if s is None:
            on_final(role, busy=False)


def _baseline_guess(task: TaskInfo, y_pool: np.ndarray) -> dict:
    if task.task == "numeric":
        return {"kind": "typical", "value": float(np.median(y_pool))}
    counts = pd.Series(y_pool).value_counts()
    top = counts[counts == counts.max()].index
    return {"kind": "most_common", "value": str(sorted(top)[0]), "share": float(counts.max() / len(y_pool))}


def _too_good(metric: str, task: TaskInfo, cv: dict[str, float | None], holdout: dict[str, dict],
              y_hold: np.ndarray) -> list[dict]:
    """Scores too good to be true for most real data, a sign of leakage (one item per recipe).

    The evidence is the cross-validated score ``cv[role]``, whose test parts together cover
    every training row (the mean of the primary metric; for numbers the R² of the
    out-of-fold predictions): at or above ``too_good_score`` it warns. The holdout is a
    smaller sample, so a holdout score (``holdout[role]``: accuracy, balanced accuracy, AUC)
    warns only when even the low end of its Wilson interval (``too_good_confidence``)
    reaches the line: 36 of 36 right has a low end of 0.90 (an honest good model often does
    that), about 380 of 380 right has 0.99. Accuracy counts every holdout row; balanced
    accuracy and AUC count the rows of the smallest class, which limits how sure they can be.
    """
    limit = float(settings.get("too_good_score"))
    confidence = float(settings.get("too_good_confidence"))
    smallest = int(pd.Series(y_hold).value_counts().min()) if task.task != "numeric" and len(y_hold) else 0
    rows = {"accuracy": len(y_hold), "balanced_accuracy": smallest, "roc_auc": smallest}
    cv_name = metric if METRICS[metric].higher_is_better else "r2"
    out = []
    for role in ("a", "b"):
        value = cv.get(role)
        if value is not None and np.isfinite(value) and value >= limit:
            out.append({"role": role, "metric": cv_name, "value": float(value), "source": "cross-validation"})
            continue
        if task.task == "numeric":
            continue
        for name, n in rows.items():
            value = (holdout.get(role) or {}).get(name)
            if value is None or not np.isfinite(value) or n <= 0:
                continue
            low, _ = wilson_interval(int(round(min(max(value, 0.0), 1.0) * n)), n, confidence)
            if low >= limit:
                out.append({"role": role, "metric": name, "value": float(value), "source": "holdout",
                            "rows": int(n), "low": float(low)})
                break
    return out


def _importance_list(importances: dict[str, list[dict]]) -> list[dict]:
    """One row per recipe and column (top ``importance_top`` per recipe), most important first."""
    top_n = settings.get("importance_top")
    out = []
    for role in ("a", "b"):
        for item in importances.get(role, [])[:top_n]:
            out.append({"arm": role, "column": item["column"], "importance": item["drop"],
                        "spread": item["spread"], "rows": item["rows"]})
    return out


def _holdout_check(metric: str, y: np.ndarray, hold: dict, classes, positive, cv_winner: str, seed: int,
                   practical: float) -> dict:
    """Final check on the untouched rows: McNemar for accuracy, paired bootstrap otherwise.

    The holdout *disagrees* with the re-splits when it favours the other recipe by more
    than the practical difference (or significantly), or when the re-splits found no
    winner but the holdout shows a significant difference.
    """
    info = METRICS[metric]
    score_a = score(metric, y, *hold["a"], classes or (), positive)
    score_b = score(metric, y, *hold["b"], classes or (), positive)
    out: dict[str, Any] = {"metric": metric, "rows": int(len(y)), "a": score_a, "b": score_b,
                           "difference": score_b - score_a}
    if metric == "accuracy":
        test = mcnemar(hold["a"][0] == y, hold["b"][0] == y)
        out.update(method=f"McNemar ({'exact' if test.method == 'exact' else 'chi-square'})",
                   p_value=test.p_value, a_only_right=test.b, b_only_right=test.c, ci_low=None, ci_high=None)
    else:
        boot = paired_bootstrap(metric, y, hold["a"][0], hold["b"][0], hold["a"][1], hold["b"][1],
                                classes=classes or (), positive=positive,
                                rounds=settings.get("bootstrap_rounds"), seed=seed)
        out.update(method=f"paired bootstrap ({boot.rounds:,} resamples)", p_value=boot.p_value,
                   ci_low=boot.ci_low, ci_high=boot.ci_high)
    diff = out["difference"]
    better = "none"
    if np.isfinite(diff) and diff != 0:
        better = ("b" if diff > 0 else "a") if info.higher_is_better else ("b" if diff < 0 else "a")
    significant = out["p_value"] is not None and np.isfinite(out["p_value"]) and out["p_value"] < settings.get("alpha")
    out["better"] = better
    out["significant"] = bool(significant)
    if cv_winner == "none":
        out["agrees_with_cv"] = not significant
    else:
        against = better not in (cv_winner, "none") and (significant or abs(diff) > practical)
        out["agrees_with_cv"] = not against
    return out


def _result_dict(r: TrialResult) -> dict[str, Any]:
    info = METRICS[r.primary_metric]
    sp = r.splits.to_dict()
    out = {
        "task": r.task.task,
        "task_info": r.task.to_dict(),
        "target": r.plan.target,
        "primary_metric": r.primary_metric,
        "metric_label": info.label,
        "metric_meaning": info.meaning,
        "higher_is_better": info.higher_is_better,
        "metric_in_points": info.points,
        "metric_reason": r.metric_reason,
        "splits": sp,
        "a": r.a.to_dict(),
        "b": r.b.to_dict(),
        "baseline": r.baseline.to_dict(),
        "baseline_guess": r.context.get("baseline_guess"),
        "difference": r.difference,
        "holdout_check": r.holdout_check,
        "cost": {role: r.arm(role).cost() for role in ROLES},
        "calibration": r.calibration,
        "robustness": r.robustness,
        "importance": r.importance,
        "secondary": r.secondary,
        "too_good": r.context.get("too_good", []),
        **({"value": r.context["value"]} if r.context.get("value") else {}),
        "notes": list(r.notes),
        "technical_notes": r.context.get("technical", []),
        "plan": r.plan.to_dict(),
        "duration_seconds": r.duration_seconds,
        "versions": r.versions,
    }
    return _jsonable(out)
