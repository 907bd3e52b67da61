"""The recommendations wing: recommendations, verdicts and answers extracted from ingested audit
documents, their links, their store beside an index, their search and their citation.

It stands above ingest and index and below the app: ``extract_records(documents, chunks)`` reads
the records from an ingest's output (``build``, ``extract``, ``lists``, ``verdicts``, ``answers``,
``linking``), ``store`` writes them into an index version being built and searches them, and
``models`` holds the records and their citation lines.
"""

from recommendations.build import extract_records
from recommendations.models import (
    Answer,
    Link,
    Location,
    QuestionAnswer,
    Recommendation,
    RecordSet,
    Source,
    Verdict,
)

__all__ = [
    "Answer",
    "Link",
    "Location",
    "QuestionAnswer",
    "Recommendation",
    "RecordSet",
    "Source",
    "Verdict",
    "extract_records",
]
