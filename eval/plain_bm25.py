"""The baseline revsok has to beat: bm25s with a Snowball Swedish stemmer over the same passages.

Nothing of revsok's own: no compound splitting, no title or headings in the text, no query
understanding, no fusion. It is what a user gets from a twenty-line script, and every eval run
prints it beside revsok so that a claimed gain is a gain over it.
"""

from __future__ import annotations

from collections.abc import Sequence

import bm25s
import Stemmer

from ingest.models import Chunk

NAME = "bm25-plain"


class PlainBM25:
    def __init__(self, chunks: Sequence[Chunk]):
        self._stemmer = Stemmer.Stemmer("swedish")
        self._ids = [chunk.chunk_id for chunk in chunks]
        tokens = self._tokenize([chunk.text for chunk in chunks])
        self._model = bm25s.BM25()
        self._model.index(tokens, show_progress=False)

    def _tokenize(self, texts: list[str]) -> list[list[str]]:
        return bm25s.tokenize(
            texts,
            stopwords="swedish",
            stemmer=self._stemmer.stemWords,
            return_ids=False,
            show_progress=False,
        )

    def rank(self, query: str, k: int = 10) -> list[str]:
        """Chunk ids best first; only passages sharing a term with the query."""
        tokens = self._tokenize([query])
        known = [[t for t in tokens[0] if t in self._model.vocab_dict]]
        if not known[0]:
            return []
        rows, scores = self._model.retrieve(known, k=min(k, len(self._ids)), show_progress=False)
        return [self._ids[r] for r, s in zip(rows[0], scores[0], strict=True) if s > 0]
