"""How the rows of a trial are split: one holdout kept aside, then repeated folds.

``make_splits`` decides everything once, and every recipe of the trial (A, B and the
baseline) uses the very same index arrays:

1. rows without a target are set aside (``task.empty_target``: missing or only blanks);
2. rows that are exact copies of an earlier row in EVERY uploaded column (IDs, excluded
   and sensitive columns included: ``whole_row_copies``) are removed, keeping the first
   copy, so no row can sit in both training and test. Rows that only coincide on the
   model's columns are different rows (two people of the same age, sex and class) and
   all stay; so do identical rows of a table whose few columns of few values make such
   coincidences expected by chance (no ID, nothing that tells people apart). Removal, not
   grouping: a row equal in every column, ID included, is one record entered twice, so
   keeping both would count it twice in training and in the scores; the Check page
   reports the same count (``checks.quality.duplicate_rows``);
3. a holdout share (default 20%) is kept untouched for the final check: stratified by
   class, by whole groups when a group column is named, or the last rows when the rows
   are in time order;
4. the rest is split into folds, repeated with fresh shuffles: repeated stratified
   k-fold for classes, repeated k-fold for numbers, (Stratified)GroupKFold when a group
   column is named (a group is never on both sides), TimeSeriesSplit when the rows are
   in time order (always train on the past, test on what follows).

Above ``max_training_rows`` training rows (a setting; 0 means no limit), step 4 works on a
seeded random sample of the rows outside the holdout (``sampling.training_sample``: each
answer keeps its share, whole groups in or out, time order kept); the holdout is drawn
before the sample, from all rows, so it stays a true random share. The rows left out are
counted in ``Splits.training_sample`` and said in the verdict.

All indices are *positions* in the frame given to ``make_splits`` (use ``frame.iloc``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import poisson
from sklearn.model_selection import (
    GroupKFold,
    GroupShuffleSplit,
    RepeatedKFold,
    RepeatedStratifiedKFold,
    StratifiedGroupKFold,
    TimeSeriesSplit,
    train_test_split,
)

from . import settings
from .errors import BadChoiceError
from .sampling import TrainingSample, training_sample
from .task import TaskInfo, class_labels, empty_target

__all__ = ["RowCopies", "Splits", "auto_repeats", "chance_pairs", "duplicated_rows", "make_splits", "whole_row_copies"]

_MIN_ROWS = 20


@dataclass(frozen=True, eq=False)
class Splits:
    """The rows of a trial and how they are split (positions into the trial's frame)."""

    kind: str  # "stratified" | "kfold" | "grouped" | "time"
    folds: int
    repeats: int
    reason: str
    kept: np.ndarray
    holdout: np.ndarray
    pool: np.ndarray
    pairs: tuple[tuple[np.ndarray, np.ndarray], ...]
    duplicates_removed: int
    missing_target_removed: int
    description: str
    identical_kept: int = 0  # rows equal in every column that are not copies (see ``whole_row_copies``)
    identical_beyond_chance: bool = False  # ... clearly more of them than chance gives (``RowCopies.beyond_chance``)
    training_sample: TrainingSample | None = None  # above the row limit: the sample ``pool`` is (None: every row)

    @property
    def n_splits(self) -> int:
        return len(self.pairs)

    def repeat_of(self, split: int) -> int:
        """Which repeat (0-based) a split index belongs to."""
        return split // self.folds if self.kind != "time" else 0

    def last_repeat(self) -> list[int]:
        """Split indices of the last repeat (their test parts cover the pool once)."""
        last = self.repeat_of(self.n_splits - 1)
        return [i for i in range(self.n_splits) if self.repeat_of(i) == last]

    def size_ratio(self) -> float:
        """Average test rows ÷ average training rows, for the Nadeau–Bengio correction."""
        n_test = float(np.mean([len(te) for _, te in self.pairs]))
        n_train = float(np.mean([len(tr) for tr, _ in self.pairs]))
        return n_test / n_train

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "folds": self.folds,
            "repeats": self.repeats,
            "splits": self.n_splits,
            "reason": self.reason,
            "description": self.description,
            "holdout_rows": int(len(self.holdout)),
            "train_rows": int(len(self.pool)),
            "duplicates_removed": int(self.duplicates_removed),
            "missing_target_removed": int(self.missing_target_removed),
            "identical_rows_kept": int(self.identical_kept),
            "identical_rows_beyond_chance": bool(self.identical_beyond_chance),
            "training_sample": None if self.training_sample is None else self.training_sample.to_dict(),
        }


