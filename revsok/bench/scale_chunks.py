"""The realistic scale-up corpus's chunks: texts of real sentences, metadata spread over Sweden.

Each row's text is runs of the sentences of the real chunks mixed into its vector, in proportion
to their weights; the generated document's kommun is put in for the kommun a sentence names.
Kommun, year and nämnd are drawn per document, the rest comes from the template's chunks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence

import numpy as np

from ingest.models import Chunk, DocumentRecord
from revsok.bench.scale_basis import Basis, Plan

# Half of the generated documents keep their template's nämnd: their text is about its work.
KEEP_COMMITTEE = 0.5
# Spread of the kommuner's sizes (log-normal weights): some have several times the documents of
# others, as large kommuner have more nämnder and more granskningar.
KOMMUN_SIZE_SIGMA = 0.6


class GeneratedChunks(Sequence[Chunk]):
    """The realistic corpus's chunks, each built when asked for from its row of the plan."""

    def __init__(self, basis: Basis, plan: Plan, rng: np.random.Generator):
        self.basis = basis
        self.plan = plan
        size, parts = plan.parts.shape
        docs = len(plan.templates)
        # Where in each part's sentences its run starts: another place for every row.
        counts = np.array([len(s) for s in basis.chunk_sentences], dtype=np.int64)
        self.starts = (rng.random((size, parts)) * counts[plan.parts]).astype(np.int32)
        weights = rng.lognormal(0.0, KOMMUN_SIZE_SIGMA, len(basis.kommuner))
        self.doc_kommun = rng.choice(len(basis.kommuner), docs, p=weights / weights.sum())
        self.doc_year = basis.years[rng.integers(0, len(basis.years), docs)]
        own = rng.random(docs) < KEEP_COMMITTEE
        other = rng.integers(0, len(basis.committees), docs)
        self.doc_committee = [
            basis.chunks[basis.doc_rows[t][0]].committee if keep else basis.committees[o]
            for t, keep, o in zip(plan.templates, own, other, strict=True)
        ]
        # Plain lists: indexing numpy arrays one element at a time costs more than the rest
        # of building a chunk.
        self._doc = plan.doc.tolist()
        self._doc_start = np.searchsorted(plan.doc, np.arange(docs)).tolist()
        self._years = self.doc_year.tolist()
        self._kommuner = [basis.kommuner[k] for k in self.doc_kommun]

    def __len__(self) -> int:
        return len(self.plan.doc)

    def __getitem__(self, row):
        if isinstance(row, slice):
            return [self._chunk(r) for r in range(*row.indices(len(self)))]
        if row < 0:
            row += len(self)
        if not 0 <= row < len(self):
            raise IndexError(row)
        return self._chunk(row)

    def __iter__(self) -> Iterator[Chunk]:
        return (self._chunk(r) for r in range(len(self)))

    def sentence_ids(self, row: int) -> list[int]:
        """Which of ``basis.sentences`` make row's text, in order."""
        basis = self.basis
        parts = self.plan.parts[row].tolist()
        weights = self.plan.weights[row].tolist()
        starts = self.starts[row].tolist()
        lengths = basis.sentence_lengths
        budget_total = basis.chunk_lengths[parts[0]]
        chosen: list[int] = []
        for j, part in enumerate(parts):
            own = basis.chunk_sentences[part]
            budget, used, count = weights[j] * budget_total, 0, len(own)
            for step in range(count):
                sentence = own[(starts[j] + step) % count]
                length = lengths[sentence]
                # Half a sentence over the budget is closer than half under it; the anchor
                # always gives at least one.
                if used + length / 2 > budget and (used or j):
                    break
                chosen.append(sentence)
                used += length + 1
        return chosen

    def text(self, row: int) -> str:
        return self._text(row, self._kommuner[self._doc[row]])

    def _text(self, row: int, kommun: str) -> str:
        sentences, mentions = self.basis.sentences, self.basis.mentions
        return "\n".join(
            _put_kommun(sentences[s], mentions[s], kommun) if s in mentions else sentences[s]
            for s in self.sentence_ids(row)
        )

    def _chunk(self, row: int) -> Chunk:
        anchor = self.basis.chunks[self.plan.parts[row, 0]]
        doc = self._doc[row]
        doc_id = f"g{doc:011d}"
        index = row - self._doc_start[doc]
        year = self._years[doc]
        kommun = self._kommuner[doc]
        text = self._text(row, kommun)
        return Chunk(
            chunk_id=f"{doc_id}-{index:04d}",
            doc_id=doc_id,
            source_id=doc_id,
            chunk_index=index,
            text=text,
            municipality=kommun,
            year=year,
            date=_with_year(anchor.date, year),
            committee=self.doc_committee[doc],
            doc_type=anchor.doc_type,
            audit_firm=anchor.audit_firm,
            title=anchor.title,
            case_number=anchor.case_number,
            paragraph=anchor.paragraph,
            section_number=anchor.section_number,
            section_title=anchor.section_title,
            section_kind=anchor.section_kind,
            heading_path=anchor.heading_path,
            pages=anchor.pages,
            printed_pages=anchor.printed_pages,
            source_file=f"scale/{doc_id}.pdf",
            content_hash=doc_id,
            text_hash=hashlib.sha256(text.encode()).hexdigest(),
            token_count=max(1, round(anchor.token_count * len(text) / max(1, len(anchor.text)))),
        )

    def documents(self) -> list[DocumentRecord]:
        basis, plan = self.basis, self.plan
        counts = np.bincount(plan.doc, minlength=len(plan.templates))
        records = []
        for doc, template in enumerate(plan.templates):
            first = basis.chunks[basis.doc_rows[template][0]]
            doc_id = f"g{doc:011d}"
            year = int(self.doc_year[doc])
            records.append(
                DocumentRecord(
                    doc_id=doc_id,
                    source_id=doc_id,
                    source_file=f"scale/{doc_id}.pdf",
                    item_index=None,
                    municipality=basis.kommuner[self.doc_kommun[doc]],
                    year=year,
                    date=_with_year(first.date, year),
                    committee=self.doc_committee[doc],
                    doc_type=first.doc_type,
                    audit_firm=first.audit_firm,
                    title=first.title,
                    case_number=first.case_number,
                    paragraph=first.paragraph,
                    page_start=first.pages[0] if first.pages else None,
                    page_end=None,
                    chunk_count=int(counts[doc]),
                )
            )
        return records


def _put_kommun(sentence: str, mentions: list[tuple[int, int, str]], kommun: str) -> str:
    for start, end, tail in reversed(mentions):
        sentence = sentence[:start] + kommun + tail + sentence[end:]
    return sentence


def _with_year(date: str | None, year: int) -> str | None:
    if not date or len(date) < 10:
        return date
    month_day = date[5:10]
    return f"{year}-{'02-28' if month_day == '02-29' else month_day}"
