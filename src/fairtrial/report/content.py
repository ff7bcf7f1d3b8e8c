"""What the report says, worked out once for both the workbook and the HTML page.

Everything here reads the stored-trial dicts (``Store.get_trial``: ``plan`` and ``result``)
and returns plain values: sentences, numbers with their meaning, and tidy rows. Older
trials and number targets lack some parts (calibration, groups, ...); each function then
returns an empty value and the writers say "not available for this trial".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from numbers import Real
from typing import Any, Iterable

from .. import glossary, settings
from ..findings import SEVERITY_RANK, Finding, columns_named, said_once, same_kind
from ..group_findings import pair_findings, summary_not_repeated

__all__ = [
    "NOT_AVAILABLE",
    "WARNINGS_SHOWN",
    "CalibrationPart",
    "GroupBlock",
    "GroupRow",
    "KeyNumber",
    "MetricInfo",
    "SplitRow",
    "arm_label",
    "arm_phrase",
    "as_number",
    "calibration_parts",
    "chart_metric",
    "cost_rows",
    "cost_sentences",
    "flatten",
    "group_blocks",
    "group_sentences",
    "importance_lists",
    "interval_words",
    "key_numbers",
    "main_warnings",
    "metric_info",
    "metric_triples",
    "next_steps",
    "p_words",
    "personal_columns",
    "part",
    "recipe_name",
    "sorted_findings",
    "split_rows",
    "task_words",
    "verdict_sentences",
    "words_used",
]

NOT_AVAILABLE = "not available for this trial"
PII_CHECK = "pii"  # the personal-data check's id (checks/__init__.py)
ARMS = ("a", "b")

Triple = tuple[float | None, float | None, float | None]


# --- numbers --------------------------------------------------------------------------------
def as_number(value: Any) -> float | None:
    """A finite float, or None for missing, text, booleans, NaN and infinity."""
    if value is None or isinstance(value, bool) or not isinstance(value, Real):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _first(data: dict, *keys: str) -> Any:
    for key in keys:
        if data.get(key) is not None:
            return data[key]
    return None


def part(data: dict | None, key: str) -> dict:
    """``data[key]`` when it is a dict, else an empty dict (missing in older trials)."""
    value = (data or {}).get(key)
    return value if isinstance(value, dict) else {}


# --- metrics --------------------------------------------------------------------------------
@dataclass(frozen=True)
class MetricInfo:
    """How to read one score: its name in words, what it means, and which way is better."""

    name: str
    label: str
    meaning: str
    higher_is_better: bool | None = True
    percent: bool = False
    better_words: str = ""

    @property
    def better(self) -> str:
        if self.better_words:
            return self.better_words
        if self.higher_is_better is None:
            return "Neither: compare the groups"
        return "Higher is better" if self.higher_is_better else "Lower is better"

    scale: float = 0.0
    """The size of the values shown (``for_values``): a number format for prices differs from one for R²."""

    def for_values(self, values: Iterable[Any]) -> "MetricInfo":
        """The same score, formatted for values of the size of ``values``."""
        sizes = [abs(n) for n in (as_number(v) for v in values) if n is not None]
        return replace(self, scale=max(sizes, default=0.0))

    @property
    def _digits(self) -> str:
        return "#,##0" if self.scale >= 1000 else "#,##0.0" if self.scale >= 10 else "0.000"

    @property
    def excel_format(self) -> str:
        return "0.0%" if self.percent else self._digits

    @property
    def diff_format(self) -> str:
        d = self._digits
        return "+0.0%;-0.0%;0.0%" if self.percent else f"+{d};-{d};{d}"

    @property
    def points(self) -> bool:
        """A gap between two shares (a '_difference' or '_gap' of percentages): said in points, as
        '17.0 points', since '17%' could be read as 17% of something."""
        return self.percent and self.name.endswith(("_difference", "_gap"))

    def text(self, value: Any) -> str:
        number = as_number(value)
        if number is None:
            return "not available"
        if self.points:
            return f"{number * 100:.1f} points"
        return f"{number:.1%}" if self.percent else _plain_number(number)

    def range_text(self, low: Any, high: Any) -> str:
        """'1.2 to 11.0 points', '71.0% to 79.0%'; empty when either end is missing."""
        lo, hi = as_number(low), as_number(high)
        if lo is None or hi is None:
            return ""
        if self.points:
            return f"{lo * 100:.1f} to {hi * 100:.1f} points"
        return f"{self.text(lo)} to {self.text(hi)}"

    def diff_text(self, value: Any) -> str:
        number = as_number(value)
        if number is None:
            return "not available"
        if self.percent:
            return f"{number * 100:+.1f} points"
        return ("+" if number > 0 else "") + _plain_number(number)


def _plain_number(number: float) -> str:
    """A score in the target's own units as a person writes it: '58,498' for a price, '12.4' for a
    count, '0.870' for a score between 0 and 1."""
    size = abs(number)
    if size >= 1000:
        return f"{number:,.0f}"
    if size >= 10:
        return f"{number:,.1f}"
    return f"{number:.3f}"


# The scores a report shows as shares (0.0%); their names, meanings and which way is better come from the
# glossary (``metric_info``). Only the few scores the glossary does not list carry their words here.
_GLOSSARY_PERCENT = {
    "accuracy": True, "balanced_accuracy": True, "roc_auc": False, "f1": False, "true_positive_rate": True,
    "tpr": True, "false_positive_rate": True, "fpr": True, "selection_rate": True, "log_loss": False, "mae": False,
    "mean_absolute_error": False, "rmse": False, "r2": False, "brier": False, "brier_skill": False, "ece": True,
    "demographic_parity_difference": True, "selection_rate_ratio": False, "equalized_odds_difference": True,
    "worst_relative_drop": True,
}
_METRICS: dict[str, MetricInfo] = {
    m.name: m
    for m in (
        *(MetricInfo(name, name, "", None, percent) for name, percent in _GLOSSARY_PERCENT.items()),
        MetricInfo("f1_macro", "F1 score (per answer, averaged)",
                   "A balance of finding the cases and not raising false alarms, averaged over the answers: 0 to 1.",
                   True),
        MetricInfo("f1_weighted", "F1 score (weighted)",
                   "A balance of finding the cases and not raising false alarms, weighted by answer size: 0 to 1.",
                   True),
        MetricInfo("precision", "Precision", "Of the rows flagged, the share that really were cases.", True, True),
        MetricInfo("recall", "Recall", "Of the real cases, the share the recipe found.", True, True),
        MetricInfo("median_absolute_error", "Median absolute error",
                   "How far off a typical guess is, in the target's own units.", False),
        MetricInfo("mse", "Mean squared error", "The average squared miss; big misses count extra.", False),
        MetricInfo("mape", "Mean absolute percentage error", "How far off a guess is on average, in per cent.",
                   False, True),
    )
}
_PERCENT_HINTS = ("rate", "accuracy", "demographic_parity_difference", "equal", "gap")
_LOWER_HINTS = ("error", "loss", "mae", "mse", "brier", "ece", "difference", "gap", "drop")


def metric_info(name: Any) -> MetricInfo:
    """How to read ``name``: its name, meaning and which way is better from the glossary (the one
    place for those words), its number format from the table above; unknown names get a generic
    entry with a guessed direction."""
    key = str(name or "score")
    lowered = key.lower()
    entry = glossary.term(lowered)
    known = _METRICS.get(key) or _METRICS.get(lowered)
    if known is not None:
        if entry is None:
            return known
        return replace(known, label=entry.name, meaning=entry.meaning, higher_is_better=entry.higher_is_better,
                       better_words=entry.better)
    if entry is not None and lowered.startswith("overall_"):
        # "overall_accuracy" is the accuracy over all rows, shown beside the gaps between groups
        inner = metric_info(lowered[len("overall_"):])
        return replace(inner, name=key, label=f"{inner.label}, over all rows")
    if entry is not None:
        percent = not lowered.endswith("_p") and (
            ("mean_" not in lowered and any(hint in lowered for hint in _PERCENT_HINTS))
            or lowered.endswith(("_drop", "_rise")))
        return MetricInfo(key, entry.name, entry.meaning, entry.higher_is_better, percent, entry.better)
    label = key.replace("_", " ").strip().capitalize() or "Score"
    higher = not any(hint in lowered for hint in _LOWER_HINTS)
    return MetricInfo(key, label, "A number worked out in this trial; the glossary has no plain words for it yet.",
                      higher, False)


# --- words ----------------------------------------------------------------------------------
_TRIAL_WORDS = ("baseline", "fold", "resplit", "interval", "p_value", "seed")


def words_used(trial: dict, findings: Iterable[Finding | dict] = (), *, personal: set[str] | None = None,
               group_measures: str = "chart") -> list[glossary.Term]:
    """The glossary entries for the terms a report of ``trial`` shows, each once, in the order they show:
    the main score, the trial's own words, the data checks in ``findings`` (pass only the ones the
    report shows), and the measures per group: ``group_measures`` "chart" names the one drawn per group
    (the HTML page), "paper" those a printed workbook shows (``paper_measures``, whether a group was
    judged when a group is small, and the calibration measures), "all" every one the workbook holds."""
    if group_measures not in ("chart", "paper", "all"):
        raise ValueError(f"group_measures must be 'chart', 'paper' or 'all', not {group_measures!r}")
    result, plan = trial.get("result") or {}, trial.get("plan") or {}
    keys: list[Any] = [result.get("primary_metric") or plan.get("metric"), *_TRIAL_WORDS]
    if part(result, "splits").get("holdout_rows") or any(part(result, arm).get("holdout") is not None
                                                         for arm in ARMS):
        keys.append("holdout")
    if any(part(plan, f"recipe_{arm}").get("imbalance") == "balanced" for arm in ARMS):
        keys.append("balanced_weights")  # the verdict says the recipes learned with balanced weights
    keys.extend(f.check if isinstance(f, Finding) else (f or {}).get("check") for f in findings)
    primary = keys[0]
    for block in group_blocks(result):
        if block.column in (personal or set()):
            continue
        if group_measures == "all":
            keys.extend([*block.metric_names, "judged"])
        elif group_measures == "paper":
            keys.extend(paper_measures(block, primary))
            if any(g.judged is False or g.confidence not in ("", "normal") for g in block.rows):
                keys.append("judged")
        else:
            keys.append(chart_metric(block, primary))
        for arm in ARMS:
            keys.extend(block.fairness.get(arm, {}))
    if calibration_parts(result):  # the verdict names the calibration error; the workbook shows all three
        keys.extend(["calibration_error"] if group_measures == "chart" else ["calibration_error", "brier",
                                                                            "brier_skill"])
    if result.get("importance"):
        keys.append("permutation_importance")  # 'What mattered most': the importance of each column
    if part(result, "cost"):
        keys.append("cost")
    if group_measures == "all":
        if result.get("robustness"):
            keys.append("robustness")  # the workbook's more results, on screen
        keys.extend(k for arm in ("a", "b", "baseline") for k in part(part(result, "secondary"), arm))
    return glossary.terms_for(k for k in keys if k)


_TASK_WORDS = {
    "binary": "a yes/no answer (two possible answers)",
    "multiclass": "one of several possible answers",
    "numeric": "a number",
}


def task_words(task: Any) -> str:
    return _TASK_WORDS.get(str(task), str(task or "unknown"))


def _recipe_name(trial: dict, arm: str) -> str:
    result = trial.get("result") or {}
    stored = part(result, arm)
    name = stored.get("label")
    for source in (stored.get("recipe"), (trial.get("plan") or {}).get(f"recipe_{arm}")):
        if name:
            break
        if isinstance(source, dict):
            name = source.get("label") or source.get("name")
        elif source:
            name = str(source)
    if arm == "baseline" and (not name or name == "baseline"):
        name = "always guessing"
    return str(name or "")


def recipe_name(trial: dict, arm: str) -> str:
    """For 'A is Random forest': the recipe's name alone, or 'recipe A' when none is stored."""
    return _recipe_name(trial, arm) or f"recipe {arm.upper()}"


