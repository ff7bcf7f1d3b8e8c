"""Bias in the data: possibly sensitive columns, outcome gaps between groups, proxies.

- ``sensitive``: columns that describe who a person is, found by name (in English, German,
  French, Spanish, Italian, Dutch, Portuguese, Polish, and short forms such as ``marstat``,
  ``ethn``, ``relig``, ``natl``) and by values (M/F, male/female ...; Married/Divorced/Widowed
  ...; White/Black/Asian/Hispanic ...). A column named only an age ('age', 'AGE_years') is
  proposed by its name whatever its values (scaled, centred: odd values are an outliers finding,
  not a veto); a longer name ('customerAge') also needs numbers mostly in 0-110.
  FairTrial proposes them and they are in effect at once; the user removes what is not about people.
- ``group_gap``: the outcome rate per group with 95% Wilson intervals (binary targets: both
  answers; multiclass: every answer), group means relative to the target's spread (numbers).
  A rate gap counts by points (``group_gap_warning``) or by ratio: the lower rate below
  ``four_fifths_ratio`` of the higher one while the two groups' intervals do not overlap, so
  gaps in rare outcomes (9.7% against 6.4%) are not missed. Non-overlapping 95% intervals are
  stricter than a two-proportion test at p < 0.01 for groups of similar size, and they are the
  ranges the chart shows. Groups smaller than ``min_group_rows`` are left out and named; a
  points gap whose intervals overlap could be chance and is only something to know.
- ``proxy``: a column that alone predicts a sensitive column (one-column tree, out-of-fold
  AUC) or is strongly associated with it (bias-corrected Cramér's V).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .. import settings
from ..findings import Finding
from ._context import KEPT_ASIDE, SWITCHED_BACK_ON, CheckContext
from ._names import fold, has_phrase, tokens
from ._scoring import encode_column, make_goal, numbers_of, single_column_score
from ._stats import contingency, cramers_v, mean_interval, wilson_interval
from ..fairness_words import MISSING_GROUP
from ._words import chance_words, count, names, pct, plain, points, q, score_words, value_text

# category: (exact words, word starts, phrases)
_SENSITIVE_NAMES: dict[str, tuple[set[str], tuple[str, ...], list[tuple[str, ...]]]] = {
    "gender": ({"gender", "genders", "sex", "sexe", "sexo", "geschlecht", "genero", "genere", "sesso", "geslacht",
                "plec"}, ("gender",), []),
    "ethnicity": ({"race", "races", "racial", "ethnicity", "ethnic", "ethnie", "ethnicite", "etnia", "etnicidad",
                   "etnicita", "raza", "rasse", "ethnizitat", "afkomst", "ethn"}, ("ethnic", "etnic"),
                  [("skin", "colour"), ("skin", "color")]),
    "religion": ({"religion", "religious", "religiao", "religione", "religie", "konfession", "faith", "creed",
                  "relig"},
                 ("religio", "religi"), []),
    "age": ({"age", "ages", "alter", "edad", "leeftijd", "wiek", "idade", "lebensalter"}, ("agegroup", "ageband"),
            [("years", "old"), ("age", "group"), ("age", "band")]),
    "birth": ({"dob", "born", "birthday", "birthdate", "birthyear", "birthplace", "geboren", "yob"},
              ("birth", "geburt", "naissance", "nacimiento", "nascita", "nascimento", "geboorte"), []),
    "marital": ({"marital", "married", "marriage", "familienstand", "spouse", "widowed", "divorced", "marstat",
                 "marst", "maritl", "maried", "marrital", "mstatus", "marstatus"}, ("marital", "marrital"),
                [("civil", "status"), ("estado", "civil"), ("etat", "civil"), ("stato", "civile"),
                 ("situation", "familiale"), ("relationship", "status"), ("burgerlijke", "staat")]),
    "disability": (set(), ("disab", "handicap", "behinder", "discapacidad", "invalidit", "disabilit"), []),
    "pregnancy": (set(), ("pregnan", "schwanger", "enceinte", "grossesse", "embaraz", "maternity", "gravidanz",
                          "zwanger"), []),
    "nationality": ({"citizen", "citizenship", "immigrant", "immigration", "migrant", "expat", "nationality"},
                    ("nationalit", "staatsangehorig", "nacionalidad", "nazionalita", "nationaliteit", "immigra",
                     "migrationshintergrund", "herkunft"),
                    [("country", "of", "birth"), ("national", "origin"), ("place", "of", "birth"),
                     ("country", "of", "origin")]),
    "language": ({"language", "languages", "sprache", "muttersprache", "langue", "idioma", "lingua", "taal", "jezyk",
                  "lengua"}, (), [("mother", "tongue"), ("native", "language")]),
    "sexual_orientation": ({"sexuality"}, (), [("sexual", "orientation"), ("sexual", "preference")]),
    "political": ({"political", "politics"}, (), [("political", "party"), ("party", "affiliation")]),
}

# Short forms that name a trait only as the whole column name ('natl', not 'natl_income').
_WHOLE_NAMES = {"natl": "nationality"}

# Yes/no columns named after one group (econometric tables: 'female', 'afam', 'hisp', 'foreign'):
# the whole name and two yes/no values say the column marks who a person is.
_INDICATOR_NAMES = {
    **dict.fromkeys(("female", "male", "woman", "man"), "gender"),
    **dict.fromkeys(("black", "white", "afam", "africanamerican", "hisp", "hispanic", "latino", "asian",
                     "nonwhite", "minority", "caucasian"), "ethnicity"),
    **dict.fromkeys(("foreign", "foreigner", "immigrant", "migrant"), "nationality"),
}
_YES_NO = {"yes", "no", "y", "n", "0", "1", "0.0", "1.0", "true", "false"}

CATEGORY_WORDS = {
    "gender": "gender or sex", "ethnicity": "ethnic background", "religion": "religion", "age": "age",
    "birth": "date or place of birth", "marital": "marital status", "disability": "disability",
    "pregnancy": "pregnancy", "nationality": "nationality or origin", "language": "language",
    "sexual_orientation": "sexual orientation", "political": "political views",
}

_MALE = {"m", "male", "man", "men", "mann", "mannlich", "homme", "hombre", "masculino", "masculin", "maschio", "uomo",
         "boy", "mr", "h", "varon"}
_FEMALE = {"f", "female", "woman", "women", "frau", "weiblich", "femme", "mujer", "femenino", "feminin", "femmina",
           "donna", "girl", "mrs", "ms", "miss", "w", "vrouw"}
_OTHER_GENDER = {"x", "d", "other", "divers", "diverse", "non-binary", "nonbinary", "non binary", "nb", "unknown",
                 "prefer not to say", "o", "u", "autre", "otro", "altro", "anders"}
# Values that say marital status or ethnic background (folded, numbering like '2. ' removed).
# 'strong' values name the trait; the neutral ones ('other', 'unknown') only fill the rest.
_MARITAL_VALUES = {"married", "divorced", "widowed", "widow", "widower", "separated", "never married", "single",
                   "unmarried", "not married", "cohabiting", "civil partnership", "domestic partnership",
                   "registered partnership", "partnered", "married civ spouse", "married spouse absent",
                   "married af spouse", "verheiratet", "ledig", "geschieden", "verwitwet", "marie", "mariee",
                   "celibataire", "divorce", "divorcee", "veuf", "veuve", "casado", "casada", "soltero", "soltera",
                   "divorciado", "divorciada", "viudo", "viuda", "sposato", "sposata", "nubile", "celibe",
                   "divorziato", "vedovo", "vedova", "gehuwd", "ongehuwd", "gescheiden", "weduwe"}
_MARITAL_STRONG = {"married", "divorced", "widowed", "widow", "widower", "separated", "never married",
                   "unmarried", "not married", "married civ spouse", "married spouse absent", "verheiratet",
                   "geschieden", "verwitwet", "divorce", "divorcee", "casado", "casada", "divorciado", "divorciada",
                   "sposato", "sposata", "divorziato", "gehuwd", "gescheiden"}
_ETHNIC_VALUES = {"white", "black", "asian", "hispanic", "latino", "latina", "latinx", "caucasian", "cauc", "afam",
                  "african american", "black or african american", "afro american", "native american",
                  "american indian", "alaska native", "american indian or alaska native", "amer indian eskimo",
                  "pacific islander", "native hawaiian", "asian pac islander", "asian or pacific islander",
                  "hisp", "mixed", "multiracial", "two or more races", "mixed race", "biracial", "arab",
                  "middle eastern", "indigenous", "aboriginal", "maori", "roma", "white british", "white other",
                  "black african", "black caribbean", "south asian", "east asian", "chinese", "indian", "pakistani",
                  "bangladeshi", "non white", "nonwhite", "non hispanic white", "non hispanic black",
                  "hispanic or latino", "not hispanic or latino"}
# White/black alone also name chess sides and colours: one value beyond them must say ethnicity.
_ETHNIC_STRONG = _ETHNIC_VALUES - {"white", "black", "mixed", "indian", "chinese", "arab", "roma"}
_NEUTRAL_VALUES = {"other", "others", "unknown", "not known", "not stated", "prefer not to say", "missing", "na",
                   "n a", "none", "refused", "declined", "other race", "some other race", "autre", "andere", "otro"}
_NUMBERING = re.compile(r"^\s*\(?\d{1,2}[.):]?\s+")

# "age" next to one of these words is the age of a thing, not of a person: card_age_months, vehicle_age.
_THING_WORDS = {
    "card", "account", "vehicle", "car", "house", "home", "building", "property", "loan", "policy", "contract",
    "device", "battery", "product", "item", "equipment", "machine", "asset", "debt", "subscription", "membership",
    "tree", "plant", "wine", "stock", "inventory", "file", "data", "record", "page", "post", "ticket", "order",
    "invoice", "roof", "engine", "tyre", "tire", "company", "business", "firm", "store", "shop", "domain", "site",
}
# A column named only an age (with at most a unit): 'age', 'Age', 'AGE_years', 'age (yrs)', 'Alter'.
_AGE_UNITS = {"years", "year", "yrs", "yr", "y", "in", "jahre", "ans", "anos", "annees"}
_AGE_BANDS = [(0, 25, "under 25"), (25, 35, "25-34"), (35, 45, "35-44"), (45, 55, "45-54"), (55, 65, "55-64"),
              (65, np.inf, "65 and over")]
_EMPTY_GROUP = MISSING_GROUP  # the trial's group results name rows without a value the same way
_V_GREY = 0.5  # proxy: categories with Cramér's V below half the limit skip the one-column tree
_MAX_GROUPS = 20


# --------------------------------------------------------------------------------------
# Which columns are sensitive
# --------------------------------------------------------------------------------------
def name_category(column: str) -> str | None:
    words = tokens(column)
    joined = "".join(words)
    if joined in _WHOLE_NAMES:
        return _WHOLE_NAMES[joined]
    for category, (exact, starts, phrases) in _SENSITIVE_NAMES.items():
        if category == "age" and set(words) & _THING_WORDS:
            continue
        if any(w in exact for w in words) or joined in exact:
            return category
        if any(w.startswith(s) for w in words for s in starts):
            return category
        if any(has_phrase(words, p) for p in phrases):
            return category
    return None


def _indicator(column: str, counts: pd.Series) -> bool:
    """A yes/no column named after one group of people ('female', 'afam', 'foreign')."""
    if "".join(tokens(column)) not in _INDICATOR_NAMES or len(counts) != 2:
        return False
    return all(str(v).strip().lower() in _YES_NO for v in counts.index)


def plain_age_name(column: str) -> bool:
    """The name says age and nothing else but a unit ('age', 'AGE_years', 'Alter'): issue 10's
    "the name is enough", so odd values (scaled, centred, months) do not veto it."""
    words = tokens(column)
    exact = _SENSITIVE_NAMES["age"][0]
    return any(w in exact for w in words) and all(w in exact or w in _AGE_UNITS for w in words)


def _gender_values(counts: pd.Series) -> bool:
    """From a column's value counts: mostly M/F, male/female ... with both a male and a female value."""
    counts = counts[counts.index.notna()]
    if counts.empty or len(counts) > 10 or pd.api.types.is_numeric_dtype(counts.index):
        return False
    folded = pd.Series(counts.to_numpy(), index=[fold(str(v)).strip(" .") for v in counts.index])
    folded = folded.groupby(level=0).sum()
    known = set(folded.index) & (_MALE | _FEMALE | _OTHER_GENDER)
    share = folded[list(known)].sum() / folded.sum() if known else 0.0
    return share >= 0.95 and bool(known & _MALE) and bool(known & _FEMALE)


