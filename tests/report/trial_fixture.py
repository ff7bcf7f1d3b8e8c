"""A realistic stored trial, as ``Store.get_trial`` returns it, for the report tests.

A churn spreadsheet with two sensitive columns, seeded so the numbers never change. Column
names, group values, the dataset name and finding messages include text a spreadsheet
would take for a formula (``FORMULA_VALUES``); ``email`` and ``full_name`` hold personal
data (``PII_VALUES`` must never reach a report).
"""

from __future__ import annotations

import copy
import math
from datetime import datetime

import numpy as np
import pandas as pd

from fairtrial.findings import Finding

HYPERLINK = '=HYPERLINK("http://x","click")'
DDE = "+cmd|' /C calc'!A0"
MINUS = "-2+3"
AT_SUM = "@SUM(A1)"
NA_ERROR = "#N/A"
FORMULA_VALUES = (HYPERLINK, DDE, MINUS, AT_SUM, NA_ERROR)
PII_COLUMNS = ("email", "full_name")
PII_VALUES = ("ana.lopez@example.com", "bo.smith@example.org", "Ana Lopez", "Bo Smith")

FOLDS, REPEATS = 5, 3
T_14 = 2.145  # t quantile (97.5%, 14 degrees of freedom)


def make_dataset() -> dict:
    """A ``Store.list_datasets`` entry."""
    return {"dataset_id": 3, "name": HYPERLINK, "source_file": "customers.xlsx", "sheet": "2024",
            "rows": 2000, "columns": 14,
            "sha256": "9f2c4e7a1b3d5f60718293a4b5c6d7e8f90112233445566778899aabbccddeeff",
            "created_at": "2025-11-20 14:01:12"}


def make_findings() -> list[Finding]:
    return [
        Finding("imbalance", "warning", ("churned",), "Few people churned",
                "Only 18% of the rows have churned = yes, so a recipe can look good by mostly saying no.",
                "FairTrial scores with balanced accuracy; keep it that way.", {"minority_share": 0.18}),
        Finding("leakage", "critical", ("cancel_date",), "'cancel_date' gives the answer away",
                "The column 'cancel_date' alone predicts churned with AUC 0.99: it is filled in only after a "
                "customer leaves.", "Leave it out. FairTrial did; you can undo that.", {"auc": 0.99}, "excluded"),
        Finding("pii", "warning", ("email", "full_name"), "Personal data",
                "Most values in 'email' look like e-mail addresses and 'full_name' like names.",
                "Keep these columns out of the trial.", {"share": 0.97}, "excluded"),
        Finding("id_like", "info", ("customer_id",), "'customer_id' looks like an ID",
                "Every value is different, so it cannot help predict anything.", "", {}, "excluded"),
        Finding("missing", "warning", (HYPERLINK,), f"{HYPERLINK} is often empty",
                f"The column '{HYPERLINK}' is empty in 12% of rows.", "Check how it is filled in.",
                {"share": 0.12}),
        Finding("mixed_types", "info", (DDE, MINUS), f"{MINUS} mixes numbers and text",
                f"The columns '{DDE}' and '{MINUS}' hold both numbers and text.", "", {}),
        Finding("sensitive", "info", ("gender", AT_SUM), "Possible sensitive columns",
                f"'gender' and '{AT_SUM}' may describe people; FairTrial compares the recipes across their groups.",
                "", {}),
    ]


def _scores() -> tuple[list[float], list[float], list[float]]:
    rng = np.random.default_rng(7)
    n = FOLDS * REPEATS
    shared = rng.normal(0, 0.012, n)
    a = np.round(0.742 + shared + rng.normal(0, 0.006, n), 4)
    b = np.round(0.781 + shared + rng.normal(0, 0.006, n), 4)
    return a.tolist(), b.tolist(), [0.5] * n


