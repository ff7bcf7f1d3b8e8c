"""What a trained recipe is like besides its score: calibration, robustness, cost, importance.

Each function takes a fitted pipeline or its predictions plus plain arrays, and returns
plain numbers in a dict (JSON-ready). They are kept cheap on big data: robustness and
permutation importance work on a capped, seeded sample of the holdout rows and score all
the shuffled or disturbed copies with *one* prediction call.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
from sklearn.model_selection import TunedThresholdClassifierCV

from . import settings
from .scoring import METRICS, score

__all__ = [
    "calibration",
    "predict_both",
    "predict_ms_per_1000",
    "permutation_importance",
    "robustness",
    "secondary_metrics",
]


def _final_step(model):
    return model.steps[-1][1] if hasattr(model, "steps") else model


_PREDICT_CHUNK = 50_000


def predict_both(model, X: pd.DataFrame, classes: tuple[str, ...] | None):
    """Predictions and (for classes) probabilities with one column per class in ``classes``.

    For classes the labels are read from the probabilities (the most likely class),
    which is what every recipe's ``predict`` does, so the model runs once; a recipe with
    a tuned threshold uses its own ``predict``. A class the model never saw while
    training gets probability 0. Big tables are predicted ``_PREDICT_CHUNK`` rows at a time
    (every recipe predicts each row on its own), so the prepared copy of the rows (one-hot
    columns as float64) never holds more than that many rows.
    """
    if X.shape[0] > _PREDICT_CHUNK:
        rows = X.iloc if hasattr(X, "iloc") else X  # a table, or prepared rows (an array, as importance passes)
        parts = [predict_both(model, rows[i:i + _PREDICT_CHUNK], classes) for i in range(0, X.shape[0], _PREDICT_CHUNK)]
        pred = np.concatenate([p for p, _ in parts])
        return pred, (np.vstack([q for _, q in parts]) if classes else None)
    if not classes:
        return np.asarray(model.predict(X), dtype=np.float64), None
    raw = np.asarray(model.predict_proba(X), dtype=np.float64)
    seen = [str(c) for c in model.classes_]
    if seen == list(classes):
        proba = raw
    else:
        proba = np.zeros((raw.shape[0], len(classes)))
        for j, c in enumerate(seen):
            proba[:, classes.index(c)] = raw[:, j]
    if isinstance(_final_step(model), TunedThresholdClassifierCV):
        pred = np.asarray(model.predict(X)).astype(str).astype(object)
    else:
        pred = np.asarray(classes, dtype=object)[np.argmax(proba, axis=1)]
    return pred, proba


def predict_ms_per_1000(model, X: pd.DataFrame, classes) -> float:
    """Milliseconds to predict 1,000 rows (a small sample is repeated up to 1,000 rows)."""
    if len(X) == 0:
        return float("nan")
    sample = X if len(X) >= 1000 else X.iloc[np.resize(np.arange(len(X)), 1000)]
    start = time.perf_counter()
    predict_both(model, sample, classes)
    return (time.perf_counter() - start) * 1000.0 * 1000.0 / len(sample)


def secondary_metrics(task: str, y, pred, proba, classes: tuple[str, ...], positive: str | None) -> dict:
    """Precision, recall, F1, accuracy and the confusion matrix for classes; MAE, RMSE, R² for numbers."""
    y = np.asarray(y)
    if task == "numeric":
        return {name: score(name, y, pred) for name in ("mae", "rmse", "r2")}
    pred = np.asarray(pred)
    out: dict = {
        "accuracy": score("accuracy", y, pred),
        "balanced_accuracy": score("balanced_accuracy", y, pred, classes=classes),
        "roc_auc": score("roc_auc", y, None, proba, classes, positive) if proba is not None else None,
    }
    targets = [positive] if task == "binary" and positive is not None else list(classes)
    precisions, recalls, f1s = [], [], []
    for c in targets:
        tp = int(np.sum((pred == c) & (y == c)))
        fp = int(np.sum((pred == c) & (y != c)))
        fn = int(np.sum((pred != c) & (y == c)))
        precisions.append(tp / (tp + fp) if tp + fp else 0.0)
        recalls.append(tp / (tp + fn) if tp + fn else 0.0)
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0)
    out.update(precision=float(np.mean(precisions)), recall=float(np.mean(recalls)), f1=float(np.mean(f1s)),
               averaged="for the class '" + str(positive) + "'" if task == "binary" else "averaged over classes")
    index = {c: i for i, c in enumerate(classes)}
    matrix = np.zeros((len(classes), len(classes)), dtype=int)
    for t, p in zip(y, pred):
        if t in index and p in index:
            matrix[index[t], index[p]] += 1
    out["confusion"] = {"labels": list(classes), "matrix": matrix.tolist(),
                        "note": "rows are the true classes, columns the predicted ones"}
    return out


def _severity(value: float | None, warning: float, critical: float) -> str:
    if value is None or not np.isfinite(value):
        return "unknown"
    return "critical" if value > critical else "warning" if value > warning else "ok"


def calibration(y, proba, classes: tuple[str, ...], positive: str | None) -> dict:
    """How far predicted chances are from what happens (classes only).

    Binary: the positive class's probability; multiclass: the confidence in the predicted
    class versus whether it was right. Rows are sorted by predicted chance and cut into
    up to ``calibration_bins`` equal-count bins of at least ``calibration_min_bin_rows``
    rows. ECE is the row-weighted mean gap between the average predicted chance and the
    observed rate of the bins; ``curve`` holds the bins' ``predicted``, ``observed`` and
    ``rows`` as parallel lists (the reliability curve). Brier is the mean squared gap between chance and outcome
    (summed over classes for multiclass); its skill compares with always predicting the
    class shares of these rows (1 is perfect, 0 no better, below 0 worse).
    """
    y = np.asarray(y)
    proba = np.asarray(proba, dtype=np.float64)
    n = len(y)
    cls = list(classes)
    min_rows = settings.get("calibration_min_bin_rows")
    bins = min(settings.get("calibration_bins"), n // min_rows)
    onehot = (y[:, None] == np.asarray(cls, dtype=object)[None, :]).astype(np.float64)
    brier = float(np.mean(np.sum((proba - onehot) ** 2, axis=1)))
    shares = onehot.mean(axis=0)
    brier_ref = float(np.sum(shares * (1 - shares)))
    if len(cls) == 2:
        pos = positive if positive is not None else cls[-1]
        chance = proba[:, cls.index(pos)]
        outcome = (y == pos).astype(np.float64)
        brier, brier_ref = brier / 2.0, brier_ref / 2.0  # the usual binary Brier: one class's probability
        about = f"the predicted chance of '{pos}'"
    else:
        chance = proba.max(axis=1)
        outcome = (np.asarray(cls, dtype=object)[np.argmax(proba, axis=1)] == y).astype(np.float64)
        about = "the confidence in the predicted class"
    skill = 1.0 - brier / brier_ref if brier_ref > 0 else None
    result = {"rows": n, "about": about, "brier": brier, "brier_reference": brier_ref, "brier_skill": skill}
    if bins < 2:
        result.update(available=False, ece=None, curve={"predicted": [], "observed": [], "rows": []},
                      severity="unknown",
                      reason=f"Only {n} rows: a calibration check needs at least {2 * min_rows} "
                             f"({min_rows} rows in each of at least two groups).")
        return result
    order = np.argsort(chance, kind="mergesort")
    curve: dict[str, list] = {"predicted": [], "observed": [], "rows": []}
    ece = 0.0
    for part in np.array_split(order, bins):
        predicted, observed = float(chance[part].mean()), float(outcome[part].mean())
        curve["predicted"].append(predicted)
        curve["observed"].append(observed)
        curve["rows"].append(int(len(part)))
        ece += len(part) / n * abs(predicted - observed)
    result.update(available=True, ece=float(ece), bins=bins, curve=curve,
                  severity=_severity(ece, settings.get("ece_warning"), settings.get("ece_critical")))
    return result


def _sample(n: int, cap: int, seed: int) -> np.ndarray:
    if n <= cap:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size=cap, replace=False))


def _block_scores(metric: str, y, pred, proba, classes, positive, blocks: int) -> np.ndarray:
    n = len(y)
    return np.array([score(metric, y, None if pred is None else pred[b * n:(b + 1) * n],
                           None if proba is None else proba[b * n:(b + 1) * n], classes, positive)
                     for b in range(blocks)])


def _gain(metric: str, base: float, other: np.ndarray) -> np.ndarray:
    """How much worse ``other`` is than ``base`` (positive = worse), whatever the metric's direction."""
    return (base - other) if METRICS[metric].higher_is_better else (other - base)


