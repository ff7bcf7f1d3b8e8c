"""Trial results in plain sentences: the verdict, and one sentence per aspect.

Works on the JSON shape of ``TrialResult.to_dict()`` (without ``verdict``), so the same
words can be rebuilt from a stored trial. Wording follows shared/CHECKS.md:

- a winner is named only when the 95% range of the difference excludes zero; otherwise
  "no clear winner";
- "practically the same" when the whole range lies within ± ``practical_difference``
  (1 point; for numbers 1% of the always-guess error);
- "very unlikely to be luck" when p < ``alpha_strong``, "unlikely to be luck" when p < ``alpha``;
- "no better than always guessing ..." when a recipe does not beat the baseline;
- a warning when a score looks too good to be true (possible leakage) and when the
  holdout disagrees with the re-splits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import settings
from .sampling import sample_sentence

__all__ = ["Verdict", "build_verdict", "calibration_text", "decide_winner", "format_difference", "format_score",
           "format_score_pair", "lead_from_left_out", "lead_words", "raises_rare_chances", "too_good_sentence",
           "too_good_text", "without_sentence"]


@dataclass(frozen=True)
class Verdict:
    """``winner`` is ``a``, ``b`` or ``none``; ``text`` the headline; ``sentences`` everything, in order.

    ``tone`` says how the headline may be shown: ``success`` only when a winner is named and it
    also clearly beats always guessing (and no leakage or holdout warning stands beside it);
    ``caution`` when a winner or the whole trial comes with a "but" (the winner is not clearly
    better than guessing, neither recipe is, a too-good score, the holdout disagrees);
    ``neutral`` otherwise (no clear winner, both recipes useful)."""

    winner: str
    text: str
    sentences: tuple[str, ...]
    parts: dict[str, str] = field(default_factory=dict)
    tone: str = "neutral"

    def to_dict(self) -> dict[str, Any]:
        return {"winner": self.winner, "text": self.text, "sentences": list(self.sentences),
                "parts": dict(self.parts), "tone": self.tone}


# --- numbers in words -------------------------------------------------------------------------
def _sig(x: float, digits: int = 3) -> str:
    if x == 0:
        return "0"
    magnitude = abs(x)
    if magnitude >= 1000:
        return f"{x:,.0f}"
    if magnitude >= 100:
        return f"{x:.0f}"
    if magnitude >= 10:
        return f"{x:.1f}"
    if magnitude >= 1:
        return f"{x:.2f}"
    return np.format_float_positional(float(f"{x:.{digits}g}"), trim="-")  # 0.0000123, never 1.23e-05


def format_score(value: float | None, metric: str) -> str:
    """A score as people read it: 87.3% for accuracy-like metrics, 0.91 for AUC and R², units for errors."""
    if value is None:
        return "n/a"
    if metric in ("accuracy", "balanced_accuracy", "f1"):
        return f"{value * 100:.1f}%"
    if metric in ("roc_auc", "r2"):
        return f"{value:.3f}"
    return _sig(value)


def format_score_pair(a: float | None, b: float | None, metric: str) -> tuple[str, str]:
    """Two scores shown side by side, with one more decimal where the rounded scores would differ by
    another amount than the verdict's rounded difference (73.1% and 70.6% beside '2.6 points' reads
    as a mistake; 73.14% and 70.58% does not)."""
    sa, sb = format_score(a, metric), format_score(b, metric)
    if a is None or b is None or metric not in ("accuracy", "balanced_accuracy", "f1"):
        return sa, sb
    shown = abs(float(sa.rstrip("%")) - float(sb.rstrip("%")))
    if abs(shown - float(format_difference(a - b, True).split()[0])) > 1e-6:
        return f"{a * 100:.2f}%", f"{b * 100:.2f}%"
    return sa, sb


def format_difference(value: float, points: bool) -> str:
    """A difference without its sign: '3.1 points' or, for errors, the number in the target's units."""
    if points:
        return f"{abs(value) * 100:.1f} point{'s' if round(abs(value) * 100, 1) != 1 else ''}"
    return _sig(abs(value))


def _range(low: float, high: float, points: bool) -> str:
    if points:
        return f"{low * 100:.1f} to {high * 100:.1f}"
    # Both ends with the same number of decimals, chosen by the larger end (0.09 to 6.55, not 0.0913 to 6.55).
    widest = max(abs(low), abs(high))
    if widest >= 100:
        return f"{low:,.0f} to {high:,.0f}"
    decimals = 1 if widest >= 10 else 2 if widest >= 1 else 3
    return f"{low:.{decimals}f} to {high:.{decimals}f}"


def _poss(label: str) -> str:
    """'Simple's', but 'Simple — balanced weights'' (no 's after an s)."""
    return f"{label}'" if label.endswith("s") else f"{label}'s"


def _two(x: float) -> str:
    """Two decimals without a negative zero: -0.004 -> '0.00', not '-0.00'."""
    text = f"{x:.2f}"
    return "0.00" if text == "-0.00" else text


def _times(ratio: float) -> str:
    return f"{ratio:.0f}" if ratio >= 10 else f"{ratio:.1f}"


def _seconds(s: float | None) -> str:
    if s is None:
        return "n/a"
    if s < 1:
        return f"{s * 1000:.0f} ms"
    if s < 120:
        return f"{s:.1f} s"
    return f"{s / 60:.1f} min"