def arm_label(trial: dict, arm: str) -> str:
    """For headers and labels: 'Recipe A: Random forest', 'Baseline: always guessing'."""
    head = "Baseline" if arm == "baseline" else f"Recipe {arm.upper()}"
    name = _recipe_name(trial, arm)
    return f"{head}: {name}" if name else head


def arm_phrase(trial: dict, arm: str) -> str:
    """For sentences: 'Random forest (B)', 'always guessing'."""
    name = _recipe_name(trial, arm)
    if arm == "baseline":
        return name
    return f"{name} ({arm.upper()})" if name else f"recipe {arm.upper()}"


def verdict_sentences(result: dict) -> list[str]:
    verdict = part(result, "verdict")
    sentences = [str(s) for s in verdict.get("sentences") or [] if str(s).strip()]
    if not sentences and verdict.get("text"):
        sentences = [str(verdict["text"])]
    return sentences or [f"No verdict was stored for this trial, so the result is {NOT_AVAILABLE}."]


def p_words(p: Any) -> str:
    number = as_number(p)
    if number is None:
        return "Whether the difference could be luck is not available for this trial."
    if number < float(settings.get("alpha_strong")):
        words = "is very unlikely to be luck"
    elif number < float(settings.get("alpha")):
        words = "is unlikely to be luck"
    else:
        words = "could well be luck"
    return f"{_p_text(number)}: a difference this size {words}."


