"""Personal data in the private store (issue 14): e-mails, names, phone numbers ... are stored
scrambled unless the user keeps them; the checks, trials, drift and predictions still work."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from fairtrial.load import load_file
from fairtrial.recipes import Recipe
from fairtrial.store import Store
from fairtrial.workflow import check_dataset, plan_from_checks, run_compare, score_new_data

CHURN = Path(__file__).resolve().parents[2] / "sample_data" / "churn.csv"


def _stored_emails(store: Store, dataset_id: int) -> list[str]:
    with store.connect() as con:
        table = con.execute("SELECT content_table FROM datasets WHERE id = ?", [dataset_id]).fetchone()[0]
        return [r[0] for r in con.execute(f'SELECT email FROM "{table}"').fetchall()]


def test_an_email_column_is_stored_scrambled_by_default():
    store = Store()
    ds = load_file(CHURN)
    stored, reused = store.save_dataset(ds)
    emails = _stored_emails(store, stored.dataset_id)
    assert not reused and len(emails) == ds.n_rows
    assert not any("@" in e for e in emails)  # no address in the database file
    assert all(e.startswith("p_") and len(e) == 18 for e in emails)
    assert stored.read_options["personal_scrambled"] == {"email": "email"}
    assert stored.sha256 == ds.sha256  # still the hash of the uploaded content
    assert not stored.frame["email"].str.contains("@").any()
    back = store.get_dataset(stored.dataset_id)
    assert back.read_options["personal_scrambled"] == {"email": "email"}
    assert back.frame["customer_id"].equals(ds.frame["customer_id"])  # other columns untouched


def test_keep_personal_stores_the_values_as_they_are():
    store = Store()
    ds = load_file(CHURN)
    stored, _ = store.save_dataset(ds, keep_personal=True)
    assert _stored_emails(store, stored.dataset_id) == ds.frame["email"].tolist()
    assert "personal_scrambled" not in store.get_dataset(stored.dataset_id).read_options


def test_the_same_file_stored_twice_is_one_dataset_in_its_stored_form():
    store = Store()
    first, _ = store.save_dataset(load_file(CHURN))
    again, reused = store.save_dataset(load_file(CHURN))
    assert reused and again.dataset_id == first.dataset_id and len(store.list_datasets()) == 1
    assert again.frame["email"].equals(first.frame["email"])  # scrambled the same way, same key
    assert again.read_options["personal_scrambled"] == {"email": "email"}


def test_equal_values_stay_equal_and_empty_cells_stay_empty(tmp_path):
    rng = pd.Series(range(300)) % 40
    frame = pd.DataFrame({"email": [f"person{i}@example.com" for i in rng], "amount": range(300),
                          "bought": ["yes" if i % 3 else "no" for i in range(300)]})
    frame.loc[[5, 17], "email"] = None
    path = tmp_path / "people.csv"
    frame.to_csv(path, index=False)
    stored, _ = Store().save_dataset(load_file(path))
    original = load_file(path).frame["email"]
    scrambled = stored.frame["email"]
    assert scrambled.isna().tolist() == original.isna().tolist()
    assert scrambled.nunique() == original.nunique() == 40
    assert (scrambled.groupby(original).nunique() == 1).all()  # each address maps to one scrambled value


def test_the_checks_on_the_stored_copy_still_leave_the_column_out_as_personal_data():
    store = Store()
    stored, _ = store.save_dataset(load_file(CHURN))
    report, _ = check_dataset(store, store.get_dataset(stored.dataset_id), "churned")
    pii = [f for f in report.findings if f.check == "pii" and f.columns == ("email",)]
    assert len(pii) == 1 and pii[0].action == "excluded"
    assert pii[0].message.startswith("'email' holds e-mail addresses. FairTrial stored it scrambled")
    assert "@" not in pii[0].message


def test_a_trial_drift_and_predictions_on_new_rows_work_with_the_scrambled_copy():
    store = Store()
    ds = load_file(CHURN)
    stored, _ = store.save_dataset(ds)
    report, _ = check_dataset(store, stored, "churned")
    plan = plan_from_checks("churned", report, recipe_a=Recipe.parse("simple"), recipe_b=Recipe.parse("tree"),
                            folds=3, repeats=1)
    trial_id, data, _ = run_compare(store, stored, plan)
    assert "email" not in data["b"]["columns"]
    model_id = next(m["model_id"] for m in store.list_models() if m["trial_id"] == trial_id)
    new_rows = type(ds)(name="new", frame=ds.frame.head(400).drop(columns=["churned"]), kinds=ds.kinds,
                        sha256="new")
    table, drift = score_new_data(store, model_id, new_rows)
    assert len(table) == 400 and table["email"].str.contains("@").all()  # the user's file comes back as it was
    assert "email" not in drift.drifted_columns


def test_drift_compares_a_repeating_personal_column_with_new_rows_scrambled_the_same_way(tmp_path):
    import numpy as np

    rng = np.random.default_rng(4)
    n = 600
    frame = pd.DataFrame({"first_name": rng.choice(["Ana", "Ben", "Chloe", "Dev", "Ema", "Femi"], n),
                          "hours": rng.normal(10, 3, n).round(1), "visits": rng.integers(0, 9, n)})
    frame["passed"] = np.where(frame["hours"] + rng.normal(0, 2, n) > 10, "pass", "fail")
    path = tmp_path / "class.csv"
    frame.to_csv(path, index=False)
    store = Store()
    ds = load_file(path)
    stored, _ = store.save_dataset(ds)
    assert stored.read_options["personal_scrambled"] == {"first_name": "person_name"}
    assert stored.kinds["first_name"] == "category"
    report, _ = check_dataset(store, stored, "passed")
    plan = plan_from_checks("passed", report, recipe_a=Recipe.parse("simple"), recipe_b=Recipe.parse("tree"),
                            folds=3, repeats=1)
    trial_id, _, _ = run_compare(store, stored, plan)
    model_id = next(m["model_id"] for m in store.list_models() if m["trial_id"] == trial_id)
    new_rows = type(ds)(name="new", frame=ds.frame.drop(columns=["passed"]), kinds=ds.kinds, sha256="new")
    table, drift = score_new_data(store, model_id, new_rows)
    assert drift.column("first_name").method != "skipped"  # compared, as categories
    assert "first_name" not in drift.drifted_columns  # the same names, scrambled with the same key
    assert table["first_name"].tolist() == ds.frame["first_name"].tolist()


def test_the_checks_do_not_scan_again_the_columns_the_store_found_no_personal_data_in(monkeypatch):
    """Storing a table scans every column for personal data; the checks of the same rows then
    scan only what the store did not clear (about 0.15 s saved on 100,000 rows), with the same
    findings as a fresh scan. Another seed or threshold, or rows left out for an empty target,
    and every column is scanned again."""
    from fairtrial.checks import personal

    store = Store()
    stored, _ = store.save_dataset(load_file(CHURN))
    scanned = stored.read_options["personal_scanned"]
    assert "email" not in scanned["clean"] and "tenure_months" in scanned["clean"]
    assert store.get_dataset(stored.dataset_id).read_options["personal_scanned"] == scanned  # kept with the data

    fresh, _ = check_dataset(None, load_file(CHURN), "churned")
    calls: list[str] = []
    real = personal.scan_column

    def counted(values, column, seed):
        calls.append(column)
        return real(values, column, seed)

    monkeypatch.setattr(personal, "scan_column", counted)
    report, _ = check_dataset(store, stored, "churned")
    assert not set(calls) & set(scanned["clean"])
    pii = [(f.columns, f.title) for f in report.findings if f.check == "pii"]
    assert pii == [(f.columns, f.title) for f in fresh.findings if f.check == "pii"] and pii

    calls.clear()
    monkeypatch.setenv("FAIRTRIAL_PII_SHARE", "0.6")  # another threshold: the store's answer may not hold
    check_dataset(store, stored, "churned")
    assert set(scanned["clean"]) - {"churned"} <= set(calls)
