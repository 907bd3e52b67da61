"""An index on disk: a folder of versions and a ``CURRENT`` file naming the live one.

A build writes a complete new version beside the old one and then replaces ``CURRENT`` with
``os.replace``, which is atomic: a reader sees the old index or the new one, never half of each,
and a crash mid-build leaves the old index loadable.

The version a switch replaces is kept (named in ``PREVIOUS``) until the next switch, so a reader
that read ``CURRENT`` just before a switch can still load what it read; a reader slower than two
switches finds its version gone and ``Searcher.load`` starts over from ``CURRENT``. Everything
else in the folder that is not live or previous (versions of builds that were killed, temporary
pointer files) is removed by the next writer, which holds the single writer lock.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout

from revsok.errors import Busy, IndexProblem

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
CONFIG_FILE = "config.json"
CURRENT_FILE = "CURRENT"
PREVIOUS_FILE = "PREVIOUS"
_VERSION_PREFIX = "v-"
# Set to one of CRASH_POINTS, the process kills itself there with SIGKILL: the fault tests use it
# to prove that a crash at any step of a build leaves a loadable index.
CRASH_ENV = "REVSOK_CRASH_AT"
CRASH_POINTS = ("version-created", "files-written", "config-written", "pointer-written", "switched")


class IndexNotFound(IndexProblem):
    """No index in the folder: nothing has been ingested there yet."""


class IndexBusy(Busy):
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
        # A build killed with SIGKILL (or a power cut) leaves its half-written version behind.
        remove_leftovers(index_dir)
        yield
    finally:
        lock.release()


class IndexConfigError(IndexProblem):
    """The index's config or one of its files is missing, damaged or of another format."""


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
        raise IndexConfigError(
            f"{current} pekar på {version.name}, som saknar {CONFIG_FILE}: bygg om indexet med "
            "'revsok ingest --replace …'"
        )
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


def crash_point(name: str) -> None:
    if os.environ.get(CRASH_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def current_name(index_dir: Path) -> str | None:
    """What ``CURRENT`` says now (None without one): a reader compares it to see a switch."""
    return _pointer(Path(index_dir), CURRENT_FILE)


def _pointer(index_dir: Path, name: str) -> str | None:
    try:
        return (index_dir / name).read_text(encoding="utf-8").strip()
    except OSError:
        return None


def _replace_pointer(index_dir: Path, name: str, value: str) -> None:
    temporary = index_dir / f".{name}.{os.getpid()}"
    temporary.write_text(value, encoding="utf-8")
    if name == CURRENT_FILE:
        crash_point("pointer-written")
    os.replace(temporary, index_dir / name)


def activate(index_dir: Path, version: Path) -> None:
    """Make ``version`` the live index; the one it replaces stays until the next switch."""
    previous = _pointer(index_dir, CURRENT_FILE)
    if previous and previous != version.name:
        _replace_pointer(index_dir, PREVIOUS_FILE, previous)
    _replace_pointer(index_dir, CURRENT_FILE, version.name)
    crash_point("switched")
    remove_leftovers(index_dir)


def remove_leftovers(index_dir: Path) -> list[str]:
    """Remove every version that is neither live nor previous, and stray pointer files.

    Only a writer holding the writer lock may call this: a version being built by another
    unlocked process would look like a leftover.
    """
    if not index_dir.is_dir():
        return []
    keep = {_pointer(index_dir, CURRENT_FILE), _pointer(index_dir, PREVIOUS_FILE)}
    removed = []
    for entry in index_dir.iterdir():
        if entry.name.startswith(_VERSION_PREFIX) and entry.is_dir() and entry.name not in keep:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry.name)
        elif entry.name.startswith((f".{CURRENT_FILE}.", f".{PREVIOUS_FILE}.")):
            entry.unlink(missing_ok=True)
            removed.append(entry.name)
    if removed:
        log.info("Tog bort %d rester av tidigare byggen i %s", len(removed), index_dir)
    return removed


def discard(version: Path) -> None:
    shutil.rmtree(version, ignore_errors=True)
