"""Build FairTrial's sample datasets, each with the classic trap it is meant to teach.

Run ``python sample_data/make_samples.py`` (or ``make samples``): it writes next to this file,
takes no arguments and gives byte-identical files on every run (fixed seeds, fixed workbook
timestamps). ``main(out_dir)`` writes somewhere else, which is what the tests use.

What each file teaches (the README has the plain-words version):
- churn.csv / churn.xlsx   leakage through missingness (cancellation_reason), an ID, an email column
- loans.csv                 an outcome gap by ethnicity and a postcode that stands in for it
- students.csv              the clean one: a fair, learnable pass/fail classroom example
- house_prices.csv          a number to predict, some missing values and a few outliers
- monthly_sales.xlsx        two sheets (Sales, Stores): pick the right one
- fraud.csv                 a rare outcome (3% fraud): accuracy alone fools you

Only numpy, pandas and openpyxl are used. Every dataset has its own seed, so changing one
leaves the others byte-for-byte the same.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent

SEEDS = {
    "churn": 20240101,
    "loans": 20240202,
    "students": 20240303,
    "house_prices": 20240404,
    "monthly_sales": 20240505,
    "fraud": 20240606,
}

# The day the data were "exported"; all ages, tenures and "days ago" count back from it.
SNAPSHOT = dt.date(2024, 12, 31)
# Fixed timestamp written into workbooks so they are byte-identical on every run.
_WORKBOOK_TIME = dt.datetime(2025, 1, 1, 9, 0, 0)

FIRST_NAMES = [
    "emma", "liam", "olivia", "noah", "ava", "lucas", "mia", "james", "sofia", "oliver",
    "amelia", "elijah", "isla", "leo", "chloe", "mateo", "grace", "arjun", "zoe", "omar",
    "hannah", "daniel", "fatima", "samuel", "lena", "ethan", "priya", "jack", "nora", "adam",
    "yusuf", "ella", "tom", "sara", "max", "aisha", "ben", "julia", "ryan", "laura",
    "kofi", "anna", "david", "mei", "felix", "ruby", "hugo", "ines", "tariq", "maya",
]
LAST_NAMES = [
    "smith", "jones", "brown", "taylor", "wilson", "davies", "evans", "thomas", "johnson",
    "roberts", "walker", "wright", "robinson", "thompson", "white", "hughes", "edwards",
    "green", "hall", "wood", "harris", "lewis", "martin", "jackson", "clarke", "clark",
    "turner", "hill", "scott", "cooper", "morris", "ward", "moore", "king", "watson",
    "baker", "patel", "khan", "nguyen", "garcia", "muller", "rossi", "novak", "kowalski",
    "silva", "okafor", "mensah", "ali", "chen", "singh",
]


# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------
def _top_share(latent: np.ndarray, share: float, rng: np.random.Generator) -> np.ndarray:
    """Outcome = the ``share`` of rows with the highest latent score plus logistic noise.

    The same as a logistic model with a threshold, but the positive share is exact, so the
    planted rates (15% churn, 3% fraud) do not wander when a coefficient is tuned.
    """
    score = latent + rng.logistic(0.0, 1.0, size=latent.shape[0])
    k = int(round(share * latent.shape[0]))
    order = np.argsort(-score, kind="stable")
    out = np.zeros(latent.shape[0], dtype=bool)
    out[order[:k]] = True
    return out


def _yes_no(flags: np.ndarray, yes: str = "yes", no: str = "no") -> np.ndarray:
    return np.where(flags, yes, no)


def _write_csv(df: pd.DataFrame, path: Path) -> Path:
    df.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    return path


def _write_xlsx(sheets: dict[str, pd.DataFrame], path: Path) -> Path:
    """Write sheets with a frozen header and readable widths, then pin the timestamps."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl", date_format="YYYY-MM-DD") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
            ws = writer.sheets[name]
            ws.freeze_panes = "A2"
            for i, col in enumerate(frame.columns):
                letter = ws.cell(row=1, column=i + 1).column_letter
                ws.column_dimensions[letter].width = max(10, min(28, len(str(col)) + 4))
        writer.book.properties.creator = "FairTrial sample data"
        writer.book.properties.created = _WORKBOOK_TIME
    path.write_bytes(_pin_zip(buffer.getvalue()))
    return path