def _folded_value(value: object) -> str:
    """'2. Never-married' -> 'never married'."""
    text = _NUMBERING.sub("", fold(str(value)))
    return " ".join(re.split(r"[\s_\-/.,]+", text)).strip()


def _trait_values(counts: pd.Series) -> str | None:
    """'marital' or 'ethnicity' when a column's values say so: at least ``trait_values_share`` of
    the filled rows hold known values of the trait (or neutral ones such as 'other'), with at
    least two different trait values and one that only that trait uses ('divorced', 'asian')."""
    counts = counts[counts.index.notna()]
    if counts.empty or len(counts) > 15 or pd.api.types.is_numeric_dtype(counts.index) \
            or pd.api.types.is_bool_dtype(counts.index):
        return None
    folded = pd.Series(counts.to_numpy(), index=[_folded_value(v) for v in counts.index]).groupby(level=0).sum()
    total = float(folded.sum())
    share_needed = float(settings.get("trait_values_share"))
    for category, known, strong in (("marital", _MARITAL_VALUES, _MARITAL_STRONG),
                                    ("ethnicity", _ETHNIC_VALUES, _ETHNIC_STRONG)):
        hits = set(folded.index) & known
        if len(hits) < 2 or not hits & strong:
            continue
        covered = folded[list(hits | (set(folded.index) & _NEUTRAL_VALUES))].sum()
        if covered / total >= share_needed:
            return category
    return None


