"""What every embedder backend shares: the ``Embedder`` protocol, the error embedders raise, and
the checks on texts going in and vectors coming out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from revsok.errors import RevsokError


class EmbedderError(RevsokError):
    """An embedder cannot be created or loaded; the message says what to do."""


class Embedder(Protocol):
    """What the index needs from an embedding model.

    ``name`` is stable and recorded in the index config and the embedding cache; two embedders
    with the same name must produce the same vectors for the same text. Not runtime-checkable on
    purpose: on Python 3.11 ``isinstance`` would read ``dimension`` and so load the model.
    """

    @property
    def name(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """(n, dimension) float32, L2-normalised; the query side of an asymmetric model."""
        ...

    def encode_passages(
        self, texts: Sequence[str], batch_size: int = ..., show_progress: bool = False
    ) -> np.ndarray:
        """(n, dimension) float32, L2-normalised; the passage (document) side."""
        ...

    def count_tokens(self, text: str) -> int:
        """Tokens the model is fed for ``text`` as a passage: prefix and special tokens
        included, before any truncation or windowing."""
        ...


def as_text_list(texts: Sequence[str]) -> list[str]:
    # A bare string is a sequence of characters: embedding each letter is never what was meant.
    if isinstance(texts, str):
        raise TypeError("texts must be a sequence of strings, not a single string; wrap it: [text]")
    return list(texts)


def checked_vectors(vectors: np.ndarray, n: int, dimension: int, name: str) -> np.ndarray:
    out = np.ascontiguousarray(vectors, dtype=np.float32).reshape(n, dimension)
    if not np.isfinite(out).all():
        raise EmbedderError(f"{name} gav ogiltiga värden (NaN/oändligt) för minst en text")
    return out


def batches(items: list[str], size: int):
    if size < 1:
        raise ValueError(f"batch_size must be at least 1 (got {size})")
    for start in range(0, len(items), size):
        yield items[start : start + size]
