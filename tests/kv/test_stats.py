"""Property: ``pool_stats`` (bit tricks, cache-sized slices, fast fp16 decode) equals a plain float64
reference computed from the exact decode of every plane, for every dtype, layout and chunking."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tfeic.domains.kv.dtypes import DTYPES
from tfeic.domains.kv.geometry import KvGeometry
from tfeic.domains.kv.pool import KvPool
from tfeic.domains.kv.stats import pool_stats


def reference(pool: KvPool):
    g = pool.geometry
    planes = {}
    used = [b for b in range(pool.num_blocks)
            if any(np.any(pool.plane_values(b, l, kv) != 0) for l in range(g.layers) for kv in range(g.kv_factor))]
    for layer in range(g.layers):
        for kv in range(g.kv_factor):
            with np.errstate(invalid="ignore"):  # float32 -> float64 of a signalling NaN
                values = [pool.plane_values(b, layer, kv).astype(np.float64) for b in used]
            for head in range(g.kv_heads):
                x = np.concatenate([v[head].ravel() for v in values]) if values else np.zeros(0)
                finite = x[np.isfinite(x)]
                planes[layer, kv, head] = dict(
                    nan=int(np.isnan(x).sum()), inf=int(np.isinf(x).sum()),
                    min=float(finite.min()) if len(finite) else None, max=float(finite.max()) if len(finite) else None,
                    mean=float(finite.mean()) if len(finite) else None,
                    zero_fraction=float((x == 0).mean()) if len(x) else None, count=len(x))
    unused = tuple(b for b in range(pool.num_blocks) if b not in used)
    return unused, planes


def raw_block_bytes(g: KvGeometry, rng, kind: str) -> np.ndarray:
    """One block: random codes (NaN, Inf and subnormals included), all zero, or partly zero."""
    data = rng.integers(0, 256, g.block_bytes, dtype=np.uint8)
    if kind == "zero":
        data[:] = 0
    elif kind == "sparse":
        elems = data.view(g.kv_dtype.bits)
        elems[rng.random(len(elems)) < 0.7] = 0
    return data


@pytest.mark.filterwarnings("error")  # `kv stats` prints no numpy warnings, whatever the bytes
@settings(max_examples=60, deadline=None)
@given(dtype=st.sampled_from(sorted(DTYPES)), layout=st.sampled_from(["hnd", "nhd"]),
       dims=st.tuples(st.integers(1, 3), st.integers(1, 2), st.integers(1, 4), st.integers(1, 8)),
       kv_factor=st.sampled_from([1, 2]), kinds=st.lists(st.sampled_from(["random", "zero", "sparse"]), min_size=1, max_size=5),
       chunk_blocks=st.integers(1, 3), slice_values=st.sampled_from([1, 7, 64, 1 << 17]), seed=st.integers(0, 2**16),
       scaled=st.booleans())
def test_stats_equal_float64_reference(dtype, layout, dims, kv_factor, kinds, chunk_blocks, slice_values, seed, scaled):
    layers, heads, tokens, head_dim = dims
    g = KvGeometry(layers, heads, tokens, head_dim, dtype, layout, kv_factor)
    rng = np.random.default_rng(seed)
    data = np.concatenate([raw_block_bytes(g, rng, kind) for kind in kinds])
    scales = tuple(float(s) for s in rng.uniform(0.01, 2, layers)) if scaled and dtype == "int8" else None
    pool = KvPool(data, g, layer_scales=scales)
    got = pool_stats(pool, chunk_bytes=chunk_blocks * g.block_bytes, slice_values=slice_values)
    unused, planes = reference(pool)
    assert got.unused_blocks == unused
    for plane in got.planes:
        want = planes[plane.layer, plane.kv, plane.head]
        assert (plane.nan, plane.inf, plane.count, plane.min, plane.max) == (want["nan"], want["inf"], want["count"], want["min"], want["max"])
        assert plane.zero_fraction == want["zero_fraction"]
        if want["mean"] is None:
            assert plane.mean is None
        else:
            assert math.isclose(plane.mean, want["mean"], rel_tol=1e-5, abs_tol=1e-6 * max(1.0, abs(want["max"]), abs(want["min"])))


def test_fast_fp16_decode_is_exact_for_every_finite_code():
    codes = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16).view("<f2")
    exact = DTYPES["fp16"].decode(codes)
    fast = DTYPES["fp16"].decode_finite(codes)
    finite = np.isfinite(exact)
    assert finite.sum() == (1 << 16) - 2 * 1024  # 2 x (Inf + 1023 NaN codes) are the only non-finite ones
    assert np.array_equal(exact[finite].view(np.uint32), fast[finite].view(np.uint32))  # -0.0 and subnormals too
    special = (codes.view(np.uint16) & 0x7FFF) >= DTYPES["fp16"].special_from
    assert np.array_equal(special, ~finite)


@pytest.mark.filterwarnings("error")
def test_overflowing_fp32_row_sum_is_redone_in_float64():
    g = KvGeometry(1, 1, 2, 4, "fp32")
    data = np.full(g.block_bytes // 4, 3e38, dtype="<f4").view(np.uint8)  # float32 sum of 8 values: inf
    (plane,) = [p for p in pool_stats(KvPool(data.copy(), g)).planes if p.kv == 0]
    assert plane.inf == 0 and math.isclose(plane.mean, 3e38, rel_tol=1e-6) and plane.max == np.float32(3e38)
