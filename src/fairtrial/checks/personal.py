"""Personal data (PII): e-mail addresses, phone, card and bank numbers, national IDs, names.

Values are matched on a sample of each column's filled cells and only counted: no value is
ever written into a finding, a log or an error. A column is flagged when at least
``pii_share`` of its checked values match one pattern family, or when its name says it holds
people's names, addresses or identity numbers.
"""

from __future__ import annotations

import pandas as pd

from .. import settings
from ..findings import Finding
from ._context import EXCLUDED, CheckContext
from ._names import has_phrase, tokens
from ._words import count, pct, plain, q

_SAMPLE = 2000
_SCREEN = 200

_EMAIL = r"[A-Za-z0-9._%+'\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
_PHONE = r"\+?[\d\s().\-/]{9,24}"
_CARD = r"\d[\d \-]{11,22}\d"
_IBAN = r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}"
_SSN = r"(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}"
_NINO = r"[A-CEGHJ-PR-TW-Z]{2}\d{6}[A-D]"
_DNI = r"[XYZ]?\d{7,8}[A-Z]"
_CODICE_FISCALE = r"[A-Z]{6}\d{2}[A-EHLMPRST]\d{2}[A-Z]\d{3}[A-Z]"
# One word of a name: letters, with inner apostrophes, hyphens or dots ("O'Neil", "Dyer-Edwards", "J.").
_NAME_WORD = r"[^\W\d_]+(?:['\-.][^\W\d_]*)*"
_NAME_PART = rf"(?:{_NAME_WORD}|\([^()]*\)?|\"[^\"]*\"?)"  # also "(maiden name)" and "nickname", maybe cut off
_PERSON_NAME = rf"{_NAME_WORD}(?:,?\s+{_NAME_PART}){{0,5}}"  # 'Owen Harris Braund' or 'Braund, Owen Harris'
# Names with a title: 'Braund, Mr. Owen Harris' (any title) or 'Dr Jane Smith' (titles that cannot
# start an ordinary phrase; 'Master' and 'Major' only in the first form).
_TITLES_AFTER_COMMA = ("Mr|Mrs|Miss|Master|Ms|Mx|Dr|Rev|Prof|Sir|Lady|Dame|Mme|Mlle|Madame|Don|Dona|Col|Capt|Major|"
                       "Jonkheer|Countess|Herr|Frau|Sr|Sra|Srta|Fr")
_TITLES_FIRST = "Mr|Mrs|Miss|Ms|Mx|Dr|Rev|Prof|Mme|Mlle|Herr|Frau|Sra|Srta"
_TITLED_NAME = (rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}},\s*(?:the\s+)?(?:{_TITLES_AFTER_COMMA})\.?(?:\s+{_NAME_PART})+"
                rf"|(?:{_TITLES_FIRST})\.?\s+{_NAME_WORD}(?:\s+{_NAME_PART}){{0,4}}")

_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"

WHAT = {
    "email": "e-mail addresses",
    "phone": "phone numbers",
    "card": "payment card numbers (they pass the card-number checksum)",
    "iban": "bank account numbers (IBANs with a valid checksum)",
    "national_id": "national ID numbers",
    "person_name": "people's names",
    "address": "postal addresses",
    "identity_number": "identity numbers",
}

_NAME_PHRASES = [
    ("first", "name"), ("last", "name"), ("full", "name"), ("given", "name"), ("family", "name"),
    ("middle", "name"), ("maiden", "name"), ("customer", "name"), ("client", "name"), ("contact", "name"),
    ("person", "name"), ("patient", "name"), ("student", "name"), ("employee", "name"), ("applicant", "name"),
    ("user", "name"), ("account", "holder"), ("card", "holder"),
]
_NAME_WORDS = {
    "firstname", "lastname", "surname", "surnames", "fullname", "forename", "forenames", "givenname", "familyname",
    "middlename", "username", "vorname", "nachname", "familienname", "prenom", "apellido", "apellidos",
    "cognome", "voornaam", "achternaam", "cardholder", "accountholder",
}
_ADDRESS_WORDS = {"address", "street", "adresse", "anschrift", "strasse", "direccion", "indirizzo", "adres"}
_IDENTITY_PHRASES = [("national", "id"), ("national", "insurance"), ("social", "security"), ("tax", "id"),
                     ("passport",), ("ssn",), ("nino",), ("personalausweis",), ("steuer", "id"), ("dni",), ("nif",),
                     ("codice", "fiscale"), ("bsn",), ("id", "card"), ("id", "number")]


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _iban_ok(text: str) -> bool:
    if not 2 <= int(text[2:4]) <= 98:
        return False
    moved = text[4:] + text[:4]
    number = "".join(str(int(ch, 36)) for ch in moved)
    return int(number) % 97 == 1


