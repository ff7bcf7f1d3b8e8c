"""Personal data: found by pattern (with checksums) or by name, counted, never shown."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from fairtrial.checks.personal import HIDDEN, hide_personal, name_kind, personal_data_columns, value_kinds

from .frames import base, fake_cards, fake_emails, fake_ibans, fake_phones, fake_ssns, found, run

PLANTED = {
    "email": (fake_emails, "e-mail addresses"),
    "phone": (fake_phones, "phone numbers"),
    "card": (fake_cards, "payment card numbers"),
    "iban": (fake_ibans, "bank account numbers"),
    "national_id": (fake_ssns, "national ID numbers"),
}


@pytest.mark.parametrize("kind", list(PLANTED))
def test_personal_data_is_found_excluded_and_never_shown(kind):
    make, words = PLANTED[kind]
    frame = base()
    values = make(len(frame))
    frame["contact"] = values
    report = run(frame)
    (finding,) = found(report, "pii")
    assert finding.severity == "warning" and finding.action == "excluded" and finding.columns == ("contact",)
    assert finding.details["kind"] == kind
    assert f"'contact' holds {words}" in finding.message and "100% of the 600 filled values" in finding.message
    assert "contact" in report.excluded_columns
    text = json.dumps(report.to_dict())
    assert not any(v in text for v in values[:50])
    assert not any(v.replace(" ", "") in text for v in values[:50])


def test_a_share_below_thirty_percent_is_not_flagged():
    frame = base()
    values = np.array([f"note {i}" for i in range(len(frame))], dtype=object)
    values[:120] = fake_emails(120)  # 20%
    frame["contact"] = values
    assert not found(run(frame), "pii")


def test_checksums_tell_card_and_bank_numbers_from_random_digits():
    rng = np.random.default_rng(0)
    random_16 = pd.Series([" ".join(f"{rng.integers(0, 10**16):016d}"[j:j + 4] for j in range(0, 16, 4))
                           for _ in range(400)])
    share_cards = (value_kinds(random_16) == "card").mean()
    assert 0.05 < share_cards < 0.15  # a random number passes the Luhn check one time in ten
    bad_ibans = pd.Series([iban[:2] + "00" + iban[4:] for iban in fake_ibans(50)])
    assert (value_kinds(bad_ibans) == "iban").sum() == 0


def test_ordinary_values_are_not_personal_data():
    values = pd.Series(["2024-01-05", "12.50", "C100234", "1,234,567", "basic", "SW1A 1AA", "10:30", "100000"])
    assert (value_kinds(values) == "").all()


@pytest.mark.parametrize("column, kind", [
    ("first_name", "person_name"), ("Surname", "person_name"), ("full_name", "person_name"),
    ("customerName", "person_name"), ("Vorname", "person_name"), ("apellidos", "person_name"),
    ("street_address", "address"), ("passport_no", "identity_number"), ("national_id", "identity_number"),
    ("plan", None), ("postcode", None), ("ip_address", None), ("name_length", None),
])
def test_name_like_columns(column, kind):
    assert name_kind(column) == kind


def test_a_name_column_is_flagged_by_its_name():
    rng = np.random.default_rng(1)
    frame = base().assign(last_name=rng.choice(["Smith", "Jones", "Okafor", "Nguyen"], size=600))
    (finding,) = found(run(frame), "pii")
    assert finding.details["by_name"] and "people's names, going by its name" in finding.message
    assert "Smith" not in json.dumps(finding.to_dict())


def test_card_numbers_stored_as_numbers():
    frame = base().assign(card=[int(c.replace(" ", "")) for c in fake_cards(600)])
    (finding,) = found(run(frame), "pii")
    assert finding.details["kind"] == "card"


def _titled_names(n: int, seed: int = 2) -> list[str]:
    """'Braund, Mr. Owen Harris'-style names, as in passenger lists."""
    rng = np.random.default_rng(seed)
    surnames = ["Braund", "Cumings", "Heikkinen", "Futrelle", "Allen", "Moran", "McCarthy", "Palsson", "O'Neil",
                "Johnson", "Nasser", "Sandstrom", "Bonnell", "Saundercock", "Andersson", "Vestrom"]
    titles = ["Mr.", "Mrs.", "Miss.", "Master.", "Dr.", "Rev."]
    given = ["Owen", "Harris", "John", "Bradley", "Laina", "Jacques", "Heath", "William", "Henry", "Elisabeth",
             "Walton", "Gosta", "Leonard", "Marguerite", "Anna", "Hulda"]
    return [f"{rng.choice(surnames)}, {rng.choice(titles)} {' '.join(rng.choice(given, size=rng.integers(1, 4)))}"
            + (f" ({rng.choice(given)} {rng.choice(surnames)})" if i % 5 == 0 else "") for i in range(n)]


@pytest.mark.parametrize("column", ["name", "rownames", "passenger"])
def test_names_with_titles_are_personal_data_left_out_and_never_shown(column):
    names = _titled_names(600)
    report = run(base().assign(**{column: names}))
    (finding,) = found(report, "pii")
    assert finding.columns == (column,) and finding.action == "excluded" and finding.severity == "warning"
    assert finding.details["kind"] == "person_name"
    assert "people's names" in finding.message and "never shows its values" in finding.message
    assert column in report.excluded_columns
    text = json.dumps(report.to_dict())
    assert not any(v in text for v in names) and "Braund" not in text and "Owen" not in text


def test_a_name_column_written_surname_first_without_titles():
    rng = np.random.default_rng(3)
    surnames = ["Smith", "Jones", "Okafor", "Nguyen", "Garcia", "Kowalski", "Rossi", "Dubois", "Novak", "Silva"]
    given = ["Ann", "Bo", "Cy", "Di", "Eve", "Finn", "Gus", "Hal", "Ida", "Jo", "Kim", "Lee", "May", "Ray"]
    names = [f"{rng.choice(surnames)}, {rng.choice(given)} {rng.choice(given)}" for _ in range(600)]
    (finding,) = found(run(base().assign(name=names)), "pii")
    assert finding.details["kind"] == "person_name" and finding.details["by_name"]


def test_phrases_that_start_like_titles_are_not_names():
    values = pd.Series(["Major injury", "Master bedroom", "Minor injury", "Don't know", "Miss", "Dr"])
    assert (value_kinds(values) == "").all()


def test_previews_hide_the_values_of_personal_data_columns():
    frame = base(n=60).assign(email=fake_emails(60), name=_titled_names(60))
    frame.loc[3, "email"] = None
    columns = personal_data_columns(frame)
    assert columns == ["email", "name"]
    shown = hide_personal(frame.head(20), columns)
    assert (shown["email"].drop(index=3) == HIDDEN).all() and pd.isna(shown.loc[3, "email"])
    assert (shown["name"] == HIDDEN).all()
    assert shown[["spend", "plan", "bought"]].equals(frame.head(20)[["spend", "plan", "bought"]])
    assert frame.loc[0, "email"] != HIDDEN  # the data itself is untouched
    text = shown.to_csv()
    assert not any(v in text for v in fake_emails(60) + _titled_names(60) if v)


def test_a_name_on_every_row_is_also_called_a_label_for_the_row():
    # issue 10: a person-name column is personal data and an ID-like label (Titanic's passenger names)
    names = list(dict.fromkeys(_titled_names(3000)))[:600]
    assert len(set(names)) == 600
    (finding,) = found(run(base().assign(name=names)), "pii")
    assert finding.details["label_for_the_row"] is True and finding.details["distinct_values"] == 600
    assert ("Every row has its own value (600 different values on 600 filled rows), so it is also a label "
            "for the row, like an ID") in finding.message
    assert finding.details["reason"] == "holds people's names (personal data), a label for the row"
    repeated = [names[i // 4] for i in range(600)]  # the same 150 people on four rows each
    (finding,) = found(run(base().assign(name=repeated)), "pii")
    assert finding.details["label_for_the_row"] is False and "label for the row" not in finding.message