def _p_text(p: float) -> str:
    """'p = 0.004'; 'p < 0.001' rather than a 'p = 0.000' no test can give."""
    return "p < 0.001" if p < 0.0005 else f"p = {p:.3f}"


def interval_words(metric: MetricInfo, low: Any, high: Any) -> str:
    lo, hi = as_number(low), as_number(high)
    if lo is None or hi is None:
        return "The 95% range is not available for this trial."
    span = f"from {metric.diff_text(lo)} to {metric.diff_text(hi)}"
    if lo > 0 or hi < 0:
        return f"The 95% range runs {span}: all of it on one side of 0, so the difference is real."
    return f"The 95% range runs {span}: it includes 0, so the two recipes may be equally good."


# --- key numbers ----------------------------------------------------------------------------
@dataclass(frozen=True)
class KeyNumber:
    """One number on the summary, with its format and what it means."""

    label: str
    value: float | None
    number_format: str
    text: str
    meaning: str
    better: str


def key_numbers(trial: dict) -> list[KeyNumber]:
    result = trial.get("result") or {}
    metric = metric_info(result.get("primary_metric") or (trial.get("plan") or {}).get("metric"))
    metric = metric.for_values(part(result, arm).get(key) for arm in ("a", "b", "baseline")
                               for key in ("mean", "holdout"))
    n_splits = len(split_rows(trial))
    out: list[KeyNumber] = []
    for arm in ("a", "b", "baseline"):
        mean = as_number(part(result, arm).get("mean"))
        over = f"over the {n_splits} test splits" if n_splits else "over the test splits"
        if arm == "a":
            meaning = f"The average {over}. {metric.meaning}"
        elif arm == "b":
            meaning = f"The same for recipe B: the average {over}."
        else:
            meaning = "What you get with no model at all: a recipe must beat this to be worth using."
        out.append(KeyNumber(f"{metric.label}, {arm_label(trial, arm)}", mean, metric.excel_format,
                             metric.text(mean), meaning, metric.better))
    diff = part(result, "difference")
    if diff:
        better = {True: "Above 0 means B is better", False: "Below 0 means B is better"}.get(
            metric.higher_is_better, "Further from 0 means a bigger difference")
        out.append(KeyNumber("Difference, B minus A", as_number(diff.get("mean")), metric.diff_format,
                             metric.diff_text(diff.get("mean")),
                             interval_words(metric, diff.get("ci_low"), diff.get("ci_high")), better))
        out.append(KeyNumber("Could the difference be luck? (p-value)", as_number(diff.get("p_value")), "0.000",
                             "not available" if as_number(diff.get("p_value")) is None
                             else _p_text(as_number(diff.get("p_value"))).removeprefix("p = "),
                             p_words(diff.get("p_value")), "Lower means less likely to be luck"))
    rows = part(result, "splits").get("holdout_rows")
    for arm in ARMS:
        holdout = as_number(part(result, arm).get("holdout"))
        if holdout is None and not part(result, arm):
            continue
        kept = f"the {int(rows):,} rows" if as_number(rows) is not None else "the rows"
        out.append(KeyNumber(f"Final check, {arm_label(trial, arm)}", holdout, metric.excel_format,
                             metric.text(holdout),
                             f"The score on {kept} kept aside and used only once, at the end. Close to the "
                             "average above means the result holds up on new rows.", metric.better))
    sample = part(result, "splits").get("training_sample")
    if isinstance(sample, dict) and sample.get("rows") is not None:  # a trial on a big file (sampling.py)
        rows_in, of = int(sample["rows"]), int(sample.get("of") or 0)
        out.append(KeyNumber("Rows trained on (a random sample)", float(rows_in), "#,##0", f"{rows_in:,} of {of:,}",
                             f"The recipes trained on {rows_in:,} of the {of:,} rows outside the final check, a "
                             "seeded random sample (the same seed draws the same one); the other "
                             f"{of - rows_in:,} were not used. The final check still used its full random share "
                             "of all rows.", "More rows make a steadier comparison but a slower trial"))
    cost = part(result, "cost")
    for arm in ARMS:
        seconds = as_number(part(cost, arm).get("fit_seconds"))
        if seconds is None:
            continue
        out.append(KeyNumber(f"Seconds to train, {arm_label(trial, arm)}", seconds, "0.00", f"{seconds:.2f} s",
                             "How long it took to learn from the training rows once.", "Lower is better"))
    return out


