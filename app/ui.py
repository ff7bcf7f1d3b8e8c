"""The one place for caching wrappers, error display and shared widgets."""

from __future__ import annotations

from typing import Callable, TypeVar

import streamlit as st

from fairtrial.dataset import Dataset
from fairtrial.errors import FairTrialError
from fairtrial.store import Store

T = TypeVar("T")


def store() -> Store:
    """A Store handle (cheap; it opens a connection per unit of work, never shared)."""
    return Store(actor="app")


@st.cache_data(show_spinner=False, max_entries=8)
def _load_cached(data: bytes, filename: str, sheet: str | None, sample_rows: int | None = None) -> Dataset:
    from fairtrial.load import load_file

    return load_file(data, filename=filename, sheet=sheet, sample_rows=sample_rows)


def load_upload(data: bytes, filename: str, sheet: str | None = None, sample_rows: int | None = None) -> Dataset:
    """Read uploaded bytes (cached by the bytes, sheet and sample size; failures are never cached)."""
    return _load_cached(data, filename, sheet, sample_rows)


@st.cache_data(show_spinner=False, max_entries=8)
def _sheets_cached(data: bytes, filename: str) -> list[str]:
    from fairtrial.load import list_sheets

    return list_sheets(data, filename=filename)


def sheets_of(data: bytes, filename: str) -> list[str]:
    return _sheets_cached(data, filename)


def dataset(dataset_id: int) -> Dataset:
    return _dataset_cached(store().path.as_posix(), int(dataset_id))


@st.cache_data(show_spinner=False, max_entries=4)
def _dataset_cached(db_path: str, dataset_id: int) -> Dataset:
    return Store(db_path, actor="app").get_dataset(dataset_id)


def attempt(fn: Callable[[], T]) -> T | None:
    """Run ``fn``; show a FairTrial error as one plain line instead of a traceback."""
    try:
        return fn()
    except FairTrialError as exc:
        st.error(str(exc), icon=":material/error:")
        return None


def help_line(text: str) -> None:
    st.caption(text)


def term_help(key: str | None, before: str = "") -> str:
    """A tooltip from the glossary: ``before``, then what the term means and which way is better."""
    from fairtrial.glossary import term

    entry = term(key)
    return " ".join(part for part in (before, f"**{entry.name}:** {entry.help}" if entry else "") if part)


def glossary_panel() -> None:
    """Every word FairTrial uses, in plain words (the same glossary as the reports)."""
    from fairtrial.glossary import TERMS

    with st.expander("Words FairTrial uses", icon=":material/menu_book:"):
        st.markdown("\n".join(f"- **{t.name}:** {t.meaning} *{t.better}.* For example: {t.example}"
                              for t in TERMS.values()))


def need_dataset() -> int:
    """The current dataset id; without one, a pointer to the Upload page and the page ends."""
    import state

    dataset_id = state.dataset_id()
    if dataset_id is None:
        st.info("Start on the **Upload** page: choose a file or try a sample.", icon=":material/upload_file:")
        st.page_link("views/upload.py", label="Go to Upload", icon=":material/upload_file:")
        halt()
    return dataset_id


KIND_WORDS = {
    "number": "numbers",
    "category": "a few repeated labels",
    "boolean": "yes/no",
    "date": "dates",
    "text": "free text",
    "id": "an ID (one per row)",
}


SEVERITY_ICON = {"critical": ":material/error:", "warning": ":material/warning:", "info": ":material/info:"}
SEVERITY_HEADING = {"critical": "Problems to fix", "warning": "Things to check", "info": "Things to know"}


def memo(key: tuple, compute: Callable[[], T]) -> T:
    """Keep a computed result for this session under ``key`` (see ``state.memo``)."""
    import state

    return state.memo(key, compute)


def trial_estimate(ds: Dataset, plan) -> str | None:
    """The expected-time sentence for a long trial (None for a short one), kept per dataset and plan:
    the engine times one fit of each recipe on a small sample (about a second)."""
    import json

    from fairtrial.estimate import warning_text

    key = ("trial_estimate", ds.sha256, json.dumps(plan.to_dict(), sort_keys=True, default=str))
    return memo(key, lambda: warning_text(ds.frame, ds.kinds, plan))


def finding_card(finding, *, frame=None, target: str | None = None, kinds=None, key: str = "",
                 chart_key: tuple | None = None) -> None:
    """One finding: title, plain message, what to do, what FairTrial did, and its chart. With
    ``chart_key`` (the dataset's sha256, the target, the check options and the finding's place),
    the chart is drawn once per session, not again on every rerun of the page."""
    with st.expander(finding.title, expanded=finding.severity == "critical", icon=SEVERITY_ICON[finding.severity]):
        st.markdown(finding.message)
        if finding.suggestion:
            st.markdown(f"**What to do:** {finding.suggestion}")
        _finding_rest(finding, frame=frame, target=target, kinds=kinds, key=key, chart_key=chart_key)


