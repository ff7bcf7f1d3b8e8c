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

from dataclasses import dataclass, field
from typing import Any

from . import settings

__all__ = ["Verdict", "build_verdict", "calibration_text", "decide_winner", "format_difference", "format_score",
           "too_good_text"]


@dataclass(frozen=True)
class Verdict:
    """``winner`` is ``a``, ``b`` or ``none``; ``text`` the headline; ``sentences`` everything, in order."""

    winner: str
    text: str
    sentences: tuple[str, ...]
    parts: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"winner": self.winner, "text": self.text, "sentences": list(self.sentences),
                "parts": dict(self.parts)}


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
    return f"{x:.{digits}g}"


def format_score(value: float | None, metric: str) -> str:
    """A score as people read it: 87.3% for accuracy-like metrics, 0.91 for AUC and R², units for errors."""
    if value is None:
        return "n/a"
    if metric in ("accuracy", "balanced_accuracy", "f1"):
        return f"{value * 100:.1f}%"
    if metric in ("roc_auc", "r2"):
        return f"{value:.3f}"
    return _sig(value)


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
def _comparison(d: dict, winner: str) -> str:
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
                f"{who} did better on {wins} of {splits} re-splits.")
    w, l_ = (la, lb) if winner == "a" else (lb, la)
    wins = diff["a_wins"] if winner == "a" else diff["b_wins"]
    gain, low, high = _gain_range(diff, winner, higher)
    if points:
        amount = f" by {format_difference(gain, True)} of {label} (95% range {_range(low, high, True)})"
    else:
        amount = (f": its guesses are off by {format_difference(gain, False)} less on average ({label}, "
                  f"95% range {_range(low, high, False)})")
    sentence = (f"{w} beats {l_}{amount}; it won {wins} of {splits} re-splits, so this is "
                f"{_luck(diff.get('p_value'))}.")
    if abs(gain) < practical:
        sentence += (" But the difference is small, under "
                     f"{format_difference(practical, points)}, so it may not matter in practice.")
    return sentence


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


def _baseline_sentence(d: dict) -> str:
    guess = _guess_words(d)
    base = format_score(d["baseline"].get("mean"), d["primary_metric"])
    la, lb = d["a"]["label"], d["b"]["label"]
    ba, bb = d["a"].get("beats_baseline"), d["b"].get("beats_baseline")
    if _is_baseline(d["a"]) or _is_baseline(d["b"]):  # one arm *is* the guess: judge only the other
        real = "b" if _is_baseline(d["a"]) else "a"
        if _is_baseline(d[real]):
            return f"Both recipes always guess ({d['metric_label']} {base})."
        if d[real].get("beats_baseline"):
            return f"{d[real]['label']} does clearly better than {guess} ({d['metric_label']} {base})."
        return (f"{d[real]['label']} is no better than {guess} ({d['metric_label']} {base}): it is no better than "
                "guessing.")
    if not ba and not bb:
        return (f"Neither recipe is better than {guess} ({d['metric_label']} {base}): they are no better than "
                f"guessing. The columns may not hold what is needed to predict '{d.get('target', 'the target')}', "
                "or there are too few rows.")
    if not ba:
        return f"{la} is no better than {guess} ({d['metric_label']} {base})."
    if not bb:
        return f"{lb} is no better than {guess} ({d['metric_label']} {base})."
    return f"Both recipes do clearly better than {guess} ({d['metric_label']} {base})."


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


def too_good_text(item: dict, label: str) -> str:
    """The leakage warning for one too-good score (``{"metric", "value"}``)."""
    metric = item["metric"]
    return (f"A score of {format_score(item['value'], metric)} ({metric.replace('_', ' ')}) for {label} is "
            "too good to be true for most real data: check for a column that gives the answer away "
            "(leakage) before trusting it.")


def _too_good_sentence(d: dict) -> str:
    items = d.get("too_good") or []
    if not items:
        return ""
    return too_good_text(items[0], d[items[0]["role"]]["label"])


_CALIBRATION_WORDS = {"ok": "are close to what really happens", "warning": "are somewhat off",
                      "critical": "are clearly off; treat its percentages as rough"}


def calibration_text(cal: dict, label: str) -> str:
    """One recipe's calibration in a sentence."""
    if not cal.get("available"):
        return cal.get("reason", "")
    return (f"{label}'s predicted chances {_CALIBRATION_WORDS.get(cal['severity'], 'could not be judged')} "
            f"(calibration error {cal['ece']:.2f}; above {settings.get('ece_warning'):.2f} a stated 70% may not "
            "really be 70%).")


def _calibration_sentence(d: dict) -> str:
    cal = d.get("calibration") or {}
    if not cal.get("available"):
        return cal.get("reason") or (cal.get("a") or {}).get("reason", "")
    parts = []
    for role in ("a", "b"):
        c = cal.get(role) or {}
        if c.get("available"):
            parts.append(f"{d[role]['label']}'s {_CALIBRATION_WORDS.get(c['severity'], 'could not be judged')} "
                         f"(calibration error {c['ece']:.2f})")
    return ("Predicted chances: " + "; ".join(parts) + f". Errors above {settings.get('ece_warning'):.2f} mean "
            "a stated 70% may not really be 70%.")


