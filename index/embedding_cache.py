"""A persistent cache of passage embeddings, so unchanged text is never embedded twice.

One SQLite file (stdlib sqlite3, WAL journal) keyed by (embedder name, SHA-256 of the exact text
fed to the embedder). Each row holds the vector as little-endian float32 bytes, its dimension and
a CRC-32 of the bytes (SQLite has no checksums; a damaged vector would otherwise come back as
plausible numbers); no pickle. Embedding is the slow step of ingest (a few chunks per second on
2 cores), so re-ingesting an unchanged corpus must cost nothing, and an interrupted ingest keeps
what it had embedded: ``embed_passages`` stores every batch as soon as it is done.

A damaged cache file is not an error: it is only a cache. On open, a file SQLite reports as
corrupt or not a database is moved aside to ``<name>.corrupt-<timestamp>`` (kept for inspection,
named in a warning) and a fresh cache is created in its place. A valid SQLite database that is
not a revsok embedding cache (other tables, or a newer format) is left untouched and raises
``EmbeddingCacheError`` naming the file. Corruption discovered later, mid-run, also raises
``EmbeddingCacheError`` naming the file; the next run repairs it on open.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
import time
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
from tqdm.auto import tqdm

from index.embedder_contract import Embedder, EmbedderError

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
_APPLICATION = "revsok-embedding-cache"
# SQLite limits the variables in one statement (32766 in current builds, 999 in old ones).
_LOOKUP_BATCH = 500
_VECTOR_DTYPE = np.dtype("<f4")  # fixed byte order: a cache copied between machines stays valid
_CORRUPTION_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS embeddings (
        embedder    TEXT    NOT NULL,
        text_sha256 BLOB    NOT NULL,
        dimension   INTEGER NOT NULL,
        vector      BLOB    NOT NULL,
        crc32       INTEGER NOT NULL,
        PRIMARY KEY (embedder, text_sha256)
    ) WITHOUT ROWID""",
)


class EmbeddingCacheError(EmbedderError):
    """The cache file cannot be used. A subclass of EmbedderError so the CLI and app, which
    already report embedder problems, report this too."""


