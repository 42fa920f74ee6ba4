"""Which trace format a file holds, from its first bytes (extensions lie: ``.json`` may be gzip,
``trace.out`` may be SQLite)."""

from __future__ import annotations

import gzip
import json
import re
import zlib

from ..diagnostics import Diagnostic, Pos, SourceError

FORMATS = ("nsys-rep", "nsys-sqlite", "chrome", "nvtx-json", "nsys-json")
HEAD = 1 << 16
_FIRST_KEY = re.compile(r'\{\s*"([^"\\]*)"')


def _head(path: str) -> bytes:
    with open(path, "rb") as f:
        head = f.read(HEAD)
    if head[:2] == b"\x1f\x8b":
        with gzip.open(path, "rb") as f:
            try:
                return f.read(HEAD)
            except (OSError, EOFError, zlib.error):  # damaged gzip: the format is unrecognised
                return b""
    return head


def _json_kind(text: str) -> str | None:
    s = text.lstrip("\ufeff \t\r\n")
    if s.startswith("["):
        return "chrome"
    if not s.startswith("{"):
        return None
    first_line, _, rest = s.partition("\n")
    if rest.lstrip().startswith("{"):
        try:
            record = json.loads(first_line)
        except ValueError:  # malformed, or an integer over Python's 4300-digit limit
            record = None
        if isinstance(record, dict) and not ({"traceEvents", "ranges"} & record.keys()):
            return "nsys-json"  # line-delimited records
    if '"traceEvents"' in s or '"ph"' in s:
        return "chrome"
    if '"ranges"' in s:
        return "nvtx-json"
    key = _FIRST_KEY.match(s)
    return "chrome" if key else None


def detect(path: str) -> str:
    """One of ``FORMATS``; SourceError (exit 3) when the content is none of them."""
    try:
        head = _head(path)
    except OSError as e:
        raise SourceError(Diagnostic(f"cannot read trace: {e.strerror}", Pos(path))) from None
    if head.startswith(b"NVIDIA Tegra Profiler Report"):
        return "nsys-rep"
    if head.startswith(b"SQLite format 3\x00"):
        return "nsys-sqlite"
    kind = _json_kind(head.decode("utf-8", "replace"))
    if kind:
        return kind
    raise SourceError(
        Diagnostic(
            "unrecognised trace format",
            Pos(path),
            hint="expected an nsys SQLite export, .nsys-rep/.qdrep, Chrome/Kineto JSON (plain or gzip), NVTX JSON or nsys JSON",
        )
    )
