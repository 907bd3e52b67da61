"""How an index is built and searched, as one value: the builder writes it into the index's
config, and ``revsok.settings`` reads its defaults from here (so each is written once)."""

from __future__ import annotations

from dataclasses import dataclass, field

from index.dense_settings import DenseSettings
from index.hybrid import FusionSettings
from index.ranking import RankingSettings


@dataclass(frozen=True)
class IndexSettings:
    embed_context: bool = True  # the chunk is embedded with its document title and heading path
    split_compounds: bool = True  # BM25 splits Swedish compounds
    dense: DenseSettings = field(default_factory=DenseSettings)
    fusion: FusionSettings = field(default_factory=FusionSettings)
    ranking: RankingSettings = field(default_factory=RankingSettings)