# --- warnings and next steps ----------------------------------------------------------------
def sorted_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Most severe first; the checks' own order within a severity."""
    return sorted(findings, key=lambda f: -SEVERITY_RANK[f.severity])


def _finding_line(f: Finding | dict) -> str:
    """'Outcome differs between groups ('age'): ask whether ...': the title names its columns unless
    it or the advice already does, so two findings of one check on two columns do not read alike."""
    if isinstance(f, dict):
        title, suggestion, message = f.get("title", ""), f.get("suggestion", ""), f.get("message", "")
        columns = [str(col) for col in f.get("columns") or ()]
    else:
        title, suggestion, message = f.title, f.suggestion, f.message
        columns = [str(col) for col in f.columns]
    follow = suggestion or message
    shown = f"{title} {follow}"
    missing = [col for col in columns[:3] if not re.search(rf"(?<!\w){re.escape(col)}(?!\w)", shown)]
    if missing and len(missing) == len(columns[:3]):
        title = f"{title} ({', '.join(repr(col) for col in missing)}{', ...' if len(columns) > 3 else ''})"
    return f"{title}: {follow}" if follow else str(title)


def _same_kind_line(same: list[Finding]) -> str:
    """Findings of one check with one title (a column about people, kept aside, for each of three columns),
    said once: 'Sensitive: kept for group checks ('age', 'ethnicity' and 'gender'): <advice>'; the advice
    once, with 'one of them' where each named its own column (``findings.said_once``). Each column's own
    words stay with its finding (the Data checks sheet, the Check page)."""
    if len(same) == 1:
        return _finding_line(same[0])
    follow = said_once(same, "suggestion") or said_once(same, "message", or_each=False)
    title = f"{same[0].title} ({columns_named(same)})"
    return f"{title}: {follow}" if follow else title


