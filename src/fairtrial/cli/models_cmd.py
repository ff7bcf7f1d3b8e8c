"""``fairtrial predict``, ``models``, ``promote`` and ``rollback``: use saved models."""

from __future__ import annotations

import argparse

from ..model_names import model_label, model_timeline, status_words
from . import COMMANDS
from .common import CommandError, load_arg, output_path, print_json, say, store_for


def _in_use(store, target: str | None = None) -> int:
    promoted = [m for m in store.list_models() if m["status"] == "promoted"
                and (target is None or m["metadata"].get("target") == target)]
    if not promoted:
        raise CommandError("No model is in use yet.", "Pick one with 'fairtrial models' and 'fairtrial promote ID', "
                           "or pass --model ID.")
    return int(promoted[0]["model_id"])


def add_predict(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("predict", help="score new rows with a saved model (after a drift check)")
    p.add_argument("file", help="the new rows: a .csv, .tsv, .txt, .xlsx or .xlsm file")
    p.add_argument("--model", type=int, help="the model's number (default: the promoted one)")
    p.add_argument("--sheet", help="which sheet of an Excel file (default: the first)")
    p.add_argument("-o", "--output", metavar="OUT.csv", help="write the rows with their predictions here (.csv or .xlsx)")
    p.add_argument("--json", action="store_true", help="print the drift summary and the predictions as JSON")
    return p


def run_predict(args: argparse.Namespace) -> int:
    from ..workflow import personal_columns, score_new_data

    from ..report.safe_text import csv_safe_frame  # here, not at the top: openpyxl is for reports only

    out = output_path(args.output, "predictions.csv")
    store = store_for(args)
    model_id = args.model if args.model is not None else _in_use(store)
    new = load_arg(args.file, args.sheet)
    table, drift = score_new_data(store, model_id, new)
    say(drift.summary)
    if out is not None:
        if out.suffix.lower() == ".xlsx":
            from ..report import write_predictions_workbook

            pii = personal_columns(store, model_id, new)
            for note in write_predictions_workbook(table, out, pii_columns=pii):
                say(note)
        else:
            csv_safe_frame(table).to_csv(out, index=False)
        say(f"{len(table):,} rows with predictions written to {out}")
    if args.json:
        cols = [c for c in table.columns if c == "prediction" or c.startswith(("chance of", "confidence"))]
        print_json({"model_id": model_id, "rows": int(len(table)), "drift": drift.to_dict(),
                    "predictions": table[cols].to_dict(orient="records")})
    elif not args.output:
        print(csv_safe_frame(table).to_csv(index=False), end="")
    return 0


def add_models(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("models", help="list the saved models and which one is in use")
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    return p


def run_models(args: argparse.Namespace) -> int:
    store = store_for(args)
    rows = store.list_models()
    if args.json:
        print_json([{**m, "label": model_label(m), "in_use": status_words(m)} for m in rows])
        return 0
    if not rows:
        say("No models yet: every trial saves its two models.")
    for m in rows:
        print(f"{m['model_id']:>4}  {status_words(m):<12}  {model_label(m)}  [{m['name']}, "
              f"{m['size_bytes'] / 1024:,.0f} KB, saved {m['created_at']}]")
    for line in model_timeline(store):
        say(line)
    return 0


def add_promote(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("promote", help="put a saved model in use for its target")
    p.add_argument("model_id", type=int)
    return p


def run_promote(args: argparse.Namespace) -> int:
    replaced = store_for(args).promote_model(args.model_id)
    say(f"Model {args.model_id} is now in use" + (f" (it replaces model {replaced})." if replaced else "."))
    return 0


def add_rollback(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("rollback", help="take a promoted model out of use and bring back the one before it")
    p.add_argument("model_id", type=int)
    return p


def run_rollback(args: argparse.Namespace) -> int:
    restored = store_for(args).rollback_model(args.model_id)
    say(f"Model {args.model_id} is out of use" + (f"; model {restored} is back in use." if restored else
                                                 "; no earlier model was in use."))
    return 0


COMMANDS["predict"] = (add_predict, run_predict)
COMMANDS["models"] = (add_models, run_models)
COMMANDS["promote"] = (add_promote, run_promote)
COMMANDS["rollback"] = (add_rollback, run_rollback)