def _robustness_sentence(d: dict) -> str:
    rob = d.get("robustness") or {}
    if not rob:
        return ""
    la, lb = d["a"]["label"], d["b"]["label"]
    ra, rb = rob.get("a", {}), rob.get("b", {})
    if d["task"] == "numeric":
        text = (f"Small noise in the number columns moves {la}'s guesses by {_sig(ra.get('noise_change', 0))} "
                f"and {lb}'s by {_sig(rb.get('noise_change', 0))} on average")
        if ra.get("blank_change") is not None and rb.get("blank_change") is not None:
            text += (f"; blanking {_pct(ra.get('blank_share'))} of the most important column moves them by "
                     f"{_sig(ra['blank_change'])} and {_sig(rb['blank_change'])}")
    else:
        text = (f"Small noise in the number columns changes {_pct(ra.get('noise_flips'))} of {la}'s answers and "
                f"{_pct(rb.get('noise_flips'))} of {lb}'s")
        if ra.get("blank_column") or rb.get("blank_column"):
            text += (f"; blanking {_pct(ra.get('blank_share'))} of the most important column changes "
                     f"{_pct(ra.get('blank_flips'))} and {_pct(rb.get('blank_flips'))}")
    fragile = [d[r]["label"] for r in ("a", "b") if rob.get(r, {}).get("severity") in ("warning", "critical")]
    tail = (f". {' and '.join(fragile)} {'is' if len(fragile) == 1 else 'are'} sensitive to messy inputs."
            if fragile else ", so both hold up well against small mistakes in the data.")
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
    if not copies and not blank:
        text += " Every row of the file took part."
    alike = int(sp.get("identical_rows_kept") or 0)
    if alike:
        text += (f" {alike:,} {'row has' if alike == 1 else 'rows have'} the same value as another row in every "
                 "column; with so few columns of so few values that is expected among different people or records, "
                 "so they are not copies and all of them count.")
    return text


def build_verdict(d: dict) -> Verdict:
    """The verdict and every plain sentence for a trial result dict (``TrialResult.to_dict()`` shape)."""
    winner = decide_winner(d["difference"])
    practical = _practical(d)
    diff = d["difference"]
    if winner != "none" and abs(diff["ci_low"]) <= practical and abs(diff["ci_high"]) <= practical:
        winner = "none"  # confidently tiny: practically the same
    parts: dict[str, str] = {}
    parts["comparison"] = _comparison(d, winner)
    if winner != "none":
        parts["comparison"] += " " + _cost_tail(d, winner)
    parts["baseline"] = _baseline_sentence(d)
    parts["too_good"] = _too_good_sentence(d)
    parts["holdout"] = _holdout_sentence(d, winner)
    parts["metric"] = d.get("metric_reason", "")
    secondary = d.get("secondary") or {}
    if d.get("task") == "numeric" and all((secondary.get(r) or {}).get("r2") is not None for r in ("a", "b")):
        parts["metric"] += (f" R² on the rows kept aside: {d['a']['label']} {secondary['a']['r2']:.2f}, "
                            f"{d['b']['label']} {secondary['b']['r2']:.2f} (1 is perfect, 0 is no better than "
                            "guessing the average; higher is better).")
    parts["splits"] = _splits_sentence(d)
    untreated = [d[r]["label"] for r in ("a", "b") if not _is_baseline(d[r])
                 and (d[r].get("recipe_options") or {}).get("imbalance", "none") == "none"]
    if d.get("primary_metric") == "balanced_accuracy" and untreated:
        parts["tip"] = (f"Tip: the classes are imbalanced and {' and '.join(untreated)} ran without imbalance "
                        "handling; the 'balanced' or 'threshold' option often helps a recipe notice the rare class.")
    parts["calibration"] = _calibration_sentence(d)
    parts["robustness"] = _robustness_sentence(d)
    parts["cost"] = _cost_sentence(d)
    parts["importance"] = _importance_sentence(d)
    headline = [parts["comparison"]]
    real = [r for r in ("a", "b") if not _is_baseline(d[r])]
    if not all(d[r].get("beats_baseline") for r in real):
        headline.append(parts["baseline"])
    if parts["too_good"]:
        headline.append(parts["too_good"])
    holdout = d.get("holdout_check") or {}
    if not holdout.get("agrees_with_cv", True):
        headline.append(parts["holdout"])
    order = ("comparison", "baseline", "too_good", "holdout", "metric", "tip", "splits", "calibration",
             "robustness", "cost", "importance")
    sentences = tuple(parts[k] for k in order if parts.get(k))
    return Verdict(winner, " ".join(headline), sentences, {k: v for k, v in parts.items() if v})
