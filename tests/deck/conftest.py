"""Small, realistic directives and sources in registries of their own.

The spec stage is tested against these rather than the global registries so that golden messages
(did-you-mean suggestions, option names) do not change when a built-in directive is added or edited.
"""

from __future__ import annotations

import pytest

from tfeic.directives import Directive
from tfeic.core.registry import Registry
from tfeic.sources import Source

TEST_DIRECTIVES: Registry[Directive] = Registry("tfeic.tests.directives", "directive")
TEST_SOURCES: Registry[Source] = Registry("tfeic.tests.sources", "source")


@TEST_SOURCES.register
class KvSource(Source):
    name = "kv"
    summary = "A raw KV-cache block pool dump"
    schema = {
        "type": "object",
        "required": ["path"],
        "properties": {
            "path": {"type": "string"},
            "kv_dims": {"type": "array", "items": {"type": "integer", "minimum": 1}, "minItems": 4, "maxItems": 4},
            "dtype_bytes": {"enum": [1, 2, 4]},
        },
    }


@TEST_SOURCES.register
class ServerSource(Source):
    name = "server"
    summary = "A running trtllm-serve"
    schema = {
        "type": "object",
        "required": ["url"],
        "properties": {"url": {"type": "string"}, "prompt": {"type": "string"}, "prompt_file": {"type": "string"}},
    }


@TEST_SOURCES.register
class EngineSource(Source):
    name = "engine"
    summary = "A TensorRT-LLM engine or checkpoint directory"
    schema = {"type": "object", "required": ["path"],
              "properties": {"path": {"type": "string"}, "strict_trtllm": {"type": "boolean"}}}


@TEST_SOURCES.register
class NsysSource(Source):
    name = "nsys"
    summary = "An Nsight Systems report"
    schema = {"type": "object", "required": ["path"], "properties": {"path": {"type": "string"}}}


@TEST_DIRECTIVES.register
class Bullets(Directive):
    name = "bullets"
    summary = "A bulleted list; nested lists indent"
    schema = {
        "type": "object",
        "required": ["items"],
        "properties": {"items": {"type": "array", "items": {"type": ["string", "array"]}, "minItems": 1}},
    }


@TEST_DIRECTIVES.register
class Table(Directive):
    name = "table"
    summary = "A native table"
    schema = {
        "type": "object",
        "required": ["rows"],
        "properties": {
            "columns": {"type": "array", "items": {"type": "string"}},
            "rows": {"type": "array", "items": {"type": "array", "items": {"type": ["string", "number"]}}},
            "highlight": {"type": "integer", "minimum": 0},
        },
    }


@TEST_DIRECTIVES.register
class KvHexdump(Directive):
    name = "kv_hexdump"
    summary = "Bytes of one KV block, decoded"
    sources = {"source": ("kv",)}
    schema = {
        "type": "object",
        "required": ["source"],
        "properties": {"source": {"type": "string"}, "block": {"type": "integer", "minimum": 0}},
    }


@TEST_DIRECTIVES.register
class Timeline(Directive):
    name = "timeline"
    summary = "Kernel lanes of a trace"
    sources = {"source": ("nsys",)}
    schema = {"type": "object", "required": ["source"], "properties": {"source": {"type": "string"}}}


@pytest.fixture
def registries() -> dict:
    """Keyword arguments for ``load_deck``/``deck_schema`` selecting the test registries."""
    return {"directives": TEST_DIRECTIVES, "sources": TEST_SOURCES}
