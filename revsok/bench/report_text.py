"""The ``revsok bench`` report as the Swedish text it prints: one part per measurement made."""

from __future__ import annotations


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
