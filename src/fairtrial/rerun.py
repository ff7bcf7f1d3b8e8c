"""Did a re-run give the same numbers? Compare two stored trial results, in plain words.

Scores are compared with a relative tolerance (``rerun_tolerance``, 1e-9): a forest's fold
score may differ in the 12th digit between identical runs (sums done in another order
across threads), which is not a different result. When a number really differs, the
check names it and gives the likely cause: a library version recorded with each result
that changed between the runs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from . import settings

__all__ = ["RerunCheck", "compare_results"]

_ROLES = ("a", "b", "baseline")
_SHOWN = 3  # differences named in the message; all of them are in ``differences``


@dataclass(frozen=True)
class RerunCheck:
    """The outcome of a re-run: same numbers or not, which ones differ, and what to tell the user."""

    trial_id: int | None
    same: bool
    differences: list[str] = field(default_factory=list)
    versions_changed: list[str] = field(default_factory=list)
    message: str = ""


def _close(old: Any, new: Any, tolerance: float) -> bool:
    if old is None or new is None:  # a score that could not be computed is stored as None
        return old is None and new is None
    old, new = float(old), float(new)
    if math.isnan(old) or math.isnan(new):
        return math.isnan(old) and math.isnan(new)
    return math.isclose(old, new, rel_tol=tolerance, abs_tol=tolerance)


def _number(value: Any) -> str:
    return "none" if value is None else f"{float(value):.6g}"


def _differences(old: dict, new: dict, tolerance: float) -> list[str]:
    out = []
    for role in _ROLES:
        before, after = old.get(role) or {}, new.get(role) or {}
        label = after.get("label") or before.get("label") or role.upper()
        folds_before, folds_after = list(before.get("fold_scores") or []), list(after.get("fold_scores") or [])
        if len(folds_before) != len(folds_after):
            out.append(f"the number of re-splits of {label} ({len(folds_before)} then, {len(folds_after)} now)")
        else:
            for i, (x, y) in enumerate(zip(folds_before, folds_after)):
                if not _close(x, y, tolerance):
                    out.append(f"{label}'s score on re-split {i + 1} ({_number(x)} then, {_number(y)} now)")
        if not _close(before.get("holdout"), after.get("holdout"), tolerance):
            out.append(f"{label}'s score on the rows kept aside ({_number(before.get('holdout'))} then, "
                       f"{_number(after.get('holdout'))} now)")
    mean_before = (old.get("difference") or {}).get("mean")
    mean_after = (new.get("difference") or {}).get("mean")
    if not _close(mean_before, mean_after, tolerance):
        out.append(f"the average difference between the recipes ({_number(mean_before)} then, "
                   f"{_number(mean_after)} now)")
    value_before, value_after = old.get("value") or {}, new.get("value") or {}
    for role in ("a", "b"):  # the money view (``value.py``), when the trial had prices
        for key, words in (("mean", "value per 1,000 rows"), ("holdout", "value on the rows kept aside"),
                           ("cutoff", "money cut-off")):
            x, y = (value_before.get(role) or {}).get(key), (value_after.get(role) or {}).get(key)
            if not _close(x, y, tolerance):
                out.append(f"{role.upper()}'s {words} ({_number(x)} then, {_number(y)} now)")
    return out


def _version_changes(old: dict, new: dict) -> list[str]:
    before, after = old.get("versions") or {}, new.get("versions") or {}
    return [f"{name} was {before.get(name, 'not recorded')} then, {after.get(name, 'not recorded')} now"
            for name in sorted(set(before) | set(after)) if before.get(name) != after.get(name)]


def compare_results(old: dict[str, Any], new: dict[str, Any], *, old_id: int | None = None,
                    new_id: int | None = None) -> RerunCheck:
    """Compare the stored result ``old`` with the re-run's result ``new`` (``to_dict()`` shapes):
    every fold score, the holdout score of each recipe and the mean difference."""
    tolerance = float(settings.get("rerun_tolerance"))
    differences = _differences(old, new, tolerance)
    versions = _version_changes(old, new)
    run = f"Re-run as trial {new_id}" if new_id is not None else "Re-run"
    before = f"trial {old_id}" if old_id is not None else "the stored trial"
    if not differences:
        message = (f"{run}: the same numbers as {before} (every score equal to {abs(math.log10(tolerance)):.0f} "
                   "significant digits).")
        return RerunCheck(new_id, True, [], versions, message)
    shown = "; ".join(differences[:_SHOWN])
    more = f"; and {len(differences) - _SHOWN} more" if len(differences) > _SHOWN else ""
    count = "1 number differs" if len(differences) == 1 else f"{len(differences)} numbers differ"
    if versions:
        cause = f"Likely cause: the software changed between the runs ({'; '.join(versions)})."
    else:
        cause = ("The software versions are the same, so this is unexpected: please report it with both trial "
                 "numbers.")
    message = f"{run}: {count} from {before}: {shown}{more}. {cause}"
    return RerunCheck(new_id, False, differences, versions, message)
