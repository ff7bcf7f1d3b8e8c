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
    Setting("max_cell_chars", 32_767,
            "Longest text FairTrial reads in one cell (or column name), in characters; Excel's own limit."),
    Setting("max_workbook_unpacked_mb", 1_000,
            "Largest size an Excel workbook may unpack to, in megabytes, checked before it is read: an .xlsx is a zip "
            "of text files, and real workbooks unpack to 5 to 30 times their size on disk."),
    Setting("max_workbook_shared_strings_mb", 200,
            "Largest unpacked part of a workbook that holds its texts (xl/sharedStrings.xml), in megabytes; the "
            "reader keeps all of it in memory at once."),
    Setting("max_workbook_unpack_ratio", 200,
            "A workbook that unpacks to more than 64 MB and to more than this many times its size on disk is refused "
            "as a zip bomb (real workbooks unpack 5 to 30 times)."),
    Setting("number_too_large", 1e38,
            "A number this large or larger (either sign) is read as an empty cell with a note, like 'inf': tree "
            "recipes work in single precision, whose largest number is about 3.4e38, so larger ones break training."),
    Setting("header_unseen_value_chance", 0.05,
            "A first row of numbers is still read as column names when a column of repeating categories has, in that "
            "row, a value seen nowhere below, and the Good-Turing chance of a new value there (the share of cells "
            "whose value is seen only once) is below this."),
    Setting("db_lock_wait_seconds", 30.0,
            "How long to wait for another FairTrial window or command that is writing to the database."),
    # --- leakage ---------------------------------------------------------------------------
    Setting("leakage_auc_warning", 0.90,
            "A single column that predicts the target with AUC at or above this (Gini 0.80) is strong enough to ask "
            "about: a warning when the other columns together do clearly worse, never an exclusion on its own. "
            "Reference: DataRobot calls Gini 0.85 (AUC 0.925) a moderate leakage risk; FairTrial asks a little earlier "
            "because asking costs nothing."),
    Setting("leakage_auc_critical", 0.975,
            "A single column that predicts the target with AUC at or above this (Gini 0.95) is near-perfect on its own: "
            "almost certainly recorded after the outcome; it is excluded (the user can switch it back on). With more "
            "than two answers: for every answer against the rest, or for one answer together with an outcome-like name "
            "or a placeholder pattern. Reference: DataRobot's high leakage risk starts at Gini 0.975 (AUC 0.9875); "
            "FairTrial's line is a little lower because the known leak 'share' in the AER CreditCard table scores "
            "AUC 0.986."),
    Setting("leakage_r2_warning", 0.80,
            "For number targets: a single column with R² at or above this is strong enough to ask about (a warning "
            "when the other columns together do clearly worse)."),
    Setting("leakage_r2_critical", 0.95,
            "For number targets: a single column with R² at or above this (correlation about 0.975) is near-perfect on "
            "its own and is excluded."),
    Setting("leakage_placeholder_share", 0.99,
            "A column that holds one value, or nothing, on at least this share of the rows of some answers and real "
            "values for the others looks like a field filled in only once the outcome is known; together with a "
            "strong score (AUC at the warning line; with more than two answers that answer's AUC at the critical "
            "line) it is excluded."),
    Setting("leakage_placeholder_min_rows", 30,
            "Fewest rows holding the placeholder value before that pattern counts as evidence of leakage."),
    Setting("leakage_tree_depth", 4, "Depth of the small tree that tests one column at a time."),
    Setting("leakage_sample_rows", 20_000, "Rows sampled for the one-column leakage test on big files."),
    Setting("full_model_sample_rows", 10_000,
            "Rows sampled for the quick all-columns model the leakage test compares a strong column with."),
    Setting("check_folds", 3, "Folds for the quick out-of-fold models inside the data checks (leakage, proxies)."),
    Setting("leakage_target_name_chars", 4,
            "A strong column (at or above the warning line) whose name contains the target's name ('nfatal', "
            "'fatal_night' for 'fatal'; 'price_per_sqft' for 'price') may be a part or a recount of the answer: a "
            "warning to check, whatever the other columns reach. Target names shorter than this many letters "
            "('y', 'age') are too common inside other words to count."),
    Setting("leakage_alone_error_ratio", 0.5,
            "A strong column below the critical line 'stands alone' when it makes fewer than this share of the "
            "mistakes all the other columns make together: then it is a warning to check when the value is known, "
            "otherwise a strong, ordinary signal (info). Standing alone never excludes a column."),
    Setting("missingness_nmi_warning", 0.10,
            "Normalised mutual information between 'is empty' and the target at or above this is suspicious."),
    Setting("target_copy_corr", 0.99, "abs(Spearman) at or above this: the column is a copy of a number target."),
    Setting("target_copy_cramers_v", 0.95, "Cramér's V at or above this: the column is a copy of the target."),
    # --- ids, names -----------------------------------------------------------------------
    Setting("id_unique_share", 0.95, "A column whose values are at least this share unique looks like an ID."),
    Setting("shared_id_min_ids", 20,
            "A column named like an ID (or short codes with digits) whose values repeat is a shared ID (rows of one "
            "customer, one job advert) when it has at least this many different values ..."),
    Setting("shared_id_max_rows", 30,
            "... and at most this many rows per value on average (a person over 7 years, a household's shopping "
            "trips); FairTrial then keeps rows of one ID on one side of every split."),
    Setting("shared_code_max_rows", 10,
            "Short codes with digits but no ID-like name ('J-1023') count as a shared ID only with at most this many "
            "rows per code on average; a code on dozens of rows each ('shop_017') is an ordinary category."),
    Setting("panel_min_units", 7,
            "A repeating column is the unit of a panel (firms or states, each on one row a year) when it has at least "
            "this many different values: 5 grouped folds plus a held-out part need 7 groups ..."),
    Setting("panel_balance", 0.5,
            "... each value on nearly the same number of rows (the fewest at least this share of the most), and a "
            "column named like a time ('year', 'month') or of dates gives each unit at most one row a time. Rows of "
            "one unit are related, so FairTrial keeps them on one side of every split."),
    Setting("id_signal_auc", 0.70,
            "An ID column predicting the target with AUC at or above this gets a note: rows were numbered in an "
            "order linked to the outcome."),
    Setting("id_signal_r2", 0.25, "For number targets: the same note for an ID column with R² at or above this."),
    # --- the target ------------------------------------------------------------------------
    Setting("count_target_min_values", 5,
            "A target of whole numbers from 0 with at least this many different values, where 0 is the most common "
            "and rows thin out as the number rises (doctor visits, claims, complaints), is a count: FairTrial "
            "predicts the number instead of treating each count as its own group ..."),
    Setting("count_target_trend", -0.7,
            "... 'thin out' means the rank correlation between a value and its number of rows is at or below this."),
    # --- imbalance --------------------------------------------------------------------------
    Setting("imbalance_warning", 0.20, "Binary: rarest class share below this is imbalanced."),
    Setting("imbalance_strong", 0.10, "Binary: rarest class share below this is strongly imbalanced."),
    Setting("imbalance_severe", 0.02, "Binary: rarest class share below this is severely imbalanced."),
    Setting("imbalance_severe_rows", 50, "Binary: a rarest class with fewer rows than this is severely imbalanced."),
    Setting("multiclass_imbalance_warning", 0.5, "Multiclass: rarest share × number of classes below this is imbalanced."),
    Setting("multiclass_imbalance_strong", 0.2, "Multiclass: rarest share × classes below this is strongly imbalanced."),
    Setting("multiclass_imbalance_severe", 0.1, "Multiclass: rarest share × classes below this is severely imbalanced."),
    Setting("rows_per_class_per_fold", 30,
            "Fewer rows than this of a class in a test fold (after the holdout) makes its scores shaky: worth knowing."),
    Setting("rows_per_class_test_fold_warning", 5,
            "Fewer rows than this of a class in a test fold: the folds can say next to nothing about it (a warning)."),
    # --- labels ------------------------------------------------------------------------------
    Setting("conflicting_labels_warning", 0.01, "Share of rows identical but for the target, with different targets."),
    Setting("conflicting_labels_critical", 0.05, "Share of conflicting rows that makes the target unreliable."),
    # --- bias ---------------------------------------------------------------------------------
    Setting("group_gap_warning", 0.10, "Difference in positive-outcome rate between groups above this is a warning."),
    Setting("group_gap_critical", 0.20, "Difference in positive-outcome rate between groups above this is critical."),
    Setting("group_ratio_critical", 0.50,
            "An outcome rate in one group below this share of another group's (half or less), with 95% ranges that "
            "do not overlap, is critical. Below 'four_fifths_ratio' it is a warning: the ratio catches gaps in rare "
            "outcomes that are small in points."),
    Setting("proxy_auc", 0.80, "A column that predicts a sensitive column with AUC at or above this is a proxy."),
    Setting("proxy_cramers_v", 0.50, "A column with Cramér's V at or above this with a sensitive column is a proxy."),
    Setting("proxy_check_sample_rows", 5_000,
            "Rows sampled for the before-training proxy check (one small model per column and sensitive column)."),
    Setting("group_gap_std_warning", 0.20,
            "Number targets: a gap between group averages above this many standard deviations is a warning "
            "(a 'small' effect)."),
    Setting("group_gap_std_critical", 0.50,
            "Number targets: a gap between group averages above this many standard deviations is critical "
            "(a 'medium' effect)."),
    Setting("proxy_auc_some", 0.70, "A column that predicts a sensitive column with AUC at or above this says something about it."),
    Setting("proxy_cramers_v_some", 0.30, "A column with Cramér's V at or above this says something about a sensitive column."),
    Setting("proxy_sample_rows", 20_000, "Rows sampled for the one-column proxy test on big files."),
    Setting("age_plausible_share", 0.90,
            "A number column named like an age is a person's age in years when at least this share of its values "
            "lie in 0-110 (decimals for infants and a few typing errors still count)."),
    Setting("trait_values_share", 0.90,
            "A column whose values say marital status (married, divorced ...) or ethnic background (white, asian, "
            "hispanic ...) on at least this share of rows is proposed as sensitive."),
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
    Setting("duplicates_chance_pairs", 1.0,
            "Rows equal in every column are copies unless at least this many pairs of rows would agree in every "
            "column by chance (a table of few columns of few values and no ID): then they are different records "
            "and all stay."),
    Setting("duplicates_excess_ratio", 2.0,
            "Identical rows that are kept (see above) are a warning when at least this many times as many pairs of "
            "rows agree in every column as chance gives (columns taken as unrelated, which underestimates chance "
            "when they are related, hence a ratio and not a p-value alone) ..."),
    Setting("duplicates_excess_p", 0.001,
            "... and so many agreeing pairs are this unlikely by chance (Poisson upper tail): more look-alikes than "
            "chance gives, so some may be one record entered twice. FairTrial still keeps them and says so."),
    Setting("mixed_types_low", 0.01, "A column where the rarer type (number vs text) is at least this share ..."),
    Setting("mixed_types_high", 0.10, "... and at most this share has mixed types."),
    Setting("outlier_robust_z", 3.5, "Values with robust z-score (median/MAD) above this are outliers."),
    Setting("outlier_share_report", 0.001,
            "A column's outliers are reported when they are at least this share of its values (normal data has "
            "about 0.05% beyond 3.5)."),
    # --- trial -------------------------------------------------------------------------------------
    Setting("holdout_share", 0.20, "Share of rows kept aside, untouched, for the final check."),
    Setting("folds", 5, "Number of folds in each re-split."),
    Setting("max_training_rows", 200_000,
            "Above this many training rows (the rows outside the final check) a trial trains its folds and final "
            "models on a seeded random sample of this many (each answer keeps its share; whole groups in or out), "
            "and says so; the final check still uses its full random share of all rows. 0: no limit."),
    Setting("repeats", 5, "Number of re-splits on small data (fewer are used on big data)."),
    Setting("seed", 42, "Random seed: the same seed gives the same numbers."),
    Setting("practical_difference", 0.01,
            "Differences smaller than this (1 point; for number targets this share of the always-guess error) are "
            "'practically the same', and too small to matter at any number of rows (no 'rows needed' estimate)."),
    Setting("sample_size_power", 0.8,
            "When there is no clear winner, the rows needed are estimated so that a real difference of the size seen "
            "would show clearly (95% range excluding zero) this often: 0.8 means 8 times in 10."),
    Setting("alpha_strong", 0.01, "p below this: 'very unlikely to be luck'."),
    Setting("alpha", 0.05, "p below this: 'unlikely to be luck'."),
    Setting("rare_answer_ignored_ratio", 0.2,
            "A recipe that gives the rarer answers to fewer than this share of the rows that really have them "
            "(e.g. says 'yes' for under 1.6% of rows when 8% are 'yes') is said to (nearly) always predict one "
            "answer; the verdict then suggests 'Give rare answers more weight' instead of blaming the columns."),
    Setting("repeats_medium_rows", 20_000, "Up to this many rows the folds are re-split 'repeats' times ..."),
    Setting("repeats_large_rows", 50_000, "... up to this many rows 3 times ..."),
    Setting("repeats_huge_rows", 100_000, "... up to this many rows twice, and once above."),
    Setting("parallel_folds_rows", 10_000,
            "From this many training rows, the simple, tree and gradient boosting recipes train two folds at once, "
            "one thread each."),
    Setting("trial_time_warning_seconds", 60.0,
            "A trial expected to take longer than this, in seconds, is announced before it starts (with the "
            "expected time), so a big table does not keep the computer busy without a word."),
    Setting("estimate_sample_rows", 2_000,
            "Rows of the table on which each recipe is trained once to time it, before a trial: the expected time is "
            "that fit scaled up by rows (assumed in step with the rows) and by the number of fits the trial needs."),
    Setting("dask_scheduler", "",
            "Address of an existing Dask cluster's scheduler (e.g. tcp://host:8786, set with FAIRTRIAL_DASK_SCHEDULER): "
            "when set, every fit of recipes A and B is sent to that cluster's workers, and the training rows travel "
            "to them over the network. Empty (the default): everything runs on this computer."),
    Setting("dask_connect_seconds", 10.0,
            "How long to try to reach the Dask scheduler, and to wait for it to have a worker, before the trial "
            "stops with a message."),
    Setting("threads_min_rows", 20_000,
            "Below this many training rows every fit uses one thread: small fits gain nothing from two, and "
            "OpenMP threads stall badly when another program is busy on the same cores."),
    Setting("rare_category_share", 0.01,
            "Category values rarer than this share of the training rows are pooled into one 'rare' group."),
    Setting("max_category_levels", 30, "Most separate values a category column keeps; the rest are pooled."),
    Setting("max_text_words", 100, "Most words a free-text column contributes when a recipe asks for it."),
    Setting("bootstrap_rounds", 2000, "Resamples for bootstrap intervals and the paired holdout test."),
    Setting("value_inner_folds", 3,
            "Inner folds of each re-split's training rows used to choose the cut-off with the most value (money "
            "view); the test rows never take part."),
    Setting("too_good_score", 0.99,
            "A cross-validated score (accuracy, AUC, R² ...) at or above this is too good to be true for most "
            "data: check for leakage."),
    Setting("rerun_tolerance", 1e-9,
            "A re-run gives the same numbers when every score agrees within this relative difference (sums done "
            "in another order change the last digits only)."),
    Setting("too_good_confidence", 0.95,
            "A holdout score counts as too good only when the low end of its Wilson interval at this confidence "
            "reaches 'too_good_score': a perfect score on a few dozen rows is no evidence of leakage."),
    Setting("calibration_bins", 10, "Equal-count bins for the calibration error (ECE) and reliability curve."),
    Setting("calibration_min_bin_rows", 30, "Fewest rows in a calibration bin; fewer bins are used on small data."),
    Setting("importance_rows", 2000, "Holdout rows sampled for permutation importance (keeps it fast)."),
    Setting("importance_repeats", 3, "Times each column is shuffled for permutation importance."),
    Setting("importance_top", 10, "Columns shown in 'what mattered most'."),
    Setting("robust_rows", 2000, "Holdout rows sampled for the robustness check."),
    Setting("robust_noise_share", 0.05, "Robustness: noise added to each number column, as a share of its spread (std)."),
    Setting("robust_blank_share", 0.10, "Robustness: share of values blanked in the most important column."),
    Setting("robust_drop_warning", 0.02, "Robustness: a score drop of more than this (2 points) is a warning."),
    Setting("robust_few_changed", 5,
            "Robustness: a score drop that comes from fewer changed answers than this is said to be possibly chance "
            "(on a small holdout one changed answer of a rare class moves balanced accuracy by several points)."),
    # --- after training: fairness, calibration, robustness ----------------------------------------
    Setting("parity_warning", 0.10, "Demographic parity difference above this is a warning."),
    Setting("parity_critical", 0.20, "Demographic parity difference above this is critical."),
    Setting("four_fifths_ratio", 0.80, "Selection-rate ratio below this fails the four-fifths screening rule."),
    Setting("equalized_odds_warning", 0.10, "Equalized odds difference above this is a warning."),
    Setting("group_drop_warning", 0.10, "A group's score dropping more than this share below overall is a warning."),
    Setting("group_bootstrap_rounds", 1000, "Resamples for the intervals of gaps between groups."),
    Setting("group_fdr_q", 0.10,
            "False-discovery rate (Benjamini–Hochberg) when asking which groups the model serves worse."),
    Setting("ece_warning", 0.05, "Expected calibration error above this: probabilities are somewhat off."),
    Setting("ece_critical", 0.10, "Expected calibration error above this: probabilities are clearly off."),
    Setting("robust_flip_warning", 0.05, "More than this share of predictions flipping under small noise is a warning."),
    Setting("robust_flip_critical", 0.10, "More than this share flipping under small noise is critical."),
    # --- drift --------------------------------------------------------------------------------------
    Setting("psi_warning", 0.10,
            "Population stability index this far above what luck alone gives at these file sizes: the column has shifted."),
    Setting("psi_critical", 0.25,
            "Population stability index more than this above what luck alone gives: the column has shifted a lot."),
    Setting("wasserstein_warning", 0.10,
            "Wasserstein distance ÷ reference std this far above what luck alone gives: shifted."),
    Setting("js_warning", 0.10,
            "Jensen–Shannon distance this far beyond what luck alone gives (in the squared scale): categories have shifted."),
    Setting("drift_share_warning", 0.30, "Share of drifted columns (weighted by importance) above this."),
    Setting("domain_auc_warning", 0.65, "A classifier telling old from new rows with AUC above this: data changed."),
    Setting("domain_auc_critical", 0.75, "AUC above this: retrain before trusting scores."),
    Setting("drift_bins", 10, "Number bins (equal shares of the old rows) used for the stability index (PSI)."),
    Setting("drift_bin_floor", 0.0001, "Empty bins count as this share, so the stability index (PSI) stays finite."),
    Setting("drift_small_sample_rows", 1000,
            "With this many rows or fewer in either file, a shifted column is worded by its test (KS / chi-square) and is "
            "at most a warning, never 'shifted a lot'."),
    Setting("drift_fdr_q", 0.05,
            "A column counts as shifted only when its test (KS for numbers, chi-square for categories) stays below this "
            "after the Benjamini–Hochberg correction across the compared columns (and its effect clears the chance level)."),
    Setting("drift_chance_draws", 200,
            "Simulated no-change splits (both files drawn from the pooled shares) used to estimate how big the "
            "stability index, the Jensen–Shannon and the Wasserstein distance come out by luck alone at these file sizes."),
    Setting("drift_chance_quantile", 0.95,
            "A column's shift is measured beyond what luck alone stays below in this share of no-change splits "
            "of the same sizes (its chance level), and only that excess is compared with the thresholds."),
    Setting("drift_domain_alpha", 0.001,
            "The old-versus-new classifier's AUC only counts when a score this high would turn up by luck less often "
            "than this at the sample sizes it saw (one-sided, from the AUC's spread under no change)."),
    Setting("drift_domain_sample_rows", 10_000,
            "Rows sampled from each file for the old-versus-new classifier (keeps it fast on big files)."),
    Setting("drift_domain_min_rows", 30, "Fewest rows in each file for the old-versus-new classifier to be tried."),
    # --- classroom lessons (lessons.py): how strongly each "break it on purpose" lesson plants its problem ----
    Setting("lesson_seed", 42, "Seed of the classroom lessons: the same seed plants the same problem in the same rows."),
    Setting("lesson_leak_unrecorded_share", 0.01,
            "Leaky-column lesson: share of the 'yes' rows whose after-the-outcome record is still missing, so the "
            "planted column is an almost (not perfectly) exact give-away, as real leaks are."),
    Setting("lesson_keep_share", 0.06,
            "Rare-answer lesson: share of the rows of the dropped answer that are kept (6% of the refused loans "
            "leaves about 4 in 100 rows refused: 'strongly imbalanced')."),
    Setting("lesson_flip_share", 0.5,
            "Biased-labels lesson: share of one group's 'yes' answers turned into 'no' (half of the women's "
            "approvals: a gap of about 30 points instead of about 6)."),
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
