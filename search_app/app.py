"""revsok's Streamlit app: ``revsok app`` starts it (see revsok/app_command.py for the flags)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from search_app.ui import style

# Not "pages/": Streamlit treats a pages/ folder beside the main script as the old multipage
# layout until st.navigation runs, and shows "Page not found" on a fresh server's first deep link.
PAGES = Path(__file__).resolve().parent / "views"

st.set_page_config(page_title="revsok", page_icon="🔎", layout="wide")
navigation = st.navigation(
    [
        st.Page(PAGES / "search.py", title="Sök", default=True),
        st.Page(PAGES / "compare.py", title="Jämför kommuner", url_path="jamfor"),
        st.Page(PAGES / "over_time.py", title="Över tid", url_path="over-tid"),
        st.Page(
            PAGES / "recommendations.py", title="Rekommendationer", url_path="rekommendationer"
        ),
        st.Page(PAGES / "documents.py", title="Dokument", url_path="dokument"),
        st.Page(PAGES / "evaluation.py", title="Utvärdering", url_path="utvardering"),
    ]
)
style.apply()
navigation.run()
