"""``revsok bench``: ingest, embedding, query latency and scale-up numbers. Prints, never asserts.

Scale-up to 100,000 and 1,000,000 chunks is generated from the real corpus by
``revsok.bench.scale_corpus``: mixtures of neighbouring real vectors with calibrated noise, texts of
real sentences, 290 kommuner over ten years (or, as a stress case, noisy copies). Embedding that
many chunks would take days on 2 cores. With ``load``, the search is also timed beside a running
ingest and with eight concurrent users (``revsok.bench.load``); with ``ray_address``, embedding
throughput per core here and on Ray tasks (``revsok.bench.ray_throughput``).

Reading a large text file (parsing, cleaning, sections and chunking, no embedding) is timed on a
report generated for the purpose (``revsok.bench.text``), written to a temporary folder.

Reading speed in pages per second is timed on the corpus PDFs, on Word copies of them (the same
text, a page break where a PDF page ends; their pages are the PDF's) and, when asked for, on a
scanned copy (pages rendered to images and OCR'd with a cold OCR cache). With a cold embedding
cache, the whole ingest (reading in worker processes while this one embeds, then the index) is
timed against embedding the same chunks alone: reading should hide behind embedding.
"""

from __future__ import annotations

import logging
import resource
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index.builder import lexical_text, passage_text
from index.dense import DenseIndex, DenseSettings
from index.embedders import load_embedder
from index.embedding_cache import EmbeddingCache
from index.lexical import LexicalIndex
from index.searcher import Searcher
from ingest.chunking import TokenCounter
from ingest.models import Chunk
from ingest.ocr import OcrEngine
from ingest.pipeline import IngestOptions, collect_files, ingest_paths
from revsok.bench.load import measure_concurrent_users, measure_under_ingest
from revsok.bench.scale_corpus import generate, scaled_searcher
from revsok.bench.text import GeneratedText, write_report
from revsok.bench.timing import timed
from revsok.update import update_index

log = logging.getLogger(__name__)

# Queries the way revisorer search: keywords and full questions.
BENCH_QUERIES = (
    "rekommendationer om samverkan med regionen",
    "brister i kvalitetsledningssystemet",
    "kostnader för missbruksvård jämfört med liknande kommuner",
    "ej verkställda beslut",
    "patientsäkerhetsberättelse",
    "hur följer nämnden upp öppenvårdsinsatser",
    "intern kontroll",
    "budget i balans handlingsplan",
    "särskilt boende",
    "revisionsfrågor och revisionskriterier",
    "delegationsbeslut bistånd",
    "Är centrala arbetsprocesser och rutiner dokumenterade och fastställda?",
    "LSS personlig assistans utredningstider",
    "vilka metoder används i utredningen av missbruk",
    "uppföljning av verksamhetens kvalitet på gruppnivå",
    # Written the way revisorer narrow a search: kommun, year, nämnd.
    "Ragundas missbruksvård samverkan med regionen",
    "socialnämnden i Härnösand 2022 ekonomi i balans",
    "Piteå LSS rekommendationer 2023",
    "Karlshamns öppenvård uppföljning på individnivå",
)


# The load measurements (an ingest beside, eight users) run at this size and below.
LOAD_MAX_CHUNKS = 100_000


def _folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _peak_memory_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _query_list(count: int) -> list[str]:
    return [BENCH_QUERIES[i % len(BENCH_QUERIES)] for i in range(count)]