WARNINGS_SHOWN = 6  # the warnings a report lists first; the rest are counted


def main_warnings(trial: dict, findings: Iterable[Finding], limit: int = WARNINGS_SHOWN) -> tuple[list[str], int]:
    """The warnings worth reading first, and how many more there are. The data-check findings of one
    check with one title and severity read as one line naming their columns (``_same_kind_line``)."""
    result = trial.get("result") or {}
    lines: list[str] = []
    for same in same_kind(f for f in sorted_findings(findings) if f.severity in ("critical", "warning")):
        lines.append(f"{same[0].severity.capitalize()}: {_same_kind_line(same)}")
    for arm in ARMS:
        if part(result, arm).get("beats_baseline") is False:
            lines.append(f"Warning: {arm_phrase(trial, arm)} is no better than always guessing.")
    for block in group_blocks(result):
        for f in pair_findings(block.findings):
            if f.get("severity") in ("critical", "warning"):
                lines.append(f"{str(f['severity']).capitalize()}: {_finding_line(f)}")
    ece_critical = float(settings.get("ece_critical"))
    for arm, cal in calibration_parts(result).items():
        if cal.ece is not None and cal.ece > ece_critical:
            lines.append(f"Warning: the chances {arm_phrase(trial, arm)} gives are clearly off "
                         f"(calibration error {cal.ece:.1%}): use its answers, not its percentages.")
    lines = list(dict.fromkeys(lines))  # the same sentence twice says nothing new
    return lines[:limit], max(0, len(lines) - limit)


def next_steps(trial: dict, findings: Iterable[Finding], *, in_workbook: bool = True) -> list[str]:
    """What to do now, in order: the engine's sentences (``decide.next_steps``, stored with the trial,
    or worked out from its result and the check findings for older trials), then where the settings
    to repeat it are."""
    from ..decide import next_steps as engine_steps

    result = trial.get("result") or {}
    if "next_steps" in result:
        steps = [str(s) for s in result.get("next_steps") or []]
    else:
        steps = engine_steps(result, list(findings), result.get("groups")) if result.get("difference") else []
    where = ("the Provenance sheet (hidden so that it is not printed: right-click a sheet tab and choose Unhide)"
             if in_workbook else "the Provenance sheet of the Excel report")
    return steps + [f"To repeat this trial with the same numbers, use the settings on {where}."]