def auto_repeats(n_rows: int) -> tuple[int, str]:
    """How many times to repeat the folds for a data set of ``n_rows``, and why in words."""
    steps = (
        (settings.get("repeats_medium_rows"), settings.get("repeats")),
        (settings.get("repeats_large_rows"), 3),
        (settings.get("repeats_huge_rows"), 2),
    )
    for limit, reps in steps:
        if n_rows <= limit:
            if reps == steps[0][1]:
                why = (f"the data has {n_rows:,} rows, few enough to repeat the split {reps} times with fresh "
                       "shuffles; more repeats make the comparison steadier")
            else:
                why = (f"the data has {n_rows:,} rows: each model takes longer to train, and with this many rows "
                       f"{reps} repeats are enough for a steady comparison")
            return reps, why
    return 1, (f"the data has {n_rows:,} rows: one pass of the folds is already steady with this many rows, "
               "and repeating it would take much longer")


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"


@dataclass(frozen=True, eq=False)
class RowCopies:
    """Rows equal to an earlier row in every uploaded column, and whether they count as copies.

    ``flags`` marks the copies a trial removes (one per row, the first copy unmarked);
    ``identical`` counts the rows equal to an earlier one, copies or not; ``chance_pairs``
    is how many pairs of rows would agree in every column by chance alone."""

    flags: np.ndarray
    identical: int
    chance_pairs: float
    pairs: float = 0.0  # pairs of rows that agree in every column (a row with two twins makes 3 pairs)

    @property
    def beyond_chance(self) -> bool:
        """Clearly more pairs of identical rows than chance gives: at least
        ``duplicates_excess_ratio`` times the chance pairs, and a Poisson upper tail below
        ``duplicates_excess_p`` (the count of agreeing pairs is close to Poisson, as in the
        birthday problem). The chance is computed as if the columns were unrelated, so related
        columns (age and years married) make it an underestimate; hence the ratio, not the
        p-value alone (on many rows a small, harmless excess is "significant"). A reason to
        look, never a reason to delete."""
        if self.pairs <= 0 or self.chance_pairs <= 0:
            return self.pairs > 0
        if self.pairs < float(settings.get("duplicates_excess_ratio")) * self.chance_pairs:
            return False
        return float(poisson.sf(self.pairs - 1, self.chance_pairs)) < float(settings.get("duplicates_excess_p"))

    @property
    def removed(self) -> int:
        return int(self.flags.sum())


def chance_pairs(rows: pd.DataFrame) -> float:
    """Pairs of rows expected to agree in every column by chance, if the columns were independent:
    rows·(rows−1)/2 × the product over columns of Σ share², the chance that two rows drawn at
    random share a column's value. A column that tells every different row apart (an ID, a name,
    a precise measurement) cannot agree by chance: then no pair is expected."""
    distinct = rows.drop_duplicates()
    n = len(rows)
    chance = 1.0
    for column in rows.columns:
        if len(distinct) > _MIN_ROWS and distinct[column].nunique(dropna=False) == len(distinct):
            return 0.0
        shares = rows[column].value_counts(normalize=True, dropna=False).to_numpy(dtype=float)
        chance *= float(np.sum(shares * shares))
    return n * (n - 1) / 2.0 * chance


