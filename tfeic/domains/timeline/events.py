"""The backend for formats read as a stream of events (Chrome/Kineto, NVTX JSON, nsys JSON, synthetic).

A format module supplies a function that opens the file and yields ``Event`` tuples in any order;
each query here is one pass over those events holding only totals (summary), the spans of one window,
or the named ranges. The trace origin t0 comes from the first full pass and is cached.

A build asks one trace several questions (origin, ranges, a summary per window, spans), and parsing
is what costs. So the first pass keeps the events in memory when there are at most ``KEEP_EVENTS``
of them (tens of MiB: a trace of up to about 64 MiB of JSON), and every later query reads the list
instead of the file. A larger trace is re-read for every query, holding at most ``KEEP_EVENTS``
events at a time, so memory stays bounded however large the file is.
"""

from __future__ import annotations

from itertools import chain, islice
from typing import Callable, Iterable, Iterator, NamedTuple

from ...core.diagnostics import Diagnostic, Pos, SourceError
from .aggregate import Groups, build_summary
from .model import Span, Summary, Window
from .rules import Rules

KEEP_EVENTS = 100_000  # events kept after the first pass (about 600 bytes each with their names)
#: times (ns) and byte counts must lie within the int64 range every profiler writes them in
INT64 = 1 << 63


class Event(NamedTuple):
    """One raw event. kind: range | kernel | copy | memset | osrt (a memset only counts as memory
    work in ``gpu_records``, as an nsys export's memset rows do). Times are absolute ns of the source clock.
    ``device`` and ``stream`` name where a kernel or copy ran ("" when the format does not say)."""

    kind: str
    name: str
    start: int
    end: int
    bytes: int = 0
    direction: str = ""
    device: str = ""
    stream: str = ""


def checked(events: Iterable[Event], path: str) -> Iterator[Event]:
    """``events``, each one a measurement: a span that ends before it starts, a negative byte count or
    a time beyond int64 is a SourceError naming the event, never a "-400 us" or negative GB/s on a slide."""
    for event in events:
        start, end, nbytes = event[2], event[3], event[4]
        if not -INT64 < start <= end < INT64 or not 0 <= nbytes < INT64:
            kind, name = event[0], event[1]
            shown = name if len(name) <= 60 else name[:59] + "\u2026"
            why = ("a negative byte count" if nbytes < 0 else "an end before its start" if end < start
                   else "a time or size beyond the int64 range")
            raise SourceError(Diagnostic(f"the {kind} event {shown!r} (start {start} ns, end {end} ns, {nbytes} bytes) "
                                         f"has {why}", Pos(path)))
        yield event


def to_span(rules: Rules, t0: int, kind: str, name: str, start: int, end: int, nbytes: int = 0, direction: str = "",
            device: str = "", stream: str = "") -> Span | None:
    """A raw event as a ``Span`` relative to ``t0``: classified, in its lane (ranges no rule knows
    get lane ""), or None for OS-runtime calls that are not I/O. Shared by every backend."""
    if kind == "copy":
        lane = f"Copies {direction}" if direction in ("HtoD", "DtoH") else "Copies other"
        return Span(lane, name, start - t0, end - t0, "copy", nbytes, direction, device, stream)
    c = getattr(rules, kind)(name)
    if c.lane is None and kind != "range":
        return None
    return Span(c.lane or "", name, start - t0, end - t0, c.cls, label=c.label, device=device, stream=stream)


