"""The steps a user takes, as plain functions shared by the app and the CLI.

Both fronts call these, so the same file, choices and seed give the same numbers in the
app and on the command line.
"""

from __future__ import annotations

import difflib
from typing import Any, Callable

from .dataset import Dataset
from .defaults import FOLLOW, group_default, imbalance_default, sensitive_default
from .errors import BadChoiceError
from .store import Store
from .timings import phase

Progress = Callable[[float, str], None]


def require_column(ds: Dataset, name: str | None, what: str = "column") -> str:
    """``name`` if the dataset has it, else a plain error that lists the closest names."""
    if not name:
        raise BadChoiceError(f"No {what} was chosen.", f"Pick one of: {_columns_hint(ds.columns)}.")
    if name in ds.columns:
        return name
    close = difflib.get_close_matches(name, ds.columns, n=1, cutoff=0.6)
    lowered = {c.lower(): c for c in ds.columns}
    if name.lower() in lowered:
        close = [lowered[name.lower()]]
    hint = f"Did you mean '{close[0]}'?" if close else f"The columns are: {_columns_hint(ds.columns)}."
    raise BadChoiceError(f"There is no {what} called '{name}' in '{ds.name}'.", hint)


def _columns_hint(columns: list[str], limit: int = 12) -> str:
    shown = ", ".join(columns[:limit])
    return shown + (f" and {len(columns) - limit} more" if len(columns) > limit else "")


def check_dataset(store: Store | None, ds: Dataset, target: str, *, sensitive: list[str] | None = None,
                  task: str | None = None, include: list[str] = (), exclude: list[str] = (),
                  progress: Progress | None = None) -> tuple[Any, int | None]:
    """Run every data check; store the findings with the dataset when a store is given.

    Returns the ``CheckReport`` and the id of the stored check run (or None)."""
    from .checks import run_checks
    from .store.scramble import clean_columns

    require_column(ds, target, "column to predict")
    for col in list(sensitive or []) + list(include) + list(exclude):
        require_column(ds, col)
    with phase("checks"):
        report = run_checks(ds.frame, target, kinds=ds.kinds, task=task, sensitive=sensitive,
                            include=list(include), exclude=list(exclude), progress=progress,
                            scrambled=(ds.read_options or {}).get("personal_scrambled"),
                            personal_clean=clean_columns(ds.read_options))
    run_id = None
    if store is not None and ds.dataset_id is not None:
        summary = report.to_dict()
        summary.pop("findings", None)
        with phase("storage"):
            run_id = store.save_check_run(ds.dataset_id, target, report.task.task, report.findings, summary)
    return report, run_id


def dataset_header(ds: Dataset) -> dict[str, Any]:
    out = {"dataset_id": ds.dataset_id, "name": ds.name, "rows": ds.n_rows, "columns": ds.n_cols,
           "sha256": ds.sha256}
    sample = (ds.read_options or {}).get("sample")
    if sample:  # read as a random sample of a bigger file (load.py)
        out["sample"] = dict(sample)
    return out


def plan_from_checks(target: str, report: Any, *, recipe_a: Any, recipe_b: Any, sensitive: list[str] | None = None,
                     group: Any = FOLLOW, **options: Any) -> Any:
    """A ``TrialPlan`` that follows the checks: their exclusions, the sensitive columns in
    effect (kept out of the models, used for the group results), and the defaults the
    findings call for (DESIGN.md "Defaults follow the findings"):

    - a recipe whose imbalance option is open (``Recipe.imbalance is None``, or text without
      one such as ``"simple"``) gets the checks' remedy (``report.proposed_imbalance``);
      ``"simple:none"`` or ``imbalance="none"`` keeps it off;
    - ``group=FOLLOW`` (the default) takes the repeating ID the checks propose; ``None``
      switches grouping off; a column name is the user's own choice;
    - ``sensitive=None`` takes the report's sensitive columns (the proposed ones unless the
      user named others); a list overrides, ``[]`` means none.

    What was defaulted, and why, is recorded in ``plan.defaults`` with a plain sentence."""
    from .recipes import Recipe
    from .trial import TrialPlan

    chosen = list(sensitive if sensitive is not None else report.sensitive_columns)
    excluded = list(dict.fromkeys(list(report.excluded_columns) + chosen))
    task = options.pop("task", None)
    recipes = {role: Recipe.parse(r, unset=None) if isinstance(r, str) else r
               for role, r in (("a", recipe_a), ("b", recipe_b))}
    kind = report.task.task if getattr(report, "task", None) is not None else "binary"
    labels = {role: f"{r.label_for(kind)} ({role.upper()})" for role, r in recipes.items()}
    recipes, imbalance = imbalance_default(report, target, recipes, labels)
    defaults: dict[str, Any] = {}
    if imbalance:
        defaults["imbalance"] = imbalance
    if group is FOLLOW:
        grouped = group_default(report, target=target, folds=int(options.get("folds", 5)),
                                time_ordered=bool(options.get("time_ordered", False)), sensitive=chosen)
        group = grouped["column"] if grouped else None
        if grouped:
            defaults["group"] = grouped
    people = sensitive_default(report, sensitive)
    if people:
        defaults["sensitive"] = people
    return TrialPlan(target=target, task=task, recipe_a=recipes["a"], recipe_b=recipes["b"],
                     excluded=tuple(excluded), sensitive=tuple(chosen), group=group, defaults=defaults, **options)


