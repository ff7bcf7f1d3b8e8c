"""Registers every command module with the CLI (import order is the help order)."""

from . import app_cmd, datasets_cmd, check_cmd, compare_cmd, report_cmd, drift_cmd, models_cmd  # noqa: F401
