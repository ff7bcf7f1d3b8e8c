"""``fairtrial import`` and ``fairtrial datasets``: put files in the database and list them."""

from __future__ import annotations

import argparse

from . import COMMANDS
from .common import add_keep_personal, add_sample_rows, load_arg, print_json, save_arg, say, say_scrambled, store_for


def add_import(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("import", help="read a CSV or Excel file and store it as a dataset")
    p.add_argument("file", help="a .csv, .tsv, .txt, .xlsx or .xlsm file")
    p.add_argument("--sheet", help="which sheet of an Excel file (default: the first)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    add_keep_personal(p)
    add_sample_rows(p)
    return p


def run_import(args: argparse.Namespace) -> int:
    ds = load_arg(args.file, args.sheet, sample_rows=args.sample_rows, announce=False)  # every note is said below
    stored, reused = save_arg(store_for(args), ds, args)
    for note in ds.notes:
        say(note)
    say_scrambled(stored, args)
    if reused:
        say(f"This table is already stored as dataset {stored.dataset_id}; using that copy.")
    if args.json:
        print_json({**stored.summary(), "reused": reused, "notes": list(ds.notes)})
    else:
        say(f"Stored '{stored.name}' as dataset {stored.dataset_id}: {stored.n_rows:,} rows, {stored.n_cols} columns.")
        width = max((len(c) for c in stored.columns), default=0)
        for col, kind in stored.kinds.items():
            print(f"  {col.ljust(width)}  {kind}")
    return 0


def add_datasets(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("datasets", help="list the stored datasets")
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    return p


def run_datasets(args: argparse.Namespace) -> int:
    rows = store_for(args).list_datasets()
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        say("No datasets stored yet. Add one with: fairtrial import FILE")
        return 0
    for r in rows:
        print(f"{r['dataset_id']:>4}  {r['name']}  ({r['rows']:,} rows, {r['columns']} columns)  {r['created_at']}")
    return 0


COMMANDS["import"] = (add_import, run_import)
COMMANDS["datasets"] = (add_datasets, run_datasets)
