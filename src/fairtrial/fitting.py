"""One fit of a trial: fit a fresh copy of a recipe's pipeline, predict the test rows.

Kept apart from ``trial.py`` because it is what the worker processes run (``workers.py``):
a worker imports this module, the recipes and the prediction helper, not the whole trial
(its statistics, model files, value view), which about halves a worker's start-up (issue 13).
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning

from .evaluate import predict_both

__all__ = ["JobOut", "fit_job"]


@dataclass
class JobOut:
    pred: np.ndarray | None
    proba: np.ndarray | None
    seconds: float
    warnings: list[str]
    model: Any = None
    file: tuple[bytes, str] | None = None  # the model's skops file and its sha256 (``model_file``)


def warning_text(w: warnings.WarningMessage) -> str:
    if issubclass(w.category, ConvergenceWarning):
        return "convergence"
    return f"{w.category.__name__}: {str(w.message).splitlines()[0][:200]}"


def fit_job(pipeline, X_train: pd.DataFrame, y_train: np.ndarray, X_test: pd.DataFrame | None,
            classes: tuple[str, ...] | None, keep_model: bool, weights: np.ndarray | None = None, *,
            model_file: bool = False) -> JobOut:
    """Fit a fresh copy of ``pipeline`` and predict ``X_test`` (runs in a worker or here).
    ``weights`` (fairness reweighing) go to the model step only. With ``model_file`` the
    model's file is made here too (``models.dump_model``): in a worker, skops is already
    loaded (``workers._PRELOAD``), and the program that runs the trial need not load it."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = clone(pipeline)
        start = time.perf_counter()
        if weights is None:
            model.fit(X_train, y_train)
        else:
            model.fit(X_train, y_train, model__sample_weight=weights)
        seconds = time.perf_counter() - start
        pred = proba = None
        if X_test is not None:
            pred, proba = predict_both(model, X_test, classes)
    messages = sorted({warning_text(w) for w in caught if not issubclass(w.category, DeprecationWarning)})
    file = None
    if model_file:
        from .models import dump_model

        file = dump_model(model)
    return JobOut(pred, proba, seconds, messages, model if keep_model else None, file)
