"""Safe model files: skops bytes with a checksum, never pickle."""

from __future__ import annotations

import numpy as np
import pytest
import skops.io as sio
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.pipeline import Pipeline
from sklearn.tree import DecisionTreeClassifier
from trial_frames import BINARY, mixed

from fairtrial.errors import ModelFileError
from fairtrial.models import dump_model, load_model, model_sha256
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
