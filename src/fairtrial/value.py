"""The money view of a yes/no trial: what acting on the model's flags earns, per 1,000 rows.

The user gives three prices (``ValueInputs``): what acting on a correctly flagged row earns
(``hit``), what acting on a wrongly flagged row costs (``false_alarm``) and what a missed
row costs (``miss``). Acting on a set of rows is worth

    value = hit·TP − false_alarm·FP − miss·FN        (reported per 1,000 rows)

where "positive" is the answer the trial treats as the one to find (``TaskInfo.positive``).
A true negative is worth 0: nothing was done and nothing was lost.

**How the cut-off is chosen, and why it cannot leak.** A recipe flags a row when its
predicted chance of the positive answer is at least a cut-off. The cut-off that maximises
value must be chosen without the rows it is judged on. For each re-split, the training rows
alone are split again (an inner ``value_inner_folds``-fold split, stratified, seeded), the
recipe is refitted on each inner part and predicts the rest, and the cut-off with the most
value on those inner out-of-fold chances is used on the split's test rows. So a test row's
label never reaches its cut-off (``tests/test_value.py`` changes only the test rows' labels
and checks that the cut-off does not move). For the holdout, the cut-off is chosen on the
trial's own out-of-fold chances of the last repeat: every one of those rows is a training
row, predicted by a model that had not seen it, and no holdout row is among them; that
same cut-off is the one to use with the final model, and is the ``cutoff`` reported.

Why not the textbook cut-off false_alarm / (hit + false_alarm + miss)? It is right only when
the predicted chances are calibrated, and recipes with balanced weights (the default on
rare outcomes) or a tuned cut-off deliberately raise the chances of the rare answer; trees
and boosting are often off too. Choosing the cut-off on inner out-of-fold chances works
for every recipe. The cost: ``value_inner_folds`` extra fits per recipe and re-split, done
only when prices are given (sample_data/churn.csv, simple against boosting, 25 re-splits on
two cores: 6.4 s without prices, 20.9 s with them).
Grouped splits keep their groups apart in the inner split; time-ordered splits use an
inner split that keeps time order. The inner models learn from fewer rows than the split's
model, so their chances can sit a little apart (on churn, boosting's split cut-offs spread
from 5% to 21%): the value measured on the test rows is, if anything, a little pessimistic,
never flattered by the rows it is judged on.

The comparison is the trial's own: the per-split value differences (B − A, and each recipe
against the better plain baseline) with the Nadeau–Bengio corrected interval
(``stats.corrected_t_test``). The two plain baselines need no model: act on no row (value
−miss × positives) and act on every row (value hit × positives − false_alarm × negatives).
The better plain baseline is the one with the higher mean value across the re-splits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.model_selection import GroupKFold, KFold, StratifiedKFold, TimeSeriesSplit

from . import settings
from .errors import BadChoiceError
from .stats import corrected_t_test

__all__ = ["CUTOFFS", "CURVE_CUTOFFS", "PER_ROWS", "ValueInputs", "best_cutoff", "format_money", "format_price",
           "inner_folds", "value_curve", "value_of", "value_section"]

PER_ROWS = 1000
# Candidate cut-offs (chance of the positive answer at or above which a row is acted on).
CUTOFFS = np.round(np.arange(0.01, 1.0, 0.01), 2)
CURVE_CUTOFFS = np.round(np.arange(0.05, 0.951, 0.05), 2)


@dataclass(frozen=True)
class ValueInputs:
    """The three prices of the money view, in the user's currency (``currency`` is only a label)."""

    hit: float
    false_alarm: float
    miss: float
    currency: str = ""

    def __post_init__(self) -> None:
        for name, words in (("hit", "what a correct flag earns"), ("false_alarm", "what a false alarm costs"),
                            ("miss", "what a miss costs")):
            raw = getattr(self, name)
            try:
                number = float(raw)
            except (TypeError, ValueError):
                raise BadChoiceError(f"The value for {words} ('{raw}') is not a number.",
                                     "Type a plain number, for example 50 or 12.5.") from None
            if not math.isfinite(number):
                raise BadChoiceError(f"The value for {words} is not a finite number.",
                                     "Type a plain number, for example 50 or 12.5.")
            object.__setattr__(self, name, number)
        object.__setattr__(self, "currency", str(self.currency or "").strip()[:8])

    def to_dict(self) -> dict[str, Any]:
        return {"hit": self.hit, "false_alarm": self.false_alarm, "miss": self.miss, "currency": self.currency}

    @classmethod
    def from_dict(cls, data: "dict[str, Any] | ValueInputs") -> "ValueInputs":
        if isinstance(data, ValueInputs):
            return data
        return cls(data.get("hit"), data.get("false_alarm"), data.get("miss"), data.get("currency") or "")


