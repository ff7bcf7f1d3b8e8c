"""Every threshold and limit in one table: ``(name, default, help)``.

The defaults follow ``shared/CHECKS.md``. Checks read their numbers from here (never a
magic number in a module), the app's "Why?" text reads ``help``, and reports print them.
Precedence: an environment variable ``FAIRTRIAL_<NAME upper-cased>`` wins over the default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    # --- files and storage ---------------------------------------------------------------
    Setting("max_file_mb", 200, "Largest file FairTrial reads, in megabytes."),
    Setting("max_rows", 2_000_000, "Most rows FairTrial reads from one file."),
    Setting("max_columns", 500, "Most columns FairTrial reads from one file."),
    Setting("db_lock_wait_seconds", 30.0,
            "How long to wait for another FairTrial window or command that is writing to the database."),
    # --- leakage ---------------------------------------------------------------------------
    Setting("leakage_auc_warning", 0.90,
            "A single column that predicts the target with AUC at or above this is suspicious."),
    Setting("leakage_auc_critical", 0.97,
            "A single column that predicts the target with AUC at or above this is almost certainly leaking; it is excluded."),
    Setting("leakage_r2_warning", 0.80, "For number targets: a single column with R² at or above this is suspicious."),
    Setting("leakage_r2_critical", 0.95, "For number targets: a single column with R² at or above this is excluded."),
    Setting("leakage_share_of_full", 0.95,
            "A column alone reaching this share of the full model's score is treated as leaking."),
    Setting("leakage_tree_depth", 4, "Depth of the small tree that tests one column at a time."),
    Setting("leakage_sample_rows", 20_000, "Rows sampled for the one-column leakage test on big files."),
    Setting("missingness_nmi_warning", 0.10,
            "Normalised mutual information between 'is empty' and the target at or above this is suspicious."),
    Setting("target_copy_corr", 0.99, "abs(Spearman) at or above this: the column is a copy of a number target."),
    Setting("target_copy_cramers_v", 0.95, "Cramér's V at or above this: the column is a copy of the target."),
    # --- ids, names -----------------------------------------------------------------------
    Setting("id_unique_share", 0.95, "A column whose values are at least this share unique looks like an ID."),
    # --- imbalance --------------------------------------------------------------------------
    Setting("imbalance_warning", 0.20, "Binary: rarest class share below this is imbalanced."),
    Setting("imbalance_strong", 0.10, "Binary: rarest class share below this is strongly imbalanced."),
    Setting("imbalance_severe", 0.02, "Binary: rarest class share below this is severely imbalanced."),
    Setting("imbalance_severe_rows", 50, "Binary: a rarest class with fewer rows than this is severely imbalanced."),
    Setting("multiclass_imbalance_warning", 0.5, "Multiclass: rarest share × number of classes below this is imbalanced."),
    Setting("multiclass_imbalance_strong", 0.2, "Multiclass: rarest share × classes below this is strongly imbalanced."),
    Setting("multiclass_imbalance_severe", 0.1, "Multiclass: rarest share × classes below this is severely imbalanced."),
    Setting("rows_per_class_per_fold", 30, "Fewer rows than this of a class in a test fold makes its scores shaky."),
    # --- labels ------------------------------------------------------------------------------
    Setting("conflicting_labels_warning", 0.01, "Share of rows identical but for the target, with different targets."),
    Setting("conflicting_labels_critical", 0.05, "Share of conflicting rows that makes the target unreliable."),
    # --- bias ---------------------------------------------------------------------------------
    Setting("group_gap_warning", 0.10, "Difference in positive-outcome rate between groups above this is a warning."),
    Setting("group_gap_critical", 0.20, "Difference in positive-outcome rate between groups above this is critical."),
    Setting("proxy_auc", 0.80, "A column that predicts a sensitive column with AUC at or above this is a proxy."),
    Setting("proxy_cramers_v", 0.50, "A column with Cramér's V at or above this with a sensitive column is a proxy."),
    Setting("min_group_rows", 30, "Groups smaller than this are too few to judge."),
    Setting("low_confidence_group_rows", 100, "Groups smaller than this are judged with a low-confidence note."),
    # --- personal data --------------------------------------------------------------------------
    Setting("pii_share", 0.30, "A column whose non-empty values match a personal-data pattern at least this often."),
    # --- quality ----------------------------------------------------------------------------------
    Setting("missing_warning", 0.05, "Share of empty values in a column above this is worth knowing."),
    Setting("missing_critical", 0.50, "Share of empty values above this makes a column weak."),
    Setting("missing_drop", 0.95, "Share of empty values above this: suggest dropping the column."),
    Setting("near_constant_share", 0.99, "A column whose most common value covers this share is nearly constant."),
    Setting("high_cardinality_distinct", 50, "Text with more distinct values than this ..."),
    Setting("high_cardinality_unique_share", 0.50, "... and more than this share unique is free text or an ID."),
    Setting("duplicates_warning", 0.01, "Share of exact duplicate rows above this is a warning."),
    Setting("mixed_types_low", 0.01, "A column where the rarer type (number vs text) is at least this share ..."),
    Setting("mixed_types_high", 0.10, "... and at most this share has mixed types."),
    Setting("outlier_robust_z", 3.5, "Values with robust z-score (median/MAD) above this are outliers."),
    # --- trial -------------------------------------------------------------------------------------
    Setting("holdout_share", 0.20, "Share of rows kept aside, untouched, for the final check."),
    Setting("folds", 5, "Number of folds in each re-split."),
    Setting("repeats", 5, "Number of re-splits on small data (fewer are used on big data)."),
    Setting("seed", 42, "Random seed: the same seed gives the same numbers."),
    Setting("practical_difference", 0.01, "Differences smaller than this (1 point) are 'practically the same'."),
    Setting("alpha_strong", 0.01, "p below this: 'very unlikely to be luck'."),
    Setting("alpha", 0.05, "p below this: 'unlikely to be luck'."),
    # --- after training: fairness, calibration, robustness ----------------------------------------
    Setting("parity_warning", 0.10, "Demographic parity difference above this is a warning."),
    Setting("parity_critical", 0.20, "Demographic parity difference above this is critical."),
    Setting("four_fifths_ratio", 0.80, "Selection-rate ratio below this fails the four-fifths screening rule."),
    Setting("equalized_odds_warning", 0.10, "Equalized odds difference above this is a warning."),
    Setting("group_drop_warning", 0.10, "A group's score dropping more than this share below overall is a warning."),
    Setting("ece_warning", 0.05, "Expected calibration error above this: probabilities are somewhat off."),
    Setting("ece_critical", 0.10, "Expected calibration error above this: probabilities are clearly off."),
    Setting("robust_flip_warning", 0.05, "More than this share of predictions flipping under small noise is a warning."),
    Setting("robust_flip_critical", 0.10, "More than this share flipping under small noise is critical."),
    # --- drift --------------------------------------------------------------------------------------
    Setting("psi_warning", 0.10, "Population stability index above this: the column has shifted."),
    Setting("psi_critical", 0.25, "Population stability index above this: the column has shifted a lot."),
    Setting("wasserstein_warning", 0.10, "Wasserstein distance ÷ reference std above this: shifted."),
    Setting("js_warning", 0.10, "Jensen–Shannon distance above this: categories have shifted."),
    Setting("drift_share_warning", 0.30, "Share of drifted columns (weighted by importance) above this."),
    Setting("domain_auc_warning", 0.65, "A classifier telling old from new rows with AUC above this: data changed."),
    Setting("domain_auc_critical", 0.75, "AUC above this: retrain before trusting scores."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def setting(name: str) -> Setting:
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown setting {name!r}") from None


def get(name: str) -> Any:
    """The value in force: environment ``FAIRTRIAL_<NAME>`` first, then the default."""
    s = setting(name)
    raw = os.environ.get(f"FAIRTRIAL_{name.upper()}")
    if raw is None or raw.strip() == "":
        return s.default
    kind = type(s.default)
    try:
        return kind(raw)
    except ValueError:
        return s.default


def help_text(name: str) -> str:
    return setting(name).help


def default_db_path() -> Path:
    """``--db`` beats ``FAIRTRIAL_DB`` beats ``~/.fairtrial/fairtrial.duckdb``."""
    env = os.environ.get("FAIRTRIAL_DB")
    if env:
        return Path(env).expanduser()
    return Path.home() / ".fairtrial" / "fairtrial.duckdb"


def samples_dir() -> Path:
    """Where the sample datasets live: ``FAIRTRIAL_SAMPLES`` or the repo's ``sample_data/``."""
    env = os.environ.get("FAIRTRIAL_SAMPLES")
    if env:
        return Path(env).expanduser()
    return Path(__file__).resolve().parents[2] / "sample_data"
