"""Data checks before training: leakage, imbalance, bias, personal data and quality.

``run_checks(frame, target, ...)`` runs every check in ``CHECKS`` (one shape: a ``Check``
with an id, a title, a one-line description and a ``run(context) -> list[Finding]``) and
returns a ``CheckReport``. ``CHECK_IDS`` maps each stable check id to a one-line description
(the README lists them). Methods and thresholds follow ``shared/CHECKS.md``; every number
is a setting in ``fairtrial.settings``.

Modules, one per family: ``target`` (task, imbalance, rare_class), ``quality`` (duplicates,
constant, high_cardinality, mixed_types, missing, outliers), ``personal`` (pii), ``leakage``
(target_copy, missingness_leakage, leakage, post_outcome_name), ``ids`` (id_like), ``labels``
(conflicting_labels), ``bias`` (sensitive, group_gap, proxy).
"""

from __future__ import annotations

from ._context import EXCLUDED, KEPT_ASIDE, REMOVED, ROWS_LEFT_OUT, SWITCHED_BACK_ON, Check, CheckContext
from .bias import check_group_gap, check_proxy, check_sensitive, group_codes
from .labels import check_conflicting_labels
from .ids import check_id_like
from .leakage import (
    column_vs_target,
    check_leakage,
    check_missingness_leakage,
    check_post_outcome_name,
    check_target_copy,
)
from .personal import check_pii
from .quality import (
    check_constant,
    check_duplicates,
    check_high_cardinality,
    check_missing,
    check_mixed_types,
    check_outliers,
)
from .runner import CheckReport, run_checks
from .target import check_imbalance, check_rare_class, check_task

# The registry, in the order the checks run: later checks read what earlier ones found
# (personal data and IDs are left out before leakage is judged on the remaining columns).
CHECKS: tuple[Check, ...] = (
    Check("task", "what will be predicted",
          "Which task FairTrial will run (yes/no, one of several answers, or a number) and why.", check_task),
    Check("rare_class", "rare answers",
          "An answer with so few rows that each test fold sees fewer than 30 of them (a warning under 5).",
          check_rare_class),
    Check("imbalance", "class balance",
          "One answer is much rarer than the others (binary: under 20%, 10%, 2% of rows).", check_imbalance),
    Check("duplicates", "copied rows",
          "Rows equal to another row in every column, IDs included; FairTrial removes the copies before splitting.", check_duplicates),
    Check("pii", "personal data",
          "E-mail addresses, phone, card and bank numbers, national IDs or names; left out, never shown.", check_pii),
    Check("constant", "constant columns",
          "A column with the same value on every row (left out) or on at least 99% of rows.", check_constant),
    Check("id_like", "ID columns",
          "A column that labels rows rather than describing them; left out, but still tested for leakage.",
          check_id_like),
    Check("high_cardinality", "free text",
          "Text with more than 50 different values, over half of them unique: free text or a label per row.",
          check_high_cardinality),
    Check("mixed_types", "mixed numbers and words",
          "A column where 1-10% of cells are of the other type (numbers among words or words among numbers).",
          check_mixed_types),
    Check("sensitive", "sensitive columns",
          "Columns describing who a person is (gender, age, ethnicity, religion ...), by name and by values.",
          check_sensitive),
    Check("target_copy", "copies of the target",
          "A column that is the target in other words (Cramér's V >= 0.95, rank correlation >= 0.99); left out.",
          check_target_copy),
    Check("missingness_leakage", "fields filled in after the outcome",
          "Whether a cell is empty tells the answer (a field filled in only after the outcome).",
          check_missingness_leakage),
    Check("leakage", "leakage",
          "One column alone predicts the target (out-of-fold AUC or R², per answer); left out only on evidence "
          "of a leak.", check_leakage),
    Check("post_outcome_name", "outcome-like names",
          "A hint: the column's name sounds like a status, result, cancellation or refund recorded afterwards.",
          check_post_outcome_name),
    Check("missing", "empty cells",
          "Share of empty cells per column (over 5%, over 50%), and rows without a target.", check_missing),
    Check("outliers", "unusual values",
          "Numbers far from the rest (robust z-score over 3.5, from the median and MAD).", check_outliers),
    Check("conflicting_labels", "same rows, different answers",
          "Rows identical in every column the model uses but with different answers.", check_conflicting_labels),
    Check("group_gap", "outcome gaps between groups",
          "The outcome rate differs between groups of a sensitive column (with 95% Wilson intervals).",
          check_group_gap),
    Check("proxy", "stand-ins for sensitive columns",
          "A column that alone predicts a sensitive column (AUC >= 0.8 or Cramér's V >= 0.5).", check_proxy),
)

_DOC_ORDER = (
    "leakage", "missingness_leakage", "target_copy", "id_like", "imbalance", "rare_class", "conflicting_labels",
    "sensitive", "group_gap", "proxy", "pii", "missing", "constant", "high_cardinality", "duplicates",
    "mixed_types", "outliers", "post_outcome_name", "task",
)
_BY_ID = {c.id: c for c in CHECKS}

# Every check id with its one-line description, in the order the README lists them.
CHECK_IDS: dict[str, str] = {check_id: _BY_ID[check_id].description for check_id in _DOC_ORDER}

__all__ = [
    "CHECKS",
    "CHECK_IDS",
    "EXCLUDED",
    "KEPT_ASIDE",
    "REMOVED",
    "ROWS_LEFT_OUT",
    "SWITCHED_BACK_ON",
    "Check",
    "CheckContext",
    "CheckReport",
    "column_vs_target",
    "group_codes",
    "run_checks",
]
