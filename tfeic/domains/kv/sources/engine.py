"""Source kind ``engine``: model and KV geometry from a TensorRT engine dir or HF checkpoint dir.

Templates get the ``EngineInfo``: the old uniform fields plus ``model`` (``ModelGeometry``: per-layer
kinds, ``bytes_per_sequence(n)``, ``rank_bytes_per_token()``, ``sources``) when read from files.

Also home of the geometry fields every KV source accepts (``GEOMETRY_PROPERTIES``) and of
``resolve_spec_geometry``, so ``engine``, ``kv`` and ``connector_cache`` override geometry the same way
(through ``kv.resolve``, as ``tfeic kv`` does with its flags).
"""

from __future__ import annotations

import os
from dataclasses import replace

from tfeic.core.diagnostics import Diagnostic, SpecError
from tfeic.domains.kv.dtypes import DTYPES
from tfeic.domains.kv.engine_config import EngineInfo, config_path, read_engine
from tfeic.domains.kv.geometry import KvGeometry
from tfeic.domains.kv.pool import Sidecar
from tfeic.domains.kv.resolve import resolve_geometry
from tfeic.domains.kv.engine_weights import read_dir_weights
from tfeic.domains.kv.weights import INDEX, MODELOPT, ModelWeights
from tfeic.deck.model import SourceSpec
from tfeic.sources import SOURCES, ResolveContext, Source

GEOMETRY_PROPERTIES = {
    "layers": {"type": "integer", "minimum": 1, "description": "Layers in the pool (overrides the engine)."},
    "kv_dims": {"type": "array", "items": {"type": "integer", "minimum": 1}, "minItems": 4, "maxItems": 4,
                "description": "[kv_factor, Hk, T, D] as the seed tool's --kv-dims, e.g. [2, 8, 32, 16]."},
    "tokens_per_block": {"type": "integer", "minimum": 1, "description": "Tokens per KV block (T)."},
    "dtype": {"enum": sorted(DTYPES), "description": "KV element type."},
    "dtype_bytes": {"enum": [1, 2, 4], "description": "Bytes per element (the seed's --dtype-bytes); picks fp8_e4m3/fp16/fp32 unless dtype already has that size."},
    "layout": {"enum": ["hnd", "nhd"], "description": "hnd = [.., Hk, T, D] (TRTLLM backend), nhd = [.., T, Hk, D] (FlashInfer)."},
}
GEOMETRY_KEYS = tuple(GEOMETRY_PROPERTIES)

# What a dry run shows for an engine: a Llama-3.1-8B twin (the reference model of the facts file).
SYNTHETIC_ENGINE = EngineInfo(architecture="LlamaForCausalLM (synthetic)", layers=32, heads=32, kv_heads=8,
                              head_dim=128, dtype="bfloat16", kv_dtype="bf16", tokens_per_block=32, format="synthetic",
                              weights=ModelWeights(16_060_522_496, "synthetic: Llama-3.1-8B's 8,030,261,248 parameters x 2 bytes", how="synthetic"))


def resolve_spec_geometry(spec: SourceSpec, base: KvGeometry | None, sidecar: str | None = None) -> tuple[KvGeometry, Sidecar | None]:
    """The spec's geometry fields over the sidecar over ``base`` (``kv.resolve``); geometry fields
    that leave no possible geometry name the spec position."""
    given = {k: spec.options[k] for k in GEOMETRY_KEYS if k in spec.options}
    key = next(iter(given), None)
    return resolve_geometry(base=base, sidecar=sidecar, overrides=given, bad_overrides=lambda reason: SpecError(
        Diagnostic(f"sources.{spec.name}: {reason}", spec.pos_of(key) if key else spec.pos)))


def apply_geometry_options(spec: SourceSpec, base: KvGeometry | None) -> KvGeometry:
    """The spec's geometry fields over ``base``, for sources without a sidecar."""
    return resolve_spec_geometry(spec, base)[0]


@SOURCES.register
class EngineSource(Source):
    name = "engine"
    input_fields = ("path", "kv_cache_config")
    summary = "Model and KV geometry from a TensorRT-LLM engine dir or a Hugging Face checkpoint dir."
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["path"],
        "properties": {
            "path": {"type": "string", "description": "Engine dir, checkpoint dir, or their config.json."},
            "kv_cache_config": {"type": "string", "description": "LLM-API options YAML with kv_cache_config (checkpoint dirs): tokens_per_block, dtype, host_cache_size."},
            "strict_trtllm": {"type": "boolean", "default": False, "description": "Fail (exit 3) unless the tensorrt_llm package is installed."},
            **GEOMETRY_PROPERTIES,
        },
    }

    def load(self, spec: SourceSpec, ctx: ResolveContext) -> EngineInfo:
        kv_config = ctx.path(spec, "kv_cache_config") if "kv_cache_config" in spec.options else None
        path = ctx.path(spec, "path", allow_dir=True)
        info = read_engine(path, kv_cache_config=kv_config, strict_trtllm=bool(spec.options.get("strict_trtllm", False)))
        info = replace(info, weights=read_dir_weights(path, info))
        if not any(k in spec.options for k in GEOMETRY_KEYS):
            return info  # templates see info.model (per-layer kinds, per-rank sizes) as read
        return info.with_geometry(apply_geometry_options(spec, info.geometry))

    def synthetic(self, spec: SourceSpec, ctx: ResolveContext) -> EngineInfo:
        return SYNTHETIC_ENGINE.with_geometry(apply_geometry_options(spec, SYNTHETIC_ENGINE.geometry))

    def inputs(self, spec: SourceSpec, ctx: ResolveContext) -> list[str]:
        config = config_path(ctx.path(spec, "path", allow_dir=True))
        paths = [config] + [p for name in (MODELOPT, INDEX) if os.path.isfile(p := os.path.join(os.path.dirname(config), name))]
        if "kv_cache_config" in spec.options:
            paths.append(ctx.path(spec, "kv_cache_config"))
        return paths
