"""What to do next after a trial, and how many rows would settle an open question.

Both functions read the result dict of a trial (``TrialResult.to_dict()`` shape, with the
``verdict`` and, when run through ``workflow.run_compare``, ``groups``), so the same words
come back for a stored trial, in the app, the CLI (``compare --json``: ``next_steps``,
``sample_size``) and the reports.

``next_steps`` gives one to three sentences in priority order:

1. a critical data problem (a critical check finding, or a score too good to be true): which, and fix it first;
2. neither recipe is clearly better than always guessing: why (one answer for everyone, or
   columns that say little about the target) and what to try;
3. the verdict: use the winner (and what the other would cost); the difference is too small
   to matter (pick the simpler or faster one); or no clear winner: how many rows would settle it;
4. a group of people served worse by the recipe to use (or by either, with no winner): check it first.

When the trial has prices (the money view, ``value.py``), one money sentence comes right after
a critical data problem: which recipe's flags earn the most at those prices and from which
cut-off, or that acting on the model is not worth it at these prices.

No sentence says "use" a recipe unless the verdict names it as the winner.
"""

from __future__ import annotations

import math
from typing import Any, Iterable

from scipy import stats as sps

from . import settings
from .group_findings import pair_findings
from .explain import (_against_guess, _is_baseline, _names as _quoted, _one_answer, _practical, common_enough,
                      decide_winner, format_difference, lead_from_left_out, too_good_sentence)

__all__ = ["next_steps", "sample_size"]

ROLES = ("a", "b")


def _metric_words(d: dict) -> str:
    return d.get("metric_label") or str(d.get("primary_metric") or "the score").replace("_", " ")


# --- how many rows would settle it ---------------------------------------------------------------
def _se(diff: dict) -> float | None:
    """The corrected standard error of the mean difference; older results: from the 95% range."""
    se = diff.get("se")
    if se is not None:
        return float(se)
    low, high, j = diff.get("ci_low"), diff.get("ci_high"), diff.get("splits")
    if low is None or high is None or not j or j < 2:
        return None
    return (float(high) - float(low)) / 2.0 / float(sps.t.ppf(0.5 + diff.get("confidence", 0.95) / 2.0, j - 1))


def _round_up(n: float) -> int:
    """Up to two significant figures (1,234 -> 1,300), so the number does not pretend to be exact."""
    n = math.ceil(n)
    if n < 100:
        return int(n)
    step = 10 ** (len(str(n)) - 2)
    return int(math.ceil(n / step) * step)


