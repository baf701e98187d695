"""The sequence tagger: which tokens are quantity (Q), unit (U), size (S), food (F) or other (O).

A linear-chain CRF (python-crfsuite) trained on labelled lines by `recipes.ingredients.train`.
The model file ships inside this package (`model.crfsuite`): nothing is fetched, and the
desktop bundle carries it as data. Loaded once, on first use.
"""

from __future__ import annotations

import hashlib
import struct
import threading
from functools import cache
from importlib import resources
from pathlib import Path

import pycrfsuite

from .features import Featurizer
from .tokens import Token

MODEL_NAME = "model.crfsuite"
_lock = threading.Lock()
_tagger: pycrfsuite.Tagger | None = None
_featurizer: Featurizer | None = None
_model_path: Path | None = None


def model_path() -> Path:
    return _model_path or Path(str(resources.files(__package__).joinpath(MODEL_NAME)))


@cache
def model_digest(path: Path | None = None) -> str:
    """A short digest of the model file: stored parses made by another model are stale."""
    return hashlib.sha256((path or model_path()).read_bytes()).hexdigest()[:16]


def use_model(path: Path | None) -> None:
    """Tag with another model file (training and evaluation); None goes back to the shipped one."""
    global _tagger, _featurizer, _model_path
    with _lock:
        _tagger, _featurizer, _model_path = None, None, path


def model_attributes(path: Path) -> frozenset[bytes] | None:
    """The attribute names a crfsuite model knows, read from its file (crfsuite's CRF1d
    layout: a header of offsets, then the names in a CQDB chunk whose backward array
    points at each record); None if the file is laid out otherwise."""
    data = path.read_bytes()
    try:
        magic, _, kind, *_, at, _, _ = struct.unpack_from("<4sI4sIIIIIIIII", data, 0)
        chunk, _, _, _, count, table = struct.unpack_from("<4sIIIII", data, at)
        if (magic, kind, chunk) != (b"lCRF", b"FOMC", b"CQDB"):
            return None
        names = []
        for aid, offset in enumerate(struct.unpack_from(f"<{count}I", data, at + table)):
            record, size = struct.unpack_from("<II", data, at + offset)
            if record != aid or size < 1:
                return None
            names.append(data[at + offset + 8 : at + offset + 7 + size])  # without the NUL
    except struct.error:
        return None
    return frozenset(names)


def _loaded() -> tuple[pycrfsuite.Tagger, Featurizer]:
    global _tagger, _featurizer
    with _lock:
        if _tagger is None or _featurizer is None:
            path = model_path()
            tagger = pycrfsuite.Tagger()
            tagger.open(str(path))
            _tagger, _featurizer = tagger, Featurizer(model_attributes(path))
        return _tagger, _featurizer


def tag(tokens: list[Token]) -> list[str]:
    if not tokens:
        return []
    tagger, featurizer = (
        _loaded() if _tagger is None or _featurizer is None else (_tagger, _featurizer)
    )
    features = featurizer.sentence(tokens)
    with _lock:  # a crfsuite Tagger is not safe to share between threads mid-call
        return tagger.tag(features)
