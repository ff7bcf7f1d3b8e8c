"""Charts of the check findings (fairtrial.charts): pure data in, plotly figures out."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from fairtrial.charts import chart_for_finding, class_balance_chart, column_target_chart, group_rates_chart
from fairtrial.checks import column_vs_target

from .frames import TARGET, base, fake_emails, found, run, with_group_gap, with_id, with_missingness_leak, with_proxy


def test_class_balance_chart_marks_the_rarest_answer():
    fig = class_balance_chart({"no": 850, "yes": 150}, target="churned")
    assert isinstance(fig, go.Figure)
    (bar,) = fig.data
    assert list(bar.x) == ["no", "yes"] and list(bar.y) == [850, 150]
    assert bar.marker.color[1] != bar.marker.color[0]
    assert list(bar.text) == ["850 (85%)", "150 (15%)"]
    assert "'churned'" in fig.layout.title.text


def test_group_rates_chart_has_wilson_error_bars():
    (finding,) = found(run(with_group_gap(base(), 0.3)), "group_gap")
    fig = chart_for_finding(finding)
    (bar,) = fig.data
    groups = finding.details["groups"]
    assert list(bar.x) == [g["group"] for g in groups]
    for g, up, down in zip(groups, bar.error_y.array, bar.error_y.arrayminus):
        assert g["rate"] + up == pytest.approx(g["high"]) and g["rate"] - down == pytest.approx(g["low"])
    assert fig.layout.title.text == "Share of rows with 'bought' = 'yes', by 'gender'"
    assert fig.layout.yaxis.tickformat == ".0%"


def test_group_rates_chart_for_averages():
    groups = [{"group": "a", "rows": 50, "mean": 10.0, "low": 9.0, "high": 11.0},
              {"group": "b", "rows": 80, "mean": 12.0, "low": 11.5, "high": 12.5}]
    fig = group_rates_chart(groups, column="region", target="price")
    assert fig.layout.title.text == "Average 'price' by 'region'"


def test_the_leaky_column_chart_shows_the_rate_when_empty_and_when_filled():
    frame = with_missingness_leak(base())
    (finding,) = found(run(frame), "missingness_leakage")
    fig = chart_for_finding(finding, frame, target=TARGET)
    (bar,) = fig.data
    rates = dict(zip(bar.x, bar.y))
    assert rates["(empty)"] == 0.0 and all(v == 1.0 for k, v in rates.items() if k != "(empty)")
    assert "'cancel_note'" in fig.layout.title.text


def test_column_vs_target_for_numbers_and_ids_shows_no_values():
    frame = with_id(base(), ordered_by_outcome=True)
    table = column_vs_target(frame, "customer_id", TARGET, kind="id")
    assert len(table) == 10 and all("sorted order" in row["bucket"] for row in table)
    assert table[0]["shares"]["yes"] == 1.0 and table[-1]["shares"]["yes"] == 0.0
    spend = column_vs_target(frame, "spend", TARGET)
    assert sum(row["rows"] for row in spend) == len(frame)
    fig = column_target_chart(spend, column="spend", target=TARGET, outcome="yes")
    assert len(fig.data[0].x) == len(spend)


def test_personal_data_gets_no_chart_and_ids_show_no_values():
    frame = with_id(base()).assign(email=fake_emails(600))
    report = run(frame)
    assert chart_for_finding(found(report, "pii")[0], frame, target=TARGET) is None
    fig = chart_for_finding(found(report, "id_like")[0], frame, target=TARGET)
    text = fig.to_json()
    assert "C100" not in text and "secret" not in text


def test_proxy_chart_shows_the_sensitive_groups_across_the_column():
    frame = with_proxy(base())
    (finding,) = found(run(frame), "proxy")
    fig = chart_for_finding(finding, frame)
    assert "'district'" in fig.layout.title.text and "'ethnicity'" in fig.layout.title.text
