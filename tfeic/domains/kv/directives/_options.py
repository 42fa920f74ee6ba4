"""Helpers shared by the ``kv_*`` directives: option schemas, picking the pool, checking indices.

Underscore-named so the built-in loader does not treat it as a directive module.
"""

from __future__ import annotations

from typing import Any

from tfeic.core.diagnostics import SpecError
from ..pool import KvPool
from tfeic.deck.model import SlideSpec
from tfeic.directives import slide_diagnostic

POOL_KINDS = ("kv", "connector_cache")

SOURCE = {"type": "string", "description": "Name of a `kv` or `connector_cache` source."}
BLOCK = {"type": "integer", "minimum": 0, "default": 0, "description": "Block index in the pool."}
LAYER = {"type": "integer", "minimum": 0, "default": 0, "description": "Layer index."}
TITLE = {"type": "string", "description": "Slide title (a default says what is shown)."}
LAYOUT = {"type": "string", "description": "Theme layout to use instead of the default."}


def options_schema(properties: dict[str, Any], required: tuple[str, ...] = ("source",)) -> dict:
    return {"type": "object", "additionalProperties": False, "required": list(required),
            "properties": {"title": TITLE, **properties}}


def index(spec: SlideSpec, key: str, limit: int, what: str) -> int:
    """Option ``key`` (default 0) checked against ``0..limit-1``; out of range is exit 2 at its position."""
    value = int(spec.options.get(key, 0))
    if not 0 <= value < limit:
        raise SpecError(slide_diagnostic(spec, key, f"{what} {value} is out of range 0..{limit - 1}",
                                         spec.pos_of(key)))
    return value


def pool_block_layer(spec: SlideSpec, data: dict) -> tuple[KvPool, int, int]:
    pool: KvPool = data["source"]
    block = index(spec, "block", pool.num_blocks, "block")
    layer = index(spec, "layer", pool.geometry.layers, "layer")
    return pool, block, layer