def text_key(text: str) -> bytes:
    """SHA-256 of the text exactly as the embedder receives it (UTF-8; lone surrogates kept)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def _is_corruption(err: sqlite3.DatabaseError) -> bool:
    # OperationalError ("database is locked", disk full) is a DatabaseError too: not corruption.
    code = getattr(err, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in _CORRUPTION_CODES
    message = str(err).lower()
    return "malformed" in message or "not a database" in message


class EmbeddingCache:
    """Embeddings by (embedder name, text). Usable from one thread at a time per instance;
    several processes may share the file (WAL, 30 s busy timeout)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._conn = self._open()

    # -- opening ------------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # check_same_thread=False: the lock serialises use, and ingest may run in a worker thread.
        conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        try:
            # Look before writing anything: another program's database must be left as it was.
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if tables and tables != {"meta", "embeddings"}:
                raise self._not_a_cache()
            conn.execute("PRAGMA journal_mode=WAL")
            # A cache may lose its last transaction on power loss; it must never be corrupt.
            conn.execute("PRAGMA synchronous=NORMAL")
            with conn:
                # Idempotent, so a half-finished creation or two processes creating the cache
                # at once both end in the same state.
                for statement in _SCHEMA:
                    conn.execute(statement)
                meta = dict(conn.execute("SELECT key, value FROM meta"))
                if not meta:
                    conn.executemany(
                        "INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)",
                        [("application", _APPLICATION), ("format_version", str(FORMAT_VERSION))],
                    )
                    meta = dict(conn.execute("SELECT key, value FROM meta"))
                self._check_meta(meta)
        except BaseException:
            conn.close()
            raise
        return conn

    def _not_a_cache(self) -> EmbeddingCacheError:
        return EmbeddingCacheError(
            f"{self.path} är en SQLite-databas men ingen revsok-embeddingcache; den lämnas orörd. "
            "Ange en annan plats för cachen (inställningen data_dir)."
        )

    def _check_meta(self, meta: dict[str, str]) -> None:
        if meta.get("application") != _APPLICATION:
            raise self._not_a_cache()
        if meta.get("format_version") != str(FORMAT_VERSION):
            raise EmbeddingCacheError(
                f"Embeddingcachen {self.path} har format {meta.get('format_version')}, den här "
                f"versionen av revsok läser format {FORMAT_VERSION}: ta bort filen (den byggs "
                "upp igen) eller uppgradera revsok."
            )

    def _open(self) -> sqlite3.Connection:
        try:
            return self._connect()
        except OSError as err:  # the folder cannot be created, or the path is not writable
            raise EmbeddingCacheError(
                f"Embeddingcachen {self.path} kan inte skapas: {err}"
            ) from err
        except sqlite3.DatabaseError as err:
            if not _is_corruption(err):
                raise EmbeddingCacheError(
                    f"Embeddingcachen {self.path} kan inte öppnas: {err}"
                ) from err
            aside = self._move_aside()
            log.warning(
                "Embeddingcachen %s var skadad (%s); flyttade den till %s och börjar om med en "
                "tom cache (allt bäddas in på nytt).",
                self.path,
                err,
                aside,
            )
        try:
            return self._connect()
        except sqlite3.DatabaseError as err:
            raise EmbeddingCacheError(
                f"Embeddingcachen {self.path} kan inte skapas: {err}"
            ) from err

    def _move_aside(self) -> Path:
        aside = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        self.path.replace(aside)
        # The WAL and shared-memory files belong to the damaged database; keep them with it.
        for suffix in ("-wal", "-shm"):
            side = self.path.with_name(self.path.name + suffix)
            if side.exists():
                side.replace(aside.with_name(aside.name + suffix))
        return aside

    def _failed(self, err: sqlite3.DatabaseError) -> EmbeddingCacheError:
        if _is_corruption(err):
            return EmbeddingCacheError(
                f"Embeddingcachen {self.path} är skadad ({err}): kör igen, så flyttas den undan "
                "och byggs upp på nytt, eller ta bort filen."
            )
        return EmbeddingCacheError(f"Embeddingcachen {self.path}: {err}")

    # -- reading and writing ------------------------------------------------------------------

    def get_many(
        self, embedder_name: str, texts: Sequence[str]
    ) -> tuple[dict[int, np.ndarray], list[int]]:
        """Cached vectors for ``texts``: ({index: vector} for hits, [indices of misses]).

        A text given twice is a hit (or a miss) at both indices. A row whose bytes fail their
        length or CRC check is treated as a miss, so it is embedded again and overwritten.
        """
        keys = [text_key(t) for t in texts]
        found: dict[bytes, np.ndarray] = {}
        damaged = 0
        unique = list(dict.fromkeys(keys))
        try:
            with self._lock:
                for start in range(0, len(unique), _LOOKUP_BATCH):
                    part = unique[start : start + _LOOKUP_BATCH]
                    marks = ",".join("?" * len(part))
                    rows = self._conn.execute(
                        "SELECT text_sha256, dimension, vector, crc32 FROM embeddings "
                        f"WHERE embedder = ? AND text_sha256 IN ({marks})",
                        [embedder_name, *part],
                    )
                    for key, dimension, blob, crc in rows:
                        if (
                            len(blob) != dimension * _VECTOR_DTYPE.itemsize
                            or zlib.crc32(blob) != crc
                        ):
                            damaged += 1
                            continue
                        found[key] = np.frombuffer(blob, dtype=_VECTOR_DTYPE).astype(np.float32)
        except sqlite3.DatabaseError as err:
            raise self._failed(err) from err
        if damaged:
            log.warning(
                "Embeddingcachen %s: %d skadade vektorer ignoreras och bäddas in igen",
                self.path,
                damaged,
            )
        hits = {i: found[k] for i, k in enumerate(keys) if k in found}
        misses = [i for i, k in enumerate(keys) if k not in found]
        return hits, misses

    def put_many(self, embedder_name: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Store one vector per text (replacing any earlier vector for the same key)."""
        if len(vectors) != len(texts):
            raise ValueError(
                f"need one vector per text: {len(texts)} texts, {len(vectors)} vectors"
            )
        self.put_keyed(embedder_name, [text_key(text) for text in texts], vectors)

    def put_keyed(
        self, embedder_name: str, keys: Sequence[bytes], vectors: np.ndarray, *, replace=True
    ) -> None:
        """Store vectors under their text keys (``text_key``); ``replace=False`` keeps vectors
        already cached, as when a shipped seed is imported into a cache in use."""
        vectors = np.asarray(vectors)
        if vectors.ndim != 2 or vectors.shape[0] != len(keys):
            raise ValueError(
                f"need one vector per key: {len(keys)} keys, vectors of shape {vectors.shape}"
            )
        if not np.isfinite(vectors).all():
            raise ValueError("refusing to cache non-finite vectors")
        dimension = int(vectors.shape[1])
        little = vectors.astype(_VECTOR_DTYPE, copy=False)
        rows = []
        for i, key in enumerate(keys):
            blob = little[i].tobytes()
            rows.append((embedder_name, bytes(key), dimension, blob, zlib.crc32(blob)))
        verb = "INSERT OR REPLACE" if replace else "INSERT OR IGNORE"
        try:
            with self._lock, self._conn:
                self._conn.executemany(
                    f"{verb} INTO embeddings "
                    "(embedder, text_sha256, dimension, vector, crc32) VALUES (?, ?, ?, ?, ?)",
                    rows,
                )
        except sqlite3.DatabaseError as err:
            raise self._failed(err) from err

    def count(self, embedder_name: str | None = None) -> int:
        """Number of cached vectors, for one embedder or all."""
        sql, args = "SELECT COUNT(*) FROM embeddings", []
        if embedder_name is not None:
            sql, args = sql + " WHERE embedder = ?", [embedder_name]
        with self._lock:
            return int(self._conn.execute(sql, args).fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> EmbeddingCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"EmbeddingCache({str(self.path)!r})"


class EmbeddedPassages(NamedTuple):
    """Vectors in the order of the texts, and how many had to be embedded.

    Unpacks as ``vectors, embedded = embed_passages(...)``; ``cached`` counts the rest.
    """

    vectors: np.ndarray
    embedded: int

    @property
    def cached(self) -> int:
        return len(self.vectors) - self.embedded


def embed_passages(
    embedder: Embedder,
    texts: Sequence[str],
    cache: EmbeddingCache,
    show_progress: bool = False,
    batch_size: int | None = None,
) -> EmbeddedPassages:
    """Embed ``texts`` as passages, through ``cache``: only texts not cached are embedded.

    Misses are embedded in batches and each batch is stored before the next starts, so an
    interrupted run loses at most one batch. A text repeated in ``texts`` is embedded once.
    ``embedded`` counts the texts (positions) that were not in the cache.
    """
    texts = list(texts)
    name = embedder.name
    hits, misses = cache.get_many(name, texts)
    dimension = embedder.dimension
    out = np.empty((len(texts), dimension), dtype=np.float32)
    for i, vector in hits.items():
        if vector.shape != (dimension,):
            # Same name, other dimension: the cache cannot be trusted for this embedder.
            raise EmbeddingCacheError(
                f"Embeddingcachen {cache.path} har vektorer med dimension {vector.shape[0]} för "
                f"'{name}', som ger {dimension}: ta bort cachefilen, så byggs den upp igen."
            )
        out[i] = vector

    todo = list(dict.fromkeys(texts[i] for i in misses))  # unique, in first-seen order
    size = batch_size or getattr(embedder, "default_batch_size", 16)
    fresh: dict[str, np.ndarray] = {}
    with tqdm(total=len(todo), disable=not show_progress, desc="Bäddar in", unit="chunk") as bar:
        for start in range(0, len(todo), size):
            batch = todo[start : start + size]
            vectors = embedder.encode_passages(batch, batch_size=size, show_progress=False)
            cache.put_many(name, batch, vectors)
            fresh.update(zip(batch, vectors, strict=True))
            bar.update(len(batch))
    for i in misses:
        out[i] = fresh[texts[i]]

    log.info(
        "Inbäddning med %s: %d nya, %d från cachen (%d texter)",
        name,
        len(misses),
        len(hits),
        len(texts),
    )
    return EmbeddedPassages(out, len(misses))
