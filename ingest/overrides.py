"""Metadata overrides a user writes beside the documents.

Either a sidecar ``<file>.meta.json`` (``rapport.pdf.meta.json`` or ``rapport.meta.json``) or one
``manifest.csv`` in the folder with a ``fil`` (or ``file``) column. Keys may be Swedish or English.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from revsok.errors import RevsokError

MANIFEST_NAME = "manifest.csv"

# Swedish and English names of every field a user may override, mapped to the record's field.
FIELD_ALIASES = {
    "kommun": "municipality",
    "municipality": "municipality",
    "år": "year",
    "year": "year",
    "datum": "date",
    "date": "date",
    "nämnd": "committee",
    "committee": "committee",
    "dokumenttyp": "doc_type",
    "typ": "doc_type",
    "doc_type": "doc_type",
    "byrå": "audit_firm",
    "audit_firm": "audit_firm",
    "titel": "title",
    "title": "title",
    "dnr": "case_number",
    "case_number": "case_number",
    "paragraf": "paragraph",
    "§": "paragraph",
    "paragraph": "paragraph",
}


class OverrideError(RevsokError):
    def __init__(self, path: Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def _normalise(raw: dict[str, object], path: Path) -> dict[str, object]:
    fields: dict[str, object] = {}
    for key, value in raw.items():
        if key in {"fil", "file"} or value in (None, ""):
            continue
        field = FIELD_ALIASES.get(key.strip().lower())
        if field is None:
            known = ", ".join(sorted({k for k in FIELD_ALIASES if k.isascii()}))
            raise OverrideError(path, f"okänt fält '{key}' (kända fält: {known})")
        if field == "year":
            try:
                value = int(str(value))
            except ValueError as err:
                raise OverrideError(path, f"år måste vara ett heltal, fick '{value}'") from err
        fields[field] = value
    return fields


def sidecar_paths(source: Path) -> tuple[Path, Path]:
    return (
        source.with_name(source.name + ".meta.json"),
        source.with_name(source.stem + ".meta.json"),
    )


def is_override_file(path: Path) -> bool:
    return path.name.endswith(".meta.json") or path.name == MANIFEST_NAME


def load_overrides(source: Path) -> dict[str, object]:
    """Fields to override for ``source``: the manifest row first, then the sidecar on top."""
    fields: dict[str, object] = {}
    manifest = source.parent / MANIFEST_NAME
    if manifest.is_file():
        try:
            with manifest.open(encoding="utf-8-sig", newline="") as handle:
                for row in csv.DictReader(handle):
                    name = (row.get("fil") or row.get("file") or "").strip()
                    if name == source.name:
                        fields.update(_normalise(row, manifest))
        except (UnicodeDecodeError, csv.Error) as err:
            raise OverrideError(manifest, f"kan inte läsas: {err}") from err
    for sidecar in sidecar_paths(source):
        if sidecar.is_file():
            try:
                raw = json.loads(sidecar.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as err:
                raise OverrideError(sidecar, f"ogiltig JSON: {err}") from err
            if not isinstance(raw, dict):
                raise OverrideError(sidecar, "måste vara ett JSON-objekt med fält och värden")
            fields.update(_normalise(raw, sidecar))
            break
    return fields
