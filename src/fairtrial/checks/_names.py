"""Column names as lower-case, accent-free word tokens: 'dateOfBirth' -> ['date', 'of', 'birth']."""

from __future__ import annotations

import re
import unicodedata

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_SPLIT = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower case without accents: 'Âge' -> 'age', 'Staatsangehörigkeit' -> 'staatsangehorigkeit'."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower().replace("ß", "ss")


def tokens(name: str) -> list[str]:
    spaced = _CAMEL.sub(" ", unicodedata.normalize("NFKD", str(name)))
    return [t for t in _SPLIT.split(fold(spaced)) if t]


def has_phrase(words: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(words[i:i + n]) == phrase for i in range(len(words) - n + 1))
