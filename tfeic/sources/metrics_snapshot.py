"""Source kind ``metrics_snapshot``: saved ``GET /metrics`` iteration stats (value: ``MetricsSnapshot``)."""

from __future__ import annotations

from ..spec.model import SourceSpec
from ..trtllm._json import read_text
from ..trtllm.metrics import MetricsSnapshot, parse_metrics
from . import SOURCES, ResolveContext, Source


@SOURCES.register
class MetricsSnapshotSource(Source):
    name = "metrics_snapshot"
    summary = "trtllm-serve /metrics iteration stats (kvCacheStats, kvCacheIterationStats) saved as JSON."
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["path"],
        "properties": {"path": {"type": "string", "description": "JSON array of iteration-stats items (or JSON Lines)."}},
    }

    def load(self, spec: SourceSpec, ctx: ResolveContext) -> MetricsSnapshot:
        path = ctx.path(spec, "path")
        return parse_metrics(path, read_text(path))

    def inputs(self, spec: SourceSpec, ctx: ResolveContext) -> list[str]:
        return [ctx.path(spec, "path")]
