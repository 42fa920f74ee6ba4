"""Source kind ``metrics_snapshot``: a saved ``GET /metrics`` answer in either shape: trtllm-serve's JSON
iteration stats (value: ``MetricsSnapshot``) or Prometheus text of trtllm-serve, vLLM, SGLang or Triton
(value: ``PrometheusMetrics``, with histogram percentiles that state their bucket)."""

from __future__ import annotations

from ..metrics import parse_metrics
from tfeic.sources import SOURCES, FileSource


@SOURCES.register
class MetricsSnapshotSource(FileSource):
    name = "metrics_snapshot"
    summary = ("A saved /metrics answer: trtllm-serve JSON iteration stats, or Prometheus text (trtllm-serve, vLLM, "
               "SGLang, Triton) with histogram percentiles.")
    what = "metrics file"
    path_help = "JSON array of iteration-stats items (or JSON Lines), or Prometheus text exposition."
    parse = staticmethod(parse_metrics)
