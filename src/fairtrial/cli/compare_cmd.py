"""``fairtrial compare``: a fair A/B trial of two recipes on the same splits."""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time

from ..recipe_spec import RECIPE_NAMES, Recipe
from . import COMMANDS, settle_imports
from .common import (CommandError, add_keep_personal, add_sample_rows, load_arg, output_path, print_json,
                     rough_row_count, save_arg, say, say_scrambled, store_for)


def add(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("compare", help="run a fair A/B trial of two recipes and explain who won")
    p.add_argument("file", help="a .csv, .tsv, .txt, .xlsx or .xlsm file")
    p.add_argument("--target", required=True, help="the column to predict")
    p.add_argument("--a", required=True, metavar="RECIPE",
                   help=f"recipe A: {', '.join(RECIPE_NAMES)}; add options as forest:thorough:balanced. Without an "
                        "imbalance option the checks decide (balanced weights when one answer is rare); "
                        "simple:none switches that off")
    p.add_argument("--b", required=True, metavar="RECIPE", help="recipe B, written like --a")
    p.add_argument("--sheet", help="which sheet of an Excel file (default: the first)")
    p.add_argument("--a-columns", nargs="+", metavar="COL", help="only these columns for recipe A")
    p.add_argument("--b-columns", nargs="+", metavar="COL", help="only these columns for recipe B")
    p.add_argument("--b-without", nargs="+", default=[], metavar="COL",
                   help="recipe B leaves out these columns and recipe A uses them (even a column the checks kept "
                        "out, such as a leak or a column about people): 'A: with X / B: without X' on the same "
                        "splits. Give the same recipe as --a and --b to see what the column alone changes")
    p.add_argument("--folds", type=int, default=5, help="folds in each re-split (default 5)")
    p.add_argument("--repeats", type=int, help="number of re-splits (default: 5 on small data, fewer on big data)")
    p.add_argument("--seed", type=int, default=42, help="random seed: the same seed gives the same numbers (default 42)")
    p.add_argument("--holdout", type=float, default=0.2, help="share of rows kept aside for the final check (default 0.2)")
    p.add_argument("--group", metavar="COL", help="a column that repeats (e.g. customer_id): its rows stay together "
                   "(default: the repeating ID the checks find; 'none' for no group)")
    p.add_argument("--no-group", action="store_true", help="do not keep any rows together, even a repeating ID")
    p.add_argument("--time-ordered", action="store_true", help="rows are in time order: always test on later rows")
    p.add_argument("--sensitive", nargs="*", default=None, metavar="COL",
                   help="columns about people: kept out of the models, used to compare groups (default: the ones "
                        "the checks propose; --sensitive alone: none)")
    p.add_argument("--task", choices=["binary", "multiclass", "numeric"], help="override the detected kind of prediction")
    p.add_argument("--metric", choices=["roc_auc"], help="use ROC AUC as the main score (classes only)")
    p.add_argument("--include", nargs="+", default=[], metavar="COL", help="use these columns even if the checks left them out")
    p.add_argument("--exclude", nargs="+", default=[], metavar="COL", help="leave these columns out")
    p.add_argument("--value-hit", type=float, metavar="V",
                   help="money view (yes/no targets): what acting on a correctly flagged row earns")
    p.add_argument("--cost-false-alarm", type=float, metavar="C",
                   help="money view: what acting on a wrongly flagged row costs")
    p.add_argument("--cost-miss", type=float, metavar="M", help="money view: what a missed row costs")
    p.add_argument("--currency", default="", help="money view: the currency label, e.g. € (default: none)")
    p.add_argument("--report", metavar="OUT.xlsx", help="also write the Excel report here")
    p.add_argument("--html", metavar="OUT.html", help="also write the one-page HTML summary here")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress line on stderr")
    p.add_argument("--timings", action="store_true",
                   help="with --json: add a 'timings' key with the seconds each step took (for benchmarks)")
    add_keep_personal(p)
    add_sample_rows(p)
    return p


def _progress_line(quiet: bool):
    if quiet or not sys.stderr.isatty():
        last = [-1.0]

        def report(share: float, message: str) -> None:
            if not quiet and share - last[0] >= 0.25:
                last[0] = share
                say(f"{share:4.0%}  {message}")

        return report

    def live(share: float, message: str) -> None:
        sys.stderr.write(f"\r{share:4.0%}  {message[:70]:<70}")
        sys.stderr.flush()
        if share >= 1:
            sys.stderr.write("\n")

    return live


def _recipe(text: str, columns: list[str] | None) -> Recipe:
    recipe = Recipe.parse(text, unset=None)  # no imbalance option named: the checks decide
    return dataclasses.replace(recipe, features=tuple(columns)) if columns else recipe


def _group(args: argparse.Namespace, columns: list[str]):
    """The group column: the user's, none (``--no-group`` or ``--group none``), or the checks' proposal."""
    if args.no_group:
        if args.group and args.group.lower() != "none":
            raise CommandError("--group and --no-group contradict each other.", "Use one of them.")
        return None
    if args.group is None:
        from ..defaults import FOLLOW

        return FOLLOW
    if args.group.lower() == "none" and args.group not in columns:
        return None
    return args.group


def run(args: argparse.Namespace) -> int:
    if not getattr(args, "timings", False):
        return _run(args)
    from ..timings import process_age, recording

    before = process_age()  # interpreter start-up and the imports before the command began
    with recording() as seconds:
        return _run(args, timings=(seconds, before, time.perf_counter()))


def _timings_key(timings: tuple[dict, float | None, float]) -> dict[str, float]:
    """The ``timings`` key of ``--json --timings``: seconds per step, the rest of the command
    as ``other``, the whole command (``command``) and, on Linux, the start-up before it."""
    seconds, before, started = timings
    total = time.perf_counter() - started
    out = {"start-up and imports": before} if before is not None else {}
    out.update(seconds)
    out["other"] = max(total - sum(seconds.values()), 0.0)
    out["command"] = total
    return {k: round(float(v), 4) for k, v in out.items()}


def _run(args: argparse.Namespace, timings: tuple[dict, float | None, float] | None = None) -> int:
    from ..timings import phase

    if not 0 < args.holdout < 0.9:
        raise CommandError(f"--holdout {args.holdout} is not a share between 0 and 0.9.", "For 20% write --holdout 0.2.")
    if args.folds < 2:
        raise CommandError("--folds needs at least 2 folds.", "The usual choice is 5.")
    if args.repeats is not None and args.repeats < 1:
        raise CommandError("--repeats needs at least 1.", "Leave it out to let FairTrial choose.")
    prices = (args.value_hit, args.cost_false_alarm, args.cost_miss)
    if any(p is not None for p in prices) and any(p is None for p in prices):
        raise CommandError("The money view needs all three prices.",
                           "Give --value-hit, --cost-false-alarm and --cost-miss together.")
    value = None
    if prices[0] is not None:
        value = {"hit": prices[0], "false_alarm": prices[1], "miss": prices[2], "currency": args.currency}
    output_path(args.report, "report.xlsx")
    output_path(args.html, "summary.html")
    recipe_a, recipe_b = _recipe(args.a, args.a_columns), _recipe(args.b, args.b_columns)
    from ..workers import start_early

    rows = rough_row_count(args.file)  # a text file: start the workers now, while it is read and checked
    if rows is not None:
        start_early(int(min(rows, args.sample_rows or rows) * (1 - args.holdout)))
    with phase("imports"):  # scikit-learn and pandas, while the workers start
        from ..workflow import check_dataset, leave_out, plan_from_checks, run_compare

        settle_imports()
    with phase("read"):
        ds = load_arg(args.file, args.sheet, sample_rows=args.sample_rows)
    start_early(int(len(ds.frame) * (1 - args.holdout)))  # an Excel file (or a wrong guess): now
    with phase("storage"):
        store = store_for(args)
        ds, _ = save_arg(store, ds, args)
    report, _ = check_dataset(store, ds, args.target, sensitive=args.sensitive, task=args.task,
                              include=args.include, exclude=args.exclude)
    plan = plan_from_checks(args.target, report, recipe_a=recipe_a, recipe_b=recipe_b, sensitive=args.sensitive,
                            task=args.task, folds=args.folds, repeats=args.repeats, seed=args.seed,
                            holdout=args.holdout, group=_group(args, ds.columns), time_ordered=args.time_ordered,
                            metric=args.metric, value=value)
    if args.b_without:
        for col in args.b_without:
            if col not in ds.columns:
                raise CommandError(f"--b-without: there is no column '{col}' in '{ds.name}'.",
                                   "Check the spelling of the column.")
        plan = leave_out(plan, args.b_without, kinds=ds.kinds, role="b")
    if not args.quiet:  # a long trial is announced, with its expected time (trial_time_warning_seconds)
        from ..estimate import warning_text

        with phase("time estimate"):
            expected = warning_text(ds.frame, ds.kinds, plan)
        if expected:
            say(expected)
    started = time.perf_counter()
    trial_id, data, _result = run_compare(store, ds, plan, progress=_progress_line(args.quiet),
                                           findings=report.findings)
    say_scrambled(ds, args)
    say(f"Trial {trial_id} stored ({time.perf_counter() - started:.1f} s).")
    if args.report or args.html:
        from .report_cmd import write_reports

        with phase("reports"):
            write_reports(store, trial_id, xlsx=args.report, html=args.html)
    if args.json:
        if timings is not None:
            data = {**data, "timings": _timings_key(timings)}
        print_json(data)
        return 0
    _print_text(data)
    return 0


def _print_text(data: dict) -> None:
    out = sys.stdout
    verdict = data.get("verdict") or {}
    out.write((verdict.get("text") or "") + "\n\n")
    steps = data.get("next_steps") or []
    if steps:
        out.write("What to do next:\n" + "".join(f"{i}. {s}\n" for i, s in enumerate(steps, 1)) + "\n")
    for sentence in verdict.get("sentences") or []:
        if sentence and sentence not in (verdict.get("text") or ""):
            out.write(f"- {sentence}\n")
    metric = data.get("metric_label") or data.get("primary_metric")
    out.write(f"\nMain score: {metric}. {data.get('metric_reason', '')}\n")
    for role in ("a", "b", "baseline"):
        arm = data.get(role) or {}
        mean, hold = arm.get("mean"), arm.get("holdout")
        out.write(f"  {role.upper():>8}  {arm.get('label', arm.get('recipe'))}: "
                  f"{'n/a' if mean is None else f'{mean:.3f}'} across splits, "
                  f"{'n/a' if hold is None else f'{hold:.3f}'} on the holdout\n")
    if (data.get("value") or {}).get("text"):
        out.write(f"\nMoney view: {data['value']['text']}\n")
    for sentence in data.get("groups_summary") or []:
        out.write(f"\n{sentence}\n")


COMMANDS["compare"] = (add, run)