def personal_columns(findings: Iterable[Finding]) -> set[str]:
    """Columns the personal-data check (``pii``) flagged: their values never go into a report."""
    return {str(col) for f in findings if f.check == PII_CHECK for col in f.columns}


# --- per-split scores -----------------------------------------------------------------------
@dataclass(frozen=True)
class SplitRow:
    index: int
    repeat: int | None
    fold: int | None
    a: float | None
    b: float | None
    baseline: float | None
    difference: float | None


def _scores(data: dict) -> list[Any]:
    scores = data.get("fold_scores")
    return list(scores) if isinstance(scores, (list, tuple)) else []


def split_rows(trial: dict) -> list[SplitRow]:
    """One row per test split: scores of A, B and the baseline, and B minus A."""
    result = trial.get("result") or {}
    plan = trial.get("plan") or {}
    a, b, base = (_scores(part(result, arm)) for arm in ("a", "b", "baseline"))
    stored_diff = part(result, "difference").get("splits")
    stored_diff = list(stored_diff) if isinstance(stored_diff, (list, tuple)) else []
    n = max(len(a), len(b), len(base), len(stored_diff))
    splits = part(result, "splits")
    folds = as_number(splits.get("folds") if splits.get("folds") is not None else plan.get("folds"))
    repeats = as_number(splits.get("repeats") if splits.get("repeats") is not None else plan.get("repeats"))
    numbered = folds is not None and repeats is not None and folds > 0 and int(folds) * int(repeats) == n

    def at(values: list[Any], i: int) -> float | None:
        return as_number(values[i]) if i < len(values) else None

    rows = []
    for i in range(n):
        score_a, score_b = at(a, i), at(b, i)
        diff = at(stored_diff, i) if stored_diff else (
            score_b - score_a if score_a is not None and score_b is not None else None)
        rows.append(SplitRow(i + 1, i // int(folds) + 1 if numbered else None,
                             i % int(folds) + 1 if numbered else None, score_a, score_b, at(base, i), diff))
    return rows