def format_money(x: float | None, currency: str = "") -> str:
    """An amount with thousands separators and the currency label: '€2,300', '-€400', '1,250'."""
    if x is None or not math.isfinite(x):
        return "n/a"
    sign = "-" if round(x) < 0 else ""
    return f"{sign}{currency}{abs(x):,.0f}"


def format_price(x: float | None, currency: str = "") -> str:
    """A price as typed: '€12.50', '€50', '-€3'."""
    if x is None or not math.isfinite(x):
        return "n/a"
    sign = "-" if x < 0 else ""
    text = f"{abs(x):,.0f}" if float(x).is_integer() else f"{abs(x):,.2f}"
    return f"{sign}{currency}{text}"


def value_of(positive: np.ndarray, act: np.ndarray, inputs: ValueInputs) -> float:
    """Value per 1,000 rows of acting on the rows where ``act`` is true (``positive``: the truth)."""
    positive = np.asarray(positive, dtype=bool)
    act = np.asarray(act, dtype=bool)
    if not len(positive):
        return float("nan")
    tp = float(np.sum(positive & act))
    fp = float(np.sum(~positive & act))
    fn = float(np.sum(positive & ~act))
    return (inputs.hit * tp - inputs.false_alarm * fp - inputs.miss * fn) * PER_ROWS / len(positive) + 0.0


def _values(positive: np.ndarray, chance: np.ndarray, inputs: ValueInputs, cutoffs: np.ndarray) -> np.ndarray:
    act = np.asarray(chance, dtype=np.float64)[None, :] >= cutoffs[:, None]
    pos = np.asarray(positive, dtype=bool)[None, :]
    tp = (act & pos).sum(axis=1)
    fp = (act & ~pos).sum(axis=1)
    fn = (~act & pos).sum(axis=1)
    return (inputs.hit * tp - inputs.false_alarm * fp - inputs.miss * fn) * PER_ROWS / max(len(chance), 1)


