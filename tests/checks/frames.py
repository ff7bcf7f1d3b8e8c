"""Tiny frames with one planted problem each, shared by the check tests.

Every frame starts from ``base``: a clean, learnable yes/no table where no check should
fire beyond the ``task`` note. Each ``with_*`` helper plants exactly one problem.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

TARGET = "bought"


def base(n: int = 600, seed: int = 1, share: float = 0.4) -> pd.DataFrame:
    """Clean: three ordinary columns and a yes/no target with a moderate signal (AUC about 0.7)."""
    rng = np.random.default_rng(seed)
    spend = np.round(rng.normal(50, 10, n), 3)
    plan = rng.choice(["basic", "standard", "premium"], size=n, p=[0.5, 0.3, 0.2])
    region = rng.choice(["North", "South", "East", "West"], size=n)
    visits = rng.integers(0, 8, n)
    latent = 0.06 * (spend - 50) + 0.5 * (plan == "premium") + 0.1 * visits + rng.logistic(0, 1, n)
    bought = latent >= np.quantile(latent, 1 - share)
    return pd.DataFrame({
        "spend": spend, "plan": plan, "region": region, "visits": visits,
        TARGET: np.where(bought, "yes", "no"),
    })


def positives(frame: pd.DataFrame) -> np.ndarray:
    return (frame[TARGET] == "yes").to_numpy()


def numeric_base(n: int = 600, seed: int = 2) -> pd.DataFrame:
    """Clean, with a number to predict ('price')."""
    rng = np.random.default_rng(seed)
    area = np.round(rng.normal(100, 15, n), 1)
    rooms = rng.integers(1, 7, n)
    quality = rng.choice(["low", "mid", "high"], size=n)
    price = 2000 * area + 5000 * rooms + np.where(quality == "high", 20_000, 0) + rng.normal(0, 40_000, n)
    return pd.DataFrame({"area": area, "rooms": rooms, "quality": quality, "price": np.round(price, -2)})


def multiclass_base(n: int = 900, seed: int = 3, shares=(0.4, 0.35, 0.25)) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    size = rng.choice(["S", "M", "L"], size=n, p=list(shares))
    weight = np.where(size == "S", 50, np.where(size == "M", 60, 70)) + rng.normal(0, 12, n)
    colour = rng.choice(["red", "blue"], size=n)
    return pd.DataFrame({"weight": np.round(weight, 4), "colour": colour, "size": size})


# ---- planted problems ----------------------------------------------------------------------
def with_leak(frame: pd.DataFrame, seed: int = 3) -> pd.DataFrame:
    """'refund_amount': a number that is large exactly for buyers (recorded afterwards)."""
    rng = np.random.default_rng(seed)
    yes = positives(frame)
    return frame.assign(refund_amount=np.round(np.where(yes, rng.uniform(20, 40, len(frame)),
                                                        rng.uniform(0, 5, len(frame))), 2))


def with_moderate_leak(frame: pd.DataFrame, seed: int = 4) -> pd.DataFrame:
    """'score_after': predicts the target with AUC about 0.93, far better than the other columns."""
    rng = np.random.default_rng(seed)
    yes = positives(frame)
    return frame.assign(call_minutes=np.round(np.where(yes, 3.0, 0.0) + rng.normal(0, 1.1, len(frame)), 3))


def with_missingness_leak(frame: pd.DataFrame, seed: int = 5) -> pd.DataFrame:
    """'cancel_note': filled in only for rows whose answer is 'yes'."""
    rng = np.random.default_rng(seed)
    yes = positives(frame)
    notes = rng.choice(["price", "service", "moved"], size=len(frame))
    return frame.assign(cancel_note=np.where(yes, notes, None))


def with_telling_empty(frame: pd.DataFrame, seed: int = 6) -> pd.DataFrame:
    """'coupon_code': empty far more often for 'yes' rows, yet only a weak predictor on its own."""
    rng = np.random.default_rng(seed)
    yes = positives(frame)
    empty = rng.random(len(frame)) < np.where(yes, 0.75, 0.2)
    values = rng.choice(["A1", "B2", "C3"], size=len(frame))
    return frame.assign(coupon_code=np.where(empty, None, values))


def with_target_copy(frame: pd.DataFrame) -> pd.DataFrame:
    """'bought_flag': the target as 1/0."""
    return frame.assign(bought_flag=positives(frame).astype(int))


def with_id(frame: pd.DataFrame, ordered_by_outcome: bool = False) -> pd.DataFrame:
    """'customer_id': one code per row; optionally numbered so that all 'yes' rows come first."""
    order = np.argsort(~positives(frame), kind="stable") if ordered_by_outcome else np.arange(len(frame))
    ids = np.empty(len(frame), dtype=object)
    ids[order] = [f"C{100000 + i}" for i in range(len(frame))]
    return frame.assign(customer_id=ids)


def with_constant(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(country="UK")


def with_near_constant(frame: pd.DataFrame) -> pd.DataFrame:
    values = np.full(len(frame), "card", dtype=object)
    values[:3] = "cash"
    return frame.assign(payment=values)


def with_duplicates(frame: pd.DataFrame, n_copies: int) -> pd.DataFrame:
    return pd.concat([frame, frame.iloc[:n_copies]], ignore_index=True)


def with_missing(frame: pd.DataFrame, column: str, share: float, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    out = frame.copy()
    empty = rng.choice(len(frame), size=int(round(share * len(frame))), replace=False)
    out[column] = out[column].astype(float)
    out.loc[empty, column] = np.nan
    return out


def with_free_text(frame: pd.DataFrame, seed: int = 8) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    words = np.array(["late", "delivery", "great", "service", "box", "damaged", "happy", "again", "slow", "fast"])
    notes = [" ".join(rng.choice(words, size=5)) + f" {i}" for i in range(len(frame))]
    return frame.assign(comment=notes)


def with_mixed_types(frame: pd.DataFrame, share: float = 0.05, seed: int = 9) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    values = frame["visits"].astype(str).to_numpy(dtype=object)
    odd = rng.choice(len(frame), size=int(share * len(frame)), replace=False)
    values[odd] = "unknown"
    return frame.assign(household=values)


def with_outliers(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out.loc[:5, "spend"] = out.loc[:5, "spend"] * 10  # an extra zero, typed six times
    return out


def with_conflicts(frame: pd.DataFrame, share: float) -> pd.DataFrame:
    """``share`` of rows come in look-alike pairs: every feature the same, the answer flipped."""
    k = int(round(share * len(frame) / 2))
    kept = frame.iloc[: len(frame) - k]
    copies = kept.iloc[:k].copy()
    copies[TARGET] = np.where(copies[TARGET] == "yes", "no", "yes")
    return pd.concat([kept, copies], ignore_index=True)


def with_two_strong_copies(frame: pd.DataFrame, seed: int = 12) -> pd.DataFrame:
    """'height_cm' and 'height_in': the same near-perfect measurement twice (like iris petals)."""
    rng = np.random.default_rng(seed)
    height = np.where(positives(frame), 180.0, 160.0) + rng.normal(0, 4.5, len(frame))
    return frame.assign(height_cm=np.round(height, 2), height_in=np.round(height / 2.54, 3))


def with_spread_signal(frame: pd.DataFrame, seed: int = 13, k: int = 6) -> pd.DataFrame:
    """Six noisy measurements of the same hidden cause: each alone predicts well, together better."""
    rng = np.random.default_rng(seed)
    cause = np.where(positives(frame), 1.0, -1.0) * 1.25
    return frame.assign(**{f"size_{i}": np.round(cause + rng.normal(0, 0.9, len(frame)), 4) for i in range(k)})


def with_group_gap(frame: pd.DataFrame, gap: float, seed: int = 10, group_rows: int | None = None) -> pd.DataFrame:
    """'gender' whose 'yes' rate differs by about ``gap`` between 'female' and 'male'."""
    rng = np.random.default_rng(seed)
    yes = positives(frame)
    share = yes.mean()
    p_female = np.where(yes, 0.5 + gap / (4 * share), 0.5 - gap / (4 * (1 - share)))
    gender = np.where(rng.random(len(frame)) < np.clip(p_female, 0, 1), "female", "male")
    out = frame.assign(gender=gender)
    if group_rows is not None:
        out = out.iloc[: 2 * group_rows].reset_index(drop=True)
    return out


def with_proxy(frame: pd.DataFrame, seed: int = 11) -> pd.DataFrame:
    """'ethnicity' (sensitive) and 'district', which gives it away."""
    rng = np.random.default_rng(seed)
    group = rng.choice(["Group A", "Group B"], size=len(frame), p=[0.6, 0.4])
    home = rng.random(len(frame)) < 0.93
    district = np.where(group == "Group A", rng.choice(["D1", "D2", "D3"], size=len(frame)),
                        rng.choice(["D4", "D5"], size=len(frame)))
    district = np.where(home, district, rng.choice(["D1", "D2", "D3", "D4", "D5"], size=len(frame)))
    return frame.assign(ethnicity=group, district=district)


# Personal data: fake but well-formed values. Tests assert none of them ever leaves the checks.
def fake_emails(n: int) -> list[str]:
    return [f"person{i}.secret@example.org" for i in range(n)]


def fake_phones(n: int) -> list[str]:
    return [f"+44 7700 9{i:05d}" for i in range(n)]


def _luhn_complete(body: str) -> str:
    for last in "0123456789":
        digits = body + last
        total = 0
        for i, ch in enumerate(reversed(digits)):
            d = int(ch) * (2 if i % 2 else 1)
            total += d - 9 if d > 9 else d
        if total % 10 == 0:
            return digits
    raise AssertionError("unreachable")


def fake_cards(n: int) -> list[str]:
    out = []
    for i in range(n):
        number = _luhn_complete(f"411111{i:09d}")
        out.append(" ".join(number[j:j + 4] for j in range(0, 16, 4)))
    return out


def fake_ibans(n: int) -> list[str]:
    out = []
    for i in range(n):
        bban = f"COBA{i:010d}"  # a made-up bank code and account number
        rearranged = bban + "DE00"
        digits = "".join(str(int(ch, 36)) for ch in rearranged)
        check = 98 - int(digits) % 97
        out.append(f"DE{check:02d}{bban}")
    return out


def fake_ssns(n: int) -> list[str]:
    return [f"{123 + i % 500:03d}-{45 + i % 40:02d}-{1000 + i:04d}" for i in range(n)]


# ---- helpers ---------------------------------------------------------------------------------
def run(frame: pd.DataFrame, target: str = TARGET, **options):
    from fairtrial.checks import run_checks

    return run_checks(frame, target, **options)


def found(report, check: str) -> list:
    """The findings of one check."""
    return [f for f in report.findings if f.check == check]


def loud(report) -> list:
    """Warnings and criticals: what a user must look at."""
    return [f for f in report.findings if f.severity != "info"]
