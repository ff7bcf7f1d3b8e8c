"""Typed accessors for the session state. Only ids and small choices live here, never
models, frames or database connections."""

from __future__ import annotations

from typing import Any

import streamlit as st

_DEFAULTS: dict[str, Any] = {
    "dataset_id": None,
    "target": None,
    "check_run_id": None,
    "trial_id": None,
    "sensitive": None,
    "include": [],
    "exclude": [],
}


def get(key: str) -> Any:
    if key not in _DEFAULTS:
        raise KeyError(key)
    return st.session_state.get(key, _DEFAULTS[key])


def set(key: str, value: Any) -> None:  # noqa: A001 - mirrors st.session_state
    if key not in _DEFAULTS:
        raise KeyError(key)
    st.session_state[key] = value


def dataset_id() -> int | None:
    return get("dataset_id")


def choose_dataset(dataset_id: int) -> None:
    """A new dataset resets every later choice."""
    if get("dataset_id") != dataset_id:
        for key, value in _DEFAULTS.items():
            st.session_state[key] = value
    st.session_state["dataset_id"] = dataset_id
