"""The one shape of a check, and the context every check reads.

A check is a ``Check``: a stable id, a short title, a one-line description (the README
lists them) and a function ``run(context) -> list[Finding]``. Checks run in the order of
the registry; a check may read what earlier checks found (``context.findings``) and the
shared, memoised computations on the context (samples, one-column scores), never a
module-level state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pandas as pd

from .. import settings
from ..findings import Finding
from ..task import TaskInfo, class_labels
from ._scoring import Goal, make_goal

# What FairTrial did about a finding (``Finding.action``); the user can undo each.
EXCLUDED = "excluded"
KEPT_ASIDE = "kept aside for group checks"
REMOVED = "removed before splitting"
ROWS_LEFT_OUT = "rows left out"
SWITCHED_BACK_ON = "switched back on by you"


@dataclass(frozen=True)
class Check:
    """One check: a stable id, a title, a one-line description and what it runs."""

    id: str
    title: str
    description: str
    run: Callable[["CheckContext"], list[Finding]]


class CheckContext:
    """The data and choices every check reads, plus memoised shared work.

    ``frame`` holds only the rows that have a target value. ``findings`` grows as checks run.
    """

    def __init__(self, frame: pd.DataFrame, target: str, kinds: dict[str, str], task: TaskInfo, *,
                 include: frozenset[str] = frozenset(), exclude: frozenset[str] = frozenset(),
                 sensitive: list[str] | None = None, rows_without_target: int = 0) -> None:
        self.frame = frame
        self.target = target
        self.kinds = kinds
        self.task = task
        self.include = include
        self.exclude = exclude
        self.confirmed_sensitive = None if sensitive is None else list(sensitive)
        # "you" when the user named the sensitive columns; "checks" when the proposed ones are in effect.
        self.sensitive_chosen_by = "you"
        self.rows_without_target = rows_without_target
        self.seed = int(settings.get("seed"))
        # {column: kind of personal data} the store keeps scrambled (store/scramble.py)
        self.scrambled: dict[str, str] = {}
        # columns the store's scan of these rows found no personal data in (store/scramble.py)
        self.personal_clean: set[str] = set()
        self.findings: list[Finding] = []
        self._memo: dict[Any, Any] = {}
        if task.task == "numeric":
            self.y_numbers = frame[target].to_numpy(dtype=float, na_value=np.nan)
            self.y_codes = None
        else:
            # Label each distinct value once (as task detection does), then spread by code.
            raw, uniques = pd.factorize(frame[target])
            labels = class_labels(pd.Series(uniques)).to_numpy(dtype=object)
            position = {c: i for i, c in enumerate(task.classes)}
            lookup = np.array([position.get(label, -1) for label in labels], dtype=np.int64)
            self.y_codes = np.where(raw >= 0, lookup[np.maximum(raw, 0)], -1)
            self.y_numbers = None

    # ---- memo ---------------------------------------------------------------------------
    def memo(self, key: Any, compute: Callable[[], Any]) -> Any:
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    # ---- target -------------------------------------------------------------------------
    @property
    def n_rows(self) -> int:
        return int(len(self.frame))

    @property
    def is_class(self) -> bool:
        return self.task.task != "numeric"

    @property
    def classes(self) -> tuple[str, ...]:
        return self.task.classes

    def class_counts(self) -> dict[str, int]:
        if self.y_codes is None:
            return {}
        counts = np.bincount(self.y_codes, minlength=len(self.classes))
        return {c: int(n) for c, n in zip(self.classes, counts)}

    def positive_mask(self) -> np.ndarray:
        """Rows whose target is the positive class (binary tasks)."""
        assert self.y_codes is not None and self.task.positive is not None
        return self.y_codes == self.classes.index(self.task.positive)

    # ---- columns ------------------------------------------------------------------------
    @property
    def columns(self) -> list[str]:
        return [c for c in self.frame.columns if c != self.target]

    def candidates(self) -> list[str]:
        """Every column but the target and the ones the user switched off."""
        return [c for c in self.columns if c not in self.exclude]

    def value_counts(self, column: str) -> pd.Series:
        """How often each value occurs (empty cells included), most common first; memoised."""
        return self.memo(("value_counts", column), lambda: self.frame[column].value_counts(dropna=False, sort=True))

    def nunique(self, column: str) -> int:
        """Number of different filled values; memoised."""
        counts = self.value_counts(column)
        return int(counts.index.notna().sum())

    def kind(self, column: str) -> str:
        return self.kinds.get(column, "category")

    def excluded_by(self, checks: tuple[str, ...] | None = None) -> dict[str, Finding]:
        """Columns excluded by the findings so far (optionally only by these checks), not re-included."""
        out: dict[str, Finding] = {}
        for finding in self.findings:
            if finding.action != EXCLUDED or (checks is not None and finding.check not in checks):
                continue
            for column in finding.columns[:1]:
                if column not in self.include and column not in out:
                    out[column] = finding
        return out

    def kept_aside(self) -> list[str]:
        """Sensitive columns in effect (the user's or the proposed ones) that stay out of the model unless switched back on."""
        return [c for c in (self.confirmed_sensitive or []) if c not in self.include and c != self.target]

    def model_columns(self) -> list[str]:
        """The columns a model would use given the findings so far."""
        out = set(self.excluded_by()) | set(self.kept_aside())
        return [c for c in self.candidates() if c not in out]

    def group_columns(self) -> list[str]:
        """The sensitive columns in effect (the user's, or the proposed ones); the proposed ones when none are set."""
        if self.confirmed_sensitive is not None:
            return [c for c in self.confirmed_sensitive if c != self.target]
        from .bias import proposed_sensitive

        return list(proposed_sensitive(self))

    # ---- samples and quick-model goals ----------------------------------------------------
    def sample_rows(self, n_max: int, codes: np.ndarray | None = None, key: str = "target") -> np.ndarray:
        """Row positions of a sample of at most ``n_max`` rows, stratified by ``codes``
        (the target's classes by default), fixed by the seed. ``key`` names the stratification."""
        n = self.n_rows
        if key == "target":
            codes = self.y_codes
        elif codes is not None:
            n = len(codes)
        return self.memo(("sample", key, n_max), lambda: stratified_sample(codes, n, n_max, self.seed))

    def target_goal(self) -> tuple[np.ndarray, Goal]:
        """Sampled rows and the goal of predicting the target on them (for the leakage checks)."""

        def build() -> tuple[np.ndarray, Goal]:
            rows = self.sample_rows(int(settings.get("leakage_sample_rows")))
            folds = int(settings.get("check_folds"))
            if self.y_codes is None:
                return rows, make_goal(self.y_numbers[rows], "numeric", folds, self.seed)
            return rows, make_goal(self.y_codes[rows], self.task.task, folds, self.seed)

        return self.memo("target_goal", build)


def stratified_sample(codes: np.ndarray | None, n: int, n_max: int, seed: int, min_per_class: int = 30) -> np.ndarray:
    """At most ``n_max`` row positions; every class keeps its share (and at least a few rows)."""
    if n <= n_max:
        return np.arange(n)
    rng = np.random.default_rng(seed)
    if codes is None:
        return np.sort(rng.choice(n, size=n_max, replace=False))
    parts = []
    valid = codes >= 0
    counts = np.bincount(codes[valid])
    for k, c in enumerate(counts):
        if c == 0:
            continue
        take = int(min(c, max(min_per_class, round(n_max * c / n))))
        parts.append(rng.choice(np.flatnonzero(codes == k), size=take, replace=False))
    return np.sort(np.concatenate(parts))
