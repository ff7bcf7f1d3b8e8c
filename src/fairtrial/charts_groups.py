"""Charts of per-group results: pure data in, plotly figures out (shared by the app and reports).

Input is the dict ``groups.group_results`` returns. One grouped bar chart per metric, a
bar per recipe for each judged group, with the 95% interval as error bars; groups too small
to judge are left out of the bars and named under the chart. ``group_size_table`` gives the
rows of the group-size table.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from . import fairness_words as W

__all__ = ["GROUP_METRICS", "available_group_metrics", "group_charts", "group_metric_chart", "group_size_table"]

# metric -> (title template, what "better" means, is a share 0..1)
GROUP_METRICS: dict[str, tuple[str, str, bool]] = {
    "selection_rate": ("Share of people it {verb}, by {column}",
                       "Neither higher nor lower is better by itself: "
                       "big differences between groups are the warning sign.",
                       True),
    "accuracy": ("How often it is right, by {column}", "Higher is better.", True),
    "tpr": ("Of people whose true answer is '{positive}', share it {verb}, by {column}",
            "Higher is better: fewer people it should have said yes to are missed.", True),
    "fpr": ("Of people whose true answer is not '{positive}', share it wrongly {verb}, by {column}",
            "Lower is better: fewer people it wrongly says yes to.", True),
    "mean_error": ("How far off the guesses are on average, by {column}", "Lower is better.", False),
}
ARM_COLOURS = {"a": "#1f77b4", "b": "#ff7f0e"}
_OTHER_COLOURS = ("#2ca02c", "#9467bd", "#8c564b")
TOO_SMALL_NOTE = "Too few rows to judge, left out: {items}."
ERROR_BAR_NOTE = "Bars show the value; the thin lines show where it likely lies (95% interval)."


def _arms(result: dict) -> list[str]:
    metrics = result.get("metrics") or {}
    return list(metrics)


def available_group_metrics(result: dict) -> list[str]:
    """The metrics this result can chart, in display order."""
    task = result.get("task", "binary")
    if task == "numeric":
        return ["mean_error"]
    if task == "multiclass":
        return ["selection_rate", "accuracy"]
    return ["selection_rate", "accuracy", "tpr", "fpr"]


def group_metric_chart(result: dict, metric: str, *, labels: dict[str, str] | None = None) -> go.Figure:
    """A grouped bar chart of one metric: a bar per recipe for each judged group, with 95% error bars."""
    if metric not in GROUP_METRICS:
        raise ValueError(f"unknown group metric {metric!r}; choose from {sorted(GROUP_METRICS)}")
    title_template, better, share = GROUP_METRICS[metric]
    labels = labels if labels is not None else (result.get("labels") or {})
    rate_of = result.get("rate_of")
    verb = result.get("verb") or (W.selection_verb(rate_of) if rate_of is not None else "selects")
    title = title_template.format(verb=verb, column=result.get("column", ""), positive=rate_of)
    judged = [g for g in result.get("groups", []) if g.get("judged")]
    small = [g for g in result.get("groups", []) if not g.get("judged")]

    fig = go.Figure()
    for i, arm in enumerate(_arms(result)):
        xs, ys, plus, minus, hover = [], [], [], [], []
        for g in judged:
            values = g.get(arm) or {}
            value = values.get(metric)
            if value is None:
                continue
            low, high = values.get(f"{metric}_low"), values.get(f"{metric}_high")
            xs.append(g["group"])
            ys.append(value)
            plus.append(max(0.0, high - value) if high is not None else 0.0)
            minus.append(max(0.0, value - low) if low is not None else 0.0)
            shown = W.pct(value) if share else W.number(value)
            note = f" — {g['note']}" if g.get("note") else ""
            hover.append(f"{g['group']}: {shown} ({g['rows']:,} rows){note}")
        colour = ARM_COLOURS.get(arm, _OTHER_COLOURS[i % len(_OTHER_COLOURS)])
        fig.add_trace(go.Bar(
            name=W.recipe_name(arm, labels), x=xs, y=ys, marker_color=colour,
            error_y={"type": "data", "symmetric": False, "array": plus, "arrayminus": minus, "thickness": 1.2},
            hovertext=hover, hoverinfo="text",
        ))
    notes = [better, ERROR_BAR_NOTE]
    if small:
        notes.append(TOO_SMALL_NOTE.format(items=", ".join(W.SIZE_ITEM.format(group=g["group"], rows=g["rows"])
                                                           for g in small)))
    fig.update_layout(
        title={"text": title}, barmode="group", legend_title_text="Recipe",
        xaxis_title=result.get("column", ""), yaxis_title="" if not share else "share",
        margin={"b": 110},
        annotations=[{"text": "<br>".join(notes), "showarrow": False, "xref": "paper", "yref": "paper",
                      "x": 0, "y": -0.22, "xanchor": "left", "yanchor": "top", "align": "left"}],
    )
    if share:
        fig.update_yaxes(tickformat=".0%", range=[0, 1.05])
    else:
        fig.update_yaxes(rangemode="tozero")
    return fig


def group_charts(result: dict, *, labels: dict[str, str] | None = None) -> dict[str, go.Figure]:
    """One chart per metric this result has, keyed by metric name."""
    return {metric: group_metric_chart(result, metric, labels=labels) for metric in available_group_metrics(result)}


def group_size_table(result: dict) -> list[dict[str, Any]]:
    """Rows of the group-size table: group, rows, share of all rows, confidence, note."""
    total = sum(g["rows"] for g in result.get("groups", [])) or 1
    return [{"group": g["group"], "rows": g["rows"], "share": g["rows"] / total, "judged": g["judged"],
             "confidence": g["confidence"], "note": g["note"]} for g in result.get("groups", [])]
