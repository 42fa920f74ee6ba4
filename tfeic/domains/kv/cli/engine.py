"""``tfeic engine inspect DIR``: what an engine or checkpoint dir says about the KV cache.

``--json`` prints the object documented in ``schemas/engine-inspect.schema.json`` (a stable contract).
"""

from __future__ import annotations

from tfeic.core.terminal import print_json, show
from ..model_geometry import DEFAULT_SEQUENCE_TOKENS

def run(args) -> int:
    from dataclasses import replace

    from ..engine_config import read_engine  # numpy-backed: imported when the command runs
    from ..engine_weights import read_dir_weights
    info = read_engine(args.dir, kv_cache_config=args.kv_cache_config, strict_trtllm=args.strict_trtllm)
    data = replace(info, weights=read_dir_weights(args.dir, info)).summary(args.sequence_tokens)
    if args.json:
        print_json(data)
        return 0
    nested = ("per_rank", "layer_kinds", "sources", "weights")
    width = max(len(k) for k in data if k not in nested) + 5
    for key, value in data.items():
        if key not in nested:
            show(f"{key:<{width}}  {_shown(key, value)}")
    for kind in data.get("layer_kinds", []):
        show(f"{'kind':<{width}}  {kind['layers']} x {kind['kind']}: " + ", ".join(
            f"{k} {_shown(k, v)}" for k, v in kind.items() if k not in ("kind", "layers") and v))
    for key, value in data.get("per_rank", {}).items():
        show(f"{'rank ' + key:<{width}}  {_shown(key, value)}")
    weights = data["weights"]
    size = "unknown" if weights["bytes"] is None else f"{_shown('bytes', weights['bytes'])}, {weights['how']}"
    show(f"{'weights':<{width}}  {size}: {weights['origin']}")
    for key, value in data.get("sources", {}).items():
        show(f"{'from ' + key:<{width}}  {value}")
    return 0


def _shown(key: str, value) -> str:
    from tfeic.domains.kv.memory import human_bytes

    return f"{value} ({human_bytes(value)})" if "bytes" in key and isinstance(value, int) else str(value)


def add_parser(subparsers) -> None:
    engine = subparsers.add_parser("engine", help="inspect TensorRT-LLM engine / checkpoint dirs")
    sub = engine.add_subparsers(dest="engine_command", metavar="SUBCOMMAND", required=True)
    inspect = sub.add_parser("inspect", help="model and KV cache geometry of an engine or checkpoint dir")
    inspect.add_argument("dir", help="engine dir, checkpoint dir, or its config.json")
    inspect.add_argument("--kv-cache-config", metavar="YAML", help="LLM-API options with kv_cache_config (checkpoint dirs)")
    inspect.add_argument("--strict-trtllm", action="store_true", help="fail unless the tensorrt_llm package is installed")
    inspect.add_argument("--sequence-tokens", type=int, default=DEFAULT_SEQUENCE_TOKENS, metavar="N",
                         help=f"sequence length for bytes_per_sequence (default {DEFAULT_SEQUENCE_TOKENS})")
    inspect.add_argument("--json", action="store_true", help="print the stable JSON object (schemas/engine-inspect.schema.json)")
    inspect.set_defaults(func=run)
