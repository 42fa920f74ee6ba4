"""How byte N of a KV block pool is decoded: offset <-> (block, layer, kv, head, token, dim).

A pool dump is the raw memory of TensorRT-LLM's primary (or host) pool tensor, row-major:

    HND (TRTLLM attention backend, the default)  [blocks, layers, kv, Hk, T, D]
        off = (((((b*L + l)*KV + kv)*Hk + h)*T + t)*D + d) * elem_bytes
    NHD (FlashInfer backend)                     [blocks, layers, kv, T, Hk, D]
        off = (((((b*L + l)*KV + kv)*T + t)*Hk + h)*D + d) * elem_bytes

with kv 0 = K and 1 = V, KV = 2 (1 for K-only caches), and t = token position % T. Inside one block
and layer (HND) this is the seed tool's ``idx = (((kv*Hk + h)*T) + t)*D + d``, which is also how the
attention kernels index (``kvCacheUtils.h``: head*T*D + (token % T)*D + channel).

Worked example (Llama-3.1-8B, bf16, L=32, Hk=8, T=32, D=128): element (b=1, l=0, kv=1, h=2, t=5, d=7)
is index ((((1*32 + 0)*2 + 1)*8 + 2)*32 + 5)*128 + 7 = 2138759, i.e. bytes 4277518..4277519.
Which token position of which request a block holds is not in the pool (it is per request,
``get_cache_indices``); a sidecar file can record it (see ``pool.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .geometry import KvGeometry


@dataclass(frozen=True)
class Coord:
    """One element of the pool; ``token`` is the slot inside the block (position % T)."""

    block: int
    layer: int
    kv: int
    head: int
    token: int
    dim: int

    def as_tuple(self) -> tuple[int, int, int, int, int, int]:
        return (self.block, self.layer, self.kv, self.head, self.token, self.dim)


def block_shape(geometry: KvGeometry) -> tuple[int, ...]:
    """Shape of one block in memory order (without the leading blocks axis)."""
    g = geometry
    if g.layout == "nhd":
        return (g.layers, g.kv_factor, g.tokens_per_block, g.kv_heads, g.head_dim)
    return (g.layers, g.kv_factor, g.kv_heads, g.tokens_per_block, g.head_dim)


def coord_limits(geometry: KvGeometry, blocks: int) -> tuple[int, ...]:
    """Exclusive upper bound of each Coord field, in Coord order."""
    g = geometry
    return (blocks, g.layers, g.kv_factor, g.kv_heads, g.tokens_per_block, g.head_dim)


def coord_problem(geometry: KvGeometry, coord: Coord, blocks: int) -> str | None:
    """Why ``coord`` is outside a pool of ``blocks`` blocks, or None when it is inside."""
    names = ("block", "layer", "kv", "head", "token", "dim")
    for name, value, limit in zip(names, coord.as_tuple(), coord_limits(geometry, blocks)):
        if not 0 <= value < limit:
            return f"{name} {value} is out of range 0..{limit - 1}"
    return None


def element_index(geometry: KvGeometry, c: Coord) -> int:
    """Index of the element in the flat pool (multiply by elem_bytes for the byte offset)."""
    g = geometry
    outer = (c.block * g.layers + c.layer) * g.kv_factor + c.kv
    if g.layout == "nhd":
        return ((outer * g.tokens_per_block + c.token) * g.kv_heads + c.head) * g.head_dim + c.dim
    return ((outer * g.kv_heads + c.head) * g.tokens_per_block + c.token) * g.head_dim + c.dim


def byte_offset(geometry: KvGeometry, c: Coord) -> int:
    """First byte of the element at ``c``; it spans ``geometry.elem_bytes`` bytes."""
    return element_index(geometry, c) * geometry.elem_bytes


def locate(geometry: KvGeometry, offset: int) -> tuple[Coord, int]:
    """Byte ``offset`` -> (the element's coordinate, which byte of the element it is)."""
    g = geometry
    index, byte_in_element = divmod(offset, g.elem_bytes)
    index, d = divmod(index, g.head_dim)
    if g.layout == "nhd":
        index, h = divmod(index, g.kv_heads)
        index, t = divmod(index, g.tokens_per_block)
    else:
        index, t = divmod(index, g.tokens_per_block)
        index, h = divmod(index, g.kv_heads)
    index, kv = divmod(index, g.kv_factor)
    block, layer = divmod(index, g.layers)
    return Coord(block, layer, kv, h, t, d), byte_in_element