def _size(n: int | None) -> str:
    if n is None:
        return "n/a"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{x * 100:.0f}%"


def _list(items: list[str]) -> str:
    quoted = [f"'{i}'" for i in items]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


# --- the decision -------------------------------------------------------------------------------
def decide_winner(difference: dict) -> str:
    """``b`` or ``a`` when the 95% range of B − A excludes zero (in the better direction), else ``none``."""
    low, high = difference.get("ci_low"), difference.get("ci_high")
    if low is None or high is None:
        return "none"
    higher = difference.get("higher_is_better", True)
    if low > 0:
        return "b" if higher else "a"
    if high < 0:
        return "a" if higher else "b"
    return "none"


def _practical(d: dict) -> float:
    share = settings.get("practical_difference")
    if d.get("metric_in_points", True):
        return share
    base = d.get("baseline", {}).get("mean")
    return share * abs(base) if base else 0.0


def _gain_range(diff: dict, winner: str, higher: bool) -> tuple[float, float, float]:
    """Mean and range of how much better ``winner`` is (positive = better), in metric units."""
    sign = 1.0 if higher else -1.0
    if winner == "a":
        sign = -sign
    mean, low, high = diff["mean"] * sign, diff["ci_low"] * sign, diff["ci_high"] * sign
    return mean, min(low, high), max(low, high)


def _luck(p: float | None) -> str:
    if p is not None and p < settings.get("alpha_strong"):
        return "very unlikely to be luck"
    if p is not None and p < settings.get("alpha"):
        return "unlikely to be luck"
    return "could still be luck"


def _guess_words(d: dict) -> str:
    guess = d.get("baseline_guess") or {}
    if guess.get("kind") == "typical":
        return f"always guessing the typical value of {_sig(guess['value'])}"
    return f"always guessing '{guess.get('value', 'the most common answer')}'"


# --- sentences ------------------------------------------------------------------------------------
def _comparison(d: dict, winner: str, beats_word: str = "beats") -> str:
    diff, points = d["difference"], d["metric_in_points"]
    higher = d["higher_is_better"]
    la, lb = d["a"]["label"], d["b"]["label"]
    label = d["metric_label"]
    splits = diff["splits"]
    practical = _practical(d)
    within = abs(diff["ci_low"]) <= practical and abs(diff["ci_high"]) <= practical
    if winner == "none":
        if within:
            return (f"There is no clear winner: {la} and {lb} are practically the same. The difference in "
                    f"{label} is {format_difference(diff['mean'], points)} (95% range "
                    f"{_range(diff['ci_low'], diff['ci_high'], points)}), too small to matter.")
        mean = diff["mean"]
        b_better = (mean > 0) == higher and mean != 0
        who, other = (lb, la) if b_better else (la, lb)
        wins = diff["b_wins"] if b_better else diff["a_wins"]
        direction = ("higher" if higher else "lower")
        # The range in the same direction as the sentence: how much better `who` is (negative = worse).
        _, low, high = _gain_range(diff, "b" if b_better else "a", higher)
        return (f"There is no clear winner: {who} scored {format_difference(mean, points)} {direction} "
                f"{label} than {other} on average, but the 95% range of its advantage "
                f"({_range(low, high, points)}) includes zero, so it could be luck. "
                f"{who} did better on {wins} of {splits} re-splits" + (
                    ": that sounds convincing, but the re-splits reuse the same rows, so their results rise and "
                    "fall together, and the 95% range allows for that." if splits and wins >= 0.8 * splits else "."))
    w, l_ = (la, lb) if winner == "a" else (lb, la)
    wins = diff["a_wins"] if winner == "a" else diff["b_wins"]
    gain, low, high = _gain_range(diff, winner, higher)
    if points:
        amount = f" by {format_difference(gain, True)} of {label} (95% range {_range(low, high, True)})"
    else:
        amount = (f": its guesses are off by {format_difference(gain, False)} less on average ({label}, "
                  f"95% range {_range(low, high, False)})")
    sentence = (f"{w} {beats_word} {l_}{amount}; it won {wins} of {splits} re-splits, so this is "
                f"{_luck(diff.get('p_value'))}.")
    if abs(gain) < practical:
        sentence += (" But the difference is small, under "
                     f"{format_difference(practical, points)}, so it may not matter in practice.")
    return sentence


def without_sentence(d: dict) -> str:
    """'B is the same recipe as A without the column 'sex' ...' when the two recipes differ only in
    the columns one of them leaves out (``Recipe.without``); '' otherwise."""
    opts = {r: dict((d.get(r) or {}).get("recipe_options") or {}) for r in ("a", "b")}
    left_out = {r: list(opts[r].pop("without", None) or []) for r in ("a", "b")}
    for r in ("a", "b"):
        opts[r].pop("label", None)
    if opts["a"] != opts["b"] or not opts["a"]:
        return ""
    for role, other in (("b", "a"), ("a", "b")):
        extra = [c for c in left_out[role] if c not in left_out[other]]
        if extra and not [c for c in left_out[other] if c not in left_out[role]]:
            cols = ", ".join(f"'{c}'" for c in extra)
            word = "the column" if len(extra) == 1 else "the columns"
            that = "that column" if len(extra) == 1 else "those columns"
            return (f"{role.upper()} is the same recipe as {other.upper()} without {word} {cols}: the same rows in "
                    f"every split, the same seed and the same settings, so any difference between them comes "
                    f"from {that} alone.")
    return ""


