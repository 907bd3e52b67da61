"""An index on disk: a folder of versions and a ``CURRENT`` file naming the live one.

A build writes a complete new version beside the old one and then replaces ``CURRENT`` with
``os.replace``, which is atomic: a reader sees the old index or the new one, never half of each,
and a crash mid-build leaves the old index loadable. Old versions are removed after the switch.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
CONFIG_FILE = "config.json"
CURRENT_FILE = "CURRENT"
_VERSION_PREFIX = "v-"


class IndexNotFound(Exception):
    pass


class IndexBusy(Exception):
    """Another process is writing this index and the caller chose not to wait."""


@contextmanager
def writer_lock(index_dir: Path, wait: bool = True) -> Iterator[None]:
    """Hold the index's single writer lock (an OS file lock beside the index folder).

    Two ingests into one index used to both read the old version and write their own: the
    slower one's switch dropped the other's documents. With the lock the second waits, and reads
    the index only after the first has switched.
    """
    index_dir = Path(index_dir)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(index_dir.parent / f".{index_dir.name}.writer.lock")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if not wait:
            raise IndexBusy(
                f"Ett annat bygge skriver till {index_dir} just nu; försök igen när det är klart "
                "(eller låt bli --no-wait för att vänta)"
            ) from None
        log.warning("Ett annat bygge skriver till %s; väntar tills det är klart …", index_dir)
        lock.acquire()
    try:
        yield
    finally:
        lock.release()


class IndexConfigError(Exception):
    pass


def live_version(index_dir: Path) -> Path:
    """The folder holding the live index under ``index_dir`` (or ``index_dir`` itself)."""
    if (index_dir / CONFIG_FILE).is_file():
        return index_dir
    current = index_dir / CURRENT_FILE
    if current.is_file():
        name = current.read_text(encoding="utf-8").strip()
        version = index_dir / name
        # CURRENT names one folder inside the index, never a path that leads elsewhere.
        if not name.startswith(_VERSION_PREFIX) or version.resolve().parent != index_dir.resolve():
            raise IndexConfigError(
                f"{current} pekar på {name!r}, som inte är en version i {index_dir}: "
                "bygg om indexet med 'revsok ingest --replace'"
            )
        if (version / CONFIG_FILE).is_file():
            return version
        raise IndexConfigError(f"{current} pekar på {version.name}, som saknar {CONFIG_FILE}")
    raise IndexNotFound(
        f"Inget index i {index_dir}: bygg det med 'revsok ingest corpus/' "
        f"(eller --index {index_dir})"
    )


def exists(index_dir: Path) -> bool:
    try:
        live_version(index_dir)
    except (IndexNotFound, IndexConfigError):
        return False
    return True


def new_version(index_dir: Path) -> Path:
    index_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    version = index_dir / f"{_VERSION_PREFIX}{stamp}-{os.getpid()}"
    version.mkdir()
    return version


def activate(index_dir: Path, version: Path) -> None:
    """Make ``version`` the live index, then remove versions no reader can reach any more."""
    pointer = index_dir / f".{CURRENT_FILE}.{os.getpid()}"
    pointer.write_text(version.name, encoding="utf-8")
    os.replace(pointer, index_dir / CURRENT_FILE)
    for other in index_dir.iterdir():
        if other.is_dir() and other.name.startswith(_VERSION_PREFIX) and other != version:
            shutil.rmtree(other, ignore_errors=True)


def discard(version: Path) -> None:
    shutil.rmtree(version, ignore_errors=True)


def write_config(version: Path, config: dict) -> None:
    config = {"format_version": FORMAT_VERSION, **config}
    text = json.dumps(config, ensure_ascii=False, indent=2)
    (version / CONFIG_FILE).write_text(text, encoding="utf-8")


def read_config(version: Path) -> dict:
    path = version / CONFIG_FILE
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise IndexConfigError(f"{path} kan inte läsas: {err}") from err
    found = config.get("format_version")
    if found != FORMAT_VERSION:
        raise IndexConfigError(
            f"{path}: indexformat {found}, den här versionen av revsok läser {FORMAT_VERSION}; "
            "bygg om indexet med 'revsok ingest --replace …'"
        )
    return config
