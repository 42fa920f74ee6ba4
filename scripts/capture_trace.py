"""Capture the Chrome/Kineto trace that decks/exabyte.yaml's timeline slides read.

Run on the GPU device machine (see DEVELOPERS.md about the device tool), not in CI: it builds a tiny
random-weight decoder (no downloads), runs one prefill and N decode steps under torch.profiler with
``record_function`` ranges ``Prefill``, ``Decode[i]``, ``Offload`` (KV blocks copied to pinned host
memory) and ``Onboard`` (copied back), and writes a gzip Chrome trace. The trace records no
environment: torch.profiler writes device properties only, and this script adds nothing.

    python3 scripts/capture_trace.py [--out decks/data/exabyte/decode_trace.json.gz] [--steps 8]
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import tempfile


def build_model(torch, layers: int, dim: int, heads: int):
    """A tiny decoder stack with random weights: enough kernels (GEMMs, SDPA attention) to look real."""
    torch.manual_seed(0)

    class Block(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.qkv = torch.nn.Linear(dim, 3 * dim, bias=False)
            self.out = torch.nn.Linear(dim, dim, bias=False)
            self.mlp = torch.nn.Sequential(torch.nn.Linear(dim, 4 * dim), torch.nn.SiLU(), torch.nn.Linear(4 * dim, dim))
            self.norm = torch.nn.LayerNorm(dim)

        def forward(self, x, cache):
            b, t, _ = x.shape
            q, k, v = self.qkv(self.norm(x)).view(b, t, 3, heads, dim // heads).unbind(2)
            k = torch.cat([cache[0], k.transpose(1, 2)], dim=2) if cache else k.transpose(1, 2)
            v = torch.cat([cache[1], v.transpose(1, 2)], dim=2) if cache else v.transpose(1, 2)
            y = torch.nn.functional.scaled_dot_product_attention(q.transpose(1, 2), k, v, is_causal=not cache)
            x = x + self.out(y.transpose(1, 2).reshape(b, t, dim))
            return x + self.mlp(x), (k, v)

    return torch.nn.ModuleList(Block() for _ in range(layers))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="decks/data/exabyte/decode_trace.json.gz")
    parser.add_argument("--steps", type=int, default=8, help="decode steps after the prefill")
    parser.add_argument("--prompt", type=int, default=512, help="prompt tokens")
    args = parser.parse_args()

    import torch
    from torch.profiler import ProfilerActivity, profile, record_function

    device = "cuda"
    dim, heads = 1024, 16
    model = build_model(torch, layers=4, dim=dim, heads=heads).to(device, torch.bfloat16).eval()
    tokens = torch.randn(1, args.prompt, dim, device=device, dtype=torch.bfloat16)
    with torch.no_grad():
        for block in model:  # warm-up outside the trace: first-call kernels would dominate it
            block(tokens, None)
        torch.cuda.synchronize()
        with profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]) as prof:
            with record_function("Prefill"):
                x, caches = tokens, []
                for block in model:
                    x, cache = block(x, None)
                    caches.append(cache)
            x = x[:, -1:, :]
            for i in range(args.steps):
                with record_function(f"Decode[{i}]"):
                    for j, block in enumerate(model):
                        x, caches[j] = block(x, caches[j])
                if i == args.steps // 2:
                    with record_function("Offload"):
                        host = [(k.to("cpu", non_blocking=True).pin_memory(), v.to("cpu", non_blocking=True).pin_memory()) for k, v in caches]
                    torch.cuda.synchronize()
                    with record_function("Onboard"):
                        caches = [(k.to(device, non_blocking=True), v.to(device, non_blocking=True)) for k, v in host]
            torch.cuda.synchronize()

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        plain = os.path.join(tmp, "trace.json")
        prof.export_chrome_trace(plain)
        with open(plain, "rb") as src, gzip.GzipFile(args.out, "wb", mtime=0) as dst:
            shutil.copyfileobj(src, dst)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
