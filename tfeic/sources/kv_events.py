"""Source kind ``kv_events``: the JSON that ``POST /kv_cache_events`` returned (value: ``KvEvents``)."""

from __future__ import annotations

from ..spec.model import SourceSpec
from ..trtllm._json import read_text
from ..trtllm.events import KvEvents, parse_events
from . import SOURCES, ResolveContext, Source


@SOURCES.register
class KvEventsSource(Source):
    name = "kv_events"
    summary = "TensorRT-LLM KV cache events (/kv_cache_events JSON): stored, removed, offloaded, onboarded blocks."
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["path"],
        "properties": {"path": {"type": "string", "description": "JSON array of events (or JSON Lines), as the endpoint returns them."}},
    }

    def load(self, spec: SourceSpec, ctx: ResolveContext) -> KvEvents:
        path = ctx.path(spec, "path")
        return parse_events(path, read_text(path))

    def inputs(self, spec: SourceSpec, ctx: ResolveContext) -> list[str]:
        return [ctx.path(spec, "path")]
