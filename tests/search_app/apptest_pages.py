"""Running a page of the app headless (Streamlit's AppTest) and reading what it shows."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

PAGES = Path(__file__).resolve().parents[2] / "search_app" / "views"
TIMEOUT = 180


def run_page(name: str, **params: str | list[str]) -> AppTest:
    app = AppTest.from_file(str(PAGES / name), default_timeout=TIMEOUT)
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def html_text(app: AppTest) -> str:
    return "\n".join(str(element.proto.body) for element in app.get("html"))


def param(app: AppTest, name: str) -> list[str]:
    value = app.query_params.get(name, [])
    return [value] if isinstance(value, str) else list(value)
