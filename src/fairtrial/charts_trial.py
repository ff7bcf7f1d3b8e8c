"""Charts of a trial's results: the result dict in, plotly figures out (no streamlit).

Every function takes the JSON shape of ``TrialResult.to_dict()`` (or a ``TrialResult``),
so stored trials can be drawn without their models.

- ``splits_chart``: A, B and the baseline on every re-split (paired: same rows per split).
- ``difference_chart``: B − A per re-split with the mean and its 95% range.
- ``calibration_chart``: reliability curves (predicted chance against what happened).
- ``confusion_chart``: right and wrong answers per class for one recipe, on the holdout.
- ``importance_chart``: what mattered most to each recipe (permutation importance).
- ``cost_chart``: training time, prediction time and model size side by side.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

__all__ = ["calibration_chart", "confusion_chart", "cost_chart", "difference_chart", "importance_chart",
           "splits_chart"]

_COLOURS = {"a": "#1f77b4", "b": "#ff7f0e", "baseline": "#9aa5b1"}
_GOOD, _BAD, _MUTED = "#2ca02c", "#d62728", "#9aa5b1"


def _as_dict(result: Any) -> dict:
    return result.to_dict() if hasattr(result, "to_dict") else result


def _label(d: dict, role: str) -> str:
    return str(d[role].get("label") or d[role].get("recipe") or role)


def _layout(fig: go.Figure, title: str, x_title: str = "", y_title: str = "") -> go.Figure:
    fig.update_layout(title=title, xaxis_title=x_title, yaxis_title=y_title, template="plotly_white",
                      margin=dict(l=60, r=20, t=60, b=60), legend=dict(orientation="h", y=-0.2))
    return fig


def _metric_words(d: dict) -> str:
    label = d.get("metric_label") or d.get("primary_metric", "score")
    return f"{label} ({'higher' if d.get('higher_is_better', True) else 'lower'} is better)"


def splits_chart(result: Any) -> go.Figure:
    """One point per re-split for each recipe: both recipes were tested on the same rows in each split."""
    d = _as_dict(result)
    fig = go.Figure()
    for role in ("baseline", "a", "b"):
        scores = d[role].get("fold_scores") or []
        fig.add_trace(go.Scatter(
            x=list(range(1, len(scores) + 1)), y=scores, mode="lines+markers", name=_label(d, role),
            line=dict(color=_COLOURS[role], dash="dot" if role == "baseline" else "solid"),
            hovertemplate="split %{x}: %{y:.4g}<extra>" + _label(d, role) + "</extra>"))
    fig.update_xaxes(dtick=1 if len(d["a"].get("fold_scores") or []) <= 30 else None)
    return _layout(fig, "Score on every re-split", "re-split", _metric_words(d))


def difference_chart(result: Any) -> go.Figure:
    """B − A on each re-split (bars), with the mean difference and its 95% range as lines."""
    d = _as_dict(result)
    a, b = d["a"].get("fold_scores") or [], d["b"].get("fold_scores") or []
    diffs = [None if x is None or y is None else y - x for x, y in zip(a, b)]
    higher = d.get("higher_is_better", True)
    colours = [_MUTED if v is None else (_GOOD if (v > 0) == higher and v != 0 else _BAD) for v in diffs]
    fig = go.Figure(go.Bar(x=list(range(1, len(diffs) + 1)), y=diffs, marker_color=colours,
                           name=f"{_label(d, 'b')} − {_label(d, 'a')}",
                           hovertemplate="split %{x}: %{y:.4g}<extra></extra>"))
    diff = d.get("difference") or {}
    for key, dash in (("mean", "solid"), ("ci_low", "dash"), ("ci_high", "dash")):
        if diff.get(key) is not None:
            fig.add_hline(y=diff[key], line_dash=dash, line_color="#444")
    fig.add_hline(y=0, line_color="#000", line_width=1)
    return _layout(fig, f"{_label(d, 'b')} minus {_label(d, 'a')} on each re-split (lines: mean and 95% range)",
                   "re-split", f"difference in {d.get('metric_label', 'score')}")


def calibration_chart(result: Any) -> go.Figure:
    """Reliability curves: the average predicted chance against the observed rate, per bin."""
    d = _as_dict(result)
    cal = d.get("calibration") or {}
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="honest chances",
                             line=dict(color="#7f7f7f", dash="dash"), hoverinfo="skip"))
    about = "predicted chance"
    for role in ("a", "b"):
        part = cal.get(role) or {}
        curve = part.get("curve") or {}
        if not curve.get("predicted"):
            continue
        about = part.get("about", about)
        fig.add_trace(go.Scatter(
            x=curve["predicted"], y=curve["observed"], mode="lines+markers", name=_label(d, role),
            line=dict(color=_COLOURS[role]), customdata=curve.get("rows"),
            hovertemplate="said %{x:.0%}, happened %{y:.0%} (%{customdata} rows)<extra></extra>"))
    fig.update_xaxes(range=[0, 1], tickformat=".0%")
    fig.update_yaxes(range=[0, 1], tickformat=".0%")
    return _layout(fig, "Are the predicted chances honest?", about, "how often it really happened")


def confusion_chart(result: Any, role: str) -> go.Figure | None:
    """Counts of true class (rows) against predicted class (columns) on the holdout; None for numbers."""
    d = _as_dict(result)
    conf = ((d.get("secondary") or {}).get(role) or {}).get("confusion")
    if not conf:
        return None
    labels = [str(x) for x in conf["labels"]]
    matrix = conf["matrix"]
    fig = go.Figure(go.Heatmap(
        z=matrix, x=labels, y=labels, colorscale="Blues", showscale=False,
        text=[[f"{v:,}" for v in row] for row in matrix], texttemplate="%{text}",
        hovertemplate="truly %{y}, said %{x}: %{z:,} rows<extra></extra>"))
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category")
    return _layout(fig, f"{_label(d, role)}: right and wrong answers on the rows kept aside", "it said", "truly")


def importance_chart(result: Any, top: int = 10) -> go.Figure:
    """What mattered most: the score drop when one column is shuffled, per recipe."""
    d = _as_dict(result)
    items = d.get("importance") or []
    fig = go.Figure()
    order: list[str] = []
    for item in items:
        if item["column"] not in order:
            order.append(item["column"])
    order = order[:top]
    for role in ("a", "b"):
        values = {i["column"]: i.get("importance") for i in items if i.get("arm") == role}
        if not values:
            continue
        fig.add_trace(go.Bar(
            y=order, x=[values.get(c) for c in order], name=_label(d, role), orientation="h",
            marker_color=_COLOURS[role], hovertemplate="%{y}: score drops by %{x:.3g}<extra></extra>"))
    fig.update_layout(barmode="group")
    fig.update_yaxes(autorange="reversed", type="category")
    return _layout(fig, "What mattered most (score drop when the column is shuffled)",
                   f"drop in {d.get('metric_label', 'score')}", "")


def cost_chart(result: Any) -> go.Figure:
    """Training seconds, prediction milliseconds per 1,000 rows and model size, for A and B."""
    d = _as_dict(result)
    cost = d.get("cost") or {}
    panels = (("fit_seconds", "seconds to train", 1.0), ("predict_ms_per_1000", "ms to predict 1,000 rows", 1.0),
              ("model_bytes", "model size (MB)", 1 / 1_000_000))
    fig = make_subplots(rows=1, cols=3, subplot_titles=[p[1] for p in panels])
    for col, (key, _title, scale) in enumerate(panels, start=1):
        for role in ("a", "b"):
            value = (cost.get(role) or {}).get(key)
            fig.add_trace(go.Bar(
                x=[_label(d, role)], y=[None if value is None else value * scale], marker_color=_COLOURS[role],
                name=_label(d, role), showlegend=col == 1, hovertemplate="%{x}: %{y:.3g}<extra></extra>"),
                row=1, col=col)
    fig.update_xaxes(showticklabels=False)
    return _layout(fig, "What each recipe costs (shorter is cheaper)")
