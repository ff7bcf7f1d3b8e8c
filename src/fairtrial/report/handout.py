"""A printable one-page class handout of a stored trial (HTML, print-styled for A4 and Letter).

One sheet to hand out or project: the question, the data, what the checks found, the verdict
in words, the key numbers as a small table with bars, three to five words from the glossary
and a question to discuss. A trial of a classroom lesson (its dataset is named after the
lesson, ``lessons.py``) takes the lesson's story, words and question. The page reuses the
report's sentences (``content.py``); like the summary it is self-contained (inline CSS, no
script, nothing from the network) and every piece of user text is escaped.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from ..findings import Finding, columns_named, said_once, same_kind
from . import content as c
from .html import COLOURS, esc

__all__ = ["render_handout", "write_handout"]

MAX_FINDINGS = 2  # findings on the sheet; the checks page and the workbook have all
MAX_TERMS = 4
MAX_GROUPS = 4  # groups in the "who gets a yes" table
_SHORT = {"a": "Recipe A", "b": "Recipe B", "baseline": "Always guessing"}  # named in full under the question
MAX_SENTENCE = 200  # characters of one finding's message before it is cut at a sentence end

_CSS = """
* { box-sizing: border-box; }
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1f2933;
       margin: 0 auto; max-width: 48rem; padding: 1rem; }
