"""Write corpus/embeddings.<default embedder>.npz: the vectors of every text the sample corpus's
index embeds with the default settings, so a fresh clone's first `revsok app` starts in seconds.

Run it after changing the default embedder, chunking, titles or anything else that changes what
a passage's embedded text is; tests/corpus/test_embedding_seed.py fails until then:

    .venv/bin/python scripts/build_corpus_embeddings.py
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from index.builder import passage_text  # noqa: E402
from index.embedders import load_embedder  # noqa: E402
from index.embedding_cache import EmbeddingCache, embed_passages  # noqa: E402
from index.embedding_seed import seed_path, write_seed  # noqa: E402
from index.index_settings import IndexSettings  # noqa: E402
from ingest.pipeline import ingest_paths  # noqa: E402
from recommendations import extract_records  # noqa: E402
from recommendations.store import record_text  # noqa: E402
from revsok.settings import Settings  # noqa: E402

CORPUS = REPO / "corpus"


def corpus_texts() -> list[str]:
    """Every text an index of the corpus embeds with the default settings."""
    result = ingest_paths([CORPUS])
    settings = IndexSettings()
    texts = [passage_text(chunk, settings.embed_context) for chunk in result.chunks]
    records = extract_records(result.documents, result.chunks)
    return texts + [record_text(r) for r in records.recommendations]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="an embedding cache to reuse (default: none)")
    args = parser.parse_args(argv)
    embedder = load_embedder(Settings().embedder)
    texts = corpus_texts()
    with tempfile.TemporaryDirectory() as scratch:
        cache = EmbeddingCache(args.cache or Path(scratch) / "cache.sqlite")
        vectors = embed_passages(embedder, texts, cache, show_progress=True).vectors
    path = seed_path(CORPUS, embedder.name)
    write_seed(path, embedder.name, texts, vectors)
    print(f"{path.relative_to(REPO)}: {len(set(texts))} vektorer för {embedder.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
