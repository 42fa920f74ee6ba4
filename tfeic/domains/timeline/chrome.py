"""Chrome / Perfetto trace JSON (torch.profiler / Kineto, vLLM, SGLang): plain or gzip, an object with
``traceEvents`` or a bare array, read as a stream so memory stays bounded on multi-GB traces.

The parser reads 4 MiB text chunks and decodes the ``traceEvents`` array in batches: it cuts the
buffer after the last ``},{`` boundary and hands ``[...]`` to a decoder in one call. A cut that
falls inside a string or a nested value cannot parse (brackets or quotes are unbalanced), so a
successful parse is exactly a run of whole events; on failure one event is decoded with the
standard library's ``raw_decode`` and batching resumes. Other top-level keys (device properties,
and job environments some profilers record) are skipped, never kept.

The timeline's decoder is msgspec's, typed: each event becomes a ``RawEvent`` holding only the
fields tfeic reads (``ph``, ``cat``, ``name``, ``ts``, ``dur``, ``pid``, ``tid`` and ``args``'
``device``/``stream``/``bytes``); every other field (a CPU op's input shapes, call stacks) is
skipped by the C parser without becoming Python objects. That is what makes a summary cheaper than
a bare ``json.load`` of the same file (benchmarks/bench_trace.py). What msgspec refuses and ``json``
accepts (``NaN``, a non-object ``args``, nesting past its limit) falls back to ``json``, one event
at a time, so the same events are read either way.

``ts``/``dur`` are microseconds; they become integer ns (a float ``ts`` near 1e15 us carries about
0.25 us of precision, which is what the file holds).
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable, Iterator, cast

import msgspec

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
#: Kineto's memsets (activity type ``GPU_MEMSET``: ``cat: "gpu_memset"``, ``name: "Memset (Device)"``,
#: ``args.bytes``), as the fixtures hta_ns_resolution_rank-0, hta_sampled_ranks, hta_trace_compare_*
#: and tracelens_Qwen1.5-0.5B-Chat_h100 hold them. Memory work for utilisation, as an nsys export's
#: ``CUPTI_ACTIVITY_KIND_MEMSET`` rows are; like those, not copies in a summary, not drawn, not in the extent
MEMSET_CATS = frozenset({"gpu_memset"})
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

    def array(self, decode: Callable[[str], list], one: Callable[[Any], Any]) -> Iterator:
        """Yield the items of the array whose ``[`` was just consumed: runs of whole items by
        ``decode`` (a JSON array's text -> its items), an item it refuses by ``json`` then ``one``."""
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
                    items = decode("[" + self.buf[self.pos : cut] + "]")
                except (ValueError, RecursionError):  # decoded again item by item below (by json)
                    items = None
                if items is not None:
                    self.pos = cut
                    yield from items
                    continue
            yield one(self.value())


def _same(value: Any) -> Any:
    return value


def raw_events(path: str, limits: InputLimits | None = None, decode: Callable[[str], list] = json.loads,
               one: Callable[[Any], Any] = _same) -> Iterator[Any]:
    """The trace's event objects, in file order, without holding the file: as ``json`` decodes
    them, or as ``decode`` does (``one`` turns an event ``json`` decoded alone into the same shape)."""
    with open_text(path, limits) as f:
        s = _Stream(f, path)
        c = s.peek()
        if c == "[":
            s.pos += 1
            yield from s.array(decode, one)
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
                yield from s.array(decode, one)
                return
            s.value()  # skipped: metadata, device properties, recorded environments


def _ns(us) -> int:
    return int(round(float(us) * 1000))


def name(value) -> str:
    """An event name as kept: text, at most ``MAX_NAME`` characters (a 256 MB kernel name would
    otherwise be held, hashed and measured in every aggregate)."""
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= MAX_NAME else text[: MAX_NAME - 1] + NAME_CUT


class RawArgs(msgspec.Struct, gc=False):
    """The fields of an event's ``args`` that tfeic reads (Kineto: device, stream, copied bytes)."""

    device: Any = None
    stream: Any = None
    bytes: Any = None


class RawEvent(msgspec.Struct, gc=False):
    """The fields of a trace event that tfeic reads; a field the event lacks is None (``dur``: 0).
    Not tracked by the garbage collector: millions of them pass through a pass."""

    ph: Any = None
    cat: Any = None
    name: Any = None
    ts: Any = None
    dur: Any = 0
    pid: Any = None
    tid: Any = None
    args: RawArgs | None = None


_EVENTS = msgspec.json.Decoder(list[RawEvent])


def _raw_event(value: Any) -> RawEvent | None:
    """An event ``json`` decoded alone (msgspec refused its batch) as a ``RawEvent``: ``args`` that
    are not an object count as absent; an item that is not an object is None (skipped)."""
    if not isinstance(value, dict):
        return None
    args = value.get("args")
    return RawEvent(value.get("ph"), value.get("cat"), value.get("name"), value.get("ts"), value.get("dur", 0), value.get("pid"),
                    value.get("tid"), RawArgs(args.get("device"), args.get("stream"), args.get("bytes")) if isinstance(args, dict) else None)


def _where(e: RawEvent) -> tuple[str, str]:
    """(device, stream) of a GPU event: Kineto's ``args.device``/``args.stream``, else the GPU
    process and thread ids that carry them in older traces (pid = device, tid = stream)."""
    args = e.args
    device = args.device if args is not None and args.device is not None else e.pid
    stream = args.stream if args is not None and args.stream is not None else e.tid
    return "" if device is None else str(device), "" if stream is None else str(stream)


def events(path: str, limits: InputLimits | None = None) -> Iterator[Event]:
    """Kernels, memcpys, memsets and annotation ranges as ``Event`` tuples (``B``/``E`` pairs matched per
    pid/tid); CPU ops, runtime calls, flows, counters and metadata are not timeline material.

    This loop runs once per event of traces with millions, so it is written for speed: the category
    is tested before any time is converted (most events of a Kineto trace are CPU ops), names that
    need no cut are kept as they are, and tuples are built without ``Event``'s Python-level
    ``__new__``; ``round(float(us) * 1000)`` is ``_ns`` inlined."""
    open_ranges: dict[tuple, list] = {}
    event = tuple.__new__
    for e in raw_events(path, limits, _EVENTS.decode, _raw_event):
        if e is None:
            continue
        ph = e.ph
        try:
            if ph == "X":
                cat = e.cat
                if cat in KERNEL_CATS:
                    label = e.name
                    start = round(float(e.ts) * 1000)
                    yield event(Event, ("kernel", label if type(label) is str and len(label) <= MAX_NAME else name("?" if label is None else label),
                                        start, start + round(float(e.dur) * 1000), 0, "", *_where(e)))
                elif cat in COPY_CATS:
                    start = _ns(e.ts)
                    copy = name("Memcpy" if e.name is None else e.name)
                    nbytes = e.args.bytes if e.args is not None else 0
                    yield Event("copy", copy, start, start + _ns(e.dur), int(nbytes or 0), direction_of_name(copy), *_where(e))
                elif cat in MEMSET_CATS:
                    start = _ns(e.ts)
                    nbytes = e.args.bytes if e.args is not None else 0
                    yield Event("memset", name("Memset" if e.name is None else e.name), start, start + _ns(e.dur),
                                int(nbytes or 0), "", *_where(e))
                elif cat in RANGE_CATS:
                    start = _ns(e.ts)
                    yield Event("range", name("?" if e.name is None else e.name), start, start + _ns(e.dur))
            elif ph == "B":
                open_ranges.setdefault((e.pid, e.tid), []).append((name("?" if e.name is None else e.name), _ns(e.ts)))
            elif ph == "E":
                stack = open_ranges.get((e.pid, e.tid))
                if stack:
                    label, start = stack.pop()
                    yield Event("range", label, start, _ns(e.ts))
        except (TypeError, ValueError, OverflowError):
            continue  # an event without a usable timestamp cannot be placed; skip it
