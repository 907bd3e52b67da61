"""Export the eval set for other tools: TREC qrels and a BEIR folder, both at chunk level.

Judgments are mapped to the chunks of the index they are exported from, so the export belongs to
that index's chunking.
"""

from __future__ import annotations

import json
from pathlib import Path

from eval.evalset import EvalQuery, map_judgments
from ingest.models import Chunk


def export_trec_qrels(queries: list[EvalQuery], chunks: list[Chunk], path: Path) -> Path:
    lines = []
    for mapped in map_judgments(queries, chunks):
        for chunk_id, grade in sorted(mapped.qrels.items()):
            lines.append(f"{mapped.query.id} 0 {chunk_id} {grade}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def export_beir(queries: list[EvalQuery], chunks: list[Chunk], folder: Path) -> Path:
    (folder / "qrels").mkdir(parents=True, exist_ok=True)
    with (folder / "corpus.jsonl").open("w", encoding="utf-8") as handle:
        for chunk in chunks:
            title = " · ".join(p for p in (chunk.title, chunk.heading_path_text) if p)
            record = {"_id": chunk.chunk_id, "title": title, "text": chunk.text}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    with (folder / "queries.jsonl").open("w", encoding="utf-8") as handle:
        for query in queries:
            record = {"_id": query.id, "text": query.query, "metadata": {"type": query.type}}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    rows = ["query-id\tcorpus-id\tscore"]
    for mapped in map_judgments(queries, chunks):
        rows += [
            f"{mapped.query.id}\t{cid}\t{grade}" for cid, grade in sorted(mapped.qrels.items())
        ]
    (folder / "qrels" / "test.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder
