"""Classroom lessons: "break it on purpose".

Each lesson plants one classic problem in a COPY of a sample table (never the file itself),
the same way every time (``lesson_seed``), so a class can watch FairTrial's checks catch it
and an A/B trial expose it:

- ``leak``: a column known only after the outcome (``certificate_issued`` in the students'
  table) gives the answer away; A uses it, B is the same recipe without it: A's near-perfect
  score is fake;
- ``rare``: most refused loans are dropped, so 'no' becomes a rare answer; always saying
  'yes' looks right 96 times in 100; A learns as usual, B gives the rare answer more weight;
- ``bias``: half of the women's loan approvals are turned into refusals; A may use
  ``gender``, B is the same recipe without it: A copies the unfair pattern;
- ``shuffle``: the answers of the students' table are shuffled, so nothing can be learned;
  the checks see a normal table, and only the trial shows that both recipes are no better
  than guessing.

A lesson is plain data plus a ``plant`` step; ``lesson_dataset`` gives the planted copy as a
``Dataset`` named clearly ("students — lesson: a leaky column"), ``lesson_plan`` the trial
that exposes it, and ``run_lesson`` runs the real checks and trial (``workflow.py``) and
says which of the expected findings the checks raised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pandas as pd

from . import settings
from .dataset import Dataset, canonical_sha256
from .errors import BadChoiceError
from .kinds import infer_kinds
from .samples import sample_by_file

__all__ = ["LESSONS", "TOUR", "TOUR_SAMPLE", "Lesson", "LessonRun", "Planted", "lesson_by_id", "lesson_dataset", "lesson_plan",
           "plant", "run_lesson"]


@dataclass(frozen=True)
class Expected:
    """A finding the checks must raise on the planted copy: its check (any of ``checks``: a leak
    may be caught as leakage or, when it is an almost exact give-away, as a copy of the target),
    the column it names first, and the severities that count as caught."""

    checks: tuple[str, ...]
    column: str
    severities: tuple[str, ...] = ("warning", "critical")


@dataclass(frozen=True)
class Lesson:
    """One "break it on purpose" lesson: what is planted, the story for students, what must
    catch it, the trial that exposes it, and what to discuss."""

    id: str
    title: str
    short: str  # for the dataset name: "students — lesson: a leaky column"
    sample: str  # the sample file the copy is made from
    what_we_did: str
    look_for: str
    teaches: str
    expected: tuple[Expected, ...]  # the findings that must catch it (empty: no data check can, see ``no_check``)
    no_check: str  # why no data check catches it ('' when one does)
    trial: dict[str, Any]  # recipe_a / recipe_b, or recipe + without (the column B leaves out)
    promise: str  # what the trial shows, in words
    terms: tuple[str, ...]  # glossary ids for the handout
    discuss: str

    @property
    def target(self) -> str:
        return sample_by_file(self.sample).target

    @property
    def sample_name(self) -> str:
        return self.sample.rsplit(".", 1)[0]

    @property
    def dataset_name(self) -> str:
        return f"{self.sample_name} — lesson: {self.short}"

    def story(self) -> str:
        """The whole story in three short paragraphs, to read aloud."""
        return (f"What we did: {self.what_we_did}\n\nWhat to look for: {self.look_for}\n\n"
                f"What it teaches: {self.teaches}")


@dataclass(frozen=True, eq=False)
class Planted:
    """The planted copy and what was done to it, in numbers (for the story and the tests)."""

    frame: pd.DataFrame
    facts: dict[str, Any] = field(default_factory=dict)


# --- the planting steps (each on a copy; the same seed gives the same rows) -----------------------
def _plant_leak(frame: pd.DataFrame, target: str, rng: np.random.Generator) -> Planted:
    out = frame.copy()
    passed = out[target].astype(str).eq("pass").to_numpy()
    unrecorded = rng.random(len(out)) < float(settings.get("lesson_leak_unrecorded_share"))
    issued = np.where(passed & ~unrecorded, "yes", "no")
    out.insert(out.columns.get_loc(target), "certificate_issued", issued)
    return Planted(out, {"column": "certificate_issued", "passed": int(passed.sum()),
                         "passed_without_certificate": int((passed & unrecorded).sum()),
                         "failed_with_certificate": 0})


def _plant_rare(frame: pd.DataFrame, target: str, rng: np.random.Generator) -> Planted:
    answers = frame[target].astype(str)
    refused = np.flatnonzero(answers.eq("no").to_numpy())
    keep_n = max(int(round(len(refused) * float(settings.get("lesson_keep_share")))), 1)
    kept = set(rng.choice(refused, size=keep_n, replace=False).tolist())
    mask = ~answers.eq("no").to_numpy() | np.isin(np.arange(len(frame)), sorted(kept))
    out = frame.loc[mask].reset_index(drop=True)
    share = float(out[target].astype(str).eq("no").mean())
    return Planted(out, {"column": target, "rare_answer": "no", "dropped_rows": int(len(frame) - len(out)),
                         "rows": int(len(out)), "rare_rows": keep_n, "rare_share": share,
                         "always_yes_accuracy": 1.0 - share})


def _plant_bias(frame: pd.DataFrame, target: str, rng: np.random.Generator) -> Planted:
    out = frame.copy()
    group = out["gender"].astype(str).eq("female").to_numpy()
    before = {g: float(out.loc[out["gender"] == g, target].astype(str).eq("yes").mean())
              for g in ("female", "male")}
    yes = out[target].astype(str).eq("yes").to_numpy()
    flip = group & yes & (rng.random(len(out)) < float(settings.get("lesson_flip_share")))
    out.loc[flip, target] = "no"
    after = {g: float(out.loc[out["gender"] == g, target].astype(str).eq("yes").mean())
             for g in ("female", "male")}
    return Planted(out, {"column": "gender", "group": "female", "flipped_rows": int(flip.sum()),
                         "approval_before": before, "approval_after": after})


def _plant_shuffle(frame: pd.DataFrame, target: str, rng: np.random.Generator) -> Planted:
    out = frame.copy()
    out[target] = rng.permutation(out[target].to_numpy())
    return Planted(out, {"column": target, "moved_rows": int((out[target] != frame[target]).sum())})


_PLANTERS: dict[str, Callable[[pd.DataFrame, str, np.random.Generator], Planted]] = {
    "leak": _plant_leak, "rare": _plant_rare, "bias": _plant_bias, "shuffle": _plant_shuffle}


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        id="leak", title="A leaky column: a clue from the future", short="a leaky column", sample="students.csv",
        what_we_did="We added a column called 'certificate_issued' to the students' table. The school prints a "
                    "certificate only after a student has passed, so this column is filled in after the exam. When "
                    "you want to predict who will pass, no certificate exists yet.",
        look_for="On the Check page, FairTrial flags 'certificate_issued' as a column that gives the answer away "
                 "(leakage: here it is almost a copy of 'passed') and leaves it out. In the trial, recipe A may use it and recipe B is the same recipe without "
                 "it. A scores almost 100%, and FairTrial warns that this is too good to be true.",
        teaches="A score that looks perfect is usually a mistake, not a miracle. A model that uses a clue from the "
                "future will fail in real life, because the clue is not there yet when the prediction is needed. "
                "B's lower score is the honest one.",
        expected=(Expected(("leakage", "target_copy"), "certificate_issued", ("critical",)),), no_check="",
        trial={"recipe": "simple", "without": "certificate_issued"},
        promise="A's near-perfect score is fake: FairTrial calls it too good to be true, and B, the same recipe "
                "without 'certificate_issued', still does clearly better than always guessing.",
        terms=("leakage", "accuracy", "baseline", "holdout", "interval"),
        discuss="Think of a prediction at your school or at home. Which clue would only be known after the thing "
                "you want to predict has happened?"),
    Lesson(
        id="rare", title="A rare answer: when 96% right means nothing", short="a rare answer", sample="loans.csv",
        what_we_did="We dropped most of the refused loans from the bank's table and kept about 6 in 100 of them. Now "
                    "almost every row says 'approved = yes'.",
        look_for="On the Check page, FairTrial says the answers are strongly imbalanced. It switches the main score "
                 "from accuracy to balanced accuracy, which counts the 'yes' rows and the rare 'no' rows equally. In "
                 "the trial, recipe A learns as usual and recipe B gives the rare answer more weight (balanced "
                 "weights).",
        teaches="When one answer is rare, always guessing the common answer is right almost every time and still "
                "useless: it never finds a single refusal. Use a score that counts every answer equally, and help "
                "the model notice the rare answer.",
        expected=(Expected(("imbalance",), "approved", ("critical",)),), no_check="",
        trial={"recipe_a": "simple:none", "recipe_b": "simple:balanced"},
        promise="FairTrial scores with balanced accuracy, not accuracy, and B, which gives the rare 'no' more "
                "weight, beats A.",
        terms=("imbalance", "balanced_accuracy", "accuracy", "baseline", "balanced_weights"),
        discuss="A smoke alarm that never rings is right on almost every day of the year. Is it a good alarm? How "
                "would you score it instead?"),
    Lesson(
        id="bias", title="Biased answers: a model copies what it is shown", short="biased answers",
        sample="loans.csv",
        what_we_did="We changed half of the approved loans of women in the bank's table into refusals. Nothing "
                    "else about these women changed: same income, same credit score. The answers are now unfair on "
                    "purpose.",
        look_for="On the Check page, FairTrial finds that the approval rate differs a lot between the gender groups "
                 "(a group gap). In the trial, recipe A may use 'gender' and recipe B is the same recipe without "
                 "it. Look at the group results: A says 'yes' to women much less often than to men.",
        teaches="A model learns the pattern in the answers it is given, fair or not. If the past was unfair, a "
                "model trained on it repeats the unfairness, and its score even rewards it for that. Leaving the "
                "group column out helps here, but watch for other columns that give the group away (stand-ins).",
        expected=(Expected(("group_gap",), "gender", ("critical",)),), no_check="",
        trial={"recipe": "simple", "without": "gender"},
        promise="A, which sees 'gender', copies the unfair pattern and treats the gender groups less evenly than B, "
                "the same recipe without 'gender'.",
        terms=("group_gap", "selection_rate", "demographic_parity", "proxy", "accuracy"),
        discuss="If a model is trained on unfair decisions from the past, whose job is it to notice? What could the "
                "bank do instead of just leaving the 'gender' column out?"),
    Lesson(
        id="shuffle", title="Shuffled answers: nothing to learn", short="shuffled answers", sample="students.csv",
        what_we_did="We shuffled the 'passed' column of the students' table like a deck of cards. Each student now "
                    "has someone else's result, so the other columns say nothing about the answer.",
        look_for="The Check page finds nothing new: the table looks normal, with the same columns and the same "
                 "number of passes and fails. Only the trial shows the problem: both recipes are no better than "
                 "always guessing 'pass'.",
        teaches="Checks look at the table; only a fair test shows whether there is anything to learn. A model can "
                "always be trained, but on random answers its score is no better than guessing, and FairTrial says "
                "so instead of naming a winner.",
        expected=(),
        no_check="Shuffling keeps every column and the share of each answer exactly as before, so the table looks "
                 "normal to every data check; the checks look for columns that give the answer away, not for "
                 "columns that say too little. Only the trial can show that nothing can be learned.",
        trial={"recipe_a": "simple", "recipe_b": "tree"},
        promise="Neither recipe is clearly better than always guessing, so FairTrial names no winner.",
        terms=("baseline", "accuracy", "resplit", "interval", "p_value"),
        discuss="How would you tell the difference between a model that learned something and one that got lucky?"),
)


# The guided tour over the clean students' sample: numbered steps, what to click and what to look at.
TOUR_SAMPLE = "students.csv"
TOUR: tuple[tuple[str, str, str], ...] = (
    ("Upload", "Press 'Load the students' table' below (or, on the Upload page, pick the sample 'Student pass/fail (classroom)').",
     "Look at the preview: 600 students, one row each. The last column, 'passed', is what we want to predict."),
    ("Check", "Open the Check page. 'passed' is already chosen as the column to predict.",
     "Read 'Things to know': 'student_no' is an ID (one per student), so FairTrial leaves it out: a student's "
     "number says nothing about passing. There are no problems to fix: this table is clean."),
    ("Trial", "Open the Trial page, keep 'Simple (logistic/linear)' as recipe A, choose 'Decision tree' as recipe B, "
              "and press 'Start the trial'.",
     "The progress bar shows each re-split: both recipes learn from the same rows and are tested on the same "
     "other rows, so the race is fair."),
    ("Results", "Read the verdict at the top of the Results page.",
     "Does a recipe win, and by how much? Is it 'unlikely to be luck'? Both recipes are compared with 'always "
     "guessing pass', which is right for 7 in 10 students: a useful model must do clearly better than that."),
    ("What mattered", "On the Results page, open the tab 'What mattered'.",
     "Which columns helped most? Study hours and attendance should matter; does anything surprise you?"),
    ("Break it", "Now open a lesson below and break the data on purpose.",
     "Watch which check catches the problem, and how the trial exposes it."),
)


def lesson_by_id(lesson_id: str) -> Lesson:
    for lesson in LESSONS:
        if lesson.id == lesson_id:
            return lesson
    raise BadChoiceError(f"There is no lesson called '{lesson_id}'.",
                         f"Choose one of: {', '.join(lesson.id for lesson in LESSONS)}.")


def plant(lesson: Lesson, frame: pd.DataFrame, seed: int | None = None) -> Planted:
    """Plant the lesson's problem in a copy of ``frame`` (the sample table); ``frame`` is not changed."""
    rng = np.random.default_rng(int(settings.get("lesson_seed") if seed is None else seed))
    if lesson.target not in frame.columns:
        raise BadChoiceError(f"The lesson needs the column '{lesson.target}'.", "Use the lesson's own sample table.")
    return _PLANTERS[lesson.id](frame, lesson.target, rng)


