"""The Upload page offers a random sample of a file above the row limit instead of refusing it
(a small ``max_rows`` setting stands in for a huge file)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app" / "streamlit_app.py")


def test_a_file_above_the_row_limit_is_offered_as_a_random_sample(monkeypatch):
    monkeypatch.setenv("FAIRTRIAL_MAX_ROWS", "400")
    st.cache_data.clear()  # an earlier test may have read the same sample under the usual limit
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.selectbox(key="upload_sample").select("Student pass/fail (classroom)").run()  # 600 rows
    assert not at.exception
    assert [w.value for w in at.warning] == ["This table has about 600 rows; FairTrial reads at most 400 rows at once."]
    assert not at.metric  # nothing stored yet
    at.button(key="upload_use_sample").click().run()
    assert not at.exception
    assert at.metric[0].value == "400"
    notes = [i.value for i in at.info]
    assert any(n.startswith("FairTrial read a random 400 of the file's 600 rows (every row equally likely") for n in notes)
    assert not at.warning