def make_plan() -> dict:
    """``TrialPlan.to_dict()``."""
    return {
        "target": "churned",
        "task": "binary",
        "recipe_a": {"name": "simple", "speed": "quick", "imbalance": "balanced", "features": None},
        "recipe_b": {"name": "forest", "speed": "thorough", "imbalance": "balanced",
                     "features": ["tenure_months", "monthly_fee", "support_calls", "region", HYPERLINK, DDE]},
        "columns": ["tenure_months", "monthly_fee", "support_calls", "region", "gender", HYPERLINK, DDE, MINUS,
                    AT_SUM],
        "excluded": ["customer_id", "email", "full_name", "cancel_date"],
        "folds": FOLDS,
        "repeats": REPEATS,
        "seed": 42,
        "holdout": 0.2,
        "group": None,
        "time_ordered": False,
        "sensitive": ["gender", AT_SUM],
        "metric": None,
    }


def _group(name: str, rows: int, a: float, b: float, *, judged: bool = True, confidence: str = "",
           note: str = "", width: float = 0.04) -> dict:
    def cell(v: float) -> dict:
        return {"value": v, "ci_low": round(v - width, 3), "ci_high": round(v + width, 3)}

    if not judged:
        return {"group": name, "rows": rows, "judged": False, "confidence": "", "note": note, "a": {}, "b": {}}
    return {"group": name, "rows": rows, "judged": True, "confidence": confidence, "note": note,
            "a": {"balanced_accuracy": cell(a), "selection_rate": round(a / 3.5, 3)},
            "b": {"balanced_accuracy": cell(b), "selection_rate": round(b / 3.4, 3)}}


