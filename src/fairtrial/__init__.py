"""FairTrial: a local, no-code experiment lab. The engine; it never imports streamlit.

The names below are loaded when first used (PEP 562), so ``import fairtrial`` (and every
``fairtrial.x`` module, which imports this package first) does not import pandas: the command
line starts its worker processes before the heavy imports, and the workers import pandas only
when they need it (``workers.start_early``)."""

from __future__ import annotations

import importlib

__version__ = "0.2.0"

# public name -> the module that defines it
_LAZY = {
    "Dataset": "dataset", "canonical_sha256": "dataset",
    "BadChoiceError": "errors", "BadFileError": "errors", "FairTrialError": "errors", "NotFoundError": "errors",
    "StoreBusyError": "errors", "StoreError": "errors",
    "Finding": "findings",
    "TaskInfo": "task", "detect_task": "task",
}

__all__ = sorted([*_LAZY, "__version__"])


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