def lead_from_left_out(d: dict, winner: str) -> dict | None:
    """When ``winner`` is the recipe that uses columns the other leaves out (and nothing else
    differs), and those columns were kept out of the models by the checks (``leak``) or describe
    people (``people``): ``{"columns", "leak", "people"}``; None otherwise. Reads what
    ``workflow.leave_out`` recorded in the plan's ``defaults["left_out"]``."""
    if winner not in ("a", "b") or not without_sentence(d):
        return None
    other = "b" if winner == "a" else "a"
    mine = set((d[winner].get("recipe_options") or {}).get("without") or [])
    extra = [c for c in (d[other].get("recipe_options") or {}).get("without") or [] if c not in mine]
    record = ((d.get("plan") or {}).get("defaults") or {}).get("left_out") or {}
    leak = [c for c in extra if c in (record.get("kept_out") or [])]
    people = [c for c in extra if c in (record.get("people") or [])]
    if not leak and not people:
        return None
    return {"columns": extra, "leak": leak, "people": people}


def _names(cols: list[str]) -> str:
    quoted = [f"'{c}'" for c in cols]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def lead_words(lead: dict, role: str) -> str:
    """Why a lead that comes only from a leak or a column about people is not a reason to choose."""
    out = []
    if lead["leak"]:
        one = len(lead["leak"]) == 1
        out.append(f"The checks kept {_names(lead['leak'])} out of the models because {'it seems' if one else 'they seem'}"
                   f" to give the answer away: if {'it is' if one else 'they are'} only known after the outcome, "
                   f"{role.upper()}'s lead is not real and {'B' if role == 'a' else 'A'}'s score is the honest one.")
    if lead["people"]:
        one = len(lead["people"]) == 1
        out.append(f"{_names(lead['people'])} {'describes' if one else 'describe'} people: {role.upper()}'s lead comes "
                   f"from treating people differently by {'it' if one else 'them'}; look at the group results before "
                   "using it.")
    return " ".join(out)


def _cost_tail(d: dict, winner: str) -> str:
    loser = "b" if winner == "a" else "a"
    cw, cl = d["cost"][winner], d["cost"][loser]
    fw, fl = cw.get("fit_seconds"), cl.get("fit_seconds")
    ms = cw.get("predict_ms_per_1000")
    speed = ""
    if fw and fl and fl > 0:
        ratio = fw / fl
        if ratio >= 1.5:
            speed = f"It is {_times(ratio)} times slower to train"
        elif ratio <= 1 / 1.5:
            speed = f"It is also {_times(1 / ratio)} times faster to train"
        else:
            speed = "It takes about as long to train"
    predict = f"predicts 1,000 rows in {_seconds(ms / 1000 if ms is not None else None)}"
    return f"{speed} and {predict}." if speed else f"It {predict}."


def _is_baseline(arm: dict) -> bool:
    return str(arm.get("recipe", "")).split(":")[0] == "baseline"


def _share(x: float) -> str:
    """A share of rows: '8%', and '0.4%' under 1% (so a small share never reads as 0%)."""
    if 0 < x < 0.0095:
        return f"{x * 100:.1f}%"
    return f"{x * 100:.0f}%"


def _against_guess(d: dict, role: str) -> str:
    """How a recipe did against always guessing: ``beats`` (its 95% range excludes zero, in the
    better direction), ``unclear`` (better on average, but the range includes zero: could be
    luck), ``same`` (no better on average, range includes zero) or ``worse`` (clearly worse)."""
    arm = d[role]
    if arm.get("beats_baseline"):
        return "beats"
    vs = arm.get("vs_baseline") or {}
    higher = d.get("higher_is_better", True)
    sign = 1.0 if higher else -1.0
    mean = vs.get("mean")
    if mean is None and arm.get("mean") is not None and d["baseline"].get("mean") is not None:
        mean = arm["mean"] - d["baseline"]["mean"]
    gain = (mean or 0.0) * sign
    ends = [v * sign for v in (vs.get("ci_low"), vs.get("ci_high")) if v is not None]
    if ends and max(ends) < 0:
        return "worse"
    return "unclear" if gain > 0 else "same"


def common_enough(d: dict, answer: str) -> bool:
    """Binary: the answer a recipe gave (nearly) everyone is not common because the other is rare
    (the other is at least ``imbalance_warning`` of the rows). Then saying one answer to all is not
    the imbalance's doing: the columns did not move the chance past one half."""
    if d.get("task") != "binary":
        return False
    _, really = _rare_answers(d, answer)
    return really is not None and really >= float(settings.get("imbalance_warning"))


def _rare_answers(d: dict, common: str) -> tuple[str, float | None]:
    """The answer(s) other than ``common`` in words, and how often they really occur."""
    classes = [str(c) for c in ((d.get("task_info") or {}).get("classes") or [])]
    if not classes:
        classes = sorted({str(k) for r in ("a", "b") for k in (d[r].get("predicted_share") or {})} | {common})
    others = [c for c in classes if c != common]
    guess = d.get("baseline_guess") or {}
    share = 1.0 - guess["share"] if guess.get("share") is not None and str(guess.get("value")) == common else None
    if len(others) == 1:
        return f"'{others[0]}'", share
    return "the other answers", share


