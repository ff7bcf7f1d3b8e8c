"""Safe model files: skops bytes with a checksum, never pickle."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import skops.io as sio
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.pipeline import Pipeline
from sklearn.tree import DecisionTreeClassifier
from trial_frames import BINARY, mixed

from fairtrial.errors import ModelFileError
from fairtrial.models import dump_model, load_model, model_sha256, sign_model
from fairtrial.recipes import Recipe, build_pipeline


class NotOnTheList(TransformerMixin, BaseEstimator):
    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return X


@pytest.mark.parametrize("recipe", ["simple", "boosting", "forest", "tree:balanced", "simple:threshold", "knn"])
def test_dump_and_load_round_trip(recipe):
    frame, kinds = mixed()
    columns = ["amount", "visits", "shop", "member", "joined", "note"]
    pipe = build_pipeline(Recipe.parse(recipe), BINARY, kinds, columns, seed=0)
    if recipe == "simple":
        pipe = build_pipeline(Recipe("simple", features=tuple(columns)), BINARY, kinds, columns, seed=0)
    pipe.fit(frame, frame["target"])
    data, sha = dump_model(pipe)
    assert isinstance(data, bytes) and sha == model_sha256(data) and len(sha) == 64
    loaded = load_model(data, sha)
    np.testing.assert_array_equal(loaded.predict(frame), pipe.predict(frame))
    np.testing.assert_allclose(loaded.predict_proba(frame), pipe.predict_proba(frame))


def test_a_tampered_checksum_is_refused():
    frame, kinds = mixed()
    pipe = build_pipeline(Recipe("tree"), BINARY, kinds, ["amount", "visits"], seed=0).fit(frame, frame["target"])
    data, sha = dump_model(pipe)
    with pytest.raises(ModelFileError, match="does not match its checksum"):
        load_model(data, "0" * 64)
    changed = data[:-10] + bytes(10)
    with pytest.raises(ModelFileError, match="does not match its checksum"):
        load_model(changed, sha)


def test_untrusted_types_are_refused_even_with_a_good_checksum():
    pipe = Pipeline([("odd", NotOnTheList()), ("model", DecisionTreeClassifier())]).fit([[0], [1]], [0, 1])
    data = sio.dumps(pipe)
    with pytest.raises(ModelFileError, match="does not trust"):
        load_model(data, model_sha256(data))


def test_empty_files_are_refused():
    with pytest.raises(ModelFileError, match="empty or missing"):
        load_model(b"", model_sha256(b""))


# --- crafted trees: refused at load, never run -------------------------------------------------
def _fitted(recipe: str):
    frame, kinds = mixed()
    pipe = build_pipeline(Recipe.parse(recipe), BINARY, kinds, ["amount", "visits"], seed=0)
    return pipe.fit(frame, frame["target"]), frame


def _break_first_tree(pipe, field: str, value: int) -> None:
    """Edit one node of the first tree the way a crafted file would (``field``: 'child' or 'feature')."""
    est = pipe[-1]
    if hasattr(est, "_predictors"):
        nodes = est._predictors[0][0].nodes
        inner = int(np.flatnonzero(nodes["is_leaf"] == 0)[0])
        if field == "child":
            nodes["left"][inner] = value
        else:
            nodes["feature_idx"][inner] = value
        return
    tree = est.tree_ if hasattr(est, "tree_") else est.estimators_[0].tree_
    state = tree.__getstate__()
    nodes = state["nodes"].copy()
    if field == "child":
        nodes["left_child"][0] = value
    else:
        nodes["feature"][0] = value
    state["nodes"] = nodes
    tree.__setstate__(state)


@pytest.mark.parametrize("recipe", ["tree", "forest", "boosting"])
@pytest.mark.parametrize("field, value, words", [
    ("child", 10**8, "a branch points outside the tree"),
    ("child", 0, "a branch points outside the tree"),  # a loop back to the root
    ("feature", 5, "a branch reads a column that does not exist"),
])
def test_a_crafted_tree_is_refused_in_plain_words_before_it_is_used(recipe, field, value, words):
    # Before this check such a file loaded fine and predict() crashed the interpreter (exit 139).
    pipe, _ = _fitted(recipe)
    _break_first_tree(pipe, field, value)
    data, sha = dump_model(pipe)
    with pytest.raises(ModelFileError) as err:
        load_model(data, sha)
    assert str(err.value) == (f"The saved model holds a malformed tree ({words}), so FairTrial will not use it. "
                              "Run the trial again to make a new model.")


def test_a_crafted_nearest_neighbours_index_is_refused():
    pipe, _ = _fitted("knn")
    space = pipe[-1]._tree
    state = list(space.__getstate__())
    state[1] = state[1].copy()
    state[1][0] = 10**7
    space.__setstate__(tuple(state))
    data, sha = dump_model(pipe)
    with pytest.raises(ModelFileError, match="its row index points outside the training rows"):
        load_model(data, sha)


def test_with_a_key_only_a_model_signed_with_that_key_is_loaded():
    pipe, frame = _fitted("tree")
    data, sha = dump_model(pipe)
    key, other = b"k" * 32, b"o" * 32
    loaded = load_model(data, sha, signature=sign_model(data, key), key=key)
    np.testing.assert_array_equal(loaded.predict(frame), pipe.predict(frame))
    with pytest.raises(ModelFileError, match="does not match its signature"):
        load_model(data, sha, signature=sign_model(data, other), key=key)
    with pytest.raises(ModelFileError, match=r"has no signature \(it was stored before FairTrial signed its models\)"):
        load_model(data, sha, signature=None, key=key)


def test_the_model_file_library_is_loaded_only_when_a_file_is_made_or_read():
    """skops loads every scikit-learn estimator when imported (about 0.6 s): a trial imports it
    while its workers train, when the first final model arrives, not at start-up (issue 13)."""
    code = ("import sys; import fairtrial.trial, fairtrial.workflow; print('skops' in sys.modules); "
            "from fairtrial.models import dump_model; from sklearn.dummy import DummyClassifier; "
            "dump_model(DummyClassifier().fit([[0], [1]], [0, 1])); print('skops' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]
