"""The dense scale-up measures each index against exact search, with and without filters."""

from __future__ import annotations

from revsok.bench.scale import FLAT, bench_queries, format_table, hnsw, ivf, measure_dense_scale


def test_each_config_gets_recall_latency_filters_and_size(corpus_searcher):
    configs = [FLAT, hnsw(16, 40, 40), ivf(16, 2), ivf(16, 16), ivf(16, 4, "sq8")]
    seen = []
    result = measure_dense_scale(
        corpus_searcher, 4_000, configs, bench_queries(12), latency_queries=6, on_entry=seen.append
    )
    entries = {e["name"]: e for e in result["configs"]}
    assert list(entries) == [c.name for c in configs] and len(seen) == len(configs)
    assert entries["flat (exakt)"]["recall_at_10"] == 1.0
    # Probing every list is exact search; two of sixteen lists miss some neighbours.
    assert entries["IVF-Flat nlist16 nprobe16"]["recall_at_10"] == 1.0
    assert entries["IVF-Flat nlist16 nprobe2"]["recall_at_10"] <= 1.0
    # The two nprobe settings searched one build.
    assert (
        entries["IVF-Flat nlist16 nprobe2"]["build_seconds"]
        == (entries["IVF-Flat nlist16 nprobe16"]["build_seconds"])
    )
    assert 0 < result["filters"]["kommun"] < 0.02
    assert 0.5 < result["filters"]["år_många"] < 0.9
    for entry in entries.values():
        assert entry["index_bytes"] > 0
        for name in ("dense", "hybrid", "kommun", "år_många", "år_ett"):
            assert 0 < entry[name]["p50_ms"] <= entry[name]["p95_ms"]
        # The kommun holds a dozen rows of four thousand, in a document or two: the cap on one
        # document's hits may leave it short of k here, so only the year filters must fill k.
        for name in ("hybrid", "år_många", "år_ett"):
            assert entry[name]["short_of_k"] == 0
    table = format_table(result)
    assert table.count("\n") == len(configs) + 1 and "IVF-SQ8 nlist16 nprobe4" in table


def test_the_dense_index_alone_is_measured_without_chunks_or_bm25(corpus_searcher):
    result = measure_dense_scale(
        corpus_searcher, 3_000, [FLAT, ivf(16, 4)], bench_queries(8), hybrid=False
    )
    assert "filters" not in result and "bm25" not in result
    assert result["configs"][0]["recall_at_10"] == 1.0
    assert "hybrid" not in result["configs"][1]
    assert format_table(result).count("\n") == 3


def test_the_script_measures_every_config_and_prints_the_table(corpus_index, capsys):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "scripts" / "measure_dense_scale.py"
    spec = importlib.util.spec_from_file_location("measure_dense_scale", path)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.main(["--index", str(corpus_index), "--size", "3000", "--dense-only"]) == 0
    out = capsys.readouterr().out
    names = [config.name for config in script.CONFIGS]
    table = out[out.index("| index |") :]
    assert [line.split(" | ")[0].lstrip("| ") for line in table.splitlines()[2:]] == names
    assert out.count('"recall_at_10"') == len(names)
    assert "| flat (exakt) | 1.000 |" in table
