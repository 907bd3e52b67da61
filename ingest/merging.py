"""The result of an ingest run, gathered from the files' results one file at a time in file order:
copies by bytes or by text are recorded as duplicates, failures and warnings as problems.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ingest.models import Chunk, DocumentRecord, IngestProblem

if TYPE_CHECKING:
    from ingest.parsing import Parsed


@dataclass(frozen=True)
class Duplicate:
    source_file: str
    duplicate_of: str


@dataclass(frozen=True)
class IngestResult:
    documents: tuple[DocumentRecord, ...]
    chunks: tuple[Chunk, ...]
    problems: tuple[IngestProblem, ...]
    duplicates: tuple[Duplicate, ...]
    files_seen: int
    settings: dict[str, object]
    files_reused: int = 0

    @property
    def failed(self) -> bool:
        return any(problem.fatal for problem in self.problems)


class Merged:
    """The run's result so far, taken one file at a time in file order."""

    def __init__(self, problems: list[IngestProblem]):
        self.documents: list[DocumentRecord] = []
        self.chunks: list[Chunk] = []
        self.problems = problems
        self.duplicates: list[Duplicate] = []
        self.seen: dict[str, str] = {}
        self.reused = 0

    def add_known(self, name: str, file_hash: str, docs, chunks) -> None:
        if file_hash in self.seen:
            self.duplicates.append(Duplicate(name, self.seen[file_hash]))
            return
        self.seen[file_hash] = name
        self.documents.extend(replace(d, source_file=name) for d in docs)
        self.chunks.extend(replace(c, source_file=name) for c in chunks)
        self.reused += 1

    def add_parsed(self, name: str, parsed: Parsed) -> list[Chunk]:
        """Take one read file; returns the chunks it added (none for a failure or a copy)."""
        if parsed.stage == "read" and parsed.problem is not None:
            self.problems.append(parsed.problem)
            return []
        if parsed.content_hash in self.seen:
            self.duplicates.append(Duplicate(name, self.seen[parsed.content_hash]))
            return []
        if parsed.stage == "clean" and parsed.problem is not None:
            self.problems.append(parsed.problem)
            return []
        if parsed.fingerprint in self.seen:
            self.duplicates.append(Duplicate(name, self.seen[parsed.fingerprint]))
            return []
        if parsed.problem is not None:
            self.problems.append(parsed.problem)
            return []
        self.seen[parsed.content_hash] = self.seen[parsed.fingerprint] = name
        self.problems.extend(
            IngestProblem(name, warning, fatal=False) for warning in parsed.warnings
        )
        self.documents.extend(parsed.documents)
        self.chunks.extend(parsed.chunks)
        for doc in parsed.documents:
            self.problems.extend(
                IngestProblem(name, warning, fatal=False) for warning in doc.warnings
            )
        return list(parsed.chunks)

    def result(self, files_seen: int, settings: dict[str, object]) -> IngestResult:
        return IngestResult(
            documents=tuple(self.documents),
            chunks=tuple(self.chunks),
            problems=tuple(self.problems),
            duplicates=tuple(self.duplicates),
            files_seen=files_seen,
            settings=settings,
            files_reused=self.reused,
        )
