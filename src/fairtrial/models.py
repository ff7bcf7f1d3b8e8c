"""Safe model files: skops instead of pickle, a checksum, a signature and checked trees.

``dump_model(pipeline) -> (bytes, sha256)`` serialises a fitted pipeline with skops.
``load_model(data, sha256, signature=..., key=...)`` refuses, in this order and before
skops reads anything:

1. bytes that do not match their sha256 (damage, edits by other tools);
2. when a ``key`` is given: bytes whose HMAC-SHA256 with that key is not ``signature``.
   The key is a secret kept outside the database (``store/keys.py``: a 0600 file next to
   it), so whoever can edit the database but not read the key cannot make a model that
   passes; a model stored without a signature is refused too;
3. any type the file asks for that is neither trusted by skops by default nor on
   FairTrial's explicit list ``TRUSTED_TYPES``.

Loading never runs code from the file the way ``pickle`` can. Then, as a second line,
every fitted tree is checked before the model is used (``check_trees``): scikit-learn's
tree code reads node arrays without bounds checks, so a crafted file with a child index
out of range crashed the interpreter at prediction time (segfault, exit 139). The check
asks of each tree what scikit-learn's builders always give: children inside the tree and
after their parent (so every walk ends), features that exist, arrays of matching sizes.

About ``TreePredictor``: skops does not trust scikit-learn's histogram-gradient-boosting
tree type by default for exactly that reason; FairTrial trusts it because the signature
and ``check_trees`` cover it.
"""

from __future__ import annotations

import hashlib
import hmac

import numpy as np

from .errors import ModelFileError

__all__ = ["TRUSTED_TYPES", "check_trees", "dump_model", "load_model", "model_sha256", "sign_model"]

# Types beyond skops' defaults that FairTrial's recipes put in a model file.
TRUSTED_TYPES: tuple[str, ...] = (
    # FairTrial's own preparation steps (recipes.py)
    "fairtrial.recipes.Categories",
    "fairtrial.recipes.DateParts",
    "fairtrial.recipes.ToNumbers",
    "fairtrial.recipes.ToText",
    "numpy.dtype",
    # fitted trees
    "sklearn.tree._tree.Tree",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    # nearest neighbours keep a search tree over the training rows
    "sklearn.neighbors._kd_tree.KDTree",
    "sklearn.neighbors._ball_tree.BallTree",
    "sklearn.metrics._dist_metrics.EuclideanDistance64",
    # the tuned-threshold wrapper keeps its scorer and inner splitter
    "sklearn.metrics._classification.accuracy_score",
    "sklearn.metrics._classification.balanced_accuracy_score",
    "sklearn.metrics._scorer._CurveScorer",
    "sklearn.metrics._scorer._Scorer",
    "sklearn.model_selection._split.StratifiedKFold",
    "sklearn.utils._metadata_requests.MetadataRequest",
    "sklearn.utils._metadata_requests.MethodMetadataRequest",
    # gradient boosting that reads category codes itself (recipes.py) keeps an inner column
    # step whose number part is check_array with fixed options; skops loads a partial's function
    # through the same trust list, so only the functions named here can be wrapped
    "functools.partial",
    "sklearn.utils.validation.check_array",
)


def model_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _skops():
    """skops' reader and writer, imported when a model file is first made or read: importing it
    loads every scikit-learn estimator (about 0.6 s), which a trial then does while its worker
    processes train the folds instead of before (issue 13)."""
    import skops.io

    return skops.io


def dump_model(pipeline) -> tuple[bytes, str]:
    """The model as skops bytes and their sha256 (hex)."""
    sio = _skops()
    data = sio.dumps(pipeline)
    return data, model_sha256(data)


def sign_model(data: bytes, key: bytes) -> str:
    """The model's signature: HMAC-SHA256 of its bytes with the installation's key (hex)."""
    return hmac.new(bytes(key), bytes(data), hashlib.sha256).hexdigest()


def _rerun_hint() -> str:
    return "FairTrial will not load it. Run the trial again to make a new model."


def load_model(data: bytes, sha256: str, *, signature: str | None = None, key: bytes | None = None):
    """Load a model written by ``dump_model``, refusing changed files, unsigned or wrongly
    signed ones (when ``key`` is given), untrusted types and malformed trees."""
    if not isinstance(data, (bytes, bytearray, memoryview)) or not data:
        raise ModelFileError("The saved model is empty or missing.", "Run the trial again to make a new model.")
    data = bytes(data)
    if model_sha256(data) != str(sha256).strip().lower():
        raise ModelFileError("The saved model does not match its checksum: the file is damaged or was changed.",
                             _rerun_hint())
    if key is not None:
        if not signature:
            raise ModelFileError(
                "The saved model has no signature (it was stored before FairTrial signed its models), so "
                "FairTrial cannot tell whether it was changed.", _rerun_hint())
        if not hmac.compare_digest(sign_model(data, key), str(signature).strip().lower()):
            raise ModelFileError(
                "The saved model does not match its signature: it was changed after FairTrial stored it, "
                "or the key file next to the database was replaced.", _rerun_hint())
    try:
        sio = _skops()
        wanted = sio.get_untrusted_types(data=data)
    except Exception as exc:  # a corrupt archive that still matches its checksum
        raise ModelFileError("The saved model cannot be read.", "Run the trial again to make a new model.") from exc
    unknown = sorted(set(wanted) - set(TRUSTED_TYPES))
    if unknown:
        raise ModelFileError(
            f"The saved model holds parts FairTrial does not trust ({', '.join(unknown)}).",
            "It was not made by this version of FairTrial; run the trial again to make a new model.")
    try:
        model = sio.loads(data, trusted=list(wanted))
    except Exception as exc:
        raise ModelFileError("The saved model cannot be loaded.", "Run the trial again to make a new model.") from exc
    check_trees(model)
    return model


