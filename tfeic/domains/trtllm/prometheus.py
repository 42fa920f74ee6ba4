"""``/metrics`` as Prometheus text exposition (trtllm-serve, vLLM, SGLang, Triton), histograms included.

The text is read with ``prometheus_client.parser.text_string_to_metric_families`` (the Prometheus
project's own Python client), never by hand. Samples keep their labels; a histogram family's
series (one per label set) are summed bucket by bucket, as ``sum by (le) (...)`` does in PromQL, so
a server that labels by model or engine gives one distribution.

Percentiles from a histogram are estimates, and the slide says so by stating the bucket:
``quantile`` follows Prometheus' ``histogram_quantile`` (``bucketQuantile`` in
``promql/quantile.go`` of prometheus/prometheus): buckets sorted by upper bound, cumulative counts
forced monotonic, rank = q x observations, the first bucket whose count reaches the rank holds the
quantile, and the value is interpolated linearly inside it (from 0 for the first bucket); a rank
past the highest finite bound returns that bound, which then is only a lower limit. The estimate's
``text`` states the bucket: ``p99 <= 0.5 s (bucket 0.25-0.5 s)`` or ``p99 > 30 s (bucket 30 s-+Inf)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ...core.diagnostics import Diagnostic, MissingData, Pos, SourceError
from ...core.plain import template_method

UNITS = (("_seconds", "s"), ("_bytes", "B"))


@dataclass(frozen=True)
class Bucket:
    upper: float  # the ``le`` bound; math.inf for +Inf
    count: float  # cumulative observations <= upper


@dataclass(frozen=True)
class QuantileEstimate:
    """A percentile of a histogram: the interpolated ``value`` and the bucket it lies in."""

    metric: str
    q: float
    value: float  # what histogram_quantile returns
    lower: float  # the bucket's lower bound
    upper: float  # its upper bound; math.inf when the rank lies past every finite bucket
    observations: float
    unit: str

    @property
    def label(self) -> str:
        return f"p{self.q * 100:g}"

    @property
    def text(self) -> str:
        u = f" {self.unit}" if self.unit else ""
        if math.isinf(self.upper):
            return f"{self.label} > {self.lower:g}{u} (bucket {self.lower:g}{u}-+Inf)"
        return f"{self.label} <= {self.upper:g}{u} (bucket {self.lower:g}-{self.upper:g}{u})"


@dataclass(frozen=True)
class Histogram:
    name: str
    buckets: tuple[Bucket, ...]  # sorted by bound, ending with +Inf, counts monotonic
    total: float  # observations (the +Inf bucket)
    sum: float | None
    unit: str

    def quantile(self, q: float) -> QuantileEstimate:
        """``histogram_quantile(q, ...)`` with the bucket it came from (see the module docstring)."""
        if not 0 <= q <= 1:
            raise ValueError(f"a quantile is between 0 and 1, not {q}")
        rank = q * self.total
        finite = self.buckets[:-1]
        b = next((i for i, bucket in enumerate(finite) if bucket.count >= rank), len(finite))
        if b == len(finite):  # past the highest finite bound: Prometheus returns that bound
            top = finite[-1].upper if finite else 0.0
            return QuantileEstimate(self.name, q, top, top, math.inf, self.total, self.unit)
        bucket = finite[b]
        if b == 0 and bucket.upper <= 0:
            return QuantileEstimate(self.name, q, bucket.upper, bucket.upper, bucket.upper, self.total, self.unit)
        start, below = (finite[b - 1].upper, finite[b - 1].count) if b > 0 else (0.0, 0.0)
        inside = bucket.count - below
        value = start + (bucket.upper - start) * ((rank - below) / inside) if inside else bucket.upper
        return QuantileEstimate(self.name, q, value, start, bucket.upper, self.total, self.unit)


@dataclass(frozen=True)
class PrometheusMetrics:
    """The value of a ``metrics_snapshot`` source holding Prometheus text."""

    path: str
    samples: tuple[tuple[str, tuple[tuple[str, str], ...], float], ...]  # (name, labels, value)
    histograms: dict[str, Histogram]

    @template_method  # {{ sources.m.value('nv_trt_llm_kv_cache_block_metrics', kv_cache_block_type='max') }}
    def value(self, name: str, **labels: str) -> float:
        """A sample's value, summed over the label sets that have every given label."""
        wanted = set(labels.items())
        found = [v for n, have, v in self.samples if n == name and wanted <= set(have)]
        if not found:
            selector = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
            raise MissingData(Diagnostic(f"{self.path} has no sample {name}{{{selector}}}" if labels else
                                         f"{self.path} has no sample named '{name}'", Pos(self.path)))
        return sum(found)

    @template_method  # {{ sources.m.quantile('sglang:time_to_first_token_seconds', 0.99).text }}
    def quantile(self, name: str, q: float) -> QuantileEstimate:
        if name not in self.histograms:
            known = ", ".join(sorted(self.histograms)) or "none"
            raise MissingData(Diagnostic(f"{self.path} has no histogram '{name}'", Pos(self.path),
                                         f"its histograms: {known}"))
        histogram = self.histograms[name]
        if histogram.total == 0 or len(histogram.buckets) < 2:
            raise MissingData(Diagnostic(f"{self.path}: histogram '{name}' has no observations in a finite bucket "
                                         "(histogram_quantile is NaN)", Pos(self.path)))
        return histogram.quantile(q)


