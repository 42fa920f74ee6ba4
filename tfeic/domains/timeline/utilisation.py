"""GPU utilisation in a window: per device and per stream, busy versus idle time, the busy time split
into compute, communication and memory, and how much communication overlaps compute.

Definitions (docs/utilisation.md sets them next to HolisticTraceAnalysis's, whose
``hta/analyzers/breakdown_analysis.py`` and ``communication_analysis.py`` were read):
every kernel and copy is an interval clipped to the window; a set of intervals counts as the length of
their union, so two streams running at once count once. ``busy`` is the union of everything on the
device, ``idle = window - busy``; ``compute`` the union of kernels of the compute classes (all but
communication and memory), ``communication`` the union of communication kernels, ``memory`` the union of
memory kernels and copies; ``overlap`` is the length of compute ∩ communication.
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


@dataclass(frozen=True)
class StreamBusy:
    stream: str
    busy_ns: int
    count: int


@dataclass(frozen=True)
class DeviceUtilisation:
    device: str
    window_ns: int
    busy_ns: int
    compute_ns: int
    communication_ns: int
    memory_ns: int
    overlap_ns: int
    streams: tuple[StreamBusy, ...]

    @property
    def idle_ns(self) -> int:
        return self.window_ns - self.busy_ns

    def as_dict(self) -> dict:
        w = self.window_ns or 1
        return {
            "device": self.device, "window_ns": self.window_ns, "busy_ns": self.busy_ns, "idle_ns": self.idle_ns,
            "compute_ns": self.compute_ns, "communication_ns": self.communication_ns, "memory_ns": self.memory_ns,
            "overlap_ns": self.overlap_ns, "busy_share": round(self.busy_ns / w, 6),
            "overlap_share": round(self.overlap_ns / self.communication_ns, 6) if self.communication_ns else 0.0,
            "streams": [{"stream": s.stream, "count": s.count, "busy_ns": s.busy_ns, "idle_ns": self.window_ns - s.busy_ns}
                        for s in self.streams],
        }


def utilisation(records: list[tuple[str, str, str, int, int]], window: Window) -> tuple[DeviceUtilisation, ...]:
    """From ``(device, stream, class, start, end)`` records (times relative to the trace origin; class
    a kernel class, or ``memory`` for a copy), one entry per device, in device order. One pass in
    start order (``records`` is sorted in place); compute ∩ communication is measured as
    |compute| + |communication| - |compute ∪ communication|."""
    records.sort(key=lambda r: r[3])
    lo, hi = window.start_ns, window.end_ns
    devices: dict[str, dict[str, RunningUnion]] = {}
    streams: dict[tuple[str, str], RunningUnion] = {}
    for device, stream, cls, start, end in records:
        start, end = max(start, lo), min(end, hi)
        if end <= start:  # outside the window, or an instant: no time to count
            continue
        runs = devices.get(device)
        if runs is None:
            runs = devices[device] = {k: RunningUnion() for k in ("busy", "compute", "communication", "memory", "compute|communication")}
        kind = NOT_COMPUTE.get(cls, "compute")
        runs["busy"].add(start, end)
        runs[kind].add(start, end)
        if kind != "memory":
            runs["compute|communication"].add(start, end)
        run = streams.get((device, stream))
        if run is None:
            run = streams[(device, stream)] = RunningUnion()
        run.add(start, end)
    out = []
    for device in sorted(devices, key=id_order):
        r = {k: v.length for k, v in devices[device].items()}
        on_device = tuple(StreamBusy(st, run.length, run.count) for (d, st), run in sorted(streams.items(), key=lambda kv: id_order(kv[0][1]))
                          if d == device)
        out.append(DeviceUtilisation(device, window.duration_ns, r["busy"], r["compute"], r["communication"], r["memory"],
                                     r["compute"] + r["communication"] - r["compute|communication"], on_device))
    return tuple(out)
