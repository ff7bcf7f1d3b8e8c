"""The one-page HTML summary: the same verdict, numbers and warnings as the workbook.

The page is self-contained: inline CSS and inline SVG charts, no script and nothing loaded
from the network (a Content-Security-Policy says so to the browser as well). Plotly was
the other choice, but plotly.js alone is 4.8 MB, too close to the 5 MB budget, and the page
only needs two simple charts. It summarises and never lists rows, so its size does not
grow with the dataset. Every piece of user text goes through ``esc`` (``html.escape``).
"""

from __future__ import annotations

import html
import io
import math
from datetime import datetime
from pathlib import Path
from typing import Any

from .. import __version__
from ..findings import Finding
from ..group_findings import pair_findings, summary_not_repeated
from . import content as c

__all__ = ["render_html", "write_html_summary"]

MAX_GROUPS = 25  # rows per sensitive column on the page; the workbook has them all
MAX_SPLIT_ROWS = 200  # rows in the per-split table; the chart draws every split
COLOURS = {"a": "#4472c4", "b": "#ed7d31", "baseline": "#8c8c8c"}

_CSS = """
:root { --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --a: #4472c4; --b: #ed7d31; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
h1 { font-size: 1.7rem; margin: 0 0 .25rem; color: #1f3864; overflow-wrap: anywhere; }
h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; color: #1f3864; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; overflow-wrap: anywhere; }
.meta, .note, footer { color: var(--muted); font-size: .9rem; }
ul.verdict { padding-left: 1.2rem; font-size: 1.05rem; }
ul.verdict li:first-child { font-weight: 600; }  /* the verdict itself; the rest are its reasons */
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-size: .95rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid var(--line);
         overflow-wrap: break-word; }
td:first-child { min-width: 7rem; }
th { background: #eef2f8; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
ul.warnings { list-style: none; padding: 0; }
ul.warnings li { padding: .4rem .6rem; margin: .3rem 0; border-left: 4px solid #f0b429; background: #fff8e1; }
ul.warnings li.critical { border-color: #d64545; background: #fdecea; }
.legend span { display: inline-block; margin-right: 1rem; }
.swatch { display: inline-block; width: .9rem; height: .9rem; border-radius: 2px; vertical-align: -2px;
          margin-right: .3rem; }
.bar { display: inline-block; height: .6rem; border-radius: 2px; margin-right: .3rem; vertical-align: 1px; }
svg { max-width: 100%; height: auto; }
svg text { font: 12px system-ui, Arial, sans-serif; fill: var(--muted); }
details { margin: .5rem 0; }
.print-only { display: none; }
dl.words dt { font-weight: 600; margin-top: .5rem; }
dl.words dd { margin: 0 0 0 1rem; }
@page { margin: 8mm; }
@media print {
  /* Two pages or fewer on A4 and Letter: small type, tight spacing, nothing interactive, no
     screen-only repeats (the meanings are in "Words used"; the per-split numbers in the workbook). */
  body { font-size: 7.5pt; line-height: 1.15; max-width: none; padding: 0; }
  h1 { font-size: 13pt; }
  h2 { font-size: 10pt; margin: .45rem 0 .15rem; break-after: avoid; }
  h3 { font-size: 9pt; margin: .4rem 0 .15rem; break-after: avoid; }
  p, ol, ul { margin: .15rem 0; }
  ol, ul.verdict { padding-left: 1rem; }
  ul.verdict { font-size: 7.5pt; font-weight: normal; }
  ul.verdict li:first-child { font-weight: 600; }
  td.num br { display: none; }  /* a measure's 95% range on the same line as its value */
  td.num small { font-size: 6.5pt; }
  .meta, .note, footer { font-size: 7pt; }
  table { font-size: 7pt; margin: .2rem 0; }
  th, td { padding: .05rem .25rem; }
  td:first-child { min-width: 0; }
  table, figure, svg, ul.warnings li, tr { break-inside: avoid; }
  ul.warnings li { padding: .1rem .3rem; margin: .1rem 0; border-left-width: 3px; }
  details, .screen-only, td.means, th.means, ul.group-warnings { display: none; }
  table.keys td:first-child { white-space: nowrap; }  /* a number's name on one line: most rows take one */
  p.said { margin: 0; }  /* what a block says about its groups: one paragraph a sentence, no gaps */
  footer br { display: none; }  /* the facts about the run as one paragraph */
  footer { font-size: 6.5pt; }
  table.print-only { display: table; }
  div.paper-groups { display: flex; gap: 4mm; align-items: flex-start; }
  div.paper-groups table { flex: 1 1 0; }
  p.print-only { display: block; }
  table.fair-all td.num small { font-size: 6pt; color: var(--muted); }
  svg { display: block; width: 100%; max-height: 24mm; }
  .legend { margin: 0; }
  dl.words { columns: 4; column-gap: .8rem; margin: .2rem 0; font-size: 7pt; line-height: 1.2; }
  dl.words dt { margin-top: .15rem; break-after: avoid; }
  dl.words dd { margin: 0; break-inside: avoid; }
  dl.words small, dl.words .describes { display: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def esc(value: Any) -> str:
    """User text made safe to place in HTML (element content or attribute values)."""
    return html.escape("" if value is None else str(value), quote=True)


def write_html_summary(trial: dict, *, dataset: dict, findings: list[Finding], out: str | Path | io.StringIO) -> None:
    """Write the one-page summary of a stored trial to ``out`` (a path or a text stream)."""
    page = render_html(trial, dataset=dataset, findings=findings)
    if isinstance(out, (str, Path)):
        Path(out).write_text(page, encoding="utf-8")
    else:
        out.write(page)


def render_html(trial: dict, *, dataset: dict, findings: list[Finding]) -> str:
    findings = [f if isinstance(f, Finding) else Finding.from_dict(f) for f in findings]
    plan, result = trial.get("plan") or {}, trial.get("result") or {}
    name = dataset.get("name") or "dataset"
    target = plan.get("target")
    question = (f"Can the other columns predict ‘{target}’, {c.task_words(result.get('task') or plan.get('task'))}?"
                if target else "")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(f'FairTrial report: {name}')}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>FairTrial report: {esc(name)}</h1>",
        f'<p class="meta">Trial {esc(trial.get("trial_id", "?"))}, run {esc(trial.get("created_at") or "?")}. '
        f"{esc(question)} {esc(c.arm_phrase(trial, 'a'))} against {esc(c.arm_phrase(trial, 'b'))}.</p>",
        "<h2>What to do next</h2>",
        "<ol>" + "".join(f"<li>{esc(s)}</li>" for s in c.next_steps(trial, findings, in_workbook=False)) + "</ol>",
        "<h2>What we found</h2>",
        '<ul class="verdict">' + "".join(f"<li>{esc(s)}</li>" for s in c.verdict_sentences(result)) + "</ul>",
        _key_numbers(trial),
        _money(trial),
        _warnings(trial, findings),
        _splits(trial),
        _groups(trial, c.personal_columns(findings)),
        _words(trial, findings),
        _footer(trial, dataset),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _key_numbers(trial: dict) -> str:
    rows = c.key_numbers(trial)
    if not rows:
        return f"<h2>Key numbers</h2><p>Scores are {c.NOT_AVAILABLE}.</p>"
    body = "".join(
        f'<tr><td>{esc(k.label)}</td><td class="num">{esc(k.text)}</td><td>{esc(k.meaning)}</td>'
        f"<td>{esc(k.better)}</td></tr>"
        for k in rows
    )
    return ('<h2>Key numbers</h2><table class="keys"><thead><tr><th>Number</th><th>Value</th><th>What it means</th>'
            f"<th>Better when</th></tr></thead><tbody>{body}</tbody></table>")


def _money(trial: dict) -> str:
    """The money view (prices given for the trial): the verdict and a small table."""
    from ..value import format_money

    value = (trial.get("result") or {}).get("value") or {}
    if not value.get("text"):
        return ""
    head = f"<h2>Money view</h2><p>{esc(value['text'])}</p>"
    if value.get("kind") == "typical_error":
        return head
    cur, per = value.get("currency") or "", f"{int(value.get('per_rows') or 1000):,}"
    rows = ""
    for key, label in (("a", c.arm_label(trial, "a")), ("b", c.arm_label(trial, "b")),
                       ("act_on_none", "Act on no row"), ("act_on_all", "Act on every row")):
        part = value.get(key) or {}
        cut = part.get("cutoff")
        rows += (f'<tr><td>{esc(label)}</td><td class="num">{esc(format_money(part.get("mean"), cur))}</td>'
                 f'<td class="num">{esc(format_money(part.get("ci_low"), cur))} to '
                 f'{esc(format_money(part.get("ci_high"), cur))}</td>'
                 f'<td class="num">{"" if cut is None else esc(f"{cut:.0%}")}</td>'
                 f'<td class="num">{esc(format_money(part.get("holdout"), cur))}</td></tr>')
    return (f"{head}<table><thead><tr><th>Choice</th><th>Value per {per} rows (higher is better)</th>"
            "<th>95% range</th><th>Cut-off</th><th>On the rows kept aside</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def _warnings(trial: dict, findings: list[Finding]) -> str:
    lines, more = c.main_warnings(trial, findings)
    if not lines:
        return "<h2>Main warnings</h2><p>Nothing serious: the data checks and the trial raised no warnings.</p>"
    items = "".join(
        f'<li class="{"critical" if text.startswith("Critical") else "warning"}">{esc(text)}</li>' for text in lines
    )
    tail = f'<p class="note">… and {more} more in the Excel report.</p>' if more else ""
    return f'<h2>Main warnings</h2><ul class="warnings">{items}</ul>{tail}'


# --- A against B per split ------------------------------------------------------------------
def _splits(trial: dict) -> str:
    result, plan = trial.get("result") or {}, trial.get("plan") or {}
    metric = c.metric_info(result.get("primary_metric") or plan.get("metric"))
    rows = c.split_rows(trial)
    head = "<h2>A against B in each test split</h2>"
    if not rows:
        return f"{head}<p>Per-split scores are {c.NOT_AVAILABLE}.</p>"
    arms = ("a", "b", "baseline")
    series = {arm: [getattr(r, arm) for r in rows] for arm in arms}
    legend = "".join(
        f'<span><i class="swatch" style="background:{COLOURS[arm]}"></i>{esc(c.arm_label(trial, arm))}</span>'
        for arm in arms if any(v is not None for v in series[arm])
    )
    intro = (f"<p>{esc(metric.label)} in each of the {len(rows)} test splits ({esc(metric.better.lower())}). "
             "A, B and the baseline were tested on exactly the same rows in each split.</p>")
    table_rows = "".join(
        f'<tr><td class="num">{r.index}</td>'
        + "".join(f'<td class="num">{esc(metric.text(getattr(r, arm)))}</td>' for arm in arms)
        + f'<td class="num">{esc(metric.diff_text(r.difference))}</td></tr>'
        for r in rows[:MAX_SPLIT_ROWS]
    )
    cut = (f'<p class="note">The first {MAX_SPLIT_ROWS} of {len(rows)} splits; the Excel report has all.</p>'
           if len(rows) > MAX_SPLIT_ROWS else "")
    labels = "".join(f"<th>{esc(c.arm_label(trial, arm))}</th>" for arm in arms)
    table = (f"<details><summary>The numbers for each split</summary><table><thead><tr><th>Split</th>{labels}"
             f"<th>B minus A</th></tr></thead><tbody>{table_rows}</tbody></table>{cut}</details>")
    return f'{head}{intro}<p class="legend">{legend}</p>{_line_chart(series, metric)}{table}'


def _line_chart(series: dict[str, list[float | None]], metric: c.MetricInfo) -> str:
    """An inline SVG line chart of each recipe's score per split."""
    width, height, left, right, top, bottom = 760, 280, 64, 16, 14, 42
    values = [v for vals in series.values() for v in vals if v is not None]
    n = max(len(vals) for vals in series.values())
    if not values:
        return ""
    ticks = _nice_ticks(min(values), max(values))
    low, high = ticks[0], ticks[-1]

    def x(i: int) -> float:
        return left + (i / (n - 1) if n > 1 else 0.5) * (width - left - right)

    def y(v: float) -> float:
        return top + (high - v) / (high - low) * (height - top - bottom)

    out = [f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
           f'aria-label="{esc(metric.label)} per test split">']
    for v in ticks:
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#e4e7eb"/>'
                   f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{esc(metric.text(v))}</text>')
    step = max(1, math.ceil(n / 20))
    for i in range(0, n, step):
        out.append(f'<text x="{x(i):.1f}" y="{height - bottom + 16}" text-anchor="middle">{i + 1}</text>')
    out.append(f'<text x="{(left + width - right) / 2:.0f}" y="{height - 6}" text-anchor="middle">Test split</text>')
    for arm, vals in series.items():
        colour = COLOURS[arm]
        dash = ' stroke-dasharray="6 4"' if arm == "baseline" else ""
        segment: list[str] = []
        segments = []
        for i, v in enumerate(vals):
            if v is None:
                if segment:
                    segments.append(segment)
                segment = []
            else:
                segment.append(f"{x(i):.1f},{y(v):.1f}")
        if segment:
            segments.append(segment)
        for points in segments:
            out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2"{dash} points="{" ".join(points)}"/>')
        if n <= 100:
            for i, v in enumerate(vals):
                if v is not None:
                    out.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}">'
                               f"<title>split {i + 1}: {esc(metric.text(v))}</title></circle>")
    out.append("</svg>")
    return "".join(out)


