"""Per-kernel statistics as ``nsys stats -r cuda_gpu_kern_sum`` prints them, and totals per class.

nsys's report (``reports/cuda_gpu_kern_sum.py`` of Nsight Systems 2024: ``sum``, ``count``, ``avg``,
``median``, ``min``, ``max`` and ``stdev`` of ``end - start`` grouped by kernel name, ordered by total
time) computes ``median`` and ``stdev`` in SQLite functions it loads. Their definitions show in its
output: two calls of 2,971,823 and 333,015,608 ns print Med 167,993,715.5 (the mean of the two
middle values) and StdDev 233,376,198.5, which is the *sample* standard deviation
(|a - b| / sqrt(2)); a single call prints StdDev 0.0. The same conventions are used here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable

from .taxonomy import CLASSES


@dataclass(frozen=True)
class KernelStat:
    """One kernel name's launches: durations in ns."""

    name: str
    cls: str
    count: int
    total_ns: int
    min_ns: int
    max_ns: int
    median_ns: float
    stddev_ns: float

    @property
    def mean_ns(self) -> float:
        return self.total_ns / self.count

    @classmethod
    def of(cls, name: str, kernel_class: str, durations: list[int]) -> "KernelStat":
        """From the durations of every launch, sorted ascending (at least one)."""
        n, total = len(durations), sum(durations)
        mid = n // 2
        median = float(durations[mid]) if n % 2 else (durations[mid - 1] + durations[mid]) / 2
        mean = total / n
        stddev = math.sqrt(sum((d - mean) ** 2 for d in durations) / (n - 1)) if n > 1 else 0.0
        return cls(name, kernel_class, n, total, durations[0], durations[-1], median, stddev)

    def as_dict(self, all_kernels_ns: int) -> dict:
        return {
            "name": self.name, "class": self.cls, "count": self.count, "total_ns": self.total_ns,
            "mean_ns": round(self.mean_ns, 1), "median_ns": round(self.median_ns, 1), "min_ns": self.min_ns,
            "max_ns": self.max_ns, "stddev_ns": round(self.stddev_ns, 1),
            "share": round(self.total_ns / all_kernels_ns, 6) if all_kernels_ns else 0.0,
        }


@dataclass(frozen=True)
class ClassStat:
    cls: str
    count: int
    total_ns: int
    kernels: int  # distinct names


@dataclass(frozen=True)
class KernelStats:
    """Every kernel name's statistics (most GPU time first, then name) and the totals per class."""

    kernels: tuple[KernelStat, ...]

    @classmethod
    def of(cls, groups: Iterable[tuple[str, str, list[int]]]) -> "KernelStats":
        """From ``(name, class, sorted durations)`` groups, each name once."""
        stats = [KernelStat.of(name, kernel_class, durations) for name, kernel_class, durations in groups if durations]
        return cls(tuple(sorted(stats, key=lambda k: (-k.total_ns, k.name))))

    @property
    def total_ns(self) -> int:
        return sum(k.total_ns for k in self.kernels)

    def classes(self) -> tuple[ClassStat, ...]:
        """Totals per class with any kernel, in ``CLASSES`` order."""
        acc: dict[str, list[int]] = {}
        for k in self.kernels:
            g = acc.setdefault(k.cls, [0, 0, 0])
            g[0] += k.count
            g[1] += k.total_ns
            g[2] += 1
        return tuple(ClassStat(c, *acc[c]) for c in CLASSES if c in acc)

    def as_dict(self) -> dict:
        total = self.total_ns
        return {
            "classes": [{"class": c.cls, "count": c.count, "total_ns": c.total_ns, "kernels": c.kernels,
                         "share": round(c.total_ns / total, 6) if total else 0.0} for c in self.classes()],
            "stats": [k.as_dict(total) for k in self.kernels],
        }
