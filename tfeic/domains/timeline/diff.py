"""A vs B: two traces (or two trace sets) compared per stage, per kernel class and per kernel.

Each side is reduced to totals per name first (``Side``): one trace's summary, or the per-rank
mean of a set's summaries, so a set of 8 ranks compares with a set of 4 (or with one trace) rank
for rank. Every row carries both values, the absolute delta (B - A) and the relative one
((B - A) / A, None when A is 0). Kernels present on one side only are listed as new (only in B)
or vanished (only in A): what a change of attention backend or of fusion shows first.

Kernel classes come from the taxonomy each side was read with (``Timeline.taxonomy``,
``TraceSet.taxonomy``): a deck's and theme's ``kernel_classes`` before the shipped rules, so a
comparison's class rows agree with the same deck's kernel slides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from .model import Stat, Summary
from .taxonomy import DEFAULT, Taxonomy

TOP = 10  # kernels shown by default: the largest by time on either side


@dataclass(frozen=True)
class Side:
    """One side of a comparison: a label (the path as shown), how many ranks it averages, the time
    it spans, per-rank-mean ``(count, total_ns)`` per stage and per kernel (name -> kind, values),
    and the kernel taxonomy its trace was read with."""

    label: str
    ranks: int
    span_ns: float
    stages: dict[str, tuple[str, float, float]]
    kernels: dict[str, tuple[str, float, float]]
    taxonomy: Taxonomy = DEFAULT

    @property
    def kernel_ns(self) -> float:
        return sum(total for _, _, total in self.kernels.values())


def _mean(stats: Iterable[Stat], n: int) -> dict[str, tuple[str, float, float]]:
    """Per-rank mean (kind, count, total_ns) per name over ``n`` ranks' stats."""
    acc: dict[str, list] = {}
    for s in stats:
        g = acc.setdefault(s.name, [s.kind, 0, 0])
        g[1] += s.count
        g[2] += s.total_ns
    return {name: (kind, count / n, total / n) for name, (kind, count, total) in acc.items()}


def side_of(label: str, summaries: list[Summary], taxonomy: Taxonomy = DEFAULT) -> Side:
    """A side from one summary or a set's summaries (per-rank means), read with ``taxonomy``."""
    n = len(summaries)
    return Side(label, n, sum(s.window.duration_ns for s in summaries) / n,
                _mean((st for s in summaries for st in s.stages), n),
                _mean((k for s in summaries for k in s.kernels), n), taxonomy)


@dataclass(frozen=True)
class Delta:
    """One compared row: its name, kind (stage kind or kernel class), both sides' count and time."""

    name: str
    kind: str
    a_count: float
    a_ns: float
    b_count: float
    b_ns: float

    @property
    def delta_ns(self) -> float:
        return self.b_ns - self.a_ns

    @property
    def ratio(self) -> float | None:
        """(B - A) / A; None when A is 0 (a new row has no relative change)."""
        return self.delta_ns / self.a_ns if self.a_ns else None

    @property
    def status(self) -> str:
        """both | new (only in B) | vanished (only in A)."""
        if not self.a_count:
            return "new"
        return "vanished" if not self.b_count else "both"

    def as_dict(self) -> dict:
        ratio = self.ratio
        return {"name": self.name, "kind": self.kind, "status": self.status,
                "a": {"count": round(self.a_count, 3), "total_ns": round(self.a_ns, 1)},
                "b": {"count": round(self.b_count, 3), "total_ns": round(self.b_ns, 1)},
                "delta_ns": round(self.delta_ns, 1), "delta_ratio": None if ratio is None else round(ratio, 6)}


def _rows(a: dict[str, tuple[str, float, float]], b: dict[str, tuple[str, float, float]]) -> list[Delta]:
    """A row per name on either side, the larger side's time first (then by name: deterministic)."""
    rows = []
    for name in a.keys() | b.keys():
        ka, ca, ta = a.get(name, ("", 0.0, 0.0))
        kb, cb, tb = b.get(name, ("", 0.0, 0.0))
        rows.append(Delta(name, ka or kb, ca, ta, cb, tb))
    return sorted(rows, key=lambda d: (-max(d.a_ns, d.b_ns), d.name))


def _classified(kernels: dict[str, tuple[str, float, float]], classify: Callable[[str], str]) -> dict[str, tuple[str, float, float]]:
    return {name: (classify(name), count, total) for name, (_, count, total) in kernels.items()}


def _by_class(kernels: dict[str, tuple[str, float, float]]) -> dict[str, tuple[str, float, float]]:
    acc: dict[str, list[float]] = {}
    for cls, count, total in kernels.values():
        g = acc.setdefault(cls, [0.0, 0.0])
        g[0] += count
        g[1] += total
    return {cls: (cls, count, total) for cls, (count, total) in acc.items()}


@dataclass(frozen=True)
class TraceDiff:
    """Everything ``tfeic trace diff`` and the ``trace_diff`` slide show."""

    a: Side
    b: Side
    totals: tuple[Delta, ...]  # trace span, kernel time
    stages: tuple[Delta, ...]
    classes: tuple[Delta, ...]
    kernels: tuple[Delta, ...]  # the top kernels of either side
    new: tuple[Delta, ...]  # kernels only in B, largest first
    vanished: tuple[Delta, ...]  # kernels only in A, largest first

    def as_dict(self) -> dict:
        """The documented JSON contract: schemas/trace-diff.schema.json."""
        def rows(ds: tuple[Delta, ...]) -> list[dict]:
            return [d.as_dict() for d in ds]

        return {"a": {"label": self.a.label, "ranks": self.a.ranks}, "b": {"label": self.b.label, "ranks": self.b.ranks},
                "totals": rows(self.totals), "stages": rows(self.stages), "classes": rows(self.classes),
                "kernels": rows(self.kernels), "new": rows(self.new), "vanished": rows(self.vanished)}


def compare(a: Side, b: Side, top: int = TOP) -> TraceDiff:
    """B against A, each side's kernels classified by the taxonomy it was read with."""
    ka, kb = _classified(a.kernels, a.taxonomy.classify), _classified(b.kernels, b.taxonomy.classify)
    kernels = _rows(ka, kb)
    totals = (Delta("trace span", "", 1.0, a.span_ns, 1.0, b.span_ns),
              Delta("kernel time", "", sum(c for _, c, _ in ka.values()), a.kernel_ns, sum(c for _, c, _ in kb.values()), b.kernel_ns))
    return TraceDiff(a, b, totals, tuple(_rows(a.stages, b.stages)), tuple(_rows(_by_class(ka), _by_class(kb))),
                     tuple(kernels[:top]), tuple(d for d in kernels if d.status == "new"),
                     tuple(d for d in kernels if d.status == "vanished"))
