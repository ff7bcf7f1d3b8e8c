"""The ``fairtrial`` command: a thin, headless front over the engine.

JSON goes to stdout, messages to stderr. Exit 0 on success (findings are not errors),
2 for bad input or usage with one line ``error: ...`` on stderr, never a traceback.
Each command lives in its own module and registers itself in ``COMMANDS``.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from typing import Callable, Sequence

from ..errors import FairTrialError
from .common import CommandError, UsageError

# name -> (module that adds the sub-parser and the function that runs it)
COMMANDS: dict[str, tuple[Callable[[argparse._SubParsersAction], argparse.ArgumentParser], Callable]] = {}


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage mistakes as one plain line and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    from . import commands  # noqa: F401  (registers the commands)

    parser = _Parser(
        prog="fairtrial",
        description="FairTrial: check a spreadsheet, run a fair A/B trial of two model recipes, and explain the result.",
    )
    parser.add_argument("--db", help="the FairTrial database file (default: FAIRTRIAL_DB or ~/.fairtrial/fairtrial.duckdb)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (add, _run) in COMMANDS.items():
        p = add(sub)
        # --db works before or after the command name.
        p.add_argument("--db", default=argparse.SUPPRESS, help="the FairTrial database file")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if not args.command:
            parser.print_help(sys.stderr)
            return 2
        _, run = COMMANDS[args.command]
        return int(run(args) or 0)
    except (FairTrialError, CommandError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: stopped by the user.", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: still no traceback for the user, unless asked for
        if os.environ.get("FAIRTRIAL_DEBUG"):
            raise
        print(
            f"error: FairTrial hit an internal problem ({type(exc).__name__}). Please report it; "
            "set FAIRTRIAL_DEBUG=1 to see the details.",
            file=sys.stderr,
        )
        return 1
    finally:
        from ..workers import stop_workers

        stop_workers()  # the command is over: do not wait for idle workers to wind down on exit


_OWN_PROCESS: list[bool] = []  # set by ``run``: this process is the command line itself


def settle_imports() -> None:
    """After a command's heavy imports, in the command line's own process (not a program that
    calls ``main``): the modules stay until the end, so the garbage collector need not walk
    their objects again in every full collection (about 0.1 s of 0.3 s on 100,000 rows)."""
    if _OWN_PROCESS:
        gc.freeze()


def run() -> None:
    from ..workers import use_fork_server

    _OWN_PROCESS.append(True)
    use_fork_server()  # this program's main module is safe to import again in its workers
    code = main()
    # Everything is written and closed. Python's own shutdown then walks every object several
    # times looking for cycles to free (about 0.3 s after a 100,000-row trial, for memory the
    # operating system takes back at exit anyway); frozen objects are skipped.
    gc.freeze()
    sys.exit(code)
