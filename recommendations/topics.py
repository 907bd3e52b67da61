"""A small controlled vocabulary of topics, assigned to recommendations by their words.

The vocabulary is data (``recommendations/data/recommendation_topics.csv``): a topic is one or more
groups of terms, and a text has the topic when it matches a term of every group ("samverkan med
regionen" needs a samverkan word and a region word). A term matches at the start of a word ("rutin"
→ "rutinerna"); a leading ``*`` lets it match inside a compound ("*ledningssystem" →
"kvalitetsledningssystemet"); a trailing ``$`` makes it a whole word ("mål$")."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from revsok.errors import RevsokError

TOPICS_CSV = Path(__file__).resolve().parent / "data" / "recommendation_topics.csv"


class TopicsDataError(RevsokError):
    pass


def _term_pattern(term: str) -> str:
    term = term.strip().casefold()
    inside = term.startswith("*")
    whole = term.endswith("$")
    core = re.escape(term.strip("*$"))
    prefix = "" if inside else r"(?<![\wåäö])"
    suffix = r"(?![\wåäö])" if whole else ""
    return f"{prefix}{core}{suffix}"


@lru_cache(maxsize=1)
def load_topics() -> dict[str, tuple[re.Pattern[str], ...]]:
    """Topic → one compiled pattern per group, in the file's order."""
    if not TOPICS_CSV.is_file():
        raise TopicsDataError(f"{TOPICS_CSV} saknas: återställ filen från versionshanteringen")
    groups: dict[str, dict[str, list[str]]] = defaultdict(dict)
    with TOPICS_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            try:
                topic, group, terms = row["topic"].strip(), row["group"].strip(), row["terms"]
            except (KeyError, AttributeError) as err:
                raise TopicsDataError(f"{TOPICS_CSV}: rad utan topic/group/terms: {row}") from err
            groups[topic].setdefault(group, []).extend(t for t in terms.split("|") if t.strip())
    return {
        topic: tuple(
            re.compile("|".join(_term_pattern(t) for t in terms), re.IGNORECASE)
            for terms in by_group.values()
        )
        for topic, by_group in groups.items()
    }


def topic_names() -> tuple[str, ...]:
    return tuple(load_topics())


def assign_topics(text: str) -> tuple[str, ...]:
    """Every topic whose groups all match ``text``, in vocabulary order."""
    lowered = text.casefold()
    return tuple(
        topic
        for topic, patterns in load_topics().items()
        if all(pattern.search(lowered) for pattern in patterns)
    )


def resolve_topic(name: str) -> tuple[str, ...]:
    """The topics a user means: an exact name, else every topic containing the words."""
    wanted = " ".join(name.casefold().split())
    names = topic_names()
    if wanted in names:
        return (wanted,)
    return tuple(t for t in names if wanted in t)
