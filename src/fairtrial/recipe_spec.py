"""What a recipe is, as plain data: its name, options and the words a user reads about it.

A ``Recipe`` is a frozen dataclass that round-trips through JSON, so a trial can be stored and
re-run; ``recipes.py`` turns it into a scikit-learn pipeline. This module imports neither
scikit-learn nor pandas, so the command line can read its options and start its worker
processes before the heavy imports (``workers.start_early``); ``recipes.py`` re-exports every
name here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import BadChoiceError

if TYPE_CHECKING:
    from .task import TaskInfo

__all__ = ["FAIRNESS_OPTIONS", "IMBALANCE_OPTIONS", "RECIPES", "RECIPE_NAMES", "SPEEDS", "WEIGHTED_RECIPES",
           "Recipe", "RecipeInfo"]

SPEEDS: tuple[str, ...] = ("quick", "thorough")
IMBALANCE_OPTIONS: tuple[str, ...] = ("none", "balanced", "threshold")
# Fairness mitigation: "reweigh" weights training rows so that every (group, answer) pair counts as
# it would if the answer did not depend on the group (Kamiran & Calders 2012).
FAIRNESS_OPTIONS: tuple[str, ...] = ("none", "reweigh")
# Recipes whose model can learn from row weights.
WEIGHTED_RECIPES: tuple[str, ...] = ("simple", "tree", "forest", "boosting", "bayes")


@dataclass(frozen=True)
class RecipeInfo:
    """What the user reads about a recipe: a label and one plain sentence per task family."""

    name: str
    label: str
    classes_text: str
    numbers_text: str
    numbers_label: str | None = None


RECIPES: dict[str, RecipeInfo] = {
    info.name: info
    for info in (
        RecipeInfo("baseline", "Always guess the most common",
                   "Ignores every column and always predicts the most common answer; any real recipe must beat it.",
                   "Ignores every column and always predicts the typical value (the median of the training rows); "
                   "any real recipe must beat it.",
                   numbers_label="Always guess the typical value"),
        RecipeInfo("simple", "Simple (logistic/linear)",
                   "Logistic regression: gives each column a weight, adds them up and turns the sum into a chance; "
                   "fast and easy to explain.",
                   "Linear regression (ridge): gives each column a weight and adds them up; fast and easy to explain."),
        RecipeInfo("tree", "Decision tree",
                   "A single decision tree: a short list of yes/no questions that you can read and follow.",
                   "A single decision tree: a short list of yes/no questions that ends in a number."),
        RecipeInfo("forest", "Random forest",
                   "Many decision trees that each see part of the data and vote; strong and hard to fool, "
                   "but bigger and slower.",
                   "Many decision trees that each see part of the data and average their answers; strong, "
                   "but bigger and slower."),
        RecipeInfo("boosting", "Gradient boosting",
                   "Trees built one after another, each fixing the mistakes of the ones before; often the most "
                   "accurate on tables.",
                   "Trees built one after another, each fixing the mistakes of the ones before; often the most "
                   "accurate on tables."),
        RecipeInfo("knn", "Nearest neighbours",
                   "Looks up the most similar rows it has seen and answers what most of them had.",
                   "Looks up the most similar rows it has seen and averages their numbers."),
        RecipeInfo("bayes", "Naive Bayes",
                   "Simple probability rules per column, combined as if the columns were unrelated; very fast, "
                   "works with few rows.",
                   "Bayesian linear regression: naive Bayes only predicts groups, so for numbers FairTrial uses "
                   "this close cousin that adds up weighted columns.",
                   numbers_label="Bayesian linear (for numbers)"),
    )
}
RECIPE_NAMES: tuple[str, ...] = tuple(RECIPES)


def _task_name(task: Any) -> str:
    """The task's name from a ``TaskInfo`` or its name."""
    return str(getattr(task, "task", task))


