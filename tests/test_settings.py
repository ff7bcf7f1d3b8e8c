"""The thresholds table: one place, with help text, environment first."""

from __future__ import annotations

import pytest

from fairtrial import settings


def test_every_setting_has_a_name_a_default_and_help():
    names = [s.name for s in settings.SETTINGS]
    assert len(names) == len(set(names))
    assert all(s.help.strip() for s in settings.SETTINGS)


def test_defaults_follow_the_check_catalogue():
    assert settings.get("leakage_auc_critical") == 0.975  # Gini 0.95
    assert settings.get("imbalance_warning") == 0.20
    assert settings.get("max_file_mb") == 200


def test_the_environment_wins_over_the_default(monkeypatch):
    monkeypatch.setenv("FAIRTRIAL_MAX_FILE_MB", "5")
    assert settings.get("max_file_mb") == 5


def test_an_unknown_setting_is_an_error():
    with pytest.raises(KeyError):
        settings.get("no_such_setting")


def test_the_database_path_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("FAIRTRIAL_DB", str(tmp_path / "x.duckdb"))
    assert settings.default_db_path() == tmp_path / "x.duckdb"
    monkeypatch.delenv("FAIRTRIAL_DB")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert settings.default_db_path() == tmp_path / ".fairtrial" / "fairtrial.duckdb"
