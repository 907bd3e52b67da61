"""BM25 over chunk texts with bm25s and the Swedish analyzer; row = chunk row of the index.

The compound vocabulary is learned from the texts being indexed and saved beside the BM25 matrix,
so a query is analysed exactly as the passages were. Filters arrive as a boolean mask over rows and
are applied to the scores before the top k are chosen, so a filtered query returns k hits whenever
k allowed rows match at all. Rows that share no token with the query (score 0) are never returned.

Files (no pickle anywhere: bm25s writes plain ``.npy`` arrays read with ``allow_pickle=False``):
``lexical.json`` (settings, counts, format), ``lexical-analyzer.json`` (analyzer settings and
vocabulary), ``lexical-bm25.*`` (bm25s: CSC score matrix, token vocabulary, parameters).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import bm25s
import numpy as np

from ingest.analysis import SwedishAnalyzer, VocabularyError
from revsok.errors import IndexProblem

log = logging.getLogger(__name__)
# bm25s sets its own logger to DEBUG on import, which printed "DEBUG bm25s: Building index from
# tokens" on every ingest and search; its progress is not the user's business.
logging.getLogger("bm25s").setLevel(logging.WARNING)

FORMAT_VERSION = 1
META_FILE = "lexical.json"
ANALYZER_FILE = "lexical-analyzer.json"
_BM25_FILES = {
    "data_name": "lexical-bm25.data.npy",
    "indices_name": "lexical-bm25.indices.npy",
    "indptr_name": "lexical-bm25.indptr.npy",
    "vocab_name": "lexical-bm25.vocab.json",
    "params_name": "lexical-bm25.params.json",
}
# Lucene's BM25 (bm25s default): the idf is always positive, so every matching row scores > 0
# and "score 0" means "shares no token with the query".
BM25_PARAMS = {"method": "lucene", "k1": 1.5, "b": 0.75}


class LexicalIndexError(IndexProblem):
    """A saved lexical index that is missing, incomplete or of another format."""


class LexicalIndex:
    name = "bm25"

    def __init__(self, retriever: bm25s.BM25 | None, analyzer: SwedishAnalyzer, size: int):
        # ``retriever`` is None when no row has a single token (bm25s cannot index that).
        self._bm25 = retriever
        self.analyzer = analyzer
        self.size = size

    # -- building -----------------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        texts: Sequence[str],
        analyzer: SwedishAnalyzer | None = None,
        *,
        show_progress: bool = False,
        params: Mapping[str, object] = BM25_PARAMS,
    ) -> LexicalIndex:
        """Index ``texts`` (row i = texts[i]); the analyzer's vocabulary is learned from them.
        ``params`` (bm25s' method, k1, b) are for measuring others; the index uses its default."""
        started = time.perf_counter()
        analyzer = (analyzer or SwedishAnalyzer()).fitted(texts)
        fitted = time.perf_counter()
        corpus_tokens = [analyzer.tokenize(text) for text in texts]
        tokenized = time.perf_counter()
        retriever = None
        if any(corpus_tokens):
            retriever = bm25s.BM25(**params)
            retriever.index(corpus_tokens, show_progress=show_progress)
        log.info(
            "BM25 over %d texts: vocabulary %.2f s, tokens %.2f s, matrix %.2f s",
            len(texts),
            fitted - started,
            tokenized - fitted,
            time.perf_counter() - tokenized,
        )
        return cls(retriever, analyzer, len(texts))

    # -- searching ----------------------------------------------------------------------------

    def search(
        self, query: str, k: int, allowed: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """(row, BM25 score) best first, at most ``k``, only rows that match and are allowed.

        ``allowed`` is a boolean mask over rows. It multiplies the scores before the top k are
        taken (bm25s' ``weight_mask``), so it filters first and ranks second.
        """
        if k <= 0 or self._bm25 is None:
            return []
        if allowed is not None:
            allowed = np.asarray(allowed)
            if allowed.shape != (self.size,) or allowed.dtype != np.bool_:
                raise ValueError(
                    f"allowed must be a boolean mask of {self.size} rows, "
                    f"got {allowed.dtype} {allowed.shape}"
                )
            if not allowed.any():
                return []
        scores = self.scores(query, allowed)
        if scores is None:
            return []
        # bm25s' own top-k would pad with score-0 rows and refuses k > corpus size; choosing
        # among the matching rows avoids both.
        rows = np.flatnonzero(scores > 0)
        if len(rows) > k:
            rows = rows[np.argpartition(-scores[rows], k - 1)[:k]]
        # Best score first; equal scores in row order, so results are reproducible.
        rows = rows[np.lexsort((rows, -scores[rows]))]
        return [(int(row), float(scores[row])) for row in rows]

    def scores(self, query: str, allowed: np.ndarray | None = None) -> np.ndarray | None:
        """The BM25 score of every row for ``query`` (0 where it shares no token or is not
        allowed); None when no query token is in the vocabulary."""
        if self._bm25 is None:
            return None
        vocab = self._bm25.vocab_dict
        token_ids = [vocab[t] for t in self.analyzer.tokenize(query) if t in vocab]
        if not token_ids:
            return None
        return self._bm25.get_scores_from_ids(token_ids, weight_mask=allowed)

    # -- persistence --------------------------------------------------------------------------

    @property
    def params(self) -> dict:
        """bm25s' method, k1 and b as this index was built with."""
        if self._bm25 is None:
            return dict(BM25_PARAMS)
        return {"method": self._bm25.method, "k1": self._bm25.k1, "b": self._bm25.b}

    def config(self) -> dict:
        return {
            "name": self.name,
            "library": f"bm25s {bm25s.__version__}",
            **self.params,
            "rows": self.size,
            "terms": len(self._bm25.vocab_dict) if self._bm25 is not None else 0,
            "analyzer": self.analyzer.config(),
        }

    def save(self, folder: Path) -> None:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        if self._bm25 is not None:
            self._bm25.save(folder, allow_pickle=False, show_progress=False, **_BM25_FILES)
        self.analyzer.save(folder / ANALYZER_FILE)
        meta = {"format_version": FORMAT_VERSION, "empty": self._bm25 is None, **self.config()}
        (folder / META_FILE).write_text(
            json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8"
        )

    @classmethod
    def load(cls, folder: Path, *, mmap: bool = False) -> LexicalIndex:
        folder = Path(folder)
        meta_path = folder / META_FILE
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise LexicalIndexError(
                f"{meta_path} saknas: indexet har inget BM25-index, bygg om det med 'revsok ingest'"
            ) from exc
        except (OSError, ValueError) as exc:
            raise LexicalIndexError(
                f"{meta_path} går inte att läsa ({exc}): bygg om indexet med 'revsok ingest'"
            ) from exc
        if not isinstance(meta, dict) or meta.get("format_version") != FORMAT_VERSION:
            meta = meta if isinstance(meta, dict) else {}
            raise LexicalIndexError(
                f"BM25-indexet i {folder} har format {meta.get('format_version')!r}, den här "
                f"versionen läser {FORMAT_VERSION}: bygg om indexet med 'revsok ingest'"
            )
        try:
            rows = int(meta["rows"])
            analyzer = SwedishAnalyzer.load(folder / ANALYZER_FILE)
            retriever = None
            if not meta["empty"]:
                retriever = bm25s.BM25.load(
                    folder, mmap=mmap, allow_pickle=False, show_progress=False, **_BM25_FILES
                )
        except (OSError, ValueError, KeyError, VocabularyError) as exc:
            raise LexicalIndexError(
                f"BM25-indexet i {folder} går inte att läsa ({exc!r}): bygg om det med "
                "'revsok ingest'"
            ) from exc
        if retriever is not None and retriever.scores["num_docs"] != rows:
            raise LexicalIndexError(
                f"BM25-indexet i {folder} har {retriever.scores['num_docs']} rader men "
                f"{META_FILE} säger {rows}: bygg om indexet med 'revsok ingest'"
            )
        return cls(retriever, analyzer, rows)
