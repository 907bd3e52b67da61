"""Write an ingest result to a folder of named files, and read it back.

``chunks.jsonl`` and ``documents.jsonl`` hold one record per line; ``ingest-report.json`` holds the
settings, counts, problems and duplicates. A new result is written beside the old one and swapped in
by rename, so a crash mid-write leaves the previous output readable.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import asdict, fields
from datetime import UTC, datetime
from pathlib import Path

from ingest.models import Chunk, DocumentRecord
from ingest.pipeline import IngestResult

FORMAT_VERSION = 1
CHUNKS_FILE = "chunks.jsonl"
DOCUMENTS_FILE = "documents.jsonl"
REPORT_FILE = "ingest-report.json"


class StoreError(Exception):
    pass


def _jsonl(records) -> str:
    return "".join(json.dumps(asdict(r), ensure_ascii=False) + "\n" for r in records)


def build_report(result: IngestResult) -> dict:
    return {
        "format_version": FORMAT_VERSION,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "settings": result.settings,
        "counts": {
            "files": result.files_seen,
            "documents": len(result.documents),
            "chunks": len(result.chunks),
            "failed_files": sum(1 for p in result.problems if p.fatal),
            "warnings": sum(1 for p in result.problems if not p.fatal),
            "duplicates": len(result.duplicates),
        },
        "problems": [asdict(p) for p in result.problems],
        "duplicates": [asdict(d) for d in result.duplicates],
    }


def write_result(result: IngestResult, out_dir: Path) -> Path:
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        (staging / CHUNKS_FILE).write_text(_jsonl(result.chunks), encoding="utf-8")
        (staging / DOCUMENTS_FILE).write_text(_jsonl(result.documents), encoding="utf-8")
        report = json.dumps(build_report(result), ensure_ascii=False, indent=2)
        (staging / REPORT_FILE).write_text(report, encoding="utf-8")
        _swap_in(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out_dir


def _swap_in(staging: Path, target: Path) -> None:
    if not target.exists():
        os.replace(staging, target)
        return
    retired = target.with_name(f".{target.name}-old-{os.getpid()}")
    os.replace(target, retired)
    os.replace(staging, target)
    shutil.rmtree(retired, ignore_errors=True)


def _from_dict(cls, raw: dict):
    names = {f.name for f in fields(cls)}
    values = {k: v for k, v in raw.items() if k in names}
    for key in ("heading_path", "pages", "printed_pages", "warnings"):
        if key in values and isinstance(values[key], list):
            values[key] = tuple(values[key])
    return cls(**values)


def _read_jsonl(path: Path, cls):
    if not path.is_file():
        raise StoreError(f"{path} saknas: kör 'revsok ingest' först")
    with path.open(encoding="utf-8") as handle:
        return [_from_dict(cls, json.loads(line)) for line in handle if line.strip()]


def read_documents(out_dir: Path) -> list[DocumentRecord]:
    return _read_jsonl(out_dir / DOCUMENTS_FILE, DocumentRecord)


def read_chunks(out_dir: Path) -> list[Chunk]:
    return _read_jsonl(out_dir / CHUNKS_FILE, Chunk)


def read_report(out_dir: Path) -> dict:
    path = out_dir / REPORT_FILE
    if not path.is_file():
        raise StoreError(f"{path} saknas: kör 'revsok ingest' först")
    return json.loads(path.read_text(encoding="utf-8"))
