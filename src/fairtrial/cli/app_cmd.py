"""``fairtrial app``: start the Streamlit app and open it in the browser."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
import urllib.request
import webbrowser
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


def _open_when_ready(url: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    """Open the browser once the server answers (Streamlit itself runs headless, so it never
    stops to ask for an e-mail address on first start)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    webbrowser.open(url)
                    return
        except OSError:
            time.sleep(0.3)


def run(args: argparse.Namespace) -> int:
    script = app_script()
    if not script.exists():
        raise CommandError("The app files are missing from this installation.",
                           "Run FairTrial from its project folder with 'make run'.")
    env = dict(os.environ)
    if getattr(args, "db", None):
        env["FAIRTRIAL_DB"] = str(Path(args.db).expanduser().resolve())
    url = f"http://localhost:{args.port}"
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(args.port),
           "--server.headless", "true"]
    say(f"Starting FairTrial on {url} (press Ctrl+C to stop).")
    proc = subprocess.Popen(cmd, env=env, cwd=str(script.parent.parent))
    if not args.no_browser:
        threading.Thread(target=_open_when_ready, args=(url, proc), daemon=True).start()
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        proc.wait(timeout=10)
        return 0


COMMANDS["app"] = (add, run)
