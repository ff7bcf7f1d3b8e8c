"""``fairtrial app``: start the Streamlit app and open it in the browser.

The app listens on this computer only (127.0.0.1). ``--share`` opens it to the network, and
then only behind the password in ``FAIRTRIAL_APP_PASSWORD`` (no password, no sharing): the
app asks for it before any page (``app/streamlit_app.py``). Error details never reach users.
"""

from __future__ import annotations

import argparse
import os
import socket
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
    p.add_argument("--share", action="store_true",
                   help=f"let other computers on the network open the app (asks for the password in {PASSWORD_ENV})")
    return p


PASSWORD_ENV = "FAIRTRIAL_APP_PASSWORD"
SHARED_ENV = "FAIRTRIAL_APP_SHARED"
LOCAL_ADDRESS = "127.0.0.1"
ALL_ADDRESSES = "0.0.0.0"


def streamlit_command(script: Path, port: int, *, share: bool = False) -> list[str]:
    """The command line that starts Streamlit: this computer only unless ``share``."""
    address = ALL_ADDRESSES if share else LOCAL_ADDRESS
    return [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
            "--server.address", address, "--server.headless", "true",
            "--client.showErrorDetails", "none", "--browser.gatherUsageStats", "false"]


def app_environment(args: argparse.Namespace, base: dict[str, str]) -> dict[str, str]:
    """The environment of the app process; sharing needs a password and turns the gate on."""
    env = dict(base)
    env.pop(SHARED_ENV, None)
    if getattr(args, "db", None):
        env["FAIRTRIAL_DB"] = str(Path(args.db).expanduser().resolve())
    if args.share:
        if not env.get(PASSWORD_ENV, "").strip():
            raise CommandError(f"Sharing the app needs a password: set {PASSWORD_ENV} first.",
                               f"For example: {PASSWORD_ENV}='a long phrase' fairtrial app --share")
        env[SHARED_ENV] = "1"
    return env


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
    env = app_environment(args, os.environ)
    url = f"http://{LOCAL_ADDRESS}:{args.port}"
    cmd = streamlit_command(script, args.port, share=args.share)
    if args.share:
        say(f"Sharing FairTrial on every network address of this computer: others open "
            f"http://{socket.gethostname()}:{args.port} (or this computer's IP address, port {args.port}).")
        say("Warning: anyone who can reach this computer and knows the password can see and change your data. "
            "Stop with Ctrl+C when you are done.")
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