def make_result() -> dict:
    """``TrialResult.to_dict()`` of a binary trial B (forest) wins."""
    a, b, base = _scores()
    diffs = [round(y - x, 4) for x, y in zip(a, b)]
    j = len(diffs)
    mean = float(np.mean(diffs))
    half = T_14 * math.sqrt((1 / j + 0.25) * float(np.var(diffs, ddof=1)))
    four_fifths = Finding("selection_rate_ratio", "warning", ("gender",), "Selection rates differ by gender",
                          f"Recipe B flags group '{MINUS}' much less often than 'female' (ratio 0.74).",
                          "Check whether that is fair before you use recipe B.", {"ratio": 0.74})
    return {
        "trial_id": 7,
        "task": "binary",
        "primary_metric": "balanced_accuracy",
        "metric_reason": "Only 18% of rows churned, so balanced accuracy counts both answers equally.",
        "splits": {"folds": FOLDS, "repeats": REPEATS,
                   "reason": "5 parts × 3 re-splits, stratified so each part has the same share of churned.",
                   "holdout_rows": 400, "train_rows": 1588, "duplicates_removed": 12},
        "a": {"recipe": make_plan()["recipe_a"], "label": "Simple (logistic/linear)", "fold_scores": a,
              "mean": float(np.mean(a)), "holdout": 0.7391, "beats_baseline": True},
        "b": {"recipe": make_plan()["recipe_b"], "label": "Random forest", "fold_scores": b,
              "mean": float(np.mean(b)), "holdout": 0.7786, "beats_baseline": True},
        "baseline": {"recipe": {"name": "baseline"}, "fold_scores": base, "mean": 0.5, "holdout": 0.5},
        "difference": {"mean": mean, "ci_low": mean - half, "ci_high": mean + half, "p_value": 0.0041,
                       "b_wins": True, "splits": diffs},
        "holdout_check": {"test": "McNemar exact", "p_value": 0.031, "agrees": True,
                          "text": "The final check on the 400 rows kept aside agrees: B is better there too."},
        "verdict": {
            "winner": "b",
            "text": "Random forest (B) did better than Simple (A).",
            "sentences": [
                f"Random forest (B) did better than Simple (A): {mean * 100:.1f} points more balanced accuracy "
                "on average.",
                f"The 95% interval runs from {(mean - half) * 100:+.1f} to {(mean + half) * 100:+.1f} points, so the "
                "difference is real and very unlikely to be luck (p = 0.004).",
                "Both recipes beat always guessing the most common answer (50.0%).",
            ],
        },
        "cost": {"a": {"fit_seconds": 0.084, "predict_ms_per_1000": 1.2, "model_bytes": 4812},
                 "b": {"fit_seconds": 2.91, "predict_ms_per_1000": 38.5, "model_bytes": 18_400_000}},
        "calibration": {
            "a": {"ece": 0.031, "brier": 0.162, "brier_skill": 0.214,
                  "curve": {"predicted": [0.05, 0.12, 0.2, 0.31, 0.45, 0.58, 0.71, 0.83],
                            "observed": [0.04, 0.13, 0.22, 0.29, 0.47, 0.55, 0.74, 0.8]},
                  "text": "Recipe A's chances are close to honest: when it says 70%, about 70% churn."},
            "b": {"ece": 0.121, "brier": 0.151, "brier_skill": 0.267,
                  "curve": {"predicted": [0.06, 0.15, 0.25, 0.37, 0.5, 0.63, 0.77, 0.9],
                            "observed": [0.01, 0.07, 0.16, 0.3, 0.52, 0.7, 0.86, 0.97]}},
        },
        "robustness": {"a": {"noise_flip_share": 0.012, "blank_drop": 0.004},
                       "b": {"noise_flip_share": 0.031, "blank_drop": 0.018,
                             "text": "Recipe B barely changes when inputs get a little noise."}},
        "importance": {
            "a": [{"column": "tenure_months", "importance": 0.081, "std": 0.006},
                  {"column": HYPERLINK, "importance": 0.034, "std": 0.004},
                  {"column": "monthly_fee", "importance": 0.012, "std": 0.003},
                  {"column": DDE, "importance": -0.001, "std": 0.002}],
            "b": [{"column": "support_calls", "importance": 0.052, "std": 0.005,
                   "text": "Shuffling 'support_calls' costs recipe B 5.2 points."},
                  {"column": "tenure_months", "importance": 0.095, "std": 0.007},
                  {"column": MINUS, "importance": 0.01, "std": 0.002},
                  {"column": "region", "importance": 0.004, "std": 0.001}],
        },
        "secondary": {"a": {"accuracy": 0.768, "roc_auc": 0.821}, "b": {"accuracy": 0.803, "roc_auc": 0.858}},
        "versions": {"python": "3.11.7", "scikit-learn": "1.9.1", "pandas": "3.1.1", "numpy": "2.4.0"},
        "groups": {
            "gender": {
                "column": "gender", "banded": False,
                "groups": [_group("female", 980, 0.751, 0.792), _group("male", 944, 0.738, 0.779),
                           _group(MINUS, 64, 0.69, 0.71, confidence="low", note="Only 64 rows: low confidence.",
                                  width=0.09),
                           _group(NA_ERROR, 12, 0, 0, judged=False,
                                  note="Only 12 rows: too few to judge (30 are needed).")],
                "metrics": {"a": {"demographic_parity_difference": {"value": 0.061, "ci_low": 0.012, "ci_high": 0.11},
                                  "selection_rate_ratio": {"value": 0.81, "ci_low": 0.7, "ci_high": 0.93},
                                  "equalized_odds_difference": {"value": 0.07, "ci_low": 0.02, "ci_high": 0.12}},
                            "b": {"demographic_parity_difference": {"value": 0.083, "ci_low": 0.03, "ci_high": 0.14},
                                  "selection_rate_ratio": {"value": 0.74, "ci_low": 0.62, "ci_high": 0.86},
                                  "equalized_odds_difference": {"value": 0.09, "ci_low": 0.03, "ci_high": 0.15}}},
                "findings": [four_fifths.to_dict()],
                "summary": ["Both recipes do about as well for women as for men.",
                            f"Group '{NA_ERROR}' has too few rows to judge."],
            },
            AT_SUM: {
                "column": AT_SUM, "banded": "values put into bands of 10",
                "groups": [_group(HYPERLINK, 420, 0.73, 0.77), _group(DDE, 610, 0.75, 0.79),
                           _group("18-29", 388, 0.74, 0.78)],
                "metrics": {"a": {"demographic_parity_difference": 0.041,
                                  "demographic_parity_difference_ci_low": 0.0,
                                  "demographic_parity_difference_ci_high": 0.09},
                            "b": {"demographic_parity_difference": 0.052,
                                  "demographic_parity_difference_ci_low": 0.004,
                                  "demographic_parity_difference_ci_high": 0.1}},
                "findings": [],
                "summary": [f"Scores are close across the groups of '{AT_SUM}'."],
            },
        },
        "duration_seconds": 48.2,
    }


