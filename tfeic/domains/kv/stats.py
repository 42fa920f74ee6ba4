"""Per-plane statistics of a whole pool in one streaming pass with bounded memory.

For every (layer, kv, head): min, max, mean, abs-max, NaN/Inf counts and the fraction of zeros, over
the *used* blocks; a block whose every value is zero is reported as unused (the block manager hands
out zeroed or never-written blocks) and left out of the statistics, which would otherwise be diluted
by empty pool space.

Why it is fast (``benchmarks/bench_kv_stats.py`` compares it with one numpy ``sum`` over a memmap):
a chunk of whole blocks is viewed as rows, one row per (block, layer, kv, head) plane (T*D values),
and worked on a few hundred KiB at a time so that every pass after the first runs in cache. Each
slice is first looked at as raw bits (``KvDtype.magnitude_mask``/``special_from``): one integer min
and max per row say which rows are all zero (no decode needed), which hold some zeros (only those are
counted) and which hold NaN/Inf. The remaining rows are decoded once with ``decode_finite`` (vector
integer code for fp16 instead of numpy's scalar cast) and reduced with min, max and sum. The rare rows
with NaN/Inf, or whose float32 sum overflowed, go through the exact decode and float64 sums.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .dtypes import KvDtype
from .pool import CHUNK_BYTES, KvPool

SLICE_VALUES = 1 << 17  # values decoded at once: 512 KiB of float32, small enough to stay in cache


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


class _Rows:
    """Per-row results for one chunk; ``live`` rows hold at least one non-zero value."""

    def __init__(self, n: int):
        self.live = np.zeros(n, dtype=bool)
        self.min = np.zeros(n)  # +inf/-inf for rows with no finite value
        self.max = np.zeros(n)
        self.sum = np.zeros(n)  # of the finite values
        self.zeros = np.zeros(n, dtype=np.int64)
        self.nan = np.zeros(n, dtype=np.int64)
        self.inf = np.zeros(n, dtype=np.int64)


def _raw_rows(pool: KvPool, chunk: np.ndarray) -> np.ndarray:
    """Raw elements of a chunk of whole blocks as ``[n*L*kv*Hk, T*D]`` (head-major for NHD too)."""
    g = pool.geometry
    raw = g.kv_dtype.raw_view(chunk)
    if g.layout == "nhd":
        n = len(chunk) // g.block_bytes
        raw = np.ascontiguousarray(
            raw.reshape(n, g.layers, g.kv_factor, g.tokens_per_block, g.kv_heads, g.head_dim).transpose(0, 1, 2, 4, 3, 5))
    return raw.reshape(-1, g.tokens_per_block * g.head_dim)


def _row_scales(pool: KvPool, rows: int) -> np.ndarray | None:
    """The per-layer int8 scale of every row as a column, or None."""
    if pool.layer_scales is None:
        return None
    g = pool.geometry
    layer = (np.arange(rows) // (g.kv_factor * g.kv_heads)) % g.layers
    return np.asarray(pool.layer_scales, dtype=np.float32)[layer][:, None]


def _scan(dtype: KvDtype, raw: np.ndarray, scales: np.ndarray | None, out: _Rows, at: slice) -> None:
    """Fill ``out[at]`` from raw rows ``raw`` (a slice small enough to stay in cache)."""
    width = raw.shape[1]
    mag = np.bitwise_and(raw.view(dtype.bits), np.array(dtype.magnitude_mask, dtype=dtype.bits))
    small, big = mag.min(axis=1), mag.max(axis=1)
    live = big > 0
    out.live[at] = live
    zeros = np.where(live, 0, width)
    some = live & (small == 0)
    if some.any():
        zeros[some] = width - np.count_nonzero(mag[some], axis=1)
    out.zeros[at] = zeros
    exact = live & (big >= dtype.special_from) if dtype.special_from is not None else np.zeros_like(live)
    fast = live & ~exact
    if fast.any():
        pick = slice(None) if fast.all() else fast
        x = dtype.decode_finite(raw[pick], None if scales is None else scales[pick])
        mn, mx, total = x.min(axis=1), x.max(axis=1), x.sum(axis=1, dtype=np.float32)
        out.min[at][pick], out.max[at][pick], out.sum[at][pick] = mn, mx, total
        overflowed = ~(np.isfinite(mn) & np.isfinite(mx) & np.isfinite(total))  # float32 sum overflow, odd scales
        if overflowed.any():
            exact[np.flatnonzero(fast)[overflowed]] = True
    if exact.any():
        x = dtype.decode(raw[exact], None if scales is None else scales[exact])
        finite = np.isfinite(x)
        out.nan[at][exact] = np.isnan(x).sum(axis=1)
        out.inf[at][exact] = np.isinf(x).sum(axis=1)
        out.min[at][exact] = np.where(finite, x, np.inf).min(axis=1)
        out.max[at][exact] = np.where(finite, x, -np.inf).max(axis=1)
        out.sum[at][exact] = np.where(finite, x, 0).sum(axis=1, dtype=np.float64)


def _chunk_rows(pool: KvPool, chunk: np.ndarray, slice_values: int) -> _Rows:
    raw = _raw_rows(pool, chunk)
    scales = _row_scales(pool, len(raw))
    out = _Rows(len(raw))
    step = max(1, slice_values // raw.shape[1])
    with np.errstate(over="ignore", invalid="ignore"):  # an overflowing float32 sum is detected and redone
        for lo in range(0, len(raw), step):
            at = slice(lo, lo + step)
            _scan(pool.geometry.kv_dtype, raw[at], None if scales is None else scales[at], out, at)
    return out


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

    def add(self, rows: _Rows, width: int) -> np.ndarray:
        """Fold in one chunk's rows (``[n*L*kv*Hk]``); return the mask of its used blocks."""
        shape = (-1,) + self.count.shape
        used = rows.live.reshape(len(rows.live) // self.count.size, -1).any(axis=1)
        if not used.any():
            return used  # type: ignore[return-value]  # numpy types any(axis=1) as maybe a scalar; of 2-D it is an array

        def fold(values: np.ndarray) -> np.ndarray:
            return values.reshape(shape)[used]

        self.min = np.minimum(self.min, fold(rows.min).min(axis=0))
        self.max = np.maximum(self.max, fold(rows.max).max(axis=0))
        self.sum += fold(rows.sum).sum(axis=0)
        self.zeros += fold(rows.zeros).sum(axis=0)
        nan, inf = fold(rows.nan), fold(rows.inf)
        self.nan += nan.sum(axis=0)
        self.inf += inf.sum(axis=0)
        self.count += int(used.sum()) * width
        self.finite_seen |= (width - nan - inf > 0).any(axis=0)
        return used  # type: ignore[return-value]  # (as above)

    def planes(self) -> tuple[PlaneStats, ...]:
        out = []
        for (layer, kv, head), count in np.ndenumerate(self.count):
            finite_count = count - self.nan[layer, kv, head] - self.inf[layer, kv, head]
            seen = bool(self.finite_seen[layer, kv, head])
            lo, hi = (float(self.min[layer, kv, head]), float(self.max[layer, kv, head])) if seen else (None, None)
            out.append(PlaneStats(
                layer=layer, kv=kv, head=head, min=lo, max=hi,
                mean=float(self.sum[layer, kv, head] / finite_count) if seen else None,
                absmax=max(abs(lo), abs(hi)) if lo is not None and hi is not None else None,  # i.e. if seen
                nan=int(self.nan[layer, kv, head]), inf=int(self.inf[layer, kv, head]),
                zero_fraction=float(self.zeros[layer, kv, head] / count) if count else None,
                count=int(count)))
        return tuple(out)


def pool_stats(pool: KvPool, chunk_bytes: int = CHUNK_BYTES, slice_values: int = SLICE_VALUES) -> PoolStats:
    """One pass over ``pool``; memory is about ``max(chunk_bytes, one block)`` plus a few small slices."""
    g = pool.geometry
    acc = _Accumulator((g.layers, g.kv_factor, g.kv_heads))
    unused: list[int] = []
    for first, chunk in pool.iter_blocks(chunk_bytes):
        used = acc.add(_chunk_rows(pool, chunk, slice_values), g.tokens_per_block * g.head_dim)
        unused.extend(first + int(i) for i in np.flatnonzero(~used))
    return PoolStats(pool.num_blocks, tuple(unused), acc.planes())


def json_number(value: float | None) -> float | None:
    """NaN/Inf are not JSON: they become null (the nan/inf counts say so)."""
    return None if value is None or not math.isfinite(value) else value
