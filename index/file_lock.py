"""One in-process lock for reading an index's files.

numpy parses every ``.npy`` header with ``ast.literal_eval`` (so does bm25s, through numpy), and
CPython before 3.11.8 cannot build syntax trees in two threads at once: one of them fails with
"SystemError: AST constructor recursion depth mismatch" (CPython gh-106905). The fault suite saw it
twice in 5,000 searches that each loaded the index while app-like threads did the same. Loads
are short and rare, so they take turns.
"""

from __future__ import annotations

import threading

READ_LOCK = threading.RLock()