def sample_size(d: dict) -> dict[str, Any]:
    """How many rows would make a difference of the observed size distinguishable from luck.

    Only asked when the re-splits give no clear winner (the 95% range of B − A includes zero).
    The corrected resampled t-test (``stats.corrected_t_test``) estimates the variance of the
    mean difference over J re-splits as ``se² = (1/J + n_test/n_train)·s²``, with s² the spread
    of the per-split differences. With k folds, n_test/n_train = 1/(k−1) whatever the number
    of rows, and J stays the same; what shrinks with more rows is s²: each per-split difference
    is measured on n_test = n/k rows, so its variance is roughly ∝ 1/n, i.e. s²(n') ≈ s²·n/n'
    and se(n')² ≈ se²·n/n'. Asking that a true difference of the observed size |d̄| be found
    (interval excluding zero) with probability ``sample_size_power`` (default 80%) gives

        (t_{1−α/2, J−1} + t_{power, J−1}) · se·sqrt(n/n') = |d̄|
        ⇒  n' = n · ((t_{1−α/2, J−1} + t_{power, J−1}) · se / |d̄|)²  =  n · ((t_crit + t_pow) / |t|)²

    where n is the number of rows in the re-splits and |t| = |d̄|/se the observed statistic.
    (With power 50% this is the n' at which t_crit·se(n') equals |d̄|: a difference of exactly
    that size would land on the edge of the interval half the time.) The rows kept aside for
    the final check are added in the same share as now. The assumption, stated in the text:
    the new rows are of the same kind, with the same spread, and the true difference is the
    one observed. Both are estimated from the rows at hand, so the number is a rough guide: in a
    simulation (tests/test_decide.py; 300-row pilots, 10 splits each) the recommended rows found
    a real difference in 68% of 160 trials on average, from 3 to 20 of 20 depending on the pilot,
    because a spread estimated from 10 splits is itself uncertain.

    When |d̄| is within the negligible band (``practical_difference``: 1 point, or for number
    targets 1% of the always-guess error, as in ``explain._practical``) no size is given: the
    difference is too small to matter at any size.

    Returns ``{"needed_rows", "current_rows", "assumption", "text", "too_small_to_matter"}``;
    ``needed_rows`` is None (and ``text`` empty) when the trial already settles it.
    """
    diff = d.get("difference") or {}
    sp = d.get("splits") or {}
    cv_rows = int(sp.get("train_rows") or 0)
    current = cv_rows + int(sp.get("holdout_rows") or 0)
    assumption = ("The new rows are of the same kind as these (same spread of results from split to split), "
                  "the re-splits are set up the same way, and the real difference is the size seen here.")
    out: dict[str, Any] = {"needed_rows": None, "current_rows": current, "assumption": assumption, "text": "",
                           "too_small_to_matter": False}
    mean = diff.get("mean")
    if mean is None or (decide_winner(diff) != "none" and not _within_band(d)):
        return out  # no difference measured, or the range already excludes zero: rows are not the question
    points = d.get("metric_in_points", True)
    label = _metric_words(d)
    band = _practical(d)
    if abs(mean) <= band:  # also a range that excludes zero but lies within the band: "practically the same"
        out["too_small_to_matter"] = True
        out["text"] = (f"The difference seen ({format_difference(mean, points)} of {label}) is within "
                       f"{format_difference(band, points)}, too small to matter in practice, so more rows would not "
                       "change what to do: at any size the two recipes are about equally good.")
        return out
    se, j = _se(diff), int(diff.get("splits") or 0)
    if not se or j < 2 or cv_rows <= 0:
        return out
    alpha = 1.0 - float(diff.get("confidence", 0.95))
    power = float(settings.get("sample_size_power"))
    factor = float(sps.t.ppf(1.0 - alpha / 2.0, j - 1)) + float(sps.t.ppf(power, j - 1))
    cv_needed = cv_rows * (factor * se / abs(mean)) ** 2
    needed = _round_up(cv_needed * current / cv_rows)
    out["needed_rows"] = needed
    times = f", {needed / current:.0f} times as many" if needed >= 2 * current else ""
    out["text"] = (f"About {needed:,} rows (now {current:,}{times}) would likely settle it: with that many, a real "
                   f"difference of {format_difference(mean, points)} of {label} would show clearly in {power:.0%} "
                   "of such trials, assuming the new rows are like these (the same spread from split to split) and the "
                   "real difference is about the size seen here; both are estimated from these rows, so treat the "
                   "number as a rough guide.")
    return out


# --- what to do next ------------------------------------------------------------------------------
def _field(f: Any, name: str, default: Any = "") -> Any:
    return f.get(name, default) if isinstance(f, dict) else getattr(f, name, default)


def _critical_step(d: dict, findings: Iterable[Any]) -> str:
    handled = ("", "switched back on by you")
    critical = sorted((f for f in findings if _field(f, "severity") == "critical"),
                      key=lambda f: str(_field(f, "action") or "") not in handled)  # open problems first
    if critical:
        first = critical[0]
        title = str(_field(first, "title")).rstrip(".")
        columns = [str(c) for c in _field(first, "columns", ()) or ()]
        # the column to predict is what every finding is about: "('gender', 'union')" read as two groups
        columns = [c for c in columns if c != str(d.get("target"))] or columns
        which = (f" ({', '.join(repr(c) for c in columns[:3])}{' ...' if len(columns) > 3 else ''})"
                 if columns and not all(c in title for c in columns) else "")
        todo = str(_field(first, "suggestion") or _field(first, "message")).strip()
        todo = f" {todo}{'' if todo.endswith('.') else '.'}" if todo else ""
        action = str(_field(first, "action") or "")
        more = f" (and {len(critical) - 1} more on the data checks)" if len(critical) > 1 else ""
        if action not in handled:
            done = "" if "FairTrial" in todo else f" FairTrial {action} it; check that this is right."
            return f"First check what FairTrial did about a critical data problem{more}: {title}{which}.{todo}{done}"
        return f"First deal with this critical data problem{more}: {title}{which}.{todo}"
    if d.get("too_good"):
        return "First check for leakage, then run the trial again: " + too_good_sentence(d)
    return ""