# --- the second line: every tree checked before use -------------------------------------------
def _malformed(what: str) -> ModelFileError:
    return ModelFileError(f"The saved model holds a malformed tree ({what}), so FairTrial will not use it.",
                          "Run the trial again to make a new model.")


def _children_ok(left: np.ndarray, right: np.ndarray, leaf: np.ndarray) -> bool:
    """Children of inner nodes lie inside the tree and after their parent (so every walk from
    the root ends at a leaf); this is how scikit-learn's builders number nodes."""
    n = len(left)
    index = np.arange(n)
    inner = ~leaf
    return bool(np.all((left[inner] > index[inner]) & (left[inner] < n)
                       & (right[inner] > index[inner]) & (right[inner] < n)))


def _check_sklearn_tree(tree, n_features: int | None) -> None:
    state = tree.__getstate__()
    nodes, values = state["nodes"], state["values"]
    count = int(state["node_count"])
    if count < 1 or len(nodes) != count or values.shape[0] != count:
        raise _malformed("its node count does not match its arrays")
    left, right = nodes["left_child"].astype(np.int64), nodes["right_child"].astype(np.int64)
    leaf = (left == -1) & (right == -1)
    if not _children_ok(left, right, leaf):
        raise _malformed("a branch points outside the tree")
    width = int(tree.n_features)
    if n_features is not None and width != n_features:
        raise _malformed("it reads a different number of columns than the model")
    feature = nodes["feature"][~leaf]
    if np.any((feature < 0) | (feature >= width)):
        raise _malformed("a branch reads a column that does not exist")
    if values.ndim != 3 or values.shape[1] != int(tree.n_outputs):
        raise _malformed("its leaf values have the wrong shape")


def _check_hist_predictor(predictor, n_features: int | None, categorical) -> None:
    nodes = predictor.nodes
    if len(nodes) < 1:
        raise _malformed("it has no nodes")
    leaf = nodes["is_leaf"].astype(bool)
    if not _children_ok(nodes["left"].astype(np.int64), nodes["right"].astype(np.int64), leaf):
        raise _malformed("a branch points outside the tree")
    feature = nodes["feature_idx"][~leaf].astype(np.int64)
    if np.any(feature < 0) or (n_features is not None and np.any(feature >= n_features)):
        raise _malformed("a branch reads a column that does not exist")
    on_category = nodes["is_categorical"][~leaf].astype(bool)
    if on_category.any():
        bitsets = np.asarray(predictor.raw_left_cat_bitsets)
        idx = nodes["bitset_idx"][~leaf][on_category].astype(np.int64)
        flags = np.asarray(categorical if categorical is not None else [], dtype=bool)
        if (np.any((idx < 0) | (idx >= len(bitsets)))
                or np.any(feature[on_category] >= len(flags)) or not np.all(flags[feature[on_category]])):
            raise _malformed("a branch on categories points outside the tree")


def _check_space_tree(tree) -> None:
    """KDTree / BallTree of the nearest-neighbours recipe: indices inside the training rows."""
    data, idx, node_data = tree.__getstate__()[:3]
    n = len(data)
    if len(idx) != n or np.any((idx < 0) | (idx >= n)):
        raise _malformed("its row index points outside the training rows")
    start, end = node_data["idx_start"], node_data["idx_end"]
    if np.any((start < 0) | (start > end) | (end > n)):
        raise _malformed("a node points outside the training rows")
    n_nodes = len(node_data)
    inner = np.flatnonzero(~node_data["is_leaf"].astype(bool))
    if np.any(2 * inner + 2 >= n_nodes):
        raise _malformed("a branch points outside the tree")


def check_trees(model, _depth: int = 0) -> None:
    """Check every fitted tree inside ``model`` (a pipeline, a wrapper, a forest ...) and raise
    ``ModelFileError`` for the first malformed one."""
    from sklearn.ensemble._hist_gradient_boosting.predictor import TreePredictor
    from sklearn.neighbors import BallTree, KDTree
    from sklearn.tree._tree import Tree

    if _depth > 20 or model is None:
        return
    n_features = getattr(model, "n_features_in_", None)
    tree = getattr(model, "tree_", None)
    if isinstance(tree, Tree):
        _check_sklearn_tree(tree, int(n_features) if n_features is not None else None)
    predictors = getattr(model, "_predictors", None)
    if predictors is not None:
        categorical = getattr(model, "is_categorical_", None)
        for row in predictors:
            for predictor in row:
                if not isinstance(predictor, TreePredictor):
                    raise _malformed("a boosting step is not a tree")
                _check_hist_predictor(predictor, int(n_features) if n_features is not None else None, categorical)
    space = getattr(model, "_tree", None)
    if isinstance(space, (KDTree, BallTree)):
        _check_space_tree(space)
    children: list = []
    for name in ("steps", "transformers_"):
        for item in getattr(model, name, None) or []:
            if isinstance(item, tuple) and len(item) >= 2:
                children.append(item[1])
    for name in ("estimator_", "estimators_", "base_estimator_"):
        value = getattr(model, name, None)
        if isinstance(value, (list, tuple, np.ndarray)):
            children.extend(np.ravel(np.asarray(value, dtype=object)).tolist())
        elif value is not None:
            children.append(value)
    for child in children:
        if hasattr(child, "get_params"):
            check_trees(child, _depth + 1)
