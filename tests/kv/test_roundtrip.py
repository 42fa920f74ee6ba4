"""Property: every dtype and layout decodes every coordinate back to the value written."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tfeic.domains.kv.dtypes import DTYPES
from tfeic.domains.kv.geometry import KvGeometry
from tfeic.domains.kv.offsets import Coord, byte_offset, locate
from tfeic.domains.kv.pool import KvPool


@settings(max_examples=40, deadline=None)
@given(dtype=st.sampled_from(sorted(DTYPES)), layout=st.sampled_from(["hnd", "nhd"]),
       dims=st.tuples(st.integers(1, 3), st.integers(1, 2), st.integers(1, 3), st.integers(1, 4), st.integers(1, 3)),
       kv_factor=st.sampled_from([1, 2]), seed=st.integers(0, 2**16))
def test_every_coordinate_round_trips(dtype, layout, dims, kv_factor, seed):
    blocks, layers, heads, tokens, head_dim = dims
    g = KvGeometry(layers, heads, tokens, head_dim, dtype, layout, kv_factor)
    rng = np.random.default_rng(seed)
    coords = [Coord(b, l, kv, h, t, d) for b in range(blocks) for l in range(layers) for kv in range(kv_factor)
              for h in range(heads) for t in range(tokens) for d in range(head_dim)]
    kd = g.kv_dtype
    # values that the dtype represents exactly: decode random raw codes (finite ones only)
    codes = kd.decode(kd.raw_view(rng.integers(0, 256, len(coords) * kd.nbytes, dtype=np.uint8)))
    values = np.where(np.isfinite(codes), codes, 1.0).astype(np.float32)
    data = np.zeros(blocks * g.block_bytes, dtype=np.uint8)
    for coord, value in zip(coords, values):
        off = byte_offset(g, coord)
        data[off:off + kd.nbytes] = kd.encode(np.array([value])).view(np.uint8)
    pool = KvPool(data, g)
    for coord, value in zip(coords, values):
        assert pool.element(coord).value == value
        assert locate(g, byte_offset(g, coord) + kd.nbytes - 1) == (coord, kd.nbytes - 1)
    assert sorted(byte_offset(g, c) for c in coords) == list(range(0, len(data), kd.nbytes))


def test_seed_formula_and_nhd_formula():
    g = KvGeometry(1, 8, 32, 16, "fp16")
    assert byte_offset(g, Coord(0, 0, 1, 3, 5, 7)) == ((((1 * 8) + 3) * 32 + 5) * 16 + 7) * 2
    n = KvGeometry(1, 8, 32, 16, "fp16", "nhd")
    assert byte_offset(n, Coord(0, 0, 1, 3, 5, 7)) == (((1 * 32 + 5) * 8 + 3) * 16 + 7) * 2


def test_fp8_known_values():
    e4m3, e5m2 = DTYPES["fp8_e4m3"], DTYPES["fp8_e5m2"]
    assert e4m3.decode_bytes(b"\x7e") == 448.0 and np.isnan(e4m3.decode_bytes(b"\x7f"))
    assert e5m2.decode_bytes(b"\x7b") == 57344.0 and e5m2.decode_bytes(b"\x7c") == float("inf")
    assert DTYPES["bf16"].decode_bytes(bytes.fromhex("803f")) == 1.0