def duplicated_rows(frame: pd.DataFrame) -> np.ndarray:
    """``frame.duplicated(keep="first")`` with a fraction of its memory on big tables.

    pandas factorizes every column and keeps all the codes at once (8 bytes per cell: 168 MB
    for 1,000,000 rows x 21 columns, plus a hash table per column). Here each column is hashed
    (``_column_hash``: the same idea of equal values, blanks equal to each other) and folded
    into one 64-bit hash per row as it comes, then only rows whose hash occurs more than once
    are compared exactly. Equal rows always get equal hashes, so no copy is missed; a rare hash collision
    only adds rows to the exact comparison."""
    n = len(frame)
    if n == 0 or frame.shape[1] == 0:
        return frame.duplicated(keep="first").to_numpy(dtype=bool)
    row_hash = np.zeros(n, dtype=np.uint64)
    for i in range(frame.shape[1]):
        row_hash = pd.util.hash_array(row_hash ^ _column_hash(frame.iloc[:, i]))  # the order of columns matters
    maybe = pd.Series(row_hash).duplicated(keep=False).to_numpy()
    out = np.zeros(n, dtype=bool)
    if maybe.any():
        where = np.flatnonzero(maybe)
        out[where] = frame.iloc[where].duplicated(keep="first").to_numpy(dtype=bool)
    return out


def _column_hash(col: pd.Series) -> np.ndarray:
    """A 64-bit hash per cell, equal for cells ``DataFrame.duplicated`` calls equal: numbers and
    yes/no by value (0.0 and -0.0 alike, every blank alike), anything else by ``pd.factorize`` code."""
    if (pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col)) \
            and not pd.api.types.is_complex_dtype(col):
        values = col.to_numpy(dtype=np.float64, na_value=np.nan) + 0.0  # + 0.0 turns -0.0 into 0.0
        values[np.isnan(values)] = np.nan
        return pd.util.hash_array(values)
    codes, _ = pd.factorize(col, use_na_sentinel=True)
    return pd.util.hash_array(codes.astype(np.int64, copy=False))


def whole_row_copies(frame: pd.DataFrame, target: str) -> RowCopies:
    """The rows with a target that copy an earlier row in every uploaded column.

    ``frame`` is the whole uploaded table (IDs, excluded and sensitive columns included);
    blank cells count as equal to each other. Identical rows are copies when they cannot be
    told apart from a double entry: a column tells the rows apart, or fewer than
    ``duplicates_chance_pairs`` pairs would agree by chance. In a table of a few columns of
    few values and no ID (a survey, a table of people by class, sex and age) many different
    people share every value; those rows are not copies, and all of them stay."""
    has_target = ~empty_target(frame[target]).to_numpy(dtype=bool)
    same = duplicated_rows(frame) & has_target
    identical = int(same.sum())
    if not identical:
        return RowCopies(same, 0, 0.0)
    rows = frame.loc[has_target]
    chance = chance_pairs(rows)
    sizes = rows.groupby(list(rows.columns), dropna=False, sort=False).size().to_numpy(dtype=float)
    pairs = float(np.sum(sizes * (sizes - 1) / 2.0))
    if chance >= float(settings.get("duplicates_chance_pairs")):
        return RowCopies(np.zeros(len(frame), dtype=bool), identical, chance, pairs)
    return RowCopies(same, identical, chance, pairs)


