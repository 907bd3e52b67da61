"""Document text inside Streamlit's markdown: shown as the characters it is, never as formatting.

Widget labels, expander titles and st.error/st.markdown read their text as markdown, with KaTeX
between dollar signs and links in brackets. A title or nämnd that reads ``**x** $y$ [l](…)`` came
out bold, as maths and as a link. Escaping every markdown punctuation character with a backslash
(CommonMark: any ASCII punctuation may be escaped) leaves only the literal text.
"""

from __future__ import annotations

import re

_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|$~:=^&\"'])")


def literal(text: object) -> str:
    """``text`` as markdown that renders exactly as ``text``."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", str(text)).replace("\n", " ")
