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
* ``mixtral`` (``models/mixtral/modeling_mixtral.py``): Llama attention; every layer a
  ``MixtralSparseMoeBlock``: a router ``gate`` Linear(hidden, ``num_local_experts``) and that many
  gated experts of ``intermediate_size`` (w1/w3 in, w2 out; ``MixtralExperts``).
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
The families whose layers differ from Llama's are in ``param_variants`` (Gemma-2/3, Llama-4 text,
DeciLM / Nemotron-NAS ``block_configs``) and ``param_hybrid`` (Nemotron-H, Jamba, Qwen3-Next); a
multimodal wrapper (``text_config``) is counted with its vision tower (``param_vision``: SigLIP of Gemma-3,
Llama-4's) or not at all.
Any other ``model_type`` is refused: a count for an architecture nobody read would be a guess.
"""

from __future__ import annotations

from typing import Any, Callable

from .param_hybrid import jamba, nemotron_h, qwen3_next
from .param_parts import ConfigGap, ConfigKeys, Part, decoder_model, expert_mlps, gated_mlp, linear_parts, norm
from .param_variants import gemma, llama4_text, nemotron_nas
from .param_vision import vision_parts

def _gqa_attention(c: ConfigKeys, prefix: str, model_type: str) -> list[Part]:
    hidden, heads, d = c.count("hidden_size"), c.count("num_attention_heads"), c.head_dim()
    kv = c.count("num_key_value_heads", heads)
    bias = c.flag("attention_bias", model_type == "gpt_oss")
    qkv_bias = bias or model_type == "qwen2"
    parts = [*linear_parts(f"{prefix}.q_proj", heads * d, hidden, qkv_bias), *linear_parts(f"{prefix}.k_proj", kv * d, hidden, qkv_bias),
             *linear_parts(f"{prefix}.v_proj", kv * d, hidden, qkv_bias), *linear_parts(f"{prefix}.o_proj", hidden, heads * d, bias)]
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
        q = linear_parts(f"{prefix}.q_proj", heads * (nope + rope), hidden, False)
    else:
        q = [*linear_parts(f"{prefix}.q_a_proj", q_lora, hidden, bias), Part(f"{prefix}.q_a_layernorm", "other", q_lora),
             *linear_parts(f"{prefix}.q_b_proj", heads * (nope + rope), q_lora, False)]
    return q + [*linear_parts(f"{prefix}.kv_a_proj_with_mqa", kv_lora + rope, hidden, bias),
                Part(f"{prefix}.kv_a_layernorm", "other", kv_lora),
                *linear_parts(f"{prefix}.kv_b_proj", heads * (nope + v), kv_lora, False),
                *linear_parts(f"{prefix}.o_proj", hidden, heads * v, bias)]


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
                    *expert_mlps(f"{prefix}.experts", hidden, c.count("moe_intermediate_size"), experts)]
    if model_type == "mixtral":
        experts = c.count("num_local_experts")
        return [Part(f"{prefix}.gate", "other", experts, hidden),
                *expert_mlps(f"{prefix}.experts", hidden, c.count("intermediate_size"), experts)]
    if model_type == "deepseek_v3":
        routed = c.count("n_routed_experts")
        if layer >= c.count("first_k_dense_replace", 0, minimum=0) and layer % c.count("moe_layer_freq", 1) == 0:
            inner, shared = c.count("moe_intermediate_size"), c.count("n_shared_experts", 0, minimum=0)
            parts = [Part(f"{prefix}.gate", "other", routed, hidden), Part(f"{prefix}.gate.e_score_correction_bias", "other", routed),
                     *expert_mlps(f"{prefix}.experts", hidden, inner, routed)]
            return parts + (gated_mlp(f"{prefix}.shared_experts", hidden, inner * shared) if shared else [])
    return gated_mlp(prefix, hidden, c.count("intermediate_size"), c.flag("mlp_bias"))


def _llama_like(c: ConfigKeys, model_type: str) -> list[Part]:
    layers = []
    for layer in range(c.layers()):
        prefix = f"model.layers.{layer}"
        attention = (_mla_attention(c, f"{prefix}.self_attn") if model_type == "deepseek_v3"
                     else _gqa_attention(c, f"{prefix}.self_attn", model_type))
        layers.append([norm(f"{prefix}.input_layernorm", c.count("hidden_size")),
                       norm(f"{prefix}.post_attention_layernorm", c.count("hidden_size")),
                       *attention, *_feed_forward(c, f"{prefix}.mlp", layer, model_type)])
    return decoder_model(c, layers)


BUILDERS: dict[str, Callable[[ConfigKeys, str], list[Part]]] = {
    **{family: _llama_like for family in ("llama", "mistral", "mixtral", "qwen2", "qwen3", "qwen3_moe", "deepseek_v3",
                                              "gpt_oss")},
    "gemma2": gemma, "gemma3_text": gemma,
    "llama4_text": lambda c, _: llama4_text(c),
    "nemotron-nas": lambda c, _: nemotron_nas(c),
    "nemotron_h": lambda c, _: nemotron_h(c),
    "jamba": lambda c, _: jamba(c),
    "qwen3_next": lambda c, _: qwen3_next(c),
}
FAMILIES = tuple(BUILDERS)


def _language_parts(doc: dict[str, Any], where: str = "") -> list[Part]:
    model_type = doc.get("model_type")
    if model_type is None:
        raise ConfigGap(f"no {where}model_type (a TensorRT-LLM engine or checkpoint config names none)")
    if not isinstance(model_type, str) or model_type not in BUILDERS:
        raise ConfigGap(f"{where}model_type {model_type!r} is not one whose parameters tfeic can count "
                        f"(it counts {', '.join(FAMILIES)})")
    c = ConfigKeys(doc)
    if model_type != "gemma3_text":  # whose class supplies both (param_variants.GEMMA3_TEXT_DEFAULTS)
        c.count("hidden_size"), c.count("vocab_size")  # the keys every family needs, named first
    return BUILDERS[model_type](c, model_type)


def model_parts(doc: dict[str, Any]) -> list[Part]:
    """The weight tensors of the model ``doc`` (a parsed ``config.json``) describes: a decoder-only
    language model, or a multimodal wrapper whose language model is its ``text_config`` plus the
    vision tower ``param_vision`` counts. ConfigGap names the key that is missing, of the wrong
    type, or the family not read here."""
    text = doc.get("text_config")
    if not isinstance(text, dict):
        return _language_parts(doc)
    parts = _language_parts(text, "text_config.")
    return parts + vision_parts(doc, ConfigKeys(text).count("hidden_size"))
