"""WordprocessingML names and the attribute look-ups that the .docx reader's modules share."""

from __future__ import annotations

from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
P, R, TBL, TR, TC = f"{W}p", f"{W}r", f"{W}tbl", f"{W}tr", f"{W}tc"
SDT, SDT_CONTENT, CUSTOM_XML = f"{W}sdt", f"{W}sdtContent", f"{W}customXml"
TXBX_CONTENT = f"{W}txbxContent"


def is_on(element: Any, name: str) -> bool:
    """A toggle property (w:vanish, w:del …): present and not switched off."""
    found = element.find(f"{W}{name}") if element is not None else None
    return found is not None and found.get(f"{W}val", "true") not in ("0", "false", "off")


def val(element: Any, path: str) -> str | None:
    found = element.find(path) if element is not None else None
    return None if found is None else found.get(f"{W}val")
