"""Who can read the store: its folder 0700 and the file (and its .wal) 0600, tightened on open."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pandas as pd

from fairtrial.dataset import Dataset, canonical_sha256
from fairtrial.kinds import infer_kinds
from fairtrial.store import Store


def make_dataset(frame: pd.DataFrame) -> Dataset:
    return Dataset("t", frame, infer_kinds(frame), canonical_sha256(frame), source_file="t.csv")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_store_is_for_its_owner_only(tmp_path):
    old = os.umask(0o022)  # the usual umask: files 0644, folders 0755
    try:
        db = tmp_path / "new" / "deeper" / "ft.duckdb"
        store = Store(db)
        store.save_dataset(make_dataset(pd.DataFrame({"x": [1, 2, 3]})))
    finally:
        os.umask(old)
    assert mode(db) == 0o600
    assert mode(db.parent) == 0o700
    assert store.notes == [], "nothing to tell on a new store"


def test_the_default_folder_and_a_readable_file_are_tightened_on_open_with_a_note(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("FAIRTRIAL_DB", raising=False)
    Store().list_datasets()
    db = home / ".fairtrial" / "fairtrial.duckdb"
    os.chmod(db.parent, 0o755)
    os.chmod(db, 0o644)
    wal = db.with_name(db.name + ".wal")
    wal.write_bytes(b"")
    os.chmod(wal, 0o644)
    store = Store()
    assert store.list_datasets() == []
    assert mode(db.parent) == 0o700 and mode(db) == 0o600
    assert not wal.exists() or mode(wal) == 0o600
    assert len(store.notes) == 3
    assert "could be read by other users of this computer; it is now for you only." in store.notes[0]


def test_a_folder_the_user_chose_is_left_as_it_is_but_the_file_is_tightened(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    os.chmod(folder, 0o755)
    db = folder / "ft.duckdb"
    Store(db).list_datasets()
    os.chmod(db, 0o664)
    store = Store(db)
    store.list_datasets()
    assert mode(folder) == 0o755
    assert mode(db) == 0o600
    assert store.notes == ["The database file ft.duckdb could be read by other users of this computer; "
                           "it is now for you only."]


def test_the_command_line_tells_when_it_tightened_the_file(tmp_path, capsys):
    from fairtrial.cli import main

    db = tmp_path / "ft.duckdb"
    Store(db).list_datasets()
    os.chmod(db, 0o644)
    assert main(["--db", str(db), "datasets"]) == 0
    err = capsys.readouterr().err
    assert "The database file ft.duckdb could be read by other users" in err
    assert mode(db) == 0o600
