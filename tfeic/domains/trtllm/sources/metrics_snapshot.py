"""Source kind ``metrics_snapshot``: saved ``GET /metrics`` iteration stats (value: ``MetricsSnapshot``)."""

from __future__ import annotations

from ..metrics import parse_metrics
from tfeic.sources import SOURCES, FileSource


@SOURCES.register
class MetricsSnapshotSource(FileSource):
    name = "metrics_snapshot"
    summary = "trtllm-serve /metrics iteration stats (kvCacheStats, kvCacheIterationStats) saved as JSON."
    what = "metrics file"
    path_help = "JSON array of iteration-stats items (or JSON Lines)."
    parse = staticmethod(parse_metrics)
