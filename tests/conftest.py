"""Shared fixtures: every test gets its own database file and never touches ~/.fairtrial."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "sample_data"


@pytest.fixture(autouse=True)
def _isolated_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "fairtrial-test.duckdb"
    monkeypatch.setenv("FAIRTRIAL_DB", str(db))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return db


@pytest.fixture
def db_path(_isolated_db: Path) -> Path:
    return _isolated_db
