"""``fairtrial app``: start the Streamlit app."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from . import COMMANDS
from .common import CommandError, say


def app_script() -> Path:
    return Path(__file__).resolve().parents[3] / "app" / "streamlit_app.py"


def add(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("app", help="start the FairTrial app in your browser")
    p.add_argument("--port", type=int, default=8501, help="port to serve on (default 8501)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    return p


def run(args: argparse.Namespace) -> int:
    script = app_script()
    if not script.exists():
        raise CommandError("The app files are missing from this installation.",
                           "Run FairTrial from its project folder with 'make run'.")
    env = dict(os.environ)
    if args.db:
        env["FAIRTRIAL_DB"] = str(Path(args.db).expanduser().resolve())
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(args.port)]
    if args.no_browser:
        cmd += ["--server.headless", "true"]
    say(f"Starting FairTrial on http://localhost:{args.port} (press Ctrl+C to stop).")
    try:
        return subprocess.call(cmd, env=env, cwd=str(script.parent.parent))
    except KeyboardInterrupt:
        return 0


COMMANDS["app"] = (add, run)
