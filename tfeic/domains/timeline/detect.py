"""Which trace format a file holds, from its first bytes (extensions lie: ``.json`` may be gzip,
``trace.out`` may be SQLite)."""

from __future__ import annotations

import json
import re

from ...core.datafile import InputLimits, open_data
from ...core.diagnostics import Diagnostic, Pos, SourceError

FORMATS = ("nsys-rep", "nsys-sqlite", "chrome", "nvtx-json", "nsys-json")
HEAD = 1 << 16
_FIRST_KEY = re.compile(r'\{\s*"([^"\\]*)"')


def _head(path: str, limits: InputLimits | None) -> bytes:
    """The first bytes of the trace, inflated when it is gzip; a damaged gzip stream has none."""
    with open_data(path, what="trace", limits=limits, streamed=True, gunzip=True) as f:
        try:
            return f.read(HEAD)
        except SourceError:  # damaged gzip: the format is unrecognised
            return b""


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


def detect(path: str, limits: InputLimits | None = None) -> str:
    """One of ``FORMATS``; SourceError (exit 3) when the content is none of them, or the path is not
    a regular file (``tfeic.core.datafile``)."""
    head = _head(path, limits)
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
