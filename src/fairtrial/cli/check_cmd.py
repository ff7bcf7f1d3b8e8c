"""``fairtrial check``: the data checks before any training."""

from __future__ import annotations

import argparse
import sys

from ..findings import SEVERITY_RANK, columns_named, said_once, same_kind
from . import COMMANDS
from .common import add_keep_personal, add_sample_rows, load_arg, print_json, save_arg, say, say_scrambled, store_for

_LABEL = {"critical": "PROBLEM", "warning": "CHECK", "info": "NOTE"}


def add(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("check", help="check a file for leaks, imbalance, bias, personal data and quality problems")
    p.add_argument("file", help="a .csv, .tsv, .txt, .xlsx or .xlsm file")
    p.add_argument("--target", required=True, help="the column to predict")
    p.add_argument("--sheet", help="which sheet of an Excel file (default: the first)")
    p.add_argument("--sensitive", nargs="*", default=None, metavar="COL",
                   help="columns about people (gender, age ...): kept out of the models, used to check for bias; "
                        "default: the ones FairTrial proposes, in effect at once; --sensitive alone: none")
    p.add_argument("--task", choices=["binary", "multiclass", "numeric"], help="override the detected kind of prediction")
    p.add_argument("--include", nargs="+", default=[], metavar="COL", help="use these columns even if FairTrial would leave them out")
    p.add_argument("--exclude", nargs="+", default=[], metavar="COL", help="leave these columns out")
    p.add_argument("--json", action="store_true", help="print the findings as JSON")
    add_keep_personal(p)
    add_sample_rows(p)
    return p


def run(args: argparse.Namespace) -> int:
    from ..workflow import check_dataset, dataset_header

    ds = load_arg(args.file, args.sheet, sample_rows=args.sample_rows)
    store = store_for(args)
    ds, _ = save_arg(store, ds, args)
    report, _run_id = check_dataset(store, ds, args.target, sensitive=args.sensitive, task=args.task,
                                    include=args.include, exclude=args.exclude)
    say_scrambled(ds, args)
    data = {"dataset": dataset_header(ds), **report.to_dict()}
    if args.json:
        print_json(data)
        return 0
    out = sys.stdout
    out.write(f"{ds.name}: {ds.n_rows:,} rows, {ds.n_cols} columns. Predicting '{report.target}'.\n")
    out.write(f"{report.task.reason}\n")
    out.write(f"{report.summary_line()}\n\n")
    # one kind of finding on several columns is one item naming them, its advice said once (as the
    # app's Check page and the reports do)
    for same in same_kind(sorted(report.findings, key=lambda f: -SEVERITY_RANK[f.severity])):
        first = same[0]
        named = f" ({columns_named(same)})" if len(same) > 1 else ""
        out.write(f"[{_LABEL[first.severity]}] {first.title}{named}\n")
        for f in same:
            out.write(f"    {f.message}\n")
        advice = said_once(same) if len(same) > 1 else first.suggestion
        if advice:
            out.write(f"    What to do: {advice}\n")
        for action in dict.fromkeys(f.action for f in same if f.action):
            out.write(f"    FairTrial: {action}\n")
        out.write("\n")
    if report.excluded_columns:
        out.write("Left out of the models: " + ", ".join(report.excluded_columns) + "\n")
    if report.sensitive_columns:
        out.write("Used for group checks only: " + ", ".join(report.sensitive_columns) + "\n")
    if report.sensitive_columns and report.sensitive_chosen_by == "checks":
        say("FairTrial proposed these columns about people and uses them for the group checks: "
            + ", ".join(report.sensitive_columns)
            + ". Name the right ones with --sensitive COL ..., or --sensitive alone for none.")
    elif report.proposed_sensitive and not report.sensitive_columns:
        say("Columns that may describe people: " + ", ".join(report.proposed_sensitive)
            + ". Name them with --sensitive to check the model for bias.")
    return 0


COMMANDS["check"] = (add, run)
