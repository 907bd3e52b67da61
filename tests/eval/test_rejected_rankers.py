"""The window-dense and learned-fusion experiments measure what they say, on the real corpus, and
leave the searcher as they found it."""

import numpy as np

from eval.evalset import DEFAULT_SET, load_eval_set, map_judgments, select_split
from eval.learned_fusion import FEATURES, LearnedFusion, cross_validated, logistic
from eval.runner import run_mode
from eval.window_dense import WindowVectors, windows_of, with_window_dense
from index import searcher as searcher_module
from index.searcher import Searcher


def _long_chunk(searcher):
    return max(searcher.chunks, key=lambda chunk: len(chunk.text.split()))


def test_windows_cover_every_word_of_the_chunk_in_order(corpus_searcher):
    chunk = _long_chunk(corpus_searcher)
    words = chunk.text.split()
    windows = windows_of(chunk, 80, 40, embed_context=False)
    assert len(windows) == -(-(len(words) - 80) // 40) + 1
    assert windows[0].split() == words[:80]
    assert windows[-1].split()[-1] == words[-1]
    covered = [w for window in windows[::2] for w in window.split()]
    assert covered[: len(words)] == words[: len(covered)]
    led = windows_of(chunk, 80, 40, embed_context=True)
    assert chunk.title
    assert all(window.startswith(chunk.title + "\n") for window in led)


def test_window_scores_are_the_best_window_and_alpha_one_is_the_shipped_dense(corpus_searcher):
    # Five windows taken from stored vectors: chunk 0 owns two, chunks 1-3 one each.
    taken = [0, 1, 2, 3, 3]
    small = WindowVectors(
        vectors=np.asarray(corpus_searcher.dense.vectors)[taken],
        owner=np.array([0, 0, 1, 2, 3]),
    )
    vector = np.asarray(corpus_searcher.dense.vectors)[1]
    cosines = np.asarray(corpus_searcher.dense.vectors)[taken] @ vector
    best = small.best(vector, 5)
    assert np.allclose(best[:4], [max(cosines[0], cosines[1]), cosines[2], cosines[3], cosines[4]])
    assert best[4] == -1.0  # a chunk with no window cannot win on it

    query = "samverkan med regionen kring personer med missbruk"
    shipped = corpus_searcher.search(query, k=10, mode="dense")
    dense_ranking = searcher_module.dense_ranking
    with with_window_dense(corpus_searcher, small, alpha=1.0):
        assert searcher_module.dense_ranking is not dense_ranking
        same = corpus_searcher.search(query, k=10, mode="dense")
    assert searcher_module.dense_ranking is dense_ranking
    assert [h.chunk.chunk_id for h in same] == [h.chunk.chunk_id for h in shipped]


def test_learned_fusion_records_features_and_a_scorer_decides_the_order(corpus_searcher):
    mapped = map_judgments(
        select_split(load_eval_set(DEFAULT_SET), "dev")[:6], list(corpus_searcher.chunks)
    )
    learned = LearnedFusion(corpus_searcher)
    patched = (Searcher.query_vector, searcher_module.fuse, searcher_module.boost)
    recorded = learned.run(mapped)
    assert (Searcher.query_vector, searcher_module.fuse, searcher_module.boost) == patched
    # Recording leaves the shipped order as it is.
    shipped = run_mode(corpus_searcher, mapped, "hybrid")
    assert [r.ranking for r in recorded] == [r.ranking for r in shipped]
    x, y = learned.training_data(mapped)
    assert x.shape[1] == len(FEATURES) and len(x) == len(y)
    assert 0 < y.sum() < len(y)  # relevant and non-relevant candidates

    # Ordered by the dense cosine alone, the top passage is the one nearest the query vector.
    cosine = FEATURES.index("cosine")
    learned.scorer = lambda features: features[:, cosine]
    query = mapped[0].query.query
    with learned.active():
        top = corpus_searcher.search(query, k=1)[0]
    learned.scorer = None
    vectors = np.asarray(corpus_searcher.dense.vectors)
    candidates = learned.recorded[mapped[0].query.id][0]
    nearest = candidates[np.argmax(vectors[candidates] @ corpus_searcher.query_vector(query))]
    assert top.chunk.chunk_id == corpus_searcher.chunks[int(nearest)].chunk_id


def test_cross_validation_ranks_every_query_once_with_a_fitted_model(corpus_searcher):
    mapped = map_judgments(
        select_split(load_eval_set(DEFAULT_SET), "dev")[:15], list(corpus_searcher.chunks)
    )
    learned = LearnedFusion(corpus_searcher)
    learned.run(mapped)
    results = cross_validated(learned, mapped, logistic(1.0))
    assert sorted(r.id for r in results) == sorted(m.query.id for m in mapped)
    assert learned.scorer is None
    assert np.mean([r.scores["hit@10"] for r in results]) > 0.5
