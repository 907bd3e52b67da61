"""How an ingest reads and cuts documents: the chunk size and overlap, and masking.

Kept apart from the pipeline so that ``revsok.settings`` can read the defaults without importing
the readers and the tokenizer (half a second on every ``revsok --help``).
"""

from __future__ import annotations

from dataclasses import dataclass


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
class IngestOptions:
    chunk_size: int = ChunkSettings.size
    chunk_overlap: int = ChunkSettings.overlap
    mask_personal_numbers: bool = True

    def chunk_settings(self) -> ChunkSettings:
        return ChunkSettings(size=self.chunk_size, overlap=self.chunk_overlap)