def leave_out(plan: Any, columns: list[str] | tuple[str, ...], *, kinds: dict[str, str], role: str = "b") -> Any:
    """The plan with recipe ``role`` (``b`` by default) leaving out ``columns`` and the other recipe
    using them: "A: with column X / B: the same recipe without it", on the same splits and seed.

    A column the checks kept out of the models (a leak, a column about people) is let back in
    for the other recipe only, so the trial shows what it changes; a column about people stays
    in the group results. A free-text or ID column, which recipes leave out unless named, is
    named: both recipes get the same explicit column list, minus the column for ``role``.
    The group column and the target cannot be left out (they are not clues)."""
    import dataclasses

    from .recipes import used_columns
    from .checks._words import names

    cols = [str(c) for c in columns]
    for col in cols:
        if col == plan.target:
            raise BadChoiceError(f"'{col}' is the column to predict, not a clue.", "Pick another column.")
        if col == plan.group:
            raise BadChoiceError(f"'{col}' keeps rows together in the splits; it is not a clue.",
                                 "Pick another column, or switch off 'Rows that belong together'.")
    other = "a" if role == "b" else "b"
    excluded = tuple(c for c in plan.excluded if c not in cols)
    recipes = {"a": plan.recipe_a, "b": plan.recipe_b}
    opt_in = [c for c in cols if kinds.get(c) in ("text", "id")]
    if opt_in:  # name every column, so the free-text or ID column is used by the other recipe
        drop = {plan.target, *excluded, *([plan.group] if plan.group else [])}
        allowed = [c for c in (plan.columns or kinds) if c not in drop]
        base = used_columns(recipes[other], kinds, allowed)
        base = list(dict.fromkeys([*base, *[c for c in opt_in if c not in base]]))
        recipes = {r: dataclasses.replace(recipes[r], features=tuple(base)) for r in ("a", "b")}
    recipes[role] = dataclasses.replace(recipes[role], without=tuple(dict.fromkeys([*recipes[role].without, *cols])))
    defaults = dict(plan.defaults)
    # What the column was before it was let back in, so the verdict and the next steps can say
    # that a lead from it is not to be trusted (a leak) or treats people differently.
    defaults["left_out"] = {"role": role, "columns": cols,
                            "kept_out": [c for c in cols if c in plan.excluded and c not in plan.sensitive],
                            "people": [c for c in cols if c in plan.sensitive]}
    people = defaults.get("sensitive")
    if isinstance(people, dict) and any(c in people.get("columns", []) for c in cols):
        kept = [c for c in people["columns"] if c not in cols]
        given = names([c for c in cols if c in people["columns"]])
        sentence = (f"{given} describes people; to show what it changes, recipe {other.upper()} learned from it and "
                    f"recipe {role.upper()} did not. It is still used to compare groups.")
        if kept:
            sentence += (f" {names(kept)} {'was' if len(kept) == 1 else 'were'} kept out of both models and used "
                         "only to compare groups.")
        defaults["sensitive"] = {**people, "columns": kept, "sentence": sentence}
    return dataclasses.replace(plan, recipe_a=recipes["a"], recipe_b=recipes["b"], excluded=excluded,
                               defaults=defaults)


