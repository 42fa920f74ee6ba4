"""Percentiles of per-request samples, computed the way the benchmark tools compute them.

Method: linear interpolation between closest ranks, numpy's default (``np.percentile`` with
``method="linear"``, Hyndman & Fan type 7). For ``n`` samples sorted ascending ``x[0..n-1]`` and a
percentile ``q``, the rank is ``h = (n - 1) * q / 100`` and the value ``x[i] + (h - i) * (x[i+1] - x[i])``
with ``i = floor(h)``. vLLM reports exactly this (``vllm/benchmarks/serve.py``, ``calculate_metrics``:
``np.percentile(ttfts or 0, p)``), as does AIPerf (``aiperf/metrics/metric_dicts.py``,
``MetricArray.to_result``: ``np.percentile(arr, [1, 5, 25, 50, 75, 90, 95, 99])``), so a figure
computed here from a run's records equals the tool's own summary of the same samples.
"""

from __future__ import annotations

import math
import re
from typing import Sequence

METHOD = "linear interpolation between closest ranks (numpy's default, as vLLM and AIPerf compute)"
_PERCENTILE = re.compile(r"p(\d{1,2}(?:\.\d+)?|100)")
#: names a deck may use for a statistic, and the tools' own spellings, -> one name each
ALIASES = {"mean": "avg", "average": "avg", "avg": "avg", "median": "p50", "min": "min", "max": "max",
           "minimum": "min", "maximum": "max", "std": "std", "stddev": "std"}


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0..100) of ``values`` (at least one), by the method of ``METHOD``."""
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (rank - low) * (ordered[high] - ordered[low])


def stat_name(text: str) -> str | None:
    """The one spelling of a statistic (``avg``, ``min``, ``max``, ``std`` or ``pXX``), or None."""
    text = text.strip().lower()
    if text in ALIASES:
        return ALIASES[text]
    match = _PERCENTILE.fullmatch(text)
    return f"p{float(match.group(1)):g}" if match else None


def quantile_of(stat: str) -> float | None:
    """99.0 for ``p99``; None for statistics that are not percentiles."""
    return float(stat[1:]) if stat.startswith("p") else None


def compute(values: Sequence[float], stat: str) -> float:
    """``stat`` (a ``stat_name``) of the samples: percentiles by ``percentile``; ``std`` is the
    population standard deviation (``np.std``, as AIPerf and vLLM report)."""
    q = quantile_of(stat)
    if q is not None:
        return percentile(values, q)
    if stat == "avg":
        return math.fsum(values) / len(values)
    if stat == "min":
        return min(values)
    if stat == "max":
        return max(values)
    mean = math.fsum(values) / len(values)
    return math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values))