def _one_answer(d: dict, role: str) -> tuple[str, float] | None:
    """(answer, share of rows) when a recipe (nearly) always predicted the same answer, else None.

    Read from the out-of-fold predictions (``predicted_share``): one answer for every row, or
    the other answers for fewer than ``rare_answer_ignored_ratio`` of the rows that really
    have them. Older results without that key: one answer for every row kept aside (the
    holdout confusion matrix), or balanced accuracy exactly 0.5 on every split (what a model
    that always says the same answer scores, whatever the split)."""
    if d.get("task") not in ("binary", "multiclass") or _is_baseline(d[role]):
        return None
    shares = d[role].get("predicted_share")
    if shares:
        answer, top = max(shares.items(), key=lambda kv: kv[1])
        if top >= 1.0:
            return str(answer), 1.0
        guess = d.get("baseline_guess") or {}
        if str(guess.get("value")) == str(answer) and guess.get("share") is not None:
            really = 1.0 - guess["share"]
            if really > 0 and (1.0 - top) < settings.get("rare_answer_ignored_ratio") * really:
                return str(answer), float(top)
        return None
    confusion = ((d.get("secondary") or {}).get(role) or {}).get("confusion") or {}
    matrix, labels = confusion.get("matrix"), confusion.get("labels")
    if matrix and labels:  # the rows kept aside: columns are what the recipe said
        said = [sum(row[j] for row in matrix) for j in range(len(labels))]
        if sum(said) and sum(1 for n in said if n) == 1:
            return str(labels[next(j for j, n in enumerate(said) if n)]), 1.0
    scores = [x for x in d[role].get("fold_scores") or [] if x is not None]
    if d.get("primary_metric") == "balanced_accuracy" and scores and all(abs(x - 0.5) < 1e-12 for x in scores):
        return str((d.get("baseline_guess") or {}).get("value", "the most common answer")), 1.0
    return None


def _rows_share(share: float) -> str:
    """'every row', or a share that never rounds up to 100% ('99.5% of rows')."""
    if share >= 1.0:
        return "every row"
    text = f"{share * 100:.0f}%" if share < 0.995 else f"{math.floor(share * 1000) / 10:.1f}%"
    return f"{text} of rows"


def _one_answer_sentences(d: dict, single: dict[str, tuple[str, float]]) -> list[str]:
    """Why a recipe said one answer to (nearly) everyone, and what to switch on; one sentence for both
    recipes when both did the same."""
    out = []
    by_kind: dict[tuple[str, bool], list[str]] = {}
    for role, (answer, _) in single.items():
        treated = (d[role].get("recipe_options") or {}).get("imbalance", "none") != "none"
        by_kind.setdefault((answer, treated), []).append(role)
    for (answer, treated), roles in by_kind.items():
        rare, really = _rare_answers(d, answer)
        shares = [single[r][1] for r in roles]
        if all(x >= 1.0 for x in shares):
            said = " and ".join(d[r]["label"] for r in roles) + f" predicted '{answer}' for every row"
        else:
            said = " and ".join(
                (f"{d[r]['label']} predicted '{answer}' for {_rows_share(single[r][1])}" if i == 0 else
                 f"{d[r]['label']} for {_rows_share(single[r][1])}") for i, r in enumerate(roles))
        if treated:
            out.append(f"{said}, even with rare answers given more weight: the columns used do not tell {rare} apart "
                       f"from '{answer}'.")
            continue
        never = "never says" if all(x >= 1.0 for x in shares) else "rarely says"
        names = [str(d[r].get("recipe") or "").split(":")[0] for r in roles]
        commands = " and ".join(f"`{n}:balanced`" for n in names if n)
        cli = f"; {commands} on the command line" if commands else ""
        if common_enough(d, answer):
            # Not an imbalance: the other answer is common, yet no column moved the chance past one half.
            out.append(f"{said}, although {_share(really)} of rows really are {rare}: no column moved its chance of "
                       f"{rare} past one half, so the columns used may say little about "
                       f"'{d.get('target', 'the target')}'. Giving rare answers more weight (balanced{cli}) would "
                       "show whether anything is there at all.")
            continue
        if d.get("task") == "binary":
            seen = f"with only {_share(really)} {rare}" if really is not None else f"with {rare} rare"
            why = f"{seen}, an untreated model {never} {rare} at a 50% cut-off"
        else:  # several classes: the most likely class wins, there is no single cut-off
            common = f" ({_share(1 - really)} of rows)" if really is not None else ""
            why = f"'{answer}' is by far the most common answer{common}, and an untreated model {never} the rarer ones"
        out.append(f"{said}: {why}. Switch on the option 'Give rare answers more weight' (balanced{cli}) and run the "
                   "trial again.")
    return out


