"""Source kind ``kv_events``: the JSON that ``POST /kv_cache_events`` returned (value: ``KvEvents``)."""

from __future__ import annotations

from ..events import parse_events
from tfeic.sources import SOURCES, FileSource


@SOURCES.register
class KvEventsSource(FileSource):
    name = "kv_events"
    summary = "TensorRT-LLM KV cache events (/kv_cache_events JSON): stored, removed, offloaded, onboarded blocks."
    what = "KV events file"
    path_help = "JSON array of events (or JSON Lines), as the endpoint returns them."
    parse = staticmethod(parse_events)
