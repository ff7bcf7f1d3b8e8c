"""Defaults follow the findings (DESIGN.md): what a trial does when the user did not choose.

- an imbalanced target -> a leak-proof remedy on both recipes (balanced weights, fitted
  inside each split; a tuned yes/no cut-off for nearest neighbours, which cannot weigh rows);
- an ID that repeats over rows -> grouped splits on that column;
- columns about people proposed by the checks -> kept out of the models, used for groups.

Each default is recorded in the plan (``TrialPlan.defaults``) with one plain sentence that
says what was done, why, and how to switch it off; the verdict repeats that sentence. A
stored plan holds the resolved options, so re-running it gives the same plan.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .checks._words import names, pct, q
from .recipes import WEIGHTED_RECIPES, Recipe

__all__ = ["FOLLOW", "group_default", "imbalance_default", "remedy_for", "say_defaults", "sensitive_default"]


class _Follow:
    """The user left a choice open: follow the checks."""

    def __repr__(self) -> str:
        return "FOLLOW"


FOLLOW: Any = _Follow()

_REMEDY_WORDS = {"balanced": "gave rare answers more weight while learning (balanced weights)",
                 "threshold": "moved its yes/no cut-off to the value that worked best inside the training rows "
                              "(a tuned cut-off)"}


def remedy_for(recipe_name: str, task: str, proposed: str | None) -> str:
    """The remedy a recipe gets by default: the proposed one where the recipe can carry it out.

    Nearest neighbours cannot weigh rows, so for a yes/no target it tunes its cut-off inside
    the training rows instead; the baseline and number targets get none."""
    if not proposed or proposed == "none" or task == "numeric" or recipe_name == "baseline":
        return "none"
    if proposed == "balanced" and recipe_name not in WEIGHTED_RECIPES:
        return "threshold" if task == "binary" else "none"
    return proposed


def _imbalance_seen(report: Any, target: str) -> str:
    """'only 8% of the table's rows have 'default' = 'yes'' from the imbalance finding (the checks see
    every row with an answer; the trial's own share, after copies are left out, may differ a little)."""
    finding = next((f for f in getattr(report, "findings", []) or [] if f.check == "imbalance"), None)
    if finding is None:
        return f"the answers in {q(target)} are imbalanced"
    d = finding.details
    share, rarest = d.get("rarest_share"), d.get("rarest_class")
    if "rarest_share_times_classes" in d:
        return f"the rarest answer in {q(target)}, {q(rarest)}, has only {pct(share)} of the table's rows"
    return f"only {pct(share)} of the table's rows have {q(target)} = {q(rarest)}"


def imbalance_default(report: Any, target: str, recipes: dict[str, Recipe],
                      labels: dict[str, str]) -> tuple[dict[str, Recipe], dict[str, Any] | None]:
    """Resolve the recipes whose imbalance option is open (``None``) with the checks' proposal.

    Returns the resolved recipes and the record of the default (or None when nothing was
    defaulted to a remedy)."""
    task = report.task.task if getattr(report, "task", None) is not None else "binary"
    proposed = getattr(report, "proposed_imbalance", None)
    out, applied = {}, {}
    for role, recipe in recipes.items():
        if recipe.imbalance is None:
            remedy = remedy_for(recipe.name, task, proposed)
            recipe = dataclasses.replace(recipe, imbalance=remedy)
            if remedy != "none":
                applied[role] = remedy
        out[role] = recipe
    if not applied:
        return out, None
    kinds = set(applied.values())
    if len(applied) == 2 and len(kinds) == 1:
        did = f"both recipes {_REMEDY_WORDS[kinds.pop()]}"
    else:
        did = "; ".join(f"{labels[r]} {_REMEDY_WORDS[m]}" for r, m in applied.items())
    off = " ".join(f"--{r} {out[r].name}:none" for r in applied)
    sentence = (f"Because {_imbalance_seen(report, target)}, {did}, always inside the training rows of each split. "
                "FairTrial did this by default because the main score counts every answer equally; to switch it "
                f"off, choose 'Treat all rows the same' under Rare answers (on the command line: {off}).")
    return out, {"option": proposed, "recipes": dict(applied), "reason": "imbalance", "sentence": sentence}


def group_default(report: Any, *, target: str, folds: int, time_ordered: bool,
                  sensitive: list[str]) -> dict[str, Any] | None:
    """The proposed repeating ID as the group column, when it can be one: not the target, not
    about people, not switched back on as a clue, with enough different values for the folds
    (more than ``folds + 1``, as the splitter asks), and the rows not in time order."""
    column = getattr(report, "proposed_group", None)
    if not column or time_ordered or column == target or column in sensitive:
        return None
    if column not in (getattr(report, "excluded_columns", None) or []):
        return None  # the user switched it back on: they want it as a clue
    finding = next((f for f in getattr(report, "findings", []) or []
                    if f.check == "id_like" and f.columns and f.columns[0] == column), None)
    distinct = int((finding.details.get("distinct_values") or 0) if finding is not None else 0)
    if finding is not None and distinct < folds + 2:
        return None
    sentence = (f"Rows with the same {q(column)} were kept together (never some in training and some in testing), "
                f"because {q(column)} repeats over rows: rows that share it are alike, and a model tested on rows "
                "whose twins it learned from looks better than it is. To switch this off, choose 'None' under "
                "'Rows that belong together' (on the command line: --no-group).")
    return {"column": column, "reason": "repeating ID", "sentence": sentence}


def sensitive_default(report: Any, sensitive: list[str] | None) -> dict[str, Any] | None:
    """The record of proposed columns about people that are in effect because the user named none."""
    if sensitive is not None or getattr(report, "sensitive_chosen_by", "you") != "checks":
        return None
    columns = list(getattr(report, "sensitive_columns", []) or [])
    if not columns:
        return None
    they = "it seems" if len(columns) == 1 else "they seem"
    sentence = (f"{names(columns)}: {they} to describe people, so FairTrial kept "
                f"{'it' if len(columns) == 1 else 'them'} out of the models and used "
                f"{'it' if len(columns) == 1 else 'them'} only to compare groups. If that is wrong, remove "
                f"{'it' if len(columns) == 1 else 'them'} from the columns about people on the Check page "
                "(on the command line: --sensitive with the right columns, or --sensitive alone for none).")
    return {"columns": columns, "reason": "proposed by the checks", "sentence": sentence}


def say_defaults(verdict: Any, defaults: dict[str, Any]) -> Any:
    """The verdict with one sentence per default, after the sentence about the main score."""
    said = [defaults[k]["sentence"] for k in ("imbalance", "group", "sensitive")
            if isinstance(defaults.get(k), dict) and defaults[k].get("sentence")]
    if not said:
        return verdict
    text = " ".join(said)
    parts = dict(verdict.parts)
    sentences = list(verdict.sentences)
    metric = parts.get("metric")
    at = sentences.index(metric) + 1 if metric in sentences else len(sentences)
    sentences[at:at] = [text]
    parts["defaults"] = text
    return dataclasses.replace(verdict, sentences=tuple(sentences), parts=parts)
