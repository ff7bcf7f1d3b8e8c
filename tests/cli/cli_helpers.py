"""Run the CLI in-process (fast) or as a real process (exit codes, streams)."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


def run_cli(capsys, *args: str) -> Result:
    from fairtrial.cli import main

    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def run_process(*args: str, env: dict | None = None, timeout: int = 300) -> Result:
    proc = subprocess.run([sys.executable, "-m", "fairtrial.cli", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=timeout)
    return Result(proc.returncode, proc.stdout, proc.stderr)
