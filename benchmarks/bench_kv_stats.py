#!/usr/bin/env python3
"""``kv stats`` vs a plain numpy reduction over the same memmap, with peak RSS of each.

Generates fp16 pools (Llama-3.1-8B-like blocks: L=32, Hk=8, T=32, D=128, 4 MiB each) into a temp
dir: 256 MiB always, 2 GiB with --big (or TFEIC_BENCH_BIG=1). Each measurement runs in a fresh
process so its peak RSS (ru_maxrss) is its own. Targets: stats time <= 1.3x numpy, RSS <= 256 MiB.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from tfeic.domains.kv.geometry import KvGeometry  # noqa: E402

GEOMETRY = KvGeometry(32, 8, 32, 128, "fp16")


def make_pool(path: str, nbytes: int) -> None:
    rng = np.random.default_rng(0)
    chunk = rng.standard_normal(GEOMETRY.block_bytes // 2, dtype=np.float32).astype(np.float16).tobytes()
    with open(path, "wb") as f:
        for _ in range(nbytes // GEOMETRY.block_bytes):
            f.write(chunk)


def measure(mode: str, path: str) -> None:
    """Child process: run one pass, print seconds and peak RSS in MiB."""
    start = time.perf_counter()
    if mode == "numpy":
        g = GEOMETRY
        mm = np.memmap(path, dtype=np.float16, mode="r").reshape(-1, g.layers, 2, g.kv_heads, g.tokens_per_block * g.head_dim)
        mm.sum(axis=(0, 4), dtype=np.float32)  # one per-plane reduction
    else:
        from tfeic.domains.kv.pool import open_pool
        from tfeic.domains.kv.stats import pool_stats

        pool_stats(open_pool(path, GEOMETRY))
    seconds = time.perf_counter() - start
    print(f"{seconds:.3f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")


def run(mode: str, path: str) -> tuple[float, float]:
    out = subprocess.run([sys.executable, __file__, "--child", mode, path], check=True, capture_output=True, text=True).stdout
    seconds, rss = out.split()
    return float(seconds), float(rss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", action="store_true", help="also run the 2 GiB pool")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        measure(*args.child)
        return
    sizes = [256 << 20] + ([2 << 30] if args.big or os.environ.get("TFEIC_BENCH_BIG") else [])
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            path = os.path.join(tmp, f"pool_{size >> 20}M.bin")
            make_pool(path, size)
            np_s, np_rss = run("numpy", path)
            kv_s, kv_rss = run("stats", path)
            print(f"{size >> 20:>5} MiB pool: kv stats {kv_s:.2f} s (peak RSS {kv_rss:.0f} MiB) | "
                  f"numpy sum over memmap {np_s:.2f} s (peak RSS {np_rss:.0f} MiB) | ratio {kv_s / np_s:.2f}x")
            os.remove(path)


if __name__ == "__main__":
    main()