def plan_with_and_without(target: str, report: Any, column: str, *, kinds: dict[str, str], recipe: Any = "simple",
                          **options: Any) -> Any:
    """The one-click trial "A: with column X / B: without it": the same recipe on both sides,
    following the checks in everything else (``plan_from_checks``), with B leaving out ``column``."""
    return leave_out(plan_from_checks(target, report, recipe_a=recipe, recipe_b=recipe, **options), [column],
                     kinds=kinds, role="b")


def group_section(ds: Dataset, result: Any) -> dict[str, Any]:
    """Per-group results of both recipes for every sensitive column of the plan, on the
    out-of-fold predictions (every non-holdout row, predicted by a model that did not see it)
    and on the holdout, plus the columns that stand in for each sensitive column."""
    from .groups import compare_groups, group_results, proxy_columns

    plan = result.plan
    if not plan.sensitive:
        return {}
    labels = {"a": result.a.label, "b": result.b.label}
    oof = result.oof_frame()
    hold = result.holdout_frame()
    out: dict[str, Any] = {}
    for col in plan.sensitive:
        values = ds.frame[col]
        common = dict(task=result.task.task, positive=result.positive, column=col, labels=labels, seed=plan.seed,
                      target=plan.target)
        section = group_results(values.iloc[oof["position"].to_numpy()].reset_index(drop=True), oof["y_true"].to_numpy(),
                                {"a": oof["pred_a"].to_numpy(), "b": oof["pred_b"].to_numpy()}, **common)
        section["source"] = "out-of-fold predictions: every row outside the holdout, predicted by a model that did not see it"
        holdout = group_results(values.iloc[hold["position"].to_numpy()].reset_index(drop=True),
                                hold["y_true"].to_numpy(),
                                {"a": hold["pred_a"].to_numpy(), "b": hold["pred_b"].to_numpy()}, **common)
        section["holdout"] = {"groups": holdout["groups"], "metrics": holdout["metrics"], "summary": holdout["summary"]}
        section["proxies"] = proxy_columns(ds.frame, col, kinds=ds.kinds,
                                           exclude=[plan.target, *[c for c in plan.sensitive if c != col]],
                                           seed=plan.seed)
        out[col] = section
    out_summary = compare_groups(out, metric=result.primary_metric, winner=result.verdict.winner)
    return {"columns": out, "summary": out_summary}


def run_compare(store: Store | None, ds: Dataset, plan: Any, *, progress: Progress | None = None,
                cancel: Callable[[], bool] | None = None,
                findings: list[Any] | None = None) -> tuple[int | None, dict[str, Any], Any]:
    """Run a trial, add the group results and what to do next, and store it all in one transaction.

    ``findings`` are the data checks' findings behind the plan (for the "what to do next"
    sentences: a critical data problem comes first); when None, the newest stored check run of
    this dataset and target is used, as the app's Trial page does, so the app and the CLI give
    the same ``next_steps``. Returns ``(trial_id, result_dict, TrialResult)``; ``result_dict``
    is exactly what ``fairtrial compare --json`` prints and what the Results page shows."""
    from .decide import next_steps, sample_size
    from .findings import Finding
    from .sampling import read_sample_sentence
    from .trial import run_trial

    require_column(ds, plan.target, "column to predict")
    for col in [*plan.sensitive, *([plan.group] if plan.group else [])]:
        require_column(ds, col)
    with phase("trial set-up and the rest of the trial"):
        result = run_trial(ds.frame, ds.kinds, plan, progress=progress, cancel=cancel)
    data = result.to_dict()
    with phase("groups"):
        groups = group_section(ds, result)
    data["groups"] = groups.get("columns", {})
    data["groups_summary"] = groups.get("summary", [])
    data["dataset"] = dataset_header(ds)
    read_sample = read_sample_sentence(data["dataset"].get("sample"))
    if read_sample:  # rows left out when the file was read: said in the verdict too (DESIGN.md)
        data["verdict"]["sentences"].append(read_sample)
        data["verdict"]["parts"]["read_sample"] = read_sample
    data["defaults"] = dict(plan.defaults)
    if findings is None and store is not None and ds.dataset_id is not None:
        latest = store.latest_check_run(ds.dataset_id, target=plan.target)
        findings = latest["findings"] if latest else []
    data["sample_size"] = sample_size(data)
    data["next_steps"] = next_steps(data, findings or [], data["groups"])
    trial_id = None
    if store is not None and ds.dataset_id is not None:
        findings = [Finding.from_dict(f) for section in data["groups"].values() for f in section.get("findings", [])]
        models = {role: (result.arm(role).model_file, result.arm(role).model_sha256) for role in ("a", "b")}
        with phase("storage"):
            trial_id = store.save_trial(ds.dataset_id, plan.to_dict(), data, models=models, findings=findings)
    data["trial_id"] = trial_id
    return trial_id, data, result


