"""Parameter parts of the attention-only families whose layers differ from Llama's.

* ``gemma2`` / ``gemma3_text`` (transformers ``models/gemma2/modeling_gemma2.py``,
  ``models/gemma3/modeling_gemma3.py``): ``Gemma2Attention`` / ``Gemma3Attention`` q/k/v/o (bias
  ``attention_bias``; Gemma-3 adds ``q_norm``/``k_norm`` of ``head_dim``), a gated MLP, FOUR norms per
  layer (``input_layernorm``, ``post_attention_layernorm``, ``pre_feedforward_layernorm``,
  ``post_feedforward_layernorm``); sliding and global layers have the same weights. Embeddings are
  tied by default (``Gemma2Config`` / ``Gemma3TextConfig`` ``tie_word_embeddings=True``), and a
  Gemma-3 text config may leave sizes to ``Gemma3TextConfig``'s defaults (``GEMMA3_TEXT_DEFAULTS``).
* ``llama4_text`` (``models/llama4/modeling_llama4.py``): ``Llama4TextAttention`` q/k/v/o (its qk norm
  is a weightless L2 norm); layer i is ``Llama4TextMoe`` when it is in ``moe_layers`` (default every
  ``interleave_moe_layer_step``-th: ``range(step - 1, layers, step)``, ``Llama4TextConfig``):
  ``Llama4Router`` hidden -> experts, ``Llama4TextExperts`` (``gate_up_proj`` [E, H, 2I],
  ``down_proj`` [E, I, H], I = ``intermediate_size``) and a ``shared_expert`` MLP of
  ``intermediate_size``; else a ``Llama4TextMLP`` of ``intermediate_size_mlp``.
* ``nemotron-nas`` (DeciLM / Llama-Nemotron Super and Ultra, ``block_configs``; TensorRT-LLM
  ``tensorrt_llm/_torch/models/modeling_nemotron_nas.py``, ``NemotronNASDecoderLayer``): per block,
  attention ``no_op`` -> nothing, ``replace_with_linear`` -> ``input_layernorm`` + one hidden x hidden
  linear, else ``input_layernorm`` + attention with ``num_attention_heads // n_heads_in_group`` KV
  heads; the same three cases for ``ffn`` with ``post_attention_layernorm`` and a gated MLP of
  ``_ffn_mult_to_intermediate_size(ffn_mult, hidden)`` = ``int(2 ffn_mult hidden / 3)`` rounded up to a
  multiple of 256.
"""

from __future__ import annotations

from typing import Any

from .param_hybrid import plain_attention
from .param_parts import ConfigGap, ConfigKeys, Part, decoder_model, gated_mlp, linear_parts, norm, number

# transformers src/transformers/models/gemma3/configuration_gemma3.py, Gemma3TextConfig.__init__ defaults
GEMMA3_TEXT_DEFAULTS = {"vocab_size": 262_208, "hidden_size": 2304, "intermediate_size": 9216, "num_hidden_layers": 26,
                        "num_attention_heads": 8, "num_key_value_heads": 4, "head_dim": 256}


def gemma(c: ConfigKeys, model_type: str) -> list[Part]:
    if model_type == "gemma3_text":
        c = ConfigKeys({**GEMMA3_TEXT_DEFAULTS, **{k: v for k, v in c.doc.items() if v is not None}})
    hidden, d = c.count("hidden_size"), c.head_dim()
    layers = []
    for i in range(c.layers()):
        prefix = f"model.layers.{i}"
        attention = plain_attention(c, f"{prefix}.self_attn", d, c.flag("attention_bias"))
        if model_type == "gemma3_text":
            attention += [norm(f"{prefix}.self_attn.q_norm", d), norm(f"{prefix}.self_attn.k_norm", d)]
        norms = [norm(f"{prefix}.{n}", hidden) for n in ("input_layernorm", "post_attention_layernorm",
                                                         "pre_feedforward_layernorm", "post_feedforward_layernorm")]
        layers.append([*norms, *attention, *gated_mlp(f"{prefix}.mlp", hidden, c.count("intermediate_size"))])
    return decoder_model(c, layers, tie_default=True)