h1 { font-size: 1.35rem; margin: 0 0 .2rem; color: #1f3864; overflow-wrap: anywhere; }
h2 { font-size: 1rem; margin: .7rem 0 .25rem; color: #1f3864; border-bottom: 1px solid #d9e2ec; }
p, ul, ol, dl { margin: .2rem 0; }
ul { padding-left: 1.1rem; }
.meta { color: #52606d; font-size: .85rem; }
.verdict { font-weight: 600; }
.story p { margin: .15rem 0; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; }
th, td { text-align: left; padding: .2rem .35rem; border-bottom: 1px solid #d9e2ec; vertical-align: top; }
th { background: #eef2f8; }
.nowrap { white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.bar { display: inline-block; height: .55rem; border-radius: 2px; vertical-align: 0; }
dl.words dt { font-weight: 600; display: inline; }
dl.words dd { display: inline; margin: 0; }
dl.words div { margin: .1rem 0; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: .8rem; }
.discuss { border: 2px solid #1f3864; border-radius: 4px; padding: .4rem .6rem; margin-top: .6rem; }
.lines { border-bottom: 1px dashed #9aa5b1; height: 1.4rem; }
footer { color: #52606d; font-size: .75rem; margin-top: .4rem; }
@page { size: A4; margin: 10mm; }
@media print {
  body { font-size: 9pt; line-height: 1.3; padding: 0; max-width: none; }
  h1 { font-size: 14pt; }
  h2 { font-size: 10pt; margin-top: .5rem; break-after: avoid; }
  th, td { padding: .1rem .3rem; }
  table, .discuss, dl.words div { break-inside: avoid; }
  .bar { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"""


def write_handout(trial: dict, *, dataset: dict, findings: list, out: str | Path | io.StringIO) -> None:
    """Write the one-page handout of a stored trial to ``out`` (a path or a text stream)."""
    page = render_handout(trial, dataset=dataset, findings=findings)
    if isinstance(out, (str, Path)):
        Path(out).write_text(page, encoding="utf-8")
    else:
        out.write(page)


def _lesson(dataset: dict) -> Any:
    from ..lessons import LESSONS

    return next((lesson for lesson in LESSONS if lesson.dataset_name == dataset.get("name")), None)


def _short(text: str, limit: int = MAX_SENTENCE) -> str:
    """``text`` cut after the last sentence that ends within ``limit`` characters (never mid-word)."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    ends = [m.end() for m in re.finditer(r"[.!?](?=\s)", text[:limit + 1])]
    return text[:ends[-1]] if ends else text[:limit].rsplit(" ", 1)[0] + " …"


def render_handout(trial: dict, *, dataset: dict, findings: list) -> str:
    findings = [f if isinstance(f, Finding) else Finding.from_dict(f) for f in findings]
    plan, result = trial.get("plan") or {}, trial.get("result") or {}
    lesson = _lesson(dataset)
    name = str(dataset.get("name") or "dataset")
    target = plan.get("target") or result.get("target") or "?"
    question = f"Can a computer learn to predict ‘{target}’ from the other columns of ‘{name}’?"
    rows, cols = dataset.get("rows"), dataset.get("columns")
    size = f"{int(rows):,} rows and {int(cols)} columns" if rows and cols else "a table"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">',
        f"<title>{esc(f'FairTrial handout: {name}')}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{esc(lesson.title if lesson else 'A fair A/B trial')}</h1>",
        f'<p class="meta">FairTrial class handout · trial {esc(trial.get("trial_id", "?"))} · '
        f'{esc(str(trial.get("created_at") or "")[:10])}</p>',
        f"<h2>The question and the data</h2><p>{esc(question)} The answer is "
        f"{esc(c.task_words(result.get('task')))}. The table ‘{esc(name)}’ has {esc(size)}. Recipe A is "
        f"{esc(c.arm_phrase(trial, 'a'))} and recipe B is {esc(c.arm_phrase(trial, 'b'))}: both learned from the "
        "same rows, were tested on the same other rows and were compared with always guessing.</p>",
        _story(lesson),
        _checks(findings, lesson),
        "<h2>The verdict</h2>",
        f'<p class="verdict">{esc(_verdict(result))}</p>',
        _side_by_side(_numbers(trial), _groups(trial)),
        _words(trial, findings, lesson),
        _discuss(trial, lesson),
        f"<footer>Made with FairTrial. Seed {esc(plan.get('seed', '?'))}: the same seed gives the same numbers "
        "again.</footer>",
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def _story(lesson: Any) -> str:
    if lesson is None:
        return ""
    return (f'<h2>What we did to the data</h2><div class="story"><p>{esc(lesson.what_we_did)}</p>'
            f"<p><b>What it teaches:</b> {esc(lesson.teaches)}</p></div>")


def _checks(findings: list[Finding], lesson: Any) -> str:
    serious = [f for f in c.sorted_findings(findings) if f.severity in ("critical", "warning")]
    if lesson is not None and lesson.expected:  # the lesson's own finding first
        ours = {(e.column, check) for e in lesson.expected for check in e.checks}
        serious.sort(key=lambda f: (f.columns[0] if f.columns else None, f.check) not in ours)
    head = "<h2>What the checks found before any training</h2>"
    if not serious:
        said = lesson.no_check if lesson is not None and lesson.no_check else (
            "Nothing serious: no column gives the answer away, no answer is rare, no unfair gap between groups.")
        return f"{head}<p>{esc(said)}</p>"
    shown = 1 if lesson is not None and lesson.expected else MAX_FINDINGS  # a lesson: its own finding
    kinds = same_kind(serious)  # one kind on several columns (three columns about people) is said once
    items = "".join(_check_item(same) for same in kinds[:shown])
    more = len(kinds) - shown
    tail = f'<p class="meta">… and {more} more on the Check page.</p>' if more > 0 else ""
    return f"{head}<ul>{items}</ul>{tail}"


def _check_item(same: list[Finding]) -> str:
    """One kind of finding: its title, the columns, and what it says (once, when it says the same for each)."""
    first = same[0]
    if len(same) == 1:
        return f"<li><b>{esc(first.title)}</b> ({esc(', '.join(first.columns[:2]))}): {esc(_short(first.message))}</li>"
    message = said_once(same, "message", or_each=False)
    said = f": {esc(_short(message))}" if message else ""
    return f"<li><b>{esc(first.title)}</b> ({esc(columns_named(same))}){said}</li>"


def _verdict(result: dict) -> str:
    verdict = c.part(result, "verdict")
    return str(verdict.get("text") or (c.verdict_sentences(result) or [""])[0])


def _numbers(trial: dict) -> str:
    """The key table: each recipe's average score and its score on the rows kept aside, with bars."""
    result = trial.get("result") or {}
    metric = c.metric_info(result.get("primary_metric"))
    n = len(c.split_rows(trial))
    rows = []
    for arm in ("a", "b", "baseline"):
        data = c.part(result, arm)
        mean, hold = c.as_number(data.get("mean")), c.as_number(data.get("holdout"))
        bar = ""
        if metric.percent and mean is not None and 0 <= mean <= 1:
            bar = f'<i class="bar" style="width:{mean * 6:.2f}rem;background:{COLOURS[arm]}"></i> '
        rows.append(f"<tr><td>{_SHORT[arm]}</td><td class=\"nowrap\">{bar}{esc(metric.text(mean))}</td>"
                    f'<td class="num">{esc(metric.text(hold))}</td></tr>')
    return (f"<h2>The key numbers: {esc(metric.label)}</h2>"
            f"<p>{esc(metric.meaning)} <b>{esc(metric.better)}.</b></p>"
            f"<table><thead><tr><th>Recipe</th><th>Average over {n} tests</th>"
            f"<th>On the rows kept aside</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _side_by_side(left: str, right: str) -> str:
    """Two short parts next to each other (saves half a page's height), or the one there is."""
    if not right:
        return left
    return f'<div class="pair"><div>{left}</div><div>{right}</div></div>'


def _groups(trial: dict) -> str:
    """For a trial "A: with a column about people / B: without it", how often each recipe says the
    positive answer to each group of that column (the gap the lesson is about)."""
    from ..glossary import term

    plan, result = trial.get("plan") or {}, trial.get("result") or {}
    left_out = (plan.get("recipe_b") or {}).get("without") or []
    block = next((b for b in c.group_blocks(result) if b.column in left_out and "selection_rate" in b.metric_names),
                 None)
    if block is None:
        return ""
    rate = c.metric_info("selection_rate")
    rows = []
    for g in block.rows[:MAX_GROUPS]:
        cells = []
        for arm in ("a", "b"):
            value = g.metrics.get(arm, {}).get("selection_rate", (None, None, None))[0]
            bar = (f'<i class="bar" style="width:{value * 6:.2f}rem;background:{COLOURS[arm]}"></i> '
                   if value is not None and 0 <= value <= 1 else "")
            cells.append(f'<td class="nowrap">{bar}{esc(rate.text(value))}</td>')
        rows.append(f"<tr><td>{esc(g.group)}</td>{''.join(cells)}</tr>")
    meaning = term("selection_rate")
    return (f"<h2>Who gets a ‘{esc(c.part(result, 'task_info').get('positive') or 'yes')}’? By ‘{esc(block.column)}’"
            f"</h2><p>{esc(meaning.meaning if meaning else '')} <b>Closer together is fairer.</b></p>"
            f"<table><thead><tr><th>Group</th><th>{_SHORT['a']}</th><th>{_SHORT['b']}</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _words(trial: dict, findings: list[Finding], lesson: Any) -> str:
    from ..glossary import terms_for

    result = trial.get("result") or {}
    keys = [result.get("primary_metric"), *(lesson.terms if lesson is not None else ())]
    terms = terms_for(keys) if lesson is not None else c.words_used(trial, findings)
    items = "".join(f"<div><dt>{esc(t.name)}:</dt> <dd>{esc(t.meaning)} <i>{esc(t.better)}.</i></dd></div>"
                    for t in terms[:MAX_TERMS])
    return f'<h2>Words to know</h2><dl class="words">{items}</dl>' if items else ""


def _discuss(trial: dict, lesson: Any) -> str:
    if lesson is not None:
        question = lesson.discuss
    else:
        target = (trial.get("plan") or {}).get("target") or "the answer"
        question = (f"Which column helped most to predict ‘{target}’? Would it be known in time, before the "
                    "answer is known, and would it be fair to use it to decide about a person?")
    return (f'<div class="discuss"><b>Discuss:</b> {esc(question)}<div class="lines"></div>'
            '<div class="lines"></div></div>')
