"""The kind of every decoder layer, from a Hugging Face (or TensorRT-LLM pretrained) config mapping.

One function per way a config says which layers attend and how, each from the code that reads it:

* ``kv_lora_rank`` (DeepSeek-V2/V3, Kimi-K2): every layer an MLA latent of ``kv_lora_rank +
  qk_rope_head_dim`` (TensorRT-LLM ``_torch/pyexecutor/resource_manager.py``
  ``KVCacheManager.get_cache_size_per_token``);
* ``block_configs`` (DeciLM / Llama-Nemotron Super, ``num_key_value_heads: null``): per block
  ``attention.no_op`` / ``replace_with_linear`` -> no cache, else ``num_attention_heads //
  n_heads_in_group`` KV heads (vLLM ``ModelConfig.get_total_num_kv_heads`` for "nemotron-nas", SGLang
  ``srt/configs/model_config.py`` the same; per block here, as the blocks may differ);
* ``hybrid_override_pattern`` (Nemotron-H): ``*`` attention, ``M`` Mamba-2, ``-``/``E`` MLP/MoE only
  (transformers ``NemotronHConfig.layers_block_type``);
* ``layer_types`` (transformers >= 4.53: Gemma-2/3, gpt-oss, Qwen3-Next, Qwen3.5): ``full_attention``,
  ``sliding_attention`` (window ``sliding_window``), ``linear_attention`` (Gated DeltaNet state);
  older Gemma configs without it: ``sliding_window_pattern`` (Gemma-3: layer i is global when
  ``(i + 1) % pattern == 0``) or, for ``model_type`` gemma2, every other layer (``(i + 1) % 2``),
  as transformers' ``Gemma2Config`` / ``Gemma3TextConfig`` derive ``layer_types``; Qwen3-Next
  without it: ``full_attention_interval`` (``Qwen3NextConfig``);
* ``attn_layer_period`` / ``attn_layer_offset`` (Jamba): layer i attends when ``i % period == offset``,
  the others are Mamba-1 (transformers ``JambaConfig.layers_block_type``);
* otherwise every layer full attention with ``num_key_value_heads`` (default ``num_attention_heads``,
  vLLM ``ModelConfig.get_total_num_kv_heads``) heads of ``head_dim`` (default hidden_size / heads, as
  TensorRT-LLM ``KVCacheManager.get_cache_size_per_token`` does).

Recurrent state sizes are vLLM's ``MambaStateShapeCalculator`` (``vllm/model_executor/layers/mamba/
mamba_utils.py``): Mamba-2 ``conv (intermediate + 2 n_groups d_state) x (conv_kernel - 1)`` and
``ssm heads x head_dim x d_state``; Mamba-1 ``conv intermediate x (d_conv - 1)``, ``ssm intermediate x
d_state``; Gated DeltaNet ``conv (2 Dk Hk + Dv Hv) x (kernel - 1)``, ``ssm Hv x Dk x Dv``. The conv
state is in the model dtype, the SSM state in ``mamba_ssm_cache_dtype`` / ``mamba_ssm_dtype`` when the
config names one (vLLM ``MambaStateDtypeCalculator``; "auto" = model dtype).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .dtypes import dtype_named
from .layer_kinds import FULL, MLA, NONE, SLIDING, STATE, LayerKind, StateTensor


# Keys a published config may leave out because its transformers class supplies them; only the ones
# that size the cache, each from the class's ``__init__`` signature.
CLASS_DEFAULTS: dict[str, tuple[str, dict[str, int]]] = {
    # transformers src/transformers/models/gemma3/configuration_gemma3.py, Gemma3TextConfig.__init__
    "gemma3_text": ("transformers Gemma3TextConfig", {"num_attention_heads": 8, "num_key_value_heads": 4,
                                                     "head_dim": 256, "sliding_window": 4096,
                                                     "sliding_window_pattern": 6}),
}


MAX_LAYERS = 10_000  # far above any published model (Nemotron-H-56B has 118); a bound, so no config makes a hang


class ConfigProblem(Exception):
    """A config value tfeic needs and cannot read: the key (dotted path) and what was found."""

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key, self.message = key, message


@dataclass
class ConfigView:
    """A config mapping (perhaps nested under ``text_config``) with the dotted prefix of its keys,
    recording where every value it hands out came from."""
    doc: dict
    prefix: str = ""
    file: str = "config.json"
    sources: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        model_type = self.doc.get("model_type")
        cls, defaults = CLASS_DEFAULTS.get(model_type, ("", {})) if isinstance(model_type, str) else ("", {})
        self.defaulted = {k: f"{cls} default {v}" for k, v in defaults.items() if k not in self.doc}
        if self.defaulted:
            self.doc = {**{k: defaults[k] for k in self.defaulted}, **self.doc}

    def where(self, key: str) -> str:
        if key in self.defaulted:
            return f"{self.file}: no {self.prefix}{key}, {self.defaulted[key]}"
        return f"{self.file}: {self.prefix}{key}"

    def has(self, key: str) -> bool:
        return self.doc.get(key) is not None

    def int(self, key: str, *, default: int | None = None, note: str = "", minimum: int = 1,
            maximum: int | None = None) -> int:
        value = self.doc.get(key)
        if value is None:
            if default is None:
                raise ConfigProblem(self.prefix + key, f"needs {self.prefix}{key}, found {'null' if key in self.doc else 'nothing'}")
            if note:
                self.sources[note] = f"{self.file}: {self.prefix}{key} absent, {default} ({note})"
            return default
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise ConfigProblem(self.prefix + key, f"{self.prefix}{key} must be an integer >= {minimum}, found {value!r}")
        if maximum is not None and value > maximum:
            raise ConfigProblem(self.prefix + key, f"{self.prefix}{key} must be at most {maximum}, found {value!r}")
        return value

    def note(self, what: str, key: str) -> None:
        self.sources[what] = self.where(key)


def _elem_bytes(name: str | None, fallback: int, key: str, c: ConfigView) -> int:
    if name in (None, "auto"):
        return fallback
    known = dtype_named(str(name))
    if known is None:
        raise ConfigProblem(c.prefix + key, f"{c.prefix}{key} names no dtype tfeic knows, found {name!r}")
    return known.nbytes


def attention_shape(c: ConfigView, kv_heads: int | None = None) -> tuple[int, int]:
    """(kv heads, head_dim) of a plain attention layer."""
    heads = c.int("num_attention_heads")
    if kv_heads is None:
        kv_heads = c.int("num_key_value_heads", default=heads)
        c.note("kv_heads", "num_key_value_heads" if c.has("num_key_value_heads") else "num_attention_heads")
    for key in ("head_dim", "attention_head_dim", "head_size"):
        if c.has(key):
            c.note("head_dim", key)
            return kv_heads, c.int(key)
    hidden = c.int("hidden_size")
    c.sources["head_dim"] = f"{c.where('hidden_size')} / {c.prefix}num_attention_heads"
    return kv_heads, hidden // heads


def _ssm_bytes(c: ConfigView, model_bytes: int) -> int:
    for key in ("mamba_ssm_cache_dtype", "mamba_ssm_dtype"):
        if c.has(key):
            c.note("state_dtype", key)
            return _elem_bytes(c.doc[key], model_bytes, key, c)
    c.sources["state_dtype"] = f"{c.file}: no mamba_ssm_cache_dtype, the model dtype (vLLM 'auto')"
    return model_bytes


def _mamba2(c: ConfigView, model_bytes: int) -> LayerKind:
    heads, head_dim, d_state = c.int("mamba_num_heads"), c.int("mamba_head_dim"), c.int("ssm_state_size")
    conv_dim = heads * head_dim + 2 * c.int("n_groups") * d_state
    c.sources["state"] = f"{c.file}: {c.prefix}mamba_num_heads, mamba_head_dim, n_groups, ssm_state_size, conv_kernel"
    return LayerKind(STATE, state=(StateTensor("conv", conv_dim, c.int("conv_kernel") - 1, model_bytes),
                                   StateTensor("ssm", heads, head_dim * d_state, _ssm_bytes(c, model_bytes))))


def _mamba1(c: ConfigView, model_bytes: int) -> LayerKind:
    inner = c.int("mamba_expand") * c.int("hidden_size")
    c.sources["state"] = f"{c.file}: {c.prefix}mamba_expand x hidden_size, mamba_d_conv, mamba_d_state"
    return LayerKind(STATE, state=(StateTensor("conv", inner, c.int("mamba_d_conv") - 1, model_bytes),
                                   StateTensor("ssm", inner, c.int("mamba_d_state"), _ssm_bytes(c, model_bytes))))


def _gated_delta_net(c: ConfigView, model_bytes: int) -> LayerKind:
    hk, hv = c.int("linear_num_key_heads"), c.int("linear_num_value_heads")
    dk, dv = c.int("linear_key_head_dim"), c.int("linear_value_head_dim")
    c.sources["state"] = f"{c.file}: {c.prefix}linear_num_key_heads/value_heads, linear_key/value_head_dim, linear_conv_kernel_dim"
    return LayerKind(STATE, state=(StateTensor("conv", 2 * dk * hk + dv * hv, c.int("linear_conv_kernel_dim") - 1, model_bytes),
                                   StateTensor("ssm", hv, dk * dv, _ssm_bytes(c, model_bytes))))


def _window(c: ConfigView) -> int:
    c.note("window", "sliding_window")
    return c.int("sliding_window")


def _from_layer_types(c: ConfigView, types: list, model_bytes: int) -> list[LayerKind]:
    kv_heads, head_dim = attention_shape(c)
    made: dict[str, Callable[[], LayerKind]] = {
        "full_attention": lambda: LayerKind(FULL, kv_heads, head_dim),
        "sliding_attention": lambda: LayerKind(SLIDING, kv_heads, head_dim, window=_window(c)),
        "linear_attention": lambda: _gated_delta_net(c, model_bytes),
    }
    out = []
    for i, kind in enumerate(types):
        if kind not in made:
            raise ConfigProblem(f"{c.prefix}layer_types[{i}]", f"{c.prefix}layer_types[{i}] is a layer kind tfeic does not know, found {kind!r}")
        out.append(made[kind]())
    return out


def _derived_layer_types(c: ConfigView, layers: int) -> list[str] | None:
    """``layer_types`` as transformers derives it for configs written before the key existed."""
    model_type = str(c.doc.get("model_type", ""))
    if c.has("sliding_window_pattern"):
        pattern = c.int("sliding_window_pattern")
        c.note("layer_kinds", "sliding_window_pattern")
        return ["sliding_attention" if (i + 1) % pattern else "full_attention" for i in range(layers)]
    if model_type == "gemma2" and c.has("sliding_window"):
        c.sources["layer_kinds"] = f"{c.file}: {c.prefix}model_type gemma2 (every other layer sliding, Gemma2Config)"
        return ["sliding_attention" if (i + 1) % 2 else "full_attention" for i in range(layers)]
    if c.has("full_attention_interval") and c.has("linear_num_value_heads"):
        interval = c.int("full_attention_interval")
        c.note("layer_kinds", "full_attention_interval")
        return ["linear_attention" if (i + 1) % interval else "full_attention" for i in range(layers)]
    return None


def _from_block_configs(c: ConfigView, blocks: list) -> list[LayerKind]:
    heads = c.int("num_attention_heads")
    c.sources["kv_heads"] = f"{c.file}: {c.prefix}block_configs[i].attention.n_heads_in_group"
    out = []
    for i, block in enumerate(blocks):
        attn = block.get("attention") if isinstance(block, dict) else None
        if not isinstance(attn, dict):
            raise ConfigProblem(f"block_configs[{i}].attention", f"needs block_configs[{i}].attention, found {attn!r}")
        if attn.get("no_op") or attn.get("replace_with_linear"):
            out.append(LayerKind(NONE))
            continue
        group = ConfigView(attn, f"{c.prefix}block_configs[{i}].attention.", c.file).int("n_heads_in_group")
        kv_heads, head_dim = attention_shape(c, heads // group)
        window = attn.get("window_length")
        out.append(LayerKind(SLIDING, kv_heads, head_dim, window=window) if isinstance(window, int) and window > 0
                   else LayerKind(FULL, kv_heads, head_dim))
    return out


def _from_hybrid_pattern(c: ConfigView, pattern: str, model_bytes: int) -> list[LayerKind]:
    kv_heads, head_dim = attention_shape(c)
    c.note("layer_kinds", "hybrid_override_pattern")
    out = []
    for i, ch in enumerate(pattern):
        if ch == "*":
            out.append(LayerKind(FULL, kv_heads, head_dim))
        elif ch == "M":
            out.append(_mamba2(c, model_bytes))
        elif ch in "-E":
            out.append(LayerKind(NONE))
        else:
            raise ConfigProblem("hybrid_override_pattern", f"{c.prefix}hybrid_override_pattern[{i}] is a block tfeic does not know, found {ch!r}")
    return out


def _from_jamba(c: ConfigView, layers: int, model_bytes: int) -> list[LayerKind]:
    period, offset = c.int("attn_layer_period"), c.int("attn_layer_offset", minimum=0)
    kv_heads, head_dim = attention_shape(c)
    c.note("layer_kinds", "attn_layer_period")
    mamba = _mamba1(c, model_bytes)
    return [LayerKind(FULL, kv_heads, head_dim) if i % period == offset else mamba for i in range(layers)]


def layer_kinds(c: ConfigView, model_bytes: int) -> list[LayerKind]:
    """Every decoder layer's kind; ConfigProblem names the key when the config cannot be read."""
    if c.doc.get("attention_k_eq_v"):
        raise ConfigProblem("attention_k_eq_v", f"{c.prefix}attention_k_eq_v is true (K shared as V on global layers): "
                            "a cache layout tfeic does not model, found True")
    layers = c.int("num_hidden_layers", maximum=MAX_LAYERS)
    c.note("layers", "num_hidden_layers")
    if c.has("attention_chunk_size"):  # Llama-4: chunked local attention on 3 of 4 layers
        c.sources["layer_kinds"] = (f"{c.where('attention_chunk_size')} not modelled: every layer counted as full "
                                    "attention (an upper bound for the chunked layers)")
    if c.has("kv_lora_rank"):
        latent = c.int("kv_lora_rank") + c.int("qk_rope_head_dim")
        c.sources["head_dim"] = f"{c.where('kv_lora_rank')} + {c.prefix}qk_rope_head_dim (MLA latent)"
        return [LayerKind(MLA, 1, latent)] * layers
    if isinstance(c.doc.get("block_configs"), list):
        kinds = _from_block_configs(c, c.doc["block_configs"])
    elif isinstance(c.doc.get("hybrid_override_pattern"), str):
        kinds = _from_hybrid_pattern(c, c.doc["hybrid_override_pattern"], model_bytes)
    elif c.has("attn_layer_period"):
        kinds = _from_jamba(c, layers, model_bytes)
    else:
        types = c.doc.get("layer_types")
        if isinstance(types, list):
            c.note("layer_kinds", "layer_types")
        else:
            types = _derived_layer_types(c, layers)
        if types is not None:
            kinds = _from_layer_types(c, types, model_bytes)
        elif c.has("sliding_window") and c.doc.get("use_sliding_window", True) is not False:
            kv_heads, head_dim = attention_shape(c)
            kinds = [LayerKind(SLIDING, kv_heads, head_dim, window=_window(c))] * layers
        else:
            kinds = [LayerKind(FULL, *attention_shape(c))] * layers
    if len(kinds) != layers:
        raise ConfigProblem("num_hidden_layers", f"{c.prefix}num_hidden_layers is {layers} but the per-layer description has {len(kinds)} entries")
    return kinds
