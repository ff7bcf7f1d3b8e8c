"""The words of the fairness results: every sentence is a module-level template.

``groups.py`` computes the numbers; this module turns them into sentences a shop owner or a
teacher can read aloud. Tests assert these sentences exactly, so change a template here and
the tests tell you where it shows. Rules the sentences follow:

- a rate is a whole percentage ("41%"), a gap is in points ("17 points"), a ratio has two
  decimals ("0.71");
- group names are written as they are in the column; number bands read "people aged 25–34"
  (ages) or "those with income 20,000–29,999" (other numbers);
- "demographic parity" is never said without "the share of people it approves" (or
  "... it predicts 'X' for") right before it;
- the four-fifths rule is a screening line, never a legal finding.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

# --- how a group is named in a sentence ---------------------------------------------------------
MISSING_GROUP = "(empty)"  # rows with no value in the column; the checks and charts name them the same
WHO_MISSING = "rows with no {column}"
WHO_AGE_BAND = "people aged {band}"
WHO_NUMBER_BAND = "those with {column} {band}"

# --- what "selected" means for this target ------------------------------------------------------
# Positive labels that read as a yes/approval: the model "approves" people.
APPROVING_WORDS = frozenset({
    "yes", "y", "approved", "approve", "accepted", "accept", "granted", "grant", "hired", "hire",
    "admitted", "admit", "ja", "oui", "si", "sí",
})
# A plain yes-like label ("yes", "1", "true") says nothing by itself: the target's name does ("survived",
# "callback", "churned"), unless that name is itself about approval ("approved", "loan_granted").
YES_WORDS = frozenset({"yes", "y", "true", "t", "1", "ja", "oui", "si", "sí"})
APPROVING_TARGET = ("approv", "accept", "grant", "hire", "admit")
VERB_APPROVES = "approves"
VERB_PREDICTS = "predicts '{positive}' for"
VERB_WRONGLY = "wrongly {verb}"

RECIPE = "Recipe {letter}"
RECIPE_LABELLED = "Recipe {letter} ({label})"
SENTENCE_FOR_RECIPE = "{recipe}: {sentence}"

# --- what was compared (multiclass and numbers only; binary needs no explanation) ----------------
METHOD_MULTICLASS = (
    "With several classes there is no single 'yes', so FairTrial compares how often each {column} group gets "
    "the most common prediction ('{cls}') and how often the model is right for each group."
)
METHOD_NUMERIC = (
    "For a number, FairTrial compares how far off the guesses are for each {column} group "
    "(the average error: lower is better)."
)

# --- share selected (demographic parity, four-fifths) ---------------------------------------------
SELECTION_EVEN = "It {verb} a similar share of each group ({low_rate} to {high_rate})."
SELECTION_SAME = "It {verb} about the same share of each group ({high_rate})."
SELECTION_GAP = "For {low} the model {verb} {low_rate} vs {high_rate} for {high} (ratio {ratio})."
FOUR_FIFTHS = (
    "For {low} the model {verb} {low_rate} vs {high_rate} for {high} (ratio {ratio}, below the common {line} "
    "screening line — this is a warning sign, not a legal finding)."
)
COULD_BE_LUCK = " With groups this small, this gap could be luck."
COULD_BE_LUCK_LARGE = " This gap could still be luck (its likely range reaches 0 points)."
SELECTION_NOBODY = (
    "It {verb} no one in any group (0 of {rows} rows), so there is no gap between groups and no ratio to compare."
)
SHARE_PHRASE = "the share of people it {verb}"
DEMOGRAPHIC_PARITY = (
    "{Share} differs by {gap} between groups: {high_rate} for {high} vs {low_rate} for {low} "
    "({likely}). This gap is called the demographic parity difference; "
    "above {warning} is worth a look, above {critical} is serious."
)
DEMOGRAPHIC_PARITY_TITLE = "{recipe} {verb} some {column} groups more often than others"
DEMOGRAPHIC_PARITY_SUGGESTION = (
    "Check whether the difference comes from things that really matter for the decision. Columns that stand in "
    "for '{column}' (a postcode, for example) can carry it even when '{column}' is left out."
)
FOUR_FIFTHS_TITLE = "{recipe} fails the four-fifths screening rule for {column}"
FOUR_FIFTHS_SUGGESTION = (
    "Treat this as a reason to look closer, not as proof: compare it with the gap in the data itself and ask "
    "someone who knows the rules that apply to your decisions."
)

# --- mistakes (equalized odds, per-group performance) ----------------------------------------------
MISTAKES_EVEN = "Its mistakes are spread evenly."
ERRORS_EVEN = "Its errors are spread evenly."
MISTAKES_UNEVEN = "Its mistakes are not spread evenly: {part}."
EO_TPR_PART = "among people whose true answer is '{positive}', it {verb} {high_rate} of {high} but {low_rate} of {low}"
EO_FPR_PART = (
    "among people whose true answer is not '{positive}', it {wrongly} {high_rate} of {high} but {low_rate} of {low}"
)
EQUALIZED_ODDS = (
    "Its mistakes are not spread evenly: {parts}. The larger gap, {gap} ({likely}), is called the equalized odds "
    "difference; above {warning} is worth a look."
)
EQUALIZED_ODDS_TITLE = "{recipe} makes different kinds of mistakes for different {column} groups"
EQUALIZED_ODDS_SUGGESTION = (
    "Look at whom the wrong answers hit. More rows for the groups it gets wrong, or the other recipe, can help."
)
MORE_MISTAKES = "It makes more mistakes for {who} (accuracy {group_rate} vs {overall_rate} overall)."
MORE_MISTAKES_MANY = "It makes more mistakes for {whos} than overall (accuracy {overall_rate})."
MORE_MISTAKES_ITEM = "{who} (accuracy {group_rate})"
FURTHER_OFF = "Its guesses are further off for {who} (off by {group_error} on average vs {overall_error} overall)."
FURTHER_OFF_MANY = "Its guesses are further off for {whos} than overall (off by {overall_error} on average)."
FURTHER_OFF_ITEM = "{who} (off by {group_error})"
GROUP_PERFORMANCE_TITLE = "{recipe} serves some {column} groups worse"
GROUP_PERFORMANCE_DETAIL = (
    " Groups are flagged when they do more than {drop} worse than overall and the difference is unlikely to be "
    "luck (checked across all groups at once)."
)
GROUP_PERFORMANCE_SUGGESTION = (
    "More rows for these groups, or a recipe that does better for them, can help. Do not use the model for them "
    "without checking its answers."
)

# --- one check's findings for A and B, read as one (``group_findings.pair_findings``) -----------------
# The explanation is said once, then each recipe's numbers: "Recipe A (...): 64% for ... (likely ...)."
BOTH_RECIPES = "Both recipes"
PAIR_NUMBERS = "{recipe}: {numbers}."
LUCK_SMALL_INLINE = "; with groups this small, this gap could be luck"
LUCK_LARGE_INLINE = "; this gap could still be luck (its likely range reaches 0 points)"
DEMOGRAPHIC_PARITY_EXPLAINED = (
    "The gap in {share}, between the highest and the lowest {column} group, is called the demographic parity "
    "difference; above {warning} is worth a look, above {critical} is serious."
)
DEMOGRAPHIC_PARITY_NUMBERS = "{high_rate} for {high} vs {low_rate} for {low}, a gap of {gap} ({likely}){luck}"
DEMOGRAPHIC_PARITY_TITLE_BOTH = "Both recipes {verb} some {column} groups more often than others"
SHARE_PHRASE_EITHER = "the share of people a recipe {verb}"
FOUR_FIFTHS_EXPLAINED = (
    "The four-fifths rule divides {share} in the lowest {column} group by that in the highest; a ratio below {line} "
    "is a common screening line — a warning sign, not a legal finding."
)
FOUR_FIFTHS_NUMBERS = "it {verb} {low_rate} of {low} vs {high_rate} of {high} (ratio {ratio}){luck}"
FOUR_FIFTHS_TITLE_BOTH = "Both recipes fail the four-fifths screening rule for {column}"
EQUALIZED_ODDS_EXPLAINED = (
    "The equalized odds difference is the larger of two gaps between the {column} groups: in the real cases found "
    "and in the false alarms; above {warning} is worth a look."
)
EQUALIZED_ODDS_NUMBERS = "{parts}; the larger gap is {gap} ({likely}){luck}"
EQUALIZED_ODDS_TITLE_BOTH = "Both recipes make different kinds of mistakes for different {column} groups"
GROUP_PERFORMANCE_EXPLAINED = (
    "A group is flagged when a recipe does more than {drop} worse for it than overall and the difference is "
    "unlikely to be luck (checked across all groups at once)."
)
GROUP_PERFORMANCE_TITLE_BOTH = "Both recipes serve some {column} groups worse"

# --- group sizes -----------------------------------------------------------------------------------
NOTE_TOO_FEW = "too few to judge ({rows} rows)"
NOTE_LOW = "low confidence ({rows} rows)"
TOO_FEW_ONE = "The group '{group}' is too small to judge ({rows} rows; at least {minimum} are needed)."
TOO_FEW_MANY = "The groups {items} are too small to judge (at least {minimum} rows are needed)."
LOW_ONE = "The group '{group}' has only {rows} rows, so its results are less certain."
LOW_MANY = "The groups {items} are small, so their results are less certain."
SIZE_ITEM = "'{group}' ({rows} rows)"
NONE_JUDGED = "No {column} group is large enough to judge (each needs at least {minimum} rows)."
ONE_JUDGED = "Only one {column} group ('{group}') is large enough to judge, so FairTrial cannot compare groups."
GROUP_SIZE_TITLE = "Some {column} groups are small"
GROUP_SIZE_SUGGESTION = (
    "Collect more rows for these groups, or combine small groups where that makes sense, before drawing "
    "conclusions about them."
)

# --- comparing recipe A and B --------------------------------------------------------------------------
COMPARE_FAIRER = "{recipe} is {accuracy} {conj} treats the {count} {column} groups {evenness}."
COMPARE_SAME_EVENNESS = "Both recipes treat the {count} {column} groups about as evenly; {rest}."
COMPARE_SAME_UNEVENNESS = (
    "Both recipes show about the same largest gap between the {count} {column} groups ({gap_a} for A, {gap_b} for "
    "B), yet neither treats them evenly: {uneven}; {rest}."
)
COMPARE_SAME_GAP_ONE_UNEVEN = (
    "Both recipes show about the same largest gap between the {count} {column} groups ({gap_a} for A, {gap_b} for "
    "B), but {uneven}; {rest}."
)
COMPARE_STILL_UNEVEN = " It still {reasons} (see below)."
COMPARE_FAIRER_UNSETTLED = ("{recipe} treats the {count} {column} groups {evenness}; neither recipe is clearly more "
                            "accurate (see the verdict).")
GAP_NUMBER = "{share} of the average error"
UNEVEN_ARM = "{recipe} {reasons}"
UNEVEN_EACH = "each recipe {reasons}"
UNEVEN_SELECTION = "{verb} some groups more often"
UNEVEN_MISTAKES = "makes different kinds of mistakes for different groups"
UNEVEN_WORSE = "serves some groups worse"
COMPARE_REST_ACCURACY = "{recipe} is {accuracy}"
COMPARE_REST_SAME = "they are about as accurate"
COMPARE_REST_UNSETTLED = "neither is clearly more accurate (see the verdict)"
ABOUT_AS_ACCURATE = "about as accurate"
POINTS_MORE_ACCURATE = "{points} more accurate"
POINTS_LESS_ACCURATE = "{points} less accurate"
POINTS_HIGHER_BALANCED = "{points} higher in balanced accuracy"
POINTS_LOWER_BALANCED = "{points} lower in balanced accuracy"
NUMBER_MORE_ACCURATE = "more accurate (off by {amount} less on average)"
NUMBER_LESS_ACCURATE = "less accurate (off by {amount} more on average)"
FAR_MORE_EVENLY = "far more evenly"
MORE_EVENLY = "more evenly"

_COUNT_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten"}


# --- number formatting -------------------------------------------------------------------------------
def pct(value: float) -> str:
    """0.414 -> '41%'. Halves round up, so the sentence matches a hand calculation."""
    return f"{math.floor(value * 100 + 0.5 + 1e-9):.0f}%"


def rate(value: float) -> str:
    """Like ``pct``, with one decimal under 1% so a few selected never reads as 0%: 0.003 -> '0.3%'."""
    if 0 < value < 0.0095:
        return f"{math.floor(value * 1000 + 0.5 + 1e-9) / 10:.1f}%"
    return pct(value)


def point_count(value: float) -> str:
    """0.17 -> '17' (a gap in percentage points, without the word)."""
    return str(int(math.floor(abs(value) * 100 + 0.5 + 1e-9)))


LIKELY_RANGE = "likely between {low} and {high} points"
LIKELY_ONE = "likely {high}"


def likely(low: float, high: float) -> str:
    """A bootstrap interval of a gap: 'likely between 9 and 25 points' ('likely 68 points' when it is one value)."""
    if point_count(low) == point_count(high):
        return LIKELY_ONE.format(high=points(high))
    return LIKELY_RANGE.format(low=point_count(low), high=point_count(high))


def points(value: float) -> str:
    """0.17 -> '17 points', 0.01 -> '1 point'."""
    n = point_count(value)
    return f"{n} point" if n == "1" else f"{n} points"


def ratio(value: float) -> str:
    return f"{value:.2f}"


def number(value: float) -> str:
    """A plain amount: 12345.6 -> '12,346', 30.0 -> '30', 12.34 -> '12.3', 3.456 -> '3.46'."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return np.format_float_positional(float(f"{value:.3g}"), trim="-")