def _pin_zip(data: bytes) -> bytes:
    """Rewrite an xlsx (a zip) with fixed member dates and a fixed 'modified' time.

    openpyxl stamps the save time into docProps/core.xml and into every zip member, which
    would make the committed workbook change on every rebuild.
    """
    stamp = _WORKBOOK_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(
        out, "w", compression=zipfile.ZIP_DEFLATED
    ) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = content.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                    lambda m: f"{m.group(1)}{stamp}{m.group(3)}",
                    text,
                )
                content = text.encode("utf-8")
            member = zipfile.ZipInfo(info.filename, date_time=_WORKBOOK_TIME.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, content)
    return out.getvalue()


def _months_before(day: dt.date, months: np.ndarray, extra_days: np.ndarray) -> list[dt.date]:
    out = []
    for m, d in zip(months.tolist(), extra_days.tolist()):
        year = day.year + (day.month - 1 - m) // 12
        month = (day.month - 1 - m) % 12 + 1
        start = dt.date(year, month, 1)
        out.append(start + dt.timedelta(days=int(d)))
    return out


# ---------------------------------------------------------------------------------------
# 1. churn: leakage through missingness, an ID, personal data
# ---------------------------------------------------------------------------------------
def make_churn(rng: np.random.Generator, n: int = 4000) -> pd.DataFrame:
    # Customers signed up over six years; IDs were handed out in signup order, with gaps
    # where sign-ups were abandoned, as in a real CRM export.
    tenure = np.minimum(rng.geometric(1 / 20, size=n), 72)
    order = np.argsort(-tenure, kind="stable")  # oldest customer first
    ids = 100_000 + np.cumsum(rng.integers(1, 4, size=n))
    customer_id = np.empty(n, dtype=object)
    customer_id[order] = [f"C{i:06d}" for i in ids]

    firsts = rng.choice(FIRST_NAMES, size=n)
    lasts = rng.choice(LAST_NAMES, size=n)
    numbers = rng.choice(np.arange(10, 10_000), size=n, replace=False)
    domains = rng.choice(["example.com", "example.org", "example.net"], size=n, p=[0.6, 0.25, 0.15])
    email = [f"{f}.{l}{k}@{d}" for f, l, k, d in zip(firsts, lasts, numbers, domains)]

    signup_date = _months_before(SNAPSHOT, tenure, rng.integers(0, 28, size=n))

    plan = rng.choice(["basic", "standard", "premium"], size=n, p=[0.45, 0.35, 0.20])
    base_fee = pd.Series(plan).map({"basic": 9.99, "standard": 19.99, "premium": 34.99}).to_numpy()
    addons = rng.choice([0.0, 2.5, 5.0], size=n, p=[0.6, 0.3, 0.1])
    discount = rng.choice([0, 10, 20, 25], size=n, p=[0.68, 0.18, 0.10, 0.04])
    monthly_fee = np.round((base_fee + addons) * (1 - discount / 100), 2)

    region = rng.choice(
        ["North", "South", "East", "West", "Central"], size=n, p=[0.22, 0.24, 0.17, 0.15, 0.22]
    )
    payment_method = rng.choice(
        ["card", "direct debit", "PayPal", "invoice"], size=n, p=[0.38, 0.34, 0.18, 0.10]
    )

    # Two things the business cannot see directly: how happy and how engaged the customer is.
    unhappy = rng.normal(0, 1, size=n)
    engaged = rng.normal(0, 1, size=n) + 0.25 * np.log1p(tenure)
    support_calls = rng.poisson(np.exp(-0.1 + 0.55 * unhappy + 0.1 * (plan == "basic")))
    last_login_days_ago = np.minimum(
        np.round(rng.exponential(5 * np.exp(-0.8 * engaged))), 180
    ).astype(int)

    latent = (
        -0.65 * np.log1p(tenure)
        + 0.40 * np.minimum(support_calls, 6)
        + 0.55 * np.log1p(last_login_days_ago)
        + 0.45 * (plan == "basic")
        - 0.35 * (plan == "premium")
        + 0.55 * (payment_method == "invoice")
        - 0.30 * (payment_method == "direct debit")
        - 0.02 * discount
        + 0.8 * unhappy
        - 0.5 * engaged
    )
    churned = _top_share(latent, 0.148, rng)

    # Filled in by the support team when a customer cancels: only exists for leavers.
    reasons = np.array(
        ["Too expensive", "Switched to a competitor", "Poor customer service",
         "Not using it enough", "Moving away", "Other"]
    )
    weights = np.column_stack([
        1.0 + 1.5 * (plan == "premium") + 0.04 * monthly_fee,
        np.full(n, 1.6),
        0.4 + 0.6 * support_calls,
        0.4 + 0.05 * last_login_days_ago,
        np.full(n, 0.5),
        np.full(n, 0.4),
    ])
    weights /= weights.sum(axis=1, keepdims=True)
    pick = (rng.random(n)[:, None] > np.cumsum(weights, axis=1)).sum(axis=1)
    cancellation_reason = np.where(churned, reasons[np.minimum(pick, len(reasons) - 1)], None)

    df = pd.DataFrame({
        "customer_id": customer_id,
        "email": email,
        "signup_date": [d.isoformat() for d in signup_date],
        "plan": plan,
        "monthly_fee": monthly_fee,
        "tenure_months": tenure,
        "support_calls": support_calls,
        "last_login_days_ago": last_login_days_ago,
        "region": region,
        "payment_method": payment_method,
        "discount": discount,
        "cancellation_reason": cancellation_reason,
        "churned": _yes_no(churned),
    })
    # A CRM export is sorted by customer number.
    return df.sort_values("customer_id", kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------------------------------
# 2. loans: an outcome gap by ethnicity, a postcode that stands in for it, a smaller gender gap
# ---------------------------------------------------------------------------------------
ETHNIC_GROUPS = ["Group A", "Group B", "Group C"]
ETHNIC_SHARES = [0.58, 0.25, 0.17]


def _postcodes() -> tuple[list[str], list[int]]:
    """36 postcode districts; each is home mostly to one group (a segregated city)."""
    areas = {
        # area prefix: dominant group index for its districts
        "NB": 0, "WH": 0, "KP": 0, "LT": 0,
        "ES": 1, "SM": 1,
        "RV": 2,
    }
    codes, dominant = [], []
    for prefix, group in areas.items():
        for d in range(1, 6):
            codes.append(f"{prefix}{d}")
            dominant.append(group)
    # One mixed district in the centre, where the groups live side by side.
    codes.append("CT1")
    dominant.append(-1)
    return codes, dominant


def make_loans(rng: np.random.Generator, n: int = 3000) -> pd.DataFrame:
    applicant_id = [f"APP-{i:05d}" for i in 24_001 + np.sort(rng.choice(np.arange(6000), n, replace=False))]
    group = rng.choice(len(ETHNIC_GROUPS), size=n, p=ETHNIC_SHARES)

    # Where people live: 92% of each group live in "their" districts.
    codes, dominant = _postcodes()
    codes_arr = np.array(codes)
    dominant = np.array(dominant)
    postcode = np.empty(n, dtype=object)
    area_wealth = {c: w for c, w in zip(codes, rng.normal(0, 0.12, size=len(codes)))}
    for g in range(len(ETHNIC_GROUPS)):
        members = np.flatnonzero(group == g)
        own = codes_arr[dominant == g]
        other = codes_arr[dominant != g]
        at_home = rng.random(members.size) < 0.92
        postcode[members] = np.where(
            at_home,
            rng.choice(own, size=members.size),
            rng.choice(other, size=members.size),
        )

    gender = rng.choice(["male", "female"], size=n, p=[0.52, 0.48])
    female = gender == "female"
    age = np.clip(np.round(rng.gamma(4.0, 5.5, size=n) + 19), 19, 78).astype(int)
    years_employed = np.clip(
        np.round(rng.uniform(0, 1, size=n) * np.minimum(age - 18, 40) * rng.uniform(0.3, 1.0, size=n)),
        0, 45,
    ).astype(int)
    employment_type = rng.choice(
        ["employed", "self-employed", "part-time", "retired"], size=n, p=[0.66, 0.14, 0.12, 0.08]
    )
    employment_type = np.where(age >= 67, "retired", employment_type)
    employment_type = np.where((employment_type == "retired") & (age < 60), "employed", employment_type)

    # Structural inequality: average incomes differ by group and gender before any decision.
    group_income = np.array([0.0, -0.22, -0.10])[group]
    log_income = (
        np.log(38_000)
        + group_income
        - 0.10 * female
        + 0.012 * np.minimum(years_employed, 25)
        - 0.45 * (employment_type == "part-time")
        - 0.25 * (employment_type == "retired")
        + np.array([area_wealth[c] for c in postcode])
        + rng.normal(0, 0.38, size=n)
    )
    income = np.round(np.exp(log_income), -2).astype(int)

    home_ownership = rng.choice(["rent", "mortgage", "own"], size=n, p=[0.45, 0.40, 0.15])
    purpose = rng.choice(
        ["car", "home improvement", "debt consolidation", "education", "business", "wedding", "holiday"],
        size=n, p=[0.27, 0.22, 0.20, 0.09, 0.09, 0.06, 0.07],
    )
    loan_amount = np.round(
        np.clip(income * rng.lognormal(np.log(0.28), 0.55, size=n), 1_000, 75_000), -2
    ).astype(int)
    term_months = rng.choice([12, 24, 36, 48, 60, 72], size=n, p=[0.08, 0.18, 0.30, 0.18, 0.18, 0.08])
    has_debt = rng.random(n) < 0.55
    existing_debts = np.where(
        has_debt, np.round(income * rng.lognormal(np.log(0.15), 0.7, size=n), -2), 0
    ).astype(int)
    credit_score = np.clip(
        np.round(
            640
            + np.array([0, -28, -12])[group]
            + 2.2 * np.minimum(years_employed, 20)
            - 120 * np.minimum(existing_debts / income, 1.5)
            + 0.8 * (age - 40)
            + rng.normal(0, 62, size=n)
        ),
        300, 850,
    ).astype(int)

    latent = (
        0.55
        + 0.017 * (credit_score - 640)
        + 1.1 * np.log(income / 38_000)
        - 2.2 * (loan_amount / income)
        - 1.6 * np.minimum(existing_debts / income, 1.5)
        + 0.06 * np.minimum(years_employed, 10)
        - 0.5 * (employment_type == "part-time")
        + 0.3 * (home_ownership == "own")
        + pd.Series(purpose).map({
            "car": 0.2, "home improvement": 0.3, "debt consolidation": -0.2, "education": 0.1,
            "business": -0.5, "wedding": -0.3, "holiday": -0.4,
        }).to_numpy()
        # Unequal treatment: the same file gets a worse decision for some groups.
        + np.array([0.0, -0.62, -0.30])[group]
        - 0.22 * female
    )
    approved = _top_share(1.35 * latent, 0.60, rng)

    return pd.DataFrame({
        "applicant_id": applicant_id,
        "age": age,
        "gender": gender,
        "ethnicity": np.array(ETHNIC_GROUPS)[group],
        "postcode": postcode,
        "income": income,
        "employment_type": employment_type,
        "years_employed": years_employed,
        "home_ownership": home_ownership,
        "credit_score": credit_score,
        "existing_debts": existing_debts,
        "loan_amount": loan_amount,
        "term_months": term_months,
        "purpose": purpose,
        "approved": _yes_no(approved),
    })


# ---------------------------------------------------------------------------------------
# 3. students: the clean one
# ---------------------------------------------------------------------------------------
def make_students(rng: np.random.Generator, n: int = 600) -> pd.DataFrame:
    student_no = [f"S{i:04d}" for i in range(1001, 1001 + n)]
    class_group = rng.choice(["10A", "10B", "10C", "10D", "10E"], size=n)
    motivation = rng.normal(0, 1, size=n)  # not in the data: what the teacher cannot measure

    previous_grade = np.clip(np.round(64 + 11 * motivation + rng.normal(0, 9, size=n)), 20, 100).astype(int)
    hours_studied = np.clip(np.round(5.5 + 2.0 * motivation + rng.gamma(2.0, 1.0, size=n) - 2, 1), 0, 20)
    attendance_pct = np.clip(np.round(90 + 4 * motivation + rng.normal(0, 6, size=n)), 45, 100).astype(int)
    homework_done = np.clip(np.round(16 + 2.5 * motivation + rng.normal(0, 2.5, size=n)), 0, 20).astype(int)
    sleep_hours = np.clip(np.round(rng.normal(7.4, 0.9, size=n), 1), 4.5, 10.0)
    screen_time_hours = np.clip(np.round(rng.gamma(3.0, 1.1, size=n) - 0.3 * motivation, 1), 0.2, 11.0)
    extra_classes = rng.random(n) < 0.28
    travel_time_min = np.clip(np.round(rng.gamma(2.5, 9.0, size=n)), 3, 90).astype(int)

    latent = (
        0.06 * (previous_grade - 64)
        + 0.30 * (hours_studied - 5.5)
        + 0.08 * (attendance_pct - 90)
        + 0.18 * (homework_done - 16)
        - 0.45 * (sleep_hours - 7.6) ** 2
        - 0.12 * (screen_time_hours - 3.3)
        + 0.55 * extra_classes
        + 0.5 * motivation
    )
    passed = _top_share(latent, 0.70, rng)

    return pd.DataFrame({
        "student_no": student_no,
        "class_group": class_group,
        "hours_studied": hours_studied,
        "attendance_pct": attendance_pct,
        "homework_done": homework_done,
        "previous_grade": previous_grade,
        "sleep_hours": sleep_hours,
        "screen_time_hours": screen_time_hours,
        "extra_classes": _yes_no(extra_classes),
        "travel_time_min": travel_time_min,
        "passed": _yes_no(passed, "pass", "fail"),
    })


# ---------------------------------------------------------------------------------------
# 4. house prices: a number to predict, missing values, outliers
# ---------------------------------------------------------------------------------------
NEIGHBOURHOODS = {
    # name: (price level per m2, typical distance to centre in km)
    "Old Town": (4_300, 0.8),
    "Station Quarter": (3_700, 1.8),
    "Riverside": (4_000, 2.6),
    "Parkside": (3_500, 3.5),
    "Hillcrest": (3_900, 5.5),
    "Northgate": (2_700, 4.5),
    "Westfield": (2_500, 6.5),
    "Meadowbrook": (3_000, 9.0),
}


def make_house_prices(rng: np.random.Generator, n: int = 2500) -> pd.DataFrame:
    names = list(NEIGHBOURHOODS)
    neighbourhood = rng.choice(names, size=n, p=[0.10, 0.11, 0.13, 0.14, 0.12, 0.15, 0.14, 0.11])
    level = np.array([NEIGHBOURHOODS[x][0] for x in neighbourhood], dtype=float)
    typical_km = np.array([NEIGHBOURHOODS[x][1] for x in neighbourhood])
    distance = np.round(np.clip(typical_km * rng.lognormal(0, 0.3, size=n), 0.2, 25), 1)

    central = np.isin(neighbourhood, ["Old Town", "Station Quarter"])
    house_type = np.where(
        central,
        rng.choice(["apartment", "terraced", "semi-detached", "detached"], size=n, p=[0.6, 0.3, 0.08, 0.02]),
        rng.choice(["apartment", "terraced", "semi-detached", "detached"], size=n, p=[0.2, 0.35, 0.28, 0.17]),
    )
    base_area = pd.Series(house_type).map(
        {"apartment": 72, "terraced": 105, "semi-detached": 128, "detached": 165}
    ).to_numpy()
    area_m2 = np.round(base_area * rng.lognormal(0, 0.22, size=n)).astype(int)
    rooms = np.clip(np.round(area_m2 / 28 + rng.normal(0.5, 0.7, size=n)), 1, 10).astype(int)
    bathrooms = np.clip(np.round(area_m2 / 80 + rng.normal(0.2, 0.45, size=n)), 1, 4).astype(int)

    old_area = np.isin(neighbourhood, ["Old Town", "Station Quarter", "Riverside"])
    year_built = np.where(
        old_area,
        rng.integers(1880, 2020, size=n),
        np.clip(np.round(rng.normal(1985, 20, size=n)), 1930, 2023),
    ).astype(float)
    condition = rng.choice(["poor", "fair", "good", "excellent"], size=n, p=[0.08, 0.27, 0.45, 0.20])
    garage = rng.random(n) < np.where(house_type == "apartment", 0.15, np.where(central, 0.3, 0.62))
    garden = rng.random(n) < np.where(house_type == "apartment", 0.12, 0.85)
    newer = np.clip((year_built - 1900) / 125, 0, 1)
    energy_idx = np.clip(np.round(6 - 5 * newer + rng.normal(0, 1.0, size=n)), 0, 6).astype(int)
    energy_label = np.array(list("ABCDEFG"))[energy_idx]

    # A few real outliers: villas far above the rest of the market (priced below)...
    villas = rng.choice(np.flatnonzero(house_type == "detached"), size=6, replace=False)
    area_m2[villas] = rng.integers(380, 620, size=6)
    rooms[villas] = rng.integers(9, 13, size=6)
    bathrooms[villas] = rng.integers(4, 6, size=6)
    luxury = np.zeros(n)
    luxury[villas] = rng.uniform(0.25, 0.5, size=6)

    log_price = (
        np.log(level * area_m2)
        - 0.035 * distance
        + pd.Series(condition).map({"poor": -0.22, "fair": -0.08, "good": 0.0, "excellent": 0.10}).to_numpy()
        + 0.05 * garage
        + 0.04 * garden
        + 0.025 * (bathrooms - 1)
        - 0.025 * energy_idx
        + 0.08 * (house_type == "detached")
        + luxury
        + rng.normal(0, 0.11, size=n)
    )
    price = np.exp(log_price)

    # ...and a few typing mistakes where the area got an extra zero.
    typos = rng.choice(np.setdiff1d(np.arange(n), villas), size=4, replace=False)
    area_m2[typos] = area_m2[typos] * 10
    price = (np.round(price / 500) * 500).astype(int)

    # Missing values: the build year is unknown for some older listings, energy labels lapse.
    year_missing = rng.random(n) < np.where(year_built < 1950, 0.12, 0.03)
    year_built[year_missing] = np.nan
    energy_label = np.where(rng.random(n) < 0.07, None, energy_label)

    return pd.DataFrame({
        "neighbourhood": neighbourhood,
        "house_type": house_type,
        "area_m2": area_m2,
        "rooms": rooms,
        "bathrooms": bathrooms,
        "year_built": pd.array(year_built, dtype="Int64"),
        "condition": condition,
        "energy_label": energy_label,
        "garage": _yes_no(garage),
        "garden": _yes_no(garden),
        "distance_to_centre_km": distance,
        "price": price,
    })


# ---------------------------------------------------------------------------------------
# 5. monthly sales: a workbook with two sheets
# ---------------------------------------------------------------------------------------
STORES = [
    # name, city, size_m2, opened
    ("Riverside", "Eastbridge", 420, 2009), ("Market Square", "Eastbridge", 610, 1998),
    ("Station Road", "Eastbridge", 280, 2016), ("Hilltop", "Northam", 350, 2012),
    ("Harbour View", "Portwell", 540, 2005), ("Old Mill", "Portwell", 230, 2018),
    ("Kings Parade", "Kingsford", 720, 1995), ("Greenway", "Kingsford", 310, 2014),
    ("Oak Lane", "Northam", 260, 2019), ("Castle Street", "Castleton", 480, 2003),
    ("Bridge End", "Castleton", 330, 2011), ("Meadow Park", "Westby", 390, 2008),
    ("The Arcade", "Westby", 650, 2001), ("Bay Road", "Portwell", 290, 2017),
    ("Elm Court", "Northam", 240, 2020), ("High Street", "Kingsford", 560, 1999),
    ("Canal Walk", "Eastbridge", 300, 2015), ("Fairfield", "Westby", 450, 2006),
    ("Victoria Place", "Castleton", 380, 2010), ("Abbey Road", "Kingsford", 270, 2013),
    ("Seafront", "Portwell", 500, 2004), ("Orchard Way", "Westby", 220, 2019),
    ("Mill Lane", "Northam", 340, 2012), ("Queens Walk", "Castleton", 590, 2000),
    ("Park Gate", "Eastbridge", 410, 2007),
]


def make_monthly_sales(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    months = pd.date_range("2020-01-01", "2024-12-01", freq="MS")
    stores = pd.DataFrame(STORES, columns=["store", "city", "size_m2", "opened"])
    stores["parking"] = _yes_no(rng.random(len(stores)) < 0.55)
    stores["staff"] = np.round(stores["size_m2"] / 40 + rng.normal(0, 1.5, len(stores))).clip(4).astype(int)
    store_effect = rng.normal(0, 0.12, len(stores))
    # Two stores got a competitor next door during the period.
    competitor_from = {"Greenway": pd.Timestamp("2022-06-01"), "Seafront": pd.Timestamp("2023-03-01")}

    month_of_year = months.month.to_numpy()
    season = np.array([0.86, 0.84, 0.93, 0.97, 1.0, 1.03, 1.08, 1.06, 0.98, 1.0, 1.08, 1.32])
    holidays = np.array([1, 0, 0, 2, 2, 0, 0, 1, 0, 0, 0, 2])  # public holidays in the month
    mean_temp = np.array([3, 4, 7, 10, 14, 17, 19, 19, 16, 12, 7, 4])
    mean_rain = np.array([12, 10, 11, 9, 9, 8, 8, 9, 10, 12, 13, 13])

    rows = []
    for s, st in stores.iterrows():
        n_m = len(months)
        promotion = rng.random(n_m) < np.where(np.isin(month_of_year, [3, 6, 9, 11]), 0.55, 0.2)
        temp = np.round(mean_temp[month_of_year - 1] + rng.normal(0, 1.8, n_m), 1)
        rainy_days = np.clip(np.round(mean_rain[month_of_year - 1] + rng.normal(0, 3, n_m)), 0, 28).astype(int)
        marketing = np.round(rng.gamma(4, 150, n_m) * (1 + 1.5 * promotion), -1).astype(int)
        start = competitor_from.get(st["store"])
        competitor = (months >= start) if start is not None else np.zeros(n_m, dtype=bool)
        trend = 1 + 0.035 * (np.arange(n_m) / 12) - 0.06 * ((months >= "2020-04-01") & (months <= "2020-06-01"))
        units = (
            2.6 * st["size_m2"]
            * np.exp(store_effect[s])
            * season[month_of_year - 1]
            * trend
            * (1 + 0.22 * promotion)
            * (1 + 0.04 * holidays[month_of_year - 1])
            * (1 - 0.006 * (rainy_days - 10))
            * (1 + 0.00012 * marketing)
            * (1 - 0.18 * competitor)
            * rng.lognormal(0, 0.07, n_m)
        )
        rows.append(pd.DataFrame({
            "month": months,
            "store": st["store"],
            "promotion": _yes_no(promotion),
            "public_holidays": holidays[month_of_year - 1],
            "avg_temp_c": temp,
            "rainy_days": rainy_days,
            "marketing_spend": marketing,
            "competitor_nearby": _yes_no(competitor),
            "units_sold": np.round(units).astype(int),
        }))
    sales = pd.concat(rows, ignore_index=True).sort_values(["month", "store"], kind="stable")
    return sales.reset_index(drop=True), stores


# ---------------------------------------------------------------------------------------
# 6. fraud: a rare outcome
# ---------------------------------------------------------------------------------------
MERCHANTS = {
    # category: (share, typical amount, fraud tendency)
    "groceries": (0.27, 38, -0.8),
    "fuel": (0.12, 55, -0.3),
    "restaurants": (0.14, 32, -0.6),
    "clothing": (0.09, 70, 0.2),
    "pharmacy": (0.05, 22, -0.8),
    "online shopping": (0.14, 65, 0.8),
    "electronics": (0.06, 240, 1.2),
    "travel": (0.05, 320, 0.7),
    "entertainment": (0.05, 45, 0.1),
    "gift cards": (0.03, 80, 1.4),
}


def make_fraud(rng: np.random.Generator, n: int = 5000) -> pd.DataFrame:
    transaction_id = [f"TX{i:08d}" for i in 31_500_000 + np.cumsum(rng.integers(1, 40, size=n))]
    cats = list(MERCHANTS)
    category = rng.choice(cats, size=n, p=[MERCHANTS[c][0] for c in cats])
    typical = np.array([MERCHANTS[c][1] for c in category], dtype=float)
    tendency = np.array([MERCHANTS[c][2] for c in category])

    # Fraud is planted through a hidden "this card is compromised" score.
    compromised = rng.normal(0, 1, size=n)
    day_hours = rng.choice(np.arange(24), size=n, p=_hour_profile())
    night = rng.integers(0, 6, size=n)
    hour = np.where(rng.random(n) < 1 / (1 + np.exp(-(compromised - 2.2) * 1.5)), night, day_hours)

    amount = np.round(typical * rng.lognormal(0, 0.7, size=n) * np.exp(0.25 * np.maximum(compromised, 0)), 2)
    online = np.isin(category, ["online shopping", "gift cards", "travel", "electronics"]) & (rng.random(n) < 0.7)
    card_present = ~online & (rng.random(n) > 1 / (1 + np.exp(-(compromised - 2.0))) * 0.6)
    country_match = rng.random(n) > np.clip(0.03 + 0.25 / (1 + np.exp(-(compromised - 2.0) * 2)), 0, 1)
    distance_from_home_km = np.round(
        np.where(country_match, rng.gamma(1.2, 6, size=n), rng.gamma(3, 300, size=n))
        * np.exp(0.3 * np.maximum(compromised, 0)),
        1,
    )
    transactions_last_24h = rng.poisson(np.exp(0.9 + 0.3 * np.maximum(compromised, 0)))
    card_age_months = np.clip(np.round(rng.gamma(2.0, 22, size=n)), 1, 240).astype(int)
    day_of_week = rng.choice(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"], size=n,
                             p=[0.13, 0.13, 0.14, 0.14, 0.16, 0.17, 0.13])

    latent = (
        0.9 * compromised
        + 0.6 * tendency
        + 0.55 * np.log(amount / typical)
        + 1.0 * (hour < 6)
        + 1.1 * ~country_match
        + 0.6 * ~card_present
        + 0.10 * np.minimum(transactions_last_24h, 10)
        - 0.25 * np.log1p(card_age_months / 12)
    )
    fraud = _top_share(1.6 * latent, 0.03, rng)

    return pd.DataFrame({
        "transaction_id": transaction_id,
        "day_of_week": day_of_week,
        "hour": hour,
        "amount": amount,
        "merchant_category": category,
        "card_present": _yes_no(card_present),
        "country_match": _yes_no(country_match),
        "distance_from_home_km": distance_from_home_km,
        "transactions_last_24h": transactions_last_24h,
        "card_age_months": card_age_months,
        "fraud": _yes_no(fraud),
    })


def _hour_profile() -> np.ndarray:
    h = np.arange(24)
    w = 0.15 + np.exp(-((h - 12.5) ** 2) / 18) + 0.7 * np.exp(-((h - 18) ** 2) / 6)
    return w / w.sum()


# ---------------------------------------------------------------------------------------
def main(out_dir: Path | None = None) -> list[Path]:
    """Write every sample file into ``out_dir`` (default: this folder); return the paths."""
    out = Path(out_dir) if out_dir is not None else HERE
    out.mkdir(parents=True, exist_ok=True)
    written = []

    churn = make_churn(np.random.default_rng(SEEDS["churn"]))
    written.append(_write_csv(churn, out / "churn.csv"))
    customers = churn.assign(signup_date=pd.to_datetime(churn["signup_date"]))
    written.append(_write_xlsx({"Customers": customers}, out / "churn.xlsx"))

    written.append(_write_csv(make_loans(np.random.default_rng(SEEDS["loans"])), out / "loans.csv"))
    written.append(_write_csv(make_students(np.random.default_rng(SEEDS["students"])), out / "students.csv"))
    written.append(
        _write_csv(make_house_prices(np.random.default_rng(SEEDS["house_prices"])), out / "house_prices.csv")
    )
    sales, stores = make_monthly_sales(np.random.default_rng(SEEDS["monthly_sales"]))
    written.append(_write_xlsx({"Sales": sales, "Stores": stores}, out / "monthly_sales.xlsx"))
    written.append(_write_csv(make_fraud(np.random.default_rng(SEEDS["fraud"])), out / "fraud.csv"))
    return written


if __name__ == "__main__":
    for path in main():
        print(f"wrote {path.name}")
