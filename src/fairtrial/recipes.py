"""Recipes: named model presets a non-expert can choose, and the pipelines they build.

A ``Recipe`` is data (a frozen dataclass that round-trips through JSON), so a trial can be
stored and re-run. ``build_pipeline`` turns it into a scikit-learn ``Pipeline`` whose
preparation step (filling gaps, scaling, one-hot encoding, date parts) sits *inside* the
pipeline, so it is fitted on the training rows of each fold and never sees the test rows.

Recipe names are stable ids (used by the CLI, stored trials and the README):
``baseline``, ``simple``, ``tree``, ``forest``, ``boosting``, ``knn``, ``bayes``.
Options: speed (``quick`` | ``thorough``), imbalance handling (``none`` | ``balanced`` |
``threshold``, or ``None``: not chosen, so the trial follows the checks, see ``defaults.py``)
and the feature set (``None`` for all allowed columns, or a list of names); ``without``
names columns this recipe leaves out although the trial allows them, so a trial can put
"A: with column X" against "B: the same recipe without it" on the same splits.
``Recipe.parse("forest:thorough:balanced")`` reads the short text form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import BayesianRidge, LogisticRegression, LogisticRegressionCV, Ridge, RidgeCV
from sklearn.model_selection import StratifiedKFold, TunedThresholdClassifierCV
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from . import settings
from .errors import BadChoiceError
from .recipe_spec import (FAIRNESS_OPTIONS, IMBALANCE_OPTIONS, RECIPE_NAMES, RECIPES, SPEEDS,  # noqa: F401  (re-exported)
                          WEIGHTED_RECIPES, Recipe, RecipeInfo, _task_name)
from .task import TaskInfo

__all__ = [
    "IMBALANCE_OPTIONS",
    "RECIPES",
    "RECIPE_NAMES",
    "SPEEDS",
    "Categories",
    "DateParts",
    "Recipe",
    "RecipeInfo",
    "ToNumbers",
    "ToText",
    "build_pipeline",
    "prepared_columns",
    "recipe_notes",
    "used_columns",
]

# Kinds used only when a recipe names the column explicitly in its feature set.
_OPT_IN_KINDS = ("text", "id")
_MISSING = "(missing)"
# Gradient boosting reads at most 255 codes per category column (its ``max_bins``): 254 kept values + (other).
_MAX_CODES = 255


# --- preparation steps (fitted inside each fold) ----------------------------------------------
class ToNumbers(TransformerMixin, BaseEstimator):
    """Read columns as numbers; stray text (``"n/a"``, ``"12 kg"``) becomes empty, not an error."""

    def fit(self, X, y=None):
        self.n_features_in_ = np.asarray(X).shape[1] if not hasattr(X, "shape") else X.shape[1]
        self.feature_names_in_ = np.asarray(list(X.columns), dtype=object) if hasattr(X, "columns") else None
        return self

    def transform(self, X):
        frame = X if isinstance(X, pd.DataFrame) else pd.DataFrame(np.asarray(X, dtype=object))
        out = np.empty(frame.shape, dtype=np.float64)
        for j in range(frame.shape[1]):
            col = frame.iloc[:, j]
            if pd.api.types.is_bool_dtype(col):
                col = col.astype("float64")
            elif not pd.api.types.is_numeric_dtype(col):
                col = pd.to_numeric(col.astype("string").str.strip(), errors="coerce")
            out[:, j] = col.to_numpy(dtype=np.float64, na_value=np.nan)
        return out

    def get_feature_names_out(self, input_features=None):
        return np.asarray(input_features if input_features is not None else self.feature_names_in_, dtype=object)


def _as_text(col: pd.Series) -> pd.Series:
    """One column as stripped text labels, blanks as ``(missing)`` (vectorised)."""
    text = col.astype("string").str.strip()
    return text.fillna(_MISSING).astype(object)


def _text_codes(col: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """``_as_text(col)`` as ``(codes, labels)``: row i's label is ``labels[codes[i]]``.

    For text and yes/no columns the text of each DISTINCT value is made once (the text of a
    value does not depend on its row), instead of once per row: the same labels, about 4x less
    work on 64,000 rows (issue 13). Other columns (numbers, mixed objects, where two values can
    be equal as keys but differ as text, like 1 and True) go row by row."""
    fast = (pd.api.types.is_string_dtype(col.dtype) and not pd.api.types.is_object_dtype(col.dtype)) \
        or pd.api.types.is_bool_dtype(col.dtype)
    if not fast and pd.api.types.is_object_dtype(col.dtype):
        fast = pd.api.types.infer_dtype(col, skipna=True) in ("string", "empty")
    if not fast:
        codes, uniques = pd.factorize(_as_text(col).to_numpy(dtype=object))
        return codes, pd.Index(uniques, dtype=object)
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    labels = _as_text(pd.Series(np.asarray(uniques, dtype=object), dtype=object)).tolist() + [_MISSING]
    codes = np.where(codes < 0, len(labels) - 1, codes)  # blanks: the last label
    return codes, pd.Index(labels, dtype=object)


class ToText(TransformerMixin, BaseEstimator):
    """Read one free-text column as a 1-D array of strings (blanks become empty text)."""

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        col = X.iloc[:, 0] if isinstance(X, pd.DataFrame) else pd.Series(np.asarray(X, dtype=object).ravel())
        return col.astype("string").fillna("").to_numpy(dtype=object)

    def get_feature_names_out(self, input_features=None):
        return np.asarray(input_features if input_features is not None else [], dtype=object)


class Categories(TransformerMixin, BaseEstimator):
    """One-hot encode label columns; rare values are pooled into one ``(other)`` column.

    With ``codes=True`` each column becomes ONE column of category codes instead (0, 1, ...
    for the kept values, the last code for ``(other)``), for a model that reads categories
    itself (gradient boosting): the same values kept and pooled, the same information, one
    column instead of one per value (at most 254 kept values then, boosting's limit).

    Values rarer than ``min_share`` of the training rows, values beyond the
    ``max_levels - 1`` most common, and values never seen in training (at prediction
    time) all land in ``(other)``. Numbers, booleans and blanks are read as text first,
    so a column mixing ``1`` and ``"yes"`` does not fail. Implemented with pandas
    counting because scikit-learn's ``OneHotEncoder(min_frequency=...)`` counts object
    values in pure Python (5x slower on 100,000 rows).
    """

    def __init__(self, min_share: float = 0.01, max_levels: int = 30, codes: bool = False, sparse: bool = False):
        self.min_share = min_share
        self.max_levels = max_levels
        self.codes = codes
        self.sparse = sparse

    def fit(self, X, y=None):
        frame = X if isinstance(X, pd.DataFrame) else pd.DataFrame(np.asarray(X, dtype=object))
        self.feature_names_in_ = np.asarray([str(c) for c in frame.columns], dtype=object)
        self.n_features_in_ = frame.shape[1]
        least = max(1.0, self.min_share * len(frame))
        most = min(self.max_levels, _MAX_CODES) if self.codes else self.max_levels
        levels = []
        for j in range(frame.shape[1]):
            codes, labels = _text_codes(frame.iloc[:, j])
            counts = pd.Series(np.bincount(codes, minlength=len(labels)), index=labels).groupby(level=0).sum()
            counts = counts[counts >= least]
            order = sorted(zip(counts.index, counts.to_numpy()), key=lambda kv: (-kv[1], kv[0]))
            levels.append([str(v) for v, _ in order[: max(1, most - 1)]])
        self.levels_ = levels
        return self

    def transform(self, X):
        frame = X if isinstance(X, pd.DataFrame) else pd.DataFrame(np.asarray(X, dtype=object))
        n = len(frame)
        where = np.empty((n, len(self.levels_)), dtype=np.int64)  # each row's kept value (or other)
        for j, kept in enumerate(self.levels_):
            codes, labels = _text_codes(frame.iloc[:, j])
            level = pd.Index(kept, dtype=object).get_indexer(labels).astype(np.int64)
            where[:, j] = np.where(level < 0, len(kept), level)[codes]
        if getattr(self, "codes", False):
            return where.astype(np.float64)
        width = sum(len(lv) + 1 for lv in self.levels_)
        offset = 0
        for j, kept in enumerate(self.levels_):
            where[:, j] += offset
            offset += len(kept) + 1
        if getattr(self, "sparse", False):
            # Exactly one 1 per column and row, in increasing column order: the CSR arrays directly.
            return sp.csr_matrix((np.ones(where.size), where.ravel(), np.arange(n + 1) * where.shape[1]),
                                 shape=(n, width))
        out = np.zeros((n, width), dtype=np.float64)
        out[np.arange(n)[:, None], where] = 1.0
        return out

    def get_feature_names_out(self, input_features=None):
        names = input_features if input_features is not None else self.feature_names_in_
        if getattr(self, "codes", False):
            return np.asarray([str(c) for c in names], dtype=object)
        return np.asarray([f"{c}={v}" for c, kept in zip(names, self.levels_) for v in [*kept, "(other)"]],
                          dtype=object)


class DateParts(TransformerMixin, BaseEstimator):
    """Turn each date column into three numbers: year, month and day of the week."""

    def fit(self, X, y=None):
        self.feature_names_in_ = np.asarray(list(X.columns), dtype=object) if hasattr(X, "columns") else None
        return self

    def transform(self, X):
        frame = X if isinstance(X, pd.DataFrame) else pd.DataFrame(np.asarray(X, dtype=object))
        parts = []
        for j in range(frame.shape[1]):
            col = frame.iloc[:, j]
            if not pd.api.types.is_datetime64_any_dtype(col):
                col = pd.to_datetime(col.astype("string"), errors="coerce", format="mixed")
            if getattr(col.dt, "tz", None) is not None:
                col = col.dt.tz_localize(None)
            for part in (col.dt.year, col.dt.month, col.dt.day_of_week):
                parts.append(part.to_numpy(dtype=np.float64, na_value=np.nan))
        return np.column_stack(parts) if parts else np.empty((len(frame), 0))

    def get_feature_names_out(self, input_features=None):
        names = input_features if input_features is not None else self.feature_names_in_
        return np.asarray([f"{c}_{p}" for c in names for p in ("year", "month", "weekday")], dtype=object)


def used_columns(recipe: Recipe, kinds: dict[str, str], columns: list[str]) -> list[str]:
    """The columns a recipe feeds its model.

    ``columns`` are the allowed feature columns of the trial. Without an explicit feature
    set, free text and ID columns are left out (they rarely generalise and often leak);
    naming them in ``recipe.features`` opts them in. ``recipe.without`` is always left out.
    """
    if recipe.features is not None:
        return [c for c in recipe.features if c not in recipe.without]
    return [c for c in columns if kinds.get(c, "category") not in _OPT_IN_KINDS and c not in recipe.without]


def _label_columns(kinds: dict[str, str], cols: list[str]) -> list[str]:
    by_kind: dict[str, list[str]] = {}
    for c in cols:
        by_kind.setdefault(kinds.get(c, "category"), []).append(c)
    return by_kind.get("category", []) + by_kind.get("boolean", []) + by_kind.get("id", [])


def build_preparation(kinds: dict[str, str], cols: list[str], *, label_codes: bool = False,
                      sparse: bool = False) -> ColumnTransformer:
    """The preparation step: the same for every recipe, so arms differ only in the model.

    Every recipe gets the same cleaning: numbers read, blanks filled (with a blank flag) and
    scaled, rare category values pooled, dates in parts, text as words. ``label_codes`` (for
    gradient boosting, which reads categories itself) puts the label columns FIRST, as one
    column of codes each (``Categories(codes=True)``) instead of one 0/1 column per value:
    the same kept and pooled values, so the same information, in fewer columns."""
    by_kind: dict[str, list[str]] = {}
    for c in cols:
        by_kind.setdefault(kinds.get(c, "category"), []).append(c)
    rare = settings.get("rare_category_share")
    max_levels = settings.get("max_category_levels")
    steps: list[tuple[str, Any, Any]] = []
    labels = _label_columns(kinds, cols)
    if labels and label_codes:
        steps.append(("labels", Categories(min_share=rare, max_levels=max_levels, codes=True), labels))
    if by_kind.get("number"):
        steps.append(("numbers", Pipeline([
            ("read", ToNumbers()),
            ("fill", SimpleImputer(strategy="median", add_indicator=True, keep_empty_features=True)),
            ("scale", StandardScaler()),
        ]), by_kind["number"]))
    if by_kind.get("date"):
        steps.append(("dates", Pipeline([
            ("parts", DateParts()),
            ("fill", SimpleImputer(strategy="median", keep_empty_features=True)),
            ("scale", StandardScaler()),
        ]), by_kind["date"]))
    if labels and not label_codes:
        steps.append(("labels", Categories(min_share=rare, max_levels=max_levels, sparse=sparse), labels))
    for c in by_kind.get("text", []):
        steps.append((f"text_{c}", Pipeline([
            ("read", ToText()),
            ("words", TfidfVectorizer(max_features=settings.get("max_text_words"))),
        ]), [c]))
    return ColumnTransformer(steps, remainder="drop", sparse_threshold=1.0 if sparse else 0.0,
                             verbose_feature_names_out=False)


def prepared_columns(prepare: Any) -> dict[str, np.ndarray] | None:
    """Which output columns of a fitted ``build_preparation`` step come from each input column.

    Every step of the preparation turns each input column into its own output columns, row by
    row (numbers: the scaled number and its blank flag; dates: three parts; labels: one 0/1
    column per kept value or one code column; text: its words). So shuffling an input column's
    rows shuffles exactly these output columns' rows, and nothing else changes. Returns None
    for any step whose layout is not known here (the caller then prepares the rows itself)."""
    if not isinstance(prepare, ColumnTransformer):
        return None
    out: dict[str, list[int]] = {}
    covered = 0
    for name, step, columns in prepare.transformers_:
        if name == "remainder" and step == "drop":
            continue
        where = prepare.output_indices_.get(name)
        if where is None or not isinstance(columns, (list, tuple)) or isinstance(step, str):
            return None
        parts = _step_columns(step, [str(c) for c in columns], where.stop - where.start)
        if parts is None:
            return None
        for col, positions in parts.items():
            out.setdefault(col, []).extend(where.start + p for p in positions)
        covered += where.stop - where.start
    if covered != sum(len(v) for v in out.values()):
        return None
    return {col: np.asarray(sorted(v), dtype=np.int64) for col, v in out.items()}


def _step_columns(step: Any, columns: list[str], width: int) -> dict[str, list[int]] | None:
    """``prepared_columns`` for one step of the preparation (positions from 0 within the step)."""
    kinds = [type(s) for _, s in step.steps] if isinstance(step, Pipeline) else [type(step)]
    parts: dict[str, list[int]] | None = None
    if kinds == [ToNumbers, SimpleImputer, StandardScaler]:
        imputer = step.steps[1][1]
        if not getattr(imputer, "keep_empty_features", False):
            return None
        parts = {c: [i] for i, c in enumerate(columns)}
        flagged = [] if imputer.indicator_ is None else list(imputer.indicator_.features_)
        for j, i in enumerate(flagged):
            parts[columns[int(i)]].append(len(columns) + j)
    elif kinds == [DateParts, SimpleImputer, StandardScaler]:
        if not getattr(step.steps[1][1], "keep_empty_features", False) or step.steps[1][1].indicator_ is not None:
            return None
        parts = {c: [3 * i, 3 * i + 1, 3 * i + 2] for i, c in enumerate(columns)}
    elif kinds == [Categories]:
        widths = [1 if getattr(step, "codes", False) else len(kept) + 1 for kept in step.levels_]
        starts = np.concatenate([[0], np.cumsum(widths)]).astype(int)
        parts = {c: list(range(starts[i], starts[i + 1])) for i, c in enumerate(columns)}
    elif kinds == [ToText, TfidfVectorizer] and len(columns) == 1:
        parts = {columns[0]: list(range(width))}
    if parts is None or sum(len(v) for v in parts.values()) != width:
        return None
    return parts


def _model(recipe: Recipe, task: str, seed: int, n_classes: int | None):
    classes = task != "numeric"
    thorough = recipe.speed == "thorough"
    balanced = classes and (recipe.imbalance == "balanced"
                            or (task == "multiclass" and recipe.imbalance == "threshold"))
    weight = "balanced" if balanced else None
    name = recipe.name
    if name == "baseline":
        return DummyClassifier(strategy="most_frequent") if classes else DummyRegressor(strategy="median")
    if name == "simple":
        if classes:
            if thorough:
                return LogisticRegressionCV(Cs=6, cv=3, l1_ratios=(0.0,), scoring="neg_log_loss", max_iter=2000,
                                            class_weight=weight, random_state=seed, use_legacy_attributes=False)
            return LogisticRegression(C=1.0, max_iter=1000, class_weight=weight, random_state=seed)
        return RidgeCV(alphas=np.logspace(-3, 3, 13)) if thorough else Ridge(alpha=1.0)
    if name == "tree":
        depth, leaf = (10, 5) if thorough else (6, 10)
        if classes:
            return DecisionTreeClassifier(max_depth=depth, min_samples_leaf=leaf, class_weight=weight,
                                          random_state=seed)
        return DecisionTreeRegressor(max_depth=depth, min_samples_leaf=leaf, random_state=seed)
    if name == "forest":
        trees, leaf = (300, 2) if thorough else (100, 5)
        # Measured (DESIGN.md): a forest gains from both cores at the estimator level.
        if classes:
            return RandomForestClassifier(n_estimators=trees, min_samples_leaf=leaf, class_weight=weight,
                                          n_jobs=2, random_state=seed)
        return RandomForestRegressor(n_estimators=trees, min_samples_leaf=leaf, max_features=1.0 / 3,
                                     n_jobs=2, random_state=seed)
    if name == "boosting":
        # On big tables its folds run two at a time, one thread each (trial._ONE_CORE_RECIPES).
        opts = dict(max_iter=400, learning_rate=0.05) if thorough else dict(max_iter=100, learning_rate=0.1)
        if classes:
            return HistGradientBoostingClassifier(**opts, class_weight=weight, random_state=seed)
        return HistGradientBoostingRegressor(**opts, random_state=seed)
    if name == "knn":
        k, weights = (31, "distance") if thorough else (15, "uniform")
        if classes:
            return KNeighborsClassifier(n_neighbors=k, weights=weights)
        return KNeighborsRegressor(n_neighbors=k, weights=weights)
    if name == "bayes":
        if classes:
            # Balanced weights for naive Bayes: every class starts with the same chance.
            priors = np.full(n_classes, 1.0 / n_classes) if balanced and n_classes else None
            return GaussianNB(priors=priors)
        return BayesianRidge()
    raise BadChoiceError(f"Unknown recipe '{name}'.")  # pragma: no cover - Recipe validates names


def _threshold_scoring(metric: str | None) -> str:
    return "accuracy" if metric == "accuracy" else "balanced_accuracy"


def build_pipeline(recipe: Recipe | str, task: TaskInfo | str, kinds: dict[str, str], columns: list[str],
                   seed: int = 42, *, metric: str | None = None) -> Pipeline:
    """The scikit-learn pipeline for one recipe: ``prepare`` (a ColumnTransformer) then ``model``.

    ``columns`` are the allowed feature columns; ``recipe.features`` narrows or (for text
    and ID columns) widens them. ``metric`` is the trial's primary metric, used to tune the
    decision threshold when the recipe asks for it. The threshold is tuned by an inner
    3-fold split of the training rows only, so the test rows stay untouched.
    """
    recipe = Recipe.parse(recipe) if isinstance(recipe, str) else recipe
    task_name = _task_name(task)
    cols = used_columns(recipe, kinds, columns)
    if not cols:
        raise BadChoiceError("No columns are left for the model to learn from.",
                             "Allow at least one column that is not free text or an ID.")
    n_classes = len(task.classes) if isinstance(task, TaskInfo) and task.classes else None
    model = _model(recipe, task_name, seed, n_classes)
    if recipe.name == "baseline":
        return Pipeline([("model", model)])
    # Gradient boosting splits category codes itself (its native category support, which can
    # put any set of values on each side of a split, more than one-vs-rest 0/1 columns allow)
    # and bins and scans one column per category instead of one per value: about 3x faster
    # on a table with a few dozen category values (issue 13).
    label_codes = recipe.name == "boosting"
    n_labels = len(_label_columns(kinds, cols)) if label_codes else 0
    if n_labels:
        model.set_params(categorical_features=list(range(n_labels)))
    if task_name == "binary" and recipe.imbalance == "threshold":
        inner = StratifiedKFold(n_splits=3, shuffle=True, random_state=seed)
        model = TunedThresholdClassifierCV(model, scoring=_threshold_scoring(metric), cv=inner,
                                           random_state=seed)
    sparse = recipe.name == "simple" and task_name != "numeric"
    return Pipeline([("prepare", build_preparation(kinds, cols, label_codes=label_codes, sparse=sparse)),
                     ("model", model)])


def reweighs(recipe: Recipe) -> bool:
    """Whether this recipe carries out the 'reweigh' fairness option."""
    return recipe.fairness == "reweigh" and recipe.name in WEIGHTED_RECIPES and recipe.imbalance != "threshold"


def reweigh_weights(groups: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Row weights P(group)·P(answer) / P(group, answer) (Kamiran & Calders 2012).

    After weighting, every group has the same share of each answer, so the model cannot
    learn that the answer depends on the group; the weights average to 1."""
    g_codes, g_uniques = pd.factorize(pd.Series(groups, dtype=object), use_na_sentinel=False)
    y_codes, y_uniques = pd.factorize(pd.Series(y, dtype=object), use_na_sentinel=False)
    n = len(g_codes)
    joint = np.bincount(g_codes * len(y_uniques) + y_codes, minlength=len(g_uniques) * len(y_uniques))
    joint = joint.reshape(len(g_uniques), len(y_uniques)) / n
    p_g = joint.sum(axis=1, keepdims=True)
    p_y = joint.sum(axis=0, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        table = np.where(joint > 0, p_g * p_y / joint, 0.0)
    return table[g_codes, y_codes].astype(np.float64)


def recipe_notes(recipe: Recipe, task: TaskInfo | str) -> list[str]:
    """Plain sentences about how an option was carried out (or why it could not be)."""
    task_name = _task_name(task)
    notes: list[str] = []
    label = recipe.label_for(task_name)
    if task_name == "numeric" and recipe.name == "bayes":
        notes.append("Naive Bayes only predicts groups, so for a number FairTrial used Bayesian linear regression.")
    if recipe.imbalance not in (None, "none"):
        if recipe.name == "baseline":
            notes.append("Always guessing has no imbalance setting; it was left as it is.")
        elif task_name == "numeric":
            notes.append(f"Imbalance handling only applies to groups, not numbers; {label} ran without it.")
        elif recipe.imbalance == "threshold" and task_name == "multiclass":
            notes.append(f"A tuned threshold only works with two classes; {label} used balanced weights instead.")
        elif recipe.imbalance == "balanced" and recipe.name == "knn":
            notes.append("Nearest neighbours cannot weigh classes, so it ran without imbalance handling.")
        elif recipe.imbalance == "balanced" and recipe.name == "bayes":
            notes.append("Naive Bayes took balanced weights as equal starting chances for every class.")
        elif recipe.imbalance == "threshold":
            notes.append(f"{label} moved its yes/no cut-off to the value that worked best inside the training "
                         "rows of each split (never on the test rows).")
        else:
            notes.append(f"{label} gave the rarer classes more weight while learning (balanced weights).")
    if recipe.fairness == "reweigh":
        if not reweighs(recipe):
            notes.append(f"{label} cannot learn from row weights (or tunes its own cut-off), so it ran without "
                         "reweighing the groups.")
        else:
            notes.append(f"{label} weighed its training rows so that each group's answers count as if they did "
                         "not depend on the group (reweighing), inside the training rows of each split only.")
    if recipe.name == "bayes" and recipe.speed == "thorough":
        notes.append("Naive Bayes has no thorough setting; quick and thorough are the same.")
    return notes
