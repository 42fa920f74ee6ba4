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
from typing import Iterable

from .model import Window

#: kernel classes that are not compute; every other class is
NOT_COMPUTE = {"communication": "communication", "memory": "memory"}


def union(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, disjoint intervals covering the same points as ``intervals``."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def length(merged: list[tuple[int, int]]) -> int:
    return sum(e - s for s, e in merged)


def intersection_length(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    """Length of the intersection of two ``union`` results (two pointers)."""
    i = j = total = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        total += max(0, hi - lo)
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


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


def utilisation(records: Iterable[tuple[str, str, str, int, int]], window: Window) -> tuple[DeviceUtilisation, ...]:
    """From ``(device, stream, class, start, end)`` records (times relative to the trace origin; class
    a kernel class, or ``memory`` for a copy), one entry per device, in device order."""
    by_device: dict[str, dict[str, list[tuple[int, int]]]] = {}
    by_stream: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for device, stream, cls, start, end in records:
        start, end = max(start, window.start_ns), min(end, window.end_ns)
        if end <= start:  # outside the window, or an instant: no time to count
            continue
        kinds = by_device.setdefault(device, {"compute": [], "communication": [], "memory": []})
        kinds[NOT_COMPUTE.get(cls, "compute")].append((start, end))
        by_stream.setdefault((device, stream), []).append((start, end))
    out = []
    for device in sorted(by_device, key=id_order):
        kinds = {k: union(v) for k, v in by_device[device].items()}
        streams = tuple(StreamBusy(s, length(union(iv)), len(iv)) for (d, s), iv in sorted(by_stream.items(), key=lambda kv: id_order(kv[0][1])) if d == device)
        out.append(DeviceUtilisation(
            device, window.duration_ns, length(union(i for v in kinds.values() for i in v)),
            length(kinds["compute"]), length(kinds["communication"]), length(kinds["memory"]),
            intersection_length(kinds["compute"], kinds["communication"]), streams))
    return tuple(out)
