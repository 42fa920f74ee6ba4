#!/usr/bin/env python3
"""Capture the exabyte deck's reference data on a GPU: a real profiler trace and a real KV block pool.

Runs a small random-weight Llama (transformers, built from a config: no model hub) for one prompt:
a prefill and N decode steps under torch.profiler, with ``record_function`` ranges named as
TensorRT-LLM's NVTX ranges are (``Prefill``, ``Decode[i]``), then moves the KV cache to pinned host
memory and back (``Offload`` / ``Onboard``) as a host-offloading runtime does. The KV cache is then
written as a TensorRT-LLM-shaped block pool ``[blocks, layers, 2, Hk, T, D]`` (HND) in bf16, with a
sidecar JSON giving the geometry and which token positions each block holds; two trailing blocks
stay unused (all zero), as in a real pool.

Usage (on the device machine): python3 scripts/capture_reference.py --out decks/data/exabyte
Writes: trace.json.gz, block_pool.bin, block_pool.json, capture.json (what ran, on which GPU).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil

GEOMETRY = dict(layers=4, hidden=512, heads=8, kv_heads=4, head_dim=64, tokens_per_block=16)


def hf_config() -> dict:
    """The model's Hugging Face config.json fields (what an `engine` source reads from a model dir)."""
    g = GEOMETRY
    return {
        "architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": 32000,
        "hidden_size": g["hidden"], "intermediate_size": 4 * g["hidden"], "num_hidden_layers": g["layers"],
        "num_attention_heads": g["heads"], "num_key_value_heads": g["kv_heads"], "head_dim": g["head_dim"],
        "max_position_embeddings": 4096, "torch_dtype": "bfloat16",
    }


def write_model_dir(out: str) -> None:
    """model/config.json plus the KvCacheConfig YAML (tokens_per_block) the run used."""
    model = os.path.join(out, "model")
    os.makedirs(model, exist_ok=True)
    with open(os.path.join(model, "config.json"), "w") as f:
        json.dump(hf_config(), f, indent=2)
    with open(os.path.join(model, "kv_cache_config.yaml"), "w") as f:
        f.write(f"kv_cache_config:\n  tokens_per_block: {GEOMETRY['tokens_per_block']}\n  dtype: auto\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--prompt-tokens", type=int, default=100)
    ap.add_argument("--decode-steps", type=int, default=28)
    ap.add_argument("--unused-blocks", type=int, default=2)
    ap.add_argument("--config-only", action="store_true", help="write model/ only (no GPU, no torch)")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    write_model_dir(args.out)
    if args.config_only:
        return
    import torch
    from torch.profiler import ProfilerActivity, profile, record_function
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    fields = {k: v for k, v in hf_config().items() if k not in ("architectures", "model_type")}
    config = LlamaConfig(**fields)
    model = LlamaForCausalLM(config).to("cuda", torch.bfloat16).eval()
    prompt = torch.randint(3, 32000, (1, args.prompt_tokens), device="cuda")

    with torch.no_grad():
        model(prompt[:, :8], use_cache=True)  # warm-up outside the trace (kernel autotuning, allocator)
        torch.cuda.synchronize()
        with profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA], record_shapes=False) as prof:
            with record_function("Prefill"):
                out = model(prompt, use_cache=True)
                past = out.past_key_values
                token = out.logits[:, -1:].argmax(-1)
            generated = [token]
            for i in range(args.decode_steps):
                with record_function(f"Decode[{i}]"):
                    out = model(token, past_key_values=past, use_cache=True)
                    past = out.past_key_values
                    token = out.logits[:, -1:].argmax(-1)
                    generated.append(token)
            keys, values = kv_tensors(past)
            with record_function("Offload"):
                host = [(k.to("cpu", non_blocking=True).pin_memory(), v.to("cpu").pin_memory()) for k, v in zip(keys, values)]
                torch.cuda.synchronize()
            with record_function("Onboard"):
                back = [(k.to("cuda", non_blocking=True), v.to("cuda", non_blocking=True)) for k, v in host]
                torch.cuda.synchronize()
            with record_function("copyBlock"):
                _ = back[0][0].clone()
                torch.cuda.synchronize()
    trace_tmp = os.path.join(args.out, "trace.json")
    prof.export_chrome_trace(trace_tmp)
    with open(trace_tmp, "rb") as src, gzip.GzipFile(os.path.join(args.out, "trace.json.gz"), "wb", mtime=0) as dst:
        shutil.copyfileobj(src, dst)
    os.remove(trace_tmp)
    write_pool(args, keys, values)
    with open(os.path.join(args.out, "capture.json"), "w") as f:
        json.dump({
            "script": "scripts/capture_reference.py",
            "gpu": torch.cuda.get_device_name(0),
            "torch": torch.__version__,
            "model": {"architecture": "LlamaForCausalLM (random weights, seed 0)", **GEOMETRY},
            "prompt_tokens": args.prompt_tokens,
            "decode_steps": args.decode_steps,
            "generated_token_ids": [int(t) for t in torch.cat(generated, 1)[0].tolist()],
        }, f, indent=2)


def kv_tensors(past):
    """Per-layer K and V as [heads, seq, dim] across transformers versions (Cache objects or tuples)."""
    if hasattr(past, "layers"):
        pairs = [(layer.keys, layer.values) for layer in past.layers]
    elif hasattr(past, "key_cache"):
        pairs = list(zip(past.key_cache, past.value_cache))
    else:
        pairs = [(k, v) for k, v in past]
    return [k[0] for k, _ in pairs], [v[0] for _, v in pairs]


def write_pool(args, keys, values) -> None:
    import torch

    g = GEOMETRY
    T, L, Hk, D = g["tokens_per_block"], g["layers"], g["kv_heads"], g["head_dim"]
    seq = keys[0].shape[1]
    used = -(-seq // T)
    blocks = used + args.unused_blocks
    pool = torch.zeros((blocks, L, 2, Hk, T, D), dtype=torch.bfloat16)
    for layer in range(L):
        for plane, tensor in ((0, keys[layer]), (1, values[layer])):
            cpu = tensor.to("cpu", torch.bfloat16)  # [Hk, seq, D]
            for b in range(used):
                chunk = cpu[:, b * T : min(seq, (b + 1) * T)]
                pool[b, layer, plane, :, : chunk.shape[1]] = chunk
    pool.view(torch.int16).numpy().tofile(os.path.join(args.out, "block_pool.bin"))
    sidecar = {
        "layout": "hnd",
        "dtype": "bf16",
        "blocks": blocks,
        "layers": L,
        "kv_factor": 2,
        "kv_heads": Hk,
        "tokens_per_block": T,
        "head_dim": D,
        "block_tokens": [
            {"block": b, "sequence": 0, "first_position": b * T, "count": min(T, seq - b * T)} for b in range(used)
        ],
    }
    with open(os.path.join(args.out, "block_pool.json"), "w") as f:
        json.dump(sidecar, f, indent=2)


if __name__ == "__main__":
    main()
