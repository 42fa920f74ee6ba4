"""Every weight tensor a Hugging Face checkpoint config implies, by module name and shape.

When a model directory has neither a ``model.safetensors.index.json`` nor weight files, its size
is derived from ``config.json``: the parts below are the ``nn.Parameter``s the reference modeling
code creates (Hugging Face transformers ``src/transformers/models/<family>/modeling_<family>.py``),
so summing them gives the published parameter counts (Llama-3.1-8B: 8,030,261,248). Families:

* ``llama``, ``mistral``, ``qwen2``, ``qwen3``: ``LlamaModel`` (``embed_tokens``, ``norm``),
  ``LlamaDecoderLayer`` (two RMSNorms), ``LlamaAttention`` (q/k/v/o projections of
  ``num_key_value_heads`` x ``head_dim`` for k and v: GQA; biases when ``attention_bias``; Qwen2
  biases q, k and v, ``Qwen2Attention``), ``LlamaMLP`` (gate/up/down, ``mlp_bias``); Qwen3 adds
  ``q_norm``/``k_norm`` of ``head_dim`` (``Qwen3Attention``).
* ``qwen3_moe``: Qwen3 attention; a layer is sparse when it is not in ``mlp_only_layers`` and
  ``(layer + 1) % decoder_sparse_step == 0`` (``Qwen3MoeDecoderLayer``): a router
  ``Linear(hidden, num_experts)`` and ``num_experts`` MLPs of ``moe_intermediate_size``.
* ``deepseek_v3``: MLA attention (``DeepseekV3Attention``: ``q_a_proj`` + ``q_a_layernorm`` +
  ``q_b_proj``, or ``q_proj`` when ``q_lora_rank`` is null; ``kv_a_proj_with_mqa`` to
  ``kv_lora_rank + qk_rope_head_dim``, ``kv_a_layernorm``, ``kv_b_proj``, ``o_proj``); layers from
  ``first_k_dense_replace`` on (every ``moe_layer_freq``-th, as vLLM's ``deepseek_v2.py`` decides)
  are ``DeepseekV3MoE``: ``n_routed_experts`` MLPs, shared experts of ``moe_intermediate_size x
  n_shared_experts``, a ``DeepseekV3TopkRouter`` (weight + ``e_score_correction_bias``). The
  ``num_nextn_predict_layers`` MTP layer is not counted: ``DeepseekV3Model`` ignores
  ``model.layers.61.*`` when loading (``_keys_to_ignore_on_load_unexpected``), as serving does
  unless it drafts with it.
* ``gpt_oss``: ``GptOssAttention`` (biased q/k/v/o when ``attention_bias``, one ``sinks`` value per
  head), ``GptOssMLP`` = ``GptOssTopKRouter`` (weight + bias) and ``GptOssExperts`` (fused
  ``gate_up_proj`` [E, H, 2I] and ``down_proj`` [E, I, H], each with a bias).

``lm_head`` is counted unless ``tie_word_embeddings`` (every family above defaults it to false).
Any other ``model_type`` is refused: a count for an architecture nobody read would be a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FAMILIES = ("llama", "mistral", "qwen2", "qwen3", "qwen3_moe", "deepseek_v3", "gpt_oss")
MAX_LAYERS = 10_000  # far beyond any published model (DeepSeek-V3: 61, Qwen3-235B: 94); a hostile count stops here


class ConfigGap(ValueError):
    """A config key the count needs is missing or has the wrong type; the message names it."""


@dataclass(frozen=True)
class Part:
    """One weight tensor (or ``copies`` equal ones: the experts of a layer).

    ``kind`` says what a quantization scheme may do to it: ``linear`` (a projection: attention,
    dense MLP, shared expert), ``expert`` (a routed expert's projection), ``head`` (``lm_head``),
    ``other`` (embeddings, norms, biases, routers, sinks: never quantized by the schemes read here).
    A linear part is ``rows`` (out features) x ``cols`` (in features); any other is ``rows`` values.
    """

    name: str
    kind: str
    rows: int
    cols: int = 1
    copies: int = 1

    @property
    def params(self) -> int:
        return self.rows * self.cols * self.copies


class ConfigKeys:
    """Typed access to the keys of one config dict; a bad key is a ConfigGap naming it."""

    def __init__(self, doc: dict[str, Any]):
        self.doc = doc

    def count(self, key: str, default: int | None = None, minimum: int = 1) -> int:
        value = self.doc.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise ConfigGap(f"{key} must be an integer >= {minimum}, found {value!r}")
        return value

    def optional_count(self, key: str) -> int | None:
        return None if self.doc.get(key) is None else self.count(key)

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.doc.get(key, default)
        if not isinstance(value, bool):
            raise ConfigGap(f"{key} must be true or false, found {value!r}")
        return value

    def layers(self) -> int:
        """``num_hidden_layers``, at most ``MAX_LAYERS`` (the counts walk the layers one by one)."""
        layers = self.count("num_hidden_layers")
        if layers > MAX_LAYERS:
            raise ConfigGap(f"num_hidden_layers {layers:,} is beyond {MAX_LAYERS:,}")
        return layers

    def head_dim(self) -> int:
        if self.doc.get("head_dim") is not None:
            return self.count("head_dim")
        return self.count("hidden_size") // self.count("num_attention_heads")


def _linear(name: str, out_features: int, in_features: int, bias: bool, kind: str = "linear") -> list[Part]:
    parts = [Part(name, kind, out_features, in_features)]
    return parts + [Part(f"{name}.bias", "other", out_features)] if bias else parts


def _mlp(prefix: str, hidden: int, inner: int, bias: bool = False) -> list[Part]:
    return [p for proj, out, inn in (("gate_proj", inner, hidden), ("up_proj", inner, hidden), ("down_proj", hidden, inner))
            for p in _linear(f"{prefix}.{proj}", out, inn, bias)]


def _experts(prefix: str, hidden: int, inner: int, count: int) -> list[Part]:
    return [Part(f"{prefix}.0.{proj}", "expert", out, inn, count)
            for proj, out, inn in (("gate_proj", inner, hidden), ("up_proj", inner, hidden), ("down_proj", hidden, inner))]


def _gqa_attention(c: ConfigKeys, prefix: str, model_type: str) -> list[Part]:
    hidden, heads, d = c.count("hidden_size"), c.count("num_attention_heads"), c.head_dim()
    kv = c.count("num_key_value_heads", heads)
    bias = c.flag("attention_bias", model_type == "gpt_oss")
    qkv_bias = bias or model_type == "qwen2"
    parts = [*_linear(f"{prefix}.q_proj", heads * d, hidden, qkv_bias), *_linear(f"{prefix}.k_proj", kv * d, hidden, qkv_bias),
             *_linear(f"{prefix}.v_proj", kv * d, hidden, qkv_bias), *_linear(f"{prefix}.o_proj", hidden, heads * d, bias)]
    if model_type in ("qwen3", "qwen3_moe"):
        parts += [Part(f"{prefix}.q_norm", "other", d), Part(f"{prefix}.k_norm", "other", d)]
    if model_type == "gpt_oss":
        parts.append(Part(f"{prefix}.sinks", "other", heads))
    return parts


def _mla_attention(c: ConfigKeys, prefix: str) -> list[Part]:
    hidden, heads = c.count("hidden_size"), c.count("num_attention_heads")
    q_lora, kv_lora = c.optional_count("q_lora_rank"), c.count("kv_lora_rank")
    nope, rope, v = c.count("qk_nope_head_dim"), c.count("qk_rope_head_dim"), c.count("v_head_dim")
    bias = c.flag("attention_bias")
    if q_lora is None:
        q = _linear(f"{prefix}.q_proj", heads * (nope + rope), hidden, False)
    else:
        q = [*_linear(f"{prefix}.q_a_proj", q_lora, hidden, bias), Part(f"{prefix}.q_a_layernorm", "other", q_lora),
             *_linear(f"{prefix}.q_b_proj", heads * (nope + rope), q_lora, False)]
    return q + [*_linear(f"{prefix}.kv_a_proj_with_mqa", kv_lora + rope, hidden, bias),
                Part(f"{prefix}.kv_a_layernorm", "other", kv_lora),
                *_linear(f"{prefix}.kv_b_proj", heads * (nope + v), kv_lora, False),
                *_linear(f"{prefix}.o_proj", hidden, heads * v, bias)]


def _feed_forward(c: ConfigKeys, prefix: str, layer: int, model_type: str) -> list[Part]:
    hidden = c.count("hidden_size")
    if model_type == "gpt_oss":
        experts, inner = c.count("num_local_experts"), c.count("intermediate_size")
        return [Part(f"{prefix}.router", "other", experts, hidden), Part(f"{prefix}.router.bias", "other", experts),
                Part(f"{prefix}.experts.gate_up_proj", "expert", 2 * inner, hidden, experts),
                Part(f"{prefix}.experts.gate_up_proj_bias", "other", 2 * inner * experts),
                Part(f"{prefix}.experts.down_proj", "expert", hidden, inner, experts),
                Part(f"{prefix}.experts.down_proj_bias", "other", hidden * experts)]
    if model_type == "qwen3_moe":
        only = c.doc.get("mlp_only_layers") or []
        if not isinstance(only, list):
            raise ConfigGap(f"mlp_only_layers must be a list, found {only!r}")
        experts = c.count("num_experts", minimum=0)
        if layer not in only and experts > 0 and (layer + 1) % c.count("decoder_sparse_step", 1) == 0:
            return [Part(f"{prefix}.gate", "other", experts, hidden),
                    *_experts(f"{prefix}.experts", hidden, c.count("moe_intermediate_size"), experts)]
    if model_type == "deepseek_v3":
        routed = c.count("n_routed_experts")
        if layer >= c.count("first_k_dense_replace", 0, minimum=0) and layer % c.count("moe_layer_freq", 1) == 0:
            inner, shared = c.count("moe_intermediate_size"), c.count("n_shared_experts", 0, minimum=0)
            parts = [Part(f"{prefix}.gate", "other", routed, hidden), Part(f"{prefix}.gate.e_score_correction_bias", "other", routed),
                     *_experts(f"{prefix}.experts", hidden, inner, routed)]
            return parts + (_mlp(f"{prefix}.shared_experts", hidden, inner * shared) if shared else [])
    return _mlp(prefix, hidden, c.count("intermediate_size"), c.flag("mlp_bias"))


def model_parts(doc: dict[str, Any]) -> list[Part]:
    """The weight tensors of the decoder-only model ``doc`` (a parsed ``config.json``) describes.
    ConfigGap names the key that is missing, of the wrong type, or the family not read here."""
    model_type = doc.get("model_type")
    if model_type is None:
        raise ConfigGap("no model_type (a TensorRT-LLM engine or checkpoint config names none)")
    if model_type not in FAMILIES:
        raise ConfigGap(f"model_type {model_type!r} is not one whose parameters tfeic can count "
                        f"(it counts {', '.join(FAMILIES)})")
    c = ConfigKeys(doc)
    hidden, vocab = c.count("hidden_size"), c.count("vocab_size")
    parts = [Part("model.embed_tokens", "other", vocab, hidden), Part("model.norm", "other", hidden)]
    for layer in range(c.layers()):
        prefix = f"model.layers.{layer}"
        attention = (_mla_attention(c, f"{prefix}.self_attn") if model_type == "deepseek_v3"
                     else _gqa_attention(c, f"{prefix}.self_attn", model_type))
        parts += [Part(f"{prefix}.input_layernorm", "other", hidden), Part(f"{prefix}.post_attention_layernorm", "other", hidden),
                  *attention, *_feed_forward(c, f"{prefix}.mlp", layer, model_type)]
    if not c.flag("tie_word_embeddings"):
        parts.append(Part("lm_head", "head", vocab, hidden))
    return parts