def _useless_step(d: dict) -> str:
    real = [r for r in ROLES if not _is_baseline(d[r])]
    if not real or any(d[r].get("beats_baseline") for r in real):
        return ""
    names = " nor ".join(d[r]["label"] for r in real)
    who = f"Neither {names} is" if len(real) == 2 else f"{d[real[0]]['label']} is not"
    single = [r for r in real if _one_answer(d, r)]
    if single and all(common_enough(d, _one_answer(d, r)[0]) for r in single):
        single = []  # the other answer is common: nothing here says rare answers were the trouble
    if single:
        why = ("because the rare answers are hard to tell apart with these columns, "
               f"{' and '.join(d[r]['label'] for r in single)} gave (nearly) everyone the same answer")
        treated = all((d[r].get("recipe_options") or {}).get("imbalance", "none") != "none" for r in single)
        tries = ("add columns that tell the answers apart" if treated
                 else "switch on 'Give rare answers more weight', or add columns that tell the answers apart")
    else:
        why = f"the columns used seem to say little about '{d.get('target', 'the target')}'"
        tries = "add columns that plausibly drive it, or gather more rows"
    worse = [r for r in real if _against_guess(d, r) == "worse"]
    verb = "is" if len(worse) == 1 else "are"
    tail = f" ({' and '.join(d[r]['label'] for r in worse)} {verb} even clearly worse than guessing)" if worse else ""
    which = "either" if len(real) == 2 else "it"
    return f"{who} clearly better than always guessing{tail}, so do not use {which} yet: {why}; try to {tries}."


def _speed(d: dict, fast: str, slow: str) -> str:
    """'5 times faster to train' when ``fast`` is clearly cheaper than ``slow``, else ''."""
    cost = d.get("cost") or {}
    cf, cs = cost.get(fast) or {}, cost.get(slow) or {}
    for key, what in (("fit_seconds", "train"), ("predict_ms_per_1000", "predict")):
        a, b = cf.get(key), cs.get(key)
        if a and b and b / a >= 1.5:
            ratio = b / a
            return f"{ratio:.0f} times faster to {what}" if ratio >= 10 else f"{ratio:.1f} times faster to {what}"
    return ""


def _verdict_step(d: dict, verdict: dict, size: dict) -> str:
    winner = verdict.get("winner", "none")
    points = d.get("metric_in_points", True)
    label = _metric_words(d)
    real = [r for r in ROLES if not _is_baseline(d[r])]
    useful = [r for r in real if d[r].get("beats_baseline")]
    if winner in ROLES:
        loser = "b" if winner == "a" else "a"
        lead = lead_from_left_out(d, winner)
        if lead:  # "A: with a leak / B: without it" won by A is no reason to use A
            them = "it" if len(lead["columns"]) == 1 else "them"
            if lead["leak"]:
                return (f"Do not use {d[winner]['label']}: its lead comes only from {_quoted(lead['columns'])}, which "
                        f"the checks kept out because {them} seem{'s' if them == 'it' else ''} to give the answer "
                        f"away. Use {d[loser]['label']}, the same recipe without {them}, unless "
                        f"{_quoted(lead['columns'])} {'is' if them == 'it' else 'are'} really known before the outcome.")
            return (f"Think twice before using {d[winner]['label']}: its lead comes only from "
                    f"{_quoted(lead['columns'])}, which describe{'s' if them == 'it' else ''} people, so it treats "
                    f"people differently by {them}. FairTrial keeps columns about people out of the models unless you "
                    f"choose otherwise: {d[loser]['label']} is the same recipe without {them}; compare the two in the "
                    "group results.")
        gain = abs(d["difference"]["mean"])
        speed = _speed(d, loser, winner)
        cost = (f"cost about {format_difference(gain, points)} of {label}" if points else
                f"make its guesses off by about {format_difference(gain, points)} more on average ({label})")
        text = f"Use {d[winner]['label']}: choosing {d[loser]['label']} instead would {cost}"
        text += f", though it is {speed}." if speed else "."
        if gain < _practical(d):
            text += " The gain is small, so the cheaper one is also a fair choice if cost matters more."
        return text
    if not useful:
        return ""  # the "neither beats guessing" step already says what to do
    if size.get("too_small_to_matter") or _within_band(d):
        pick = _cheaper(d, useful)
        return (f"The difference is too small to matter: pick the simpler or cheaper recipe{pick}; more rows would "
                "not change this.")
    if decide_winner(d.get("difference") or {}) != "none":
        return ""  # a clear difference, but the better one is not clearly better than guessing: said above
    if size.get("text"):
        only = (f" Until then, only {d[useful[0]]['label']} is clearly better than always guessing."
                if len(useful) == 1 and len(real) == 2 else "")
        return f"Get more rows before choosing. {size['text']}{only}"
    return ""