def best_cutoff(positive: np.ndarray, chance: np.ndarray, inputs: ValueInputs) -> float:
    """The cut-off (of ``CUTOFFS``) with the most value on these rows; among equal values the
    middle of the best run, so a flat stretch does not push the cut-off to its edge."""
    values = _values(positive, chance, inputs, CUTOFFS)
    best = np.flatnonzero(np.isclose(values, values.max(), rtol=0, atol=1e-9))
    return float(CUTOFFS[best[len(best) // 2]])


def value_curve(positive: np.ndarray, chance: np.ndarray, inputs: ValueInputs) -> list[float]:
    """Value per 1,000 rows at each of ``CURVE_CUTOFFS`` (for the chart)."""
    return [float(v) for v in _values(positive, chance, inputs, CURVE_CUTOFFS)]


def inner_folds(y: np.ndarray, seed: int, *, groups: np.ndarray | None = None, time_ordered: bool = False):
    """The inner split of one re-split's training rows (``value_inner_folds`` parts)."""
    k = int(settings.get("value_inner_folds"))
    n = len(y)
    if time_ordered:
        return list(TimeSeriesSplit(n_splits=k).split(np.zeros(n)))
    if groups is not None:
        k = min(k, len(set(groups.tolist())))
        return list(GroupKFold(n_splits=k).split(np.zeros(n), y, groups))
    smallest = int(min(np.unique(y, return_counts=True)[1]))
    if smallest >= k:
        return list(StratifiedKFold(n_splits=k, shuffle=True, random_state=seed).split(np.zeros(n), y))
    return list(KFold(n_splits=k, shuffle=True, random_state=seed).split(np.zeros(n)))


def _paired(diffs: list[float], n_train: float, n_test: float) -> dict[str, float | None]:
    d = np.asarray(diffs, dtype=np.float64)
    d = d[np.isfinite(d)]
    if len(d) < 2:
        mean = float(d.mean()) if len(d) else float("nan")
        return {"mean": _num(mean), "ci_low": None, "ci_high": None, "p_value": None}
    t = corrected_t_test(d, n_train, n_test)
    return {"mean": _num(t.mean), "ci_low": _num(t.ci_low), "ci_high": _num(t.ci_high), "p_value": _num(t.p_value)}


def _num(x: Any) -> float | None:
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def value_section(inputs: ValueInputs, *, positive_label: str, labels: dict[str, str],
                  split_truth: list[np.ndarray], split_chances: dict[str, list[np.ndarray]],
                  split_cutoffs: dict[str, list[float]], oof_truth: np.ndarray, oof_chances: dict[str, np.ndarray],
                  hold_truth: np.ndarray, hold_chances: dict[str, np.ndarray], n_train: float,
                  n_test: float) -> dict[str, Any]:
    """The ``value`` section of a yes/no trial (the JSON of ``compare --json``).

    ``split_truth[s]`` says which test rows of re-split s have the positive answer;
    ``split_chances[role][s]`` are the recipe's chances for them and ``split_cutoffs[role][s]``
    the cut-off chosen on that split's training rows only. ``oof_*`` are the out-of-fold
    chances of the last repeat (training rows only: they choose the holdout cut-off and draw
    the curve); ``hold_*`` the holdout rows and the final models' chances."""
    n = len(split_truth)
    per_split: dict[str, list[float]] = {"act_on_none": [], "act_on_all": [], "a": [], "b": []}
    for s in range(n):
        truth = np.asarray(split_truth[s], dtype=bool)
        per_split["act_on_none"].append(value_of(truth, np.zeros(len(truth), bool), inputs))
        per_split["act_on_all"].append(value_of(truth, np.ones(len(truth), bool), inputs))
        for role in ("a", "b"):
            per_split[role].append(value_of(truth, np.asarray(split_chances[role][s]) >= split_cutoffs[role][s],
                                            inputs))
    hold_truth = np.asarray(hold_truth, dtype=bool)
    oof_truth = np.asarray(oof_truth, dtype=bool)
    holdout = {"act_on_none": value_of(hold_truth, np.zeros(len(hold_truth), bool), inputs),
               "act_on_all": value_of(hold_truth, np.ones(len(hold_truth), bool), inputs)}
    out: dict[str, Any] = {"per_rows": PER_ROWS, "currency": inputs.currency, "inputs": inputs.to_dict(),
                           "positive": positive_label, "splits": n}
    for name in ("act_on_none", "act_on_all"):
        out[name] = {**_level(per_split[name], n_train, n_test), "holdout": _num(holdout[name])}
    means = {k: np.mean(per_split[k]) for k in ("act_on_none", "act_on_all")}
    best_plain = "act_on_all" if means["act_on_all"] > means["act_on_none"] else "act_on_none"
    out["best_plain"] = best_plain
    for role in ("a", "b"):
        cutoff = best_cutoff(oof_truth, oof_chances[role], inputs)
        hold_value = value_of(hold_truth, np.asarray(hold_chances[role]) >= cutoff, inputs)
        vs = [v - p for v, p in zip(per_split[role], per_split[best_plain])]
        out[role] = {**_level(per_split[role], n_train, n_test), "cutoff": cutoff, "holdout": _num(hold_value),
                     "split_cutoffs": [float(c) for c in split_cutoffs[role]],
                     "vs_best_plain": _paired(vs, n_train, n_test), "label": labels[role]}
        out[role]["beats_plain"] = bool((out[role]["vs_best_plain"]["ci_low"] or 0) > 0)
    out["difference"] = _paired([b - a for a, b in zip(per_split["a"], per_split["b"])], n_train, n_test)
    out["per_split"] = {k: [_num(v) for v in vals] for k, vals in per_split.items()}
    out["curve"] = {"cutoffs": [float(c) for c in CURVE_CUTOFFS],
                    "a": value_curve(oof_truth, oof_chances["a"], inputs),
                    "b": value_curve(oof_truth, oof_chances["b"], inputs),
                    "source": "out-of-fold chances of the last repeat (training rows only)"}
    out["winner"] = _winner(out)
    out["text"] = value_text(out)
    return out


def _level(values: list[float], n_train: float, n_test: float) -> dict[str, float | None]:
    """Mean value per 1,000 rows across the re-splits with the corrected 95% range."""
    test = _paired(values, n_train, n_test)
    return {"mean": test["mean"], "ci_low": test["ci_low"], "ci_high": test["ci_high"]}


def _winner(v: dict) -> str:
    """The recipe to act on: one that clearly beats the better plain baseline; of two such, B
    only when it is clearly better than A (and A only when clearly better than B), else the
    one with the higher mean value."""
    good = [r for r in ("a", "b") if v[r]["beats_plain"]]
    if not good:
        return "none"
    if len(good) == 1:
        return good[0]
    diff = v["difference"]
    if diff["ci_low"] is not None and diff["ci_low"] > 0:
        return "b"
    if diff["ci_high"] is not None and diff["ci_high"] < 0:
        return "a"
    return "b" if (v["b"]["mean"] or 0) > (v["a"]["mean"] or 0) else "a"


_PLAIN = {"act_on_none": "acting on no row", "act_on_all": "acting on every row"}


def _luck(p: float | None) -> str:
    return "a real difference" if p is not None and p < settings.get("alpha") else "could be luck"


def value_text(v: dict) -> str:
    """The money verdict in plain sentences (what to do first)."""
    cur = v.get("currency") or ""
    per = f"per {v['per_rows']:,} rows"
    plain = v["best_plain"]
    plain_words = _PLAIN[plain]
    plain_value = format_money(v[plain]["mean"], cur)
    winner = v["winner"]
    if winner == "none":
        return (f"At these prices acting on the model is not worth it: neither recipe earns clearly more than "
                f"{plain_words} ({plain_value} {per}), so {plain_words.replace('acting', 'act')} instead.")
    other = "a" if winner == "b" else "b"
    w = v[winner]
    vs = w["vs_best_plain"]
    diff = v["difference"]
    gain = diff["mean"] if winner == "b" else (None if diff["mean"] is None else -diff["mean"])
    sentence = (f"Using {w['label']} to choose which rows to act on earns about {format_money(vs['mean'], cur)} "
                f"{per} more than {plain_words} (95% range {format_money(vs['ci_low'], cur)} to "
                f"{format_money(vs['ci_high'], cur)})")
    if gain is not None:
        more = "more" if gain >= 0 else "less"
        sentence += (f" and about {format_money(abs(gain), cur)} {more} than {v[other]['label']} "
                     f"({_luck(diff['p_value'])})")
    sentence += (f". Act on a row when its chance of '{v['positive']}' is at least {w['cutoff']:.0%}; "
                 f"on the rows kept aside that earned {format_money(w['holdout'], cur)} {per}.")
    return sentence


def typical_error_value(inputs: dict, labels: dict[str, str], fold_scores: dict[str, np.ndarray], metric: str,
                        y_hold: np.ndarray, hold: dict) -> dict[str, Any]:
    """For a number target the money view is the typical error in the target's units: the mean
    absolute error across the re-splits and on the holdout (prices per flag do not apply)."""
    from .explain import format_difference
    from .scoring import score

    out: dict[str, Any] = {"kind": "typical_error", "per_rows": None, "currency": inputs.get("currency") or "",
                           "inputs": dict(inputs)}
    parts = []
    for role in ("a", "b"):
        if metric == "mae":
            mean = float(np.nanmean(fold_scores[role]))
        else:
            mean = float("nan")
        holdout = float(score("mae", y_hold, hold[role][0]))
        out[role] = {"mean": _num(mean), "holdout": _num(holdout), "label": labels[role]}
        typical = mean if math.isfinite(mean) else holdout
        parts.append(f"{labels[role]} is off by about {format_difference(typical, False)} on average")
    out["text"] = ("For a number target the money view is the typical error in the target's units: "
                   + "; ".join(parts) + ". The prices for flags apply only to yes/no targets.")
    return out