def _guess_clause(d: dict, role: str, status: str, base: str, guess: str) -> str:
    """'Simple is not clearly better than always guessing 'no' (60.7% against 54.4%, could be luck)'."""
    label = d[role]["label"]
    score = format_score(d[role].get("mean"), d["primary_metric"])
    metric = d["metric_label"]
    if status == "beats":
        return f"{label} does clearly better than {guess} ({score} against {base} {metric})"
    if status == "unclear":
        return f"{label} is not clearly better than {guess} ({score} against {base} {metric}, could be luck)"
    if status == "worse":
        return f"{label} does worse than {guess} ({score} against {base} {metric})"
    return f"{label} is no better than {guess} ({score} against {base} {metric})"


def _baseline_sentence(d: dict) -> str:
    """Each real recipe against always guessing, with both numbers; then why, when neither beats it."""
    guess = _guess_words(d)
    metric = d["primary_metric"]
    base = format_score(d["baseline"].get("mean"), metric)
    real = [r for r in ("a", "b") if not _is_baseline(d[r])]
    if not real:
        return f"Both recipes always guess ({d['metric_label']} {base})."
    status = {r: _against_guess(d, r) for r in real}
    if all(status[r] == "beats" for r in real):
        if len(real) == 1:
            return _guess_clause(d, real[0], "beats", base, guess) + "."
        return f"Both recipes do clearly better than {guess} ({d['metric_label']} {base})."
    failing = [r for r in real if status[r] != "beats"]
    if len(real) == 2 and len(failing) == 2:
        clauses = []
        for i, r in enumerate(real):
            score = format_score(d[r].get("mean"), metric)
            unit = f" {d['metric_label']}" if i == 0 else ""
            numbers = f"{score} against {base}{unit}"
            clauses.append({"unclear": f"{d[r]['label']} is not clearly better ({numbers}, could be luck)",
                            "same": f"{d[r]['label']} is no better ({numbers})",
                            "worse": f"{d[r]['label']} does worse ({numbers})"}[status[r]])
        text = f"Neither recipe is clearly better than {guess}: " + " and ".join(clauses) + "."
    else:
        text = " ".join(_guess_clause(d, r, status[r], base, guess) + "." for r in failing)
    single = {r: found for r in real if (found := _one_answer(d, r)) is not None}
    for sentence in _one_answer_sentences(d, single):
        text += " " + sentence
    if not any(status[r] == "beats" for r in real) and not single:
        rows = (d.get("splits") or {}).get("train_rows")
        few = f"too few rows ({rows:,}) to show a real gain" if rows else "too few rows to show a real gain"
        why = (f"the columns may not hold what is needed to predict '{d.get('target', 'the target')}', "
               f"or there are {few}.")
        if d.get("task") == "numeric" and len(real) == 2:  # the sentence before already says neither beat guessing
            text += f" Why: {why}"
        else:
            who = "Both recipes" if len(real) == 2 else d[real[0]]["label"]
            both = " predicted more than one answer and still" if d.get("task") != "numeric" else ""
            text += f" {who}{both} did not clearly beat guessing: {why}"
    return text


def _holdout_sentence(d: dict, winner: str) -> str:
    h = d.get("holdout_check") or {}
    if not h:
        return ""
    metric = d["primary_metric"]
    la, lb = d["a"]["label"], d["b"]["label"]
    n = h.get("rows", 0)
    sa, sb = format_score(h.get("a"), metric), format_score(h.get("b"), metric)
    names = {"a": la, "b": lb}
    better = h.get("better", "none")
    if not h.get("agrees_with_cv", True):
        if winner != "none":
            return (f"Careful: on the {n:,} rows kept aside for the final check, {names[better]} did better "
                    f"({la} {sa}, {lb} {sb}), which disagrees with the re-splits. Treat the winner with caution; "
                    "more data would settle it.")
        return (f"On the {n:,} rows kept aside, {names[better]} did clearly better ({la} {sa}, {lb} {sb}), "
                "although the re-splits found no clear winner; one holdout is a single test, so the re-splits "
                "are the steadier guide.")
    if winner != "none":
        if better == winner:
            return (f"The final check agrees: on the {n:,} rows kept aside, {names[winner]} also did better "
                    f"({la} {sa}, {lb} {sb}).")
        return (f"On the {n:,} rows kept aside the two came out close ({la} {sa}, {lb} {sb}), which does not "
                "contradict the re-splits.")
    return f"On the {n:,} rows kept aside the two were close as well ({la} {sa}, {lb} {sb})."


def _metric_words(metric: str) -> str:
    """'balanced accuracy', 'ROC AUC': the score's name as the glossary and the app write it."""
    from .scoring import METRICS

    info = METRICS.get(metric)
    return info.label if info else metric.replace("_", " ")


def too_good_text(item: dict, label: str) -> str:
    """The leakage warning for one too-good score (``{"metric", "value"}``)."""
    metric = item["metric"]
    return (f"A score of {format_score(item['value'], metric)} ({_metric_words(metric)}) for {label} is "
            "too good to be true for most real data: check for a column that gives the answer away "
            "(leakage) before trusting it.")


