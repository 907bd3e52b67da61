"""Every setting revsok has, declared once with its default and help.

A setting is read from (in order of precedence) a command-line flag, the environment variable
``REVSOK_<NAME>`` and its default here. The README documents each one; a test keeps it so.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path


def _setting(default, help_text: str):
    return field(default=default, metadata={"help": help_text})


@dataclass(frozen=True)
class Settings:
    data_dir: Path = _setting(
        Path("revsok-data"), "Mapp där ingest skriver chunkar och rapport (standard för --out)."
    )
    chunk_size: int = _setting(300, "Största chunk i token, räknat med embedderns tokenizer.")
    chunk_overlap: int = _setting(
        50, "Överlapp mellan intilliggande chunkar i samma avsnitt, i token."
    )
    mask_personal_numbers: bool = _setting(
        True, "Maskera personnummer (ÅÅMMDD-NNNN, ÅÅÅÅMMDD-NNNN) vid ingest."
    )

    def with_overrides(self, **values) -> Settings:
        return replace(self, **{k: v for k, v in values.items() if v is not None})


def _parse(kind: type, raw: str):
    if kind is bool:
        lowered = raw.strip().lower()
        if lowered in {"1", "true", "yes", "ja", "on"}:
            return True
        if lowered in {"0", "false", "no", "nej", "off"}:
            return False
        raise ValueError(f"ogiltigt sant/falskt-värde: {raw!r}")
    return kind(raw)


def setting_help() -> dict[str, tuple[object, str]]:
    return {f.name: (f.default, f.metadata["help"]) for f in fields(Settings)}


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    environ = os.environ if environ is None else environ
    values = {}
    defaults = Settings()
    for f in fields(Settings):
        raw = environ.get(f"REVSOK_{f.name.upper()}")
        if raw is not None:
            kind = type(getattr(defaults, f.name))
            kind = Path if isinstance(getattr(defaults, f.name), Path) else kind
            try:
                values[f.name] = _parse(kind, raw)
            except ValueError as err:
                raise ValueError(f"REVSOK_{f.name.upper()}: {err}") from err
    return replace(defaults, **values)
