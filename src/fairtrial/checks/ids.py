"""ID columns: labels of rows rather than properties of them (left out), and IDs shared by
several rows (a customer, a job advert, the unit of a panel), which also say which rows belong
together: the report proposes such a column as the trial's group (``runner._proposed_group``).
Which columns are IDs is decided by ``kinds.infer_kind``; this check words the finding and
still tests whether the ID predicts the target (IDs handed out in outcome order)."""

from __future__ import annotations

from .. import settings
from ..findings import Finding
from ..kinds import looks_like_id_name, panel_time
from ._context import EXCLUDED, CheckContext
from ._words import count, plain, q, score_words
from .leakage import column_score, leak_thresholds, sampling_info

__all__ = ["check_id_like"]


def check_id_like(ctx: CheckContext) -> list[Finding]:
    """Columns that label rows (kind "id"): left out. An ID on several rows (a customer, a job
    advert) also says which rows belong together: ``details["repeats"]`` and ``rows_per_id``,
    and the report proposes it as the trial's group column."""
    out = []
    skip = set(ctx.excluded_by(("pii", "constant")))
    warn = leak_thresholds(ctx)[0]
    signal = float(settings.get("id_signal_auc" if ctx.is_class else "id_signal_r2"))
    for column in ctx.candidates():
        if column in skip or ctx.kind(column) != "id":
            continue
        n_unique = ctx.nunique(column)
        filled = int(ctx.frame[column].notna().sum())
        share = n_unique / filled if filled else 0.0
        counts = ctx.value_counts(column)
        counts = counts[counts.index.notna()]
        repeats = share < 0.999
        time = panel_time(ctx.frame, column, ctx.kinds) if repeats else None
        rows_per_id = filled / n_unique if n_unique else 0.0
        most = int(counts.max()) if len(counts) else 0
        score = column_score(ctx, column)
        metric = "AUC" if ctx.is_class else "R²"
        if not repeats:
            seen = f"{q(column)} looks like an ID: every row has its own value ({count(n_unique)} different values)."
        else:
            seen = (f"{q(column)} looks like an ID shared by several rows: {count(n_unique)} different values on "
                    f"{count(filled)} filled rows, {rows_per_id:.1f} rows per value on average (up to {count(most)}).")
            if time is not None:
                seen += (f" Each value has at most one row per {q(time)}: the table is a panel, the same units seen "
                         "at several times, and the rows of one unit are related.")
        seen += (" An ID is a label for the row, not a property of it, so what a model learns from it does not carry "
                 "over to new rows. FairTrial left it out.")
        if repeats:
            seen += (f" Rows with the same {q(column)} belong together; FairTrial keeps them on one side of every "
                     "split, so a model is never tested on rows it has partly seen already.")
        if score >= warn:
            seen += f" It also predicts {q(ctx.target)} strongly on its own: see the leakage finding."
        elif score >= signal:
            seen += (f" It still predicts {q(ctx.target)} a little ({score_words(metric, score)}): IDs were probably "
                     "handed out in an order linked to the outcome, such as older customers having lower numbers.")
        suggestion = f"Nothing to do. If {q(column)} is really a measurement, switch it back on."
        if repeats:
            suggestion = (f"Nothing to do. If rows with the same {q(column)} are really unrelated, choose no group "
                          "column for the trial; if it is a measurement, switch it back on.")
        out.append(Finding(
            check="id_like", severity="info", columns=(column,), title="Looks like an ID",
            message=seen,
            suggestion=suggestion,
            details=plain({"distinct_values": n_unique, "filled_rows": filled, "unique_share": share,
                           "id_like_name": looks_like_id_name(column), "score": score, "metric": metric,
                           "repeats": repeats, "rows_per_id": rows_per_id, "most_rows_per_id": most,
                           "panel_time": time,
                           **sampling_info(ctx), "reason": "looks like an ID (a label for the row)"}),
            action=EXCLUDED,
        ))
    return out