@dataclass(frozen=True)
class Recipe:
    """A model preset plus its options; plain data that round-trips through JSON."""

    name: str
    speed: str = "quick"
    # None: the user did not choose, so the plan follows the checks (``defaults.py``);
    # a stored plan always holds the resolved option.
    imbalance: str | None = "none"
    features: tuple[str, ...] | None = None
    fairness: str = "none"
    # Columns this recipe leaves out although the trial allows them ("B: the same recipe without X").
    without: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.name not in RECIPES:
            raise BadChoiceError(f"Unknown recipe '{self.name}'.", f"Choose one of: {', '.join(RECIPE_NAMES)}.")
        if self.speed not in SPEEDS:
            raise BadChoiceError(f"Unknown speed '{self.speed}'.", "Choose quick or thorough.")
        if self.imbalance is not None and self.imbalance not in IMBALANCE_OPTIONS:
            raise BadChoiceError(f"Unknown imbalance handling '{self.imbalance}'.",
                                 "Choose none, balanced or threshold.")
        if self.fairness not in FAIRNESS_OPTIONS:
            raise BadChoiceError(f"Unknown fairness option '{self.fairness}'.", "Choose none or reweigh.")
        if self.features is not None:
            feats = tuple(str(c) for c in self.features)
            if not feats:
                raise BadChoiceError("The recipe's column list is empty.",
                                     "Give at least one column, or leave the list out to use all allowed columns.")
            object.__setattr__(self, "features", feats)
        object.__setattr__(self, "without", tuple(dict.fromkeys(str(c) for c in (self.without or ()))))

    # --- words ---------------------------------------------------------------------------
    @property
    def info(self) -> RecipeInfo:
        return RECIPES[self.name]

    @property
    def label(self) -> str:
        return self.info.label

    def label_for(self, task: TaskInfo | str) -> str:
        """The label, adjusted for number targets where the recipe changes (baseline, bayes)."""
        if _task_name(task) == "numeric" and self.info.numbers_label:
            return self.info.numbers_label
        return self.info.label

    def option_label(self, task: TaskInfo | str) -> str:
        """The label with its non-default options, to tell apart two recipes of the same name."""
        extras = []
        if self.speed == "thorough":
            extras.append("thorough")
        extras.append({"balanced": "balanced weights", "threshold": "tuned cut-off"}.get(self.imbalance, ""))
        if self.fairness == "reweigh":
            extras.append("groups reweighed")
        if self.features is not None:
            extras.append(f"{len(self.features)} chosen columns")
        if self.without:
            extras.append("without " + ", ".join(f"'{c}'" for c in self.without))
        extras = [e for e in extras if e]
        return self.label_for(task) + (f" — {', '.join(extras)}" if extras else "")

    def description(self, task: TaskInfo | str = "binary") -> str:
        return self.info.numbers_text if _task_name(task) == "numeric" else self.info.classes_text

    def short(self) -> str:
        """The text form ``Recipe.parse`` reads back, e.g. ``forest:thorough:balanced``."""
        parts = [self.name]
        if self.speed != "quick":
            parts.append(self.speed)
        if self.imbalance not in (None, "none"):
            parts.append(self.imbalance)
        if self.fairness != "none":
            parts.append(self.fairness)
        return ":".join(parts)

    # --- data ------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "speed": self.speed,
            "imbalance": self.imbalance,
            "features": None if self.features is None else list(self.features),
            "fairness": self.fairness,
            # only when set, so plans stored before this option read back unchanged
            **({"without": list(self.without)} if self.without else {}),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | str) -> "Recipe":
        if isinstance(data, str):
            return cls.parse(data)
        features = data.get("features")
        return cls(
            name=str(data["name"]),
            speed=str(data.get("speed", "quick")),
            imbalance=None if data.get("imbalance", "none") is None else str(data.get("imbalance", "none")),
            features=None if features is None else tuple(features),
            fairness=str(data.get("fairness", "none")),
            without=tuple(data.get("without") or ()),
        )

    @classmethod
    def parse(cls, text: "str | Recipe", *, unset: str | None = "none") -> "Recipe":
        """Read ``forest``, ``Random forest``, ``forest:thorough`` or ``boosting:balanced:thorough``.

        ``unset`` is the imbalance option when the text names none: ``None`` leaves it open for
        the checks to decide (the command line: ``simple`` follows the checks, ``simple:none``
        switches the remedy off)."""
        if isinstance(text, Recipe):
            return text
        raw = str(text).strip()
        parts = [p.strip().lower() for p in raw.split(":")]
        head = parts[0]
        by_label = {info.label.lower(): name for name, info in RECIPES.items()}
        by_label.update({(info.numbers_label or "").lower(): name for name, info in RECIPES.items()})
        aliases = {"gbm": "boosting", "gradient_boosting": "boosting", "hgb": "boosting", "rf": "forest",
                   "random_forest": "forest", "logistic": "simple", "linear": "simple", "dummy": "baseline",
                   "naive_bayes": "bayes", "neighbours": "knn", "neighbors": "knn", "decision_tree": "tree"}
        name = head if head in RECIPES else by_label.get(head) or aliases.get(head.replace(" ", "_").replace("-", "_"))
        if name is None:
            raise BadChoiceError(f"Unknown recipe '{raw}'.", f"Choose one of: {', '.join(RECIPE_NAMES)}.")
        speed, imbalance, fairness = "quick", unset, "none"
        for option in parts[1:]:
            if option in SPEEDS:
                speed = option
            elif option in IMBALANCE_OPTIONS:
                imbalance = option
            elif option in FAIRNESS_OPTIONS:
                fairness = option
            elif option:
                raise BadChoiceError(f"Unknown recipe option '{option}' in '{raw}'.",
                                     "Options are quick, thorough, none, balanced, threshold and reweigh, separated by ':'.")
        return cls(name, speed, imbalance, fairness=fairness)
