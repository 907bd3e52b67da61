"""The fielded-BM25 experiment scores rows as main + weight × field, over the real corpus."""

import numpy as np
import pytest

from eval.fielded_bm25 import FieldedLexical
from index.lexical import LexicalIndex
from ingest.analysis import SwedishAnalyzer


@pytest.fixture(scope="module")
def fields(corpus_result):
    chunks = corpus_result.chunks
    analyzer = SwedishAnalyzer().fitted([c.text for c in chunks])
    body = LexicalIndex.build([c.text for c in chunks], analyzer)
    heads = LexicalIndex.build([c.heading_path_text or "" for c in chunks], analyzer)
    return chunks, body, heads


def test_weight_zero_ranks_as_the_main_index(fields):
    _, body, heads = fields
    query = "uppföljning av rekommendationer"
    assert FieldedLexical(body, heads, 0.0).search(query, 10) == body.search(query, 10)


def test_the_field_lifts_rows_whose_heading_matches(fields):
    chunks, body, heads = fields
    query = "bedömning"
    plain = body.search(query, 10)
    lifted = FieldedLexical(body, heads, 1.0).search(query, 10)

    def headed(hits):
        return sum("bedömning" in (chunks[r].heading_path_text or "").casefold() for r, _ in hits)

    assert headed(lifted) > headed(plain)
    expected = body.scores(query) + heads.scores(query)
    for row, score in lifted:
        assert score == pytest.approx(float(expected[row]))
    assert [s for _, s in lifted] == sorted((s for _, s in lifted), reverse=True)
    assert np.count_nonzero(expected > 0) >= len(lifted)