def same_kind_card(findings: list, *, frame=None, target: str | None = None, kinds=None, key: str = "",
                   chart_key: tuple | None = None, shown: int | None = None) -> None:
    """Findings of one kind on several columns (three columns about people, each kept aside) as one
    card: the title once, naming the columns, what to do said once (``findings.said_once``), then each
    column's own words, what FairTrial did, its chart and its numbers; past ``shown`` columns the rest
    are only named."""
    from fairtrial.findings import columns_named, said_once

    first = findings[0]
    with st.expander(f"{first.title} ({columns_named(findings)})", expanded=first.severity == "critical",
                     icon=SEVERITY_ICON[first.severity]):
        advice = said_once(findings, "suggestion")
        if advice:
            st.markdown(f"**What to do:** {advice}")
        drawn = findings if shown is None else findings[:shown]
        for i, finding in enumerate(drawn):
            names = ", ".join(f"'{c}'" for c in finding.columns)
            st.markdown(f"**{names}:** {finding.message}" if names else finding.message)
            _finding_rest(finding, frame=frame, target=target, kinds=kinds, key=f"{key}_{i}",
                          chart_key=None if chart_key is None else (*chart_key, i),
                          numbers=f"Raw numbers for {names} (for experts)" if names else None)
        if len(drawn) < len(findings):
            rest = [f"'{c}'" for f in findings[len(drawn):] for c in f.columns[:1]]
            st.caption(f"{len(rest)} more: {', '.join(rest)}.")


def _finding_rest(finding, *, frame, target, kinds, key: str, chart_key: tuple | None,
                  numbers: str | None = None) -> None:
    """What FairTrial did about a finding, its chart (drawn once per session with ``chart_key``) and its
    numbers for experts."""
    from fairtrial.charts import chart_for_finding

    if finding.action:
        st.markdown(f"**What FairTrial did:** {finding.action_words}")

    def chart():
        try:
            return chart_for_finding(finding, frame, target=target, kinds=kinds)
        except FairTrialError:
            return None

    fig = memo(("chart", *chart_key), chart) if chart_key is not None else chart()
    if fig is not None:
        st.plotly_chart(fig, width="stretch", key=f"chart_{key}")
    if finding.details:
        with st.popover(numbers or "Raw numbers (for experts)", icon=":material/functions:",
                        help="The numbers behind this finding, named as the command line's JSON names them. "
                             "The words above say what they mean.", key=f"numbers_{key}"):
            st.json(finding.details, expanded=True)


def check_report(dataset_id: int, target: str, *, sha256: str | None = None):
    """The newest stored check report for this dataset and target, or None. With the dataset's
    ``sha256``, kept for this session until the Check page stores a newer run (``check_run_id``)."""
    import state

    if sha256 is not None:
        key = ("check_report", sha256, target, state.get("check_run_id"))
        if key in st.session_state.get("_memo", {}):
            return memo(key, lambda: None)
        found = check_report(dataset_id, target)
        if found is not None:  # "no checks yet" is asked again on the next run
            memo(key, lambda: found)
        return found
    from fairtrial.checks import CheckReport

    latest = store().latest_check_run(dataset_id, target=target)
    if latest is None:
        return None
    return CheckReport.from_dict({**latest["summary"], "findings": [f.to_dict() for f in latest["findings"]]})


def job_running(job, *, stop_label: str, key: str) -> None:
    """A running job's (state.Job: a trial or a re-run) progress bar and its Stop button."""
    st.progress(job.share, text=job.message)
    st.button(stop_label, icon=":material/stop:", key=key, on_click=job.stop, disabled=job.stopping,
              help="Stops after the fit that is running now; nothing is kept.")


def progress_bar(text: str):
    """A progress bar and the callback that moves it (share 0..1, message)."""
    bar = st.progress(0.0, text=text)

    def update(share: float, message: str) -> None:
        bar.progress(min(max(float(share), 0.0), 1.0), text=message)

    return bar, update


class Halt(Exception):
    """Raised by ``halt()``: the page has said what it needs and shows nothing more."""


def halt():
    """End the current page here, like ``st.stop()``, but let the entry script still draw the
    sidebar (after ``st.stop()`` Streamlit drops every element)."""
    raise Halt()


# --- classroom mode ------------------------------------------------------------------------------
def classroom() -> bool:
    """Whether the sidebar switch 'Classroom mode' is on (longer explanations, the Lessons page)."""
    return bool(st.session_state.get("classroom_mode"))


def classroom_words(keys: list[str], intro: str = "") -> None:
    """In classroom mode, the glossary's longer words for ``keys`` (what each means, which way is
    better, an example), ready to read aloud; nothing otherwise."""
    if not classroom():
        return
    from fairtrial.glossary import terms_for

    lines = [f"- **{t.name}:** {t.meaning} *{t.better}.* For example: {t.example}" for t in terms_for(keys)]
    if lines:
        st.info((f"{intro}\n\n" if intro else "") + "\n".join(lines), icon=":material/school:")


def handout_button(trial_id: int, where=None, *, key: str) -> None:
    """A download button for the printable one-page class handout of a stored trial."""
    from fairtrial.workflow import handout_html

    page = attempt(lambda: memo(("handout", store().path.as_posix(), int(trial_id)),
                                lambda: handout_html(store(), int(trial_id))))
    if page is not None:
        (where or st).download_button(
            "Class handout to print (one page)", page, file_name=f"fairtrial-handout-trial-{trial_id}.html",
            mime="text/html", icon=":material/print:", key=key,
            help="One sheet for a class: the question, the data, what the checks found, the verdict in words, "
                 "the key numbers, words to know and a question to discuss. Open it and print it (A4 or Letter).")