def _shuffled_prepared(model, Xs: pd.DataFrame, columns: list[str], orders: list[list[np.ndarray]]):
    """The prepared rows of every shuffled copy, in the order ``permutation_importance`` stacks
    them, from ONE preparation of the sample (issue 13), or None when that is not possible.

    Sound because every preparation step works row by row and column by column
    (``recipes.prepared_columns``): preparing a copy whose column ``c`` is shuffled gives the
    prepared sample with the output columns of ``c`` shuffled the same way, bit for bit, so the
    model sees exactly the rows it saw before; only the repeated preparation is saved.

    Returned as an iterator of blocks of at most ``_PREDICT_CHUNK`` rows written into ONE reused
    buffer (use each block before taking the next): all copies at once were 1 + 3 per column
    times the sample, e.g. 122,000 x 102 float64 (100 MB) for 20 columns, and gigabytes for a
    wide table of one-hot columns or words; the first allocation alone cost about 0.2 s."""
    from .recipes import prepared_columns

    steps = getattr(model, "steps", None)
    if not steps or len(steps) != 2 or steps[0][0] != "prepare":
        return None
    where = prepared_columns(steps[0][1])
    if where is None or any(c not in where for c in columns):
        return None
    base = steps[0][1].transform(Xs)
    base = base.toarray() if hasattr(base, "toarray") else np.asarray(base)
    if base.ndim != 2:
        return None
    copies = [(None, None)] + [(where[col], order) for ci, col in enumerate(columns) for order in orders[ci]]
    return _copies_in_blocks(base, copies)