def _dni_ok(text: str) -> bool:
    body = text[:-1]
    if body[0] in "XYZ":
        body = str("XYZ".index(body[0])) + body[1:]
    return _DNI_LETTERS[int(body) % 23] == text[-1]


def value_kinds(values: pd.Series) -> pd.Series:
    """For each text value, which personal-data pattern it matches ('' for none). Values are never kept."""
    text = values.astype(str).str.strip()
    out = pd.Series("", index=text.index, dtype=object)
    upper = text.str.upper().str.replace(r"[\s\-]", "", regex=True)

    def mark(kind: str, mask: pd.Series) -> None:
        free = out == ""
        out[free & mask.fillna(False).astype(bool)] = kind

    mark("email", text.str.fullmatch(_EMAIL))
    digits = text.str.replace(r"[\s\-]", "", regex=True)
    card_shape = text.str.fullmatch(_CARD) & digits.str.len().between(13, 19) & digits.str.fullmatch(r"\d+")
    if card_shape.any():
        card_shape[card_shape] = digits[card_shape].map(_luhn_ok)
    mark("card", card_shape)
    iban_shape = upper.str.fullmatch(_IBAN)
    if iban_shape.any():
        iban_shape[iban_shape] = upper[iban_shape].map(_iban_ok)
    mark("iban", iban_shape)
    national = text.str.fullmatch(_SSN) | upper.str.fullmatch(_NINO) | upper.str.fullmatch(_CODICE_FISCALE)
    dni_shape = upper.str.fullmatch(_DNI)
    if dni_shape.any():
        dni_shape[dni_shape] = upper[dni_shape].map(_dni_ok)
    mark("national_id", national | dni_shape)
    phone_digits = text.str.count(r"\d")
    phone = (text.str.fullmatch(_PHONE) & phone_digits.between(9, 15)
             & (text.str.startswith("+") | text.str.startswith("00") | text.str.startswith("0")
                | text.str.contains(r"[\s().\-/]", regex=True)))
    mark("phone", phone)
    mark("person_name", text.str.fullmatch(_TITLED_NAME))
    return out


def _kinds_of(values: pd.Series) -> pd.Series:
    """``value_kinds`` of each value, matched once per distinct value (categories repeat a lot)."""
    codes, uniques = pd.factorize(values)
    if len(uniques) == len(values):
        return value_kinds(values)
    per_value = value_kinds(pd.Series(uniques, dtype=object)).to_numpy(dtype=object)
    return pd.Series(per_value[codes], index=values.index)


def name_kind(column: str) -> str | None:
    """'person_name', 'address' or 'identity_number' when the column's name says so."""
    words = tokens(column)
    joined = "".join(words)
    if (any(w in _NAME_WORDS for w in words) or joined in _NAME_WORDS
            or any(has_phrase(words, p) for p in _NAME_PHRASES)):
        return "person_name"
    if any(w in _ADDRESS_WORDS for w in words) and not {"ip", "mac", "web"} & set(words):
        return "address"
    if any(has_phrase(words, p) for p in _IDENTITY_PHRASES):
        return "identity_number"
    return None


def _looks_like_people(values: pd.Series) -> bool:
    """Values of a column called just 'name': mostly one to four words of letters, mostly different."""
    text = values.astype(str).str.strip()
    words = float(text.str.fullmatch(_PERSON_NAME).mean())
    return words >= 0.8 and text.nunique() >= 0.3 * len(text)


