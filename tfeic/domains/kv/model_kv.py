"""KV bytes per token and per context of a Hugging Face checkpoint, per kind of attention layer.

Until the per-layer-kind geometry of ``engine_config`` lands (it will then be the one place this is
worked out), a model comparison needs the truth for today's architectures, which one uniform
``KvGeometry`` cannot state. So a checkpoint's layers are grouped by kind, each group a
``KvGeometry`` (the same arithmetic as every other KV number in tfeic) plus the window its layers
keep:

* full attention (GQA): K and V of ``num_key_value_heads`` x ``head_dim`` per layer
  (vLLM ``vllm/v1/kv_cache_interface.py``: ``AttentionSpec.real_page_size_bytes`` =
  2 x block x heads x head size x dtype bytes);
* sliding window (``layer_types`` entries ``sliding_attention``, window ``sliding_window``, as
  gpt-oss's ``GptOssAttention`` reads them): the same bytes per token, but a session keeps at most
  the window of tokens in those layers (vLLM ``SlidingWindowSpec`` frees blocks outside it);
* MLA (``deepseek_v3``): one latent of ``kv_lora_rank + qk_rope_head_dim`` per token and layer, K and
  V not stored apart (vLLM ``vllm/config/model.py``: ``ModelConfig.get_head_size`` returns
  ``kv_lora_rank + qk_rope_head_dim`` and ``get_num_kv_heads`` 1 under MLA;
  ``MLAAttentionSpec.real_page_size_bytes`` has no factor 2): a geometry of one head, kv_factor 1.

The KV element type is the model's ``torch_dtype`` unless ModelOpt's ``hf_quant_config.json`` sets
``kv_cache_quant_algo`` (FP8 or INT8), which TensorRT-LLM's PyTorch backend uses when the KV dtype is
left on ``auto``. Layer kinds this module has not read (linear attention, Mamba, per-layer heads)
are refused with the key that holds them, never counted as attention.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from .dtypes import dtype_named
from .geometry import KvGeometry
from .param_parts import ConfigGap, ConfigKeys

TOKENS_PER_BLOCK = 32  # only block-sized figures use it; bytes per token and per context do not


@dataclass(frozen=True)
class LayerGroup:
    """Layers of one kind: their geometry (``layers`` of them) and the tokens each keeps (None: all)."""

    kind: str  # full | sliding | mla
    geometry: KvGeometry
    window: int | None = None

    def context_bytes(self, tokens: int) -> int:
        kept = tokens if self.window is None else min(tokens, self.window)
        return self.geometry.bytes_per_token * kept


@dataclass(frozen=True)
class ModelKv:
    groups: tuple[LayerGroup, ...]
    dtype_origin: str  # where the KV element type came from, in words

    @property
    def bytes_per_token(self) -> int:
        """What one token adds while every layer still keeps it (before any window is full)."""
        return sum(g.geometry.bytes_per_token for g in self.groups)

    def context_bytes(self, tokens: int) -> int:
        """KV of one session of ``tokens`` tokens: sliding layers keep at most their window."""
        return sum(g.context_bytes(tokens) for g in self.groups)

    @property
    def dtype(self) -> str:
        return self.groups[0].geometry.dtype

    def per_rank(self, tp: int) -> "ModelKv":
        """What one of ``tp`` tensor-parallel ranks holds: its share of each group's KV heads,
        rounded up, so at least one (replicated when tp exceeds the heads, as vLLM's
        ``ModelConfig.get_num_kv_heads`` and ``EngineInfo.rank_kv_heads`` do); an MLA latent is one
        head, so every rank holds all of it."""
        return replace(self, groups=tuple(
            replace(g, geometry=replace(g.geometry, kv_heads=-(-g.geometry.kv_heads // tp))) for g in self.groups))


def _kv_dtype(config: dict[str, Any], modelopt: dict[str, Any] | None) -> tuple[str, str]:
    quant = (modelopt or {}).get("quantization")
    algo = quant.get("kv_cache_quant_algo") if isinstance(quant, dict) else None
    if algo is not None:
        named = {"FP8": "fp8_e4m3", "INT8": "int8"}.get(str(algo).upper())
        if named is None:
            raise ConfigGap(f"hf_quant_config.json: quantization.kv_cache_quant_algo {algo!r} is not FP8 or INT8")
        return named, f"hf_quant_config.json kv_cache_quant_algo {algo}"
    said = config.get("torch_dtype") or config.get("dtype")
    known = dtype_named(str(said or "bfloat16"))
    if known is None:
        raise ConfigGap(f"torch_dtype {said!r} is not a KV element type tfeic knows")
    return known.name, f"torch_dtype {said}" if said else "bfloat16 (config names no torch_dtype)"


def model_kv(config: dict[str, Any], modelopt: dict[str, Any] | None = None) -> ModelKv:
    """The layer groups of a checkpoint config; ConfigGap names a key it cannot use."""
    c = ConfigKeys(config)
    dtype, origin = _kv_dtype(config, modelopt)
    layers = c.layers()

    def geometry(n: int, heads: int, head_dim: int, kv_factor: int = 2) -> KvGeometry:
        return KvGeometry(n, heads, TOKENS_PER_BLOCK, head_dim, dtype, kv_factor=kv_factor)

    if config.get("model_type") == "deepseek_v3":
        latent = c.count("kv_lora_rank") + c.count("qk_rope_head_dim")
        return ModelKv((LayerGroup("mla", geometry(layers, 1, latent, kv_factor=1)),), origin)
    heads = c.count("num_key_value_heads", c.count("num_attention_heads"))
    types = config.get("layer_types")
    if types is None:
        if c.flag("use_sliding_window"):
            raise ConfigGap("use_sliding_window is true without layer_types (per-layer windows are not read here)")
        return ModelKv((LayerGroup("full", geometry(layers, heads, c.head_dim())),), origin)
    if not isinstance(types, list) or len(types) != layers or not all(isinstance(t, str) for t in types):
        raise ConfigGap(f"layer_types must list num_hidden_layers ({layers}) layer kinds, found {types!r}"[:200])
    unknown = sorted({t for t in types if t not in ("full_attention", "sliding_attention")})
    if unknown:
        raise ConfigGap(f"layer_types holds {unknown!r}: only full_attention and sliding_attention are read here")
    full, sliding = types.count("full_attention"), types.count("sliding_attention")
    groups = [LayerGroup("full", geometry(full, heads, c.head_dim()))] if full else []
    if sliding:
        groups.append(LayerGroup("sliding", geometry(sliding, heads, c.head_dim()), c.count("sliding_window")))
    return ModelKv(tuple(groups), origin)
