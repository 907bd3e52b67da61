"""Swedish text analysis for BM25: one tokenizer for passages and queries.

``text → casefold → words → stopwords out → Snowball stem → compound parts``

Swedish writes compounds as one word ("kvalitetsledningssystemet", "missbruksvård"), so a query
and a passage that use the same concept in different compounds share no stem. Stemming alone does
little for Swedish retrieval; splitting compounds does most of the work (Hollink et al. 2004).
Lucene's Swedish analyzer has no decompounder, and no maintained Python package does Swedish
(``cwsplit``/``compound-word-splitter`` need the system enchant library plus a Hunspell dictionary
and fall back to splitting into letters; ``compound-split`` is trained on German). So the splitter
here is data driven, in the manner of Koehn & Knight (2003): the vocabulary of possible parts is
learned from the indexed text itself, and a long word is split into 2–3 known parts, with the
Swedish linking morphemes (fogemorfem) allowed between them: "kvalitet|s|ledningssystem",
"missbruk|s|vård", "äldr|e|boend". The stem of the whole word is always kept, so a passage with
the exact compound still outscores one that only has its parts.

Numbers are never stemmed or split; a law reference such as "2011:9" is kept whole and also as
"2011" and "9". Words the text always writes with a capital letter mid-sentence ("Karlshamn",
"Härnösands") are treated as names and never split.
"""

from __future__ import annotations

import json
import logging
import math
import re
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import Stemmer
from bm25s.stopwords import STOPWORDS_SWEDISH

from revsok.errors import IndexProblem

log = logging.getLogger(__name__)

VOCABULARY_FORMAT = 1

# The Snowball project's Swedish stopword list (114 words), as shipped by bm25s. It holds only
# function words; negations ("inte", "ej") go too, which BM25 cannot use anyway.
STOPWORDS: frozenset[str] = frozenset(STOPWORDS_SWEDISH)

# Fogemorfem, in the order tried; "" (plain juxtaposition, "barn|omsorg") first. "s" is by far
# the most common ("missbruk|s|vård"); "e", "a", "u", "o" cover "äldr|e|boende",
# "barn|a|vård", "gat|u|belysning", "kyrk|o|gård". Truncation ("skola" → "skol|gång") needs no
# entry: parts are matched against stems, and the stem of "skola" is "skol".
LINKERS = ("", "s", "e", "a", "u", "o")

# Derivational suffixes that the vocabulary also holds as stems ("inga" → "ing", "bara" → "bar",
# "ens", "het"): as the last part they would cut "reglering" into "regler|ing", "hållbar" into
# "håll|bar", "kompetens" into "kompet|ens". A compound's head is a word, never one of these.
SUFFIX_HEADS = frozenset(
    {
        "and", "ande", "are", "bar", "dom", "else", "end", "ende", "ens", "het",
        "ing", "isk", "ism", "ist", "lig", "ning", "sam", "ser", "skap",
    }
)  # fmt: skip

# A regulation or case reference ("2011:9", "2001:453") is one token; everything else splits on
# any character that is not a letter or digit, so "SOC/2022-000030" gives "soc", "2022", "000030".
_WORD_RE = re.compile(r"\d+(?::\d+)+|[^\W_]+")
# A capitalised word right after a lowercase letter or comma and one space: not a sentence start
# and not a numbered heading ("4.4.1 Kvalitetsledningsarbete"), so the capital says "name".
_MID_SENTENCE_CAPITAL_RE = re.compile(r"(?<=[a-zåäöéü,] )[A-ZÅÄÖÉÜ][^\W\d_]+")
# Above this share of lowercase occurrences a capitalised word is an ordinary word after all.
_NAME_MAX_LOWERCASE_SHARE = 0.1
# The word cache holds every distinct word of the corpus after a build; queries after that rarely
# miss. The bound only protects a long-running server from unbounded growth.
_MAX_CACHED_WORDS = 2_000_000


