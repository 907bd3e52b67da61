"""Render the word-processor fixtures (tests/fixtures/word_processor/*.fodt) as PDFs beside them.

The sources are flat ODF, written by hand; LibreOffice Writer lays them out, so the PDFs have
what real reports have and a PDF library does not make: running heads and feet with page fields,
a table of contents with dot leaders, footnotes, tables, a two-column section, a text box,
automatic Swedish hyphenation and fi/fl ligatures. The PDFs are committed, so the tests need no
LibreOffice; run this after editing a source:

    python scripts/build_word_processor_pdfs.py              # every source → its .pdf
    python scripts/build_word_processor_pdfs.py --out DIR    # elsewhere

``soffice --headless --convert-to pdf`` alone leaves a table of contents as the source has it
(empty here): Writer fills an index only when told to. So the script drives the same headless
LibreOffice over its Python bridge (UNO): it loads each source, updates its indexes, and exports
the PDF. Needs LibreOffice Writer, the Swedish hyphenation patterns and the bridge (Debian:
``apt-get install libreoffice-writer-nogui hyphen-sv python3-uno``). The bridge lives in the
system Python; run from another interpreter (a venv), the script runs itself again with
``/usr/bin/python3``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO / "tests" / "fixtures" / "word_processor"
SYSTEM_PYTHON = "/usr/bin/python3"
CONNECT_SECONDS = 60


def _has_uno() -> bool:
    try:
        import uno  # noqa: F401
    except ImportError:
        return False
    return True


def _property(name: str, value):
    from com.sun.star.beans import PropertyValue

    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def _connect(pipe: str):
    import uno
    from com.sun.star.connection import NoConnectException

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except NoConnectException:
            if time.monotonic() > deadline:
                raise SystemExit("LibreOffice startade inte (ingen anslutning via UNO)") from None
            time.sleep(0.5)
    return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)


def render(desktop, source: Path, target: Path) -> None:
    import uno

    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(str(source)), "_blank", 0, (_property("Hidden", True),)
    )
    try:
        # Twice: filling the table of contents can move the headings it lists to other pages.
        for _ in range(2):
            indexes = document.getDocumentIndexes()
            for i in range(indexes.getCount()):
                indexes.getByIndex(i).update()
            document.getTextFields().refresh()
        filter_data = uno.Any(
            "[]com.sun.star.beans.PropertyValue",
            (_property("ExportBookmarks", False), _property("UseTaggedPDF", False)),
        )
        document.storeToURL(
            uno.systemPathToFileUrl(str(target)),
            (_property("FilterName", "writer_pdf_Export"), _property("FilterData", filter_data)),
        )
    finally:
        document.close(True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=SOURCES, help="mapp för PDF-filerna")
    args = parser.parse_args(argv)
    if not _has_uno():
        if Path(SYSTEM_PYTHON).is_file() and Path(sys.executable) != Path(SYSTEM_PYTHON):
            return subprocess.call([SYSTEM_PYTHON, __file__, *(argv or sys.argv[1:])])
        raise SystemExit("LibreOffice-bryggan för Python (uno) saknas: apt-get install python3-uno")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice saknas: apt-get install libreoffice-writer-nogui hyphen-sv")
    sources = sorted(SOURCES.glob("*.fodt"))
    args.out.mkdir(parents=True, exist_ok=True)
    pipe = f"revsok-wp-{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="revsok-lo-") as folder:
        # A profile of its own: a LibreOffice already open for the user would take the job.
        office = subprocess.Popen(
            [
                soffice,
                f"-env:UserInstallation=file://{Path(folder, 'profile').as_posix()}",
                "--headless",
                "--invisible",
                "--norestore",
                "--nologo",
                f"--accept=pipe,name={pipe};urp;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            desktop = _connect(pipe)
            for source in sources:
                target = args.out / f"{source.stem}.pdf"
                render(desktop, source, target)
                print(f"{source.name} → {target}")
            # The bridge drops as the office quits, which the call reports as an error.
            with contextlib.suppress(Exception):
                desktop.terminate()
        finally:
            try:
                office.wait(timeout=30)
            except subprocess.TimeoutExpired:
                office.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