def _age_values(values: pd.Series) -> bool:
    """Numbers that read as a person's age in years: at least ``age_plausible_share`` of them in
    0-110. Decimals (0.92 years for an infant) and a few impossible values (a typo of 138) still
    count; a column of numbers mostly beyond a lifetime is not an age in years."""
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        return False
    x = values.to_numpy(dtype=float, na_value=np.nan)
    x = x[~np.isnan(x)]
    if not x.size:
        return False
    plausible = float(np.mean((x >= 0) & (x <= 110)))
    return plausible >= float(settings.get("age_plausible_share"))


def proposed_sensitive(ctx: CheckContext) -> dict[str, dict]:
    """Columns that look sensitive, with the category and how they were recognised."""

    def find() -> dict[str, dict]:
        out: dict[str, dict] = {}
        for column in ctx.columns:
            category = name_category(column)
            by_values = False
            if category == "age":
                values = ctx.frame[column]
                by_values = _age_values(values)
                if pd.api.types.is_numeric_dtype(values) and not by_values and not plain_age_name(column):
                    continue  # 'age_index' of numbers mostly beyond 0-110: not a person's age in years
            elif category in (None, "gender") and _gender_values(ctx.value_counts(column)):
                by_values = True
                category = "gender"
            elif category in (None, "marital", "ethnicity"):
                trait = _trait_values(ctx.value_counts(column))
                if trait is not None and category in (None, trait):
                    by_values, category = True, trait
            if category is None and _indicator(column, ctx.value_counts(column)):
                category, by_values = _INDICATOR_NAMES["".join(tokens(column))], True
            if category is None:
                continue
            by = "name and values" if by_values and (name_category(column) or _indicator(column, ctx.value_counts(
                column))) else ("values" if by_values else "name")
            out[column] = {"category": category, "found_by": by}
        return out

    return ctx.memo("proposed_sensitive", find)


