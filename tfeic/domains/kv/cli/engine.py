"""``tfeic engine inspect DIR``: what an engine or checkpoint dir says about the KV cache.

``--json`` prints the object documented in ``schemas/engine-inspect.schema.json`` (a stable contract).
"""

from __future__ import annotations

from tfeic.core.terminal import print_json, show


def summary(info) -> dict:
    """The ``engine inspect --json`` object."""
    out = {
        "architecture": info.architecture,
        "format": info.format,
        "layers": info.layers,
        "heads": info.heads,
        "kv_heads": info.kv_heads,
        "head_dim": info.head_dim,
        "dtype": info.dtype,
        "kv_dtype": info.kv_dtype,
        "tokens_per_block": info.tokens_per_block,
        "bytes_per_token": info.bytes_per_token,
        "bytes_per_block": info.bytes_per_block,
        "tp": info.tp,
        "pp": info.pp,
        "cp": info.cp,
    }
    if info.parallel:
        rank = info.rank_geometry
        out["per_rank"] = {"heads": info.rank_heads, "kv_heads": info.rank_kv_heads, "layers": info.rank_layers,
                           "bytes_per_token": rank.bytes_per_token, "bytes_per_block": rank.block_bytes}
    return out


def run(args) -> int:
    from ..engine_config import read_engine  # numpy-backed: imported when the command runs
    from ..memory import human_bytes

    info = read_engine(args.dir, kv_cache_config=args.kv_cache_config, strict_trtllm=args.strict_trtllm)
    data = summary(info)
    if args.json:
        print_json(data)
        return 0
    width = max(len(k) for k in data)
    for key, value in data.items():
        if key == "per_rank":
            continue
        shown = f"{value} ({human_bytes(value)})" if key.startswith("bytes_") else value
        show(f"{key:<{width}}  {shown}")
    for key, value in data.get("per_rank", {}).items():
        show(f"{'rank ' + key:<{width}}  {value}")
    return 0


def add_parser(subparsers) -> None:
    engine = subparsers.add_parser("engine", help="inspect TensorRT-LLM engine / checkpoint dirs")
    sub = engine.add_subparsers(dest="engine_command", metavar="SUBCOMMAND", required=True)
    inspect = sub.add_parser("inspect", help="model and KV cache geometry of an engine or checkpoint dir")
    inspect.add_argument("dir", help="engine dir, checkpoint dir, or its config.json")
    inspect.add_argument("--kv-cache-config", metavar="YAML", help="LLM-API options with kv_cache_config (checkpoint dirs)")
    inspect.add_argument("--strict-trtllm", action="store_true", help="fail unless the tensorrt_llm package is installed")
    inspect.add_argument("--json", action="store_true", help="print the stable JSON object (schemas/engine-inspect.schema.json)")
    inspect.set_defaults(func=run)
