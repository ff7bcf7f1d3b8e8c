"""Charts of the data checks: pure data in, plotly figures out (no streamlit).

- ``class_balance_chart``: how many rows each answer has (imbalance, rare answers).
- ``group_rates_chart``: the outcome rate (or average) per group of a sensitive column,
  with 95% Wilson intervals as error bars (``group_gap`` findings).
- ``column_target_chart``: how the target behaves across one column's values, e.g. the
  'yes' rate when a field is empty against when it is filled (leakage findings).
- ``chart_for_finding``: the right chart for a finding, or None.

Charts of trial results live in ``charts_groups`` and ``charts_drift``.
"""

from __future__ import annotations

from typing import Any, Mapping

import pandas as pd
import plotly.graph_objects as go

from .findings import Finding

__all__ = ["chart_for_finding", "class_balance_chart", "column_target_chart", "group_rates_chart"]

_BAR = "#1f77b4"
_HIGHLIGHT = "#d62728"
_MUTED = "#9aa5b1"
_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")


def _layout(fig: go.Figure, title: str, x_title: str, y_title: str, *, share: bool = False) -> go.Figure:
    fig.update_layout(
        title=title, xaxis_title=x_title, yaxis_title=y_title, template="plotly_white",
        margin=dict(l=60, r=20, t=60, b=60), showlegend=len(fig.data) > 1,
    )
    if share:
        fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    return fig


def class_balance_chart(counts: Mapping[str, int], *, target: str, highlight: str | None = None) -> go.Figure:
    """A bar per answer with its number of rows and share; ``highlight`` marks one answer (the rarest)."""
    labels = [str(k) for k in counts]
    values = [int(v) for v in counts.values()]
    total = sum(values) or 1
    if highlight is None and values:
        highlight = labels[values.index(min(values))]
    colours = [_HIGHLIGHT if label == highlight else _BAR for label in labels]
    fig = go.Figure(go.Bar(
        x=labels, y=values, marker_color=colours,
        text=[f"{v:,} ({v / total:.0%})" for v in values], textposition="outside",
        hovertemplate="%{x}: %{y:,} rows<extra></extra>",
    ))
    fig.update_xaxes(type="category")
    return _layout(fig, f"How many rows have each answer in '{target}'", f"'{target}'", "rows")


def group_rates_chart(groups: list[Mapping[str, Any]], *, column: str, target: str,
                      outcome: str | None = None) -> go.Figure:
    """The outcome rate (or the average, for numbers) per group with its 95% interval.

    ``groups`` is ``details["groups"]`` of a ``group_gap`` finding: dicts with ``group``,
    ``rows``, ``rate`` (or ``mean``), ``low`` and ``high``.
    """
    labels = [str(g["group"]) for g in groups]
    numeric = bool(groups) and "rate" not in groups[0]
    values = [float(g["mean"] if numeric else g["rate"]) for g in groups]
    low = [max(0.0, v - float(g["low"])) for v, g in zip(values, groups)]
    high = [max(0.0, float(g["high"]) - v) for v, g in zip(values, groups)]
    colours = [_MUTED if g.get("low_confidence") else _BAR for g in groups]
    fig = go.Figure(go.Bar(
        x=labels, y=values, marker_color=colours,
        error_y=dict(type="data", symmetric=False, array=high, arrayminus=low, thickness=1.5, width=6),
        customdata=[[int(g["rows"]), float(g["low"]), float(g["high"])] for g in groups],
        hovertemplate=("%{x}: %{y:,.3g} (95% range %{customdata[1]:,.3g} to %{customdata[2]:,.3g}; "
                       "%{customdata[0]:,} rows)<extra></extra>"),
    ))
    fig.update_xaxes(type="category")
    if numeric:
        title = f"Average '{target}' by '{column}'"
        return _layout(fig, title, f"'{column}'", f"average '{target}'")
    what = f"'{target}' = '{outcome}'" if outcome is not None else f"the outcome of '{target}'"
    fig = _layout(fig, f"Share of rows with {what}, by '{column}'", f"'{column}'", "share of rows", share=True)
    fig.add_annotation(text="Thin lines: where the true share likely lies (95% interval). Grey bars: under 100 rows.",
                       xref="paper", yref="paper", x=0, y=-0.22, showarrow=False, font=dict(size=11))
    return fig


