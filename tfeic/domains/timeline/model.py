"""Timeline values: spans in lanes, a time window, and the summary a trace aggregates to.

All times are integer nanoseconds relative to the trace's origin t0 (the earliest start among the
events tfeic reads), so windows written in a deck (``0:5ms``) mean the same thing for every format.
``Timeline`` is a handle rather than a list of spans: real traces hold millions of kernels, so each
query (summary, spans in a window, stage ranges) is answered where the data lives (SQL for nsys
exports, one streaming pass for JSON) and only the answer is held in memory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from ...core.diagnostics import Diagnostic, Pos, SpecError
from .taxonomy import DEFAULT, Taxonomy

#: lanes of a timeline, top to bottom, in the order slides draw them
LANE_ORDER = ("Stages", "Attention", "Kernels", "Copies HtoD", "Copies DtoH", "Copies other", "KV events", "I/O")

#: copy directions reported in summaries (anything else is "other")
COPY_DIRECTIONS = ("HtoD", "DtoH", "DtoD", "PtoP", "other")


@dataclass(frozen=True)
class Window:
    """A half-open time range ``[start_ns, end_ns)`` relative to the trace origin."""

    start_ns: int
    end_ns: int

    @property
    def duration_ns(self) -> int:
        return self.end_ns - self.start_ns

    def contains(self, start_ns: int) -> bool:
        return self.start_ns <= start_ns < self.end_ns

    def overlaps(self, start_ns: int, end_ns: int) -> bool:
        return start_ns < self.end_ns and end_ns > self.start_ns

    def as_dict(self) -> dict:
        return {"start_ns": self.start_ns, "end_ns": self.end_ns}


_UNITS = {"ns": 1, "us": 1_000, "µs": 1_000, "ms": 1_000_000, "s": 1_000_000_000}
_TIME = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*(ns|us|µs|ms|s)?\s*$")


def parse_time(text: str) -> int:
    """``"1.5ms"`` -> 1500000; a bare number is nanoseconds. Raises ValueError on anything else."""
    m = _TIME.match(str(text))
    if not m:
        raise ValueError(f"not a time: {text!r} (write e.g. 250us, 1.5ms, 2s or plain nanoseconds)")
    return int(round(float(m.group(1)) * _UNITS[m.group(2) or "ns"]))


def parse_window(text: str, pos: Pos | None = None) -> Window:
    """``"START:END"`` with optional units on each side (``"0:5ms"``); errors are SpecErrors."""
    try:
        start, end = str(text).split(":")
        window = Window(parse_time(start), parse_time(end))
    except ValueError as e:
        raise SpecError(Diagnostic(f"window {text!r}: {e}" if ":" in str(text) else f"window {text!r} is not START:END", pos)) from None
    if window.end_ns <= window.start_ns:
        raise SpecError(Diagnostic(f"window {text!r} ends before it starts", pos))
    return window


@dataclass(frozen=True)
class Span:
    """One interval: its lane ("" for a range no rule classifies), the raw name from the trace, its
    class (prefill, decode, other, attention, kernel, copy, kv, io, range), copied bytes, the
    label the rules give it ("Decode" for ``Decode[3]``), and the device and stream a kernel or copy
    ran on ("" when the trace does not say)."""

    lane: str
    name: str
    start_ns: int
    end_ns: int
    cls: str
    bytes: int = 0
    label: str = ""
    device: str = ""
    stream: str = ""

    @property
    def duration_ns(self) -> int:
        return self.end_ns - self.start_ns


@dataclass(frozen=True)
class Lane:
    """A lane to draw: its name, its spans, and the ``LANE_ORDER`` lane it stands for (a lane per
    stream stands for the Attention and Kernels lanes)."""

    name: str
    spans: tuple[Span, ...]
    kind: str = ""

    @property
    def base(self) -> str:
        return self.kind or self.name


#: lanes whose spans are split per device and stream when the window holds kernels of several
KERNEL_LANES = ("Attention", "Kernels")
MAX_STREAM_LANES = 8  # more streams than this: the quietest share one "other streams" lane


def stream_lanes(spans: list[Span]) -> list[Lane]:
    """Kernel spans of several streams as one lane per (device, stream), busiest first up to
    ``MAX_STREAM_LANES`` then in id order; named "stream 7", or "GPU 1 stream 7" with several devices."""
    from .utilisation import id_order

    by_stream: dict[tuple[str, str], list[Span]] = {}
    for span in spans:
        by_stream.setdefault((span.device, span.stream), []).append(span)
    busiest = sorted(by_stream, key=lambda k: -sum(s.duration_ns for s in by_stream[k]))
    shown = sorted(busiest[:MAX_STREAM_LANES] if len(busiest) > MAX_STREAM_LANES else busiest,
                   key=lambda k: (id_order(k[0]), id_order(k[1])))
    devices = len({d for d, _ in by_stream}) > 1

    def short(ident: str) -> str:  # ids are the trace's text: a lane label must stay short
        return ident if len(ident) <= 12 else ident[:11] + "\u2026"

    lanes = [Lane(f"GPU {short(d)} stream {short(st)}" if devices else f"stream {short(st)}", tuple(sorted(by_stream[(d, st)], key=lambda s: s.start_ns)), "Kernels")
             for d, st in shown]
    rest = sorted((s for k in busiest[MAX_STREAM_LANES:] for s in by_stream[k]), key=lambda s: s.start_ns)
    return lanes + ([Lane("other streams", tuple(rest), "Kernels")] if rest else [])


@dataclass(frozen=True)
class Stat:
    """Count and total duration of one named thing (a stage, a KV event, an I/O call)."""

    name: str
    count: int
    total_ns: int
    kind: str = ""  # stages: prefill | decode | other; kernels: their class

    @property
    def mean_ns(self) -> float:
        return self.total_ns / self.count if self.count else 0.0


@dataclass(frozen=True)
class CopyStat:
    direction: str
    count: int
    bytes: int
    total_ns: int

    @property
    def gbps(self) -> float:
        """Bytes per nanosecond is GB/s (10^9 bytes per second)."""
        return self.bytes / self.total_ns if self.total_ns else 0.0


@dataclass(frozen=True)
class Summary:
    """What ``tfeic trace summary`` prints; ``as_dict`` is the documented JSON contract
    (schemas/trace-summary.schema.json)."""

    format: str
    window: Window
    stages: tuple[Stat, ...]
    kernel_count: int
    kernel_total_ns: int
    top_kernels: tuple[Stat, ...]
    copies: tuple[CopyStat, ...]
    kv_events: tuple[Stat, ...]
    io: tuple[Stat, ...]
    lanes: tuple[Stat, ...] = ()
    #: every kernel by name, most GPU time first (``top_kernels`` is its head): what comparisons of two
    #: traces and per-class totals need; as many entries as distinct kernel names, not launches
    kernels: tuple[Stat, ...] = ()

    def as_dict(self) -> dict:
        def stat(s: Stat) -> dict:
            return {"name": s.name, "count": s.count, "total_ns": s.total_ns}

        return {
            "format": self.format,
            "window": self.window.as_dict(),
            "stages": [{**stat(s), "kind": s.kind, "mean_ns": round(s.mean_ns, 1)} for s in self.stages],
            "kernels": {
                "count": self.kernel_count,
                "total_ns": self.kernel_total_ns,
                "top": [
                    {
                        "name": k.name,
                        "class": k.kind,
                        "count": k.count,
                        "total_ns": k.total_ns,
                        "mean_ns": round(k.mean_ns, 1),
                        "share": round(k.total_ns / self.kernel_total_ns, 6) if self.kernel_total_ns else 0.0,
                    }
                    for k in self.top_kernels
                ],
            },
            "copies": [
                {"direction": c.direction, "count": c.count, "bytes": c.bytes, "total_ns": c.total_ns, "gbps": round(c.gbps, 3)}
                for c in self.copies
            ],
            "kv_events": [stat(s) for s in self.kv_events],
            "io": [stat(s) for s in self.io],
            "lanes": [stat(s) for s in self.lanes],
        }


class Backend(Protocol):
    """Where a trace's queries run (SQL over an nsys export, or streaming over JSON events)."""

    format: str

    def extent(self) -> Window: ...
    def summary(self, window: Window | None) -> Summary: ...
    def spans(self, window: Window, limit: int) -> list[Span]: ...
    def ranges(self) -> list[Span]: ...
    def stage_ranges(self) -> list[Span]: ...
    def kernel_groups(self, window: Window | None) -> list[tuple[str, str, list[int]]]: ...
    def gpu_records(self, window: Window) -> list[tuple[str, str, str, int, int]]: ...


