"""The sample datasets: rebuilt identically every time, and each trap is really planted.

These tests read the files the generator writes into a temporary folder (and check the
committed copies are the same bytes), then measure each planted property directly with
pandas and scikit-learn, so they do not depend on FairTrial's own checks being right.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler
from sklearn.tree import DecisionTreeClassifier

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "sample_data"
CSV_FILES = ["churn.csv", "loans.csv", "students.csv", "house_prices.csv", "fraud.csv"]
XLSX_FILES = ["churn.xlsx", "monthly_sales.xlsx"]


def _load_generator():
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLE_DIR / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("samples_a")
    _load_generator().main(out)
    return out


def _csv(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / name)


def _honest_auc(df: pd.DataFrame, target: str, positive: str, drop: list[str]) -> float:
    """Cross-validated ROC AUC of a plain logistic regression without the named columns."""
    y = (df[target] == positive).astype(int)
    X = df.drop(columns=[target, *drop])
    X = X.astype({c: object for c in X.columns if not pd.api.types.is_numeric_dtype(X[c])})
    features = ColumnTransformer([
        ("num", StandardScaler(), make_column_selector(dtype_include="number")),
        ("cat", OneHotEncoder(handle_unknown="ignore"), make_column_selector(dtype_exclude="number")),
    ])
    model = make_pipeline(features, LogisticRegression(max_iter=2000))
    cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    return float(cross_val_score(model, X, y, cv=cv, scoring="roc_auc").mean())


def _single_column_auc(x: pd.Series, y: pd.Series) -> float:
    """Out-of-fold AUC of a shallow tree on one column plus an 'is missing' flag."""
    if pd.api.types.is_numeric_dtype(x):
        values = x.to_numpy(dtype=float)
    else:
        values = OrdinalEncoder().fit_transform(x.astype(object).fillna("").to_frame()).ravel()
    X = np.column_stack([np.nan_to_num(values, nan=-1.0), x.isna().to_numpy()])
    tree = DecisionTreeClassifier(max_depth=4, min_samples_leaf=5, random_state=0)
    cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    return float(cross_val_score(tree, X, y, cv=cv, scoring="roc_auc").mean())


# --- rebuilding ---------------------------------------------------------------------------
def test_generator_is_deterministic(generated, tmp_path):
    _load_generator().main(tmp_path)
    for name in CSV_FILES + XLSX_FILES:
        assert (tmp_path / name).read_bytes() == (generated / name).read_bytes(), name


def test_committed_files_match_the_generator(generated):
    stale = [
        name for name in CSV_FILES + XLSX_FILES
        if not (SAMPLE_DIR / name).exists()
        or (SAMPLE_DIR / name).read_bytes() != (generated / name).read_bytes()
    ]
    assert not stale, f"sample files out of date: {stale}; run `make samples` and commit them"


def test_readme_names_every_file():
    readme = (SAMPLE_DIR / "README.md").read_text(encoding="utf-8")
    for name in CSV_FILES + XLSX_FILES:
        assert f"`{name}`" in readme, name
    assert "make samples" in readme and "python sample_data/make_samples.py" in readme


# --- churn: leakage through missingness, an ID, personal data ----------------------------------
def test_churn_rate_and_shape(generated):
    df = _csv(generated, "churn.csv")
    assert 1500 <= len(df) <= 5000
    assert set(df["churned"]) == {"yes", "no"}
    assert (df["churned"] == "yes").mean() == pytest.approx(0.15, abs=0.02)


def test_churn_cancellation_reason_is_filled_exactly_for_leavers(generated):
    df = _csv(generated, "churn.csv")
    assert (df["cancellation_reason"].isna() == (df["churned"] == "no")).all()
    y = (df["churned"] == "yes").astype(int)
    assert _single_column_auc(df["cancellation_reason"], y) == pytest.approx(1.0)


def test_churn_has_an_id_and_personal_data(generated):
    df = _csv(generated, "churn.csv")
    assert df["customer_id"].is_unique
    assert df["customer_id"].str.fullmatch(r"C\d{6}").all()
    assert df["email"].is_unique
    assert df["email"].str.fullmatch(r"[a-z]+\.[a-z]+\d+@example\.(com|org|net)").all()
    assert pd.to_datetime(df["signup_date"], format="%Y-%m-%d").notna().all()


def test_churn_is_learnable_but_not_trivially_without_the_leak(generated):
    df = _csv(generated, "churn.csv")
    auc = _honest_auc(df, "churned", "yes", ["cancellation_reason", "customer_id", "email", "signup_date"])
    assert 0.72 <= auc <= 0.88


# --- loans: outcome gap by a sensitive column, and a postcode that stands in for it ---------------
def _approval_rates(df: pd.DataFrame, column: str) -> pd.Series:
    return df.groupby(column)["approved"].apply(lambda s: (s == "yes").mean())


def test_loans_have_an_outcome_gap_by_ethnicity_and_a_smaller_one_by_gender(generated):
    df = _csv(generated, "loans.csv")
    assert 1500 <= len(df) <= 5000
    assert 0.55 <= (df["approved"] == "yes").mean() <= 0.65
    ethnic = _approval_rates(df, "ethnicity")
    gender = _approval_rates(df, "gender")
    assert set(gender.index) == {"male", "female"}
    assert ethnic.max() - ethnic.min() > 0.15
    assert 0.02 < gender.max() - gender.min() < ethnic.max() - ethnic.min()
    assert df["ethnicity"].value_counts(normalize=True).min() >= 0.15


def test_postcode_is_a_proxy_for_ethnicity_but_not_for_gender(generated):
    df = _csv(generated, "loans.csv")
    assert 20 <= df["postcode"].nunique() <= 50
    X = OrdinalEncoder().fit_transform(df[["postcode"]].astype(object))
    tree = DecisionTreeClassifier(min_samples_leaf=5, random_state=0)
    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    proba = cross_val_predict(tree, X, df["ethnicity"], cv=cv, method="predict_proba")
    groups = np.sort(df["ethnicity"].unique())
    for i, group in enumerate(groups):
        assert roc_auc_score(df["ethnicity"] == group, proba[:, i]) > 0.85, group
    female = (df["gender"] == "female").astype(int)
    assert cross_val_score(tree, X, female, cv=cv, scoring="roc_auc").mean() < 0.6


def test_loans_are_learnable(generated):
    df = _csv(generated, "loans.csv")
    assert _honest_auc(df, "approved", "yes", ["applicant_id", "ethnicity", "gender", "postcode"]) >= 0.78


# --- students: the clean one ---------------------------------------------------------------------
def test_students_are_clean(generated):
    df = _csv(generated, "students.csv")
    assert 300 <= len(df) <= 800
    assert set(df["passed"]) == {"pass", "fail"}
    assert (df["passed"] == "fail").mean() == pytest.approx(0.30, abs=0.05)
    assert df.isna().sum().sum() == 0
    assert df["student_no"].is_unique
    others = df.drop(columns="student_no")
    assert (others.nunique() / len(df)).max() < 0.5, "only student_no may look like an ID"
    text = others.select_dtypes(exclude="number").astype(str)
    assert not text.apply(lambda s: s.str.contains("@")).any().any(), "no personal data"
    y = (df["passed"] == "pass").astype(int)
    for column in others.columns.drop("passed"):
        assert _single_column_auc(others[column], y) < 0.85, f"{column} should not give the answer away"


def test_students_are_learnable(generated):
    df = _csv(generated, "students.csv")
    assert _honest_auc(df, "passed", "pass", ["student_no"]) >= 0.85


# --- house prices: a number, some gaps, a few outliers -------------------------------------------
def test_house_prices_have_numbers_gaps_and_outliers(generated):
    df = _csv(generated, "house_prices.csv")
    assert 1500 <= len(df) <= 5000
    assert pd.api.types.is_integer_dtype(df["price"]) and (df["price"] > 0).all()
    missing = df.isna().mean()
    gappy = missing[missing > 0]
    assert 1 <= len(gappy) <= 2 and gappy.between(0.03, 0.08).all(), gappy.to_dict()
    assert missing["price"] == 0
    area = df["area_m2"]
    assert 1 <= int((area > 5 * area.median()).sum()) <= 20
    assert 1 <= int((df["price"] > 6 * df["price"].median()).sum()) <= 20


# --- monthly sales: two sheets -------------------------------------------------------------------
def test_monthly_sales_workbook_has_two_sheets(generated):
    workbook = openpyxl.load_workbook(generated / "monthly_sales.xlsx", read_only=True)
    assert workbook.sheetnames == ["Sales", "Stores"]
    workbook.close()
    sheets = pd.read_excel(generated / "monthly_sales.xlsx", sheet_name=None, engine="openpyxl")
    sales, stores = sheets["Sales"], sheets["Stores"]
    assert len(sales) == 1500
    assert pd.api.types.is_datetime64_any_dtype(sales["month"])
    assert pd.api.types.is_integer_dtype(sales["units_sold"])
    assert set(sales["store"]) == set(stores["store"])
    assert len(stores) < 50


def test_churn_workbook_matches_the_csv(generated):
    workbook = openpyxl.load_workbook(generated / "churn.xlsx", read_only=True)
    assert workbook.sheetnames == ["Customers"]
    workbook.close()
    customers = pd.read_excel(generated / "churn.xlsx", engine="openpyxl")
    churn = _csv(generated, "churn.csv")
    assert list(customers.columns) == list(churn.columns)
    assert customers["customer_id"].tolist() == churn["customer_id"].tolist()
    assert customers["cancellation_reason"].isna().sum() == churn["cancellation_reason"].isna().sum()


# --- fraud: a rare outcome -----------------------------------------------------------------------
def test_fraud_is_rare_and_learnable(generated):
    df = _csv(generated, "fraud.csv")
    assert len(df) == 5000
    share = (df["fraud"] == "yes").mean()
    assert share == pytest.approx(0.03, abs=0.005)
    # Always saying "no" is right 97% of the time: the reason accuracy alone misleads.
    assert 1 - share > 0.96
    assert _honest_auc(df, "fraud", "yes", ["transaction_id"]) >= 0.8


@pytest.mark.parametrize("name", CSV_FILES)
def test_csv_files_are_plain_utf8_with_a_header(generated, name):
    raw = (generated / name).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    header = raw.split(b"\n", 1)[0].decode("utf-8")
    assert re.fullmatch(r"[a-z0-9_,]+", header), header
