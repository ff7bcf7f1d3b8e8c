"""Checks on the target itself: what will be predicted, class imbalance, rare classes."""

from __future__ import annotations

import numpy as np

from .. import settings
from ..errors import BadChoiceError
from ..findings import Finding
from ._context import CheckContext
from ._words import count, names, pct, plain, q, rows


def ensure_classes_can_be_split(target: str, counts: dict[str, int], folds: int) -> None:
    """Raise ``BadChoiceError`` when a class has fewer rows than there are folds."""
    small = {c: n for c, n in counts.items() if n < folds}
    if not small:
        return
    label, n = min(small.items(), key=lambda item: (item[1], item[0]))
    others = f" ({len(small) - 1} other values too)" if len(small) > 1 else ""
    raise BadChoiceError(
        f"The value {q(label)} of {q(target)} has only {rows(n)}{others}, fewer than the {folds} parts "
        f"FairTrial splits the data into, so it cannot be tested fairly.",
        f"Remove those rows, merge {q(label)} with a similar value, or collect at least {folds} rows of it.",
    )


def check_task(ctx: CheckContext) -> list[Finding]:
    task = ctx.task
    details: dict = {"task": task.task}
    if task.task == "numeric":
        y = ctx.y_numbers
        details.update(mean=float(np.mean(y)), std=float(np.std(y)), min=float(np.min(y)), max=float(np.max(y)))
        message = f"{task.reason} Scores say how close the predicted numbers come to the real ones."
    else:
        counts = ctx.class_counts()
        details.update(classes=list(task.classes), positive=task.positive, class_counts=counts)
        if task.task == "binary":
            other = [c for c in task.classes if c != task.positive][0]
            message = (f"{task.reason} It treats {q(task.positive)} as the outcome to find and "
                       f"{q(other)} as the rest.")
        else:
            message = f"{task.reason} Each row gets one of: " + ", ".join(q(c) for c in task.classes) + "."
    if ctx.rows_without_target:
        message += f" {rows(ctx.rows_without_target).capitalize()} without a value in {q(ctx.target)} are left out."
        details["rows_without_target"] = ctx.rows_without_target
    return [Finding(
        check="task", severity="info", columns=(ctx.target,), title="What FairTrial will predict",
        message=message,
        suggestion="If this is not the question you want answered, pick another target or choose the task yourself.",
        details=plain(details),
    )]


def check_imbalance(ctx: CheckContext) -> list[Finding]:
    if not ctx.is_class:
        return []
    counts = ctx.class_counts()
    n = sum(counts.values())
    rarest, n_rare = min(counts.items(), key=lambda item: (item[1], item[0]))
    commonest = max(counts.items(), key=lambda item: (item[1], item[0]))[0]
    share = n_rare / n
    k = len(counts)
    if k == 2:
        if share < settings.get("imbalance_severe") or (
                share < settings.get("imbalance_warning") and n_rare < settings.get("imbalance_severe_rows")):
            level = "severe"
        elif share < settings.get("imbalance_strong"):
            level = "strong"
        elif share < settings.get("imbalance_warning"):
            level = "mild"
        else:
            return []
        seen = (f"Only {pct(share)} of rows ({count(n_rare)} of {count(n)}) have {q(ctx.target)} = {q(rarest)}. "
                f"A model that always answers {q(commonest)} would be right {pct(1 - share)} of the time and still "
                f"be useless, so FairTrial scores with balanced accuracy, which counts both answers equally.")
        ratio = None
    else:
        ratio = share * k
        if ratio < settings.get("multiclass_imbalance_severe"):
            level = "severe"
        elif ratio < settings.get("multiclass_imbalance_strong"):
            level = "strong"
        elif ratio < settings.get("multiclass_imbalance_warning"):
            level = "mild"
        else:
            return []
        seen = (f"The rarest answer in {q(ctx.target)}, {q(rarest)}, has {pct(share)} of rows ({count(n_rare)} of "
                f"{count(n)}); an even split over {k} answers would give each {pct(1 / k)}. A model can look good "
                f"while ignoring {q(rarest)}, so FairTrial scores with balanced accuracy, which counts every answer "
                f"equally.")
    words = {"mild": "is imbalanced", "strong": "is strongly imbalanced", "severe": "is severely imbalanced"}
    remedy = ("In the trial both recipes give rare answers more weight by default (switch it off with 'Treat all "
              "rows the same', or simple:none on the command line).")
    suggestion = ("Nothing to fix: FairTrial already uses a fair score. Judge the recipes by how well they find "
                  f"{q(rarest)} rows, not by plain accuracy. " + remedy)
    if level != "mild":
        suggestion = (f"With this few {q(rarest)} rows, results will be shaky: collect more {q(rarest)} examples "
                      "if you can. FairTrial already uses a fair score. " + remedy)
    details = {"level": level, "rarest_class": rarest, "rarest_rows": n_rare, "rarest_share": share,
               "rows": n, "class_counts": counts}
    if ratio is not None:
        details["rarest_share_times_classes"] = ratio
    return [Finding(
        check="imbalance", severity="warning" if level == "mild" else "critical", columns=(ctx.target,),
        title=f"The target {words[level]}", message=seen, suggestion=suggestion, details=plain(details),
    )]


