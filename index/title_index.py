"""Which documents a query is about: those whose title the query mostly repeats."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ingest.models import DocumentRecord


@dataclass(frozen=True)
class TitleIndex:
    """Distinct document titles as token sets: which titles hold a token, each title's size and
    the documents that carry it."""

    postings: dict[str, list[int]]
    sizes: list[int]
    documents: list[list[str]]

    @classmethod
    def of(
        cls, documents: Iterable[DocumentRecord], tokenize: Callable[[str], Iterable[str]]
    ) -> TitleIndex:
        by_tokens: dict[frozenset[str], list[str]] = {}
        for document in documents:
            if document.title:
                tokens = frozenset(tokenize(document.title))
                if tokens:
                    by_tokens.setdefault(tokens, []).append(document.doc_id)
        postings: dict[str, list[int]] = {}
        for group, tokens in enumerate(by_tokens):
            for token in tokens:
                postings.setdefault(token, []).append(group)
        return cls(
            postings=postings,
            sizes=[len(tokens) for tokens in by_tokens],
            documents=list(by_tokens.values()),
        )

    def about(self, wanted: set[str]) -> frozenset[str]:
        """Documents whose title holds most of the ``wanted`` tokens."""
        # Counting, per distinct title, the query tokens it holds through a token → titles map
        # touches only titles sharing a token with the query. Comparing the query with every
        # document's title took 22 ms a search at 400,000 generated chunks.
        shared = Counter()
        for token in wanted:
            shared.update(self.postings.get(token, ()))
        return frozenset(
            doc_id
            for group, count in shared.items()
            if count >= max(2, 0.6 * self.sizes[group])
            for doc_id in self.documents[group]
        )