def scan_column(values: pd.Series, column: str, seed: int) -> dict | None:
    """What personal data a column holds, as counts and shares only (or None)."""
    threshold = float(settings.get("pii_share"))
    by_name = name_kind(column)
    filled = values.dropna()
    is_words = not (pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)
                    or pd.api.types.is_datetime64_any_dtype(values))
    if filled.empty:
        return None
    if len(filled) > _SAMPLE:
        filled = filled.sample(n=_SAMPLE, random_state=seed)
    if pd.api.types.is_integer_dtype(values):
        # Card numbers stored as numbers: 13-19 digits passing the Luhn check.
        text = filled.astype("int64").astype(str)
        long = text.str.len().between(13, 19)
        if not long.any():
            return None
        share = float(long.mean() * text[long].map(_luhn_ok).mean())
        if share < threshold:
            return None
        return {"kind": "card", "share": share, "shares": {"card": share}, "checked_values": int(len(text)),
                "by_name": False}
    if not is_words:
        return None
    if by_name is None and len(filled) > _SCREEN:
        # Most columns hold no personal data: a first look at a few values settles them.
        first = _kinds_of(filled.iloc[:_SCREEN])
        if float((first != "").mean()) < threshold / 3:
            if tokens(column) not in (["name"], ["names"], ["nom"], ["name", "surname"]):
                return None
    kinds = _kinds_of(filled)
    shares = {k: float((kinds == k).mean()) for k in ("email", "phone", "card", "iban", "national_id", "person_name")}
    best = max(shares, key=lambda k: shares[k])
    total = float((kinds != "").mean())
    if total >= threshold:
        return {"kind": best, "share": total, "shares": {k: v for k, v in shares.items() if v > 0},
                "checked_values": int(len(filled)), "by_name": False}
    if by_name is None and tokens(column) in (["name"], ["names"], ["nom"], ["name", "surname"]):
        if _looks_like_people(filled):
            by_name = "person_name"
    if by_name is not None:
        return {"kind": by_name, "share": None, "shares": {k: v for k, v in shares.items() if v > 0},
                "checked_values": int(len(filled)), "by_name": True}
    return None


HIDDEN = "(hidden: personal data)"


def personal_data_columns(frame: pd.DataFrame, seed: int | None = None) -> list[str]:
    """The columns ``scan_column`` flags as personal data, in the frame's order (samples, so cheap)."""
    seed = int(settings.get("seed")) if seed is None else seed
    return [str(c) for c in frame.columns if scan_column(frame[c], str(c), seed) is not None]


def hide_personal(frame: pd.DataFrame, columns) -> pd.DataFrame:
    """A copy of ``frame`` for display with every filled cell of ``columns`` replaced by ``HIDDEN``
    (empty cells stay empty), so a preview never shows what the checks call personal data."""
    hidden = [c for c in frame.columns if str(c) in {str(x) for x in columns}]
    if not hidden:
        return frame
    out = frame.copy()
    for column in hidden:
        filled = out[column].notna().to_numpy()
        out[column] = pd.Series(pd.array([HIDDEN if f else None for f in filled], dtype=object), index=out.index)
    return out


def check_pii(ctx: CheckContext) -> list[Finding]:
    out = []
    for column in ctx.candidates():
        scrambled = column in ctx.scrambled
        if scrambled:  # stored scrambled: the values no longer look like personal data, the metadata says it
            found = {"kind": ctx.scrambled[column], "share": 1.0, "checked_values": int(ctx.frame[column].notna().sum()),
                     "by_name": False, "stored_scrambled": True}
        elif column in ctx.personal_clean:  # scanned when stored: nothing found
            found = None
        else:
            found = scan_column(ctx.frame[column], column, ctx.seed)
        if found is None:
            continue
        what = WHAT.get(found["kind"], "personal data")
        if scrambled:
            seen = (f"{q(column)} holds {what}. FairTrial stored it scrambled when the table was saved: equal values "
                    "stay equal, but the original values are not kept.")
        elif found["by_name"]:
            seen = f"{q(column)} looks like it holds {what}, going by its name."
        else:
            seen = (f"{q(column)} holds {what}: {pct(found['share'])} of the {count(found['checked_values'])} filled "
                    "values FairTrial checked look like personal data.")
        filled = int(ctx.frame[column].notna().sum())
        distinct = ctx.nunique(column)
        # Nearly one value per row: the column names each row, like an ID (issue 10: a person-name column is
        # personal data and an ID-like label). Counts only; the values are never shown.
        label = filled > 0 and distinct / filled >= float(settings.get("id_unique_share"))
        if label:
            seen += (f" {'Every' if distinct == filled else 'Nearly every'} row has its own value ({count(distinct)} different values on {count(filled)} "
                     "filled rows), so it is also a label for the row, like an ID: it names the record rather than "
                     "describing it.")
        out.append(Finding(
            check="pii", severity="warning", columns=(column,), title="Personal data",
            message=(seen + " Personal data identifies people; it should not be used to predict, and a model that "
                     "learns it will not carry over to new people. FairTrial left it out and never shows its values."),
            suggestion=("Keep it out, and remove it from files you share. If you switch it back on, FairTrial still "
                        "never shows its values."),
            details=plain({**found, "distinct_values": distinct, "filled_rows": filled, "label_for_the_row": label,
                           "reason": f"holds {what} (personal data)" + (", a label for the row" if label else "")}),
            action=EXCLUDED,
        ))
    return out