def too_good_sentence(d: dict) -> str:
    """One leakage warning for every too-good score of a trial result: each recipe named once, so a
    page or report says it once ('Scores of 100.0% (balanced accuracy) for A and B are too good ...')."""
    items = d.get("too_good") or []
    if len(items) < 2:
        return too_good_text(items[0], d[items[0]["role"]]["label"]) if items else ""
    metric = items[0]["metric"]
    scores = [format_score(i["value"], i["metric"]) for i in items]
    names = [d[i["role"]]["label"] for i in items]
    if len(set(scores)) == 1 and all(i["metric"] == metric for i in items):
        said = f"{scores[0]} ({_metric_words(metric)}) for {' and '.join(names)}"
    else:
        said = " and ".join(f"{sc} ({_metric_words(i['metric'])}) for {n}" for sc, i, n in zip(scores, items, names))
    return (f"Scores of {said} are too good to be true for most real data: check for a column that gives the "
            "answer away (leakage) before trusting them.")


_CALIBRATION_WORDS = {"ok": "are close to what really happens", "warning": "are somewhat off",
                      "critical": "are clearly off; treat its percentages as rough"}


_ON_PURPOSE = ("on purpose: it gave the rare answers more weight while learning, which raises its stated chances "
               "of them, so use its answers rather than its percentages")
_ON_PURPOSE_BOTH = ("on purpose: they gave the rare answers more weight while learning, which raises their stated "
                    "chances of them, so use their answers rather than their percentages")


def raises_rare_chances(options: dict | None, task: str | None = None) -> bool:
    """Balanced weights raise the stated chances of the rare answers on purpose (a tuned cut-off does not,
    except with several classes, where FairTrial uses balanced weights instead)."""
    imbalance = (options or {}).get("imbalance", "none")
    return imbalance == "balanced" or (imbalance == "threshold" and task == "multiclass")


def calibration_text(cal: dict, label: str, *, weighted: bool = False) -> str:
    """One recipe's calibration in a sentence; ``weighted``: it learned with balanced weights."""
    if not cal.get("available"):
        return cal.get("reason", "")
    words = _CALIBRATION_WORDS.get(cal["severity"], "could not be judged")
    if weighted and cal["severity"] in ("warning", "critical"):
        words = "are off " + _ON_PURPOSE
    return (f"{_poss(label)} predicted chances {words} "
            f"(calibration error {cal['ece']:.2f}; above {settings.get('ece_warning'):.2f} a stated 70% may not "
            "really be 70%).")


def _calibration_sentence(d: dict) -> str:
    cal = d.get("calibration") or {}
    if not cal.get("available"):
        return cal.get("reason") or (cal.get("a") or {}).get("reason", "")
    parts, on_purpose = [], []
    for role in ("a", "b"):
        c = cal.get(role) or {}
        if c.get("available"):
            label = d[role]["label"]
            words = _CALIBRATION_WORDS.get(c["severity"], "could not be judged")
            weighted = raises_rare_chances(d[role].get("recipe_options"), d.get("task"))
            if c["severity"] in ("warning", "critical") and weighted:
                words = "are off " + _ON_PURPOSE
                on_purpose.append(f"{c['ece']:.2f} for {label}")
            parts.append(f"{_poss(label)} {words} (calibration error {c['ece']:.2f})")
    if len(on_purpose) == 2:  # why both are off is said once, then each recipe's number
        parts = ["both recipes' are off " + _ON_PURPOSE_BOTH + f" (calibration error {' and '.join(on_purpose)})"]
    return ("Predicted chances: " + "; ".join(parts) + f". Errors above {settings.get('ece_warning'):.2f} mean "
            "a stated 70% may not really be 70%.")


def _why_fragile(d: dict, roles: list[str]) -> str:
    """': blanking 10% of 'wage' lowers Simple's balanced accuracy by 2.1 points (2 of 107 answers
    changed) ...', the drop the judgement rests on and how many answers made it; when every such
    drop comes from fewer than ``robust_few_changed`` answers, that it may be chance. Without the
    drop, the sentence showed only the share of changed answers ('0% and 2%') beside 'sensitive',
    as on AER CPS1985, where two changed answers of 107 moved balanced accuracy by 2 points."""
    if d.get("task") == "numeric":
        return "."
    rob, few = d.get("robustness") or {}, int(settings.get("robust_few_changed"))
    parts, small = [], []
    for role in roles:
        r = rob.get(role) or {}
        steps = [(r.get("noise_score_drop"), r.get("noise_flips"), "small noise in the number columns"),
                 (r.get("blank_score_drop"), r.get("blank_flips"),
                  f"blanking {_pct(r.get('blank_share'))} of '{r.get('blank_column')}'")]
        steps = [s for s in steps if s[0] is not None and s[1] is not None]
        if not steps or not r.get("rows"):
            return "."
        drop, flips, cause = max(steps, key=lambda s: s[0])
        changed, rows = int(round(flips * r["rows"])), int(r["rows"])
        small.append(changed < few)
        parts.append(f"{cause} lowers {_poss(d[role]['label'])} {d['metric_label']} by {drop * 100:.1f} points "
                     f"({changed:,} of {rows:,} answers changed)")
    text = ": " + "; ".join(parts) + "."
    if small and all(small):
        text += (f" So few changed answers can move the score this much on {rows:,} rows by chance; "
                 "check again with more rows kept aside before reading much into it.")
    return text