def model_context(store: Store, model_id: int) -> dict[str, Any]:
    """What a stored model needs: its trial's plan, the columns it reads, and its training data."""
    blob, sha, meta = store.model_blob(model_id)
    trial = store.get_trial(int(meta.get("trial_id") or _trial_of(store, model_id)))
    arm = meta.get("arm", "b")
    columns = list((trial["result"].get(arm) or {}).get("columns") or [])
    return {"blob": blob, "sha256": sha, "meta": meta, "trial": trial, "arm": arm, "columns": columns,
            "target": trial["plan"]["target"], "dataset_id": trial["dataset_id"]}


def _trial_of(store: Store, model_id: int) -> int:
    for m in store.list_models():
        if m["model_id"] == int(model_id):
            return int(m["trial_id"])
    raise BadChoiceError(f"Model {model_id} is not linked to a trial.", "Pick another model.")


def check_new_data(store: Store, model_id: int, new: Dataset) -> tuple[Any, dict[str, Any]]:
    """Compare new rows with the rows the model learned from (drift), for a stored model."""
    from .drift import check_drift

    ctx = model_context(store, model_id)
    reference = store.get_dataset(ctx["dataset_id"])
    importance = {row["column"]: max(float(row.get("importance") or 0.0), 0.0)
                  for row in (ctx["trial"]["result"].get("importance") or [])
                  if isinstance(row, dict) and "column" in row and row.get("arm", ctx["arm"]) == ctx["arm"]}
    ctx["scrambled"] = (reference.read_options or {}).get("personal_scrambled") or {}
    report = check_drift(reference.frame, _as_stored(store, new.frame, ctx["scrambled"]), kinds=reference.kinds,
                         needed_columns=ctx["columns"],
                         importance=importance or None, target=ctx["target"],
                         seed=int(ctx["trial"]["plan"].get("seed", 42)))
    return report, ctx


def _as_stored(store: Store, frame: Any, scrambled: dict[str, str]) -> Any:
    """New rows with the columns the store keeps scrambled scrambled the same way (same key),
    so they compare with, and feed a model like, the stored rows."""
    if not scrambled:
        return frame
    from .store.scramble import scramble_columns

    return scramble_columns(frame, store.model_key(), scrambled)[0]


def score_new_data(store: Store, model_id: int, new: Dataset) -> tuple[Any, Any]:
    """Predict every new row with a stored model, after the drift check.

    Refuses (plain message) when a column the model needs is missing. Returns the
    predictions table (the new rows' own columns first, then ``prediction`` and, for
    classes, ``chance of '<positive>'`` or ``confidence``) and the drift report."""
    import numpy as np
    import pandas as pd

    from .models import load_model

    drift, ctx = check_new_data(store, model_id, new)
    if drift.blocking:
        missing = [c for c in ctx["columns"] if c not in new.columns]
        raise BadChoiceError(
            f"The new file lacks {len(missing)} column(s) the model needs: {', '.join(missing[:8])}.",
            "Add them (same names as in the data the model learned from) and try again.",
        )
    model = load_model(ctx["blob"], ctx["sha256"], signature=ctx["meta"].get("signature"), key=store.model_key())
    X = _as_stored(store, new.frame[ctx["columns"]], ctx["scrambled"])  # as the model saw them
    out = new.frame.copy()
    out["prediction"] = model.predict(X)
    result = ctx["trial"]["result"]
    task = result.get("task")
    if task in ("binary", "multiclass") and hasattr(model, "predict_proba"):
        proba = np.asarray(model.predict_proba(X))
        positive = (result.get("task_info") or {}).get("positive")
        classes = [str(c) for c in getattr(model, "classes_", [])]
        if task == "binary" and positive in classes:
            out[f"chance of '{positive}'"] = proba[:, classes.index(positive)].round(4)
        else:
            out["confidence"] = proba.max(axis=1).round(4)
    if store is not None:
        store.audit("new data scored", "model", int(model_id), {"rows": int(len(out)), "drift": drift.summary[:200]})
    return pd.DataFrame(out), drift