def _nice_ticks(low: float, high: float) -> list[float]:
    """Round axis values (steps of 1, 2, 2.5 or 5 times a power of ten) covering low..high."""
    span = (high - low) or abs(high) or 1.0
    raw = span / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    stop = math.ceil(high / step) * step
    if stop <= start:
        stop = start + step
    count = int(round((stop - start) / step))
    return [start + i * step for i in range(count + 1)]


# --- groups ---------------------------------------------------------------------------------
def _groups(trial: dict, personal: set[str]) -> str:
    result, plan = trial.get("result") or {}, trial.get("plan") or {}
    blocks = c.group_blocks(result)
    head = "<h2>Groups: whom does each recipe serve worse?</h2>"
    skipped = [b.column for b in blocks if b.column in personal]
    blocks = [b for b in blocks if b.column not in personal]
    left_out = (f'<p class="note">Results per group for {esc(", ".join(repr(s) for s in skipped))} are left out: '
                "the column holds personal data.</p>" if skipped else "")
    if not blocks and skipped:
        return head + left_out
    if not blocks:
        if not plan.get("sensitive"):
            return (f"{head}<p>No sensitive columns were chosen for this trial, so results per group were not "
                    "worked out. Choose columns such as gender or age group when you start a trial to see them.</p>")
        return f"{head}<p>Results per group are {c.NOT_AVAILABLE}.</p>"
    primary = result.get("primary_metric") or plan.get("metric")
    out = [head, left_out]
    paper: list[str] = []
    for block in blocks:
        out.append(f"<h3>By ‘{esc(block.column)}’</h3>")
        # The warnings (A's and B's of one check as one), and the summary less what they repeat.
        shown = [f for f in pair_findings(block.findings) if f.get("severity") in ("warning", "critical")]
        kinds = {(f.get("check"), tuple(f.get("columns") or ())) for f in shown}
        repeated = [f for f in block.findings if (f.get("check"), tuple(f.get("columns") or ())) in kinds]
        out.extend(f'<p class="said">{esc(s)}</p>' for s in summary_not_repeated(block.summary, repeated))
        for f in shown:
            out.append(f'<ul class="warnings group-warnings"><li class="{esc(f["severity"])}">{esc(f.get("title", ""))}: '
                       f'{esc(f.get("message", ""))}</li></ul>')
        name = c.chart_metric(block, primary)
        info = c.metric_info(name) if name else None
        rows = []
        for g in block.rows[:MAX_GROUPS]:
            cells = []
            for arm in ("a", "b"):
                value = g.metrics.get(arm, {}).get(name, (None, None, None))[0] if name else None
                cells.append(f'<td class="num">{_bar(value, arm, info)}{esc(info.text(value) if info else "")}</td>')
            rows_text = "" if g.rows is None else f"{g.rows:,.0f}"
            rows.append(f"<tr><td>{esc(g.group)}</td><td class=\"num\">{rows_text}</td>{''.join(cells)}"
                        f"<td>{esc(g.note or g.confidence)}</td></tr>")
        label = esc(info.label) if info else "Score"
        out.append(f"<table class=\"screen-only\"><thead><tr><th>Group</th><th>Rows</th><th>{label}, {esc(c.arm_label(trial, 'a'))}</th>"
                   f"<th>{label}, {esc(c.arm_label(trial, 'b'))}</th><th>Note</th></tr></thead>"
                   f"<tbody>{''.join(rows)}</tbody></table>")
        if len(block.rows) > MAX_GROUPS:
            out.append(f'<p class="note">The first {MAX_GROUPS} of {len(block.rows)} groups; the Excel report has '
                       "all.</p>")
        paper.append(_groups_table_for_paper(block, name, info))
        measures: list[str] = []
        for arm in ("a", "b"):
            measures.extend(n for n in block.fairness.get(arm, {}) if n not in measures)
        fair = []
        for metric_name in measures:
            m = c.metric_info(metric_name)
            cells = []
            for arm in ("a", "b"):
                value, low, high = block.fairness.get(arm, {}).get(metric_name, (None, None, None))
                interval = f" (95%: {m.range_text(low, high)})" if m.range_text(low, high) else ""
                cells.append(f'<td class="num">{esc(m.text(value))}<br><small>{esc(interval)}</small></td>')
            fair.append(f"<tr><td>{esc(m.label)}</td>{''.join(cells)}<td class=\"means\">{esc(m.meaning)} "
                        f"{esc(m.better)}.</td></tr>")
        if fair:
            out.append(f"<table class=\"screen-only\"><thead><tr><th>Fairness measure</th><th>{esc(c.arm_label(trial, 'a'))}</th>"
                       f"<th>{esc(c.arm_label(trial, 'b'))}</th><th class=\"means\">What it means</th></tr></thead>"
                       f"<tbody>{''.join(fair)}</tbody></table>")
        if block.banded:
            detail = f" ({block.banded})" if isinstance(block.banded, str) else ""
            out.append(f'<p class="note">The values of ‘{esc(block.column)}’ were put into bands{esc(detail)}, '
                       "so each group has enough rows.</p>")
    for start in range(0, len(paper), PAPER_COLUMNS):
        out.append(f'<div class="paper-groups print-only">{"".join(paper[start:start + PAPER_COLUMNS])}</div>')
    out.append(_fairness_for_paper(trial, blocks))
    return "".join(out)