def check_rare_class(ctx: CheckContext) -> list[Finding]:
    """How many rows of each class a test fold holds: its rows × (1 − holdout share) ÷ folds,
    as the trial splits them (the holdout first, then the folds on the rest).

    Below ``rows_per_class_per_fold`` the per-class scores move from split to split: a thing to
    know (info), since the repeated splits average it out for the overall comparison. Below
    ``rows_per_class_test_fold_warning`` a fold can say next to nothing about that class (a
    recall out of 3 rows is 0%, 33%, 67% or 100%): a warning, with what to do.
    """
    if not ctx.is_class:
        return []
    folds = int(settings.get("folds"))
    holdout = float(settings.get("holdout_share"))
    limit = float(settings.get("rows_per_class_per_fold"))
    warn_limit = float(settings.get("rows_per_class_test_fold_warning"))
    counts = ctx.class_counts()
    per_fold = {c: n * (1 - holdout) / folds for c, n in counts.items()}
    thin = {c: v for c, v in per_fold.items() if v < limit}
    if not thin:
        return []
    parts = [f"{q(c)} has {rows(counts[c])}" for c in sorted(thin, key=lambda c: counts[c])]
    worst = min(thin, key=lambda c: (thin[c], c))
    too_few = sorted((c for c, v in thin.items() if v < warn_limit), key=lambda c: counts[c])
    lead = f"Every answer in {q(ctx.target)} is rare: " if len(thin) == len(counts) else f"In {q(ctx.target)}, "
    about = f"{thin[worst]:.0f}" if round(thin[worst]) < limit else f"{thin[worst]:.1f}"  # never 'about 30 (< 30)'
    message = (lead + "; ".join(parts) + f". With {pct(holdout)} kept aside for the final check and the rest split "
               f"into {folds} folds, each test part holds only about {about} {q(worst)} rows (fewer "
               f"than {limit:.0f}).")
    if too_few:
        message += (f" That is too few for a test part to say anything about {names(too_few, 4)}: one row more or "
                    "less right moves its score by a large step, so results for it are mostly luck.")
        suggestion = (f"Collect more rows of {names(too_few, 4)}, merge it with a similar answer, or use fewer folds "
                      f"(3 instead of {folds}) so each test part holds more of its rows.")
        severity = "warning"
    else:
        message += (f" Scores for {q(worst)} will move from split to split; FairTrial repeats the splits and "
                    "averages them, so the comparison of the recipes still holds.")
        suggestion = "Nothing to fix. Read results for these answers as rough, and collect more rows if you can."
        severity = "info"
    return [Finding(
        check="rare_class", severity=severity, columns=(ctx.target,), title="Few rows of some answers",
        message=message,
        suggestion=suggestion,
        details=plain({"class_counts": counts, "rows_per_test_fold": {c: per_fold[c] for c in thin},
                       "too_few": too_few, "folds": folds, "holdout_share": holdout, "limit": limit,
                       "warning_limit": warn_limit}),
    )]
