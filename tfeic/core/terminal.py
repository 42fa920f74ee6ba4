"""Text bound for a terminal: strings from the data can show, never steer it.

A kernel name in a trace, a model id from a server or a path in a deck can carry ESC sequences
(colours, cursor moves, an OSC window title or hyperlink), a carriage return that overwrites the
line, or bidi overrides that reorder what is shown. Every line the CLI prints goes through
``show`` (and JSON through ``json_text``), which writes such characters as visible escapes:

- C0 controls (except tab and the newlines of multi-line reports), DEL and C1 controls: ``\\x1b``;
- bidi embeddings, overrides, isolates and marks (U+061C, U+200E/F, U+202A-E, U+2066-9): ``\\u202e``;
- lone surrogates (from undecodable file names), which a UTF-8 stream cannot even encode: ``\\udc80``;
- noncharacters (U+FDD0-U+FDEF and the last two code points of every plane): ``\\ufffe``.

A diagnostic is printed ``one_line``: a newline inside it is escaped too, so one problem is always
one line.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from typing import Any, TextIO

_UNSAFE = ("\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufdd0-\ufdef"
           + "".join(chr(plane << 16 | low) for plane in range(17) for low in (0xFFFE, 0xFFFF)))


@functools.cache
def _unsafe(one_line: bool) -> re.Pattern[str]:
    """The characters to escape, compiled when first needed: the two patterns take ~2 ms to compile,
    and a no-op build's only line is plain ASCII (``terminal_safe``), or nothing with ``-q``."""
    newline = "\n" if one_line else ""
    return re.compile(f"[{newline}{_UNSAFE}]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def terminal_safe(text: str, *, one_line: bool = False) -> str:
    """``text`` with every character that could steer a terminal written as a visible escape."""
    if text.isascii() and text.isprintable():  # only " " to "~": nothing to escape, even in one line
        return text
    return _unsafe(one_line).sub(_escape, text)


def json_text(value: Any, *, ensure_ascii: bool = True) -> str:
    """``value`` as indented JSON whose strings escape the same characters (as JSON ``\\uXXXX``; with
    ``ensure_ascii`` json escapes every non-ASCII character itself)."""
    text = json.dumps(value, indent=2, ensure_ascii=ensure_ascii)
    return _unsafe(False).sub(lambda m: json.dumps(m.group())[1:-1], text)  # \uXXXX (astral: a surrogate pair)


def show(text: str, stream: TextIO | None = None, *, one_line: bool = False, flush: bool = False) -> None:
    """Print one line (or report) to ``stream`` (default: the current stdout), made terminal-safe."""
    print(terminal_safe(text, one_line=one_line), file=stream or sys.stdout, flush=flush)


def print_json(value: Any) -> None:
    """A command's ``--json`` answer on stdout (one document, escaped like every other line)."""
    show(json_text(value))
