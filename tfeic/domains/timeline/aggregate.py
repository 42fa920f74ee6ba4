"""Grouped totals -> ``Summary``, shared by every format.

Both backends first reduce a trace to totals per *distinct raw name* (SQL ``GROUP BY`` for nsys
exports, a dict while streaming JSON); only then are the few distinct names classified by the rules.
That keeps the per-event work to one dict update and makes summaries of every format agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import COPY_DIRECTIONS, CopyStat, Stat, Summary, Window
from .rules import Rules

TOP_KERNELS = 10
TOP_OTHER_RANGES = 20

#: Chrome/Kineto memcpy names ("Memcpy DtoH (Device -> Pinned)") and CUPTI copyKind numbers -> direction
CUPTI_COPY_KIND = {1: "HtoD", 2: "DtoH", 8: "DtoD", 10: "PtoP", 11: "HtoD", 12: "DtoH", 13: "DtoD"}


def direction_of_name(name: str) -> str:
    parts = name.split()
    token = parts[1] if len(parts) > 1 and parts[0].lower() == "memcpy" else ""
    return token if token in COPY_DIRECTIONS else "other"


@dataclass
class Groups:
    """Totals per raw name. Values are mutable ``[count, total_ns]`` (copies: ``[count, bytes, total_ns]``)
    lists so the streaming hot loop updates them in place."""

    kernels: dict[str, list] = field(default_factory=dict)
    ranges: dict[str, list] = field(default_factory=dict)
    copies: dict[str, list] = field(default_factory=dict)
    osrt: dict[str, list] = field(default_factory=dict)

    def merge(self, table: dict[str, list], name: str, count: int, total: int) -> None:
        g = table.setdefault(name, [0, 0])
        g[0] += count
        g[1] += total

    def add_copy(self, direction: str, nbytes: int, dur: int) -> None:
        g = self.copies.get(direction)
        if g is None:
            self.copies[direction] = [1, nbytes, dur]
        else:
            g[0] += 1
            g[1] += nbytes
            g[2] += dur


def _sorted_stats(acc: dict[tuple[str, str], list]) -> tuple[Stat, ...]:
    stats = [Stat(name, c, t, kind) for (name, kind), (c, t) in acc.items()]
    return tuple(sorted(stats, key=lambda s: (-s.total_ns, s.name)))


def build_summary(fmt: str, window: Window, groups: Groups, rules: Rules) -> Summary:
    stages: dict[tuple[str, str], list] = {}
    others: dict[tuple[str, str], list] = {}
    kv: dict[tuple[str, str], list] = {}
    io: dict[tuple[str, str], list] = {}
    lanes: dict[tuple[str, str], list] = {}

    def bump(acc: dict, key: tuple[str, str], count: int, total: int) -> None:
        g = acc.setdefault(key, [0, 0])
        g[0] += count
        g[1] += total

    for name, (count, total) in groups.ranges.items():
        c = rules.range(name)
        target = {"kv": kv, "io": io, "range": others}.get(c.cls, stages)
        bump(target, (c.label, "" if target is not stages else c.cls), count, total)
        if c.lane:
            bump(lanes, (c.lane, ""), count, total)
    kernels: dict[tuple[str, str], list] = {}
    for name, (count, total) in groups.kernels.items():
        c = rules.kernel(name)
        bump(kernels, (name, {"kernel": "other", "kv": "kv_write"}.get(c.cls, c.cls)), count, total)
        if c.cls == "kv":
            bump(kv, (c.label, ""), count, total)
        assert c.lane is not None  # every kernel class is drawn in a lane
        bump(lanes, (c.lane, ""), count, total)
    for name, (count, total) in groups.osrt.items():
        c = rules.osrt(name)
        if c.cls == "io":
            bump(io, (c.label, ""), count, total)
            bump(lanes, ("I/O", ""), count, total)
    copies = []
    for direction in COPY_DIRECTIONS:
        if direction in groups.copies:
            count, nbytes, total = groups.copies[direction]
            copies.append(CopyStat(direction, count, nbytes, total))
            lane = f"Copies {direction}" if direction in ("HtoD", "DtoH") else "Copies other"
            bump(lanes, (lane, ""), count, total)
    other_stats = tuple(Stat(s.name, s.count, s.total_ns, "other") for s in _sorted_stats(others)[:TOP_OTHER_RANGES])
    kernel_stats = _sorted_stats(kernels)
    return Summary(
        format=fmt,
        window=window,
        stages=_sorted_stats(stages) + other_stats,
        kernel_count=sum(k.count for k in kernel_stats),
        kernel_total_ns=sum(k.total_ns for k in kernel_stats),
        top_kernels=kernel_stats[:TOP_KERNELS],
        copies=tuple(copies),
        kv_events=_sorted_stats(kv),
        io=_sorted_stats(io),
        lanes=_sorted_stats(lanes),
        kernels=kernel_stats,
    )