def count_word(n: int) -> str:
    return _COUNT_WORDS.get(n, str(n))


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def join_and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# --- names -----------------------------------------------------------------------------------------------
def recipe_name(arm: str, labels: dict[str, str] | None = None) -> str:
    letter = arm.upper() if len(arm) == 1 else arm
    label = (labels or {}).get(arm)
    return RECIPE_LABELLED.format(letter=letter, label=label) if label else RECIPE.format(letter=letter)


def who(group: str, column: str, banding: str) -> str:
    """How a group is named in a sentence. ``banding``: '' (values as they are), 'age' or 'number'."""
    if group == MISSING_GROUP:
        return WHO_MISSING.format(column=column)
    if banding == "age":
        return WHO_AGE_BAND.format(band=group)
    if banding == "number":
        return WHO_NUMBER_BAND.format(column=column, band=group)
    return group


def plural_verb(verb: str) -> str:
    """The verb for two recipes: 'approves' -> 'approve', "predicts 'X' for" -> "predict 'X' for"."""
    first, _, rest = verb.partition(" ")
    first = {"approves": "approve", "predicts": "predict"}.get(first, first)
    return f"{first} {rest}" if rest else first


def selection_verb(positive: Any, target: str | None = None) -> str:
    """'approves' for an approval label, otherwise "predicts 'churned' for".

    A yes-like label takes its meaning from the target's name when it is known: 'yes' in
    'survived' reads "predicts 'survived' for", 'yes' in 'loan_approved' reads 'approves'.
    Without a target name a 'yes' reads as approval (the words of APPROVING_WORDS)."""
    label = str(positive).strip().lower()
    if target and label in YES_WORDS:
        name = str(target).strip()
        if any(word in name.lower() for word in APPROVING_TARGET):
            return VERB_APPROVES
        return VERB_PREDICTS.format(positive=name)
    if label in APPROVING_WORDS:
        return VERB_APPROVES
    return VERB_PREDICTS.format(positive=positive)


# --- proxies: columns that stand in for a sensitive column -----------------------------------------
PROXY_AUC_STRONG = (
    "'{column}' alone tells the '{sensitive}' groups apart well (AUC {score}: 0.5 is guessing, 1.0 is perfect), so "
    "leaving '{sensitive}' out does not stop a model from using it through '{column}'."
)
PROXY_AUC_SOME = (
    "'{column}' says something about the '{sensitive}' group (AUC {score}: 0.5 is guessing, 1.0 is perfect); a "
    "model can partly use it in place of '{sensitive}'."
)
PROXY_V_STRONG = (
    "'{column}' is closely tied to '{sensitive}' (Cramér's V {score}: 0 is unrelated, 1 is the same information), so "
    "leaving '{sensitive}' out does not stop a model from using it through '{column}'."
)
PROXY_V_SOME = (
    "'{column}' is partly tied to '{sensitive}' (Cramér's V {score}: 0 is unrelated, 1 is the same information); a "
    "model can partly use it in place of '{sensitive}'."
)