def _copies_in_blocks(base: np.ndarray, copies: list):
    n = base.shape[0]
    per_block = max(1, _PREDICT_CHUNK // max(n, 1))
    buffer = np.empty((min(per_block, len(copies)) * n, base.shape[1]), dtype=base.dtype)
    for start in range(0, len(copies), per_block):
        part = copies[start:start + per_block]
        block = buffer[:len(part) * n]
        for k, (out, order) in enumerate(part):
            rows = block[k * n:(k + 1) * n]
            rows[...] = base
            if out is not None:
                rows[:, out] = base[order][:, out]
        yield block


def permutation_importance(model, X: pd.DataFrame, y, columns: list[str], metric: str,
                           classes: tuple[str, ...] | None, positive: str | None, *, seed: int = 0,
                           rows: int | None = None, repeats: int | None = None) -> list[dict]:
    """How much the score drops when one column's values are shuffled (on held-out rows).

    Uses a seeded sample of at most ``importance_rows`` rows and ``importance_repeats``
    shuffles per column; the shuffled copies are predicted in blocks of whole copies. The
    drop is in the metric's own units and positive when the column helps. Sorted, most
    important first.
    """
    rows = settings.get("importance_rows") if rows is None else rows
    repeats = settings.get("importance_repeats") if repeats is None else repeats
    y = np.asarray(y)
    idx = _sample(len(X), rows, seed)
    Xs = X.iloc[idx].reset_index(drop=True)
    ys = y[idx]
    n = len(Xs)
    if n == 0 or not columns:
        return []
    rng = np.random.default_rng(seed)
    blocks = 1 + len(columns) * repeats
    orders = [[rng.permutation(n) for _ in range(repeats)] for _ in columns]  # the same draws either way
    shuffled = _shuffled_prepared(model, Xs, columns, orders)
    if shuffled is not None:
        parts = [predict_both(_final_step(model), block, classes) for block in shuffled]
        pred = np.concatenate([p for p, _ in parts])
        proba = np.vstack([q for _, q in parts]) if classes else None
    else:
        big = Xs.iloc[np.tile(np.arange(n), blocks)].reset_index(drop=True)
        for ci, col in enumerate(columns):
            values = Xs[col].to_numpy(copy=True)
            target = big[col].to_numpy(copy=True)
            for r in range(repeats):
                start = (1 + ci * repeats + r) * n
                target[start:start + n] = values[orders[ci][r]]
            big[col] = target
        pred, proba = predict_both(model, big, classes)
    scores = _block_scores(metric, ys, pred, proba, classes or (), positive, blocks)
    drops = _gain(metric, scores[0], scores[1:]).reshape(len(columns), repeats)
    out = [{"column": col, "drop": float(np.mean(drops[i])), "spread": float(np.std(drops[i])), "rows": n}
           for i, col in enumerate(columns)]
    return sorted(out, key=lambda d: (-d["drop"], d["column"]))


def robustness(model, X: pd.DataFrame, y, *, metric: str, classes: tuple[str, ...] | None, positive: str | None,
               number_columns: list[str], spreads: dict[str, float], blank_column: str | None,
               seed: int = 0, error_scale: float | None = None) -> dict:
    """How the predictions hold up when inputs get a little noisy or go missing.

    On a seeded sample of at most ``robust_rows`` held-out rows: (1) every number column
    gets random noise of ``robust_noise_share`` of its spread (std, from the training
    rows); (2) ``robust_blank_share`` of the values of ``blank_column`` (the most important
    column) are blanked. For classes the share of predictions that change ("flip") is
    reported; for numbers the average change in the prediction. The score change is in
    the metric's units, positive when the score gets worse. The warning line is
    ``robust_drop_warning`` (2 points) for scores between 0 and 1; for errors in the
    target's units it is that share of ``error_scale`` (the always-guess error), the same
    "points" the verdict uses for numbers.
    """
    y = np.asarray(y)
    idx = _sample(len(X), settings.get("robust_rows"), seed)
    Xs = X.iloc[idx].reset_index(drop=True)
    ys = y[idx]
    n = len(Xs)
    rng = np.random.default_rng(seed)
    noise_share = settings.get("robust_noise_share")
    blank_share = settings.get("robust_blank_share")
    noisy = Xs.copy()
    for col in number_columns:
        values = pd.to_numeric(noisy[col], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        spread = float(spreads.get(col, 0.0) or 0.0)
        moved = values + rng.normal(0.0, noise_share * spread, size=n) if spread > 0 else values
        keep_original = np.isnan(values)
        if keep_original.any():
            mixed = noisy[col].to_numpy(dtype=object, copy=True)
            mixed[~keep_original] = moved[~keep_original]
            noisy[col] = mixed
        else:
            noisy[col] = moved
    blanked = Xs.copy()
    n_blank = int(round(blank_share * n))
    if blank_column is not None and n_blank:
        chosen = rng.choice(n, size=n_blank, replace=False)
        col = blanked[blank_column]
        if pd.api.types.is_float_dtype(col):
            values = col.to_numpy(copy=True)
            values[chosen] = np.nan
        else:
            values = col.to_numpy(dtype=object, copy=True)
            values[chosen] = None
        blanked[blank_column] = values
    big = pd.concat([Xs, noisy, blanked], ignore_index=True)
    pred, proba = predict_both(model, big, classes)
    base_pred, noisy_pred, blank_pred = pred[:n], pred[n:2 * n], pred[2 * n:]
    scores = _block_scores(metric, ys, pred, proba, classes or (), positive, 3)
    drop = _gain(metric, scores[0], scores[1:])
    out: dict = {"rows": n, "noise_share": noise_share, "blank_share": blank_share, "blank_column": blank_column,
                 "noise_columns": len(number_columns), "noise_score_drop": float(drop[0]),
                 "blank_score_drop": float(drop[1]) if blank_column else None}
    if classes:
        out["noise_flips"] = float(np.mean(noisy_pred != base_pred))
        out["blank_flips"] = float(np.mean(blank_pred != base_pred)) if blank_column else None
        worst_flip = max(out["noise_flips"], out["blank_flips"] or 0.0)
        worst_drop = max(float(np.nanmax(drop)), 0.0)
        flips_bad = _severity(worst_flip, settings.get("robust_flip_warning"), settings.get("robust_flip_critical"))
        drop_bad = "warning" if METRICS[metric].points and worst_drop > settings.get("robust_drop_warning") else "ok"
        out["severity"] = "critical" if flips_bad == "critical" else (
            "warning" if "warning" in (flips_bad, drop_bad) else "ok")
    else:
        out["noise_change"] = float(np.mean(np.abs(noisy_pred - base_pred)))
        out["blank_change"] = float(np.mean(np.abs(blank_pred - base_pred))) if blank_column else None
        scale = error_scale if error_scale else (abs(scores[0]) if np.isfinite(scores[0]) else 0.0)
        relative = max(float(np.nanmax(drop)), 0.0) / scale if scale else 0.0
        out["drop_in_points"] = relative
        out["severity"] = "warning" if relative > settings.get("robust_drop_warning") else "ok"
    return out
