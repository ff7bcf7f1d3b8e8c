"""Plain words for every term FairTrial shows: one table, used by the app, the HTML and Excel.

Each term has an id, a plain name, what it means (one or two sentences a 14-year-old can
follow), which direction is better, and a small example. The trial scores (accuracy, R², ...)
are not written twice: their names, meanings and directions are read from
``scoring.METRICS``; only the examples are added here. ``term`` also knows the raw ids the
engine stores (``tpr``, ``fpr``, ``mean_error``, ``demographic_parity_difference``, ...) so a
screen or a report never has to show one.
"""

from __future__ import annotations

from dataclasses import dataclass

from .scoring import METRICS

__all__ = ["BETTER_CLOSER", "BETTER_CLOSER_TO_ONE", "BETTER_HIGHER", "BETTER_LOWER", "BETTER_LUCK",
           "BETTER_NEITHER", "TERMS", "Term", "term", "terms_for"]

BETTER_HIGHER = "Higher is better"
BETTER_LOWER = "Lower is better"
BETTER_CLOSER = "Neither: closer to 0 is fairer (the groups are treated more alike)"
BETTER_CLOSER_TO_ONE = "Neither: closer to 1 is fairer (the groups are treated more alike)"
BETTER_NEITHER = "Neither: it describes, it does not grade"
BETTER_LUCK = "Neither: lower means less likely to be luck"


@dataclass(frozen=True)
class Term:
    id: str
    name: str
    meaning: str
    better: str
    example: str
    aliases: tuple[str, ...] = ()

    @property
    def higher_is_better(self) -> bool | None:
        """True, False, or None when neither direction is better."""
        return {BETTER_HIGHER: True, BETTER_LOWER: False}.get(self.better)

    @property
    def help(self) -> str:
        """One line for a tooltip: what it means and which way is better."""
        return f"{self.meaning} {self.better}."


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


_METRIC_EXAMPLES = {
    "accuracy": "Right on 80 of 100 rows: accuracy 80%.",
    "balanced_accuracy": "Right on 95% of the 'no' rows but 40% of the rare 'yes' rows: balanced accuracy 67.5%.",
    "roc_auc": "0.80: pick one real 'yes' and one real 'no' at random, and 8 times in 10 the 'yes' gets the "
               "higher score.",
    "f1": "It flags 10 rows, 8 are real cases, and it finds 8 of the 16 real cases: F1 about 0.67.",
    "mae": "Guessing house prices, an MAE of 12,000 means the guesses are off by 12,000 on average.",
    "rmse": "Two misses of 10 and one of 40 give an RMSE of 24, more than their average of 20.",
    "r2": "R² of 0.6: it explains 6 in 10 parts of the ups and downs; 0 would be no better than the average.",
}
_METRIC_ALIASES = {"mae": ("mean_absolute_error",), "r2": ("r_squared",), "accuracy": ("overall_accuracy",)}

_METRIC_TERMS = tuple(
    Term(m.name, _sentence(m.label)[:-1] if m.label[:1].islower() else m.label, _sentence(m.meaning),
         BETTER_HIGHER if m.higher_is_better else BETTER_LOWER, _METRIC_EXAMPLES.get(m.name, ""),
         _METRIC_ALIASES.get(m.name, ()))
    for m in METRICS.values()
)

