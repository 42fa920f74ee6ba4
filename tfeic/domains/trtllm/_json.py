"""Reading a JSON array item by item, so a bad item can be named by file:line:col.

``json.loads`` tells where a *syntax* error is, but not where a well-formed item that breaks the
contract sits; ``raw_decode`` walks the array and keeps each item's offset. JSON Lines files (one
item, or one array of items, per line) are read the same way. Integers stay Python ints, so 64-bit
unsigned hashes above 2^63 survive exactly.
"""

from __future__ import annotations

import json
from typing import Any, Iterator

from ...core.diagnostics import Diagnostic, Pos, SourceError
from ...core.jsonfile import DECODER, NumberOutOfRange


def json_items(path: str, text: str) -> Iterator[tuple[Any, Pos]]:
    """Every item of a top-level JSON array, or of every JSON value (array or not) in a JSON Lines
    file, with the position where the item starts. Syntax errors are SourceErrors at their line."""
    i, n = 0, len(text)
    where = [0, 1, 0]  # offset counted up to, its line, the offset where that line starts

    def pos_at(j: int) -> Pos:
        """The position of offset ``j``, counting newlines only from the last item on (positions are
        asked in increasing order), so naming every item of a large file stays linear."""
        done, line, start = where if j >= where[0] else (0, 1, 0)
        line += text.count("\n", done, j)
        if line != where[1] or done == 0:
            start = text.rfind("\n", 0, j) + 1
        where[:] = [j, line, start]
        return Pos(path, line, j - start + 1)

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
            raise SourceError(Diagnostic(f"invalid JSON: {e}", pos_at(j))) from None

    i = skip(i)
    if i == n:
        raise SourceError(Diagnostic("empty file: expected a JSON array", Pos(path, 1, 1)))
    while i < n:
        if text[i] != "[":
            value, end = decode(i)
            yield value, pos_at(i)
            i = skip(end)
            continue
        i = skip(i + 1)
        while i < n and text[i] != "]":
            value, end = decode(i)
            yield value, pos_at(i)
            i = skip(end)
            if i < n and text[i] == ",":
                i = skip(i + 1)
            elif i < n and text[i] != "]":
                raise SourceError(Diagnostic("invalid JSON: expected ',' or ']'", pos_at(i)))
        if i >= n:
            raise SourceError(Diagnostic("invalid JSON: unterminated array", pos_at(n)))
        i = skip(i + 1)
