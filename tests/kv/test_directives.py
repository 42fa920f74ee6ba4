"""KV directives on the real captured pool and the connector cache, through the sources."""


import pytest

import tfeic.directives.builtin  # noqa: F401
import tfeic.sources.builtin  # noqa: F401
from tfeic.core.diagnostics import Pos, SpecError
from tfeic.directives import DIRECTIVES, ExpandContext
from tfeic.ir import ShapesBlock
from tfeic.sources import SOURCES, ResolveContext
from tfeic.deck.model import Deck, SlideSpec, SourceSpec

from .conftest import EXABYTE


def deck(limits=None):
    return Deck("deck.yaml", EXABYTE, "t", "light", {}, [], options={"limits": limits} if limits else {})


def source(kind, **options):
    return SOURCES.get(kind).load(SourceSpec("s", kind, options, Pos("deck.yaml", 2, 3)), ResolveContext(deck()))


def expand(name, value, d=None, **options):
    spec = SlideSpec(0, name, {"source": "s", **options}, Pos("deck.yaml", 9, 5))
    return DIRECTIVES.get(name).expand(spec, {"source": value}, ExpandContext(d or deck(), None))


def test_connector_cache_equals_pool_blocks():
    pool = source("kv", path="block_pool.bin")
    cache = source("connector_cache", path="connector_cache", layers=4, kv_dims=[2, 4, 16, 64])
    assert cache.geometry == pool.geometry and cache.num_blocks == 4
    assert sorted(bytes(cache.data[i * 65536:(i + 1) * 65536]) for i in range(4)) == sorted(
        bytes(pool.data[i * 65536:(i + 1) * 65536]) for i in range(4))


def test_tiles_aggregate_and_zoom_window():
    pool = source("kv", path="block_pool.bin")
    left = expand("kv_tiles", pool, block=1, layer=2)[0].blocks[0]
    assert isinstance(left, ShapesBlock) and sum(s.fill is not None and s.name.startswith("K h") for s in left.shapes) == 4 * 16
    zoom = expand("kv_zoom", pool, offset=1001)[0]
    assert len(zoom.blocks[0].shapes) == 32 and len(zoom.blocks[1].rows) == 16


def test_out_of_range_block_names_position():
    pool = source("kv", path="block_pool.bin")
    with pytest.raises(SpecError, match="block 99 is out of range 0..9"):
        expand("kv_linear", pool, block=99)
