"""A shared app (``fairtrial app --share``) asks for the password before any page."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app" / "streamlit_app.py")


@pytest.fixture
def shared(monkeypatch):
    monkeypatch.setenv("FAIRTRIAL_APP_SHARED", "1")
    monkeypatch.setenv("FAIRTRIAL_APP_PASSWORD", "correct horse")


def test_a_shared_app_shows_no_page_before_the_password(shared):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["Password"]
    assert not [t for t in at.title if t.value == "Upload your data"]


def test_a_wrong_password_keeps_it_closed(shared):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.text_input[0].input("correct hors").run()
    assert "not right" in at.error[0].value
    assert not [t for t in at.title if t.value == "Upload your data"]


def test_the_right_password_opens_the_pages(shared):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.text_input[0].input("correct horse").run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Upload your data"]
    assert not at.text_input or at.text_input[0].label != "Password"


def test_a_shared_app_without_a_password_stays_closed(monkeypatch):
    monkeypatch.setenv("FAIRTRIAL_APP_SHARED", "1")
    monkeypatch.delenv("FAIRTRIAL_APP_PASSWORD", raising=False)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert "stays closed" in at.error[0].value
    assert not at.text_input


def test_the_app_on_this_computer_asks_for_nothing(monkeypatch):
    monkeypatch.delenv("FAIRTRIAL_APP_SHARED", raising=False)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not [t for t in at.text_input if t.label == "Password"]
    assert at.title[0].value == "Upload your data"