class VocabularyError(IndexProblem):
    """A saved analyzer vocabulary that cannot be read."""


@dataclass(frozen=True)
class AnalyzerSettings:
    """What changes the tokens: stored with the index, so queries are analysed like passages."""

    split_compounds: bool = True
    # Parts shorter than this are not split off: "sam|verkan" and "verk|sam" stay whole.
    min_part_length: int = 4
    # The last part (the head) may be shorter: "socialtjänst|lag", "handläggning|s|tid".
    min_head_length: int = 3
    # A word must occur this often on its own before it counts as a known part.
    min_part_count: int = 2
    max_parts: int = 3

    def __post_init__(self) -> None:
        if self.min_head_length < 2 or self.min_part_length < self.min_head_length:
            raise ValueError("min_part_length ≥ min_head_length ≥ 2 krävs")
        if self.max_parts < 2:
            raise ValueError("max_parts måste vara minst 2")


@dataclass(frozen=True)
class CompoundVocabulary:
    """What the indexed text taught the splitter: known stems and words (with counts), and names.

    Only words at least ``min_head_length`` long and seen ``min_part_count`` times are kept, so the
    file stays small; nothing else is needed to split a word the same way again.
    """

    stems: dict[str, int] = field(default_factory=dict)
    words: dict[str, int] = field(default_factory=dict)
    names: frozenset[str] = frozenset()

    @classmethod
    def learn(cls, texts: Iterable[str], settings: AnalyzerSettings) -> CompoundVocabulary:
        # Counting raw (cased) words with Counter.update runs in C; the per-word work below is
        # then done once per distinct spelling, not once per occurrence.
        raw: Counter[str] = Counter()
        mid_capitals: Counter[str] = Counter()
        for text in texts:
            raw.update(_WORD_RE.findall(text))
            mid_capitals.update(_MID_SENTENCE_CAPITAL_RE.findall(text))

        total: Counter[str] = Counter()
        lowercase: Counter[str] = Counter()
        for word, count in raw.items():
            folded = word.casefold()
            total[folded] += count
            if word == folded:
                lowercase[folded] += count

        names = frozenset(
            folded
            for folded in (w.casefold() for w in mid_capitals)
            if lowercase[folded] <= _NAME_MAX_LOWERCASE_SHARE * total[folded]
        )

        candidates = [w for w in total if w.isalpha() and w not in STOPWORDS]
        stems: Counter[str] = Counter()
        stemmed = Stemmer.Stemmer("swedish").stemWords(candidates)
        for word, stem in zip(candidates, stemmed, strict=True):
            stems[stem] += total[word]

        def keep(counts: Counter[str] | dict[str, int]) -> dict[str, int]:
            return {
                w: c
                for w, c in counts.items()
                if c >= settings.min_part_count and len(w) >= settings.min_head_length
            }

        vocabulary = cls(
            stems=keep(stems), words=keep({w: total[w] for w in candidates}), names=names
        )
        log.debug(
            "compound vocabulary: %d stems, %d words, %d names from %d distinct words",
            len(vocabulary.stems),
            len(vocabulary.words),
            len(names),
            len(total),
        )
        return vocabulary

    def to_json(self) -> dict:
        return {
            "format": VOCABULARY_FORMAT,
            "stems": self.stems,
            "words": self.words,
            "names": sorted(self.names),
        }

    @classmethod
    def from_json(cls, data: dict) -> CompoundVocabulary:
        if data.get("format") != VOCABULARY_FORMAT:
            raise VocabularyError(
                f"ordförrådet har format {data.get('format')!r}, väntade {VOCABULARY_FORMAT}: "
                "bygg om indexet"
            )
        return cls(stems=data["stems"], words=data["words"], names=frozenset(data["names"]))