def personal_columns(store: Store, model_id: int, new: Dataset) -> list[str]:
    """Columns of the new rows that hold personal data: those the checks flagged in the data
    the model learned from, and those the personal-data check finds in the new rows."""
    from .checks.personal import scan_column

    ctx = model_context(store, model_id)
    latest = store.latest_check_run(ctx["dataset_id"], target=ctx["target"])
    flagged = {c for f in (latest["findings"] if latest else []) if f.check == "pii" for c in f.columns}
    found = {c for c in new.columns if scan_column(new.frame[c], c, seed=0) is not None}
    return [c for c in new.columns if c in flagged | found]


def trial_next_steps(store: Store, trial: dict) -> list[str]:
    """What to do next after a stored trial: the sentences stored with it, or (older trials)
    worked out now from its result and the newest check run of its dataset and target."""
    from .decide import next_steps

    result = trial.get("result") or {}
    if "next_steps" in result:
        return list(result["next_steps"])
    latest = store.latest_check_run(trial["dataset_id"], target=(trial.get("plan") or {}).get("target"))
    return next_steps(result, latest["findings"] if latest else [], result.get("groups"))


def trial_report_inputs(store: Store, trial_id: int) -> tuple[dict, dict, list]:
    """The stored trial, its dataset's summary and the findings of the checks, as the
    reports want them."""
    trial = store.get_trial(trial_id)
    dataset = next((d for d in store.list_datasets() if d["dataset_id"] == trial["dataset_id"]), {})
    latest = store.latest_check_run(trial["dataset_id"], target=trial["plan"].get("target"))
    return trial, dataset, (latest["findings"] if latest else [])


def report_bytes(store: Store, trial_id: int) -> tuple[bytes, str]:
    """The Excel report and the HTML summary of a stored trial, in memory (for downloads)."""
    import io

    from .report import write_excel_report, write_html_summary

    trial, dataset, findings = trial_report_inputs(store, trial_id)
    xlsx, page = io.BytesIO(), io.StringIO()
    write_excel_report(trial, dataset=dataset, findings=findings, out=xlsx)
    write_html_summary(trial, dataset=dataset, findings=findings, out=page)
    return xlsx.getvalue(), page.getvalue()


def handout_html(store: Store, trial_id: int) -> str:
    """The printable one-page class handout of a stored trial (``report/handout.py``)."""
    from .report.handout import render_handout

    trial, dataset, findings = trial_report_inputs(store, trial_id)
    return render_handout(trial, dataset=dataset, findings=findings)


def rerun_compare_with_prices(store: Store, ds: Dataset, plan: dict[str, Any], prices: dict[str, Any], *,
                              progress: Progress | None = None, rerun_of: int | None = None,
                              cancel: Callable[[], bool] | None = None) -> int | None:
    """Run a stored trial's plan again with the money view's prices (a new stored trial, the
    same splits and seed, so only the value section is new). Returns the new trial's id; with
    ``rerun_of``, the new trial is stored as a re-run of that trial (numbers not compared)."""
    from .trial import TrialPlan

    trial_id, _, _ = run_compare(store, ds, TrialPlan.from_dict({**plan, "value": prices}), progress=progress,
                                 cancel=cancel)
    if trial_id is not None and rerun_of is not None:
        store.record_rerun(trial_id, int(rerun_of), same=None, message=f"Re-run of trial {rerun_of} with prices.")
    return trial_id


def rerun_trial(store: Store, ds: Dataset, plan: Any, stored: dict[str, Any], *,
                progress: Progress | None = None, cancel: Callable[[], bool] | None = None) -> Any:
    """Run a stored trial again from its settings and say whether the numbers came out the same.

    Returns a ``rerun.RerunCheck``: ``same``, the ``differences`` named in words, the library
    versions that changed, and the ``message`` to show. The new trial is stored as a re-run of
    the old one (``rerun`` in its result: ``of``, ``same``, ``message``; ``Store.list_trials``
    gives ``rerun_of`` and ``rerun_same``)."""
    from .rerun import compare_results

    trial_id, data, _ = run_compare(store, ds, plan, progress=progress, cancel=cancel)
    check = compare_results(stored["result"], data, old_id=stored.get("trial_id"), new_id=trial_id)
    if trial_id is not None and stored.get("trial_id") is not None:
        store.record_rerun(trial_id, int(stored["trial_id"]), same=check.same, message=check.message)
    return check
