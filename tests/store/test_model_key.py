"""The key that signs saved models lives next to the database, for its owner only."""

from __future__ import annotations

import stat

import pytest

from fairtrial.errors import StoreError
from fairtrial.store import Store
from fairtrial.store.keys import key_path, model_key


def test_the_key_is_made_once_next_to_the_database_for_its_owner_only(db_path):
    path = key_path(db_path)
    assert path.name == db_path.name + ".key" and not path.exists()
    first = Store(db_path).model_key()
    assert len(first) == 32 and path.is_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert Store(db_path).model_key() == first == model_key(db_path)


def test_a_key_file_others_can_read_is_tightened(db_path):
    Store(db_path).model_key()
    key_path(db_path).chmod(0o644)
    Store(db_path).model_key()
    assert stat.S_IMODE(key_path(db_path).stat().st_mode) == 0o600


def test_a_damaged_key_file_is_a_plain_store_error(db_path):
    key_path(db_path).parent.mkdir(parents=True, exist_ok=True)
    key_path(db_path).write_text("not a key\n")
    with pytest.raises(StoreError) as err:
        Store(db_path).model_key()
    assert str(err.value).startswith(f"FairTrial cannot use the key file {key_path(db_path)} that signs its saved "
                                     "models: it does not hold a key.")