def check_sensitive(ctx: CheckContext) -> list[Finding]:
    proposed = proposed_sensitive(ctx)
    out = []
    # No answer from the user: the proposed columns are in effect (run_checks sets them).
    by_checks = ctx.confirmed_sensitive is None or ctx.sensitive_chosen_by == "checks"
    confirmed = list(proposed) if ctx.confirmed_sensitive is None else ctx.confirmed_sensitive
    for column, info in proposed.items():
        if column in confirmed:
            continue
        words = CATEGORY_WORDS[info["category"]]
        how = {"name": "going by its name", "values": "going by its values",
               "name and values": "going by its name and values"}[info["found_by"]]
        out.append(Finding(
            check="sensitive", severity="info", columns=(column,), title="Possibly sensitive, not marked",
            message=(f"{q(column)} looks like it describes a person's {words} ({how}), but you did not mark it "
                     "as sensitive, so the model may use it."),
            suggestion=f"If {q(column)} is sensitive, mark it, and FairTrial will keep it out of the model.",
            details=plain(info),
        ))
    for column in confirmed:
        if column == ctx.target:
            continue
        info = proposed.get(column, {"category": "", "found_by": "you"})
        back_on = column in ctx.include
        if by_checks:
            how = {"name": "going by its name", "values": "going by its values",
                   "name and values": "going by its name and values"}[info["found_by"]]
            message = (f"{q(column)} looks like it describes a person's {CATEGORY_WORDS[info['category']]} ({how}). ")
        else:
            message = f"You marked {q(column)} as sensitive. "
        message += ("You switched it back on, so the model may use it; FairTrial still compares results between "
                    "its groups." if back_on else
                    "FairTrial keeps it out of the model and uses it only to compare results between its groups.")
        suggestion = "Switch it back on only if using it is lawful and fair for this decision."
        if by_checks:
            suggestion = (f"If {q(column)} is not about people, remove it from the columns about people (on the "
                          "Check page, or name the right ones with --sensitive); the model may then use it. "
                          + suggestion.replace("Switch", "Otherwise switch"))
        out.append(Finding(
            check="sensitive", severity="warning" if by_checks else "info", columns=(column,),
            title="Sensitive: kept for group checks",
            message=message,
            suggestion=suggestion,
            details=plain({**info, "confirmed": True, "chosen_by": ctx.sensitive_chosen_by,
                           "reason": ("it looks like it describes people: kept aside for group checks" if by_checks
                                      else "you marked it sensitive: kept aside for group checks")}),
            action=SWITCHED_BACK_ON if back_on else KEPT_ASIDE,
        ))
    return out


