"""``fairtrial drift``: do the rows in a new file still look like the rows a model learned from?"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from . import COMMANDS
from .common import load_arg, print_json, say

_LABEL = {"critical": "PROBLEM", "warning": "CHECK", "info": "NOTE"}
_VERDICT = {"ok": "looks like before", "warning": "shifted", "critical": "shifted a lot"}


def add(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("drift",
                       help="compare a new file with the old one a model learned from: which columns have shifted")
    p.add_argument("reference", help="the old file (the rows the model learned from): .csv, .tsv, .txt, .xlsx or .xlsm")
    p.add_argument("new", help="the new file with the rows to compare")
    p.add_argument("--sheet", help="which sheet of the old Excel file (default: the first)")
    p.add_argument("--new-sheet", help="which sheet of the new Excel file (default: the first)")
    p.add_argument("--target",
                   help="the column the model predicts: compared on its own, never used to tell the files apart")
    p.add_argument("--needs", nargs="+", metavar="COL",
                   help="columns a model needs: if the new file lacks one, scoring is blocked (exit code stays 0)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    return p


def _header(ds) -> dict[str, Any]:
    return {"name": ds.name, "rows": ds.n_rows, "columns": ds.n_cols, "sha256": ds.sha256}


def run(args: argparse.Namespace) -> int:
    from ..drift import check_drift

    ref = load_arg(args.reference, args.sheet, announce=False)  # every note is said below
    new = load_arg(args.new, args.new_sheet, announce=False)
    if args.needs:
        from ..workflow import require_column

        for col in args.needs:
            require_column(ref, col)
    report = check_drift(ref.frame, new.frame, kinds=ref.kinds, target=args.target, needed_columns=args.needs)
    for label, ds in (("old file", ref), ("new file", new)):  # after the check: a bad input stays one line
        for note in ds.notes:
            say(f"{label}: {note}")
    if args.json:
        print_json({"reference": _header(ref), "new": _header(new), **report.to_dict()})
        return 0
    out = sys.stdout
    out.write(f"Old rows: {ref.name}, {ref.n_rows:,} rows, {ref.n_cols} columns.\n")
    out.write(f"New rows: {new.name}, {new.n_rows:,} rows, {new.n_cols} columns.\n")
    out.write(f"{report.summary}\n\n")
    for f in report.findings:
        out.write(f"[{_LABEL[f.severity]}] {f.title}\n    {f.message}\n")
        if f.suggestion:
            out.write(f"    What to do: {f.suggestion}\n")
        if f.action:
            out.write(f"    FairTrial: {f.action}\n")
        out.write("\n")
    compared = [c for c in report.columns if c.method != "skipped"]
    if compared:
        width = max(len(c.column) for c in compared)
        out.write("Column by column (PSI: 0 = unchanged, above 0.25 = a big shift):\n")
        for c in compared:
            if c.method in ("ks", "chi-square"):  # small samples: worded by the test
                number = f"chance by luck {c.p_value:.3g}"
            else:
                number = f"PSI {c.psi:.2f}"
            out.write(f"  {c.column.ljust(width)}  {c.kind:<8}  {number:<22}  {_VERDICT[c.severity]}\n")
    skipped = [c.column for c in report.columns if c.method == "skipped"]
    if skipped:
        out.write("Not compared (IDs, dates, free text): " + ", ".join(skipped) + "\n")
    return 0


COMMANDS["drift"] = (add, run)
