"""The one shape every check returns: a ``Finding``."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

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
