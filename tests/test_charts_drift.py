"""Drift charts: pure plotly figures from a DriftReport (or its JSON) and two columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from fairtrial.charts_drift import SEVERITY_COLOURS, distribution_chart, drift_chart, shifted_columns
from fairtrial.drift import check_drift


def _report():
    rng = np.random.default_rng(0)
    ref = pd.DataFrame({"spend": rng.normal(50, 10, 3_000), "visits": rng.poisson(4, 3_000),
                        "channel": rng.choice(["shop", "web"], 3_000)})
    new = pd.DataFrame({"spend": rng.normal(65, 10, 3_000), "visits": rng.poisson(4, 3_000),
                        "channel": rng.choice(["shop", "web", "phone"], 3_000, p=[0.4, 0.4, 0.2])})
    return ref, new, check_drift(ref, new, kinds={"spend": "number", "visits": "number", "channel": "category"})


def test_drift_chart_draws_a_bar_per_column_with_the_limits():
    _, _, report = _report()
    for source in (report, report.to_dict(), report.columns):
        fig = drift_chart(source)
        assert isinstance(fig, go.Figure)
        bar = fig.data[0]
        assert list(bar.y)[-1] == "spend"  # biggest shift on top
        assert list(bar.marker.color)[-1] == SEVERITY_COLOURS["critical"]
        assert sorted(round(s.x0, 2) for s in fig.layout.shapes) == [0.10, 0.25]
    assert shifted_columns(report)[0] == "spend"


def test_distribution_chart_shows_shares_for_numbers_and_categories():
    ref, new, _ = _report()
    fig = distribution_chart(ref["spend"], new["spend"], column="spend")
    assert [t.name.split(" (")[0] for t in fig.data] == ["Old rows", "New rows"]
    assert all(abs(sum(t.y) - 1.0) < 1e-9 for t in fig.data)
    cat = distribution_chart(ref["channel"], new["channel"], column="channel", kind="category")
    assert list(cat.data[1].x)[-1] == "phone" and cat.data[0].y[2] == 0.0
    many = distribution_chart(pd.Series([f"v{i}" for i in range(100)]), pd.Series(["v1"] * 10), max_categories=5)
    assert len(many.data[0].x) == 5 and many.data[0].x[-1].startswith("other (")


def _labels(fig) -> list[str]:
    return [a.text for a in fig.layout.annotations if a.text]


def test_the_limit_lines_are_labelled_apart_and_with_one_label_when_a_big_shift_squeezes_them_together():
    _, _, report = _report()
    small = [{**c, "psi": min(c["psi"], 0.3)} for c in report.to_dict()["columns"]]
    assert _labels(drift_chart(small)) == ["worth a look (0.10)", "big shift (0.25)"]
    big = [{**c, "psi": 5.7 if c["column"] == "spend" else c["psi"]} for c in report.to_dict()["columns"]]
    assert _labels(drift_chart(big)) == ["lines: worth a look (0.10), big shift (0.25)"]