def _within_band(d: dict) -> bool:
    diff, band = d.get("difference") or {}, _practical(d)
    low, high = diff.get("ci_low"), diff.get("ci_high")
    return low is not None and high is not None and abs(low) <= band and abs(high) <= band


def _cheaper(d: dict, useful: list[str]) -> str:
    if len(useful) == 1:
        return f" among those clearly better than guessing ({d[useful[0]]['label']})"
    for fast, slow in (("a", "b"), ("b", "a")):
        speed = _speed(d, fast, slow)
        if speed:
            return f" ({d[fast]['label']} is {speed})"
    return ""


def _group_step(d: dict, verdict: dict, groups: dict | None) -> str:
    winner = verdict.get("winner", "none")
    roles = [winner] if winner in ROLES else [r for r in ROLES if d[r].get("beats_baseline")]
    if not roles:
        return ""
    rank = {"critical": 2, "warning": 1}
    flagged = []
    for column, section in (groups or {}).items():
        for f in (section or {}).get("findings") or []:
            arm = (_field(f, "details", {}) or {}).get("arm")
            if _field(f, "severity") in rank and (arm in roles or arm is None):
                flagged.append((rank[_field(f, "severity")], column, f))
    if not flagged:
        return ""
    flagged.sort(key=lambda x: -x[0])
    _, column, _ = flagged[0]
    columns = list(dict.fromkeys(c for _, c, _ in flagged))
    quoted = [f"'{c}'" for c in columns]
    which = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
    who, it = (d[winner]["label"], "it serves") if winner in ROLES else ("either recipe", "they serve")
    # The worst finding's title names one recipe; with no winner, the other recipe's finding of the same
    # rank on that column is named too, so 'Recipe A ...' is not read as 'only A'.
    top = flagged[0][0]
    tops = [g for r, c, g in flagged if r == top and c == column]
    if winner not in ROLES:  # A's and B's finding of one check as one: 'Both recipes predict ...'
        tops = pair_findings(tops)
    titles = [str(_field(g, "title")).rstrip(".") for g in tops]
    titles = list(dict.fromkeys(titles))[: 1 if winner in ROLES else 2]
    return f"Before using {who}, check how {it} the groups of {which} (see the group results): {'; '.join(titles)}."


def _money_step(d: dict) -> str:
    """One sentence on what to do at the user's prices (yes/no targets with a money view)."""
    from .value import format_money

    value = d.get("value") or {}
    if value.get("kind") == "typical_error" or not value.get("text"):
        return ""
    cur = value.get("currency") or ""
    plain = {"act_on_none": "acting on no row", "act_on_all": "acting on every row"}[value["best_plain"]]
    winner = value.get("winner")
    if winner not in ROLES:
        act = "act on no row" if value["best_plain"] == "act_on_none" else "act on every row"
        return (f"At your prices acting on the model is not worth it: neither recipe earns clearly more than "
                f"{plain}, so {act}.")
    arm = value[winner]
    vs = arm["vs_best_plain"]
    return (f"At your prices, acting on the rows {arm['label']} flags (a chance of '{value['positive']}' of at "
            f"least {arm['cutoff']:.0%}) earns about {format_money(vs['mean'], cur)} per "
            f"{value['per_rows']:,} rows more than {plain} (95% range {format_money(vs['ci_low'], cur)} to "
            f"{format_money(vs['ci_high'], cur)}).")


def next_steps(d: dict, findings: Iterable[Any] = (), groups: dict | None = None) -> list[str]:
    """One to three sentences, in priority order, on what to do after this trial.

    ``d`` is the trial's result dict (with ``verdict``; rebuilt from the numbers when absent);
    ``findings`` are the data checks' findings (``Finding`` objects or their dicts) behind the
    trial; ``groups`` the per-group results (default ``d["groups"]``)."""
    from .explain import build_verdict

    verdict = dict(d.get("verdict") or build_verdict(d).to_dict())
    if verdict.get("winner") in ROLES and d[verdict["winner"]].get("beats_baseline") is False:
        verdict["winner"] = "none"  # trials stored before the rule: a winner no better than guessing is not to use
    size = d.get("sample_size") or sample_size(d)
    steps = [_critical_step(d, list(findings or ())), _money_step(d), _useless_step(d),
             _verdict_step(d, verdict, size),
             _group_step(d, verdict, groups if groups is not None else d.get("groups"))]
    return [s for s in steps if s][:3]