_H, _L, _C, _N = BETTER_HIGHER, BETTER_LOWER, BETTER_CLOSER, BETTER_NEITHER
_OWN_TERMS = (
    # --- how a trial is run
    Term("baseline", "Baseline (always guessing)",
         "A 'model' that ignores the other columns and always gives the most common answer (or the average "
         "number). A real recipe has to beat it to be worth anything.", _N,
         "If 90 of 100 emails are not spam, always saying 'not spam' is right 90% of the time.",
         ("always_guess", "dummy")),
    Term("resplit", "Re-split",
         "The rows are shuffled and cut into learning and testing parts again, and the trial is run again. "
         "Many re-splits show whether a lead holds up or was luck of one cut.", _N,
         "5 parts × 3 re-splits: each recipe is tested 15 times on rows it did not learn from.",
         ("repeat", "repeats", "re_split")),
    Term("fold", "Part (fold)",
         "One of the equal slices the rows are cut into. Each recipe learns on the other parts and is tested "
         "on this one, so every row is tested once.", _N,
         "With 5 parts, each test uses one fifth of the rows.", ("folds", "part")),
    Term("holdout", "Rows kept aside (holdout)",
         "Rows locked away before the trial starts and used only once at the end, for a last fair test no "
         "choice was tuned on.", _N, "20% kept aside: 200 of 1,000 rows wait for the final test.",
         ("rows_kept_aside",)),
    Term("seed", "Seed",
         "The starting number for the random shuffles. The same seed gives the same splits, so anyone can "
         "repeat the trial and get the same result.", _N, "Seed 42 run twice gives the same numbers twice."),
    Term("interval", "95% range",
         "The range the true value very likely lies in, given how much the result moved between re-splits "
         "and rows. A narrow range means the number is solid; a wide one means it is shaky.", _N,
         "Accuracy 81% (95%: 78% to 84%).", ("ci", "confidence_interval", "95_range")),
    Term("p_value", "Could be luck (p-value)",
         "How often a difference this big would show up by chance if the two recipes were really equally "
         "good. Small means it is unlikely to be luck.", BETTER_LUCK,
         "p = 0.01: a difference this big would happen by luck about 1 time in 100.", ("could_be_luck", "p")),
    Term("calibration_error", "Calibration error",
         "How far the predicted chances are from what really happens. When it says '70%', about 7 in 10 of "
         "those rows should really be 'yes'.", _L,
         "Rows given 70% turn out 'yes' only 5 times in 10: off by 20 points.", ("ece",)),
    Term("brier", "Brier score",
         "The average squared gap between the predicted chance and what happened (1 for yes, 0 for no). "
         "0 is perfect.", _L, "Saying 90% for a 'yes' costs (1 − 0.9)² = 0.01.", ("brier_score",)),
    Term("brier_skill", "Brier skill",
         "How much better the predicted chances are than always saying the overall rate: 0 is no better, "
         "1 is perfect.", _H, "0.25: a quarter of the way from just saying the overall rate to perfect."),
    Term("precision", "Precision",
         "Of the rows it flags as 'yes', the share that really are 'yes'. Low precision means many false "
         "alarms.", _H, "It flags 20 rows and 15 really are cases: precision 75%."),
    Term("recall", "Recall",
         "Of the rows that really are 'yes', the share it finds (the same as real cases found).", _H,
         "40 real cases, 30 found: recall 75%."),
    Term("cost", "Cost (time and size)",
         "The seconds a recipe needs to learn and to answer 1,000 new rows, and its saved model's size.", _L,
         "A learns in 0.1 s, B in 4 s.", ("fit_seconds", "predict_ms_per_1000", "model_bytes")),
    Term("log_loss", "Log loss",
         "How far the predicted chances were from what happened, punishing confident wrong answers hard.", _L,
         "Saying 99% 'no' for a row that was 'yes' costs far more than saying 60%."),
    # --- groups and fairness
    Term("selection_rate", "Selection rate (how often it says 'yes')",
         "The share of a group's rows that get the positive answer (approved, flagged, ...). It describes "
         "the group; it is only fair or unfair when compared with the other groups.", _N,
         "30 of 100 women approved: selection rate 30%, 3 in 10.", ("overall_selection_rate",)),
    Term("true_positive_rate", "Real cases found (true positive rate)",
         "Of the rows in a group that really are 'yes', the share the model finds.", _H,
         "40 real cases, 30 found: 75%, 3 in 4.", ("tpr",)),
    Term("false_positive_rate", "False alarms (false positive rate)",
         "Of the rows in a group that really are 'no', the share the model wrongly flags as 'yes'.", _L,
         "60 real 'no' rows, 6 flagged: 10%, 1 in 10.", ("fpr",)),
    Term("demographic_parity", "Gap in how often it says 'yes' (demographic parity)",
         "The highest minus the lowest selection rate across the groups. 0 means every group gets 'yes' "
         "equally often; a gap can still be fair if the groups really differ.", _C,
         "Men approved 40%, women 25%: a gap of 15 points.", ("demographic_parity_difference", "dp_gap")),
    Term("four_fifths", "Four-fifths rule",
         "The lowest selection rate divided by the highest. Below 0.80 (four fifths) is a warning sign worth "
         "a closer look; it is a rule of thumb, not a legal finding.", BETTER_CLOSER_TO_ONE,
         "25% ÷ 40% = 0.63, below 0.80.",
         ("demographic_parity_ratio", "selection_rate_ratio", "four_fifths_rule")),
    Term("equalized_odds", "Gap in mistakes (equalized odds)",
         "The bigger of two gaps between groups: in real cases found and in false alarms. 0 means the model "
         "makes the same kinds of mistakes for every group.", _C,
         "It finds 80% of real cases among men but 60% among women: a gap of 20 points.",
         ("equalized_odds_difference",)),
    Term("equal_opportunity", "Gap in real cases found (equal opportunity)",
         "The highest minus the lowest share of real cases found across the groups. 0 means every group's "
         "real cases are found equally often.", _C, "Found 80% for one group and 70% for another: 10 points.",
         ("equal_opportunity_difference",)),
    Term("accuracy_gap", "Gap in accuracy between groups",
         "The highest minus the lowest accuracy across the groups. 0 means the model is right equally often "
         "for everyone.", _C, "Right 85% of the time for one group and 75% for another: 10 points."),
    Term("group_mean_error", "How far off it is (mean error)",
         "For a number target: how far off the guesses are on average for the rows of a group, in the "
         "target's units.", _L, "Off by 3 years on average for one group, 5 for another.",
         ("mean_error", "overall_mean_error")),
    Term("mean_error_gap", "Gap in how far off it is",
         "The highest minus the lowest average miss across the groups, in the target's units. 0 means the "
         "guesses are equally good for every group.", _C, "Off by 3 on average for one group, 5 for another: 2."),
    Term("mean_signed_error", "Leaning too high or too low",
         "The average of the guesses minus the truth. Above 0 means it guesses too high on average, below 0 "
         "too low; 0 means no lean.", "Neither: closer to 0 is better",
         "+2: guesses are 2 too high on average.", ("overall_mean_signed_error",)),
    Term("error_rate", "Error rate", "The share of rows where the guess was wrong.", _L,
         "Wrong on 15 of 100 rows: 15%."),
    Term("worst_relative_drop", "Worst drop for a group",
         "How far the worst group's score falls below the overall score, as a share of it.", _L,
         "Overall 80%, worst group 68%: a drop of 15%.", ("group_performance",)),
    Term("accuracy_drop", "Drop in accuracy for this group",
         "How much lower the group's accuracy is than the accuracy over all rows, as a share of it. Above 0 "
         "means the model serves this group worse.", _L, "Overall 80%, this group 72%: a drop of 10%."),
    Term("mean_error_rise", "Rise in how far off it is for this group",
         "How much bigger the group's average miss is than the average miss over all rows, as a share of it. "
         "Above 0 means the model serves this group worse.", _L,
         "Off by 10 on average overall, by 15 for this group: a rise of 50%."),
    Term("group_drop_p", "Could this group's worse result be luck (p-value)",
         "How often a drop in accuracy (or, for numbers, a rise in how far off it is) this big would show up by "
         "chance if the model really served this group as well as everyone else. Small means it is unlikely to "
         "be luck.", BETTER_LUCK,
         "0.02: a drop this big would happen by luck about 2 times in 100.",
         ("accuracy_drop_p", "mean_error_rise_p")),
    Term("group_gap", "Group gap",
         "Any difference between the best and the worst group on one measure. The 95% range says whether it "
         "is bigger than chance could make it.", _C, "A 12-point gap (95%: 4 to 20 points)."),
    Term("judged", "Enough rows to judge",
         "Whether a group has enough rows for FairTrial to draw conclusions about it. Smaller groups are shown "
         "but not judged, because a few rows can swing their numbers a lot.", _N,
         "A group of 12 rows is shown but not judged.", ("group_size",)),
    Term("proxy", "Stand-in column (proxy)",
         "A column that gives away a sensitive one, so a model can treat groups differently even when the "
         "sensitive column itself is left out.", _N, "Postcode can stand in for ethnicity in some cities."),
    Term("cramers_v", "Link strength (Cramér's V)",
         "How strongly two columns go together, from 0 (no link) to 1 (one tells you the other exactly).", _N,
         "0.6 between postcode and ethnicity: a strong link.", ("cramer_v",)),
    # --- data checks
    Term("leakage", "Leakage (a column that gives the answer away)",
         "A column that holds the answer, or is only known after the answer, so the model looks great in the "
         "trial and fails in real use.", _N, "A 'refund_paid' column when predicting whether a customer "
         "complains.", ("target_leakage", "missingness_leakage", "target_copy", "post_outcome_name")),
    Term("id_column", "ID column",
         "A column that names each row (customer number, order code). It carries no real pattern, so a model "
         "should not learn from it.", _N, "customer_id 10234, 10235, ...", ("id_like",)),
    Term("personal_data", "Personal data",
         "Columns that can identify a person, such as names, e-mails or phone numbers. FairTrial keeps them "
         "out of models and reports.", _N, "An 'email' column.", ("pii",)),
    Term("imbalance", "Imbalance (a rare answer)",
         "One answer is much rarer than the others, so a model can score well by ignoring it.", _N,
         "3 fraud rows in 100.", ("class_imbalance", "rare_class")),
    Term("balanced_weights", "Balanced weights",
         "Counting the rows of a rare answer more while learning, so the model pays the rare answer as much "
         "attention as the common one.", _N, "With 10 'yes' to 90 'no', each 'yes' counts 9 times.",
         ("class_weight",)),
    Term("cutoff", "Cut-off",
         "The chance above which the model says 'yes'. A lower cut-off finds more real cases but raises more "
         "false alarms.", _N, "Cut-off 0.5: a row with a 62% chance gets 'yes'.", ("threshold", "cut_off")),
    # --- new data
    Term("drift", "Drift (new data looks different)",
         "The new rows no longer look like the rows the model learned from, so its old scores may not hold.",
         _L, "Last year most customers were 30–40; this year most are 20–30."),
    Term("psi", "Shift size (PSI)",
         "How much a column's spread of values moved between old and new rows: below 0.1 is small, above 0.25 "
         "is large.", _L, "0.30 for 'age': a large shift.", ("population_stability_index",)),
    Term("jensen_shannon", "Difference in mix (Jensen–Shannon distance)",
         "How different the mix of values is in old and new rows, from 0 (the same) to 1 (nothing in common).",
         _L, "0.05: nearly the same mix.", ("js_distance", "jensen_shannon_distance")),
    Term("wasserstein", "How far the values moved (Wasserstein distance)",
         "How far, on average, the values would have to move to turn the old spread into the new one, in the "
         "column's own units.", _L, "3.2 for 'age': ages moved about 3 years.", ("wasserstein_distance",)),
    # --- explaining a model
    Term("permutation_importance", "Importance",
         "What mattered most: how much worse the model gets when one column's values are shuffled. Bigger "
         "means it leans on that column more.", _N,
         "Shuffling 'income' costs 8 points of accuracy.", ("importance",)),
    Term("robustness", "Robustness",
         "Whether the score holds up when the data is a little different: other splits, small noise, a few "
         "missing values.", _H, "Accuracy stays near 80% with 5% noise added: robust."),
    # --- models after the trial
    Term("model_file", "Model file",
         "The trained recipe saved to disk, signed so FairTrial can tell if someone changed it.", _N,
         "The model trained on March's data, saved to use on April's rows."),
    Term("promote", "Promote",
         "Make a saved model the one in use for new data.", _N, "Promote the B model after it won the trial."),
    Term("rollback", "Roll back",
         "Go back to the model that was in use before the last promotion.", _N,
         "The new model made odd guesses, so roll back to last month's.", ("roll_back",)),
)

TERMS: dict[str, Term] = {t.id: t for t in _METRIC_TERMS + _OWN_TERMS}
_BY_ALIAS: dict[str, Term] = {alias: t for t in TERMS.values() for alias in t.aliases}


def term(key: object) -> Term | None:
    """The glossary entry for an id or a raw engine id (``tpr``, ``mean_error``, ...), or None."""
    text = str(key or "").strip().lower()
    return TERMS.get(text) or _BY_ALIAS.get(text)


def terms_for(keys: object) -> list[Term]:
    """The entries for ``keys`` (ids or raw ids), each once, in the order first named; unknown keys skipped."""
    out: list[Term] = []
    for key in keys or ():
        found = term(key)
        if found is not None and found not in out:
            out.append(found)
    return out
