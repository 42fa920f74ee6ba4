"""One benchmark run, whatever tool wrote it, and several runs loaded as one comparison.

A run holds the tool's per-request records where it wrote them (``records``: metric -> samples)
and the tool's own summary figures (``summary``: metric -> statistic -> value). ``figure`` answers
"TTFT p99 of this run" from the records when there are any, else from the summary, and says which.
Metric names are the same for every tool where the quantity is the same (``METRICS``); a metric
only one tool reports keeps that tool's name.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Mapping

from ...core.percentiles import METHOD, compute, stat_name


class BenchError(Exception):
    """A benchmark file or a request for a figure that cannot be answered; ``line`` 0 = the file."""

    def __init__(self, message: str, path: str = "", line: int = 0, hint: str | None = None):
        super().__init__(message)
        self.message, self.path, self.line, self.hint = message, path, line, hint


@dataclass(frozen=True)
class MetricInfo:
    label: str
    better: str  # "lower" | "higher" | "" (neither: a count, a length)


#: the metrics every reader maps its tool's names onto
METRICS: dict[str, MetricInfo] = {
    "ttft": MetricInfo("TTFT", "lower"),
    "tpot": MetricInfo("TPOT", "lower"),
    "itl": MetricInfo("ITL", "lower"),
    "e2e": MetricInfo("request latency", "lower"),
    "input_tokens": MetricInfo("input tokens", ""),
    "output_tokens": MetricInfo("output tokens", ""),
    "start_ns": MetricInfo("request start", ""),
    "request_throughput": MetricInfo("request throughput", "higher"),
    "output_throughput": MetricInfo("output token throughput", "higher"),
    "total_token_throughput": MetricInfo("total token throughput", "higher"),
    "duration": MetricInfo("benchmark duration", "lower"),
    "request_count": MetricInfo("requests", ""),
    "error_count": MetricInfo("failed requests", "lower"),
}


def metric_info(metric: str) -> MetricInfo:
    return METRICS.get(metric, MetricInfo(metric.replace("_", " "), ""))


@dataclass(frozen=True)
class Figure:
    """One number of a run and where it came from: ``count`` records, or the tool's summary (0)."""

    value: float
    unit: str
    count: int

    @property
    def origin(self) -> str:
        return f"computed from {self.count} records" if self.count else "the tool's summary"


@dataclass(frozen=True)
class ProfileRow:
    """One row of an ``nsys stats`` summary report: a kernel, an API call or a memory operation."""

    name: str
    share_pct: float
    total_ns: float
    count: int
    avg_ns: float
    med_ns: float
    min_ns: float
    max_ns: float
    std_ns: float


@dataclass(frozen=True)
class BenchRun:
    tool: str  # "AIPerf", "trtllm-bench", "nsys stats"
    files: tuple[str, ...]
    records: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    summary: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    units: Mapping[str, str] = field(default_factory=dict)
    info: Mapping[str, str] = field(default_factory=dict)  # model, tool version, settings as written
    report: str = ""  # nsys stats: the report's name, e.g. cuda_gpu_kern_sum
    profile: tuple[ProfileRow, ...] = ()

    @property
    def metrics(self) -> list[str]:
        return sorted(set(self.records) | set(self.summary))

    def figure(self, metric: str, stat: str) -> Figure:
        """``stat`` of ``metric``: computed from the records when the run has them (percentiles by
        ``percentiles.METHOD``), else the tool's own figure. BenchError names what the run has."""
        name = stat_name(stat)
        if name is None:
            raise BenchError(f"'{stat}' is not a statistic", hint="use mean, median, min, max, std or pNN (p99, p99.9)")
        unit = self.units.get(metric, "")
        samples = self.records.get(metric)
        if samples:
            return Figure(compute(samples, name), unit, len(samples))
        figures = self.summary.get(metric)
        if figures is None:
            raise BenchError(f"{self.tool} run {self.where} has no '{metric}'",
                             hint=f"it has: {', '.join(self.metrics) or 'no metrics'}")
        if name not in figures or not math.isfinite(figures[name]):
            raise BenchError(f"{self.tool} run {self.where} has no per-request records of '{metric}' and its "
                             f"summary has no {name}", hint=f"its summary has: {', '.join(sorted(figures))}")
        return Figure(figures[name], unit, 0)

    @property
    def where(self) -> str:
        return " + ".join(self.files)

    @property
    def method(self) -> str:
        return METHOD


@dataclass(frozen=True)
class BenchSet:
    """The runs of one ``bench`` source, in deck order: one run, A vs B, or a sweep whose runs each
    have a numeric ``values[label]`` of ``parameter`` (e.g. batch size 1, 4, 8, 64)."""

    runs: Mapping[str, BenchRun]
    parameter: str = ""
    unit: str = ""
    values: Mapping[str, float] = field(default_factory=dict)
    origin: str = ""  # where the files came from, as the deck says

    @property
    def num_runs(self) -> int:
        return len(self.runs)