class EventBackend:
    def __init__(self, fmt: str, open_events: Callable[[], Iterable[Event]], rules: Rules):
        self.format = fmt
        self._open = open_events
        self._rules = rules
        self._bounds: tuple[int, int] | None = None
        self._ranges: list[Span] | None = None
        self._kept: list[Event] | None = None  # every event, once a pass found they fit in memory
        self._streaming = False  # a pass found more than KEEP_EVENTS: read the file every time
        self._whole: Groups | None = None  # the totals of the first full pass (the whole trace's summary)
        self._range_events: list[Event] | None = None  # the ranges the first full pass met (stages, KV events)

    def _events(self) -> Iterable[Event]:
        """The trace's events: from memory when they fit (the first pass decides), else the file."""
        if self._kept is not None:
            return self._kept
        if self._streaming:
            return self._open()
        events = iter(self._open())
        head = list(islice(events, KEEP_EVENTS + 1))
        if len(head) <= KEEP_EVENTS:
            self._kept = head
            return head
        self._streaming = True
        return chain(head, events)

    def _aggregate(self, lo: int | None, hi: int | None) -> Groups:
        """Totals of the events starting in ``[lo, hi)`` (absolute ns), or of all events."""
        groups = Groups()
        add_copy = groups.add_copy
        tables = {"kernel": groups.kernels, "range": groups.ranges, "osrt": groups.osrt}
        first, last = INT64, -INT64
        whole = lo is None or hi is None
        low, high = (-INT64, INT64) if lo is None or hi is None else (lo, hi)  # ``checked`` keeps times inside int64
        ranges: list[Event] = []
        for event in self._events():  # once per event of the trace: the updates are written out, not called
            kind, name, start, end = event[0], event[1], event[2], event[3]
            if not low <= start < high or kind == "memset":
                continue
            if start < first:
                first = start
            if end > last:
                last = end
            if kind == "copy":
                add_copy(event[5], event[4], end - start)
                continue
            table = tables[kind]
            g = table.get(name)
            if g is None:
                table[name] = [1, end - start]
            else:
                g[0] += 1
                g[1] += end - start
            if kind == "range" and whole:
                ranges.append(event)
        if whole:
            self._bounds = (first, last) if first <= last else (0, 0)
            self._whole, self._range_events = groups, ranges
        return groups

    def _origin(self) -> tuple[int, int]:
        if self._bounds is None:
            self._aggregate(None, None)
        assert self._bounds is not None  # the full pass sets it
        return self._bounds

    def extent(self) -> Window:
        t0, t1 = self._origin()
        return Window(0, t1 - t0)

    def summary(self, window: Window | None) -> Summary:
        if window is None:  # the first pass (``extent``) already holds the totals: one parse, not two
            groups = self._whole or self._aggregate(None, None)
            return build_summary(self.format, self.extent(), groups, self._rules)
        t0, _ = self._origin()
        groups = self._aggregate(t0 + window.start_ns, t0 + window.end_ns)
        return build_summary(self.format, window, groups, self._rules)

    def spans(self, window: Window, limit: int) -> list[Span]:
        t0, _ = self._origin()
        lo, hi = t0 + window.start_ns, t0 + window.end_ns
        out: list[Span] = []
        for event in self._events():
            if event.start < hi and event.end > lo and event.kind != "memset":
                span = to_span(self._rules, t0, *event)
                if span is not None and span.lane:
                    out.append(span)
                    if len(out) >= limit:
                        break
        return sorted(out, key=lambda s: (s.start_ns, s.lane, s.name))

    def kernel_groups(self, window: Window | None) -> list[tuple[str, str, list[int]]]:
        """(name, class, sorted durations) of the kernels starting in ``window`` (all kernels for None)."""
        t0, _ = self._origin()
        lo, hi = (t0 + window.start_ns, t0 + window.end_ns) if window else (-INT64, INT64)
        groups: dict[str, list[int]] = {}
        for kind, name, start, end, *_ in self._events():
            if kind == "kernel" and lo <= start < hi:
                groups.setdefault(name, []).append(end - start)
        classify = self._rules.kernel_classes.classify
        return [(name, classify(name), sorted(durations)) for name, durations in groups.items()]

    def gpu_records(self, window: Window) -> list[tuple[str, str, str, int, int]]:
        """(device, stream, class, start, end) of the kernels, copies and memsets overlapping ``window``,
        relative to the origin; a copy's or memset's class is ``memory``."""
        t0, _ = self._origin()
        lo, hi = t0 + window.start_ns, t0 + window.end_ns
        classify = self._rules.kernel_classes.classify
        return [(device, stream, classify(name) if kind == "kernel" else "memory", start - t0, end - t0)
                for kind, name, start, end, _, _, device, stream in self._events()
                if kind in ("kernel", "copy", "memset") and start < hi and end > lo]

    def ranges(self) -> list[Span]:
        if self._ranges is None:
            t0, _ = self._origin()
            events = self._range_events if self._range_events is not None else self._events()  # no second parse
            found = (s for e in events if e.kind == "range" and (s := to_span(self._rules, t0, *e)) is not None)
            self._ranges = sorted(found, key=lambda s: (s.start_ns, s.name))
        return self._ranges

    def stage_ranges(self) -> list[Span]:
        return [s for s in self.ranges() if s.lane == "Stages"]
