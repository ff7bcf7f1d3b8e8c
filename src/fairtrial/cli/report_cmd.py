"""``fairtrial report`` and ``fairtrial history``: stored trials, and reports to hand on."""

from __future__ import annotations

import argparse
from pathlib import Path

from . import COMMANDS
from .common import CommandError, output_path, print_json, say, store_for


def write_reports(store, trial_id: int, *, xlsx: str | None = None, html: str | None = None,
                  handout: str | None = None) -> None:
    from ..report import write_excel_report, write_html_summary
    from ..workflow import trial_report_inputs

    trial, dataset, findings = trial_report_inputs(store, trial_id)
    if xlsx:
        write_excel_report(trial, dataset=dataset, findings=findings, out=Path(xlsx).expanduser())
        say(f"Excel report written to {xlsx}")
    if html:
        write_html_summary(trial, dataset=dataset, findings=findings, out=Path(html).expanduser())
        say(f"HTML summary written to {html}")
    if handout:
        from ..report.handout import write_handout

        write_handout(trial, dataset=dataset, findings=findings, out=Path(handout).expanduser())
        say(f"One-page class handout written to {handout}")


def add_report(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("report", help="write the Excel report (and/or HTML summary) of a stored trial")
    p.add_argument("trial_id", type=int, help="the trial's number (see 'fairtrial history')")
    p.add_argument("-o", "--output", metavar="OUT.xlsx", help="Excel report file")
    p.add_argument("--html", metavar="OUT.html", help="one-page HTML summary file")
    p.add_argument("--handout", metavar="OUT.html",
                   help="printable one-page class handout (HTML: the question, the data, what the checks found, the "
                        "verdict in words, key numbers, words to know and a question to discuss)")
    return p


def run_report(args: argparse.Namespace) -> int:
    if not args.output and not args.html and not args.handout:
        raise CommandError("Say where to write the report.",
                           "Add -o report.xlsx, --html summary.html and/or --handout handout.html.")
    output_path(args.output, "report.xlsx")
    output_path(args.html, "summary.html")
    output_path(args.handout, "handout.html")
    write_reports(store_for(args), args.trial_id, xlsx=args.output, html=args.html, handout=args.handout)
    return 0


def add_history(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("history", help="list the stored trials, newest first")
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.add_argument("--limit", type=int, default=50, help="how many trials to list (default 50)")
    return p


def run_history(args: argparse.Namespace) -> int:
    rows = store_for(args).list_trials(limit=args.limit)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        say("No trials yet. Run one with: fairtrial compare FILE --target COL --a simple --b boosting")
        return 0
    for r in rows:
        rerun = ""
        if r.get("rerun_of") is not None:
            same = {True: " · same numbers", False: " · numbers differ"}.get(r.get("rerun_same"), "")
            rerun = f" (re-run of trial {r['rerun_of']}{same})"
        print(f"{r['trial_id']:>4}  {r['created_at']}  {r['dataset']}: {r['a']} vs {r['b']} predicting "
              f"'{r['target']}'{rerun} -> {r['verdict'] or ''}")
    return 0


COMMANDS["report"] = (add_report, run_report)
COMMANDS["history"] = (add_history, run_history)
