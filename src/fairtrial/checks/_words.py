"""Plain-words formatting shared by every check: quoted names, shares, counts, scores.

Messages name columns in single quotes and give numbers a shop owner can read aloud
("15% of rows", "1,234 rows", "AUC 0.99 out of 1.00, where 0.50 is guessing").
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def q(name: object) -> str:
    """A column or value name in single quotes."""
    return f"'{name}'"


def names(columns: list[str] | tuple[str, ...], limit: int = 6) -> str:
    """'a', 'b' and 'c' (and 3 more)."""
    quoted = [q(c) for c in columns]
    if len(quoted) > limit:
        rest = len(quoted) - limit
        quoted = quoted[:limit] + [f"{rest} more"]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def count(n: int | float) -> str:
    """1,234."""
    return f"{int(n):,}"


def rows(n: int | float, word: str = "row") -> str:
    """'1 row', '1,234 rows'."""
    n = int(n)
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def pct(share: float) -> str:
    """A share as a percentage with as few digits as keep it honest: 15%, 0.4%, 99.6%."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "an unknown share"
    value = 100.0 * float(share)
    if value == 0:
        return "0%"
    if value == 100:
        return "100%"
    if value < 0.1:
        return "less than 0.1%"
    if value > 99.9:
        return "more than 99.9%"
    if value < 10 or value > 99:
        text = f"{value:.1f}"
        return (text[:-2] if text.endswith(".0") else text) + "%"
    return f"{value:.0f}%"


def points(diff: float) -> str:
    """A difference of two shares in percentage points: '19 points'."""
    value = 100.0 * abs(float(diff))
    text = f"{value:.1f}" if value < 10 else f"{value:.0f}"
    return f"{text} percentage points"


def score_words(metric: str, value: float) -> str:
    """'AUC 0.99 out of 1.00' or 'R² 0.85 out of 1.00'."""
    return f"{metric} {value:.2f} out of 1.00"


def chance_words(metric: str) -> str:
    if metric == "AUC":
        return "0.50 is guessing"
    return "0 is no better than always guessing the average"


def value_text(value: object, limit: int = 30) -> str:
    """A short, quoted category value; long values are cut."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return q(text)


def plain(obj: Any, digits: int = 4) -> Any:
    """Make details JSON-serialisable: plain ints, rounded floats, strings, lists, dicts."""
    if isinstance(obj, dict):
        return {str(k): plain(v, digits) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set)):
        return [plain(v, digits) for v in obj]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        value = float(obj)
        if math.isnan(value) or math.isinf(value):
            return None
        return round(value, digits)
    if obj is None or isinstance(obj, str):
        return obj
    return str(obj)
