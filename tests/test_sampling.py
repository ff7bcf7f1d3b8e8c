"""The training sample of a trial above a row limit (fairtrial.sampling), and what it does to the
splits, the verdict, the JSON, the reports and a re-run. Every test uses a small limit through the
``max_training_rows`` setting on small data, never a huge file."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pandas as pd
import pytest
from trial_frames import BINARY, learnable

from fairtrial.load import load_file
from fairtrial.rerun import compare_results
from fairtrial.sampling import sample_sentence, training_sample
from fairtrial.splits import make_splits
from fairtrial.store import Store
from fairtrial.task import TaskInfo
from fairtrial.trial import TrialPlan, run_trial
from fairtrial.workflow import report_bytes, run_compare

NUMERIC = TaskInfo("numeric", "test", (), None)


# --- the sample itself ------------------------------------------------------------------------------
def test_under_the_limit_every_row_is_kept_and_nothing_is_said():
    kept, sample = training_sample(500, 500, seed=0, labels=np.array(["a", "b"] * 250))
    assert sample is None and np.array_equal(kept, np.arange(500))
    assert training_sample(500, 0, seed=0)[1] is None  # 0: no limit
    assert sample_sentence(None, 100) == ""


def test_the_sample_keeps_the_share_of_each_answer_exactly():
    labels = np.array(["yes"] * 1_000 + ["no"] * 8_000 + ["maybe"] * 1_000)
    kept, sample = training_sample(len(labels), 1_000, seed=4, labels=labels)
    assert sample.rows == 1_000 and sample.of == 10_000 and sample.how == "stratified"
    counts = pd.Series(labels[kept]).value_counts()
    assert counts.to_dict() == {"no": 800, "yes": 100, "maybe": 100}
    assert np.all(np.diff(kept) > 0)  # sorted positions, no row twice


def test_a_rare_answer_keeps_at_least_one_row_per_fold():
    labels = np.array(["rare"] * 20 + ["common"] * 9_980)
    kept, _ = training_sample(len(labels), 500, seed=1, labels=labels, least_per_class=5)
    assert (labels[kept] == "rare").sum() == 5  # 500 x 0.2% would be 1


def test_the_same_seed_draws_the_same_sample_and_another_seed_another():
    labels = np.array(["a", "b", "b"] * 1_000)
    first = training_sample(3_000, 600, seed=7, labels=labels)[0]
    assert np.array_equal(first, training_sample(3_000, 600, seed=7, labels=labels)[0])
    assert not np.array_equal(first, training_sample(3_000, 600, seed=8, labels=labels)[0])


def test_groups_are_kept_whole_and_the_limit_is_not_passed():
    groups = np.repeat([f"g{i}" for i in range(300)], 10)  # 300 groups of 10 rows
    kept, sample = training_sample(len(groups), 1_005, seed=2, groups=groups)
    assert sample.how == "groups" and sample.rows == 1_000 and (sample.groups, sample.groups_of) == (100, 300)
    inside = set(groups[kept])
    assert all((groups == g).sum() == (groups[kept] == g).sum() for g in inside)  # every row of a kept group


# --- the splits: holdout first, from all rows -----------------------------------------------------------
def _frame(n: int = 3_000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"x": rng.normal(size=n), "id": np.arange(n), "shop": rng.integers(0, 150, n).astype(str),
                         "target": rng.choice(["no", "yes"], size=n, p=[0.85, 0.15])})


def test_the_holdout_is_the_same_random_share_with_or_without_a_sample():
    frame = _frame()
    whole = make_splits(frame, "target", BINARY, folds=5, repeats=1, seed=3, max_training_rows=0)
    sampled = make_splits(frame, "target", BINARY, folds=5, repeats=1, seed=3, max_training_rows=800)
    assert whole.training_sample is None
    assert np.array_equal(whole.holdout, sampled.holdout) and len(sampled.holdout) == 600
    assert len(sampled.pool) == 800 and set(sampled.pool) <= set(whole.pool)
    for train, test in sampled.pairs:  # folds and final fits use only the sample
        assert set(train) | set(test) <= set(sampled.pool)
    share = lambda rows: (frame["target"].to_numpy()[rows] == "yes").mean()  # noqa: E731
    assert share(sampled.pool) == pytest.approx(share(whole.pool), abs=1 / 800)
    out = sampled.to_dict()
    assert out["train_rows"] == 800 and out["holdout_rows"] == 600
    assert out["training_sample"] == {"rows": 800, "of": 2_400, "left_out": 1_600, "limit": 800,
                                      "how": "stratified", "seed": 3}
    assert "random sample of 800 of the 2,400 other rows" in sampled.description


def test_a_grouped_sample_never_splits_a_group_between_training_left_out_and_holdout():
    frame = _frame()
    splits = make_splits(frame, "target", BINARY, folds=5, repeats=1, seed=5, group="shop", max_training_rows=700)
    shop = frame["shop"].to_numpy()
    pool, hold = set(shop[splits.pool]), set(shop[splits.holdout])
    left = set(shop[np.setdiff1d(np.arange(len(frame)), np.concatenate([splits.pool, splits.holdout]))])
    assert not pool & hold and not pool & left
    assert splits.training_sample.how == "groups" and len(splits.pool) <= 700


def test_rows_in_time_order_are_sampled_and_stay_in_order():
    frame = _frame(1_000)
    splits = make_splits(frame, "target", BINARY, folds=3, seed=1, time_ordered=True, max_training_rows=300)
    assert np.array_equal(splits.holdout, np.arange(800, 1_000))  # the last rows, as without a sample
    assert len(splits.pool) == 300 and np.all(np.diff(splits.pool) > 0) and splits.pool.max() < 800
    for train, test in splits.pairs:
        assert train.max() < test.min()


def test_number_targets_get_a_plain_random_sample():
    frame = _frame(1_000).assign(target=lambda f: f["x"] * 2)
    splits = make_splits(frame, "target", NUMERIC, folds=3, repeats=1, seed=1, max_training_rows=300)
    assert splits.training_sample.how == "random" and len(splits.pool) == 300


# --- the trial: verdict, JSON, re-run ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def sampled_trial():
    frame, kinds = learnable(n=1_000, seed=2)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FAIRTRIAL_MAX_TRAINING_ROWS", "300")
        plan = TrialPlan(target="target", recipe_a="simple", recipe_b="tree", folds=3, repeats=1, seed=9)
        result = run_trial(frame, kinds, plan)
    return frame, kinds, plan, result


def test_the_plan_records_the_limit_so_a_rerun_draws_the_same_sample(sampled_trial):
    frame, kinds, plan, result = sampled_trial
    assert plan.max_training_rows == 300 and plan.to_dict()["max_training_rows"] == 300
    again = run_trial(frame, kinds, TrialPlan.from_dict(plan.to_dict()))  # the setting is back at its default
    assert np.array_equal(again.splits.pool, result.splits.pool)
    assert compare_results(result.to_dict(), again.to_dict()).same


def test_a_plan_stored_before_the_limit_existed_reruns_on_every_row(monkeypatch):
    monkeypatch.setenv("FAIRTRIAL_MAX_TRAINING_ROWS", "300")
    old = TrialPlan(target="target", recipe_a="simple", recipe_b="tree", folds=3, repeats=1, seed=9).to_dict()
    del old["max_training_rows"]  # as trials stored before issue 13 read back
    assert TrialPlan.from_dict(old).max_training_rows == 0  # no limit: those trials trained on every row
    assert TrialPlan(target="target", recipe_a="simple", recipe_b="tree").max_training_rows == 300  # new ones: the setting


def test_the_verdict_and_the_json_say_the_trial_trained_on_a_sample(sampled_trial):
    _, _, _, result = sampled_trial
    data = result.to_dict()
    assert data["splits"]["training_sample"]["rows"] == 300 and data["splits"]["train_rows"] == 300
    assert data["splits"]["holdout_rows"] == 200
    words = " ".join(result.verdict.sentences)
    assert ("The recipes trained on 300 of 800 rows, a random sample that keeps the share of each answer" in words)
    assert "The other 500 rows were not used for training or testing." in words
    assert "The final check used 200 rows nobody trained on" in words
    assert "Every row of the file took part" not in words
    assert "re-splits of 300 rows" in words


def test_a_trial_under_the_limit_says_nothing_about_a_sample():
    frame, kinds = learnable(n=300, seed=2)
    result = run_trial(frame, kinds, TrialPlan(target="target", recipe_a="simple", recipe_b="tree", folds=3,
                                               repeats=1))
    assert result.to_dict()["splits"]["training_sample"] is None
    assert "sample" not in " ".join(result.verdict.sentences)
    assert "Every row of the file took part" in " ".join(result.verdict.sentences)


def test_the_excel_report_and_the_html_summary_say_so(monkeypatch):
    frame, _ = learnable(n=600, seed=3)
    store = Store()
    ds, _ = store.save_dataset(load_file(frame.to_csv(index=False).encode(), filename="shop.csv"))
    monkeypatch.setenv("FAIRTRIAL_MAX_TRAINING_ROWS", "200")
    plan = TrialPlan(target="target", recipe_a="simple", recipe_b="tree", folds=3, repeats=1, seed=1)
    trial_id, data, _ = run_compare(store, ds, plan)
    xlsx, page = report_bytes(store, trial_id)
    sentence = "The recipes trained on 200 of 480 rows, a random sample that keeps the share of each answer"
    assert sentence in page and "Rows trained on (a random sample)" in page and "200 of 480" in page
    with zipfile.ZipFile(io.BytesIO(xlsx)) as book:
        strings = book.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in book.namelist() else ""
        sheets = "".join(book.read(n).decode() for n in book.namelist() if n.startswith("xl/worksheets/"))
    assert sentence in strings + sheets and "Rows trained on (a random sample)" in strings + sheets
