"""Numbers read from a log line, and the error a slide gets when the log lacks a value.

A number on a line we recognise that does not parse is an error at its file:line (a silently
skipped counter would put a wrong number on a slide). A value that no line of the log holds is not
an error while reading: the log is read at whatever level it was written, and only a slide that
needs the value fails, with ``Missing``, naming the line to look for and the level that prints it.
"""

from __future__ import annotations

import math

from ...core.diagnostics import Diagnostic, MissingData, Pos, SourceError


def number(raw: str, what: str, pos: Pos, integral: bool = False) -> float | int:
    """A finite number, never negative (counts, sizes, rates and percentages all are), and whole where
    ``integral``; 'nan', 'inf' or '-5' is a SourceError at its line, not "-50.0%" on a slide."""
    shown = raw if len(raw) <= 24 else raw[:23] + "\u2026"
    try:
        value = float(raw)
    except ValueError:
        raise SourceError(Diagnostic(f"{what}: expected a number, found {shown!r}", pos)) from None
    if not math.isfinite(value) or value < 0 or (integral and not value.is_integer()):
        raise SourceError(Diagnostic(f"{what}: expected {'a count' if integral else 'a number of at least 0'}, "
                                     f"found {shown!r}", pos))
    return int(value) if integral else value


def count(raw: str, what: str, pos: Pos) -> int:
    """``number`` of a count (typed as the int it is)."""
    return int(number(raw, what, pos, True))


def missing(path: str, what: str, line: str, level: str, when: str = "") -> MissingData:
    """The error for a value ``what`` that the log at ``path`` does not hold: which ``line`` prints
    it, at which ``level`` (and ``when``, e.g. at shutdown)."""
    return MissingData(Diagnostic(f"{path} has no {what}: look for '{line}'",
                                  Pos(path), f"printed at {level} level{' ' + when if when else ''}"))
