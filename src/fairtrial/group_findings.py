"""How the findings of one sensitive column's group results are read: each thing said once.

``groups.group_results`` stores one finding per check and recipe ("Recipe A approves some age groups
more often than others", and the same for recipe B), each explaining its measure. Read one after the
other, the explanation comes twice. ``pair_findings`` reads recipe A's and recipe B's finding of one
check as one: the title for both, the explanation once, then A's numbers and B's numbers. The stored
findings are kept as they are (the JSON of ``compare --json``, the next steps and older trials use
them); trials stored before the words for a pair were kept (``details["pair_words"]``) read as before.
``summary_not_repeated`` leaves out the summary sentences a finding repeats.
"""

from __future__ import annotations

from typing import Any, Iterable

from . import fairness_words as W
from .findings import SEVERITY_RANK, Finding

__all__ = ["pair_findings", "summary_not_repeated"]

PAIR_KEY = "pair_words"


def _as_dict(finding: Finding | dict) -> dict:
    return finding.to_dict() if isinstance(finding, Finding) else dict(finding)


def _words(finding: dict) -> dict | None:
    words = (finding.get("details") or {}).get(PAIR_KEY)
    return words if isinstance(words, dict) and all(words.get(k) for k in ("both_title", "explanation",
                                                                         "numbers")) else None


def _recipe(finding: dict) -> str:
    details = finding.get("details") or {}
    arm = str(details.get("arm") or "")
    return W.recipe_name(arm, {arm: details["recipe"]} if details.get("recipe") else None)


def _pair(same: list[dict]) -> dict:
    """One finding for the findings of one check on one column, one per recipe."""
    first = same[0]
    words = [_words(f) for f in same]
    numbers = " ".join(W.PAIR_NUMBERS.format(recipe=_recipe(f), numbers=W.capitalise(w["numbers"]))
                       for f, w in zip(same, words))
    advice = list(dict.fromkeys(str(f.get("suggestion") or "").strip() for f in same))
    severity = max((str(f.get("severity")) for f in same), key=lambda s: SEVERITY_RANK.get(s, 0))
    details = {"column": (first.get("details") or {}).get("column"),
               "recipes": {str((f.get("details") or {}).get("arm")): f.get("details") for f in same}}
    return {"check": first.get("check"), "severity": severity, "columns": list(first.get("columns") or []),
            "title": words[0]["both_title"], "message": f"{words[0]['explanation']} {numbers}",
            "suggestion": " ".join(a for a in advice if a), "details": details, "action": first.get("action", "")}


def pair_findings(findings: Iterable[Finding | dict]) -> list[dict]:
    """The findings of one column's group results as they are read: recipe A's and recipe B's finding
    of one check on the same column as one finding (the explanation once, then A's and B's numbers,
    the more severe of the two, the advice once), each at the place of the first of them; every other
    finding as it is. Plain dicts, in the shape of ``Finding.to_dict``; the paired one's ``details``
    keeps each recipe's numbers under ``recipes``."""
    items = [_as_dict(f) for f in findings]
    groups: dict[tuple, list[int]] = {}
    for i, f in enumerate(items):
        words = _words(f)
        arm = (f.get("details") or {}).get("arm")
        if words is None or arm is None:
            continue
        key = (f.get("check"), tuple(f.get("columns") or ()), words["explanation"])
        groups.setdefault(key, []).append(i)
    first_of: dict[int, list[int]] = {}
    skip: set[int] = set()
    for indices in groups.values():
        arms = [(items[i].get("details") or {}).get("arm") for i in indices]
        if len(indices) > 1 and len(set(arms)) == len(arms):
            first_of[indices[0]] = indices
            skip.update(indices[1:])
    out = []
    for i, f in enumerate(items):
        if i in skip:
            continue
        out.append(_pair([items[j] for j in first_of[i]]) if i in first_of else f)
    return out


def _repeated(sentence: str, messages: str) -> bool:
    """Whether the findings' ``messages`` say all that ``sentence`` says: each of its sentences (a claim,
    then perhaps 'With groups this small, this gap could be luck.') is in them. A summary sentence reads
    'Recipe A (...): <sentence>'; the finding's message holds the part after the recipe."""
    said = sentence.split(": ", 1)[-1].strip()
    parts = [p.strip().rstrip(".") for p in said.split(". ")]
    return all(p in messages for p in parts if p)


def summary_not_repeated(summary: Iterable[Any], findings: Iterable[Finding | dict]) -> list[str]:
    """The summary sentences that no finding in ``findings`` repeats (pass the stored findings, one
    per recipe, not the paired ones: they hold the summary's words)."""
    messages = " ".join(str(_as_dict(f).get("message", "")) for f in findings)
    return [str(s) for s in summary if not _repeated(str(s), messages)]
