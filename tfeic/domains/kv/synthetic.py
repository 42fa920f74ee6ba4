"""Deterministic stand-ins for real KV data, so ``--dry-run`` decks look like real ones anywhere.

Values follow what real caches show: K has a few large outlier channels per head (RoPE'd keys carry
most energy in some dims), V is a narrower zero-mean spread; each head gets its own scale; some
blocks are unused (all zero), as in a pool that is not full. The same seed gives the same bytes.
"""

from __future__ import annotations

import numpy as np

from .geometry import KvGeometry
from .offsets import block_shape
from .pool import BlockTokens, KvPool

# A Llama-3.1-8B-like model, small enough to draw: what a dry run shows without an engine dir.
DEFAULT_GEOMETRY = KvGeometry(layers=4, kv_heads=8, tokens_per_block=32, head_dim=16, dtype="fp16")


def synthetic_values(geometry: KvGeometry, blocks: int, seed: int = 0, unused_every: int = 4) -> np.ndarray:
    """Values ``[blocks, L, kv, Hk, T, D]`` (head-major; every ``unused_every``-th block is zero)."""
    g = geometry
    rng = np.random.default_rng(seed)
    shape = (blocks, g.layers, g.kv_factor, g.kv_heads, g.tokens_per_block, g.head_dim)
    values = rng.standard_normal(shape, dtype=np.float32)
    head_scale = rng.uniform(0.3, 1.5, size=(1, g.layers, g.kv_factor, g.kv_heads, 1, 1)).astype(np.float32)
    values *= head_scale
    values[:, :, 1] *= 0.5  # V is narrower than K
    outliers = rng.integers(0, g.head_dim, size=(g.kv_heads, 2))
    for head, dims in enumerate(outliers):
        values[:, :, 0, head, :, dims] *= 6.0  # K outlier channels
    if unused_every:
        values[unused_every - 1::unused_every] = 0.0
    return values


def synthetic_pool(geometry: KvGeometry = DEFAULT_GEOMETRY, blocks: int = 8, seed: int = 0,
                   unused_every: int = 4) -> KvPool:
    """An in-memory pool in ``geometry``'s dtype and layout, with token positions for used blocks."""
    g = geometry
    values = synthetic_values(g, blocks, seed, unused_every)
    if g.layout == "nhd":
        values = values.transpose(0, 1, 2, 4, 3, 5)
    scales = None
    if g.dtype == "int8":
        absmax = np.abs(values).reshape(blocks, g.layers, -1).max(axis=(0, 2))
        scales = tuple(float(s) for s in np.float32(absmax / 127))  # symmetric per-layer quantization
        values = values / np.asarray(scales, dtype=np.float32).reshape(1, -1, 1, 1, 1, 1)
    raw = g.kv_dtype.encode(values)
    data = np.ascontiguousarray(raw.reshape((blocks,) + block_shape(g))).view(np.uint8).reshape(-1)
    used = [b for b in range(blocks) if not unused_every or (b + 1) % unused_every]
    tokens = tuple(BlockTokens(b, i * g.tokens_per_block, g.tokens_per_block)
                   for i, b in enumerate(used))
    return KvPool(data, g, layer_scales=scales, block_tokens=tokens)