def make_trial() -> dict:
    """``Store.get_trial(7)``."""
    return {"trial_id": 7, "dataset_id": 3, "created_at": "2025-11-20 14:05:33", "plan": make_plan(),
            "result": make_result()}


def make_numeric_trial() -> dict:
    """A number target: no calibration, no sensitive columns, importance as a plain list, no winner,
    and several parts simply missing (as in older trials)."""
    trial = make_trial()
    plan, result = trial["plan"], trial["result"]
    plan.update(target="monthly_fee", task="numeric", sensitive=[], metric="mae")
    plan["recipe_a"] = {"name": "simple", "speed": "quick", "imbalance": "none", "features": None}
    plan["recipe_b"] = {"name": "boosting", "speed": "quick", "imbalance": "none", "features": None}
    rng = np.random.default_rng(3)
    a = np.round(12.4 + rng.normal(0, 0.4, FOLDS * REPEATS), 3).tolist()
    b = np.round(12.3 + rng.normal(0, 0.4, FOLDS * REPEATS), 3).tolist()
    result.update(
        task="numeric", primary_metric="mae", metric_reason="For numbers FairTrial reports the average miss.",
        calibration=None, groups={}, robustness=None, secondary=None,
        importance=[{"column": "tenure_months", "importance": 3.1}, {"column": HYPERLINK, "importance": 1.2}],
        verdict={"winner": "none", "text": "No real difference between A and B.",
                 "sentences": ["No real difference: the two recipes miss by about 12.4 on average."]},
    )
    result["a"] = {"label": "Simple (logistic/linear)", "fold_scores": a, "mean": float(np.mean(a)),
                   "holdout": 12.6, "beats_baseline": True}
    result["b"] = {"label": "Gradient boosting", "fold_scores": b, "mean": float(np.mean(b)), "holdout": None,
                   "beats_baseline": True}
    result["baseline"] = {"fold_scores": [15.0] * len(a), "mean": 15.0, "holdout": 15.1}
    result["difference"] = {"mean": float(np.mean(b) - np.mean(a)), "ci_low": -0.5, "ci_high": 0.3,
                            "p_value": 0.41, "b_wins": False, "splits": len(a)}
    del result["holdout_check"]
    result["cost"] = {"a": {"fit_seconds": 0.02}}
    return trial


def make_old_trial() -> dict:
    """An early trial that stored almost nothing but its settings."""
    return {"trial_id": 1, "dataset_id": 3, "created_at": None,
            "plan": {"target": "churned", "task": "binary", "recipe_a": "simple", "recipe_b": "tree", "seed": 42},
            "result": {"trial_id": 1, "task": "binary", "verdict": None, "groups": None, "importance": None}}


def make_predictions(rows: int = 50) -> pd.DataFrame:
    """Predictions on new data, with personal-data columns and formula-looking text."""
    rng = np.random.default_rng(11)
    emails = [PII_VALUES[i % 2] for i in range(rows)]
    names = [PII_VALUES[2 + i % 2] for i in range(rows)]
    regions = [("north", HYPERLINK, DDE, MINUS, AT_SUM, NA_ERROR)[i % 6] for i in range(rows)]
    chance = np.round(rng.uniform(0, 1, rows), 4)
    return pd.DataFrame({
        "customer_id": np.arange(1000, 1000 + rows),
        "email": emails,
        "full_name": names,
        "region": regions,
        "tenure_months": rng.integers(1, 72, rows),
        "monthly_fee": np.where(np.arange(rows) % 10 == 3, np.nan, np.round(rng.uniform(10, 90, rows), 2)),
        "scored_at": pd.date_range(datetime(2025, 11, 21, 9, 0), periods=rows, freq="min"),
        "prediction": np.where(chance > 0.5, "yes", "no"),
        "chance_yes": chance,
    })


def with_pii_group(trial: dict) -> dict:
    """The trial with a (mis)chosen sensitive column that holds personal data."""
    trial = copy.deepcopy(trial)
    trial["plan"]["sensitive"] = ["gender", "email"]
    block = trial["result"]["groups"]["gender"]
    trial["result"]["groups"]["email"] = {
        **block, "column": "email",
        "groups": [dict(g, group=PII_VALUES[i % 2]) for i, g in enumerate(block["groups"][:2])],
    }
    return trial