# --------------------------------------------------------------------------------------
# Groups
# --------------------------------------------------------------------------------------
def _num(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def group_codes(values: pd.Series, kind: str, category: str | None) -> tuple[np.ndarray, list[str]]:
    """Each row's group (codes) and the group names: age bands, quarters of numbers, or categories."""
    numbers = numbers_of(values, kind)
    n = len(values)
    if numbers is not None and kind == "date":
        numbers = np.floor(numbers / 365.25) + 1970  # years
    if numbers is not None and len(np.unique(numbers[~np.isnan(numbers)])) > 10:
        missing = np.isnan(numbers)
        codes = np.full(n, -1, dtype=np.int64)
        labels: list[str] = []
        filled = numbers[~missing]
        in_years = filled.size and np.max(filled) > 1 and float(np.mean((filled >= 0) & (filled <= 110))) >= float(
            settings.get("age_plausible_share"))  # an age in years, not scaled to -0.1 .. 0.1 or 0 .. 1
        if category == "age" and in_years:
            bands = [b for b in _AGE_BANDS if np.any((numbers >= b[0]) & (numbers < b[1]))]
            for i, (lo, hi, label) in enumerate(bands):
                codes[(numbers >= lo) & (numbers < hi)] = i
                labels.append(label)
        else:
            edges = np.unique(np.nanquantile(numbers, [0, 0.25, 0.5, 0.75, 1.0]))
            for i in range(len(edges) - 1):
                lo, hi = edges[i], edges[i + 1]
                last = i == len(edges) - 2
                mask = (numbers >= lo) & ((numbers <= hi) if last else (numbers < hi))
                codes[mask] = i
                labels.append(f"{_num(lo)} to {_num(hi)}")
        if missing.any():
            codes[missing] = len(labels)
            labels.append(_EMPTY_GROUP)
        return codes, labels
    raw, uniques = pd.factorize(values)
    counts = np.bincount(raw[raw >= 0], minlength=len(uniques))
    order = np.argsort(-counts, kind="stable")[:_MAX_GROUPS]
    lookup = np.full(len(uniques), len(order), dtype=np.int64)
    lookup[order] = np.arange(len(order))
    labels = [str(uniques[i]) for i in order]
    codes = np.where(raw >= 0, lookup[np.maximum(raw, 0)], -1)
    if len(uniques) > len(order):
        labels.append("other values")
    if (codes < 0).any():
        codes[codes < 0] = len(labels)
        labels.append(_EMPTY_GROUP)
    return codes.astype(np.int64), labels


def _group_table(ctx: CheckContext, column: str) -> tuple[np.ndarray, list[str]]:
    category = proposed_sensitive(ctx).get(column, {}).get("category")
    return ctx.memo(("groups", column), lambda: group_codes(ctx.frame[column], ctx.kind(column), category))


def _gap_for_rates(codes: np.ndarray, labels: list[str], hits: np.ndarray, min_rows: int, low_conf: int) -> dict:
    groups, small = [], []
    sizes = np.bincount(codes, minlength=len(labels))
    wins = np.bincount(codes, weights=hits.astype(float), minlength=len(labels))
    for i, label in enumerate(labels):
        n = int(sizes[i])
        if n == 0:
            continue
        if n < min_rows:
            small.append(label)
            continue
        low, high = wilson_interval(wins[i], n)
        groups.append({"group": label, "rows": n, "rate": wins[i] / n, "low": low, "high": high,
                       "low_confidence": n < low_conf})
    return {"groups": groups, "too_small": small}


def check_group_gap(ctx: CheckContext) -> list[Finding]:
    out = []
    min_rows = int(settings.get("min_group_rows"))
    low_conf = int(settings.get("low_confidence_group_rows"))
    skip = {c for c, f in ctx.excluded_by(("pii",)).items()}
    for column in ctx.group_columns():
        if column in skip or column not in ctx.frame.columns:
            continue
        codes, labels = _group_table(ctx, column)
        if ctx.task.task == "numeric":
            finding = _numeric_gap(ctx, column, codes, labels, min_rows, low_conf)
        else:
            finding = _class_gap(ctx, column, codes, labels, min_rows, low_conf)
        if finding is not None:
            out.append(finding)
    return out


def _too_few(ctx: CheckContext, column: str, table: dict, min_rows: int) -> Finding:
    return Finding(
        check="group_gap", severity="info", columns=(column, ctx.target), title="Groups too small to compare",
        message=(f"FairTrial could not compare {q(ctx.target)} between the groups of {q(column)}: fewer than two "
                 f"groups have at least {min_rows} rows."),
        suggestion="Collect more rows, or merge small groups, to check whether outcomes differ between groups.",
        details=plain({**table, "min_group_rows": min_rows}),
    )


def _judge_rates(hi: dict, lo: dict) -> dict:
    """How far apart two groups' rates are: by points, and by ratio when their Wilson intervals
    do not overlap (the same 'could be chance' rule the points gap uses)."""
    warn, crit = float(settings.get("group_gap_warning")), float(settings.get("group_gap_critical"))
    ratio_warn = float(settings.get("four_fifths_ratio"))
    ratio_crit = float(settings.get("group_ratio_critical"))
    gap = hi["rate"] - lo["rate"]
    ratio = lo["rate"] / hi["rate"] if hi["rate"] > 0 else 1.0
    separate = hi["low"] > lo["high"]
    by_points, by_ratio = gap > warn, separate and ratio < ratio_warn
    if not (by_points or by_ratio):
        severity = None
    elif not separate:
        severity = "info"
    else:
        severity = "critical" if (gap > crit or ratio < ratio_crit) else "warning"
    return {"gap": gap, "ratio": ratio, "chance": not separate, "severity": severity, "by_points": by_points,
            "by_ratio": by_ratio}


def _class_gap(ctx: CheckContext, column: str, codes: np.ndarray, labels: list[str], min_rows: int,
               low_conf: int) -> Finding | None:
    # Binary: both answers, because a gap small in points can be large as a ratio on the rarer one.
    if ctx.task.task == "binary":
        outcomes = [ctx.task.positive] + [c for c in ctx.classes if c != ctx.task.positive]
    else:
        outcomes = list(ctx.classes)
    rank = {None: 0, "info": 1, "warning": 2, "critical": 3}
    best = None
    for outcome in outcomes:
        hits = ctx.y_codes == ctx.classes.index(outcome)
        table = _gap_for_rates(codes, labels, hits, min_rows, low_conf)
        if len(table["groups"]) < 2:
            return _too_few(ctx, column, table, min_rows)
        hi = max(table["groups"], key=lambda g: g["rate"])
        lo = min(table["groups"], key=lambda g: g["rate"])
        judged = _judge_rates(hi, lo)
        key = (rank[judged["severity"]], round(judged["gap"], 9))  # ties: the first (positive) answer
        if best is None or key > best[0]:
            best = (key, outcome, table, hi, lo, judged)
    _, outcome, table, hi, lo, judged = best
    severity = judged["severity"]
    if severity is None:
        return None
    gap, ratio, chance = judged["gap"], judged["ratio"], judged["chance"]
    ratio_limit = float(settings.get("four_fifths_ratio"))
    which = "" if ctx.task.task == "binary" else " (the answer whose rate differs most)"
    message = (f"In the data itself, {q(ctx.target)} is {q(outcome)}{which} for {pct(hi['rate'])} of rows with "
               f"{q(column)} = {value_text(hi['group'])} ({count(hi['rows'])} rows) but for {pct(lo['rate'])} of rows "
               f"with {q(column)} = {value_text(lo['group'])} ({count(lo['rows'])} rows): a gap of {points(gap)}")
    if hi["rate"] > 0:
        message += f"; the lower rate is {ratio:.2f} times the higher one"
        if ratio < ratio_limit:
            message += (f", below the four-fifths line ({ratio_limit:.2f}) often used to screen for unequal "
                        "treatment")
    message += "."
    ranges = (f"95% ranges {pct(hi['low'])} to {pct(hi['high'])} and {pct(lo['low'])} to {pct(lo['high'])}")
    if chance:
        message += f" The groups are small ({ranges} overlap), so this gap could be chance."
    else:
        message += f" The {ranges} do not overlap, so this gap is unlikely to be chance."
    message += " A model trained on past outcomes learns and repeats gaps like this."
    if table["too_small"]:
        message += f" Groups with fewer than {min_rows} rows were not compared: {names(table['too_small'], 4)}."
    return Finding(
        check="group_gap", severity=severity, columns=(column, ctx.target), title="Outcome differs between groups",
        message=message,
        suggestion=("This gap is in your data, before any model. Ask whether past decisions were fair before "
                    "automating them, and compare each recipe's results per group after the trial."),
        details=plain({"outcome": outcome, "gap": gap, "rate_ratio": ratio, "highest": hi["group"],
                       "lowest": lo["group"], "could_be_chance": chance, "groups": table["groups"],
                       "too_small": table["too_small"], "min_group_rows": min_rows, "interval": "Wilson 95%",
                       "judged_by": [w for w, on in (("points", judged["by_points"]), ("ratio", judged["by_ratio"]))
                                     if on],
                       "ratio_limit": ratio_limit}),
    )


def _numeric_gap(ctx: CheckContext, column: str, codes: np.ndarray, labels: list[str], min_rows: int,
                 low_conf: int) -> Finding | None:
    y = ctx.y_numbers
    spread = float(np.std(y)) or 1.0
    groups, small = [], []
    for i, label in enumerate(labels):
        values = y[codes == i]
        if len(values) == 0:
            continue
        if len(values) < min_rows:
            small.append(label)
            continue
        low, high = mean_interval(values)
        groups.append({"group": label, "rows": int(len(values)), "mean": float(values.mean()), "low": low,
                       "high": high, "low_confidence": len(values) < low_conf})
    table = {"groups": groups, "too_small": small}
    if len(groups) < 2:
        return _too_few(ctx, column, table, min_rows)
    hi = max(groups, key=lambda g: g["mean"])
    lo = min(groups, key=lambda g: g["mean"])
    gap = (hi["mean"] - lo["mean"]) / spread
    warn, crit = float(settings.get("group_gap_std_warning")), float(settings.get("group_gap_std_critical"))
    if gap <= warn:
        return None
    chance = hi["low"] <= lo["high"]
    severity = "info" if chance else ("critical" if gap > crit else "warning")
    message = (f"In the data itself, the average {q(ctx.target)} is {_num(hi['mean'])} for rows with {q(column)} = "
               f"{value_text(hi['group'])} but {_num(lo['mean'])} for {value_text(lo['group'])}: a gap of {gap:.2f} "
               f"times the usual spread of {q(ctx.target)}. A model trained on this data learns and repeats it.")
    if chance:
        message += " The groups are small and their ranges overlap, so this gap could be chance."
    return Finding(
        check="group_gap", severity=severity, columns=(column, ctx.target), title="Outcome differs between groups",
        message=message,
        suggestion=("This gap is in your data, before any model. Ask whether it is fair before automating "
                    "decisions on it, and compare each recipe's errors per group after the trial."),
        details=plain({"gap_in_spreads": gap, "highest": hi["group"], "lowest": lo["group"], "could_be_chance": chance,
                       "groups": groups, "too_small": small, "target_spread": spread,
                       "min_group_rows": min_rows}),
    )


# --------------------------------------------------------------------------------------
# Proxies
# --------------------------------------------------------------------------------------
def check_proxy(ctx: CheckContext) -> list[Finding]:
    sensitive = [c for c in ctx.group_columns() if c in ctx.frame.columns]
    if not sensitive:
        return []
    auc_limit = float(settings.get("proxy_auc"))
    v_limit = float(settings.get("proxy_cramers_v"))
    folds = int(settings.get("check_folds"))
    depth = int(settings.get("leakage_tree_depth"))
    distinct_limit = int(settings.get("high_cardinality_distinct"))
    candidates = [c for c in ctx.model_columns() if c not in sensitive]
    out = []
    for s in sensitive:
        codes, labels = _group_table(ctx, s)
        keep = np.array([lab != _EMPTY_GROUP for lab in labels])
        valid = keep[codes]
        sizes = np.bincount(codes[valid], minlength=len(labels))
        usable = sizes >= folds
        valid &= usable[codes]
        if usable.sum() < 2:
            continue
        remap = np.cumsum(usable) - 1
        group_y = np.where(valid, remap[codes], -1)
        rows_valid = np.flatnonzero(valid)
        sample = ctx.sample_rows(int(settings.get("proxy_check_sample_rows")), codes=group_y[rows_valid],
                                 key=f"proxy:{s}")
        rows = rows_valid[sample]
        n_groups = int(usable.sum())
        goal = make_goal(group_y[rows], "binary" if n_groups == 2 else "multiclass", folds, ctx.seed)
        for c in candidates:
            values = ctx.frame[c]
            v = None
            n_unique = ctx.nunique(c)
            if 2 <= n_unique <= distinct_limit and not ctx.kind(c) == "number":
                x_codes, n_x = pd.factorize(values.iloc[rows_valid])[0], n_unique
                x_codes = np.where(x_codes < 0, n_x, x_codes)
                v = cramers_v(contingency(x_codes, group_y[rows_valid], n_x + 1, n_groups))
            auc = None
            if v is None or v >= _V_GREY * v_limit:
                # Categories far below the V limit are not proxies: the tree is only grown for
                # numbers, many-valued columns, and categories that come close.
                auc = single_column_score(encode_column(values.iloc[rows], ctx.kind(c)), goal, depth, ctx.seed)
            if (auc is None or auc < auc_limit) and (v is None or v < v_limit):
                continue
            parts = []
            if auc is not None:
                parts.append(f"{score_words('AUC', auc)}, where {chance_words('AUC')}")
            if v is not None and v >= v_limit:
                parts.append(f"Cramér's V {v:.2f}, where 0 means unrelated and 1 the same")
            how = "; ".join(parts)
            out.append(Finding(
                check="proxy", severity="warning", columns=(c, s), title="Stands in for a sensitive column",
                message=(f"{q(c)} gives away {q(s)}: on its own it tells the {q(s)} groups apart ({how}). So even "
                         f"with {q(s)} left out, a model can treat those groups differently through {q(c)}."),
                suggestion=(f"Consider switching {q(c)} off as well, and compare the results per {q(s)} group after "
                            f"the trial. Keep {q(c)} only if it matters for the outcome in its own right."),
                details=plain({"auc": auc, "cramers_v": v, "sensitive": s, "sampled_rows": int(len(rows)),
                               "rows": int(valid.sum()), "sampled": bool(len(rows) < valid.sum()),
                               "folds": len(goal.splits), "tree_depth": depth}),
            ))
    return out