def _robustness_sentence(d: dict) -> str:
    rob = d.get("robustness") or {}
    if not rob:
        return ""
    la, lb = d["a"]["label"], d["b"]["label"]
    ra, rb = rob.get("a", {}), rob.get("b", {})
    # No number column reaches the models (carData TitanicSurvival: only a class column): nothing got noise,
    # and "Small noise in the number columns changes 0%" read as a finding.
    no_numbers = ra.get("noise_columns") == 0 and rb.get("noise_columns") == 0
    if no_numbers and (ra.get("blank_column") or rb.get("blank_column")):
        text = f"The models read no number columns to add noise to; blanking {_pct(ra.get('blank_share'))} of the " \
               "most important column "
        if d["task"] == "numeric":
            text += (f"moves {_poss(la)} guesses by {_sig(ra.get('blank_change') or 0)} and {_poss(lb)} by "
                     f"{_sig(rb.get('blank_change') or 0)} on average")
        else:
            text += (f"changes {_pct(ra.get('blank_flips'))} of {_poss(la)} answers and {_pct(rb.get('blank_flips'))} "
                     f"of {_poss(lb)}")
    elif d["task"] == "numeric":
        text = (f"Small noise in the number columns moves {_poss(la)} guesses by {_sig(ra.get('noise_change', 0))} "
                f"and {_poss(lb)} by {_sig(rb.get('noise_change', 0))} on average")
        if ra.get("blank_change") is not None and rb.get("blank_change") is not None:
            text += (f"; blanking {_pct(ra.get('blank_share'))} of the most important column moves them by "
                     f"{_sig(ra['blank_change'])} and {_sig(rb['blank_change'])}")
    else:
        text = (f"Small noise in the number columns changes {_pct(ra.get('noise_flips'))} of {_poss(la)} answers and "
                f"{_pct(rb.get('noise_flips'))} of {_poss(lb)}")
        if ra.get("blank_column") or rb.get("blank_column"):
            text += (f"; blanking {_pct(ra.get('blank_share'))} of the most important column changes "
                     f"{_pct(ra.get('blank_flips'))} and {_pct(rb.get('blank_flips'))}")
    fragile_roles = [r for r in ("a", "b") if rob.get(r, {}).get("severity") in ("warning", "critical")]
    fragile = [d[r]["label"] for r in fragile_roles]
    # A recipe that gives (nearly) everyone the same answer cannot be moved by noise: steady, but for no merit.
    same = [d[r]["label"] for r in ("a", "b") if _one_answer(d, r) is not None]
    if fragile:
        tail = f". {' and '.join(fragile)} {'is' if len(fragile) == 1 else 'are'} sensitive to messy inputs"
        tail += _why_fragile(d, fragile_roles)
    elif len(same) == 2:
        tail = (". That says little here: both give (nearly) everyone the same answer, so there is nothing for "
                "small mistakes to change.")
    elif same:
        tail = (f", so both hold up against small mistakes in the data; for {same[0]} that says little, since it "
                "gives (nearly) everyone the same answer.")
    else:
        tail = ", so both hold up well against small mistakes in the data."
    return text + tail


def _cost_sentence(d: dict) -> str:
    ca, cb = d["cost"]["a"], d["cost"]["b"]
    la, lb = d["a"]["label"], d["b"]["label"]
    return (f"Cost: training takes {la} {_seconds(ca['fit_seconds'])} and {lb} {_seconds(cb['fit_seconds'])}; "
            f"predicting 1,000 rows takes {_seconds((ca['predict_ms_per_1000'] or 0) / 1000)} and "
            f"{_seconds((cb['predict_ms_per_1000'] or 0) / 1000)}; the saved models are "
            f"{_size(ca['model_bytes'])} and {_size(cb['model_bytes'])}.")


def _importance_sentence(d: dict) -> str:
    items = d.get("importance") or []
    parts = []
    for role in ("a", "b"):
        ranked = [i["column"] for i in items if i.get("arm") == role and (i.get("importance") or 0) > 0]
        if ranked:
            parts.append(f"for {d[role]['label']} {_list(ranked[:3])}")
        else:
            parts.append(f"for {d[role]['label']} no single column (shuffling any one hardly changed its score)")
    return ("What mattered most (how much the score drops when a column's values are shuffled): "
            + "; ".join(parts) + ".")


def _splits_sentence(d: dict) -> str:
    sp = d["splits"]
    text = (f"Both recipes and the always-guess baseline were trained and tested on the same "
            f"{sp.get('splits', sp['folds'] * sp['repeats'])} re-splits of {sp['train_rows']:,} rows "
            f"({sp['folds']} folds, repeated {sp['repeats']} "
            f"time{'s' if sp['repeats'] != 1 else ''}); {sp['holdout_rows']:,} rows were kept aside, untouched, "
            "for the final check.")
    copies, blank = int(sp.get("duplicates_removed") or 0), int(sp.get("missing_target_removed") or 0)
    if copies:
        text += (f" {copies:,} {'row was' if copies == 1 else 'rows were'} left out first because "
                 f"{'it was an exact copy' if copies == 1 else 'each was an exact copy'} of another row in every "
                 "column, IDs included (the first copy stayed in), so no row could be in both training and test.")
    if blank:
        text += (f" {blank:,} {'row has' if blank == 1 else 'rows have'} no value in '{d.get('target', 'the target')}'"
                 " and were left out.")
    if not copies and not blank and not sp.get("training_sample"):
        text += " Every row of the file took part."
    alike = int(sp.get("identical_rows_kept") or 0)
    if alike and sp.get("identical_rows_beyond_chance"):
        text += (f" {alike:,} {'row has' if alike == 1 else 'rows have'} the same value as another row in every "
                 "column, more often than chance gives, so some may be the same record entered twice; FairTrial "
                 "cannot tell copies from different people with the same answers, so all of them count.")
    elif alike:
        text += (f" {alike:,} {'row has' if alike == 1 else 'rows have'} the same value as another row in every "
                 "column; with so few columns of so few values that is expected among different people or records, "
                 "so they are not copies and all of them count.")
    return text


