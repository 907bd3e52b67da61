"""The one base class of every failure revsok expects and can explain to its user.

A ``RevsokError`` says what is wrong and what to do, in Swedish, naming the file it concerns. The
CLI prints it as one line and exits with its ``exit_code``; the app shows it with ``st.error``.
Anything else that escapes is a bug and keeps its traceback.
"""

from __future__ import annotations


class RevsokError(Exception):
    """Bad input, a missing or damaged index, an unusable model or cache: not a bug."""

    exit_code = 2


class IndexProblem(RevsokError):
    """The index is missing, damaged, of another format, or does not fit the embedder."""

    exit_code = 3


class Busy(RevsokError):
    """Another process holds a resource the caller chose not to wait for."""

    exit_code = 4