def measure_corpus(paths: Sequence[Path], embedder_spec: str, queries: int) -> dict:
    embedder = load_embedder(embedder_spec)
    counter = TokenCounter()
    with tempfile.TemporaryDirectory(prefix="revsok-bench-") as tmp:
        tmp_dir = Path(tmp)
        started = time.perf_counter()
        parsed = ingest_paths(paths, IngestOptions(), counter=counter)
        parse_seconds = time.perf_counter() - started

        started = time.perf_counter()
        report = update_index(
            paths,
            tmp_dir / "index",
            embedder,
            EmbeddingCache(tmp_dir / "cache.sqlite"),
            counter=counter,
        )
        total_seconds = time.perf_counter() - started
        build = report.build
        texts = [passage_text(c, True) for c in parsed.chunks]
        started = time.perf_counter()
        embedder.encode_passages(texts)
        pure_embed = time.perf_counter() - started

        searcher = Searcher.load(tmp_dir / "index", embedder=embedder)
        query_list = _query_list(queries)

        def search(query: str, mode: str) -> list:
            # The searcher caches query vectors; the latency must include embedding the query.
            searcher.forget_query_vectors()
            return searcher.search(query, k=10, mode=mode)

        latency = {
            mode: timed(lambda q, m=mode: search(q, m), query_list)
            for mode in ("bm25", "dense", "hybrid")
        }
        return {
            "chunks": build.chunks,
            "documents": len(report.ingest.documents),
            "ingest_seconds": {
                "parse_and_chunk": round(parse_seconds, 2),
                "embed": round(build.seconds_embed, 2),
                "index": round(build.seconds_index, 2),
                "total": round(total_seconds, 2),
            },
            "chunks_per_second": round(build.chunks / total_seconds, 2),
            "pure_embedding": {
                "seconds": round(pure_embed, 2),
                "chunks_per_second": round(len(texts) / pure_embed, 2),
            },
            "ingest_over_pure_embedding": round(total_seconds / pure_embed, 3),
            "query_latency": latency,
            "index_size_mb": round(_folder_size(tmp_dir / "index") / 1e6, 2),
            "peak_memory_mb": _peak_memory_mb(),
        }, searcher


def measure_scale(
    searcher: Searcher,
    size: int,
    queries: int,
    seed: int = 13,
    dense_settings: DenseSettings | None = None,
    *,
    corpus_kind: str = "realistic",
    load: bool = False,
) -> dict:
    """Latency and recall at ``size`` generated chunks (``revsok.bench.scale_corpus``:
    "realistic", or "copies" as the stress case); ``load`` adds the HNSW search beside an ingest
    and with eight concurrent users (``revsok.bench.load``)."""
    corpus = generate(searcher, size, seed, kind=corpus_kind)
    chunks = list(corpus.chunks)
    vectors = corpus.vectors
    started = time.perf_counter()
    lexical = LexicalIndex.build([lexical_text(c) for c in chunks])
    lexical_build = time.perf_counter() - started
    query_list = _query_list(queries)
    query_vectors = {q: searcher.embedder.encode_queries([q])[0] for q in set(query_list)}
    result: dict = {
        "chunks": size,
        "corpus": corpus_kind,
        "bm25_build_seconds": round(lexical_build, 2),
    }
    exact_tops: dict[str, list[int]] = {}
    for kind in ("flat", "hnsw"):
        started = time.perf_counter()
        dense = DenseIndex.build(vectors, dense_settings or DenseSettings(), kind=kind)
        build_seconds = time.perf_counter() - started

        def dense_only(q: str, index=dense) -> list:
            # Query embedding is part of the latency, as in a real search.
            vector = searcher.embedder.encode_queries([q])[0]
            return index.search(vector, 10)

        scaled = scaled_searcher(searcher, dense, lexical, chunks, corpus.documents)

        def hybrid(q: str, index=scaled) -> list:
            # The whole search as users run it: query understanding, the kommun's own candidate
            # pool, fusion, boosts, copies folded; the query embedded afresh each time.
            index.forget_query_vectors()
            return index.search(q, k=10)

        tops = {q: [row for row, _ in dense.search(v, 10)] for q, v in query_vectors.items()}
        entry = {
            "build_seconds": round(build_seconds, 2),
            "dense": timed(dense_only, query_list),
            "hybrid": timed(hybrid, query_list),
        }
        if kind == "flat":
            exact_tops = tops
        else:
            recall = [len(set(tops[q]) & set(exact_tops[q])) / 10 for q in tops]
            entry["recall_at_10_vs_exact"] = round(float(np.mean(recall)), 4)
            entry["ef_search"] = dense.settings.hnsw_ef_search
            if load:
                entry["hybrid_beside_ingest"] = measure_under_ingest(scaled, query_list)
                entry["hybrid_8_users"] = measure_concurrent_users(scaled, query_list, users=8)
        result[kind] = entry
        del dense
    result["bm25"] = timed(lambda q: lexical.search(q, 10), query_list)
    result["peak_memory_mb"] = _peak_memory_mb()
    return result


