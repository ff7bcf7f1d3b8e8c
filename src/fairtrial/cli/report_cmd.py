"""``fairtrial report`` and ``fairtrial history``: stored trials, and reports to hand on."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..findings import Finding
from . import COMMANDS
from .common import CommandError, print_json, say, store_for


def trial_bundle(store, trial_id: int) -> tuple[dict, dict, list[Finding]]:
    """The stored trial, its dataset's summary, and the findings of the checks it ran after."""
    trial = store.get_trial(trial_id)
    dataset = next((d for d in store.list_datasets() if d["dataset_id"] == trial["dataset_id"]), {})
    latest = store.latest_check_run(trial["dataset_id"], target=trial["plan"].get("target"))
    findings = latest["findings"] if latest else []
    return trial, dataset, findings


def write_reports(store, trial_id: int, *, xlsx: str | None = None, html: str | None = None) -> None:
    from ..report import write_excel_report, write_html_summary

    trial, dataset, findings = trial_bundle(store, trial_id)
    pii = sorted({c for f in findings if f.check == "pii" for c in f.columns})
    if xlsx:
        write_excel_report(trial, dataset=dataset, findings=findings, out=Path(xlsx).expanduser(), pii_columns=pii)
        say(f"Excel report written to {xlsx}")
    if html:
        write_html_summary(trial, dataset=dataset, findings=findings, out=Path(html).expanduser())
        say(f"HTML summary written to {html}")


def add_report(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("report", help="write the Excel report (and/or HTML summary) of a stored trial")
    p.add_argument("trial_id", type=int, help="the trial's number (see 'fairtrial history')")
    p.add_argument("-o", "--output", metavar="OUT.xlsx", help="Excel report file")
    p.add_argument("--html", metavar="OUT.html", help="one-page HTML summary file")
    return p


def run_report(args: argparse.Namespace) -> int:
    if not args.output and not args.html:
        raise CommandError("Say where to write the report.", "Add -o report.xlsx and/or --html summary.html.")
    write_reports(store_for(args), args.trial_id, xlsx=args.output, html=args.html)
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
        print(f"{r['trial_id']:>4}  {r['created_at']}  {r['dataset']}: {r['a']} vs {r['b']} predicting "
              f"'{r['target']}' -> {r['verdict'] or ''}")
    return 0


COMMANDS["report"] = (add_report, run_report)
COMMANDS["history"] = (add_history, run_history)