def _groups_table_for_paper(block: c.GroupBlock, name: str | None, info: c.MetricInfo | None) -> str:
    """For paper: a narrow table of one column's groups (rows, the main score of A and of B, and how
    sure when that is not 'normal'), printed side by side with the other columns' tables."""
    rows = []
    for g in block.rows[:MAX_GROUPS]:
        values = [g.metrics.get(arm, {}).get(name, (None,))[0] if name else None for arm in ("a", "b")]
        sure = "" if g.confidence in ("", "normal") else g.confidence
        rows.append(f"<tr><td>{esc(g.group)}</td><td class=\"num\">{'' if g.rows is None else f'{g.rows:,.0f}'}</td>"
                    + "".join(f'<td class="num">{esc(info.text(v)) if info else ""}</td>' for v in values)
                    + f"<td>{esc(sure)}</td></tr>")
    more = (f'<tr><td colspan="5">The first {MAX_GROUPS} of {len(block.rows)} groups; the Excel report has all.</td></tr>'
            if len(block.rows) > MAX_GROUPS else "")
    label = esc(info.label) if info else "Score"
    return (f'<table><thead><tr><th colspan="5">By ‘{esc(block.column)}’: {label}</th></tr>'
            "<tr><th>Group</th><th>Rows</th><th>A</th><th>B</th><th>How sure</th></tr></thead>"
            f"<tbody>{''.join(rows)}{more}</tbody></table>")


