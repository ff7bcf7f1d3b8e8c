"""FairTrial: a local, no-code experiment lab. The engine; it never imports streamlit."""

from __future__ import annotations

__version__ = "0.2.0"

from .dataset import Dataset, canonical_sha256
from .errors import BadChoiceError, BadFileError, FairTrialError, NotFoundError, StoreBusyError, StoreError
from .findings import Finding
from .task import TaskInfo, detect_task

__all__ = [
    "BadChoiceError",
    "BadFileError",
    "Dataset",
    "FairTrialError",
    "Finding",
    "NotFoundError",
    "StoreBusyError",
    "StoreError",
    "TaskInfo",
    "__version__",
    "canonical_sha256",
    "detect_task",
]
