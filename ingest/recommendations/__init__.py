"""Recommendations, verdicts and answers extracted from ingested audit documents, and their links.

``extract_records(documents, chunks)`` is the entry point; the records are in ``models``.
"""

from ingest.recommendations.build import extract_records
from ingest.recommendations.models import (
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