def column_target_chart(table: list[Mapping[str, Any]], *, column: str, target: str,
                        outcome: str | None = None) -> go.Figure:
    """How the target behaves across one column: ``table`` from ``checks.column_vs_target``.

    Classes: the share of ``outcome`` per bucket (all answers stacked when ``outcome`` is None
    and there are more than two); numbers: the average target per bucket.
    """
    buckets = [str(row["bucket"]) for row in table]
    sizes = [int(row["rows"]) for row in table]
    colours = [_HIGHLIGHT if b == "(empty)" else _BAR for b in buckets]
    if table and "mean" in table[0]:
        fig = go.Figure(go.Bar(x=buckets, y=[float(r["mean"]) for r in table], marker_color=colours,
                               customdata=sizes, hovertemplate="%{x}: %{y:,.4g} (%{customdata:,} rows)<extra></extra>"))
        fig.update_xaxes(type="category")
        return _layout(fig, f"Average '{target}' by '{column}'", f"'{column}'", f"average '{target}'")
    classes = list(table[0]["shares"]) if table else []
    if outcome is None and len(classes) == 2:
        outcome = classes[-1]
    if outcome is not None:
        fig = go.Figure(go.Bar(x=buckets, y=[float(r["shares"].get(outcome, 0.0)) for r in table],
                               marker_color=colours, customdata=sizes,
                               hovertemplate="%{x}: %{y:.0%} (%{customdata:,} rows)<extra></extra>"))
        title = f"Share of rows with '{target}' = '{outcome}', by '{column}'"
    else:
        fig = go.Figure([
            go.Bar(x=buckets, y=[float(r["shares"].get(c, 0.0)) for r in table], name=str(c),
                   marker_color=_PALETTE[i % len(_PALETTE)],
                   hovertemplate="%{x}: %{y:.0%}<extra>" + str(c) + "</extra>")
            for i, c in enumerate(classes)
        ])
        fig.update_layout(barmode="stack")
        title = f"Answers in '{target}', by '{column}'"
    fig.update_xaxes(type="category")
    return _layout(fig, title, f"'{column}'", "share of rows", share=True)


def chart_for_finding(finding: Finding, frame: pd.DataFrame | None = None, *, target: str | None = None,
                      kinds: Mapping[str, str] | None = None) -> go.Figure | None:
    """The chart that goes with a finding, or None. Column charts need the ``frame`` and ``target``."""
    details = finding.details or {}
    if finding.check in ("imbalance", "rare_class", "task") and details.get("class_counts"):
        return class_balance_chart(details["class_counts"], target=finding.columns[0],
                                   highlight=details.get("rarest_class"))
    if finding.check == "group_gap" and details.get("groups"):
        return group_rates_chart(details["groups"], column=finding.columns[0], target=finding.columns[1],
                                 outcome=details.get("outcome"))
    if frame is None:
        return None
    from .checks import column_vs_target
    from .task import detect_task

    if finding.check in ("leakage", "missingness_leakage", "target_copy", "id_like") and target is not None \
            and len(finding.columns) == 1:
        column = finding.columns[0]
        table = column_vs_target(frame, column, target, kind=(kinds or {}).get(column),
                                 show_values=finding.check != "id_like")
        positive = detect_task(frame[target].dropna(), target).positive
        return column_target_chart(table, column=column, target=target, outcome=positive)
    if finding.check == "proxy" and len(finding.columns) == 2:
        column, sensitive = finding.columns
        table = column_vs_target(frame, column, sensitive, kind=(kinds or {}).get(column))
        return column_target_chart(table, column=column, target=sensitive)
    return None
