"""Per-plane statistics of a whole pool in one streaming pass with bounded memory.

For every (layer, kv, head): min, max, mean, abs-max, NaN/Inf counts and the fraction of zeros, over
the *used* blocks; a block whose every value is zero is reported as unused (the block manager hands
out zeroed or never-written blocks) and left out of the statistics, which would otherwise be diluted
by empty pool space.

Why it is fast: each chunk is decoded once to float32 and viewed as rows of one (block, layer, kv,
head) plane (T*D values); per row we take min, max, sum and the zero count. abs-max is derived
(max(-min, max)); NaN/Inf need no extra pass because they propagate into min/max/sum, so only rows
where those are not finite are re-scanned.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .pool import CHUNK_BYTES, KvPool


@dataclass(frozen=True)
class PlaneStats:
    layer: int
    kv: int
    head: int
    min: float | None  # None when the plane has no finite value in any used block
    max: float | None
    mean: float | None
    absmax: float | None
    nan: int
    inf: int
    zero_fraction: float | None
    count: int  # values looked at (used blocks x T x D)


@dataclass(frozen=True)
class PoolStats:
    blocks: int
    unused_blocks: tuple[int, ...]
    planes: tuple[PlaneStats, ...]  # ordered by layer, kv, head


def _rows(pool: KvPool, chunk: np.ndarray) -> np.ndarray:
    """Decode a chunk of whole blocks to float32 ``[n, L, kv, Hk, T*D]`` (head-major for NHD too)."""
    g = pool.geometry
    n = len(chunk) // g.block_bytes
    raw = g.kv_dtype.raw_view(chunk)
    if g.layout == "nhd":
        raw = raw.reshape(n, g.layers, g.kv_factor, g.tokens_per_block, g.kv_heads, g.head_dim).transpose(0, 1, 2, 4, 3, 5)
    raw = raw.reshape(n, g.layers, g.kv_factor, g.kv_heads, g.tokens_per_block * g.head_dim)
    scales = None
    if pool.layer_scales is not None:
        scales = np.asarray(pool.layer_scales, dtype=np.float32).reshape(1, g.layers, 1, 1, 1)
    return g.kv_dtype.decode(np.ascontiguousarray(raw), scales)


class _Accumulator:
    """Running per-plane totals; everything is shaped ``[L, kv, Hk]``."""

    def __init__(self, shape: tuple[int, ...]):
        self.min = np.full(shape, np.inf)
        self.max = np.full(shape, -np.inf)
        self.sum = np.zeros(shape)
        self.zeros = np.zeros(shape, dtype=np.int64)
        self.nan = np.zeros(shape, dtype=np.int64)
        self.inf = np.zeros(shape, dtype=np.int64)
        self.count = np.zeros(shape, dtype=np.int64)
        self.finite_seen = np.zeros(shape, dtype=bool)

    def add(self, x: np.ndarray) -> np.ndarray:
        """Fold in decoded rows ``[n, L, kv, Hk, T*D]``; return the mask of used blocks."""
        zeros = x.shape[-1] - np.count_nonzero(x, axis=-1)  # no boolean temporary: 4x faster than x == 0
        used = zeros.reshape(len(x), -1).min(axis=1) < x.shape[-1]
        if not used.all():
            x, zeros = x[used], zeros[used]
        if not len(x):
            return used
        mn, mx, total = x.min(axis=-1), x.max(axis=-1), x.sum(axis=-1, dtype=np.float32).astype(np.float64)
        bad = ~(np.isfinite(mn) & np.isfinite(mx) & np.isfinite(total))
        nan = np.zeros(mn.shape, dtype=np.int64)
        inf = np.zeros(mn.shape, dtype=np.int64)
        if bad.any():
            sub = x[bad]
            finite = np.isfinite(sub)
            nan[bad] = np.isnan(sub).sum(axis=-1)
            inf[bad] = np.isinf(sub).sum(axis=-1)
            mn[bad] = np.where(finite, sub, np.inf).min(axis=-1)
            mx[bad] = np.where(finite, sub, -np.inf).max(axis=-1)
            total[bad] = np.where(finite, sub, 0).sum(axis=-1, dtype=np.float64)
        self.min = np.minimum(self.min, mn.min(axis=0))
        self.max = np.maximum(self.max, mx.max(axis=0))
        self.sum += total.sum(axis=0)
        self.zeros += zeros.sum(axis=0)
        self.nan += nan.sum(axis=0)
        self.inf += inf.sum(axis=0)
        self.count += len(x) * x.shape[-1]
        self.finite_seen |= (len(x) * x.shape[-1] - nan - inf).sum(axis=0) > 0
        return used

    def planes(self) -> tuple[PlaneStats, ...]:
        out = []
        for (layer, kv, head), count in np.ndenumerate(self.count):
            finite_count = count - self.nan[layer, kv, head] - self.inf[layer, kv, head]
            seen = bool(self.finite_seen[layer, kv, head])
            lo, hi = (float(self.min[layer, kv, head]), float(self.max[layer, kv, head])) if seen else (None, None)
            out.append(PlaneStats(
                layer=layer, kv=kv, head=head, min=lo, max=hi,
                mean=float(self.sum[layer, kv, head] / finite_count) if seen else None,
                absmax=max(abs(lo), abs(hi)) if seen else None,
                nan=int(self.nan[layer, kv, head]), inf=int(self.inf[layer, kv, head]),
                zero_fraction=float(self.zeros[layer, kv, head] / count) if count else None,
                count=int(count)))
        return tuple(out)


def pool_stats(pool: KvPool, chunk_bytes: int = CHUNK_BYTES) -> PoolStats:
    """One pass over ``pool``; memory is about five times ``max(chunk_bytes, one block)``."""
    g = pool.geometry
    acc = _Accumulator((g.layers, g.kv_factor, g.kv_heads))
    unused: list[int] = []
    for first, chunk in pool.iter_blocks(chunk_bytes):
        used = acc.add(_rows(pool, chunk))
        unused.extend(first + int(i) for i in np.flatnonzero(~used))
    return PoolStats(pool.num_blocks, tuple(unused), acc.planes())


def json_number(value: float | None) -> float | None:
    """NaN/Inf are not JSON: they become null (the nan/inf counts say so)."""
    return None if value is None or not math.isfinite(value) else value
