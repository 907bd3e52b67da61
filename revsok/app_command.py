"""Starting the Streamlit app, for ``revsok app`` (``revsok.commands.app``, which first makes sure
there is an index).

Streamlit is started as a child process with the flags the app depends on: static serving (the
PDF links, off when ``serve_originals`` is), the upload size limit, loopback-only listening unless
told otherwise, no telemetry.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from search_app.core.uploads import MAX_UPLOAD_MB

APP = Path(__file__).resolve().parents[1] / "search_app" / "app.py"


def streamlit_command(host: str, port: int, *, serve_originals: bool = True) -> list[str]:
    """The Streamlit command line; without ``serve_originals`` nothing under static/ is served,
    so no PDF published by an earlier run can be fetched either."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.enableStaticServing",
        "true" if serve_originals else "false",
        "--server.maxUploadSize",
        str(MAX_UPLOAD_MB),
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "minimal",
        "--theme.base",
        "light",
    ]


def run_app(host: str, port: int, index_dir: Path, *, serve_originals: bool) -> int:
    env = dict(os.environ, REVSOK_INDEX_DIR=str(index_dir.resolve()))
    print(f"revsok: appen startar på http://{host}:{port} (avsluta med Ctrl+C)", flush=True)
    if serve_originals:
        # Streamlit warns "no static folder found" when the folder it serves is missing, as on a
        # fresh clone before any PDF has been published.
        (APP.parent / "static").mkdir(exist_ok=True)
    command = streamlit_command(host, port, serve_originals=serve_originals)
    if os.name == "posix":
        # Become the Streamlit server instead of its parent, so a service manager or a test that
        # stops 'revsok app' stops the server too rather than leaving it orphaned on the port.
        os.execve(command[0], command, env)
    try:
        return subprocess.call(command, env=env)
    except KeyboardInterrupt:
        return 0
