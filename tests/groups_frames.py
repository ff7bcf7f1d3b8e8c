"""Tiny frames with planted group results, shared by the group tests.

Each block is built from exact counts, so every rate in a test is a hand calculation:
``block("women", n_pos=100, n_neg=100, a=(69, 20))`` makes 200 rows of women, 100 truly
"yes", and arm "a" says "yes" to 69 of the truly-yes rows (true positives) and to 20 of the
truly-no rows (false positives).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

POS, NEG = "yes", "no"


def block(group: str, n_pos: int, n_neg: int, column: str = "gender", **arms: tuple[int, int]) -> pd.DataFrame:
    data = {column: [group] * (n_pos + n_neg), "approved": [POS] * n_pos + [NEG] * n_neg}
    for arm, (tp, fp) in arms.items():
        data[arm] = [POS] * tp + [NEG] * (n_pos - tp) + [POS] * fp + [NEG] * (n_neg - fp)
    return pd.DataFrame(data)


def shuffled(*blocks: pd.DataFrame, seed: int = 7) -> pd.DataFrame:
    frame = pd.concat(blocks, ignore_index=True)
    order = np.random.default_rng(seed).permutation(len(frame))
    # a non-default index on purpose: group_results aligns by position
    return frame.iloc[order].set_index(pd.RangeIndex(1000, 1000 + len(frame)))


def preds(frame: pd.DataFrame, *arms: str) -> dict[str, np.ndarray]:
    return {arm: frame[arm].to_numpy() for arm in arms}


# A planted gap: recipe B approves 41% of women vs 58% of men; recipe A treats both alike
# (44.5%) and is 1 point less accurate (74.5% vs 75.5%).
GAP = shuffled(
    block("women", 100, 100, a=(69, 20), b=(62, 20)),
    block("men", 100, 100, a=(69, 20), b=(88, 28)),
)

# No gap at all: the same counts in both groups.
EVEN = shuffled(
    block("women", 100, 100, a=(70, 20)),
    block("men", 100, 100, a=(70, 20)),
)

# EVEN plus a group too small to judge (12 rows) and a low-confidence one (45 rows).
SMALL = shuffled(
    block("women", 100, 100, a=(70, 20)),
    block("men", 100, 100, a=(70, 20)),
    block("other", 6, 6, a=(3, 1)),
    block("nonbinary", 20, 25, a=(14, 5)),
)

# One region served worse: east is right 67% of the time, north and south 90%.
MISTAKES = shuffled(
    block("north", 150, 150, column="region", a=(135, 15)),
    block("south", 150, 150, column="region", a=(135, 15)),
    block("east", 75, 75, column="region", a=(45, 20)),
)


def noisy_no_gap(rows: int = 2000, seed: int = 3) -> pd.DataFrame:
    """Random groups, random outcomes, and a model wrong 20% of the time for everyone."""
    rng = np.random.default_rng(seed)
    y = np.where(rng.random(rows) < 0.5, POS, NEG)
    flip = rng.random(rows) < 0.2
    return pd.DataFrame({
        "gender": rng.choice(["women", "men"], size=rows),
        "approved": y,
        "a": np.where(flip, np.where(y == POS, NEG, POS), y),
    })


def numbers() -> pd.DataFrame:
    """A number target: guesses for north are off by 10 (both ways), for south 30 too high."""
    y = np.arange(200, dtype=float) * 10 + 1000
    region = np.array(["north"] * 100 + ["south"] * 100)
    error = np.where(region == "north", np.tile([10.0, -10.0], 100), 30.0)
    return pd.DataFrame({"region": region, "price": y, "a": y + error, "b": y + 20.0})


def proxies(rows: int = 1200, seed: int = 11) -> pd.DataFrame:
    """'postcode' and 'distance_km' give the group away; 'colour' and 'shoe_size' do not."""
    rng = np.random.default_rng(seed)
    group = rng.choice(["Group A", "Group B"], size=rows)
    segregated = rng.random(rows) < 0.9
    side = np.where(segregated, group == "Group A", group != "Group A")
    postcode = np.where(side, rng.choice(["N1", "N2", "N3"], size=rows), rng.choice(["S1", "S2", "S3"], size=rows))
    distance = np.where(group == "Group A", rng.normal(3, 1, rows), rng.normal(8, 1, rows)).round(1)
    return pd.DataFrame({
        "customer_id": [f"C{i:05d}" for i in range(rows)],
        "group": group,
        "postcode": postcode,
        "colour": rng.choice(["red", "green", "blue", "black"], size=rows),
        "distance_km": distance,
        "shoe_size": rng.integers(36, 46, size=rows),
    })


PROXY_KINDS = {"customer_id": "id", "group": "category", "postcode": "category", "colour": "category",
               "distance_km": "number", "shoe_size": "number"}
