"""Charts of drift: pure data in, plotly figures out (shared by the app and reports).

- ``drift_chart``: one bar per compared column, its stability index (PSI), coloured by what
  FairTrial concluded, with the warning and "big shift" lines from ``settings``.
- ``distribution_chart``: the old rows against the new rows for one column, as shares of
  rows, so files of different sizes compare fairly (numbers: shared bins; categories: the
  most common values, the rest pooled as "other").

These charts show the user's own values back to the user; they never go into logs.
"""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from . import settings

__all__ = ["SEVERITY_COLOURS", "distribution_chart", "drift_chart", "shifted_columns"]

SEVERITY_COLOURS = {"ok": "#4c9a6a", "warning": "#e0a100", "critical": "#c0392b"}
SIDE_COLOURS = {"old": "#1f77b4", "new": "#ff7f0e"}
CLOSE_LINES = 0.12  # lines nearer than this share of the axis get one label (a layout choice, not a threshold)


def _rows(columns: Any) -> list[dict[str, Any]]:
    """Accept a ``DriftReport``, its ``to_dict()``, or a list of ``ColumnDrift`` / dicts."""
    if hasattr(columns, "columns") and not isinstance(columns, (list, tuple, dict)):
        columns = columns.columns
    elif isinstance(columns, dict):
        columns = columns.get("columns", [])
    return [c.to_dict() if hasattr(c, "to_dict") else dict(c) for c in columns]


def drift_chart(columns: Any, *, title: str = "How much each column has shifted") -> go.Figure:
    """Horizontal bars of PSI per compared column, biggest shift on top, with the limits drawn in."""
    warn, crit = float(settings.get("psi_warning")), float(settings.get("psi_critical"))
    rows = [r for r in _rows(columns) if r.get("method") != "skipped" and r.get("psi") is not None]
    rows.sort(key=lambda r: r["psi"])  # plotly draws the first bar at the bottom
    names = [r["column"] + (" (predicted)" if r.get("role") == "target" else "") for r in rows]
    values = [r["psi"] for r in rows]
    fig = go.Figure(go.Bar(
        x=values, y=names, orientation="h",
        marker_color=[SEVERITY_COLOURS.get(r.get("severity", "ok"), SEVERITY_COLOURS["ok"]) for r in rows],
        text=[f"{v:.2f}" for v in values], textposition="outside",
        hovertext=[r.get("text", "") for r in rows], hoverinfo="text",
        name="Stability index (PSI)",
    ))
    top = max(values + [crit]) * 1.15
    labels = {warn: f"worth a look ({warn:.2f})", crit: f"big shift ({crit:.2f})"}
    if (crit - warn) / top < CLOSE_LINES:
        # A big shift stretches the axis until the two lines nearly touch and their labels print over
        # each other: one label, beside the outer line, names both.
        labels = {warn: "", crit: f"lines: {labels[warn]}, {labels[crit]}"}
    for x, dash in ((warn, "dot"), (crit, "dash")):
        fig.add_vline(x=x, line_dash=dash, line_color="#555555",
                      annotation_text=labels[x] or None, annotation_position="top right")
    fig.update_layout(
        title=title,
        xaxis_title="Stability index (PSI): 0 = unchanged, higher = more shifted",
        xaxis_range=[0, top], yaxis_title=None, showlegend=False,
        height=max(260, 60 + 28 * len(rows)), margin={"l": 10, "r": 30, "t": 60, "b": 50},
    )
    if not rows:
        fig.add_annotation(text="No columns could be compared.", showarrow=False, x=0.5, y=0.5,
                           xref="paper", yref="paper")
    return fig


def _is_number(reference: pd.Series, new: pd.Series, kind: str | None) -> bool:
    if kind is not None:
        return kind == "number"
    return bool(pd.api.types.is_numeric_dtype(reference) and not pd.api.types.is_bool_dtype(reference))


def _finite(values: pd.Series) -> np.ndarray:
    out = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    return out[np.isfinite(out)]


def _number_figure(reference: pd.Series, new: pd.Series, bins: int) -> go.Figure:
    r, n = _finite(reference), _finite(new)
    both = np.concatenate((r, n))
    fig = go.Figure()
    if len(both) == 0:
        return fig
    low, high = np.quantile(both, [0.005, 0.995])
    if high <= low:
        low, high = float(both.min()) - 0.5, float(both.max()) + 0.5
    edges = np.linspace(low, high, bins + 1)
    centres, width = (edges[:-1] + edges[1:]) / 2, float(edges[1] - edges[0])
    for label, values, side in (("Old rows", r, "old"), ("New rows", n, "new")):
        if len(values) == 0:
            continue
        counts, _ = np.histogram(np.clip(values, low, high), bins=edges)  # the far tails pile up at the ends
        share = counts / len(values)
        fig.add_trace(go.Bar(x=centres, y=share, width=width, name=f"{label} ({len(values):,})",
                             marker_color=SIDE_COLOURS[side], opacity=0.55,
                             hovertemplate="%{x:.4g}: %{y:.1%} of " + label.lower() + "<extra></extra>"))
    fig.update_layout(barmode="overlay", bargap=0)
    return fig


def _category_labels(values: pd.Series) -> pd.Series:
    text = values.astype("object").where(values.notna(), None)
    text = text.map(lambda v: None if v is None else str(v).strip())
    return text.where(text.notna() & (text != ""), "(empty)")


def _category_figure(reference: pd.Series, new: pd.Series, max_categories: int) -> go.Figure:
    r = _category_labels(reference).value_counts(normalize=True)
    n = _category_labels(new).value_counts(normalize=True)
    shares = pd.concat({"old": r, "new": n}, axis=1).fillna(0.0)
    order = (shares["old"] + shares["new"]).sort_values(ascending=False).index
    shares = shares.loc[order]
    if len(shares) > max_categories:
        kept, rest = shares.iloc[: max_categories - 1], shares.iloc[max_categories - 1:]
        shares = pd.concat([kept, pd.DataFrame([rest.sum()], index=[f"other ({len(rest)} values)"])])
    labels = [str(i) for i in shares.index]
    fig = go.Figure()
    for label, side in (("Old rows", "old"), ("New rows", "new")):
        fig.add_trace(go.Bar(x=labels, y=shares[side].to_numpy(), name=label, marker_color=SIDE_COLOURS[side],
                             hovertemplate="%{x}: %{y:.1%} of " + label.lower() + "<extra></extra>"))
    fig.update_layout(barmode="group")
    return fig


def distribution_chart(reference: pd.Series, new: pd.Series, *, column: str | None = None, kind: str | None = None,
                       bins: int = 30, max_categories: int = 20) -> go.Figure:
    """The old rows against the new rows for one column, as shares of each file's rows."""
    name = column or str(reference.name or new.name or "")
    if _is_number(reference, new, kind):
        fig = _number_figure(reference, new, bins)
        xaxis = name
    else:
        fig = _category_figure(reference, new, max_categories)
        xaxis = f"{name} (most common values first)"
    fig.update_layout(
        title=f"'{name}': old rows and new rows",
        xaxis_title=xaxis, yaxis_title="Share of rows", yaxis_tickformat=".0%",
        legend={"orientation": "h", "y": -0.25},
        margin={"l": 10, "r": 10, "t": 60, "b": 80},
    )
    return fig


def shifted_columns(columns: Any) -> Iterable[str]:
    """Names of the columns worth a distribution chart, biggest shift first."""
    rows = [r for r in _rows(columns) if r.get("drifted")]
    return [r["column"] for r in sorted(rows, key=lambda r: -(r.get("psi") or 0.0))]
