"""The installation's secret for signing saved models: a file next to the database.

``model_key(db_path)`` reads ``<database>.key`` (e.g. ``fairtrial.duckdb.key``), creating it
on first use with 32 random bytes and permissions 0600 (its owner only). The key never
goes into the database: whoever can change the database file but cannot read this file
cannot sign a changed model, so ``models.load_model`` refuses it. The file is created
atomically (written aside, then linked into place), so two programs starting at once end
up with the same key.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from ..errors import StoreError

KEY_MODE = 0o600
_KEY_HEX_CHARS = 64


def key_path(db_path: str | os.PathLike) -> Path:
    path = Path(db_path)
    return path.with_name(path.name + ".key")


def _bad_key(path: Path, what: str) -> StoreError:
    return StoreError(
        f"FairTrial cannot use the key file {path} that signs its saved models: {what}.",
        "Check that the file is yours and readable; if you delete it, models saved so far can no longer be "
        "used (run their trials again).",
    )


def _read(path: Path) -> bytes:
    try:
        mode = path.lstat().st_mode
        if not stat.S_ISREG(mode):
            raise _bad_key(path, "it is not a plain file")
        if stat.S_IMODE(mode) & ~KEY_MODE:
            os.chmod(path, KEY_MODE)
        text = path.read_text(encoding="ascii").strip()
    except StoreError:
        raise
    except (OSError, UnicodeDecodeError) as exc:
        raise _bad_key(path, "it cannot be read") from exc
    if len(text) != _KEY_HEX_CHARS:
        raise _bad_key(path, "it does not hold a key")
    try:
        return bytes.fromhex(text)
    except ValueError as exc:
        raise _bad_key(path, "it does not hold a key") from exc


def model_key(db_path: str | os.PathLike) -> bytes:
    """The secret that signs this database's models, created (0600) when missing."""
    path = key_path(db_path)
    if path.exists() or path.is_symlink():
        return _read(path)
    aside = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    try:
        fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, KEY_MODE)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_hex(_KEY_HEX_CHARS // 2) + "\n")
        os.chmod(aside, KEY_MODE)
        try:
            os.link(aside, path)  # fails if another program made the key first: use theirs
        except FileExistsError:
            pass
    except OSError as exc:
        raise _bad_key(path, "it cannot be created") from exc
    finally:
        try:
            aside.unlink()
        except OSError:
            pass
    return _read(path)
