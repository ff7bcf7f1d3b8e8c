"""Saved models and trials in words: a name a person recognises, and when each one was in use.

``model_label`` names a model by what it was trained for, not by its storage row:
"churn · churned · Random forest · 1 Dec" (dataset, column predicted, recipe, day saved).
``model_timeline`` turns the audit log's promotions and rollbacks into plain sentences,
one per model that has ever been in use for a target. ``trial_label`` names a stored trial by
its recipes' plain names and its time ("2: Simple (logistic/linear) vs Decision tree · 1 Dec 17:50
· re-run of trial 1 · same numbers"), never by the recipe ids the store keeps ("simple vs tree").
Times are the stored UTC times.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

__all__ = ["day", "model_label", "model_timeline", "recipe_words", "rerun_words", "status_words", "trial_label",
           "winner_words"]

SEP = " · "


def _when(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def day(value: Any, *, now: datetime | None = None) -> str:
    """'1 Dec' (with the year when it is not this year's)."""
    when, now = _when(value), now or datetime.now()
    return f"{when.day} {when:%b}" + ("" if when.year == now.year else f" {when.year}")


def model_label(model: dict[str, Any], *, now: datetime | None = None) -> str:
    """'churn · churned · Random forest · 1 Dec' for a row of ``Store.list_models()``.
    A part the store does not know (an old model without its trial) is left out."""
    meta = model.get("metadata") or {}
    parts = [model.get("dataset"), meta.get("target"), model.get("recipe")]
    parts = [str(p) for p in parts if p]
    if model.get("created_at"):
        parts.append(day(model["created_at"], now=now))
    return SEP.join(parts) or str(model.get("name") or f"model {model.get('model_id')}")


def recipe_words(name: Any, task: str | None = None) -> str:
    """A recipe's plain name ('Decision tree') for its stored id ('tree'); an unknown id as it is."""
    from .recipes import RECIPES, Recipe

    if name not in RECIPES:
        return str(name)
    return Recipe(str(name)).label_for(task or "binary")


def rerun_words(trial: dict[str, Any]) -> str:
    """'re-run of trial 5 · same numbers' for a re-run in ``Store.list_trials()``, else ''."""
    if trial.get("rerun_of") is None:
        return ""
    same = {True: f"{SEP}same numbers", False: f"{SEP}numbers differ"}.get(trial.get("rerun_same"), "")
    return f"re-run of trial {trial['rerun_of']}{same}"


def trial_label(trial: dict[str, Any], *, dataset: bool = False, now: datetime | None = None) -> str:
    """'2: Simple (logistic/linear) vs Decision tree · 1 Dec 17:50 · re-run of trial 1 · same numbers' for
    a row of ``Store.list_trials()``; with ``dataset``, the dataset and the column predicted come first."""
    task = trial.get("task")
    parts = [f"{recipe_words(trial.get('a'), task)} vs {recipe_words(trial.get('b'), task)}"]
    if dataset:
        parts.insert(0, SEP.join(str(p) for p in (trial.get("dataset"), trial.get("target")) if p))
    if trial.get("created_at"):
        parts.append(f"{day(trial['created_at'], now=now)} {_when(trial['created_at']):%H:%M}")
    parts.append(rerun_words(trial))
    return f"{trial.get('trial_id')}: " + SEP.join(p for p in parts if p)


def winner_words(trial: dict[str, Any]) -> str:
    """The winner of a row of ``Store.list_trials()`` by name ('A: Simple (logistic/linear)'), or
    'no clear winner'."""
    role = str(trial.get("winner") or "none").lower()
    if role in ("a", "b"):
        return f"{role.upper()}: {recipe_words(trial.get(role), trial.get('task'))}"
    return "no clear winner"


def status_words(model: dict[str, Any]) -> str:
    """'in use' for the promoted model, 'out of use' for one rolled back or replaced, 'candidate'
    for one never put in use."""
    return {"promoted": "in use", "retired": "out of use"}.get(model.get("status"), "candidate")


def _span(start: datetime, end: datetime | None, now: datetime | None) -> str:
    if end is None:
        return f"since {day(start, now=now)}"
    if start.date() == end.date():
        return f"on {day(start, now=now)}, {start:%H:%M}–{end:%H:%M}"
    return f"{day(start, now=now)} – {day(end, now=now)}"


def model_timeline(store: Any, target: str | None = None, *, now: datetime | None = None) -> list[str]:
    """When each model was in use, oldest first, from the audit log: 'Model 3 (students · passed ·
    Decision tree · 1 Dec) was in use 3 Mar – 10 Apr, then model 5.' Only models predicting
    ``target`` when it is given."""
    models = {m["model_id"]: m for m in store.list_models()}

    def wanted(model_id: Any) -> bool:
        m = models.get(model_id)
        return m is not None and (target is None or (m.get("metadata") or {}).get("target") == target)

    periods: list[dict[str, Any]] = []  # model_id, start, end, then (the model after it; None: none)
    open_: dict[Any, dict[str, Any]] = {}  # the open period of each target

    def close(model_id: Any, at: datetime, then: Any) -> None:
        tgt = (models[model_id].get("metadata") or {}).get("target")
        period = open_.get(tgt)
        if period is not None and period["model_id"] == model_id:
            period["end"], period["then"] = at, then
            del open_[tgt]

    def begin(model_id: Any, at: datetime) -> None:
        tgt = (models[model_id].get("metadata") or {}).get("target")
        if tgt in open_ and open_[tgt]["model_id"] == model_id:
            return  # promoted again while in use: the same period goes on
        if tgt in open_:  # the open one ends here (a promotion the log did not tie to it)
            open_[tgt].update(end=at, then=model_id)
        period = {"model_id": model_id, "start": at, "end": None, "then": None}
        open_[tgt] = period
        periods.append(period)

    for event in store.model_events():
        model_id, at = event["model_id"], _when(event["at"])
        if not wanted(model_id):
            continue
        if event["action"] == "model promoted":
            replaced = event["details"].get("replaced")
            if replaced in models:
                close(replaced, at, model_id)
            begin(model_id, at)
        else:  # rolled back
            restored = event["details"].get("restored")
            close(model_id, at, restored)
            if restored in models:
                begin(restored, at)

    out = []
    for p in periods:
        who = f"Model {p['model_id']} ({model_label(models[p['model_id']], now=now)})"
        if p["end"] is None:
            out.append(f"{who} is in use {_span(p['start'], None, now)}.")
        else:
            then = f"then model {p['then']}" if p["then"] is not None else "then none (rolled back)"
            out.append(f"{who} was in use {_span(p['start'], p['end'], now)}, {then}.")
    return out