def measure_text_ingest(megabytes: float, counter: TokenCounter | None = None) -> dict:
    """Time ingesting one generated text file of about ``megabytes`` MB, without embedding.

    Also counts the generated sentences that no chunk holds: ingest must not drop text.
    """
    counter = counter or TokenCounter()
    counter("x")  # load the tokenizer outside the measurement; its word cache stays empty
    with tempfile.TemporaryDirectory(prefix="revsok-bench-text-") as tmp:
        path, generated = write_report(Path(tmp), megabytes)
        size_mb = path.stat().st_size / 1e6
        started = time.perf_counter()
        result = ingest_paths([path], IngestOptions(), counter=counter)
        seconds = time.perf_counter() - started
    return {
        "megabytes": round(size_mb, 2),
        "seconds": round(seconds, 2),
        "mb_per_second": round(size_mb / seconds, 2),
        "chunks": len(result.chunks),
        "sentences": len(generated.sentences),
        "sentences_missing": len(missing_sentences(generated, result.chunks)),
    }


def missing_sentences(generated: GeneratedText, chunks: Sequence[Chunk]) -> list[str]:
    """Generated sentences that no chunk holds (whitespace aside), in reading order.

    Chunks come in text order and every sentence lies within one paragraph, which the chunker
    never splits at this size: one pass through the chunks finds each sentence after the one
    before it.
    """
    joined = " ".join(" ".join(chunk.text.split()) for chunk in chunks)
    missing = []
    position = 0
    for sentence in generated.sentences:
        found = joined.find(" ".join(sentence.split()), position)
        if found < 0:
            missing.append(sentence)
        else:
            position = found
    return missing


def _pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def _timed_reading(files: Sequence[Path], pages: int, counter: TokenCounter, ocr=None) -> dict:
    started = time.perf_counter()
    result = ingest_paths(files, IngestOptions(), counter=counter, ocr=ocr)
    seconds = time.perf_counter() - started
    failed = [p.source_file for p in result.problems if p.fatal]
    return {
        "files": len(files),
        "pages": pages,
        "seconds": round(seconds, 2),
        "pages_per_second": round(pages / seconds, 2),
        "chunks": len(result.chunks),
        "failed": failed,
    }


def _word_copy(pdf: Path, folder: Path) -> Path:
    """``pdf``'s text layer as a .docx: a paragraph per line, a page break per page."""
    from docx import Document
    from pypdf import PdfReader

    document = Document()
    for number, page in enumerate(PdfReader(pdf).pages):
        if number:
            document.add_page_break()
        for line in (page.extract_text() or "").splitlines():
            if line.strip():
                document.add_paragraph(line)
    path = folder / f"{pdf.stem}.docx"
    document.save(path)
    return path