def _tone(d: dict, winner: str) -> str:
    real = [r for r in ("a", "b") if not _is_baseline(d[r])]
    troubled = bool(d.get("too_good")) or not (d.get("holdout_check") or {}).get("agrees_with_cv", True)
    if winner != "none":
        if _is_baseline(d[winner]) or not d[winner].get("beats_baseline") or troubled:
            return "caution"
        return "success"
    if troubled or (real and not any(d[r].get("beats_baseline") for r in real)):
        return "caution"
    return "neutral"


def build_verdict(d: dict) -> Verdict:
    """The verdict and every plain sentence for a trial result dict (``TrialResult.to_dict()`` shape)."""
    winner = decide_winner(d["difference"])
    practical = _practical(d)
    diff = d["difference"]
    if winner != "none" and abs(diff["ci_low"]) <= practical and abs(diff["ci_high"]) <= practical:
        winner = "none"  # confidently tiny: practically the same
    # A winner that is not clearly better than guessing only "did better than" the other: it beats nothing useful.
    useful = winner != "none" and not _is_baseline(d[winner]) and bool(d[winner].get("beats_baseline"))
    parts: dict[str, str] = {}
    parts["comparison"] = _comparison(d, winner, "beats" if useful or winner == "none" else "did better than")
    if winner != "none":
        parts["comparison"] += " " + _cost_tail(d, winner)
    parts["without"] = without_sentence(d)
    lead = lead_from_left_out(d, winner)
    if lead:
        parts["without"] += " " + lead_words(lead, winner)
    parts["baseline"] = _baseline_sentence(d)
    parts["too_good"] = too_good_sentence(d)
    parts["holdout"] = _holdout_sentence(d, winner)
    parts["metric"] = d.get("metric_reason", "")
    secondary = d.get("secondary") or {}
    if d.get("task") == "numeric" and all((secondary.get(r) or {}).get("r2") is not None for r in ("a", "b")):
        parts["metric"] += (f" R² on the rows kept aside: {d['a']['label']} {_two(secondary['a']['r2'])}, "
                            f"{d['b']['label']} {_two(secondary['b']['r2'])} (1 is perfect, 0 is no better than "
                            "guessing the average; higher is better).")
    parts["splits"] = _splits_sentence(d)
    parts["sample"] = sample_sentence(d["splits"].get("training_sample"), int(d["splits"].get("holdout_rows") or 0),
                                      (d.get("plan") or {}).get("group"))
    # Recipes already told to switch on balanced weights (they predicted one answer) need no second tip.
    untreated = [d[r]["label"] for r in ("a", "b") if not _is_baseline(d[r])
                 and (d[r].get("recipe_options") or {}).get("imbalance", "none") == "none"
                 and not (d[r].get("beats_baseline") is False and _one_answer(d, r))]
    if d.get("primary_metric") == "balanced_accuracy" and untreated:
        parts["tip"] = (f"Tip: the classes are imbalanced and {' and '.join(untreated)} ran without imbalance "
                        "handling; the 'balanced' or 'threshold' option often helps a recipe notice the rare class.")
    parts["calibration"] = _calibration_sentence(d)
    parts["robustness"] = _robustness_sentence(d)
    parts["cost"] = _cost_sentence(d)
    parts["importance"] = _importance_sentence(d)
    headline = [parts["comparison"]] + ([parts["without"]] if parts["without"] else [])
    real = [r for r in ("a", "b") if not _is_baseline(d[r])]
    if not all(d[r].get("beats_baseline") for r in real):
        baseline = parts["baseline"]
        if winner != "none" and not useful:  # "A did better than B ..., but neither is clearly better than guessing"
            baseline = "But " + (baseline[:1].lower() + baseline[1:] if baseline.startswith("Neither") else baseline)
        headline.append(baseline)
    if parts["too_good"]:
        headline.append(parts["too_good"])
    holdout = d.get("holdout_check") or {}
    if not holdout.get("agrees_with_cv", True):
        headline.append(parts["holdout"])
    order = ("comparison", "without", "baseline", "too_good", "holdout", "metric", "tip", "splits", "sample",
             "calibration", "robustness", "cost", "importance")
    sentences = tuple(parts[k] for k in order if parts.get(k))
    # The winner of a trial is the recipe to use: one that is not clearly better than guessing is none, even
    # when it did better than the other (a tree that overfits noise loses to a simple model on a shuffled target).
    named = winner if winner == "none" or useful or _is_baseline(d[winner]) else "none"
    return Verdict(named, " ".join(headline), sentences, {k: v for k, v in parts.items() if v}, _tone(d, winner))
