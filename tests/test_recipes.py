"""Recipes: stable names, JSON round trips, and pipelines that prepare data inside each fit."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import TunedThresholdClassifierCV
from sklearn.pipeline import Pipeline
from trial_frames import BINARY, mixed

from fairtrial.errors import BadChoiceError
from fairtrial.recipes import (
    RECIPE_NAMES,
    RECIPES,
    Categories,
    Recipe,
    ToNumbers,
    build_pipeline,
    prepared_columns,
    recipe_notes,
    used_columns,
)
from fairtrial.task import TaskInfo

MULTI = TaskInfo("multiclass", "test", ("a", "b", "c"))


def test_recipe_names_are_stable():
    assert RECIPE_NAMES == ("baseline", "simple", "tree", "forest", "boosting", "knn", "bayes")
    for name in RECIPE_NAMES:
        info = RECIPES[name]
        assert info.label and info.classes_text.endswith(".") and info.numbers_text.endswith(".")


@pytest.mark.parametrize("text, expected", [
    ("forest", Recipe("forest")),
    ("Random forest", Recipe("forest")),
    ("  Gradient boosting ", Recipe("boosting")),
    ("forest:thorough", Recipe("forest", speed="thorough")),
    ("boosting:balanced:thorough", Recipe("boosting", speed="thorough", imbalance="balanced")),
    ("simple:threshold", Recipe("simple", imbalance="threshold")),
    ("rf", Recipe("forest")),
])
def test_parse_reads_names_labels_and_options(text, expected):
    assert Recipe.parse(text) == expected


@pytest.mark.parametrize("text, match", [
    ("deep learning", "Unknown recipe 'deep learning'"),
    ("forest:fast", "Unknown recipe option 'fast'"),
])
def test_parse_refuses_unknown_text_in_plain_words(text, match):
    with pytest.raises(BadChoiceError, match=match):
        Recipe.parse(text)


def test_recipe_round_trips_through_json():
    recipe = Recipe("knn", speed="thorough", imbalance="balanced", features=["x0", "shop"])
    assert recipe.features == ("x0", "shop")
    again = Recipe.from_dict(json.loads(json.dumps(recipe.to_dict())))
    assert again == recipe
    assert Recipe.parse(recipe.short()) == dataclasses.replace(recipe, features=None)


def test_label_and_description_follow_the_task():
    assert Recipe("baseline").label_for("binary") == "Always guess the most common"
    assert Recipe("baseline").label_for("numeric") == "Always guess the typical value"
    assert "median" in Recipe("baseline").description("numeric")
    assert "Bayesian linear" in Recipe("bayes").description("numeric")


@pytest.mark.parametrize("name", RECIPE_NAMES)
@pytest.mark.parametrize("task", ["binary", "multiclass", "numeric"])
def test_every_recipe_fits_every_task_on_messy_columns(name, task):
    frame, kinds = mixed()
    rng = np.random.default_rng(0)
    if task == "binary":
        y, info = frame["target"].to_numpy(dtype=object), BINARY
    elif task == "multiclass":
        y, info = rng.choice(["a", "b", "c"], size=len(frame)).astype(object), MULTI
    else:
        y, info = rng.normal(size=len(frame)), TaskInfo("numeric", "test")
    pipe = build_pipeline(Recipe(name), info, kinds, list(kinds), seed=1)
    pipe.fit(frame, y)
    new = frame.head(5).copy()
    new.loc[new.index[0], "shop"] = "a shop never seen"
    new.loc[new.index[1], "amount"] = "twelve"
    pred = pipe.predict(new)
    assert len(pred) == 5


def test_preparation_sits_inside_the_pipeline():
    frame, kinds = mixed()
    pipe = build_pipeline(Recipe("simple"), BINARY, kinds, list(kinds), seed=0)
    assert isinstance(pipe, Pipeline)
    assert [name for name, _ in pipe.steps] == ["prepare", "model"]
    assert not hasattr(pipe.named_steps["prepare"], "transformers_")  # nothing fitted until a fold fits it


def test_text_and_id_columns_are_left_out_unless_named():
    frame, kinds = mixed()
    assert used_columns(Recipe("simple"), kinds, list(kinds)) == ["amount", "visits", "shop", "member", "joined"]
    pipe = build_pipeline(Recipe("simple"), BINARY, kinds, list(kinds), seed=0).fit(frame, frame["target"])
    names = list(pipe.named_steps["prepare"].get_feature_names_out())
    assert not any("note" in n or "customer_id" in n for n in names)
    assert {"joined_year", "joined_month", "joined_weekday", "missingindicator_amount"} <= set(names)

    chosen = Recipe("simple", features=("note", "amount"))
    pipe = build_pipeline(chosen, BINARY, kinds, list(kinds), seed=0).fit(frame, frame["target"])
    names = list(pipe.named_steps["prepare"].get_feature_names_out())
    assert "good" in names and "amount" in names


def test_numbers_with_stray_text_are_read_as_blanks():
    out = ToNumbers().fit_transform(pd.DataFrame({"a": ["1.5", " 2 ", "n/a", None, 3]}))
    np.testing.assert_array_equal(np.isnan(out[:, 0]), [False, False, True, True, False])
    assert out[0, 0] == 1.5 and out[1, 0] == 2.0 and out[4, 0] == 3.0


def test_rare_and_unseen_categories_are_pooled():
    train = pd.DataFrame({"c": ["a"] * 50 + ["b"] * 49 + ["rare"]})
    enc = Categories(min_share=0.05, max_levels=30).fit(train)
    assert list(enc.get_feature_names_out()) == ["c=a", "c=b", "c=(other)"]
    out = enc.transform(pd.DataFrame({"c": ["a", "rare", "never seen", None]}))
    np.testing.assert_array_equal(out, [[1, 0, 0], [0, 0, 1], [0, 0, 1], [0, 0, 1]])



def test_category_codes_keep_and_pool_the_same_values_as_the_yes_no_columns():
    train = pd.DataFrame({"c": ["a"] * 50 + ["b"] * 49 + ["rare"], "d": ["x", "y"] * 50})
    new = pd.DataFrame({"c": ["a", "b", "rare", "never seen", None], "d": ["y", "x", "x", "z", "y"]})
    codes = Categories(min_share=0.05, max_levels=30, codes=True).fit(train)
    assert list(codes.get_feature_names_out()) == ["c", "d"]
    # the kept values by count (then name), then one code for (other): rare, unseen and blank
    np.testing.assert_array_equal(codes.transform(new), [[0, 1], [1, 0], [2, 0], [2, 2], [2, 1]])
    one_hot = Categories(min_share=0.05, max_levels=30).fit(train).transform(new)
    assert one_hot.shape == (5, 6)  # the same values, one 0/1 column each
    np.testing.assert_array_equal(one_hot[:, :3].argmax(axis=1), codes.transform(new)[:, 0])


def test_boosting_reads_the_label_columns_as_categories():
    frame, kinds = mixed()
    pipe = build_pipeline(Recipe("boosting"), BINARY, kinds, list(kinds), seed=0).fit(frame, frame["target"])
    names = list(pipe.named_steps["prepare"].get_feature_names_out())
    assert names[:2] == ["shop", "member"]  # one code column each, first
    model = pipe.named_steps["model"]
    assert list(model.categorical_features) == [0, 1]
    assert model.is_categorical_.tolist() == [True, True] + [False] * (len(names) - 2)
    simple = build_pipeline(Recipe("simple"), BINARY, kinds, list(kinds), seed=0).fit(frame, frame["target"])
    assert "shop=north" in simple.named_steps["prepare"].get_feature_names_out()  # the others: 0/1 columns


@pytest.mark.parametrize("name", ["simple", "boosting"])
def test_shuffling_an_input_column_shuffles_exactly_its_prepared_columns(name):
    frame, kinds = mixed()
    recipe = Recipe(name, features=tuple(kinds))  # text and ID columns too
    prepare = build_pipeline(recipe, BINARY, kinds, list(kinds), seed=0).fit(frame, frame["target"])[0]
    where = prepared_columns(prepare)
    assert set(where) == set(kinds)
    base = _dense(prepare.transform(frame))
    assert sorted(np.concatenate(list(where.values())).tolist()) == list(range(base.shape[1]))
    order = np.random.default_rng(1).permutation(len(frame))
    for col in kinds:
        moved = frame.copy()
        moved[col] = frame[col].to_numpy()[order]
        expected = base.copy()
        expected[:, where[col]] = base[order][:, where[col]]
        np.testing.assert_array_equal(_dense(prepare.transform(moved)), expected)


def _dense(matrix):
    return matrix.toarray() if hasattr(matrix, "toarray") else np.asarray(matrix)


def test_the_linear_classifier_learns_from_sparse_rows_with_the_same_result():
    """The simple recipe's 0/1 category columns are passed as a sparse matrix (only the ones
    are stored): lbfgs then reads about a third of the numbers per step. The loss, the solver
    and its steps are the same, so the model is the same up to rounding."""
    frame, kinds = mixed()
    cols = [c for c in kinds if c != "target"]
    fitted = build_pipeline(Recipe("simple"), BINARY, kinds, cols, seed=0).fit(frame, frame["target"])
    prepared = fitted[0].transform(frame)
    assert sp.issparse(prepared) and prepared.format == "csr"
    dense = LogisticRegression(**fitted[-1].get_params()).fit(prepared.toarray(), frame["target"])
    np.testing.assert_allclose(fitted[-1].coef_, dense.coef_, rtol=0, atol=1e-10)
    np.testing.assert_allclose(fitted.predict_proba(frame), dense.predict_proba(prepared.toarray()), rtol=0, atol=1e-12)
    # other recipes and number targets keep dense rows (trees, boosting, Bayes; ridge's solvers differ by input)
    for recipe, task in (("tree", BINARY), ("boosting", BINARY), ("bayes", BINARY), ("simple", "numeric")):
        target = frame["target"] if task == BINARY else np.arange(len(frame), dtype=float)
        prep = build_pipeline(Recipe(recipe), task, kinds, cols, seed=0).fit(frame, target)[0]
        assert not sp.issparse(prep.transform(frame)), recipe


def test_parallelism_is_chosen_per_recipe():
    frame, kinds = mixed()
    forest = build_pipeline(Recipe("forest"), BINARY, kinds, list(kinds), seed=0).named_steps["model"]
    assert forest.n_jobs == 2 and forest.n_estimators == 100
    thorough = build_pipeline(Recipe("forest", speed="thorough"), BINARY, kinds, list(kinds), seed=0)
    assert thorough.named_steps["model"].n_estimators == 300
    simple = build_pipeline(Recipe("simple"), BINARY, kinds, list(kinds), seed=0).named_steps["model"]
    assert simple.n_jobs is None


def test_imbalance_options_are_carried_out():
    frame, kinds = mixed()
    weighted = build_pipeline(Recipe("tree", imbalance="balanced"), BINARY, kinds, list(kinds), seed=0)
    assert weighted.named_steps["model"].class_weight == "balanced"
    tuned = build_pipeline(Recipe("simple", imbalance="threshold"), BINARY, kinds, list(kinds), seed=0)
    assert isinstance(tuned.named_steps["model"], TunedThresholdClassifierCV)
    # a tuned threshold needs two classes: multiclass falls back to balanced weights, and says so
    multi = build_pipeline(Recipe("simple", imbalance="threshold"), MULTI, kinds, list(kinds), seed=0)
    assert multi.named_steps["model"].class_weight == "balanced"
    assert "balanced weights instead" in " ".join(recipe_notes(Recipe("simple", imbalance="threshold"), MULTI))
    assert "cannot weigh classes" in " ".join(recipe_notes(Recipe("knn", imbalance="balanced"), BINARY))
    assert "Bayesian linear regression" in " ".join(recipe_notes(Recipe("bayes"), "numeric"))


def test_a_recipe_with_no_usable_columns_is_a_plain_error():
    with pytest.raises(BadChoiceError, match="No columns are left"):
        build_pipeline(Recipe("simple"), BINARY, {"note": "text"}, ["note"], seed=0)


# --- "B: the same recipe without column X" -------------------------------------------------------
def test_a_recipe_can_leave_out_columns_and_round_trips_through_json():
    recipe = Recipe("forest", without=("sex", "sex", "age"))
    assert recipe.without == ("sex", "age")
    data = recipe.to_dict()
    assert data["without"] == ["sex", "age"]
    assert Recipe.from_dict(json.loads(json.dumps(data))) == recipe
    assert "without" not in Recipe("forest").to_dict()  # plans stored before the option read back unchanged
    assert Recipe.from_dict(Recipe("forest").to_dict()).without == ()


def test_a_left_out_column_is_not_fed_to_the_model_even_when_named():
    kinds = {"age": "number", "sex": "category", "town": "category"}
    assert used_columns(Recipe("simple", without=("sex",)), kinds, ["age", "sex", "town"]) == ["age", "town"]
    named = Recipe("simple", features=("age", "sex"), without=("sex",))
    assert used_columns(named, kinds, ["age", "sex", "town"]) == ["age"]


def test_the_option_label_says_which_column_is_left_out():
    assert Recipe("simple", without=("sex",)).option_label("binary") == "Simple (logistic/linear) — without 'sex'"


@pytest.mark.parametrize("values, dtype", [
    (["a", "b ", " b", None, "c", "a", "", "(missing)"], "str"),
    (["a", "b ", None, np.nan, "c"], object),
    ([1, True, "1", "True", 1.0, None, 0, False, -0.0, 0.0], object),  # equal as keys, not as text
    ([True, False, True], bool),
    ([True, None, False], "boolean"),
    ([1.5, np.nan, -0.0, 0.0, 2.0], float),
    ([None, None], object),
])
def test_category_labels_are_made_once_per_value_and_match_row_by_row(values, dtype):
    from fairtrial.recipes import _as_text, _text_codes

    col = pd.Series(values * 3, dtype=dtype)
    codes, labels = _text_codes(col)
    assert labels.to_numpy(dtype=object)[codes].tolist() == _as_text(col).tolist()
