"""Chrome / Perfetto trace JSON (torch.profiler / Kineto, vLLM, SGLang): plain or gzip, an object with
``traceEvents`` or a bare array, read as a stream so memory stays bounded on multi-GB traces.

The parser reads 4 MiB text chunks and decodes the ``traceEvents`` array in batches: it cuts the
buffer after the last ``},{`` boundary and hands ``[...]`` to orjson in one call (about twice as
fast as the standard library's decoder on Kineto events; benchmarks/bench_trace.py). A cut that
falls inside a string or a nested value cannot parse (brackets or quotes are unbalanced), so a
successful parse is exactly a run of whole events; on failure one event is decoded with the
standard library's ``raw_decode`` and batching resumes. So what orjson refuses and ``json`` accepts
(``NaN``, integers beyond 64 bits, lone surrogate escapes, nesting past 1024) is still read, one
event at a time. Other top-level keys (device properties, and job environments
some profilers record) are skipped, never kept.

``ts``/``dur`` are microseconds; they become integer ns (a float ``ts`` near 1e15 us carries about
0.25 us of precision, which is what the file holds).
"""

from __future__ import annotations

import json
import re

import orjson
from typing import Any, Callable, Iterator, cast

from ...core.datafile import InputLimits, open_data
from ...core.diagnostics import Diagnostic, Pos, SourceError
from .aggregate import direction_of_name
from .events import Event

CHUNK = 1 << 22
MAX_VALUE = 16 << 20  # characters of one event (or skipped top-level value): real events are a few KB
MAX_NAME = 4096  # characters of a name kept; longer names are cut, ending in NAME_CUT
NAME_CUT = "\u2026"
_WS = " \t\r\n"
# each pattern matches the empty string, so its ``match`` never returns None (typed so)
_SKIP = cast("dict[str, Callable[[str, int], re.Match[str]]]",
             {_WS: re.compile("[ \t\r\n]*").match, _WS + ",": re.compile("[ \t\r\n,]*").match})  # skipped in C
_DECODER = json.JSONDecoder()
TOO_DEEP = "JSON nested deeper than the parser allows (about 1000 levels)"
TOO_LONG = "a JSON integer of more than 4300 digits"

KERNEL_CATS = frozenset({"kernel", "Kernel"})
COPY_CATS = frozenset({"gpu_memcpy", "Memcpy"})
#: ranges: torch.profiler ``record_function`` annotations; events without a category (hand-written
#: traces). ``gpu_user_annotation`` repeats CPU annotations on GPU time and would count them twice.
RANGE_CATS = frozenset({"user_annotation", None, ""})


def open_text(path: str, limits: InputLimits | None = None):
    """The trace as text, gunzipped when it starts with the gzip magic (whatever its extension),
    read as a stream under ``limits`` (``tfeic.core.datafile``: bytes, inflation ratio, wall clock)."""
    return open_data(path, what="trace", limits=limits, streamed=True, gunzip=True, encoding="utf-8", errors="replace")


class _Stream:
    """A text buffer over a file that refills on demand; ``pos`` indexes into ``buf``."""

    def __init__(self, f, path: str):
        self.f, self.path = f, path
        self.buf, self.pos, self.eof, self.offset = "", 0, False, 0

    def more(self) -> bool:
        if len(self.buf) - self.pos > MAX_VALUE:
            raise self.error(f"one JSON value is longer than {MAX_VALUE} characters")
        chunk = self.f.read(CHUNK)  # a damaged gzip stream is a SourceError of tfeic.core.datafile
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
            buf, n = self.buf, len(self.buf)
            pos = self.pos = _SKIP[skip](buf, self.pos).end()
            if pos < n or not self.more():
                return buf[pos] if pos < n else ""

    def value(self) -> Any:
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
            j = _SKIP[_WS](buf, cut + 1).end()
            if j < len(buf) and buf[j] == ",":
                j = _SKIP[_WS](buf, j + 1).end()
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
                    items = orjson.loads("[" + self.buf[self.pos : cut] + "]")
                except (ValueError, RecursionError):  # decoded again item by item below (by json)
                    items = None
                if items is not None:
                    self.pos = cut
                    yield from items
                    continue
            yield self.value()


def raw_events(path: str, limits: InputLimits | None = None) -> Iterator[dict]:
    """The trace's event objects, in file order, without holding the file."""
    with open_text(path, limits) as f:
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


def name(value) -> str:
    """An event name as kept: text, at most ``MAX_NAME`` characters (a 256 MB kernel name would
    otherwise be held, hashed and measured in every aggregate)."""
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= MAX_NAME else text[: MAX_NAME - 1] + NAME_CUT


def _where(e: dict) -> tuple[str, str]:
    """(device, stream) of a GPU event: Kineto's ``args.device``/``args.stream``, else the GPU
    process and thread ids that carry them in older traces (pid = device, tid = stream)."""
    args = e.get("args")
    args = args if isinstance(args, dict) else {}
    return str(args.get("device", e.get("pid", ""))), str(args.get("stream", e.get("tid", "")))


def events(path: str, limits: InputLimits | None = None) -> Iterator[Event]:
    """Kernels, memcpys and annotation ranges as ``Event`` tuples (``B``/``E`` pairs matched per
    pid/tid); CPU ops, runtime calls, flows, counters and metadata are not timeline material."""
    open_ranges: dict[tuple, list] = {}
    for e in raw_events(path, limits):
        if not isinstance(e, dict):
            continue
        ph = e.get("ph")
        try:
            if ph == "X":
                cat = e.get("cat")
                start = _ns(e["ts"])
                end = start + _ns(e.get("dur", 0))
                if cat in KERNEL_CATS:
                    yield Event("kernel", name(e.get("name", "?")), start, end, 0, "", *_where(e))
                elif cat in COPY_CATS:
                    copy = name(e.get("name", "Memcpy"))
                    args = e.get("args") or {}
                    yield Event("copy", copy, start, end, int(args.get("bytes", 0) or 0), direction_of_name(copy), *_where(e))
                elif cat in RANGE_CATS:
                    yield Event("range", name(e.get("name", "?")), start, end)
            elif ph == "B":
                open_ranges.setdefault((e.get("pid"), e.get("tid")), []).append((name(e.get("name", "?")), _ns(e["ts"])))
            elif ph == "E":
                stack = open_ranges.get((e.get("pid"), e.get("tid")))
                if stack:
                    label, start = stack.pop()
                    yield Event("range", label, start, _ns(e["ts"]))
        except (KeyError, TypeError, ValueError, OverflowError):
            continue  # an event without a usable timestamp cannot be placed; skip it