def llama4_text(c: ConfigKeys) -> list[Part]:
    hidden, layers_n = c.count("hidden_size"), c.layers()
    moe_layers = c.doc.get("moe_layers")
    if moe_layers is None:
        step = c.count("interleave_moe_layer_step", 1)
        moe_layers = list(range(step - 1, layers_n, step))
    if not isinstance(moe_layers, list):
        raise ConfigGap(f"moe_layers must be a list of layer indices, found {moe_layers!r}"[:200])
    experts, inner = c.count("num_local_experts"), c.count("intermediate_size")
    layers = []
    for i in range(layers_n):
        prefix = f"language_model.model.layers.{i}"
        if i in moe_layers:
            ffn = [Part(f"{prefix}.feed_forward.router", "other", experts, hidden),
                   Part(f"{prefix}.feed_forward.experts.gate_up_proj", "expert", 2 * inner, hidden, experts),
                   Part(f"{prefix}.feed_forward.experts.down_proj", "expert", hidden, inner, experts),
                   *gated_mlp(f"{prefix}.feed_forward.shared_expert", hidden, inner)]
        else:
            ffn = gated_mlp(f"{prefix}.feed_forward", hidden, c.count("intermediate_size_mlp"))
        layers.append([norm(f"{prefix}.input_layernorm", hidden), norm(f"{prefix}.post_attention_layernorm", hidden),
                       *plain_attention(c, f"{prefix}.self_attn", c.head_dim(), c.flag("attention_bias")), *ffn])
    return decoder_model(c, layers, prefix="language_model.model")


def _ffn_inner(ffn_mult: float, hidden: int) -> int:
    inner = int(2 * ffn_mult * hidden / 3)
    return -(-inner // 256) * 256


def _block_section(block: Any, i: int, key: str) -> ConfigKeys:
    section = block.get(key) if isinstance(block, dict) else None
    if not isinstance(section, dict):
        raise ConfigGap(f"block_configs[{i}].{key} must be an object, found {section!r}"[:200])
    return ConfigKeys(section)


def nemotron_nas(c: ConfigKeys) -> list[Part]:
    blocks = c.doc.get("block_configs")
    if not isinstance(blocks, list) or len(blocks) != c.layers():
        raise ConfigGap("block_configs must list one block per num_hidden_layers")
    hidden, heads = c.count("hidden_size"), c.count("num_attention_heads")
    layers = []
    for i, block in enumerate(blocks):
        prefix, where = f"model.layers.{i}", f"block_configs[{i}]."
        attn, ffn = _block_section(block, i, "attention"), _block_section(block, i, "ffn")
        parts: list[Part] = []
        if not attn.flag("no_op"):
            parts.append(norm(f"{prefix}.input_layernorm", hidden))
            if attn.flag("replace_with_linear"):
                parts += linear_parts(f"{prefix}.self_attn.linear_attn", hidden, hidden, False)
            else:
                group = attn.count("n_heads_in_group")
                kv_view = ConfigKeys({**c.doc, "num_key_value_heads": heads // group})
                parts += plain_attention(kv_view, f"{prefix}.self_attn", c.head_dim())
        if not ffn.flag("no_op"):
            parts.append(norm(f"{prefix}.post_attention_layernorm", hidden))
            if ffn.flag("replace_with_linear"):
                parts += linear_parts(f"{prefix}.mlp.linear_mlp", hidden, hidden, False)
            else:
                parts += gated_mlp(f"{prefix}.mlp", hidden, _ffn_inner(number(ffn, "ffn_mult", where + "ffn."), hidden))
        layers.append(parts)
    return decoder_model(c, layers)
