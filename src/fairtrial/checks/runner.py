"""``run_checks``: every data check before training, in one call, with one report."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, Iterable

import pandas as pd

from .. import settings
from ..errors import BadChoiceError
from ..findings import SEVERITY_RANK, Finding
from ..kinds import infer_kind, infer_kinds
from ..task import TaskInfo, detect_task, empty_target
from ._context import EXCLUDED, SWITCHED_BACK_ON, Check, CheckContext
from ._words import names, q
from .target import ensure_classes_can_be_split

Progress = Callable[[float, str], None]

# How the summary names each severity, singular and plural.
SEVERITY_WORDS = {
    "critical": ("problem to fix", "problems to fix"),
    "warning": ("thing to check", "things to check"),
    "info": ("thing to know", "things to know"),
}


@dataclass(frozen=True)
class CheckReport:
    """What the checks found, what FairTrial left out and why, and which columns are sensitive."""

    target: str
    task: TaskInfo
    findings: list[Finding]
    excluded_columns: list[str] = field(default_factory=list)
    exclusion_reasons: dict[str, str] = field(default_factory=dict)
    proposed_sensitive: list[str] = field(default_factory=list)
    sensitive_columns: list[str] = field(default_factory=list)
    duplicate_rows: int = 0
    # Defaults the trial should follow (DESIGN.md "Defaults follow the findings"):
    # a repeating ID keeps its rows together; an imbalanced target gets a leak-proof remedy.
    proposed_group: str | None = None
    proposed_imbalance: str | None = None
    # Who chose ``sensitive_columns``: "checks" (the proposed ones, in effect until the user
    # removes them) or "you" (the user's own list, which may be empty).
    sensitive_chosen_by: str = "you"

    def counts(self) -> dict[str, int]:
        out = {"critical": 0, "warning": 0, "info": 0}
        for finding in self.findings:
            out[finding.severity] += 1
        return out

    def by_check(self, check: str) -> list[Finding]:
        return [f for f in self.findings if f.check == check]

    def summary_line(self) -> str:
        """'2 problems to fix, 3 things to check, 4 things to know' (or 'Nothing to report')."""
        parts = []
        for severity, n in self.counts().items():
            if n:
                one, many = SEVERITY_WORDS[severity]
                parts.append(f"{n} {one if n == 1 else many}")
        return ", ".join(parts) if parts else "Nothing to report"

    def to_dict(self) -> dict:
        return {
            "task": self.task.to_dict(),
            "target": self.target,
            "findings": [f.to_dict() for f in self.findings],
            "excluded_columns": list(self.excluded_columns),
            "sensitive_columns": list(self.sensitive_columns),
            "proposed_sensitive": list(self.proposed_sensitive),
            "exclusion_reasons": dict(self.exclusion_reasons),
            "duplicate_rows": self.duplicate_rows,
            "proposed_group": self.proposed_group,
            "proposed_imbalance": self.proposed_imbalance,
            "sensitive_chosen_by": self.sensitive_chosen_by,
            "summary": self.summary_line(),
        }

    @classmethod
    def from_dict(cls, data: dict) -> "CheckReport":
        task = data["task"]
        return cls(
            target=data["target"],
            task=TaskInfo(task["task"], task.get("reason", ""), tuple(task.get("classes") or ()), task.get("positive")),
            findings=[Finding.from_dict(f) for f in data.get("findings", [])],
            excluded_columns=list(data.get("excluded_columns", [])),
            exclusion_reasons=dict(data.get("exclusion_reasons", {})),
            proposed_sensitive=list(data.get("proposed_sensitive", [])),
            sensitive_columns=list(data.get("sensitive_columns", [])),
            duplicate_rows=int(data.get("duplicate_rows", 0)),
            proposed_group=data.get("proposed_group"),
            proposed_imbalance=data.get("proposed_imbalance"),
            sensitive_chosen_by=str(data.get("sensitive_chosen_by", "you")),
        )


def _check_columns(frame: pd.DataFrame, what: str, columns: Iterable[str]) -> list[str]:
    columns = [str(c) for c in columns]
    unknown = [c for c in columns if c not in frame.columns]
    if unknown:
        raise BadChoiceError(f"There is no column {names(unknown)} in this table, so it cannot be {what}.",
                             f"Pick from: {names(list(frame.columns), 8)}.")
    return columns


def run_checks(frame: pd.DataFrame, target: str, *, kinds: dict[str, str] | None = None, task: str | None = None,
               sensitive: list[str] | None = None, include: Iterable[str] = (), exclude: Iterable[str] = (),
               progress: Progress | None = None, scrambled: dict[str, str] | None = None,
               personal_clean: Iterable[str] = ()) -> CheckReport:
    """Run every data check before training and return a ``CheckReport``.

    ``scrambled`` (``{column: kind of personal data}``) names the columns the store keeps
    scrambled: they are personal data whatever their stored values look like.
    ``personal_clean`` names columns the store's scan of these very rows found no personal
    data in (``store/scramble.py``): the personal-data check does not scan them again; when
    rows without a target are left out here, the rows differ, and every column is scanned.

    ``sensitive=None`` lets FairTrial propose sensitive columns, and they are in effect at once
    (kept out of the model, used for group checks) until the user removes them; a list is the
    user's own choice and replaces the proposal (``[]``: no column is about people). ``include`` switches columns back on that FairTrial left out; ``exclude`` switches
    more off. Raises ``BadChoiceError`` for an unknown column, a target with one value, or a
    class with fewer rows than the folds.
    """
    from . import CHECKS

    if any(not isinstance(c, str) for c in frame.columns):
        frame = frame.set_axis([str(c) for c in frame.columns], axis=1)
    if frame.columns.duplicated().any():
        twice = sorted(set(frame.columns[frame.columns.duplicated()]))
        raise BadChoiceError(f"The table has more than one column called {names(twice)}.",
                             "Give every column its own name and upload it again.")
    target = str(target)
    if target not in frame.columns:
        raise BadChoiceError(f"There is no column {q(target)} in this table to predict.",
                             f"Pick one of: {names(list(frame.columns), 8)}.")
    include_set = frozenset(_check_columns(frame, "switched back on", include))
    exclude_set = frozenset(_check_columns(frame, "switched off", exclude))
    confirmed = None if sensitive is None else _check_columns(frame, "marked sensitive", sensitive)
    if target in exclude_set:
        raise BadChoiceError(f"{q(target)} is the column to predict, so it cannot be switched off.",
                             "Pick another target, or keep it on.")
    if confirmed is not None and target in confirmed:
        raise BadChoiceError(f"{q(target)} is the column to predict, so it cannot also be a sensitive column.",
                             "Pick another target, or unmark it as sensitive.")

    empty = empty_target(frame[target])
    rows_without_target = int(empty.sum())
    data = frame.loc[~empty].reset_index(drop=True) if rows_without_target else frame
    filled = data[target]
    if len(filled) and filled.nunique() == 1:
        raise BadChoiceError(
            f"All {len(filled):,} rows with a value in {q(target)} have the same one ({q(filled.iloc[0])}), "
            "so there is nothing to predict.",
            "Pick a column with at least two different values, or add rows with other outcomes.")
    task_info = detect_task(filled, target, override=task)
    if task_info.task == "binary" and len(task_info.classes) != 2:
        raise BadChoiceError(f"{q(target)} has {len(task_info.classes)} different values, so it is not a yes/no "
                             "question.", "Choose multiclass instead, or pick a column with two values.")
    folds = int(settings.get("folds"))
    ctx_kinds = dict(kinds) if kinds else {}
    if not ctx_kinds:
        ctx_kinds = infer_kinds(data)
    else:
        for column in data.columns:
            if column not in ctx_kinds:
                ctx_kinds[column] = infer_kind(data[column], column)
    ctx = CheckContext(data, target, ctx_kinds, task_info, include=include_set, exclude=exclude_set,
                       sensitive=confirmed, rows_without_target=rows_without_target)
    ctx.scrambled = {str(c): str(k) for c, k in (scrambled or {}).items() if str(c) in data.columns}
    ctx.personal_clean = {str(c) for c in personal_clean} if not rows_without_target else set()
    if confirmed is None:
        # Defaults follow the findings: the proposed columns about people count as if confirmed.
        from .bias import proposed_sensitive

        ctx.confirmed_sensitive = [c for c in proposed_sensitive(ctx) if c != target]
        ctx.sensitive_chosen_by = "checks"
    if ctx.is_class:
        ensure_classes_can_be_split(target, ctx.class_counts(), folds)

    checks: tuple[Check, ...] = CHECKS
    for i, check in enumerate(checks):
        if progress is not None:
            progress(i / len(checks), f"Checking: {check.title}")
        ctx.findings.extend(check.run(ctx))
    if progress is not None:
        progress(1.0, "Checks done")
    return _report(ctx)


def _report(ctx: CheckContext) -> CheckReport:
    findings = []
    for finding in ctx.findings:
        if finding.action == EXCLUDED and finding.columns and finding.columns[0] in ctx.include:
            finding = replace(finding, action=SWITCHED_BACK_ON)
        findings.append(finding)
    findings.sort(key=lambda f: -SEVERITY_RANK[f.severity])

    reasons: dict[str, str] = {}
    for column, finding in ctx.excluded_by().items():
        reasons[column] = str(finding.details.get("reason") or finding.title)
    aside = ("it looks like it describes people: kept aside for group checks" if ctx.sensitive_chosen_by == "checks"
             else "you marked it sensitive: kept aside for group checks")
    for column in ctx.kept_aside():
        reasons.setdefault(column, aside)
    for column in ctx.exclude:
        reasons[column] = "you switched it off"
    order = {c: i for i, c in enumerate(ctx.frame.columns)}
    excluded = sorted(reasons, key=lambda c: order.get(c, len(order)))

    from .bias import proposed_sensitive
    from .quality import duplicate_rows

    return CheckReport(
        target=ctx.target,
        task=ctx.task,
        findings=findings,
        excluded_columns=excluded,
        exclusion_reasons={c: reasons[c] for c in excluded},
        proposed_sensitive=[c for c in proposed_sensitive(ctx) if c != ctx.target],
        sensitive_columns=list(ctx.confirmed_sensitive or []),
        duplicate_rows=duplicate_rows(ctx),
        proposed_group=_proposed_group(findings),
        proposed_imbalance=_proposed_imbalance(findings),
        sensitive_chosen_by=ctx.sensitive_chosen_by,
    )


def _proposed_group(findings: list[Finding]) -> str | None:
    """The column whose rows belong together: an ID that repeats over several rows
    (an ``id_like`` finding with ``details["repeats"]``), the most repeated first."""
    shared = [f for f in findings if f.check == "id_like" and f.columns and f.details.get("repeats")]
    if not shared:
        return None
    best = min(shared, key=lambda f: float(f.details.get("unique_share", 1.0)))
    return best.columns[0]


def _proposed_imbalance(findings: list[Finding]) -> str | None:
    """``balanced`` when the target is imbalanced: the trial is then scored with balanced
    accuracy, and a recipe that learns plain accuracy at a 0.5 cut-off is judged by a score
    it was not trained for (it may predict the common answer for everyone)."""
    return "balanced" if any(f.check == "imbalance" for f in findings) else None


__all__ = ["SEVERITY_WORDS", "CheckReport", "run_checks"]
