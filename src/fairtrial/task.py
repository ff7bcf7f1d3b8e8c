"""What kind of prediction the target asks for: binary, multiclass or numeric."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import settings
from .errors import BadChoiceError

TASKS = ("binary", "multiclass", "numeric")
_MAX_CLASSES = 20


@dataclass(frozen=True)
class TaskInfo:
    task: str
    reason: str
    classes: tuple[str, ...] = ()
    positive: str | None = None

    def to_dict(self) -> dict:
        return {"task": self.task, "reason": self.reason, "classes": list(self.classes), "positive": self.positive}


_POSITIVE_WORDS = ("1", "yes", "true", "y", "t", "churned", "left", "pass", "passed", "approved", "default", "fraud", "positive")


def _positive_class(classes: list[str]) -> str:
    lowered = {c.strip().lower(): c for c in classes}
    for word in _POSITIVE_WORDS:
        if word in lowered:
            return lowered[word]
    return sorted(classes)[-1]


def empty_target(values: pd.Series) -> pd.Series:
    """Which rows have no answer in the target: a missing value, or text that is only blanks.

    The Check page and the trial both use this rule, so they leave out the same rows."""
    empty = values.isna()
    if not (pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)):
        if _one_text_per_key(values):  # each distinct value stripped once, not each row
            codes, uniques = pd.factorize(values)
            blank = pd.Series(np.asarray(uniques, dtype=object), dtype=object).astype(str).str.strip().eq("")
            empty |= np.append(blank.to_numpy(dtype=bool), False)[codes]
        else:
            empty |= values.astype(str).str.strip().eq("")
    return empty


def _one_text_per_key(values: pd.Series) -> bool:
    """Whether values equal as keys always have the same text, so text can be made once per
    distinct value (``pd.factorize``): true for text, whole numbers, yes/no and categories; not
    for columns of mixed Python objects, where 1, 1.0 and True are one key but three texts."""
    dtype = values.dtype
    if pd.api.types.is_object_dtype(dtype):
        return pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty")
    return (pd.api.types.is_string_dtype(dtype) or pd.api.types.is_integer_dtype(dtype)
            or pd.api.types.is_bool_dtype(dtype) or isinstance(dtype, pd.CategoricalDtype))


def class_labels(target: pd.Series) -> pd.Series:
    """The target as text labels (1.0 and 1 read the same), missing values kept as NA."""
    values = target.copy()
    if pd.api.types.is_float_dtype(values):
        nonnull = values.dropna()
        if len(nonnull) and (nonnull % 1 == 0).all():
            values = values.astype("Int64")
    if _one_text_per_key(values):  # the text of each distinct value, made once (issue 13)
        codes, uniques = pd.factorize(values)
        text = np.array([str(v) for v in np.asarray(uniques, dtype=object)] + [np.nan], dtype=object)
        return pd.Series(text[codes], index=values.index, name=values.name, dtype=object)
    out = values.astype(object).where(values.notna(), None)
    return out.map(lambda v: None if v is None else str(v))


def looks_like_counts(nonnull: pd.Series) -> bool:
    """Whole numbers from 0 where 0 is the most common value and rows thin out as the number rises.

    That is the shape of a count (doctor visits, claims, complaints): the numbers are amounts,
    so 7 is more than 6, and a model should predict the number. Codes of groups (digits 0-9, a
    cover type 1-7) have no such shape: their values are names, so they stay classes.
    """
    if not (pd.api.types.is_numeric_dtype(nonnull) and not pd.api.types.is_bool_dtype(nonnull)):
        return False
    if not (nonnull % 1 == 0).all() or nonnull.min() != 0:
        return False
    counts = nonnull.value_counts().sort_index()
    if len(counts) < int(settings.get("count_target_min_values")) or counts.idxmax() != 0:
        return False
    values = np.argsort(np.argsort(counts.index.to_numpy(dtype=float)))
    sizes = counts.rank(method="average").to_numpy()
    trend = float(np.corrcoef(values, sizes)[0, 1])
    return trend <= float(settings.get("count_target_trend"))


def detect_task(target: pd.Series, name: str = "", override: str | None = None) -> TaskInfo:
    """Binary, multiclass or numeric, with the reason in plain words.

    Raises ``BadChoiceError`` when the column cannot be predicted at all (empty, one value).
    """
    label = f"'{name}'" if name else "The target"
    nonnull = target.dropna()
    if nonnull.empty:
        raise BadChoiceError(f"The column {label} is empty, so there is nothing to predict.",
                             "Pick a column that has values.")
    n_unique = int(nonnull.nunique())
    if n_unique < 2:
        value = str(nonnull.iloc[0])
        raise BadChoiceError(
            f"Every row has the same value ('{value}') in {label}, so there is nothing to predict.",
            "Pick a column with at least two different values.",
        )
    is_number = pd.api.types.is_numeric_dtype(nonnull) and not pd.api.types.is_bool_dtype(nonnull)
    if override:
        if override not in TASKS:
            raise BadChoiceError(f"Unknown task '{override}'.", "Use binary, multiclass or numeric.")
        if override == "numeric" and not is_number:
            raise BadChoiceError(f"{label} holds text, so it cannot be predicted as a number.",
                                 "Choose binary or multiclass instead.")
        task = override
        reason = f"You chose to treat {label} as {override}."
    elif n_unique == 2:
        task, reason = "binary", f"{label} has two values, so FairTrial predicts which of the two a row has."
    elif is_number and (n_unique > _MAX_CLASSES or not (nonnull % 1 == 0).all()):
        task = "numeric"
        reason = f"{label} holds numbers with {n_unique} different values, so FairTrial predicts the number."
    elif looks_like_counts(nonnull):
        task = "numeric"
        top = nonnull.max()
        reason = (f"{label} holds counts from 0 to {top:g} (0 is the most common, and fewer rows have each higher "
                  f"number), so FairTrial predicts the number. Choose multiclass to treat each count as its own group.")
    elif n_unique <= _MAX_CLASSES:
        task = "multiclass"
        reason = f"{label} has {n_unique} different values, so FairTrial predicts which one a row has."
    else:
        raise BadChoiceError(
            f"{label} holds text with {n_unique} different values; that is too many groups to predict.",
            f"Pick a column with at most {_MAX_CLASSES} different values, or a column of numbers.",
        )
    if task == "numeric":
        return TaskInfo(task, reason)
    classes = sorted(set(class_labels(nonnull).dropna()))
    positive = _positive_class(classes) if task == "binary" else None
    return TaskInfo(task, reason, tuple(classes), positive)
