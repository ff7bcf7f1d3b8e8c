"""Quick, honest models the checks use: one column at a time, and all columns together.

Every score is out-of-fold (stratified folds, fixed seed), so a column cannot look good by
memorising its own rows.

One column (``single_column_score``): a shallow decision tree (depth <= 4) on
- numbers and dates: the value, with empty cells set below the smallest value, plus an
  "is empty" indicator, so a column that is only filled in for one outcome is caught;
- words, categories and IDs: the value's position in sorted order (so an all-unique ID
  numbered in outcome order still shows), how often the value occurs, an "is empty"
  indicator, and the value's target rate, learned inside the training part only
  (cross-fitted target encoding, smoothed), so a postcode with 40 values is judged fairly.
The score is AUC for classes (macro one-vs-rest for more than two) and R² for numbers;
for more than two classes ``single_column_scores`` also gives each class's one-vs-rest AUC
from the same out-of-fold probabilities (a leak into one class hides in the average).

All columns (``model_score``): scikit-learn's HistGradientBoosting, small and fast.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from scipy.stats import rankdata
from sklearn import config_context
from sklearn.metrics import r2_score
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from threadpoolctl import threadpool_limits

# Model settings (not thresholds): small, fixed, and the same on every run.
_MIN_LEAF_ROWS = 20          # leaves of the one-column tree hold at least this many rows ...
_MIN_LEAF_SHARE = 1 / 50     # ... or 2% of the training part on small data
_TE_SMOOTHING = 10.0         # target encoding: a value seen m times counts m / (m + 10) of its own rate
_TE_INNER_FOLDS = 4          # target encoding is cross-fitted inside the training part
_MAX_BINS = 255             # numbers are binned like HistGradientBoosting does before the one-column tree
_HGB_ITERATIONS = 30
_HGB_LEARNING_RATE = 0.3
_HGB_LEAVES = 15
_HGB_MAX_CATEGORIES = 250    # HistGradientBoosting treats columns with at most this many values as categories


@dataclass(frozen=True)
class Goal:
    """What a quick model predicts, on a fixed set of rows with fixed folds."""

    kind: str                 # "binary" | "multiclass" | "numeric"
    y: np.ndarray             # class codes 0..k-1, or numbers
    n_classes: int
    encoding: np.ndarray      # (rows, q) floats the target encoder averages
    splits: tuple[tuple[np.ndarray, np.ndarray], ...]

    @property
    def metric(self) -> str:
        return "R²" if self.kind == "numeric" else "AUC"

    @property
    def chance(self) -> float:
        return 0.0 if self.kind == "numeric" else 0.5

    @property
    def n_rows(self) -> int:
        return int(len(self.y))


def make_goal(y: np.ndarray, kind: str, folds: int, seed: int) -> Goal:
    """A goal from class codes (binary/multiclass) or numbers (numeric)."""
    n = len(y)
    if kind == "numeric":
        values = np.asarray(y, dtype=float)
        std = float(values.std()) or 1.0
        encoding = ((values - values.mean()) / std).reshape(-1, 1)
        k = max(2, min(folds, n // 2))
        splitter = KFold(n_splits=k, shuffle=True, random_state=seed)
        splits = tuple(splitter.split(np.zeros(n)))
        return Goal(kind, values, 0, encoding, splits)
    codes = np.asarray(y, dtype=np.int64)
    n_classes = int(codes.max()) + 1 if n else 0
    counts = np.bincount(codes, minlength=n_classes)
    k = max(2, min(folds, int(counts[counts > 0].min())))
    splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    splits = tuple(splitter.split(np.zeros(n), codes))
    if n_classes <= 2:
        encoding = (codes == n_classes - 1).astype(float).reshape(-1, 1)
        kind = "binary"
    else:
        encoding = np.eye(n_classes)[codes]
        kind = "multiclass"
    return Goal(kind, codes, n_classes, encoding, splits)


def auc(positive: np.ndarray, score: np.ndarray) -> float:
    """ROC AUC by the rank-sum (Mann-Whitney) formula, ties counted half: equal to scikit-learn's
    ``roc_auc_score`` without its per-call validation (this runs hundreds of times per check)."""
    positive = np.asarray(positive, dtype=bool)
    n_pos = int(positive.sum())
    n_neg = positive.size - n_pos
    if n_pos == 0 or n_neg == 0:
        return 0.5
    ranks = rankdata(score)
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def score_predictions(goal: Goal, predictions: np.ndarray) -> float:
    """AUC (binary), macro one-vs-rest AUC (multiclass) or R² (numbers) of out-of-fold predictions."""
    if goal.kind == "numeric":
        return float(r2_score(goal.y, predictions))
    if goal.kind == "binary":
        return auc(goal.y == goal.n_classes - 1, predictions[:, -1])
    return float(np.nanmean(class_scores(goal, predictions)))


def class_scores(goal: Goal, predictions: np.ndarray) -> np.ndarray | None:
    """Multiclass only: the AUC of "class k against the rest" for every class (NaN for a class
    absent from the rows); None for two classes or numbers. From the same out-of-fold
    probabilities as the overall score, so it costs one ranking per class."""
    if goal.kind != "multiclass":
        return None
    return np.array([auc(goal.y == k, predictions[:, k]) if np.any(goal.y == k) else np.nan
                     for k in range(goal.n_classes)])


# --------------------------------------------------------------------------------------
# Turning one column into numbers
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ColumnCode:
    """One column ready for the one-column tree."""

    static: np.ndarray          # (rows, f) features that do not depend on the target
    codes: np.ndarray | None    # category codes (empty cells get their own code) for target encoding
    n_codes: int
    missing: np.ndarray         # bool: the cell is empty
    bins: np.ndarray | None = None  # numbers only: bin 0 = empty, 1.. = equal-count value ranges
    n_bins: int = 0


def date_numbers(values: pd.Series) -> np.ndarray | None:
    """Dates (or text that reads as dates) as days since 1970; None when they do not read as dates."""
    if pd.api.types.is_datetime64_any_dtype(values):
        dates = values
    elif pd.api.types.is_numeric_dtype(values):
        return None
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            dates = pd.to_datetime(values, errors="coerce", format="ISO8601")
            filled = int(values.notna().sum())
            if filled and dates.notna().sum() < 0.9 * filled:
                dates = pd.to_datetime(values, errors="coerce", format="mixed", dayfirst=True)
        if filled and dates.notna().sum() < 0.5 * filled:
            return None
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_localize(None)
    days = (dates - pd.Timestamp("1970-01-01")) / pd.Timedelta(days=1)
    return days.to_numpy(dtype=float, na_value=np.nan)


def numbers_of(values: pd.Series, kind: str) -> np.ndarray | None:
    """The column as floats (NaN for empty) if it holds numbers, booleans or dates, else None."""
    if kind == "date" or pd.api.types.is_datetime64_any_dtype(values):
        return date_numbers(values)
    if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
        return values.to_numpy(dtype=float, na_value=np.nan)
    return None


def category_codes(values: pd.Series) -> tuple[np.ndarray, int]:
    """Codes in sorted order of the values; empty cells get -1. Returns (codes, number of values)."""
    try:
        codes, uniques = pd.factorize(values, sort=True)
    except TypeError:  # mixed types that cannot be sorted together
        codes, uniques = pd.factorize(values.astype(str).where(values.notna()), sort=True)
    return codes.astype(np.int64), len(uniques)


def encode_column(values: pd.Series, kind: str) -> ColumnCode:
    numbers = numbers_of(values, kind)
    features: list[np.ndarray] = []
    if numbers is not None:
        missing = np.isnan(numbers)
        finite = numbers[~missing]
        below = (finite.min() - 1.0) if finite.size else 0.0
        features.append(np.where(missing, below, numbers))
    else:
        missing = values.isna().to_numpy()
    codes = None
    n_codes = 0
    if numbers is None or kind in ("category", "id"):
        raw, n_values = category_codes(values)
        if numbers is None:
            features.append(raw.astype(float))              # position in sorted order; empty = -1
        codes = np.where(raw < 0, n_values, raw)             # empty cells are a value of their own
        n_codes = n_values + 1
        features.append(np.bincount(codes, minlength=n_codes)[codes].astype(float))  # how common
    features.append(missing.astype(float))
    bins, n_bins = (None, 0)
    if codes is None and numbers is not None:
        bins, n_bins = _value_bins(numbers, missing)
    return ColumnCode(np.column_stack(features).astype(np.float32), codes, n_codes, missing, bins, n_bins)


def _value_bins(numbers: np.ndarray, missing: np.ndarray) -> tuple[np.ndarray, int]:
    """Bin 0 for empty cells, then at most ``_MAX_BINS`` equal-count ranges of the values."""
    bins = np.zeros(len(numbers), dtype=np.int64)
    filled = numbers[~missing]
    if filled.size == 0:
        return bins, 1
    distinct = np.unique(filled)
    if distinct.size <= _MAX_BINS:
        bins[~missing] = np.searchsorted(distinct, filled) + 1
        return bins, distinct.size + 1
    edges = np.unique(np.quantile(filled, np.linspace(0, 1, _MAX_BINS + 1)[1:-1]))
    bins[~missing] = np.searchsorted(edges, filled, side="right") + 1
    return bins, edges.size + 2


def _target_encode(codes_train: np.ndarray, target_train: np.ndarray, codes_test: np.ndarray,
                   n_codes: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Smoothed target rate per value: cross-fitted for training rows, full-fit for test rows."""
    prior = target_train.mean(axis=0)
    q_cols = target_train.shape[1]

    def sums(codes: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        counts = np.bincount(codes, minlength=n_codes).astype(float)
        totals = np.column_stack([np.bincount(codes, weights=target[:, j], minlength=n_codes) for j in range(q_cols)])
        return counts, totals

    counts, totals = sums(codes_train, target_train)
    test = (totals[codes_test] + _TE_SMOOTHING * prior) / (counts[codes_test] + _TE_SMOOTHING)[:, None]
    train = np.empty((len(codes_train), q_cols))
    inner = np.random.default_rng(seed).permutation(len(codes_train)) % _TE_INNER_FOLDS
    for f in range(_TE_INNER_FOLDS):
        part = inner == f
        c_part, t_part = sums(codes_train[part], target_train[part])
        c_rest, t_rest = counts - c_part, totals - t_part
        own = codes_train[part]
        train[part] = (t_rest[own] + _TE_SMOOTHING * prior) / (c_rest[own] + _TE_SMOOTHING)[:, None]
    return train.astype(np.float32), test.astype(np.float32)


def _tree(goal: Goal, train_rows: int, depth: int, seed: int):
    leaf = max(1, min(_MIN_LEAF_ROWS, int(train_rows * _MIN_LEAF_SHARE)))
    if goal.kind == "numeric":
        return DecisionTreeRegressor(max_depth=depth, min_samples_leaf=leaf, random_state=seed)
    return DecisionTreeClassifier(max_depth=depth, min_samples_leaf=leaf, random_state=seed)


def _interval_tree(stats: np.ndarray, depth: int, min_leaf: int, regression: bool) -> np.ndarray:
    """Greedy CART (Gini, or squared error) on one binned feature; returns each bin's prediction.

    ``stats`` holds per-bin class counts (bins x classes), or per-bin count, sum and sum of
    squares for numbers. Every node is a run of neighbouring bins, so the whole tree costs a
    few cumulative sums over at most 256 bins: the same tree scikit-learn would grow on the
    binned values, hundreds of times faster.
    """
    n_bins = stats.shape[0]
    out = np.zeros((n_bins, 1 if regression else stats.shape[1]))

    def sizes(block: np.ndarray) -> np.ndarray:
        return block[..., 0] if regression else block.sum(axis=-1)

    def purity(block: np.ndarray, n: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            if regression:
                return np.where(n > 0, block[..., 1] ** 2 / n, 0.0)
            return np.where(n > 0, (block ** 2).sum(axis=-1) / n, 0.0)

    def leaf(lo: int, hi: int) -> None:
        total = stats[lo:hi].sum(axis=0)
        n = sizes(total)
        if regression:
            out[lo:hi, 0] = total[1] / n if n > 0 else 0.0
        else:
            out[lo:hi] = total / n if n > 0 else 1.0 / stats.shape[1]

    def grow(lo: int, hi: int, level: int) -> None:
        if level == depth or hi - lo < 2:
            return leaf(lo, hi)
        cum = np.cumsum(stats[lo:hi], axis=0)
        total = cum[-1]
        left, right = cum[:-1], total - cum[:-1]
        n_left, n_right = sizes(left), sizes(right)
        valid = (n_left >= min_leaf) & (n_right >= min_leaf)
        if not valid.any():
            return leaf(lo, hi)
        gain = np.where(valid, purity(left, n_left) + purity(right, n_right), -np.inf)
        best = int(np.argmax(gain))
        if gain[best] <= purity(total, sizes(total)) + 1e-12:
            return leaf(lo, hi)
        grow(lo, lo + best + 1, level + 1)
        grow(lo + best + 1, hi, level + 1)

    grow(0, n_bins, 0)
    return out


def _binned_out_of_fold(column: ColumnCode, goal: Goal, depth: int) -> np.ndarray:
    n = goal.n_rows
    bins, n_bins = column.bins, column.n_bins
    regression = goal.kind == "numeric"
    oof = np.zeros(n) if regression else np.zeros((n, goal.n_classes))
    for train, test in goal.splits:
        b = bins[train]
        if regression:
            y = goal.y[train]
            stats = np.column_stack([np.bincount(b, minlength=n_bins), np.bincount(b, weights=y, minlength=n_bins),
                                     np.bincount(b, weights=y * y, minlength=n_bins)]).astype(float)
        else:
            k = goal.n_classes
            stats = np.bincount(b * k + goal.y[train], minlength=n_bins * k).reshape(n_bins, k).astype(float)
        leaf = max(1, min(_MIN_LEAF_ROWS, int(len(train) * _MIN_LEAF_SHARE)))
        table = _interval_tree(stats, depth, leaf, regression)
        oof[test] = table[bins[test], 0] if regression else table[bins[test]]
    return oof


def out_of_fold(column: ColumnCode, goal: Goal, depth: int, seed: int) -> np.ndarray:
    """Out-of-fold predictions of the one-column tree: probabilities, or numbers."""
    if column.bins is not None:
        return _binned_out_of_fold(column, goal, depth)
    n = goal.n_rows
    oof = np.zeros(n) if goal.kind == "numeric" else np.zeros((n, goal.n_classes))
    for fold, (train, test) in enumerate(goal.splits):
        x_train, x_test = column.static[train], column.static[test]
        if column.codes is not None:
            enc_train, enc_test = _target_encode(column.codes[train], goal.encoding[train], column.codes[test],
                                                 column.n_codes, seed + fold)
            x_train = np.hstack([x_train, enc_train])
            x_test = np.hstack([x_test, enc_test])
        model = _tree(goal, len(train), depth, seed)
        model.fit(x_train, goal.y[train])
        if goal.kind == "numeric":
            oof[test] = model.predict(x_test)
        else:
            oof[np.ix_(test, model.classes_)] = model.predict_proba(x_test)
    return oof


def single_column_score(column: ColumnCode, goal: Goal, depth: int, seed: int) -> float:
    """Out-of-fold AUC (classes) or R² (numbers) of a shallow tree on one column."""
    return single_column_scores(column, goal, depth, seed)[0]


def single_column_scores(column: ColumnCode, goal: Goal, depth: int, seed: int) -> tuple[float, np.ndarray | None]:
    """The one-column score and, for more than two classes, its per-class AUCs (``class_scores``).
    The tree is fitted once as a multiclass tree; its probabilities give every class's score."""
    # The inputs are built here, finite and well-formed: skip scikit-learn's per-call validation.
    with config_context(assume_finite=True, skip_parameter_validation=True):
        return _with_class_scores(goal, out_of_fold(column, goal, depth, seed))


def _with_class_scores(goal: Goal, predictions: np.ndarray) -> tuple[float, np.ndarray | None]:
    per_class = class_scores(goal, predictions)
    if per_class is None:
        return score_predictions(goal, predictions), None
    return float(np.nanmean(per_class)), per_class


# --------------------------------------------------------------------------------------
# All columns together
# --------------------------------------------------------------------------------------
def model_matrix(frame: pd.DataFrame, kinds: dict[str, str]) -> tuple[np.ndarray, np.ndarray]:
    """Columns as floats for HistGradientBoosting, and which of them are categories."""
    blocks, categorical = [], []
    for name in frame.columns:
        values = frame[name]
        kind = kinds.get(str(name), "category")
        numbers = numbers_of(values, kind)
        if numbers is not None:
            blocks.append(numbers)
            categorical.append(False)
            continue
        codes, n_values = category_codes(values)
        blocks.append(np.where(codes < 0, np.nan, codes).astype(float))
        categorical.append(n_values <= _HGB_MAX_CATEGORIES)
    if not blocks:
        return np.zeros((len(frame), 0)), np.zeros(0, dtype=bool)
    return np.column_stack(blocks), np.array(categorical, dtype=bool)


def model_score(matrix: np.ndarray, categorical: np.ndarray, goal: Goal, seed: int) -> float:
    """Out-of-fold score of a small gradient-boosting model on all the given columns."""
    return model_scores(matrix, categorical, goal, seed)[0]


def model_scores(matrix: np.ndarray, categorical: np.ndarray, goal: Goal,
                 seed: int) -> tuple[float, np.ndarray | None]:
    """``model_score`` and, for more than two classes, the model's per-class AUCs."""
    if matrix.shape[1] == 0:
        flat = None if goal.kind != "multiclass" else np.full(goal.n_classes, goal.chance)
        return goal.chance, flat
    n = goal.n_rows
    oof = np.zeros(n) if goal.kind == "numeric" else np.zeros((n, goal.n_classes))
    cats = categorical if categorical.any() else None
    params = dict(max_iter=_HGB_ITERATIONS, learning_rate=_HGB_LEARNING_RATE, max_leaf_nodes=_HGB_LEAVES,
                  early_stopping=False, categorical_features=cats, random_state=seed)
    # One thread: on these small samples OpenMP start-up and contention cost more than they save.
    with threadpool_limits(limits=1, user_api="openmp"):
        for train, test in goal.splits:
            if goal.kind == "numeric":
                model = HistGradientBoostingRegressor(**params).fit(matrix[train], goal.y[train])
                oof[test] = model.predict(matrix[test])
            else:
                model = HistGradientBoostingClassifier(**params).fit(matrix[train], goal.y[train])
                oof[np.ix_(test, model.classes_)] = model.predict_proba(matrix[test])
    return _with_class_scores(goal, oof)
