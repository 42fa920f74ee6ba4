"""Source kind ``trace``: a profiler trace (nsys SQLite/.nsys-rep/.qdrep, Chrome/Kineto JSON, NVTX
JSON, nsys JSON) resolved to a ``tfeic.domains.timeline.Timeline``; the format is detected from content."""

from __future__ import annotations

from dataclasses import replace

from tfeic.core.limits import limit
from tfeic.deck.model import SourceSpec
from .. import Timeline, open_trace, synthetic_trace
from ..rules import RULES_SCHEMA, Rules
from tfeic.sources import SOURCES, ResolveContext, Source


@SOURCES.register
class TraceSource(Source):
    name = "trace"
    input_fields = ("path",)
    summary = "A profiler trace (Nsight Systems, Chrome/Kineto, NVTX JSON) as Gantt lanes and summaries."
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["path"],
        "properties": {
            "path": {"type": "string", "description": "Trace file, relative to the deck: .sqlite, .nsys-rep, .qdrep, .json(.gz), NVTX JSON."},
            "rules": RULES_SCHEMA,
            "seed": {"type": "integer", "description": "Seed of the synthetic twin used by --dry-run (default 0)."},
            "decode_steps": {"type": "integer", "minimum": 1, "description": "Decode steps in the synthetic twin (default 8)."},
        },
    }

    def load(self, spec: SourceSpec, ctx: ResolveContext) -> Timeline:
        timeline = open_trace(ctx.path(spec, "path"), Rules.from_options(spec.options.get("rules"), spec.pos_of("rules")), shown=spec.options["path"],
                              limits=ctx.limits)
        return replace(timeline, max_spans=limit(ctx.deck.options, "trace_spans"))

    def synthetic(self, spec: SourceSpec, ctx: ResolveContext) -> Timeline:
        rules = Rules.from_options(spec.options.get("rules"), spec.pos_of("rules"))
        return synthetic_trace(spec.options.get("seed", 0), spec.options.get("decode_steps", 8), rules)

    def inputs(self, spec: SourceSpec, ctx: ResolveContext) -> list[str]:
        return [ctx.path(spec, "path")]
