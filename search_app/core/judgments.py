"""Judged results of a free query, appended to the user's own eval set.

The user's set lives beside the data (``<data_dir>/eval/egna-fragor.jsonl``), in the format of
``eval/queries.jsonl``: judgments name the document (the source file's stem) and quote the
passage verbatim as evidence, so they survive re-chunking like the shipped ones. The shipped set is
never written to; a line is only ever appended, so earlier judgments are never rewritten.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

from eval.evalset import EvalQuery, document_key, load_eval_set
from ingest.models import Chunk

USER_SET_NAME = "egna-fragor.jsonl"
ID_PREFIX = "egen-"
# The labels a user picks, and the grades the eval set uses for them.
GRADES = {"relevant": 2, "delvis": 1, "inte": 0}


def user_set_path(data_dir: Path) -> Path:
    return data_dir / "eval" / USER_SET_NAME


def load_user_set(path: Path) -> list[EvalQuery]:
    return load_eval_set(path) if path.is_file() else []


def next_id(existing: Sequence[EvalQuery]) -> str:
    numbers = [
        int(match.group(1)) for q in existing if (match := re.fullmatch(rf"{ID_PREFIX}(\d+)", q.id))
    ]
    return f"{ID_PREFIX}{max(numbers, default=0) + 1:03d}"


def query_record(query_id: str, query: str, judged: Sequence[tuple[Chunk, int]]) -> dict:
    """One eval-set line. Only relevant (2) and partly relevant (1) passages become judgments."""
    judgments = [
        {"document": document_key(chunk.source_file), "evidence": chunk.text, "grade": grade}
        for chunk, grade in judged
        if grade > 0
    ]
    return {
        "id": query_id,
        "query": query.strip(),
        "type": "egen",
        "style": "fråga" if query.strip().endswith("?") else "nyckelord",
        "judgments": judgments,
    }


def append_judged_query(path: Path, query: str, judged: Sequence[tuple[Chunk, int]]) -> str:
    """Append the judged query to the user's set and return its id.

    Raises ValueError when no passage was judged relevant: such a query cannot be scored.
    """
    if not query.strip():
        raise ValueError("frågan är tom")
    if not any(grade > 0 for _, grade in judged):
        raise ValueError(
            "ingen passage bedömdes som relevant eller delvis relevant, så frågan kan inte "
            "användas i utvärderingen"
        )
    existing = load_user_set(path)  # also refuses to append to a file that is not valid
    query_id = next_id(existing)
    line = json.dumps(query_record(query_id, query, judged), ensure_ascii=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    needs_newline = path.is_file() and path.stat().st_size > 0 and not _ends_with_newline(path)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(("\n" if needs_newline else "") + line + "\n")
    return query_id


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as handle:
        handle.seek(-1, 2)
        return handle.read(1) == b"\n"
