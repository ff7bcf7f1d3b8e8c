"""The one shape every check returns: a ``Finding``."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable, Literal

Severity = Literal["info", "warning", "critical"]
SEVERITIES: tuple[str, ...] = ("info", "warning", "critical")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}


@dataclass(frozen=True)
class Finding:
    """Something a check saw, told in plain words.

    ``check`` is a stable snake_case id (documented in the README). ``message`` says what
    was seen and why it matters, ``suggestion`` what to do. ``details`` holds the numbers.
    ``action`` is what FairTrial did about it ("excluded", "removed", "" for nothing) so
    the user can undo it.
    """

    check: str
    severity: Severity
    columns: tuple[str, ...]
    title: str
    message: str
    suggestion: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    action: str = ""

    def __post_init__(self) -> None:
        if self.severity not in SEVERITY_RANK:
            raise ValueError(f"unknown severity {self.severity!r}")
        object.__setattr__(self, "columns", tuple(self.columns))

    @property
    def action_words(self) -> str:
        """What FairTrial did, as a sentence ('Left 'email' out of the models.'); '' for nothing.
        An action without words of its own is said as it is stored ('scoring blocked')."""
        if not self.action:
            return ""
        names = " and ".join(f"'{c}'" for c in self.columns)
        words = {"excluded": f"Left {names} out of the models." if names else "Left it out of the models.",
                 "scoring blocked": "Did not score the new rows."}.get(self.action, self.action)
        return words[:1].upper() + words[1:]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["columns"] = list(self.columns)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Finding":
        return cls(
            check=data["check"],
            severity=data["severity"],
            columns=tuple(data.get("columns", ())),
            title=data["title"],
            message=data["message"],
            suggestion=data.get("suggestion", ""),
            details=dict(data.get("details") or {}),
            action=data.get("action", ""),
        )


# --- findings of one kind on several columns, said once -------------------------------------------
COLUMNS_NAMED = 5
"""The most columns a line about findings of one kind names; the rest are counted ('and 12 more')."""
_SLOT = "\x00"  # where a finding's own column stood in its words, while the words of several are compared


def same_kind(findings: Iterable[Finding]) -> list[list[Finding]]:
    """The findings grouped by kind (severity, check and title), each kind at the place of its first."""
    kinds: dict[tuple[str, str, str], list[Finding]] = {}
    for f in findings:
        kinds.setdefault((f.severity, f.check, f.title), []).append(f)
    return list(kinds.values())


def _columns(same: list[Finding]) -> tuple[list[str], list[str]]:
    """(each finding's own columns, the columns every finding names), in the order first named."""
    columns = list(dict.fromkeys(str(col) for f in same for col in f.columns))
    shared = [col for col in columns if all(col in map(str, f.columns) for f in same)]
    return [col for col in columns if col not in shared], shared


def columns_named(same: list[Finding]) -> str:
    """"'age', 'gender' and 'ethnicity'": each finding's own columns (a column every finding names,
    such as the target of a group-gap finding on 'age' and on 'ethnicity', is not one of the
    kind's columns: "('age', 'ethnicity' and 'approved')" read as three groups; it is named only
    when there is nothing else); past ``COLUMNS_NAMED`` the rest are counted."""
    own, shared = _columns(same)
    quoted = [f"'{col}'" for col in (own or shared)]
    if len(quoted) > COLUMNS_NAMED:
        return ", ".join(quoted[:COLUMNS_NAMED]) + f" and {len(quoted) - COLUMNS_NAMED} more"
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def said_once(same: list[Finding], field_name: str = "suggestion", *, or_each: bool = True) -> str:
    """The ``suggestion`` (or ``message``) of findings of one kind, said once: words that differ only in
    the column each names read once with 'one of them' in its place ("If one of them is not about
    people, remove it ..."); other words are said one after the other, each once (with ``or_each``;
    else they are not said). Empty when a finding has none."""
    texts = [str(getattr(f, field_name) or "").strip() for f in same]
    if not all(texts):
        return ""
    own, _shared = _columns(same)
    slotted = []
    for f, text in zip(same, texts):
        for col in f.columns:
            if str(col) in own:
                text = text.replace(f"'{col}'", _SLOT)
        slotted.append(text)
    if len(set(slotted)) == 1 and slotted[0].count(_SLOT) <= 1:
        once = re.sub(rf"(^|[.!?]\s+){_SLOT}", lambda m: m.group(1) + "One of them", slotted[0])
        return once.replace(_SLOT, "one of them")
    return " ".join(dict.fromkeys(texts)) if or_each else ""