def _scanned_copy(pdf: Path, folder: Path, pages: int, dpi: int = 200) -> Path:
    """The first ``pages`` pages of ``pdf`` as images only, as a scanner makes them."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        images = [
            document[i].render(scale=dpi / 72).to_pil().convert("RGB")
            for i in range(min(pages, len(document)))
        ]
    finally:
        document.close()
    path = folder / f"{pdf.stem}-skannad.pdf"
    images[0].save(path, save_all=True, append_images=images[1:], resolution=dpi)
    return path


def measure_reading(paths: Sequence[Path], ocr_pages: int = 0) -> dict:
    """Pages per second read (parsed, cleaned, chunked; not embedded) in one process."""
    pdfs = [p for p in collect_files(paths)[0] if p.suffix.lower() == ".pdf"]
    counter = TokenCounter()
    counter("x")  # load the tokenizer outside the measurements
    pages = sum(_pdf_pages(p) for p in pdfs)
    report: dict = {"text_pdf": _timed_reading(pdfs, pages, counter)}
    with tempfile.TemporaryDirectory(prefix="revsok-bench-read-") as tmp:
        try:
            words = [_word_copy(p, Path(tmp)) for p in pdfs]
        except ImportError as err:
            report["docx"] = {"skipped": f"python-docx saknas ({err})"}
        else:
            report["docx"] = _timed_reading(words, pages, counter)
        if ocr_pages > 0 and pdfs:
            engine = OcrEngine()  # a cache in memory, empty: every page is OCR'd
            problem = engine.unavailable()
            if problem is not None:
                report["ocr"] = {"skipped": f"OCR kan inte köras: {problem}"}
            else:
                scan = _scanned_copy(pdfs[-1], Path(tmp), ocr_pages)
                report["ocr"] = _timed_reading([scan], _pdf_pages(scan), counter, engine)
    return report


def measure_cold_ingest(paths: Sequence[Path], embedder_spec: str, workers: Sequence[int]) -> dict:
    """The whole ingest into an empty index with an empty embedding cache, for each count of
    reading ``workers``, against embedding the same chunks alone.

    The files are given one by one, not as folders, so that a folder's shipped embeddings
    (``index.embedding_seed``) are not imported: every chunk is embedded.
    """
    embedder = load_embedder(embedder_spec)
    counter = TokenCounter()
    files = collect_files(paths)[0]
    parsed = ingest_paths(files, IngestOptions(), counter=counter)
    texts = [passage_text(c, True) for c in parsed.chunks]
    embedder.encode_passages(texts[:2])  # load the model outside the measurement
    started = time.perf_counter()
    embedder.encode_passages(texts)
    pure = time.perf_counter() - started
    runs = []
    for count in workers:
        with tempfile.TemporaryDirectory(prefix="revsok-bench-cold-") as tmp:
            started = time.perf_counter()
            report = update_index(
                files,
                Path(tmp) / "index",
                embedder,
                EmbeddingCache(Path(tmp) / "cache.sqlite"),
                counter=counter,
                workers=count,
            )
            seconds = time.perf_counter() - started
        runs.append(
            {
                "workers": count,
                "seconds": round(seconds, 2),
                "embed_seconds": round(report.build.seconds_embed, 2),
                "embedded": report.build.embedded,
                "over_pure_embedding": round(seconds / pure, 3),
                # Against the embedding inside the same run: unmoved by a load that changes
                # between the runs on a shared machine.
                "over_own_embedding": round(seconds / max(report.build.seconds_embed, 1e-9), 3),
            }
        )
    return {
        "files": len(files),
        "chunks": len(texts),
        "pure_embedding_seconds": round(pure, 2),
        "runs": runs,
    }


def run_benchmark(
    paths: Sequence[Path],
    settings,
    scales: Sequence[int],
    queries: int,
    text_sizes: Sequence[float] = (50.0,),
    *,
    search: bool = True,
    ocr_pages: int = 0,
    cold_workers: Sequence[int] = (),
    corpus_kind: str = "realistic",
    load: bool = False,
    ray_address: str | None = None,
    startup: Sequence[int] = (),
) -> dict:
    """``search=False`` leaves out the corpus search, scale-up and text measurements;
    ``cold_workers`` (reading worker counts) adds the cold-cache ingest against embedding."""
    report: dict = {}
    if search:
        corpus, searcher = measure_corpus(paths, settings.embedder, queries)
        dense_settings = DenseSettings(hnsw_ef_search=settings.hnsw_ef_search)
        report["corpus"] = corpus
        report["scale"] = [
            measure_scale(
                searcher,
                n,
                queries,
                dense_settings=dense_settings,
                corpus_kind=corpus_kind,
                load=load and n <= LOAD_MAX_CHUNKS,
            )
            for n in scales
        ]
        if startup:
            from revsok.bench.scale import bench_queries
            from revsok.bench.startup import measure_startup

            report["startup"] = [
                measure_startup(searcher, n, bench_queries(queries), dense=dense_settings)
                for n in startup
            ]
        if ray_address is not None:
            from revsok.bench.ray_throughput import measure_ray_throughput

            report["ray"] = measure_ray_throughput(searcher, address=ray_address)
    report["reading"] = measure_reading(paths, ocr_pages)
    if cold_workers:
        report["cold_ingest"] = measure_cold_ingest(paths, settings.embedder, cold_workers)
    if search:
        # Last, so that the corpus and scale-up report their own peak memory.
        report["text_ingest"] = [measure_text_ingest(size) for size in text_sizes]
    report["text"] = format_report(report)
    return report


def _reading_lines(reading: dict) -> list[str]:
    names = {"text_pdf": "PDF med textlager", "docx": "Word (.docx)", "ocr": "skannad PDF (OCR)"}
    lines = []
    for key, label in names.items():
        entry = reading.get(key)
        if entry is None:
            continue
        if "skipped" in entry:
            lines.append(f"Läsning, {label}: hoppades över ({entry['skipped']})")
            continue
        failed = f"; {len(entry['failed'])} filer misslyckades" if entry["failed"] else ""
        lines.append(
            f"Läsning, {label}: {entry['pages']} sidor på {entry['seconds']:g} s = "
            f"{entry['pages_per_second']:g} sidor/s ({entry['chunks']} chunkar{failed})"
        )
    return lines


def _cold_lines(cold: dict) -> list[str]:
    lines = [
        f"Kall cache, {cold['files']} filer, {cold['chunks']} chunkar: ren inbäddning "
        f"{cold['pure_embedding_seconds']:g} s"
    ]
    for run in cold["runs"]:
        how = f"{run['workers']} läsprocesser" if run["workers"] else "allt i en process"
        lines.append(
            f"  ingest ({how}): {run['seconds']:g} s = {run['over_pure_embedding']:g} × ren "
            f"inbäddning, {run['over_own_embedding']:g} × körningens egen inbäddning "
            f"({run['embed_seconds']:g} s, {run['embedded']} nya)"
        )
    return lines


def format_report(report: dict) -> str:
    lines = []
    if "corpus" in report:
        lines.extend(_corpus_lines(report))
    if report.get("reading"):
        lines.append("")
        lines.extend(_reading_lines(report["reading"]))
    if report.get("cold_ingest"):
        lines.append("")
        lines.extend(_cold_lines(report["cold_ingest"]))
    for entry in report.get("startup", []):
        from revsok.bench.startup import format_lines

        lines += ["", *format_lines(entry)]
    if report.get("ray"):
        r = report["ray"]
        lines += [
            "",
            f"Inbäddning per kärna, {r['chunks']} chunkar: här {r['here_per_core']} chunkar/s "
            f"({r['here_cores']} kärnor, {r['here_seconds']} s); Ray {r['ray_per_core']} "
            f"chunkar/s ({r['ray_cores']} kärnor, {r['ray_seconds']} s)",
        ]
    if report.get("text_ingest"):
        lines.append("")
    for t in report.get("text_ingest", []):
        lines.append(
            f"Inläsning av text (tolkning + chunkning): {t['megabytes']:g} MB på "
            f"{t['seconds']:g} s = {t['mb_per_second']:g} MB/s ({t['chunks']} chunkar)"
        )
        if t["sentences_missing"]:
            lines.append(
                f"  VARNING: {t['sentences_missing']} av {t['sentences']} genererade meningar "
                "finns inte i någon chunk"
            )
    return "\n".join(lines).strip("\n")


def _corpus_lines(report: dict) -> list[str]:
    c = report["corpus"]
    lines = [
        f"Korpus: {c['documents']} dokument, {c['chunks']} chunkar",
        "Ingest (s): " + ", ".join(f"{k} {v}" for k, v in c["ingest_seconds"].items()),
        f"Ingest: {c['chunks_per_second']} chunkar/s; ren inbäddning: "
        f"{c['pure_embedding']['chunks_per_second']} chunkar/s "
        f"({c['pure_embedding']['seconds']} s); kvot ingest/inbäddning "
        f"{c['ingest_over_pure_embedding']}",
        "Sökfördröjning (ms, inkl. frågeinbäddning): "
        + "; ".join(
            f"{mode} p50 {v['p50_ms']} p95 {v['p95_ms']}" for mode, v in c["query_latency"].items()
        ),
        f"Index på disk: {c['index_size_mb']} MB; toppminne {c['peak_memory_mb']} MB",
    ]
    for s in report["scale"]:
        lines.append(
            f"\n{s['chunks']:,} chunkar (BM25 byggd på {s['bm25_build_seconds']} s)".replace(
                ",", " "
            )
        )
        lines.append(f"  bm25: p50 {s['bm25']['p50_ms']} p95 {s['bm25']['p95_ms']} ms")
        for kind in ("flat", "hnsw"):
            e = s[kind]
            recall = e.get("recall_at_10_vs_exact")
            ef = f" efSearch {e['ef_search']}" if "ef_search" in e else ""
            lines.append(
                f"  {kind}{ef} "
                f"(byggd {e['build_seconds']} s): dense p50 {e['dense']['p50_ms']} "
                f"p95 {e['dense']['p95_ms']} ms; hybrid p50 {e['hybrid']['p50_ms']} "
                f"p95 {e['hybrid']['p95_ms']} ms"
                + (f"; recall@10 mot exakt {recall}" if recall is not None else "")
            )
            for key, label in (
                ("hybrid_beside_ingest", "medan en ingest bäddar in"),
                ("hybrid_8_users", "8 samtidiga användare"),
            ):
                if key in e:
                    lines.append(
                        f"    hybrid {label}: p50 {e[key]['p50_ms']} p95 {e[key]['p95_ms']} ms"
                    )
        lines.append(f"  toppminne {s['peak_memory_mb']} MB")
    return lines
