"""How the dense index is built and searched: which kind at which size, and its parameters.

Kept apart from ``index.dense`` so that ``revsok.settings`` reads the defaults without importing
FAISS.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

IVF_ENCODINGS = ("flat", "sq8", "pq")
# A list needs this many vectors for its centroid to mean anything; fewer vectors, fewer lists.
IVF_MIN_PER_LIST = 39


@dataclass(frozen=True)
class DenseSettings:
    """How the dense index is built and searched. An index records these in its config; keys
    added later take these defaults when an older index is read."""

    approximate_above: int = 50_000
    hnsw_m: int = 32
    hnsw_ef_construction: int = 80
    hnsw_ef_search: int = 256
    # At 1,000,000 generated chunks (revsok/bench/scale.py) HNSW M32/efSearch 256 found 0.905 of
    # the exact top 10 after a 281 s build; IVF-SQ8 with 4096 lists, 128 probed, found 0.985 in
    # 3 ms after a 72–129 s build, in 0.4 GB instead of 1.8 GB.
    ivf_above: int = 250_000
    # The number of lists for a large corpus; a smaller one gets fewer (``nlist_for``).
    ivf_nlist: int = 4096
    ivf_nprobe: int = 128
    # 8-bit codes: the lists hold a quarter of the float vectors, and the candidates are
    # rescored from vectors.npy, so recall equals IVF-Flat's (0.951 both at nprobe 64).
    ivf_encoding: str = "sq8"
    ivf_pq_m: int = 48
    # A compressed IVF fetches this many times k candidates and rescores them exactly.
    ivf_rescore: int = 4

    def __post_init__(self) -> None:
        if self.ivf_encoding not in IVF_ENCODINGS:
            raise ValueError(
                f"ivf_encoding är {self.ivf_encoding!r}, inte {' eller '.join(IVF_ENCODINGS)}"
            )
        if min(self.ivf_nlist, self.ivf_nprobe, self.ivf_pq_m, self.ivf_rescore) < 1:
            raise ValueError("ivf_nlist, ivf_nprobe, ivf_pq_m och ivf_rescore måste vara ≥ 1")

    def kind_for(self, size: int) -> str:
        if size <= self.approximate_above:
            return "flat"
        return "hnsw" if size <= self.ivf_above else "ivf"

    def nlist_for(self, size: int) -> int:
        """``ivf_nlist`` lists at most; for fewer vectors about 4·√size (a power of two), as a
        million rows get the 4096 measured, and never fewer than IVF_MIN_PER_LIST a list."""
        rule = 2 ** round(math.log2(4 * math.sqrt(size))) if size else 1
        return max(1, min(self.ivf_nlist, rule, size // IVF_MIN_PER_LIST))
