"""Small frames shared by the trial-engine tests (recipes, splits, trial, evaluate).

Everything is seeded and small so the whole engine suite stays fast on two cores.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.datasets import make_classification, make_regression

from fairtrial.task import TaskInfo

BINARY = TaskInfo("binary", "test", ("no", "yes"), "yes")


def learnable(n: int = 400, seed: int = 0, classes: int = 2) -> tuple[pd.DataFrame, dict[str, str]]:
    """A target the columns clearly predict: five numbers, a category and a yes/no column."""
    X, y = make_classification(n_samples=n, n_features=5, n_informative=4, n_redundant=0, n_classes=classes,
                               n_clusters_per_class=1, class_sep=1.5, random_state=seed)
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(5)])
    frame["shop"] = rng.choice(["north", "south", "east"], size=n)
    frame["member"] = rng.choice(["yes", "no"], size=n)
    names = ["no", "yes"] if classes == 2 else [f"type{i}" for i in range(classes)]
    frame["target"] = np.asarray(names, dtype=object)[y]
    kinds = {**{f"x{i}": "number" for i in range(5)}, "shop": "category", "member": "boolean"}
    return frame, kinds


def noise(n: int = 300, seed: int = 1) -> tuple[pd.DataFrame, dict[str, str]]:
    """Columns that say nothing about a 50/50 target."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({f"x{i}": rng.normal(size=n) for i in range(4)})
    frame["shop"] = rng.choice(["north", "south", "east"], size=n)
    frame["target"] = rng.choice(["no", "yes"], size=n)
    kinds = {**{f"x{i}": "number" for i in range(4)}, "shop": "category"}
    return frame, kinds


def numbers(n: int = 300, seed: int = 0) -> tuple[pd.DataFrame, dict[str, str]]:
    """A number target (a price) that depends on the columns."""
    X, y = make_regression(n_samples=n, n_features=4, n_informative=3, noise=10.0, random_state=seed)
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(4)])
    frame["shop"] = np.random.default_rng(seed).choice(["north", "south"], size=n)
    frame["price"] = y + 500.0
    kinds = {**{f"x{i}": "number" for i in range(4)}, "shop": "category"}
    return frame, kinds


def mixed(n: int = 120, seed: int = 3) -> tuple[pd.DataFrame, dict[str, str]]:
    """Every column kind, with blanks and stray text in a number column."""
    rng = np.random.default_rng(seed)
    amount = rng.normal(100, 20, size=n).round(1).astype(object)
    amount[[3, 17]] = "n/a"
    amount[5] = None
    frame = pd.DataFrame({
        "amount": amount,
        "visits": rng.integers(0, 10, size=n).astype(float),
        "shop": rng.choice(["north", "south", "east", None], size=n),
        "member": rng.choice([True, False], size=n),
        "joined": pd.date_range("2020-01-01", periods=n, freq="7D").astype(str),
        "note": [f"customer said {w} about the shop" for w in rng.choice(["good", "bad", "nothing"], size=n)],
        "customer_id": [f"C{i:05d}" for i in range(n)],
    })
    frame.loc[7, "visits"] = np.nan
    frame["target"] = np.where(rng.random(n) < 0.4, "yes", "no")
    kinds = {"amount": "number", "visits": "number", "shop": "category", "member": "boolean", "joined": "date",
             "note": "text", "customer_id": "id"}
    return frame, kinds


def people(n: int = 400, seed: int = 3, *, shuffled: bool = False) -> tuple[pd.DataFrame, dict[str, str]]:
    """A table about people with no duplicate row: a unique person_id and two columns of few
    values (age band, plan), so many different people share the same model inputs. ``left``
    depends on the plan, or on nothing when ``shuffled``."""
    rng = np.random.default_rng(seed)
    band = rng.choice(["18-30", "31-50", "51+"], size=n)
    plan = rng.choice(["basic", "plus"], size=n)
    chance = np.where(plan == "basic", 0.6, 0.3)
    left = np.where(rng.random(n) < chance, "yes", "no")
    if shuffled:
        left = rng.permutation(left)
    frame = pd.DataFrame({"person_id": [f"P{i:05d}" for i in range(n)], "band": band, "plan": plan, "left": left})
    return frame, {"person_id": "id", "band": "category", "plan": "category", "left": "category"}
