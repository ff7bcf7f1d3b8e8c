"""``fairtrial app``: this computer only by default; sharing only when asked, and only with a password."""

from __future__ import annotations

import argparse
import tomllib
from pathlib import Path

import pytest

from fairtrial.cli import build_parser
from fairtrial.cli.app_cmd import app_environment, app_script, streamlit_command
from fairtrial.cli.common import CommandError

REPO = Path(__file__).resolve().parents[2]


def _option(cmd: list[str], name: str) -> str:
    return cmd[cmd.index(name) + 1]


def _args(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(["app", *argv])


def test_the_app_listens_on_this_computer_only_by_default():
    args = _args()
    assert args.share is False
    cmd = streamlit_command(app_script(), args.port, share=args.share)
    assert _option(cmd, "--server.address") == "127.0.0.1"
    assert _option(cmd, "--client.showErrorDetails") == "none"


def test_share_listens_on_every_address_only_when_asked():
    args = _args("--share")
    cmd = streamlit_command(app_script(), args.port, share=args.share)
    assert _option(cmd, "--server.address") == "0.0.0.0"
    assert _option(cmd, "--client.showErrorDetails") == "none"


def test_share_without_a_password_is_refused_in_plain_words():
    with pytest.raises(CommandError, match="FAIRTRIAL_APP_PASSWORD"):
        app_environment(_args("--share"), {"FAIRTRIAL_APP_PASSWORD": "  "})
    with pytest.raises(CommandError, match="needs a password"):
        app_environment(_args("--share"), {})


def test_share_with_a_password_turns_the_gate_on_and_local_runs_turn_it_off():
    env = app_environment(_args("--share"), {"FAIRTRIAL_APP_PASSWORD": "correct horse"})
    assert env["FAIRTRIAL_APP_SHARED"] == "1"
    local = app_environment(_args(), {"FAIRTRIAL_APP_PASSWORD": "x", "FAIRTRIAL_APP_SHARED": "1"})
    assert "FAIRTRIAL_APP_SHARED" not in local


def test_share_without_a_password_exits_2_with_one_line(capsys, monkeypatch):
    from fairtrial.cli import main

    monkeypatch.delenv("FAIRTRIAL_APP_PASSWORD", raising=False)
    code = main(["app", "--share", "--no-browser"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: Sharing the app needs a password") and err.count("\n") == 1


def test_the_streamlit_config_binds_to_this_computer_and_hides_error_details():
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert config["server"]["address"] == "127.0.0.1"
    assert config["client"]["showErrorDetails"] == "none"


def test_no_usage_statistics_are_sent_and_the_only_network_call_is_the_local_health_check():
    cmd = streamlit_command(app_script(), 8501)
    assert _option(cmd, "--browser.gatherUsageStats") == "false"
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert config["browser"]["gatherUsageStats"] is False
    network = ("import urllib", "from urllib", "import requests", "import http", "from http", "import socket",
               "import httpx", "import aiohttp", "import distributed", "from distributed")
    users = sorted(str(p.relative_to(REPO)) for root in ("src", "app") for p in (REPO / root).rglob("*.py")
                   if any(word in p.read_text() for word in network))
    # workers.py: the Dask client, only when FAIRTRIAL_DASK_SCHEDULER is set (tests/test_workers.py)
    assert users == ["src/fairtrial/cli/app_cmd.py", "src/fairtrial/workers.py"]
    assert 'urlopen(f"{url}/_stcore/health"' in (REPO / "src/fairtrial/cli/app_cmd.py").read_text()


class _FakeServer:
    """Stands in for the Streamlit process so no server is started; records how it was asked to start."""

    started: list[dict] = []

    def __init__(self, cmd, env, cwd):
        _FakeServer.started.append({"cmd": cmd, "env": env})

    def wait(self):
        return 0

    def poll(self):
        return 0


def test_the_command_prints_the_address_and_a_warning_only_when_sharing(capsys, monkeypatch):
    from fairtrial.cli import app_cmd, main

    monkeypatch.setattr(app_cmd.subprocess, "Popen", _FakeServer)
    monkeypatch.setenv("FAIRTRIAL_APP_PASSWORD", "correct horse")
    _FakeServer.started.clear()

    assert main(["app", "--no-browser", "--port", "8765"]) == 0
    local = capsys.readouterr().err
    assert "Starting FairTrial on http://127.0.0.1:8765" in local and "Warning" not in local
    assert _option(_FakeServer.started[0]["cmd"], "--server.address") == "127.0.0.1"
    assert "FAIRTRIAL_APP_SHARED" not in _FakeServer.started[0]["env"]

    assert main(["app", "--share", "--no-browser", "--port", "8765"]) == 0
    shared = capsys.readouterr().err
    assert "Sharing FairTrial on every network address of this computer: others open http://" in shared
    assert ":8765" in shared
    assert "Warning: anyone who can reach this computer and knows the password can see and change your data." in shared
    assert _option(_FakeServer.started[1]["cmd"], "--server.address") == "0.0.0.0"
    assert _FakeServer.started[1]["env"]["FAIRTRIAL_APP_SHARED"] == "1"