PAPER_COLUMNS = 3  # sensitive columns side by side in the printed fairness table


def _short_range(m: c.MetricInfo, low: Any, high: Any) -> str:
    """'18.8–30.0' (in the measure's own unit, said once in the table's caption); empty without one."""
    lo, hi = c.as_number(low), c.as_number(high)
    if lo is None or hi is None:
        return ""
    if m.points:
        return f"{lo * 100:.1f}–{hi * 100:.1f}"
    return f"{m.text(lo)}–{m.text(hi)}"


def _fairness_for_paper(trial: dict, blocks: list[c.GroupBlock]) -> str:
    """For paper: the fairness measures of every sensitive column in one table (a column of A and
    of B per sensitive column, up to ``PAPER_COLUMNS`` side by side), instead of a table per column.
    The screen keeps a table per column with the meanings."""
    out = []
    for start in range(0, len(blocks), PAPER_COLUMNS):
        chunk = blocks[start:start + PAPER_COLUMNS]
        names: list[str] = []
        for block in chunk:
            for arm in ("a", "b"):
                names.extend(n for n in block.fairness.get(arm, {}) if n not in names)
        if not names:
            continue
        top = "".join(f'<th colspan="2">By ‘{esc(b.column)}’</th>' for b in chunk)
        arms = "".join("<th>A</th><th>B</th>" for _ in chunk)
        rows = []
        for name in names:
            m = c.metric_info(name)
            cells = []
            for block in chunk:
                for arm in ("a", "b"):
                    value, low, high = block.fairness.get(arm, {}).get(name, (None, None, None))
                    shown = "" if value is None else esc(m.text(value).replace(" points", ""))
                    spread = _short_range(m, low, high)
                    cells.append(f'<td class="num">{shown}{f" <small>{esc(spread)}</small>" if spread else ""}</td>')
            rows.append(f"<tr><td>{esc(m.label)}</td>{''.join(cells)}</tr>")
        out.append(f'<table class="print-only fair-all"><thead><tr><th rowspan="2">Fairness measure</th>{top}</tr>'
                   f"<tr>{arms}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
    if not out:
        return ""
    return ("".join(out) + f'<p class="note print-only">A is {esc(c.recipe_name(trial, "a"))}, B is '
            f'{esc(c.recipe_name(trial, "b"))}. Gaps are in points; the small numbers are the 95% range. What each '
            "measure means and which way is fairer is under Words used.</p>")


def _words(trial: dict, findings: list[Finding]) -> str:
    """The glossary entries for the terms this page shows: what each means and which way is better."""
    # The page names only the checks of the warnings it lists (as ``content.main_warnings`` picks them).
    checks = [f for f in c.sorted_findings(findings) if f.severity in ("critical", "warning")][:c.WARNINGS_SHOWN]
    terms = c.words_used(trial, checks, personal=c.personal_columns(findings))
    items = "".join(f"<dt>{esc(t.name)}</dt><dd>{esc(t.meaning)} {_better(t)} "
                    f"<small>For example: {esc(t.example)}</small></dd>" for t in terms)
    return f'<h2>Words used</h2><dl class="words">{items}</dl>' if terms else ""


def _better(term: Any) -> str:
    """Which way is better; for a word that only describes (a seed, a fold) that is said on screen only."""
    from ..glossary import BETTER_NEITHER

    text = f"{esc(term.better)}."
    return f'<span class="describes">{text}</span>' if term.better == BETTER_NEITHER else text


def _bar(value: float | None, arm: str, info: c.MetricInfo | None) -> str:
    """A small bar for shares between 0 and 1."""
    if value is None or info is None or not info.percent or not 0 <= value <= 1:
        return ""
    return f'<i class="bar" style="width:{value * 4:.2f}rem;background:{COLOURS[arm]}"></i>'


def _footer(trial: dict, dataset: dict) -> str:
    plan, result = trial.get("plan") or {}, trial.get("result") or {}
    splits = result.get("splits") or {}  # what the trial used: the plan says None for "chosen by FairTrial"
    versions = ", ".join(f"{k} {v}" for k, v in (result.get("versions") or {}).items())
    holdout = c.as_number(plan.get("holdout"))
    kept = f"{holdout:.0%}" if holdout is not None and holdout < 1 else str(plan.get("holdout", "?"))
    facts = [
        f"Made by FairTrial {__version__} on {datetime.now().isoformat(sep=' ', timespec='minutes')}.",
        f"Dataset fingerprint (sha256): {dataset.get('sha256') or 'not available'}.",
        f"Seed {plan.get('seed', '?')}, {splits.get('folds') or plan.get('folds', '?')} parts × "
        f"{splits.get('repeats') or plan.get('repeats') or '?'} re-splits, "
        f"{kept} of the rows kept aside.",
    ]
    if versions:
        facts.append(f"Libraries: {versions}.")
    return "<footer><p>" + " <br>".join(esc(f) for f in facts) + "</p></footer>"