def make_splits(frame: pd.DataFrame, target: str, task: TaskInfo, *, folds: int | None = None,
                repeats: int | None = None, seed: int | None = None, holdout: float | None = None,
                group: str | None = None, time_ordered: bool = False,
                max_training_rows: int | None = None) -> Splits:
    """Decide the holdout and the folds once, for every recipe of a trial.

    ``frame`` is the whole uploaded table: copies are judged on every column of it (see
    the module docstring), never on the model's columns alone. Raises ``BadChoiceError``
    in plain words when the data cannot be split that way (too few rows, a class or too
    few groups for the folds). ``max_training_rows`` (default: the setting) limits the rows the
    folds and final models train on (see the module docstring).
    """
    folds = int(settings.get("folds") if folds is None else folds)
    seed = int(settings.get("seed") if seed is None else seed)
    share = float(settings.get("holdout_share") if holdout is None else holdout)
    if not 2 <= folds <= 20:
        raise BadChoiceError(f"{folds} folds is not possible.", "Use between 2 and 20 folds (5 is usual).")
    if not 0.05 <= share <= 0.5:
        raise BadChoiceError(f"Keeping {share:.0%} of rows aside for the final check is not possible.",
                             "Use a share between 5% and 50% (20% is usual).")
    if repeats is not None and not 1 <= int(repeats) <= 20:
        raise BadChoiceError(f"{repeats} repeats is not possible.", "Use between 1 and 20 repeats.")
    if target not in frame.columns:
        raise BadChoiceError(f"There is no column '{target}' to predict.", "Pick one of the table's columns.")
    if group is not None and group not in frame.columns:
        raise BadChoiceError(f"There is no group column '{group}'.", "Pick one of the table's columns.")
    if group is not None and time_ordered:
        raise BadChoiceError("FairTrial cannot keep groups together and keep time order at the same time.",
                             "Choose either a group column or 'rows are in time order'.")
    is_classes = task.task != "numeric"

    # 1. rows without a target, then copies of a whole row
    has_target = ~empty_target(frame[target]).to_numpy(dtype=bool)
    missing_target = int((~has_target).sum())
    copies = whole_row_copies(frame, target)
    duplicates = copies.removed
    kept = np.flatnonzero(has_target & ~copies.flags)
    n = len(kept)
    if n < _MIN_ROWS:
        raise BadChoiceError(f"Only {n} usable rows are left, too few for a fair trial.",
                             f"A trial needs at least {_MIN_ROWS} rows with a value in '{target}'.")

    labels = class_labels(frame[target].iloc[kept]).to_numpy(dtype=object) if is_classes else None
    groups = None
    if group is not None:
        g = frame[group].iloc[kept]
        # A blank group value is its own group (blanks are not one big group).
        groups = g.astype(object).where(g.notna(), pd.Series([f"(blank {i})" for i in range(n)], index=g.index))
        groups = groups.map(str).to_numpy(dtype=object)

    if is_classes:
        _check_class_counts(labels, folds, share, target)

    # 3. the holdout
    positions = np.arange(n)
    if time_ordered:
        n_hold = max(1, int(math.ceil(share * n)))
        hold, pool = positions[n - n_hold:], positions[: n - n_hold]
    elif groups is not None:
        n_groups = len(set(groups))
        if n_groups < folds + 2:
            raise BadChoiceError(
                f"The group column '{group}' has only {n_groups} different values; keeping whole groups together "
                f"needs at least {folds + 2} ({folds} folds plus the rows kept aside).",
                "Pick a column with more groups, or use fewer folds.")
        gss = GroupShuffleSplit(n_splits=1, test_size=share, random_state=seed)
        pool, hold = next(gss.split(positions, groups=groups))
    else:
        pool, hold = train_test_split(positions, test_size=share, random_state=seed,
                                      stratify=labels if is_classes else None)
    pool, hold = np.sort(pool), np.sort(hold)
    limit = int(settings.get("max_training_rows") if max_training_rows is None else max_training_rows)
    picked, sample = training_sample(len(pool), limit, seed=seed,
                                     labels=labels[pool] if is_classes else None,
                                     groups=groups[pool] if groups is not None else None,
                                     time_ordered=time_ordered, least_per_class=folds)
    pool = pool[picked]

    # 4. the folds on the rest
    if time_ordered:
        reps, reason = 1, ("The rows are in time order, so they can be split only one way: always train on the "
                           "past and test on what follows. The folds are not repeated.")
        if repeats not in (None, 1):
            reason += f" (You asked for {repeats} repeats.)"
    elif repeats is not None:
        reps, reason = int(repeats), f"You chose to repeat the {folds}-fold split {_times(int(repeats))}."
    else:
        reps, why = auto_repeats(n if sample is None else len(pool) + len(hold))
        if sample is not None:  # the rows the trial uses: its training sample and the holdout
            why = why.replace("the data has", "the trial uses", 1)
        reason = f"The {folds}-fold split is repeated {_times(reps)} because {why}."

    pool_labels = labels[pool] if is_classes else None
    if is_classes and not time_ordered:
        counts = pd.Series(pool_labels).value_counts()
        if counts.min() < folds:
            raise BadChoiceError(
                f"The class '{counts.idxmin()}' has only {int(counts.min())} rows outside the final check, fewer "
                f"than the {folds} folds: every fold needs at least one row of each class.",
                "Add rows of that class, merge it with another class, or use fewer folds."
                + (" Or raise the 'max_training_rows' setting (the training rows are a sample)." if sample else ""))
    if time_ordered:
        if len(pool) < folds + 1:
            raise BadChoiceError(f"Only {len(pool)} rows come before the final check, too few for {folds} "
                                 "time-ordered folds.", "Use fewer folds or more rows.")
        kind = "time"
        local = list(TimeSeriesSplit(n_splits=folds).split(pool))
        description = (f"{folds} time-ordered folds: each trains on earlier rows and tests on the next block; "
                       f"the last {len(hold):,} rows are kept for the final check")
    elif groups is not None:
        kind = "grouped"
        pool_groups = groups[pool]
        n_pool_groups = len(set(pool_groups))
        if n_pool_groups < folds:
            raise BadChoiceError(
                f"Only {n_pool_groups} groups of '{group}' remain outside the final check, fewer than {folds} folds.",
                "Use fewer folds or a column with more groups."
                + (" Or raise the 'max_training_rows' setting (the training rows are a sample)." if sample else ""))
        local = []
        for r in range(reps):
            if is_classes:
                splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed + r)
                local += list(splitter.split(pool, pool_labels, groups=pool_groups))
            else:
                splitter = GroupKFold(n_splits=folds, shuffle=True, random_state=seed + r)
                local += list(splitter.split(pool, groups=pool_groups))
        description = (f"{folds} folds that keep every '{group}' group on one side, repeated {_times(reps)}; "
                       f"{len(hold):,} rows (whole groups) are kept for the final check")
    elif is_classes:
        kind = "stratified"
        splitter = RepeatedStratifiedKFold(n_splits=folds, n_repeats=reps, random_state=seed)
        local = list(splitter.split(pool, pool_labels))
        description = (f"{folds} folds with the same class mix in each, repeated {_times(reps)}; "
                       f"{len(hold):,} rows are kept for the final check")
    else:
        kind = "kfold"
        splitter = RepeatedKFold(n_splits=folds, n_repeats=reps, random_state=seed)
        local = list(splitter.split(pool))
        description = (f"{folds} shuffled folds, repeated {_times(reps)}; {len(hold):,} rows are kept for the "
                       "final check")
    pairs = [(kept[pool[tr]], kept[pool[te]]) for tr, te in local]
    if sample is not None:
        description += (f"; the recipes train on a random sample of {sample.rows:,} of the {sample.of:,} other rows "
                        f"(more than the {sample.limit:,}-row limit)")
    kept_alike = copies.identical - copies.removed
    beyond = bool(kept_alike and copies.beyond_chance)
    if beyond:
        description += (f"; {kept_alike:,} {'row shares' if kept_alike == 1 else 'rows share'} every value with "
                        "another row, more often than chance gives (some may be copies: see the Check page), and "
                        "all stay")
    elif kept_alike:
        description += (f"; {kept_alike:,} {'row shares' if kept_alike == 1 else 'rows share'} every value with "
                        "another row, as expected with so few columns, and all stay")
    if duplicates:
        description += (f"; {duplicates:,} {'row was an exact copy' if duplicates == 1 else 'rows were exact copies'} "
                        "of another row in every column and removed first (the first copy stays)")
    return Splits(kind=kind, folds=folds, repeats=reps, reason=reason, kept=kept, holdout=kept[hold],
                  pool=kept[pool], pairs=tuple(pairs), duplicates_removed=duplicates,
                  missing_target_removed=missing_target, description=description, identical_kept=kept_alike,
                  identical_beyond_chance=beyond, training_sample=sample)


def _check_class_counts(labels: np.ndarray, folds: int, share: float, target: str) -> None:
    counts = pd.Series(labels).value_counts()
    need = max(2, int(math.ceil(folds / (1.0 - share))) + 1)
    if counts.min() < need:
        raise BadChoiceError(
            f"The class '{counts.idxmin()}' of '{target}' has only {int(counts.min())} rows; a fair trial with "
            f"{folds} folds and {share:.0%} kept aside needs at least {need} rows of every class.",
            "Add rows of that class, merge it with a similar class, or use fewer folds.")
