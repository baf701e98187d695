"""The sequence tagger: which tokens are quantity (Q), unit (U), size (S), food (F) or other (O).

A linear-chain CRF (python-crfsuite) trained on labelled lines by `recipes.ingredients.train`.
The model file ships inside this package (`model.crfsuite`): nothing is fetched, and the
desktop bundle carries it as data. Loaded once, on first use.
"""

from __future__ import annotations

import hashlib
import threading
from functools import cache
from importlib import resources
from pathlib import Path

import pycrfsuite

from .features import sentence_features
from .tokens import Token

MODEL_NAME = "model.crfsuite"
_lock = threading.Lock()
_tagger: pycrfsuite.Tagger | None = None
_model_path: Path | None = None


def model_path() -> Path:
    return _model_path or Path(str(resources.files(__package__).joinpath(MODEL_NAME)))


@cache
def model_digest(path: Path | None = None) -> str:
    """A short digest of the model file: stored parses made by another model are stale."""
    return hashlib.sha256((path or model_path()).read_bytes()).hexdigest()[:16]


def use_model(path: Path | None) -> None:
    """Tag with another model file (training and evaluation); None goes back to the shipped one."""
    global _tagger, _model_path
    with _lock:
        _tagger, _model_path = None, path


def _loaded() -> pycrfsuite.Tagger:
    global _tagger
    with _lock:
        if _tagger is None:
            tagger = pycrfsuite.Tagger()
            tagger.open(str(model_path()))
            _tagger = tagger
        return _tagger


def tag(tokens: list[Token]) -> list[str]:
    if not tokens:
        return []
    features = sentence_features(tokens)
    tagger = _tagger or _loaded()
    with _lock:  # a crfsuite Tagger is not safe to share between threads mid-call
        return tagger.tag(features)
