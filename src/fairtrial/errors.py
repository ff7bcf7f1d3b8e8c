"""Errors a person can act on.

Every error FairTrial shows to a user is a ``FairTrialError``: one plain sentence saying
what is wrong (``message``) and, where it helps, what to do (``hint``). The app and the
CLI show ``str(error)`` (message and hint on one line) and never a traceback.

    FairTrialError
    ├── BadFileError       the uploaded file cannot be read as a table
    ├── FileTooLargeError  the file is over the configured size limit
    │   └── TooManyRowsError  more rows than ``max_rows`` (``rows``: about how many; a sample can be read)
    ├── BadChoiceError     a choice does not fit the data (unknown column, one-class target ...)
    ├── StoreError         the local database cannot be used
    │   └── StoreBusyError another program holds the database for too long
    ├── NotFoundError      a dataset, trial or model id that is not stored
    ├── TrialCancelled     the user stopped a running trial
    ├── ClusterError       the Dask cluster named in FAIRTRIAL_DASK_SCHEDULER cannot be used
    └── ModelFileError     a saved model is damaged, was changed or holds untrusted parts
"""

from __future__ import annotations


class FairTrialError(Exception):
    """A problem the user can fix, told in plain words."""

    def __init__(self, message: str, hint: str = "") -> None:
        self.message = message.strip()
        self.hint = hint.strip()
        super().__init__(self.one_line())

    def one_line(self) -> str:
        text = self.message
        if self.hint:
            sep = " " if text.endswith((".", "!", "?", ":")) else ". "
            text = f"{text}{sep}{self.hint}"
        return " ".join(text.split())


class BadFileError(FairTrialError):
    """The file cannot be read as a table."""


class FileTooLargeError(BadFileError):
    """The file is larger than the configured limit."""


class TooManyRowsError(FileTooLargeError):
    """The table has more rows than ``max_rows``; ``rows`` says about how many (None: unknown),
    ``limit`` the most FairTrial reads, so a front can offer a random sample of that many."""

    def __init__(self, message: str, hint: str = "", *, rows: int | None = None, limit: int | None = None) -> None:
        super().__init__(message, hint)
        self.rows = rows
        self.limit = limit


class BadChoiceError(FairTrialError):
    """A choice (target, column, recipe, option) does not fit the data."""


class StoreError(FairTrialError):
    """The local FairTrial database cannot be used."""


class StoreBusyError(StoreError):
    """Another program kept the database locked for longer than we waited."""


class NotFoundError(FairTrialError):
    """Nothing is stored under that id."""


class TrialCancelled(FairTrialError):
    """The user stopped a trial before it finished; nothing was kept."""

    def __init__(self, message: str = "The trial was stopped before it finished; nothing was kept.",
                 hint: str = "") -> None:
        super().__init__(message, hint)


class ClusterError(FairTrialError):
    """The Dask cluster that FAIRTRIAL_DASK_SCHEDULER names cannot be reached or used."""


class ModelFileError(FairTrialError):
    """A saved model file is damaged, was changed, or holds something FairTrial does not trust."""
