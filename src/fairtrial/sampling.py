"""Random samples of a big table: the training sample of a trial above a row limit.

A trial on a huge file need not train on every row to compare two recipes fairly: the
differences between recipes settle long before a million rows, while the time and memory
grow with every row. Above ``max_training_rows`` (a setting, and a field of the trial's plan
so a re-run draws the same sample) the trial trains its folds and final models on a seeded
random sample of the training rows:

- the rows kept aside for the final check are drawn first, from ALL rows, exactly as without
  a sample (``splits.make_splits``), so the final check stays a true random share of the file;
- answers (classes) keep their share: each class gives the same fraction of its rows
  (proportional allocation, largest remainders), except that a class never drops below the
  number of folds (every fold needs one row of it), which may add a few rows;
- with a group column, whole groups are in or out (groups drawn at random until the next
  group would pass the limit), so a group never has some rows trained on and others not;
- rows in time order stay in time order (the sample is sorted);
- number targets get a plain random sample.

``TrainingSample`` says what was done; ``sample_sentence`` says it in plain words, and the
verdict, the reports and ``compare --json`` (``splits.training_sample``) carry it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["TrainingSample", "sample_sentence", "training_sample"]


@dataclass(frozen=True)
class TrainingSample:
    """A training sample: ``rows`` of the ``of`` training rows were kept (``how``: stratified,
    groups, time or random), drawn with ``seed``, because of the ``limit``."""

    rows: int
    of: int
    limit: int
    how: str
    seed: int
    groups: int | None = None  # whole groups kept (grouped samples)
    groups_of: int | None = None

    def to_dict(self) -> dict:
        out = {"rows": self.rows, "of": self.of, "left_out": self.of - self.rows, "limit": self.limit,
               "how": self.how, "seed": self.seed}
        if self.groups is not None:
            out.update(groups=self.groups, groups_of=self.groups_of)
        return out


def _stratified(rng: np.random.Generator, labels: np.ndarray, limit: int, least: int) -> np.ndarray:
    """Positions of a proportional stratified sample of about ``limit`` rows; no class below ``least``."""
    codes, counts = np.unique(labels.astype(str), return_inverse=True, return_counts=True)[1:]
    exact = counts * (limit / counts.sum())
    take = np.floor(exact).astype(int)
    short = limit - int(take.sum())
    if short > 0:  # largest remainders, ties to the bigger class, then the first
        order = np.lexsort((np.arange(len(counts)), -counts, -(exact - take)))
        take[order[:short]] += 1
    take = np.minimum(np.maximum(take, np.minimum(counts, least)), counts)
    chosen = [rng.choice(np.flatnonzero(codes == c), size=int(k), replace=False) for c, k in enumerate(take)]
    return np.sort(np.concatenate(chosen))


def _whole_groups(rng: np.random.Generator, groups: np.ndarray, limit: int) -> tuple[np.ndarray, int, int]:
    """Positions of whole groups drawn at random until the next would pass ``limit`` rows
    (at least one group), the groups kept and the groups there were."""
    names, inverse, sizes = np.unique(groups.astype(str), return_inverse=True, return_counts=True)
    order = rng.permutation(len(names))
    total = np.cumsum(sizes[order])
    n_keep = max(1, int(np.searchsorted(total, limit, side="right")))
    keep = np.zeros(len(names), dtype=bool)
    keep[order[:n_keep]] = True
    return np.flatnonzero(keep[inverse]), n_keep, len(names)


def training_sample(n_rows: int, limit: int | None, *, seed: int, labels: np.ndarray | None = None,
                    groups: np.ndarray | None = None, time_ordered: bool = False,
                    least_per_class: int = 0) -> tuple[np.ndarray, TrainingSample | None]:
    """Which of ``n_rows`` training rows to train on, at most about ``limit`` of them.

    Returns the kept positions (sorted, ``0 .. n_rows-1``) and a ``TrainingSample``, or every
    position and None when the rows fit under the limit (``limit`` None or 0: no limit).
    ``labels`` (one per row) make the sample keep each class's share, ``groups`` keep whole
    groups together; see the module docstring. The same seed gives the same sample."""
    everything = np.arange(n_rows)
    if not limit or limit <= 0 or n_rows <= limit:
        return everything, None
    limit = int(limit)
    rng = np.random.default_rng([int(seed), n_rows, limit])
    n_groups = groups_of = None
    if groups is not None:
        kept, n_groups, groups_of = _whole_groups(rng, np.asarray(groups), limit)
        how = "groups"
    elif time_ordered:
        kept, how = np.sort(rng.choice(n_rows, size=limit, replace=False)), "time"
    elif labels is not None:
        kept, how = _stratified(rng, np.asarray(labels), limit, least_per_class), "stratified"
    else:
        kept, how = np.sort(rng.choice(n_rows, size=limit, replace=False)), "random"
    if len(kept) >= n_rows:
        return everything, None
    return kept, TrainingSample(int(len(kept)), int(n_rows), limit, how, int(seed), n_groups, groups_of)


_HOW = {
    "stratified": "a random sample that keeps the share of each answer",
    "random": "a random sample",
    "time": "a random sample, kept in time order",
    "groups": "a random sample of whole groups ({groups:,} of {groups_of:,} '{group}' groups, so no group is split)",
}


def sample_sentence(sample: dict | None, holdout_rows: int, group: str | None = None) -> str:
    """The training sample in plain words (empty when the trial trained on every training row)."""
    if not sample:
        return ""
    how = _HOW.get(sample.get("how"), _HOW["random"]).format(
        groups=int(sample.get("groups") or 0), groups_of=int(sample.get("groups_of") or 0), group=group or "group")
    left = int(sample["of"]) - int(sample["rows"])
    return (f"The recipes trained on {int(sample['rows']):,} of {int(sample['of']):,} rows, {how}, because "
            f"a trial trains on at most {int(sample['limit']):,} rows to finish in minutes on a big table (setting "
            "'max_training_rows'; the same seed draws the same sample). The other "
            f"{left:,} {'row was' if left == 1 else 'rows were'} not used for training or testing. The final "
            f"check used {int(holdout_rows):,} rows nobody trained on, a random share of all rows set aside before "
            "the sample was drawn.")


def read_sample_sentence(sample: dict | None) -> str:
    """A dataset read as a sample of a bigger file (``load_file(sample_rows=...)``), for the verdict."""
    if not sample or not sample.get("sampled"):
        return ""
    return (f"This table is a random sample of the file it came from: FairTrial read {int(sample['rows']):,} of its "
            f"{int(sample['of']):,} rows (every row equally likely, seed {int(sample['seed'])}), so the other "
            f"{int(sample['of']) - int(sample['rows']):,} rows took no part in this trial.")
