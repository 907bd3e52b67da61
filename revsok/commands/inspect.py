"""``revsok inspect``: the documents of an index, their metadata and warnings."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from revsok.commands.common import one_line
from revsok.settings import Settings

HELP = "lista indexets dokument, metadata och varningar"


def add_arguments(parser) -> None:
    parser.add_argument("dir", nargs="?", type=Path, metavar="MAPP", help="indexmapp")
    parser.add_argument("--json", action="store_true", help="skriv ut som JSON")


def run(args, settings: Settings) -> int:
    from index import layout
    from index.chunk_store import read_documents
    from index.index_config import IndexConfig

    folder = args.dir or settings.resolved_index_dir
    version = layout.live_version(folder)
    config = IndexConfig.read(version)
    documents = read_documents(version)
    if args.json:
        payload = {"config": config.to_dict(), "documents": [asdict(d) for d in documents]}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    for doc in sorted(documents, key=lambda d: (d.source_file, d.item_index or 0)):
        pages = f"s. {doc.page_start}–{doc.page_end}" if doc.page_start else ""
        fields = [
            doc.municipality or "(kommun saknas)",
            str(doc.year or "(år saknas)"),
            doc.committee or "(nämnd saknas)",
            doc.doc_type,
            doc.audit_firm or "",
            doc.title or "(titel saknas)",
        ]
        extra = [x for x in (doc.case_number and f"Dnr {doc.case_number}", doc.paragraph) if x]
        print(f"{doc.doc_id}  " + " · ".join(f for f in fields if f))
        print(
            f"    {one_line(doc.source_file)} {pages} · {doc.chunk_count} chunkar"
            + (f" · {' · '.join(extra)}" if extra else "")
        )
        for warning in doc.warnings:
            print(f"    varning: {warning}")
    counts, chunking, report = config.counts, config.chunking, config.ingest_report
    print(
        f"\n{counts.documents} dokument, {counts.chunks} chunkar · embedder "
        f"{config.embedder_name} · chunk_size {chunking and chunking.chunk_size}, "
        f"overlap {chunking and chunking.chunk_overlap} · tät sökning {config.dense_kind}"
    )
    for problem in report.problems if report else ():
        if problem.fatal:
            print(one_line(f"FEL: {problem.source_file}: {problem.reason}"))
    return 0
