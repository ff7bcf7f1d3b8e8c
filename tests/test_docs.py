"""The README documents every CLI command, recipe name and check id (sqlite-utils style)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fairtrial.checks import CHECK_IDS
from fairtrial.cli import COMMANDS, build_parser
from fairtrial.recipes import RECIPE_NAMES

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def test_readme_starts_with_the_two_commands():
    assert "make run" in README and "make test" in README


@pytest.mark.parametrize("command", sorted(set(COMMANDS) | {"app"}))
def test_every_command_is_in_the_readme_with_help(command):
    build_parser()
    assert f"`fairtrial {command}" in README
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert sub.choices[command].format_help().strip()


@pytest.mark.parametrize("name", RECIPE_NAMES)
def test_every_recipe_name_is_in_the_readme(name):
    assert f"| `{name}` |" in README


@pytest.mark.parametrize("check", sorted(CHECK_IDS))
def test_every_check_id_is_in_the_readme(check):
    assert f"| `{check}` |" in README