class SwedishAnalyzer:
    """Casefold, split into words, drop stopwords, Snowball-stem, add compound parts.

    Build one with the settings, then ``fitted(texts)`` to learn the compound vocabulary from the
    text that will be indexed. An analyzer without vocabulary stems but splits nothing.
    """

    def __init__(
        self,
        split_compounds: bool = True,
        *,
        vocabulary: CompoundVocabulary | None = None,
        **settings,
    ):
        self.settings = AnalyzerSettings(split_compounds=split_compounds, **settings)
        self.vocabulary = vocabulary
        self._stemmer = Stemmer.Stemmer("swedish")
        # PyStemmer keeps internal state per instance and must not run on two threads at once;
        # the lock is only taken on a cache miss.
        self._stem_lock = threading.Lock()
        self._word_cache: dict[str, tuple[str, ...]] = {}
        self._split_cache: dict[str, tuple[str, ...]] = {}
        # piece → (token emitted for it, occurrences). A piece is a known stem (emitted as is) or
        # a known word form (emitted as its stem: "verksamhet" → "verksam").
        self._pieces: dict[str, tuple[str, int]] = {}
        self._names: frozenset[str] = frozenset()
        self._short_words: frozenset[str] = frozenset()
        if vocabulary is not None:
            self._names = vocabulary.names
            self._short_words = frozenset(
                w for w in vocabulary.words if len(w) < self.settings.min_part_length
            )
            for stem, count in vocabulary.stems.items():
                self._pieces[stem] = (stem, count)
            # A piece that is a word form is emitted as that word's stem, the token a standalone
            # occurrence gets, even when the same string is also the stem of some other form
            # ("verksamhets" → "verksamhet", but "verksamhet" → "verksam").
            words = list(vocabulary.words)
            for word, stem in zip(words, self._stemmer.stemWords(words), strict=True):
                count = max(vocabulary.words[word], vocabulary.stems.get(word, 0))
                self._pieces[word] = (stem, count)

    @property
    def split_compounds(self) -> bool:
        return self.settings.split_compounds

    def fitted(self, texts: Iterable[str]) -> SwedishAnalyzer:
        """A new analyzer with the same settings and a vocabulary learned from ``texts``."""
        if not self.split_compounds:
            return self._with(self.settings, None)
        return self._with(self.settings, CompoundVocabulary.learn(texts, self.settings))

    def with_settings(self, **changes) -> SwedishAnalyzer:
        """The same vocabulary under other settings (e.g. ``split_compounds=False`` to compare)."""
        return self._with(replace(self.settings, **changes), self.vocabulary)

    @staticmethod
    def _with(settings: AnalyzerSettings, vocabulary: CompoundVocabulary | None) -> SwedishAnalyzer:
        return SwedishAnalyzer(vocabulary=vocabulary, **asdict(settings))

    # -- tokens -------------------------------------------------------------------------------

    def tokenize(self, text: str) -> list[str]:
        tokens: list[str] = []
        cache = self._word_cache
        for word in _WORD_RE.findall(text.casefold()):
            analysed = cache.get(word)
            if analysed is None:
                analysed = self._analyse_word(word)
                if len(cache) < _MAX_CACHED_WORDS:
                    cache[word] = analysed
            tokens.extend(analysed)
        return tokens

    def compound_parts(self, word: str) -> tuple[str, ...]:
        """The part tokens ``tokenize`` adds for one word (empty when it is not split)."""
        analysed = self._analyse_word(word.casefold())
        return analysed[1:] if analysed and analysed[0].isalpha() else ()

    def _stem(self, word: str) -> str:
        with self._stem_lock:
            return self._stemmer.stemWord(word)

    def _analyse_word(self, word: str) -> tuple[str, ...]:
        if ":" in word:
            return (word, *word.split(":"))
        if word in STOPWORDS:
            return ()
        if not word.isalpha():
            return (word,)
        if len(word) == 1:
            # Single letters are list markers and abbreviations ("t.ex." → "t", "ex").
            return ()
        stem = self._stem(word)
        if not self._pieces or not self.split_compounds or word in self._names:
            return (stem,)
        return (stem, *self._split_stem(stem))

    # -- compounds ----------------------------------------------------------------------------

    def _split_stem(self, stem: str) -> tuple[str, ...]:
        """Tokens of the parts of ``stem``, and of their parts in turn; () when it is not split.

        The best split has the fewest parts; "kvalitetsledningssystem" → kvalitet + ledningssystem,
        then "ledningssystem" → ledning + system, so a passage that says "ledningssystem" or
        "system" both meet the query somewhere.
        """
        cached = self._split_cache.get(stem)
        if cached is not None:
            return cached
        result: list[str] = []
        segmentation = self._best_segmentation(stem)
        for piece in segmentation or ():
            token = self._pieces[piece][0]
            # A part is always shorter than the word, so this recursion ends.
            for part in (token, *self._split_stem(token)):
                if part != stem and part not in result:
                    result.append(part)
        parts = tuple(result)
        if len(self._split_cache) < _MAX_CACHED_WORDS:
            self._split_cache[stem] = parts
        return parts

    def _best_segmentation(self, stem: str) -> tuple[str, ...] | None:
        s = self.settings
        if len(stem) < s.min_part_length + s.min_head_length or not stem.isalpha():
            return None
        for n_parts in range(2, s.max_parts + 1):
            candidates = list(self._segmentations(stem, 0, n_parts))
            if candidates:
                # Fewest parts first (the loop), then the split whose parts are most common
                # (geometric mean of counts, Koehn & Knight 2003), then the longest first part.
                return max(candidates, key=self._segmentation_score)
        return None

    def _segmentation_score(self, pieces: tuple[str, ...]) -> tuple[float, int]:
        mean_log = sum(math.log(self._pieces[p][1]) for p in pieces) / len(pieces)
        return mean_log, len(pieces[0])

    def _segmentations(self, stem: str, start: int, n_parts: int) -> Iterator[tuple[str, ...]]:
        """Every way to cut ``stem[start:]`` into exactly ``n_parts`` known pieces."""
        s = self.settings
        if n_parts == 1:
            rest = stem[start:]
            if rest in SUFFIX_HEADS or rest not in self._pieces:
                return
            # A short head must be a word the text writes on its own ("lag", "tid", "mål"), not
            # just a stem of a longer word ("illa" → "ill" would cut "hittill|s" otherwise).
            if len(rest) >= s.min_part_length or (
                len(rest) >= s.min_head_length and rest in self._short_words
            ):
                yield (rest,)
            return
        # Leave room for the remaining parts: n_parts - 2 full parts and one head.
        room = s.min_part_length * (n_parts - 2) + s.min_head_length
        for end in range(start + s.min_part_length, len(stem) - room + 1):
            piece = stem[start:end]
            if piece not in self._pieces:
                continue
            for linker in LINKERS:
                if stem.startswith(linker, end):
                    for rest in self._segmentations(stem, end + len(linker), n_parts - 1):
                        yield (piece, *rest)

    # -- persistence --------------------------------------------------------------------------

    def config(self) -> dict:
        config = asdict(self.settings)
        config["stemmer"] = "snowball-swedish"
        config["stopwords"] = "snowball-swedish"
        config["vocabulary_size"] = len(self._pieces)
        return config

    def save(self, path: Path) -> None:
        data = {
            "settings": asdict(self.settings),
            "vocabulary": self.vocabulary.to_json() if self.vocabulary is not None else None,
        }
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> SwedishAnalyzer:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            settings = AnalyzerSettings(**data["settings"])
            saved = data["vocabulary"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise VocabularyError(f"kan inte läsa analysinställningarna i {path}: {exc}") from exc
        vocabulary = CompoundVocabulary.from_json(saved) if saved is not None else None
        return cls._with(settings, vocabulary)
