"""Helpers shared by the CLI commands: output, the store, loading a file argument."""

from __future__ import annotations

import argparse
import json
import math
import os
import stat
import sys
from pathlib import Path
from typing import Any

from ..errors import FairTrialError


class CommandError(FairTrialError):
    """A command-line problem told in plain words."""


class UsageError(CommandError):
    """The command was typed in a way FairTrial does not understand."""


def _clean(value: Any) -> Any:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return _clean(value.item())
    return value


def print_json(data: Any) -> None:
    """Strict JSON on stdout (NaN becomes null)."""
    json.dump(_clean(data), sys.stdout, indent=2, ensure_ascii=False, default=str, allow_nan=False)
    sys.stdout.write("\n")
    sys.stdout.flush()


def say(message: str) -> None:
    """A message for the person at the terminal (stderr, never mixed into JSON)."""
    print(message, file=sys.stderr, flush=True)


def store_for(args: argparse.Namespace):
    from ..store import Store

    store = Store(getattr(args, "db", None), actor="cli")
    for note in store.secure():
        say(note)
    return store


def load_arg(path: str, sheet: str | None = None, *, announce: bool = True, sample_rows: int | None = None):
    """Load a FILE argument (a seeded random sample of ``sample_rows`` rows when given). With
    ``announce``, say what reading changed in the table (a sample; infinite or too-large
    numbers read as empty cells)."""
    from ..load import load_file

    if not Path(path).exists():
        raise CommandError(f"There is no file called '{path}'.", "Check the name and the folder, then try again.")
    if Path(path).is_dir():
        raise CommandError(f"'{path}' is a folder, not a file.", "Give the path of a CSV or Excel file.")
    ds = load_file(path, sheet=sheet, sample_rows=sample_rows)
    if announce:
        if (ds.read_options or {}).get("sample"):
            from ..load import sample_note

            say(sample_note(ds.read_options["sample"]))
        for note in (ds.read_options or {}).get("numbers_read_as_empty", []):
            say(note)
    return ds


def output_path(value: str | None, example: str = "out.csv") -> Path | None:
    """Check an output path before any work starts: its folder exists and can be written, it
    is not a folder, not a link (FairTrial never writes through a symlink) and not a device
    or pipe. Returns the path (``~`` expanded), or None when no path was given."""
    if not value:
        return None
    path = Path(value).expanduser()
    if path.is_symlink():
        raise CommandError(f"'{value}' is a link to another place; FairTrial does not write through links.",
                           "Give the name of a new file, or of a plain file to replace.")
    if path.is_dir():
        raise CommandError(f"'{value}' is a folder, not a file.", f"Give a file name inside it, e.g. {path / example}.")
    folder = path.parent
    if not folder.is_dir():
        raise CommandError(f"The folder for '{value}' does not exist.", "Create it or choose another place.")
    if path.exists() and not stat.S_ISREG(path.stat().st_mode):
        raise CommandError(f"'{value}' is not a plain file (it is a device, pipe or socket).",
                           "Give the name of a new file, or of a plain file to replace.")
    if not os.access(folder, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise CommandError(f"FairTrial may not write '{value}'.", "Choose a place you can write to.")
    return path


_TEXT_SUFFIXES = (".csv", ".tsv", ".txt")  # load.TEXT_EXTENSIONS, without importing pandas
_PEEK_BYTES = 1 << 20


def rough_row_count(path: str) -> int | None:
    """About how many rows a text table holds, before reading it: the file's size over the
    average length of its first lines (up to 1 MB; a smaller file is counted whole). Only a
    guess (a quoted cell may hold a line break), good enough to decide whether to start the
    worker processes while the file is read (``workers.start_early``). None for an Excel
    file, a file that cannot be opened, or one without line breaks: those start the workers
    after reading, as before."""
    try:
        file = Path(path)
        if file.suffix.lower() not in _TEXT_SUFFIXES or not file.is_file():
            return None
        size = file.stat().st_size
        with open(file, "rb") as fh:
            head = fh.read(_PEEK_BYTES)
    except OSError:
        return None
    lines = head.count(b"\n")
    if lines < 2:
        return None
    if len(head) >= size:
        return lines - 1 + (not head.endswith(b"\n"))  # the header line is not a row
    return int(size * lines / len(head)) - 1


def add_sample_rows(p: argparse.ArgumentParser) -> None:
    p.add_argument("--sample-rows", type=int, metavar="N",
                   help="read a random N rows of the file (every row equally likely, the same rows each time) "
                        "instead of all of them; for files above the most rows FairTrial reads at once")


def add_keep_personal(p: argparse.ArgumentParser) -> None:
    p.add_argument("--keep-personal", action="store_true",
                   help="store personal-data columns (e-mails, names, phone numbers ...) as they are; by default "
                        "FairTrial stores them scrambled and does not keep the original values")


def save_arg(store, ds, args: argparse.Namespace):
    """Store a loaded FILE argument: personal-data columns scrambled unless ``--keep-personal``.
    Returns ``(stored dataset, reused)``; ``say_scrambled`` says which columns were scrambled."""
    return store.save_dataset(ds, keep_personal=bool(getattr(args, "keep_personal", False)))


def say_scrambled(stored, args: argparse.Namespace) -> None:
    """One line on stderr naming the columns stored scrambled (said once the command's input is
    known to be good, so a plain error stays the only line)."""
    from ..store.scramble import SCRAMBLED_KEY, stored_words

    words = stored_words((stored.read_options or {}).get(SCRAMBLED_KEY) or {})
    if not words:
        return
    if getattr(args, "keep_personal", False):  # the same table was stored scrambled before
        words += " This table was stored that way before, and FairTrial keeps one copy of each table."
    else:
        words += " To keep personal data as it is, add --keep-personal."
    say(words)
