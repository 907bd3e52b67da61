"""``revsok bench``: ingest, search latency and scale measurements, printed."""

from __future__ import annotations

import json
from pathlib import Path

from revsok.bench import DEFAULT_SCALES, DEFAULT_TEXT_MB
from revsok.commands.common import workers_count
from revsok.settings import Settings

HELP = "mät ingest, sökfördröjning och skalning"


def add_arguments(parser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, default=[Path("corpus")], metavar="SÖKVÄG")
    parser.add_argument(
        "--scale",
        type=int,
        action="append",
        help=f"antal chunkar att skala upp till (standard {_listed(DEFAULT_SCALES)}; "
        "0 hoppar över)",
    )
    parser.add_argument("--queries", type=int, default=50, help="antal frågor per mätning")
    parser.add_argument(
        "--text-mb",
        type=float,
        action="append",
        metavar="MB",
        help="storlek på den genererade textfil vars inläsning mäts "
        f"(standard {_listed(DEFAULT_TEXT_MB)}; 0 hoppar över)",
    )
    parser.add_argument(
        "--ocr-pages",
        type=int,
        default=0,
        metavar="N",
        help="mät OCR-läsning på N sidor av en skannad kopia (standard %(default)s: mäts inte)",
    )
    parser.add_argument(
        "--cold-ingest",
        action="store_true",
        help="mät hela inläsningen med tom embeddingcache mot enbart inbäddningen (tar minuter)",
    )
    parser.add_argument(
        "--workers",
        type=workers_count,
        metavar="N",
        help="läsprocesser i --cold-ingest (standard: kärnor minus en); jämförs med 0",
    )
    parser.add_argument(
        "--scale-corpus",
        choices=("realistic", "copies"),
        default="realistic",
        help="skalningskorpus: realistic (blandningar av verkliga vektorer, verkliga meningar; "
        "standard) eller copies (brusiga kopior, stressfall)",
    )
    parser.add_argument(
        "--load",
        action="store_true",
        help="mät också hybridsökning vid högst 100 000 chunkar medan en ingest bäddar in och "
        "med 8 samtidiga användare",
    )
    parser.add_argument(
        "--startup",
        type=int,
        action="append",
        metavar="N",
        help="skriv N genererade chunkar som ett index och mät Searcher.load, minne och sökning "
        "i en ny process (t.ex. 1000000; tar minuter)",
    )
    parser.add_argument(
        "--ray",
        nargs="?",
        const="local",
        metavar="ADRESS",
        help="mät inbäddning per kärna här och som Ray-uppgifter (standard: en egen Ray-instans)",
    )
    parser.add_argument(
        "--only-ingest",
        action="store_true",
        help="mät bara läsning och inläsning, inte sökning, skalning och textfil",
    )
    parser.add_argument("--json", action="store_true", help="skriv ut som JSON")


def run(args, settings: Settings) -> int:
    from revsok.bench.benchmark import run_benchmark

    report = run_benchmark(
        args.paths,
        settings,
        scales=[n for n in args.scale or DEFAULT_SCALES if n > 0],
        queries=args.queries,
        text_sizes=[size for size in args.text_mb or DEFAULT_TEXT_MB if size > 0],
        search=not args.only_ingest,
        ocr_pages=args.ocr_pages,
        cold_workers=_cold_workers(args, settings),
        corpus_kind=args.scale_corpus,
        load=args.load,
        ray_address=args.ray,
        startup=args.startup or [],
    )
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else report["text"])
    return 0


def _listed(numbers) -> str:
    """``(100_000, 1_000_000)`` as the help text writes it: "100 000 och 1 000 000"."""
    return " och ".join(f"{n:,}".replace(",", " ").removesuffix(".0") for n in numbers)


def _cold_workers(args, settings: Settings) -> list[int]:
    if not args.cold_ingest:
        return []
    workers = args.workers if args.workers is not None else settings.ingest_workers
    # Reading in one process too, for what the worker processes gain.
    return list(dict.fromkeys([workers, 0]))
