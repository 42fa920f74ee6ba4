#!/usr/bin/env python3
"""Write the example KV data the exabyte deck's connector slides read (deterministic, ~260 KB).

The raw pool (decks/data/exabyte/block_pool.bin + block_pool.json) is real: scripts/capture_reference.py
captured it on a GPU. This script derives from it what TensorRT-LLM's KV cache connector example would
have saved for the same prompt: one ``.pt`` file per full block, ``[layers, 2, Hk*T*D]``, into
decks/data/exabyte/connector_cache/ (the first four full blocks, to keep the repository small).
Without a captured pool (or with --synthetic) it writes a seeded synthetic pool + sidecar instead.

Run from the repository root: python3 scripts/make_kv_pool.py [--synthetic] [OUT_DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from tfeic.domains.kv.geometry import override  # noqa: E402
from tfeic.domains.kv.pool import KvPool, open_pool, read_sidecar, sidecar_path  # noqa: E402
from tfeic.domains.kv.pt_writer import write_pt  # noqa: E402
from tfeic.domains.kv.synthetic import DEFAULT_GEOMETRY, synthetic_pool  # noqa: E402

CONNECTOR_BLOCKS = 4


def write_synthetic(out: str) -> KvPool:
    pool = synthetic_pool(DEFAULT_GEOMETRY, blocks=8, seed=7)
    g = pool.geometry
    with open(os.path.join(out, "block_pool.bin"), "wb") as f:
        f.write(pool.data.tobytes())
    sidecar = {"layout": g.layout, "dtype": g.dtype, "blocks": pool.num_blocks, "layers": g.layers,
               "kv_factor": g.kv_factor, "kv_heads": g.kv_heads, "tokens_per_block": g.tokens_per_block,
               "head_dim": g.head_dim,
               "block_tokens": [{"block": b.block, "sequence": b.sequence, "first_position": b.first_position, "count": b.count}
                                for b in sorted(pool.block_tokens.values(), key=lambda b: b.block)]}
    with open(os.path.join(out, "block_pool.json"), "w", encoding="utf-8") as f:
        json.dump(sidecar, f, indent=2)
        f.write("\n")
    return pool


def read_captured(out: str) -> KvPool:
    path = os.path.join(out, "block_pool.bin")
    sidecar = read_sidecar(sidecar_path(path))
    return open_pool(path, override(None, **sidecar.geometry), block_tokens=sidecar.block_tokens)


def write_connector_cache(pool: KvPool, directory: str) -> None:
    g = pool.geometry
    os.makedirs(directory, exist_ok=True)
    full = [b.block for b in sorted(pool.block_tokens.values(), key=lambda b: b.block) if b.count == g.tokens_per_block]
    for block in full[:CONNECTOR_BLOCKS]:
        raw = pool.data[block * g.block_bytes:(block + 1) * g.block_bytes].view(g.kv_dtype.storage)
        name = hashlib.sha256(f"block-{block}".encode()).hexdigest()[:16]  # the example names files by a token hash
        write_pt(os.path.join(directory, f"{name}.pt"), g.dtype, raw.reshape(g.layers, g.kv_factor, g.plane_elements))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default=os.path.join("decks", "data", "exabyte"))
    parser.add_argument("--synthetic", action="store_true", help="write a synthetic pool + sidecar first")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    captured = os.path.isfile(os.path.join(args.out, "block_pool.bin"))
    pool = write_synthetic(args.out) if args.synthetic or not captured else read_captured(args.out)
    write_connector_cache(pool, os.path.join(args.out, "connector_cache"))


if __name__ == "__main__":
    main()
