"""How alike two passages are: token overlap under the Swedish analyzer, and, when an embedder is
given, cosine similarity of their embeddings.

The analyzer learns its compound vocabulary from the texts the extraction reads, so
"kvalitetsledningssystemet" and "ledningssystem" share a token as they do in the search index.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from ingest.analysis import SwedishAnalyzer
from ingest.vocabulary import word_list

# Words every recommendation and answer uses; they say nothing about what it is about
# (data/generic_words.txt).
_GENERIC = word_list(Path(__file__).parent / "data" / "generic_words.txt")


class Similarity:
    def __init__(self, texts: Iterable[str] = (), embedder=None):
        texts = list(texts)
        analyzer = SwedishAnalyzer()
        self.analyzer = analyzer.fitted(texts) if texts else analyzer
        self.embedder = embedder
        self._vectors: dict[str, np.ndarray] = {}
        self._tokens = lru_cache(maxsize=8192)(self._token_set)

    def _token_set(self, text: str) -> frozenset[str]:
        return frozenset(t for t in self.analyzer.tokenize(text) if not t.isdigit())

    def tokens(self, text: str) -> frozenset[str]:
        return self._tokens(text)

    def content_tokens(self, text: str) -> frozenset[str]:
        return frozenset(t for t in self.tokens(text) if t not in _GENERIC)

    def overlap(self, a: str, b: str) -> float:
        """Containment of the smaller token set in the larger, damped when they share little."""
        ta, tb = self.tokens(a), self.tokens(b)
        if not ta or not tb:
            return 0.0
        shared = len(ta & tb)
        containment = shared / min(len(ta), len(tb))
        jaccard = shared / len(ta | tb)
        return containment if jaccard >= 0.4 else (containment + jaccard) / 2

    def coverage(self, needle: str, haystack: str) -> float:
        """Share of ``needle``'s content tokens found in ``haystack``."""
        tn = self.content_tokens(needle) or self.tokens(needle)
        if not tn:
            return 0.0
        return len(tn & self.tokens(haystack)) / len(tn)

    # -- embeddings ---------------------------------------------------------------------------

    def prepare(self, texts: Sequence[str], vectors: np.ndarray | None = None) -> None:
        """Embed ``texts`` once (or take their vectors) so ``cosine`` can compare them."""
        if self.embedder is None:
            return
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if vectors is not None:
            for text, vector in zip(texts, vectors, strict=True):
                self._vectors[text] = np.asarray(vector, dtype=np.float32)
            missing = [t for t in missing if t not in self._vectors]
        if missing:
            encoded = np.asarray(self.embedder.encode_passages(missing), dtype=np.float32)
            for text, vector in zip(missing, encoded, strict=True):
                self._vectors[text] = vector

    def cosine(self, a: str, b: str) -> float | None:
        if self.embedder is None:
            return None
        self.prepare([a, b])
        va, vb = self._vectors[a], self._vectors[b]
        denominator = float(np.linalg.norm(va) * np.linalg.norm(vb)) or 1.0
        return float(va @ vb) / denominator
