"""Safe model files: skops instead of pickle, with a checksum.

``dump_model(pipeline) -> (bytes, sha256)`` serialises a fitted pipeline with skops.
``load_model(data, sha256)`` first checks the checksum (a damaged or edited file is
refused), then checks that every type the file asks for is either trusted by skops by
default or on FairTrial's explicit list ``TRUSTED_TYPES``, and only then loads it. Loading
never runs code from the file the way ``pickle`` can.

About ``TreePredictor``: skops does not trust scikit-learn's histogram-gradient-boosting
tree type by default, because a *crafted* file could hold out-of-range node indices that
crash the process at prediction time. FairTrial only loads files it wrote itself, whose
checksum is kept separately in the local database and verified before loading, so it
trusts that type explicitly; a file edited by someone else fails the checksum first.
"""

from __future__ import annotations

import hashlib

import skops.io as sio

from .errors import ModelFileError

__all__ = ["TRUSTED_TYPES", "dump_model", "load_model", "model_sha256"]

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
)


def model_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def dump_model(pipeline) -> tuple[bytes, str]:
    """The model as skops bytes and their sha256 (hex)."""
    data = sio.dumps(pipeline)
    return data, model_sha256(data)


def load_model(data: bytes, sha256: str):
    """Load a model written by ``dump_model``, refusing changed files and untrusted types."""
    if not isinstance(data, (bytes, bytearray, memoryview)) or not data:
        raise ModelFileError("The saved model is empty or missing.", "Run the trial again to make a new model.")
    data = bytes(data)
    if model_sha256(data) != str(sha256).strip().lower():
        raise ModelFileError("The saved model does not match its checksum: the file is damaged or was changed.",
                             "FairTrial will not load it. Run the trial again to make a new model.")
    try:
        wanted = sio.get_untrusted_types(data=data)
    except Exception as exc:  # a corrupt archive that still matches its checksum
        raise ModelFileError("The saved model cannot be read.", "Run the trial again to make a new model.") from exc
    unknown = sorted(set(wanted) - set(TRUSTED_TYPES))
    if unknown:
        raise ModelFileError(
            f"The saved model holds parts FairTrial does not trust ({', '.join(unknown)}).",
            "It was not made by this version of FairTrial; run the trial again to make a new model.")
    try:
        return sio.loads(data, trusted=list(wanted))
    except Exception as exc:
        raise ModelFileError("The saved model cannot be loaded.", "Run the trial again to make a new model.") from exc
