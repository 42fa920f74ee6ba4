"""Chrome / Perfetto trace JSON (torch.profiler / Kineto, vLLM, SGLang): plain or gzip, an object with
``traceEvents`` or a bare array, read as a stream so memory stays bounded on multi-GB traces.

The parser reads 4 MiB text chunks and decodes the ``traceEvents`` array in batches: it cuts the
buffer after the last ``},{`` boundary and hands ``[...]`` to the C decoder in one call. A cut that
falls inside a string or a nested value cannot parse (brackets or quotes are unbalanced), so a
successful parse is exactly a run of whole events; on failure one event is decoded with
``raw_decode`` and batching resumes. Other top-level keys (device properties, and job environments
some profilers record) are skipped, never kept.

``ts``/``dur`` are microseconds; they become integer ns (a float ``ts`` near 1e15 us carries about
0.25 us of precision, which is what the file holds).
"""

from __future__ import annotations

import gzip
import json
import zlib
from typing import Iterator

from ..diagnostics import Diagnostic, Pos, SourceError
from .aggregate import direction_of_name
from .events import Event

CHUNK = 1 << 22
_WS = " \t\r\n"
_DECODER = json.JSONDecoder()
TOO_DEEP = "JSON nested deeper than the parser allows (about 1000 levels)"
TOO_LONG = "a JSON integer of more than 4300 digits"

KERNEL_CATS = frozenset({"kernel", "Kernel"})
COPY_CATS = frozenset({"gpu_memcpy", "Memcpy"})
#: ranges: torch.profiler ``record_function`` annotations; events without a category (hand-written
#: traces). ``gpu_user_annotation`` repeats CPU annotations on GPU time and would count them twice.
RANGE_CATS = frozenset({"user_annotation", None, ""})


def open_text(path: str):
    """The file as text, gunzipped when it starts with the gzip magic (whatever its extension)."""
    with open(path, "rb") as probe:
        gz = probe.read(2) == b"\x1f\x8b"
    if gz:
        return gzip.open(path, "rt", encoding="utf-8", errors="replace")
    return open(path, encoding="utf-8", errors="replace")


class _Stream:
    """A text buffer over a file that refills on demand; ``pos`` indexes into ``buf``."""

    def __init__(self, f, path: str):
        self.f, self.path = f, path
        self.buf, self.pos, self.eof, self.offset = "", 0, False, 0

    def more(self) -> bool:
        try:
            chunk = self.f.read(CHUNK)
        except (OSError, EOFError, zlib.error) as e:  # a truncated or damaged gzip stream
            raise self.error(f"cannot decompress the trace ({e})") from None
        if not chunk:
            self.eof = True
            return False
        self.offset += self.pos
        self.buf = self.buf[self.pos :] + chunk
        self.pos = 0
        return True

    def peek(self, skip: str = _WS) -> str:
        """The next character that is not in ``skip`` ("" at the end of the file)."""
        while True:
            buf, pos, n = self.buf, self.pos, len(self.buf)
            while pos < n and buf[pos] in skip:
                pos += 1
            self.pos = pos
            if pos < n or not self.more():
                return buf[pos] if pos < n else ""

    def value(self):
        """Decode one JSON value at ``pos``, reading more text until it is complete."""
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
                if end < len(self.buf) or self.eof or not self.more():
                    self.pos = end
                    return value
            except json.JSONDecodeError as e:
                if not self.more():
                    raise self.error(f"malformed JSON: {e.msg}") from None
            except RecursionError:
                raise self.error(TOO_DEEP) from None
            except ValueError:  # not a syntax error: Python's 4300-digit limit on integers
                raise self.error(TOO_LONG) from None

    def error(self, message: str) -> SourceError:
        return SourceError(Diagnostic(f"{message} near character {self.offset + self.pos}", Pos(self.path)))

    def _batch_cut(self) -> int:
        """Index just past the last ``}`` that is followed by ``,`` and ``{`` within the buffer, or -1."""
        buf, lo = self.buf, self.pos
        end = len(buf)
        for _ in range(8):
            cut = buf.rfind("}", lo, end)
            if cut < 0:
                return -1
            j = cut + 1
            while j < len(buf) and buf[j] in _WS:
                j += 1
            if j < len(buf) and buf[j] == ",":
                j += 1
                while j < len(buf) and buf[j] in _WS:
                    j += 1
                if j < len(buf) and buf[j] == "{":
                    return cut + 1
            end = cut
        return -1

    def array(self) -> Iterator:
        """Yield the items of the array whose ``[`` was just consumed."""
        while True:
            c = self.peek(_WS + ",")
            if c == "]":
                self.pos += 1
                return
            if c == "":
                raise self.error("trace ends inside the event array")
            cut = self._batch_cut()
            if cut > 0:
                try:
                    items = json.loads("[" + self.buf[self.pos : cut] + "]")
                except (ValueError, RecursionError):  # decoded again item by item below
                    items = None
                if items is not None:
                    self.pos = cut
                    yield from items
                    continue
            yield self.value()


def raw_events(path: str) -> Iterator[dict]:
    """The trace's event objects, in file order, without holding the file."""
    with open_text(path) as f:
        s = _Stream(f, path)
        c = s.peek()
        if c == "[":
            s.pos += 1
            yield from s.array()
            return
        if c != "{":
            raise s.error("not a Chrome trace (expected an object or an array)")
        s.pos += 1
        while True:
            c = s.peek(_WS + ",")
            if c == "}" or c == "":
                return  # an object without traceEvents holds no events
            key = s.value()
            if s.peek() != ":":
                raise s.error("malformed JSON object")
            s.pos += 1
            if key == "traceEvents":
                if s.peek() != "[":
                    raise s.error("traceEvents is not an array")
                s.pos += 1
                yield from s.array()
                return
            s.value()  # skipped: metadata, device properties, recorded environments


def _ns(us) -> int:
    return int(round(float(us) * 1000))


def events(path: str) -> Iterator[Event]:
    """Kernels, memcpys and annotation ranges as ``Event`` tuples (``B``/``E`` pairs matched per
    pid/tid); CPU ops, runtime calls, flows, counters and metadata are not timeline material."""
    open_ranges: dict[tuple, list] = {}
    for e in raw_events(path):
        if not isinstance(e, dict):
            continue
        ph = e.get("ph")
        try:
            if ph == "X":
                cat = e.get("cat")
                start = _ns(e["ts"])
                end = start + _ns(e.get("dur", 0))
                if cat in KERNEL_CATS:
                    yield Event("kernel", e.get("name", "?"), start, end)
                elif cat in COPY_CATS:
                    name = e.get("name", "Memcpy")
                    args = e.get("args") or {}
                    yield Event("copy", name, start, end, int(args.get("bytes", 0) or 0), direction_of_name(name))
                elif cat in RANGE_CATS:
                    yield Event("range", str(e.get("name", "?")), start, end)
            elif ph == "B":
                open_ranges.setdefault((e.get("pid"), e.get("tid")), []).append((str(e.get("name", "?")), _ns(e["ts"])))
            elif ph == "E":
                stack = open_ranges.get((e.get("pid"), e.get("tid")))
                if stack:
                    name, start = stack.pop()
                    yield Event("range", name, start, _ns(e["ts"]))
        except (KeyError, TypeError, ValueError, OverflowError):
            continue  # an event without a usable timestamp cannot be placed; skip it
