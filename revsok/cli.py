"""The ``revsok`` command: one entry point, one subcommand per job, all over the Python API."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from revsok.settings import load_settings

log = logging.getLogger("revsok")


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="revsok",
        description="Sök i kommunala revisionsrapporter, protokoll och handlingar.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="visa mer loggning")
    commands = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")

    ingest = commands.add_parser("ingest", help="läs PDF- och textfiler till chunkar med metadata")
    ingest.add_argument("paths", nargs="+", type=Path, metavar="SÖKVÄG", help="filer eller mappar")
    ingest.add_argument("--out", type=Path, help="utmapp (standard: data_dir, revsok-data)")
    ingest.add_argument("--chunk-size", type=int, help="chunkstorlek i token (standard 300)")
    ingest.add_argument("--chunk-overlap", type=int, help="överlapp i token (standard 50)")
    ingest.add_argument(
        "--no-mask",
        action="store_true",
        help="maskera inte personnummer (standard: maskeras)",
    )
    ingest.add_argument("--quiet", action="store_true", help="ingen förloppsindikator")

    inspect = commands.add_parser("inspect", help="lista dokument, metadata och varningar")
    inspect.add_argument("dir", nargs="?", type=Path, metavar="MAPP", help="utmapp från ingest")
    inspect.add_argument("--json", action="store_true", help="skriv ut som JSON")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        settings = load_settings()
    except ValueError as err:
        print(f"revsok: {err}", file=sys.stderr)
        return 2
    if args.command == "ingest":
        return _ingest(args, settings)
    return _inspect(args, settings)


def _ingest(args, settings) -> int:
    from ingest.pipeline import IngestOptions, ingest_paths
    from ingest.store import write_result

    settings = settings.with_overrides(
        chunk_size=args.chunk_size,
        chunk_overlap=args.chunk_overlap,
        mask_personal_numbers=False if args.no_mask else None,
        data_dir=args.out,
    )
    try:
        options = IngestOptions(
            chunk_size=settings.chunk_size,
            chunk_overlap=settings.chunk_overlap,
            mask_personal_numbers=settings.mask_personal_numbers,
        )
        options.chunk_settings()
    except ValueError as err:
        print(f"revsok: {err}", file=sys.stderr)
        return 2
    result = ingest_paths(args.paths, options, show_progress=not args.quiet and sys.stderr.isatty())
    for problem in result.problems:
        label = "FEL" if problem.fatal else "varning"
        print(f"{label}: {problem.source_file}: {problem.reason}", file=sys.stderr)
    for duplicate in result.duplicates:
        print(
            f"dubblett: {duplicate.source_file} har samma innehåll som {duplicate.duplicate_of}"
            " (indexeras en gång)",
            file=sys.stderr,
        )
    out = write_result(result, settings.data_dir) if result.chunks else None
    failed = sum(1 for p in result.problems if p.fatal)
    warned = sum(1 for p in result.problems if not p.fatal)
    print(
        f"Klart: {result.files_seen} filer, {len(result.documents)} dokument, "
        f"{len(result.chunks)} chunkar, {failed} fel, {warned} varningar, "
        f"{len(result.duplicates)} dubbletter"
        + (f" → {out}" if out else " (inget skrevs: inga chunkar)")
    )
    return 1 if failed or not result.chunks else 0


def _inspect(args, settings) -> int:
    from ingest.store import StoreError, read_documents, read_report

    folder = args.dir or settings.data_dir
    try:
        documents = read_documents(folder)
        report = read_report(folder)
    except StoreError as err:
        print(f"revsok: {err}", file=sys.stderr)
        return 2
    if args.json:
        payload = {"report": report, "documents": [asdict(d) for d in documents]}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    for doc in documents:
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
            f"    {doc.source_file} {pages} · {doc.chunk_count} chunkar"
            + (f" · {' · '.join(extra)}" if extra else "")
        )
        for warning in doc.warnings:
            print(f"    varning: {warning}")
    counts = report["counts"]
    print(
        f"\n{counts['documents']} dokument, {counts['chunks']} chunkar "
        f"från {counts['files']} filer;"
        f" {counts['failed_files']} fel, {counts['duplicates']} dubbletter"
        f" (chunk_size {report['settings']['chunk_size']},"
        f" overlap {report['settings']['chunk_overlap']})"
    )
    for problem in report["problems"]:
        if problem["fatal"]:
            print(f"FEL: {problem['source_file']}: {problem['reason']}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
