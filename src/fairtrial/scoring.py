"""How predictions are scored: the metrics, which one leads a trial, and why.

Every metric here can be computed with row weights (``weights`` of shape
``(rounds, n_rows)``), so one vectorised function serves both the plain score
(weights of ones) and a paired bootstrap (multinomial weights), without a Python loop
per resample. Class labels are text; ``classes`` is the sorted list of all labels and
``proba`` holds one column per class in that order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import settings
from .errors import BadChoiceError
from .task import TaskInfo

__all__ = ["METRICS", "MetricInfo", "choose_metric", "score", "weighted_differences", "weighted_scores"]


@dataclass(frozen=True)
class MetricInfo:
    name: str
    label: str
    higher_is_better: bool
    tasks: tuple[str, ...]
    needs_proba: bool
    meaning: str
    points: bool  # a share between 0 and 1, shown as "points" (x 100)


METRICS: dict[str, MetricInfo] = {
    m.name: m
    for m in (
        MetricInfo("accuracy", "accuracy", True, ("binary", "multiclass"), False,
                   "the share of rows it gets right", True),
        MetricInfo("balanced_accuracy", "balanced accuracy", True, ("binary", "multiclass"), False,
                   "how often it gets each class right, averaged over the classes so a rare class counts as much "
                   "as a common one", True),
        MetricInfo("roc_auc", "ROC AUC", True, ("binary", "multiclass"), True,
                   "how well it ranks the rows: the chance that a random 'yes' row gets a higher score than a "
                   "random 'no' row (0.5 is guessing, 1 is perfect)", True),
        MetricInfo("f1", "F1 score", True, ("binary", "multiclass"), False,
                   "a balance of how many of the rows it flags are right and how many of the right rows it flags",
                   True),
        MetricInfo("mae", "mean absolute error", False, ("numeric",), False,
                   "how far off its guesses are on average, in the units of the target", False),
        MetricInfo("rmse", "root mean squared error", False, ("numeric",), False,
                   "how far off its guesses are, counting big misses extra, in the units of the target", False),
        MetricInfo("r2", "R²", True, ("numeric",), False,
                   "the share of the ups and downs of the target it explains (0 is guessing the average, 1 is "
                   "perfect)", True),
    )
}


def choose_metric(task: TaskInfo, y: pd.Series | np.ndarray, requested: str | None = None, *,
                  rows: str = "rows") -> tuple[str, str]:
    """The primary metric for a trial and the reason, in plain words.

    Numbers: mean absolute error (in the target's units). Classes: balanced accuracy when
    the classes are imbalanced (binary: rarest share below ``imbalance_warning``;
    multiclass: rarest share x classes below ``multiclass_imbalance_warning``), accuracy
    otherwise. A requested metric (e.g. ``roc_auc``) wins when it fits the task.
    """
    if requested:
        info = METRICS.get(requested)
        if info is None or task.task not in info.tasks:
            allowed = [m for m, i in METRICS.items() if task.task in i.tasks]
            raise BadChoiceError(f"The metric '{requested}' does not fit a {task.task} target.",
                                 f"Choose one of: {', '.join(allowed)}.")
        return requested, f"You asked for {info.label}: {info.meaning}."
    if task.task == "numeric":
        return "mae", ("The target is a number, so FairTrial measures how far off the guesses are on average "
                       "(mean absolute error, in the target's own units; lower is better). R² is shown too.")
    labels = pd.Series(np.asarray(y, dtype=object))
    shares = labels.value_counts(normalize=True)
    rarest_label, rarest = str(shares.index[-1]), float(shares.iloc[-1])
    k = len(shares)
    if task.task == "binary":
        limit = settings.get("imbalance_warning")
        imbalanced = rarest < limit
        # one decimal under 10%, as the checks and the defaults sentence write it (3.8%, not 4%)
        share = f"{rarest:.1%}" if rarest < 0.095 else f"{rarest:.0%}"
        why = f"only {share} of {rows} are '{rarest_label}'"
    else:
        limit = settings.get("multiclass_imbalance_warning")
        imbalanced = rarest * k < limit
        why = f"the rarest class '{rarest_label}' has {rarest:.0%} of {rows}, well below an even share of {1 / k:.0%}"
    if imbalanced:
        return "balanced_accuracy", (
            f"The classes are imbalanced ({why}), so plain accuracy would reward a model that ignores the rare "
            "class. FairTrial uses balanced accuracy: the share right in each class, averaged over the classes "
            "(higher is better).")
    return "accuracy", ("The classes are fairly balanced, so FairTrial uses accuracy: the share of rows "
                        "predicted right (higher is better).")


# --- weighted metrics ----------------------------------------------------------------------------
def _ones(n: int) -> np.ndarray:
    return np.ones((1, n), dtype=np.float64)


def _safe_div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        out = num / den
    return np.where(den > 0, out, np.nan)


def _nanmean_rows(stacked: np.ndarray) -> np.ndarray:
    """Column means ignoring NaN; NaN (without a warning) where a column is all NaN."""
    present = ~np.isnan(stacked)
    return _safe_div(np.where(present, stacked, 0.0).sum(axis=0), present.sum(axis=0).astype(np.float64))


def _auc_binary(w: np.ndarray, is_pos: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Weighted ROC AUC (ties count half), for every row of ``w`` at once."""
    order = np.argsort(scores, kind="mergesort")
    s = scores[order]
    pos = is_pos[order]
    w = w[:, order]
    # Group equal scores so ties count half.
    starts = np.flatnonzero(np.r_[True, s[1:] != s[:-1]])
    wneg = np.add.reduceat(w * ~pos, starts, axis=1)
    wpos = np.add.reduceat(w * pos, starts, axis=1)
    below = np.cumsum(wneg, axis=1) - wneg
    num = (wpos * (below + 0.5 * wneg)).sum(axis=1)
    return _safe_div(num, wpos.sum(axis=1) * wneg.sum(axis=1))


def _sums(metric: str, y: np.ndarray, pred, classes, positive):
    """Per-row columns whose weighted sums give the metric, and how to finish from the sums.

    Returns ``(M, finish)``: ``M`` has one row per data row; ``finish(S)`` turns the
    weighted column sums ``S = W @ M`` (one row per round) into one score per round.
    Everything except ROC AUC is a function of such sums, which lets a bootstrap score
    thousands of resamples with one matrix product.
    """
    n = len(y)
    one = np.ones(n)
    if metric in ("mae", "rmse", "r2"):
        yt = y.astype(np.float64)
        err = np.asarray(pred, dtype=np.float64) - yt
        yt = yt - yt.mean()  # R² does not change with a shift; centring keeps the sums accurate
        if metric == "mae":
            return np.column_stack([np.abs(err), one]), lambda S: _safe_div(S[:, 0], S[:, 1])
        if metric == "rmse":
            return np.column_stack([err * err, one]), lambda S: np.sqrt(_safe_div(S[:, 0], S[:, 1]))

        def r2(S):
            # sum w(y - ybar)² = sum w y² - (sum w y)² / sum w
            ss_tot = S[:, 2] - _safe_div(S[:, 1] ** 2, S[:, 3])
            ss_tot = np.where(ss_tot > 1e-12 * np.maximum(S[:, 2], 1e-300), ss_tot, 0.0)
            return np.where(ss_tot > 0, 1.0 - _safe_div(S[:, 0], ss_tot), np.nan)

        return np.column_stack([err * err, yt, yt * yt, one]), r2
    p = np.asarray(pred)
    correct = (p == y).astype(np.float64)
    if metric == "accuracy":
        return np.column_stack([correct, one]), lambda S: _safe_div(S[:, 0], S[:, 1])
    labels = list(classes) if len(classes) else list(np.unique(y))
    if metric == "balanced_accuracy":
        cols = []
        for c in labels:
            member = (y == c).astype(np.float64)
            cols += [member * correct, member]
        k = len(labels)
        return np.column_stack(cols), lambda S: _nanmean_rows(
            np.vstack([_safe_div(S[:, 2 * i], S[:, 2 * i + 1]) for i in range(k)]))
    if metric == "f1":
        targets = [positive] if positive is not None and len(labels) == 2 else labels
        cols = []
        for c in targets:
            pc, yc = p == c, y == c
            cols += [(pc & yc).astype(np.float64), (pc & ~yc).astype(np.float64), (~pc & yc).astype(np.float64)]

        def f1(S):
            parts = [np.nan_to_num(_safe_div(2 * S[:, 3 * i], 2 * S[:, 3 * i] + S[:, 3 * i + 1] + S[:, 3 * i + 2]),
                                   nan=0.0) for i in range(len(targets))]
            return np.mean(np.vstack(parts), axis=0)

        return np.column_stack(cols), f1
    raise ValueError(f"unknown metric {metric!r}")


def _auc(w: np.ndarray, y: np.ndarray, proba, classes, positive) -> np.ndarray:
    pr = np.asarray(proba, dtype=np.float64)
    cls = list(classes)
    if pr.ndim == 1 or len(cls) == 2:
        pos = positive if positive is not None else cls[-1]
        scores = pr if pr.ndim == 1 else pr[:, cls.index(pos)]
        return _auc_binary(w, y == pos, scores)
    aucs = [_auc_binary(w, y == c, pr[:, j]) for j, c in enumerate(cls) if np.any(y == c)]
    return _nanmean_rows(np.vstack(aucs)) if aucs else np.full(w.shape[0], np.nan)


def weighted_scores(metric: str, weights: np.ndarray, y_true: np.ndarray, pred: np.ndarray | None = None,
                    proba: np.ndarray | None = None, classes: tuple[str, ...] | list[str] = (),
                    positive: str | None = None) -> np.ndarray:
    """The metric for each row of ``weights`` (shape ``(rounds, n)``): one score per round.

    A class that never occurs in ``y_true`` is skipped by balanced accuracy (as a recall
    cannot be computed for it). ROC AUC is NaN when only one class occurs; multiclass ROC
    AUC is the unweighted average of one-vs-rest AUCs. F1 is for ``positive`` in binary
    tasks and the macro average otherwise.
    """
    w = np.atleast_2d(np.asarray(weights, dtype=np.float64))
    y = np.asarray(y_true)
    if metric == "roc_auc":
        return _auc(w, y, proba, classes, positive)
    M, finish = _sums(metric, y, pred, classes, positive)
    return finish(w @ M)


def weighted_differences(metric: str, weights: np.ndarray, y_true, pred_a=None, pred_b=None, proba_a=None,
                         proba_b=None, classes=(), positive=None) -> np.ndarray:
    """``score(B) − score(A)`` for each row of ``weights``, with one matrix product for both."""
    w = np.atleast_2d(np.asarray(weights, dtype=np.float64))
    y = np.asarray(y_true)
    if metric == "roc_auc":
        return _auc(w, y, proba_b, classes, positive) - _auc(w, y, proba_a, classes, positive)
    Ma, fa = _sums(metric, y, pred_a, classes, positive)
    Mb, fb = _sums(metric, y, pred_b, classes, positive)
    S = w @ np.hstack([Ma, Mb])
    return fb(S[:, Ma.shape[1]:]) - fa(S[:, : Ma.shape[1]])


def score(metric: str, y_true, pred=None, proba=None, classes=(), positive=None) -> float:
    """One score on all rows equally weighted (NaN when it cannot be computed)."""
    y = np.asarray(y_true)
    if len(y) == 0:
        return float("nan")
    return float(weighted_scores(metric, _ones(len(y)), y, pred, proba, classes, positive)[0])
