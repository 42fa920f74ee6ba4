"""GPU utilisation in a window: per device and per stream, busy versus idle time, the busy time split
into compute, communication and memory, and how much communication overlaps compute.

Definitions (docs/utilisation.md sets them next to HolisticTraceAnalysis's, whose
``hta/analyzers/breakdown_analysis.py`` and ``communication_analysis.py`` were read):
every kernel, copy and memset is an interval clipped to the window; a set of intervals counts as the length of
their union, so two streams running at once count once. ``busy`` is the union of everything on the
device, ``idle = window - busy``; ``compute`` the union of kernels of the compute classes (all but
communication and memory), ``communication`` the union of communication kernels, ``memory`` the union of
memory kernels, copies and memsets; ``overlap`` is the length of compute ∩ communication.
"""

from __future__ import annotations

from dataclasses import dataclass
from .model import Window

#: kernel classes that are not compute; every other class is
NOT_COMPUTE = {"communication": "communication", "memory": "memory"}


class RunningUnion:
    """The length of the union of intervals that arrive in start order, in O(1) memory: the
    current run is extended while the next interval starts inside it, and counted when one does not."""

    __slots__ = ("start", "end", "closed", "count")

    def __init__(self) -> None:
        self.start = self.end = self.closed = self.count = 0

    def add(self, start: int, end: int) -> None:
        self.count += 1
        if self.count == 1 or start > self.end:
            self.closed += self.end - self.start
            self.start, self.end = start, end
        elif end > self.end:
            self.end = end

    @property
    def length(self) -> int:
        return self.closed + self.end - self.start


def id_order(ident: str) -> tuple[int, int, str]:
    """Device and stream ids in numeric order when they are numbers ("2" before "10")."""
    return (0, int(ident), "") if ident.isdigit() else (1, 0, ident)


#: the running unions kept per device and per stream ("compute|communication" measures the overlap)
KINDS = ("busy", "compute", "communication", "memory", "compute|communication")


@dataclass(frozen=True)
class Breakdown:
    """One device's or one stream's time in the window: the unions of its intervals by kind."""

    window_ns: int
    busy_ns: int
    compute_ns: int
    communication_ns: int
    memory_ns: int
    overlap_ns: int
    count: int  # intervals counted (kernels and copies with time in the window)

    @property
    def idle_ns(self) -> int:
        return self.window_ns - self.busy_ns

    def exclusive(self) -> tuple[tuple[str, int], ...]:
        """The window cut into disjoint parts that add up to it, what a stacked bar draws: compute
        without communication (memory may run beside it), compute with communication (the overlap),
        communication alone, memory alone (copies, memsets and memory kernels while neither runs), idle."""
        either = self.compute_ns + self.communication_ns - self.overlap_ns  # |compute ∪ communication|
        return (("compute", self.compute_ns - self.overlap_ns), ("overlap", self.overlap_ns),
                ("communication", self.communication_ns - self.overlap_ns), ("memory", self.busy_ns - either),
                ("idle", self.idle_ns))


@dataclass(frozen=True, kw_only=True)
class StreamUtilisation(Breakdown):
    stream: str


@dataclass(frozen=True, kw_only=True)
class DeviceUtilisation(Breakdown):
    device: str
    streams: tuple[StreamUtilisation, ...]

    def as_dict(self) -> dict:
        w = self.window_ns or 1
        return {
            "device": self.device, "window_ns": self.window_ns, "busy_ns": self.busy_ns, "idle_ns": self.idle_ns,
            "compute_ns": self.compute_ns, "communication_ns": self.communication_ns, "memory_ns": self.memory_ns,
            "overlap_ns": self.overlap_ns, "busy_share": round(self.busy_ns / w, 6),
            "overlap_share": round(self.overlap_ns / self.communication_ns, 6) if self.communication_ns else 0.0,
            "streams": [{"stream": s.stream, "count": s.count, "busy_ns": s.busy_ns, "idle_ns": s.idle_ns}
                        for s in self.streams],
        }


class Unions:
    """The running unions of one device or stream, one per kind of ``KINDS``."""

    __slots__ = ("runs",)

    def __init__(self) -> None:
        self.runs = {k: RunningUnion() for k in KINDS}

    def add(self, kind: str, start: int, end: int) -> None:
        runs = self.runs
        runs["busy"].add(start, end)
        runs[kind].add(start, end)
        if kind != "memory":
            runs["compute|communication"].add(start, end)

    def lengths(self, window_ns: int) -> dict[str, int]:
        """The ``Breakdown`` fields; compute ∩ communication is measured as
        |compute| + |communication| - |compute ∪ communication|."""
        r = {k: v.length for k, v in self.runs.items()}
        return {"window_ns": window_ns, "busy_ns": r["busy"], "compute_ns": r["compute"], "communication_ns": r["communication"],
                "memory_ns": r["memory"], "overlap_ns": r["compute"] + r["communication"] - r["compute|communication"],
                "count": self.runs["busy"].count}


def utilisation(records: list[tuple[str, str, str, int, int]], window: Window) -> tuple[DeviceUtilisation, ...]:
    """From ``(device, stream, class, start, end)`` records (times relative to the trace origin; class
    a kernel class, or ``memory`` for a copy), one entry per device, in device order, each with its
    streams in stream order. One pass in start order (``records`` is sorted in place)."""
    records.sort(key=lambda r: r[3])
    lo, hi = window.start_ns, window.end_ns
    devices: dict[str, Unions] = {}
    streams: dict[tuple[str, str], Unions] = {}
    for device, stream, cls, start, end in records:
        start, end = max(start, lo), min(end, hi)
        if end <= start:  # outside the window, or an instant: no time to count
            continue
        kind = NOT_COMPUTE.get(cls, "compute")
        for unions in (devices.get(device) or devices.setdefault(device, Unions()),
                       streams.get((device, stream)) or streams.setdefault((device, stream), Unions())):
            unions.add(kind, start, end)
    w = window.duration_ns
    return tuple(
        DeviceUtilisation(**devices[device].lengths(w), device=device,
                          streams=tuple(StreamUtilisation(**u.lengths(w), stream=st)
                                        for (d, st), u in sorted(streams.items(), key=lambda kv: id_order(kv[0][1])) if d == device))
        for device in sorted(devices, key=id_order))
