"""The sample datasets that ship with FairTrial, and what each one teaches."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import settings


@dataclass(frozen=True)
class Sample:
    file: str
    title: str
    target: str
    teaches: str
    sheet: str | None = None

    @property
    def path(self) -> Path:
        return settings.samples_dir() / self.file


SAMPLES: tuple[Sample, ...] = (
    Sample("churn.csv", "Customer churn (shop)", "churned",
           "Which customers leave? Has an ID column, e-mail addresses and a column filled only for customers who "
           "already left: a classic leak."),
    Sample("loans.csv", "Loan approvals (bank)", "approved",
           "Who gets a loan? Approval rates differ between groups, and the postcode gives the group away even when "
           "the group column is left out."),
    Sample("students.csv", "Student pass/fail (classroom)", "passed",
           "Who passes the course? A clean, small dataset to show how a fair trial works."),
    Sample("house_prices.csv", "House prices (numbers)", "price",
           "Predict a number: the price of a house. Has some missing values and a few unusual houses."),
    Sample("fraud.csv", "Card fraud (rare events)", "fraud",
           "Only about 3 in 100 payments are fraud: why 'accuracy' misleads and what to use instead."),
    Sample("monthly_sales.xlsx", "Monthly sales (Excel, two sheets)", "units_sold",
           "An Excel workbook with two sheets: pick the 'Sales' sheet and predict units sold.", sheet="Sales"),
)


def available_samples() -> list[Sample]:
    """The samples whose files are present."""
    return [s for s in SAMPLES if s.path.exists()]


def sample_by_file(file: str) -> Sample:
    for s in SAMPLES:
        if s.file == file:
            return s
    raise KeyError(file)