@dataclass(frozen=True)
class Timeline:
    """A loaded trace: its format, the file it came from, the backend that answers queries, and the
    kernel taxonomy it was read with (a deck's and theme's ``kernel_classes`` before the shipped
    rules), which a comparison of two traces classifies their kernels by."""

    format: str
    path: str
    backend: Backend = field(compare=False)
    max_spans: int = 200_000  # most spans ``lanes`` loads (the deck's limits.trace_spans)
    taxonomy: Taxonomy = field(default=DEFAULT, compare=False)

    def extent(self) -> Window:
        return self.backend.extent()

    def summary(self, window: Window | None = None) -> Summary:
        """Totals of the events starting in ``window``; a stage range nested in another of its kind
        counts once (``stages.nested_stages``)."""
        from .stages import without_nested

        nested = [s for s in self.nested_stages() if window is None or window.contains(s.start_ns)]
        return without_nested(self.backend.summary(window), nested)

    def nested_stages(self) -> list[Span]:
        from .stages import nested_stages

        return nested_stages(self.backend.stage_ranges())  # the stages alone: an export's other ranges stay in SQLite

    def stages(self) -> list[Span]:
        """The stage ranges in time order, each step once (the outermost of a nest of one kind)."""
        from .stages import counted_once

        return counted_once((s for s in self.ranges() if s.lane == "Stages"), self.nested_stages())

    def kernel_groups(self, window: Window | None = None) -> list[tuple[str, str, list[int]]]:
        """(kernel name, class, its launches' durations sorted) for kernels starting in ``window``."""
        return self.backend.kernel_groups(window)

    def gpu_records(self, window: Window | None = None) -> list[tuple[str, str, str, int, int]]:
        """(device, stream, kernel class or ``memory`` for a copy, start, end) overlapping ``window``."""
        return self.backend.gpu_records(window or self.extent())

    def ranges(self) -> list[Span]:
        """Every named range (stages, KV events, I/O, other annotations) in time order."""
        return self.backend.ranges()

    def lanes(self, window: Window) -> tuple[Lane, ...] | None:
        """Spans overlapping ``window`` grouped into the lanes of ``LANE_ORDER`` (empty lanes left
        out; kernels of several streams in a lane per stream, ``stream_lanes``); None when the window holds more than ``max_spans`` (never a silently cut timeline)."""
        spans = self.backend.spans(window, self.max_spans + 1)
        if len(spans) > self.max_spans:
            return None
        if any(s.lane == "Stages" for s in spans):
            from .stages import counted_once

            spans = counted_once(spans, self.nested_stages())
        by_lane: dict[str, list[Span]] = {}
        for span in spans:
            by_lane.setdefault(span.lane, []).append(span)
        kernels = [s for name in KERNEL_LANES for s in by_lane.get(name, ())]
        if len({(s.device, s.stream) for s in kernels}) < 2:
            return tuple(Lane(name, tuple(by_lane[name])) for name in LANE_ORDER if name in by_lane)
        out: list[Lane] = []
        for name in LANE_ORDER:
            if name == KERNEL_LANES[0]:
                out.extend(stream_lanes(kernels))
            elif name in by_lane and name not in KERNEL_LANES:
                out.append(Lane(name, tuple(by_lane[name])))
        return tuple(out)