def lesson_dataset(lesson: Lesson, seed: int | None = None) -> tuple[Dataset, Planted]:
    """The planted copy of the lesson's sample as a new ``Dataset`` with a clear name."""
    from .load import load_file

    sample = sample_by_file(lesson.sample)
    original = load_file(sample.path, sheet=sample.sheet)
    planted = plant(lesson, original.frame, seed)
    frame = planted.frame
    kinds = {c: original.kinds[c] for c in frame.columns if c in original.kinds}
    new = [c for c in frame.columns if c not in kinds]
    if new:
        kinds.update(infer_kinds(frame[new]))
    kinds = {c: kinds[c] for c in frame.columns}
    note = f"A copy of the sample '{lesson.sample}' with a problem planted on purpose for the lesson '{lesson.title}'."
    ds = Dataset(name=lesson.dataset_name, frame=frame, kinds=kinds, sha256=canonical_sha256(frame),
                 source_file=lesson.sample, sheet=original.sheet, notes=(*original.notes, note),
                 read_options=dict(original.read_options or {}))
    return ds, planted


def lesson_plan(lesson: Lesson, report: Any, ds: Dataset, **options: Any) -> Any:
    """The trial that exposes the lesson's problem, following the checks in everything else."""
    from .workflow import plan_from_checks, plan_with_and_without

    spec = lesson.trial
    if "without" in spec:
        return plan_with_and_without(lesson.target, report, spec["without"], kinds=ds.kinds, recipe=spec["recipe"],
                                     **options)
    return plan_from_checks(lesson.target, report, recipe_a=spec["recipe_a"], recipe_b=spec["recipe_b"], **options)