def _unit(name: str) -> str:
    return next((unit for suffix, unit in UNITS if name.endswith(suffix)), "")


def _families(path: str, text: str) -> list[Any]:
    from prometheus_client.parser import text_string_to_metric_families

    try:
        return list(text_string_to_metric_families(text))
    except (ValueError, TypeError, IndexError):
        raise SourceError(_first_bad_line(path, text)) from None


def _first_bad_line(path: str, text: str) -> Diagnostic:
    """The parser names no line: parse line by line to find the first it refuses."""
    from prometheus_client.parser import text_string_to_metric_families

    for lineno, line in enumerate(text.splitlines(), 1):
        if line.strip() and not line.lstrip().startswith("#"):
            try:
                list(text_string_to_metric_families(line + "\n"))
            except (ValueError, TypeError, IndexError):
                shown = line if len(line) <= 60 else line[:59] + "\u2026"
                return Diagnostic(f"not a Prometheus sample line: {shown!r}", Pos(path, lineno, 1))
    return Diagnostic("not Prometheus text exposition (a # TYPE or # HELP line is malformed)", Pos(path, 1, 1))


def _line_of(text: str, name: str) -> int:
    for lineno, line in enumerate(text.splitlines(), 1):
        if line.startswith(name):
            return lineno
    return 1


def _bound(path: str, text: str, sample: Any) -> float:
    """A bucket's ``le`` bound as a number ("+Inf" included); a bucket without one, or with text,
    is an error at the first line of that bucket series."""
    raw = sample.labels.get("le")
    try:
        return float(raw)
    except (TypeError, ValueError):
        problem = "has no le label" if raw is None else f"le={raw!r} is not a number"
        raise SourceError(Diagnostic(f"{sample.name}: {problem}", Pos(path, _line_of(text, sample.name), 1),
                                     'a bucket is <name>_bucket{le="<number or +Inf>"} <count>')) from None


def _histogram(path: str, text: str, family: Any) -> Histogram:
    counts: dict[float, float] = {}
    total_sum: float | None = None
    for sample in family.samples:
        if sample.name.endswith("_bucket"):
            bound = _bound(path, text, sample)
            counts[bound] = counts.get(bound, 0.0) + sample.value
        elif sample.name.endswith("_sum"):
            total_sum = (total_sum or 0.0) + sample.value
    pos = Pos(path, _line_of(text, family.name + "_bucket"), 1)
    if math.inf not in counts:
        raise SourceError(Diagnostic(f"histogram {family.name} has no le=\"+Inf\" bucket", pos,
                                     "histogram_quantile needs it: it holds the number of observations"))
    if any(math.isnan(b) or math.isnan(c) or c < 0 for b, c in counts.items()):
        raise SourceError(Diagnostic(f"histogram {family.name} has a NaN bound or a negative or NaN count", pos))
    buckets, highest = [], 0.0
    for bound in sorted(counts):
        highest = max(highest, counts[bound])  # Prometheus' ensureMonotonic
        buckets.append(Bucket(bound, highest))
    return Histogram(family.name, tuple(buckets), buckets[-1].count, total_sum, _unit(family.name))


def parse_prometheus(path: str, text: str) -> PrometheusMetrics:
    """Every sample, and every histogram family (``# TYPE x histogram``) ready for quantiles."""
    families = _families(path, text)
    samples = []
    histograms = {}
    for family in families:
        if family.type == "histogram":
            histograms[family.name] = _histogram(path, text, family)
        for s in family.samples:
            if not math.isfinite(s.value):
                raise SourceError(Diagnostic(f"{s.name}: the value is not finite", Pos(path, _line_of(text, s.name), 1)))
            samples.append((s.name, tuple(sorted(s.labels.items())), float(s.value)))
    if not samples:
        raise SourceError(Diagnostic("no samples: an empty /metrics answer", Pos(path, 1, 1),
                                     "was the server started with metrics enabled?"))
    return PrometheusMetrics(path, tuple(samples), histograms)