def flatten(data: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """Nested dicts as ('outer / inner', value) pairs; lists of numbers kept as one value."""
    out: list[tuple[str, Any]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            name = f"{prefix} / {key}" if prefix else str(key)
            out.extend(flatten(value, name))
    elif isinstance(data, (list, tuple)):
        if all(not isinstance(v, (dict, list, tuple)) for v in data):
            out.append((prefix, ", ".join("" if v is None else str(v) for v in data)))
        else:
            for i, value in enumerate(data, 1):
                out.extend(flatten(value, f"{prefix} / {i}" if prefix else str(i)))
    else:
        out.append((prefix, data))
    return out


# --- groups ---------------------------------------------------------------------------------
_LOW_SUFFIXES = ("_ci_low", "_low")
_HIGH_SUFFIXES = ("_ci_high", "_high")


def metric_triples(values: Any) -> dict[str, Triple]:
    """Metric values as (value, 95% low, 95% high), whichever way the interval is stored:
    ``{"m": 0.8}``, ``{"m": {"value": 0.8, "ci_low": .., "ci_high": ..}}``,
    ``{"m": [0.8, low, high]}`` or ``{"m": 0.8, "m_ci_low": .., "m_ci_high": ..}``."""
    if not isinstance(values, dict):
        return {}
    out: dict[str, list[float | None]] = {}
    ends: dict[str, dict[int, float | None]] = {}
    for key, value in values.items():
        key = str(key)
        low_base = next((key[: -len(s)] for s in _LOW_SUFFIXES if key.endswith(s)), None)
        high_base = next((key[: -len(s)] for s in _HIGH_SUFFIXES if key.endswith(s)), None)
        if isinstance(value, dict):
            out[key] = [as_number(_first(value, "value", "estimate", "mean")),
                        as_number(_first(value, "ci_low", "low")), as_number(_first(value, "ci_high", "high"))]
        elif isinstance(value, (list, tuple)) and len(value) == 3:
            out[key] = [as_number(v) for v in value]
        elif low_base is not None:
            ends.setdefault(low_base, {})[1] = as_number(value)
        elif high_base is not None:
            ends.setdefault(high_base, {})[2] = as_number(value)
        elif value is None or (isinstance(value, Real) and not isinstance(value, bool)):
            out[key] = [as_number(value), None, None]
    for base, parts in ends.items():
        target = out.setdefault(base, [None, None, None])
        for position, number in parts.items():
            target[position] = number
    return {key: (v[0], v[1], v[2]) for key, v in out.items()}


@dataclass(frozen=True)
class GroupRow:
    group: str
    rows: float | None
    judged: bool | None
    confidence: str
    note: str
    metrics: dict[str, dict[str, Triple]]  # arm -> metric -> (value, low, high)


@dataclass(frozen=True)
class GroupBlock:
    column: str
    banded: Any
    rows: list[GroupRow]
    metric_names: list[str]
    fairness: dict[str, dict[str, Triple]]
    findings: list[dict] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)

    @property
    def has_intervals(self) -> bool:
        return any(t[1] is not None or t[2] is not None
                   for row in self.rows for arm in row.metrics.values() for t in arm.values())


def group_blocks(result: dict) -> list[GroupBlock]:
    """The per-group results for each sensitive column, in a fixed shape."""
    raw = result.get("groups") or {}
    items = list(raw.items()) if isinstance(raw, dict) else [(b.get("column"), b) for b in raw]
    blocks = []
    for column, block in items:
        if not isinstance(block, dict):
            continue
        rows, names = [], []
        for g in block.get("groups") or []:
            metrics = {arm: metric_triples(g.get(arm)) for arm in ARMS}
            for arm in ARMS:
                names.extend(n for n in metrics[arm] if n not in names)
            judged = g.get("judged")
            rows.append(GroupRow(str(g.get("group")), as_number(g.get("rows")),
                                 None if judged is None else bool(judged), str(g.get("confidence") or ""),
                                 str(g.get("note") or ""), metrics))
        fairness = {arm: metric_triples(part(block, "metrics").get(arm)) for arm in ARMS}
        findings = [f.to_dict() if isinstance(f, Finding) else dict(f) for f in block.get("findings") or []]
        blocks.append(GroupBlock(str(block.get("column") or column), block.get("banded"), rows, names, fairness,
                                 findings, [str(s) for s in block.get("summary") or []]))
    return blocks


def group_sentences(block: GroupBlock) -> list[str]:
    """What a group block says, each thing once: its summary sentences, less those a finding repeats
    (a finding says the same and what to do), then the findings as 'Severity: title. message
    suggestion': recipe A's and recipe B's finding of one check as one (``group_findings.pair_findings``:
    the explanation once, then A's and B's numbers), those of one check together and advice they share
    said once, after the last of them."""
    texts = summary_not_repeated(block.summary, block.findings)
    if block.banded:
        detail = f" ({block.banded})" if isinstance(block.banded, str) else ""
        texts.append(f"The values of '{block.column}' were put into bands{detail}, so each group has enough rows.")
    # The findings of one check side by side, in the order the checks first come; what to do is said
    # once, after the last of them, when they all advise the same.
    by_check: dict[str, list[dict]] = {}
    for f in pair_findings(block.findings):
        by_check.setdefault(str(f.get("check", "")), []).append(f)
    for same in by_check.values():
        advice = {str(f.get("suggestion", "")).strip() for f in same}
        shared = len(same) > 1 and len(advice) == 1
        for i, f in enumerate(same):
            suggestion = f.get("suggestion", "") if not shared or i == len(same) - 1 else ""
            texts.append(f"{str(f.get('severity', 'info')).capitalize()}: {f.get('title', '')}. "
                         f"{f.get('message', '')} {suggestion}".strip())
    return texts


PAPER_MEASURES = 4
"""The most measures per group a printed report shows (A and B side by side); the rest stay on screen."""
_PAPER_ORDER = ("accuracy", "balanced_accuracy", "selection_rate", "tpr", "true_positive_rate", "fpr",
                "false_positive_rate", "mean_error", "mae", "mean_signed_error")


def paper_measures(block: GroupBlock, primary: Any, limit: int = PAPER_MEASURES) -> list[str]:
    """The measures per group a printed report shows: the trial's main score, then those the fairness
    measures are made of (how often it says 'yes', real cases found, false alarms; for numbers the average
    miss and whether it guesses too high or too low), each only when some group has a value. Derived
    measures (error rate = 1 - accuracy, a group's drop against all rows) are left to the screen: the
    'All rows' line beside the groups shows the same. Unknown measures are taken in their stored order."""
    filled = [n for n in block.metric_names
              if any(g.metrics.get(arm, {}).get(n, (None,))[0] is not None for g in block.rows for arm in ARMS)]
    order = [str(primary), *_PAPER_ORDER]
    chosen = [n for n in dict.fromkeys(order) if n in filled]
    if not chosen:
        chosen = filled
    return chosen[:limit]


def overall_value(block: GroupBlock, arm: str, name: str) -> float | None:
    """The measure ``name`` over all rows (stored as 'overall_<name>' beside the gaps), or None."""
    return block.fairness.get(arm, {}).get(f"overall_{name}", (None,))[0]


def chart_metric(block: GroupBlock, primary: Any) -> str | None:
    """The metric to draw for a group block: the trial's main score when the groups have it."""
    if primary in block.metric_names:
        return str(primary)
    return block.metric_names[0] if block.metric_names else None


# --- calibration, importance, cost ----------------------------------------------------------
@dataclass(frozen=True)
class CalibrationPart:
    ece: float | None
    brier: float | None
    brier_skill: float | None
    predicted: list[float | None]
    observed: list[float | None]
    text: str


def calibration_parts(result: dict) -> dict[str, CalibrationPart]:
    """Per recipe ('a', 'b'), when the trial has calibration at all."""
    cal = part(result, "calibration")
    out = {}
    for arm in ARMS:
        data = part(cal, arm)
        if not data:
            continue
        curve = part(data, "curve")
        out[arm] = CalibrationPart(as_number(data.get("ece")), as_number(data.get("brier")),
                                   as_number(data.get("brier_skill")),
                                   [as_number(v) for v in curve.get("predicted") or []],
                                   [as_number(v) for v in curve.get("observed") or []], str(data.get("text") or ""))
    return out


def importance_lists(trial: dict) -> dict[str, list[dict]]:
    """'Recipe A (...)' -> entries sorted by importance, biggest first. A plain list (older
    trials, or one model) is split by its 'recipe'/'arm' key when entries have one."""
    raw = (trial.get("result") or {}).get("importance")
    if not raw:
        return {}
    if isinstance(raw, dict):
        grouped = {arm_label(trial, arm) if arm in ARMS else str(arm): list(entries or [])
                   for arm, entries in raw.items()}
    else:
        grouped = {}
        for entry in raw:
            arm = entry.get("recipe", entry.get("arm"))
            label = arm_label(trial, arm) if arm in ARMS else str(arm or "The model")
            grouped.setdefault(label, []).append(entry)
    return {label: sorted(entries, key=lambda e: -(as_number(e.get("importance")) or 0.0))
            for label, entries in grouped.items() if entries}


_COST_ROWS = (
    ("fit_seconds", "Seconds to train", "0.00", "How long the recipe took to learn from the training rows once."),
    ("predict_ms_per_1000", "Milliseconds to predict 1,000 rows", "0.0",
     "How long it takes to give answers for 1,000 new rows."),
    ("model_bytes", "Saved model size (MB)", "#,##0.000", "How much disk space the saved model takes."),
)


def cost_rows(result: dict) -> list[tuple[str, str, float | None, float | None, str, str]]:
    """(key, label, A, B, number format, meaning); model size in megabytes."""
    cost = part(result, "cost")
    if not cost:
        return []
    rows = []
    for key, label, fmt, meaning in _COST_ROWS:
        values = [as_number(part(cost, arm).get(key)) for arm in ARMS]
        if key == "model_bytes":
            values = [None if v is None else v / 1_000_000 for v in values]
        rows.append((key, label, values[0], values[1], fmt, meaning))
    return rows


def cost_sentences(trial: dict) -> list[str]:
    """'Recipe B (...) takes 12× as long to train as Recipe A (...).'"""
    words = {"fit_seconds": "takes {r} as long to train as",
             "predict_ms_per_1000": "takes {r} as long to give answers as",
             "model_bytes": "needs {r} the disk space of"}
    out = []
    for key, label, a, b, _fmt, _meaning in cost_rows(trial.get("result") or {}):
        if a is None or b is None or a <= 0 or b <= 0:
            continue
        slow, fast, ratio = ("b", "a", b / a) if b >= a else ("a", "b", a / b)
        if ratio < 1.1:
            out.append(f"{arm_phrase(trial, 'a')} and {arm_phrase(trial, 'b')} are about the same in "
                       f"{label.lower()}.")
            continue
        times = f"{ratio:.1f}×" if ratio < 10 else f"{ratio:,.0f}×"
        out.append(f"{arm_phrase(trial, slow)} {words[key].format(r=times)} {arm_phrase(trial, fast)}.")
    return out