@dataclass(frozen=True, eq=False)
class LessonRun:
    """A lesson run end to end: the stored planted copy, what the checks caught, the trial."""

    lesson: Lesson
    dataset: Dataset
    planted: Planted
    report: Any  # checks.CheckReport
    caught: tuple[Any, ...]  # the expected findings the checks raised
    missed: tuple[Expected, ...]  # expected findings the checks did not raise (none when all is well)
    trial_id: int | None
    result: dict[str, Any]  # what ``fairtrial compare --json`` prints

    def caught_words(self) -> str:
        """One sentence on what the checks caught, for the story."""
        if not self.lesson.expected:
            return self.lesson.no_check
        if self.missed:
            return ("The checks did not raise everything this lesson expects: "
                    + "; ".join(f"{' or '.join(e.checks)} on '{e.column}'" for e in self.missed) + ".")
        return "The checks caught it: " + " ".join(f"{f.title}: {f.message}" for f in self.caught)


def caught_findings(lesson: Lesson, findings: list[Any]) -> tuple[tuple[Any, ...], tuple[Expected, ...]]:
    """The findings that match the lesson's expected ones, and the expected ones no finding matched."""
    caught, missed = [], []
    for exp in lesson.expected:
        match = [f for f in findings if f.check in exp.checks and f.columns and f.columns[0] == exp.column
                 and f.severity in exp.severities]
        caught += match[:1]
        if not match:
            missed.append(exp)
    return tuple(caught), tuple(missed)


def run_lesson(store: Any, lesson: Lesson, *, seed: int | None = None, progress: Any = None,
               **options: Any) -> LessonRun:
    """Store the planted copy (when a store is given), run the checks and the lesson's trial."""
    from .workflow import check_dataset, run_compare

    ds, planted = lesson_dataset(lesson, seed)
    if store is not None:
        ds, _ = store.save_dataset(ds)
    report, _ = check_dataset(store, ds, lesson.target)
    caught, missed = caught_findings(lesson, report.findings)
    plan = lesson_plan(lesson, report, ds, **options)
    trial_id, result, _ = run_compare(store, ds, plan, progress=progress, findings=report.findings)
    return LessonRun(lesson, ds, planted, report, caught, missed, trial_id, result)

