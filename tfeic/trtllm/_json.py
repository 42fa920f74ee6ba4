"""Reading a JSON array item by item, so a bad item can be named by file:line:col.

``json.loads`` tells where a *syntax* error is, but not where a well-formed item that breaks the
contract sits; ``raw_decode`` walks the array and keeps each item's offset. JSON Lines files (one
item, or one array of items, per line) are read the same way. Integers stay Python ints, so 64-bit
unsigned hashes above 2^63 survive exactly.
"""

from __future__ import annotations

import json
from typing import Any, Iterator

from ..diagnostics import Diagnostic, Pos, SourceError
from ..jsonfile import DECODER, NumberOutOfRange


def line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def json_items(path: str, text: str) -> Iterator[tuple[Any, Pos]]:
    """Every item of a top-level JSON array, or of every JSON value (array or not) in a JSON Lines
    file, with the position where the item starts. Syntax errors are SourceErrors at their line."""
    i, n = 0, len(text)

    def skip(j: int, chars: str = " \t\r\n") -> int:
        while j < n and text[j] in chars:
            j += 1
        return j

    def decode(j: int) -> tuple[Any, int]:
        try:
            return DECODER.raw_decode(text, j)
        except json.JSONDecodeError as e:
            raise SourceError(Diagnostic(f"invalid JSON: {e.msg}", Pos(path, e.lineno, e.colno))) from None
        except NumberOutOfRange as e:  # somewhere in the item that starts here
            raise SourceError(Diagnostic(f"invalid JSON: {e}", Pos(path, *line_col(text, j)))) from None

    i = skip(i)
    if i == n:
        raise SourceError(Diagnostic("empty file: expected a JSON array", Pos(path, 1, 1)))
    while i < n:
        if text[i] != "[":
            value, end = decode(i)
            yield value, Pos(path, *line_col(text, i))
            i = skip(end)
            continue
        i = skip(i + 1)
        while i < n and text[i] != "]":
            value, end = decode(i)
            yield value, Pos(path, *line_col(text, i))
            i = skip(end)
            if i < n and text[i] == ",":
                i = skip(i + 1)
            elif i < n and text[i] != "]":
                raise SourceError(Diagnostic("invalid JSON: expected ',' or ']'", Pos(path, *line_col(text, i))))
        if i >= n:
            raise SourceError(Diagnostic("invalid JSON: unterminated array", Pos(path, *line_col(text, n))))
        i = skip(i + 1)
