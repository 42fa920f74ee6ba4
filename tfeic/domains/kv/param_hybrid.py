"""Parameter parts of the hybrid families: decoder layers that mix attention with Mamba or linear attention.

Each from the Hugging Face transformers modeling code that builds the model:

* ``nemotron_h`` (``src/transformers/models/nemotron_h/modeling_nemotron_h.py``): block i is
  ``hybrid_override_pattern[i]`` (``M`` mamba, ``*`` attention, ``-`` mlp, ``E`` moe), each a
  ``NemotronHBlock`` = one ``norm`` + its mixer. ``NemotronHMamba2Mixer``: ``in_proj`` hidden ->
  ``intermediate + conv_dim + heads`` (``intermediate = mamba_num_heads x mamba_head_dim``,
  ``conv_dim = intermediate + 2 n_groups ssm_state_size``; bias ``use_bias``), depthwise ``conv1d``
  (``conv_dim x conv_kernel``, bias ``use_conv_bias``), ``dt_bias``, ``A_log``, ``D`` (one per head),
  the gated ``norm`` (intermediate) and ``out_proj``; ``NemotronHAttention`` q/k/v/o without bias;
  ``NemotronHMLP`` up/down only (no gate; bias ``mlp_bias``); ``NemotronHMoE``: ``NemotronHTopkRouter``
  (weight + ``e_score_correction_bias``), ``NemotronHExperts`` (up [E, I, H], down [E, H, I]) and a
  shared ``NemotronHMLP`` of ``moe_shared_expert_intermediate_size``. A ``moe_latent_size`` (latent
  expert projections) is refused: not read here. The ``mtp.*`` weights are ignored on load.
* ``jamba`` (``src/transformers/models/jamba/modeling_jamba.py``): layer i attends when ``i %
  attn_layer_period == attn_layer_offset``, else ``JambaMambaMixer``: ``in_proj`` hidden -> 2 x
  intermediate (``mamba_expand x hidden``, bias ``mamba_proj_bias``), ``conv1d`` (intermediate x
  ``mamba_d_conv``, bias ``mamba_conv_bias``), ``x_proj`` -> ``dt_rank + 2 d_state``, ``dt_proj``
  (``dt_rank`` -> intermediate, biased), ``A_log`` [intermediate, d_state], ``D``, ``out_proj`` and
  the ``dt``/``b``/``c`` layernorms; ``dt_rank`` "auto" is ``ceil(hidden / 16)`` (``JambaConfig``).
  Its feed-forward is a ``JambaSparseMoeBlock`` (router + ``num_experts`` gated MLPs) when ``i %
  expert_layer_period == expert_layer_offset``, else a ``JambaMLP``; two norms per layer.
* ``qwen3_next`` (``src/transformers/models/qwen3_next/modeling_qwen3_next.py``): ``layer_types``
  (or every ``full_attention_interval``-th layer full) picks ``Qwen3NextGatedDeltaNet``
  (``in_proj_qkvz`` -> 2 key_dim + 2 value_dim, ``in_proj_ba`` -> 2 Hv, ``conv1d`` (2 key_dim +
  value_dim) x kernel without bias, ``dt_bias``, ``A_log``, gated ``norm`` of ``linear_value_head_dim``,
  ``out_proj``) or ``Qwen3NextAttention`` (``q_proj`` of 2 x heads x head_dim: query and gate, q/k
  norms); the MLP is ``Qwen3NextSparseMoeBlock`` (router, experts, ``shared_expert`` of
  ``shared_expert_intermediate_size`` and its ``shared_expert_gate`` hidden -> 1) on the layers
  Qwen3-MoE makes sparse. The ``mtp.*`` weights are ignored on load.
"""

from __future__ import annotations

import math

from .param_parts import ConfigGap, ConfigKeys, Part, decoder_model, expert_mlps, gated_mlp, linear_parts, norm


def plain_attention(c: ConfigKeys, prefix: str, head_dim: int, bias: bool = False, q_factor: int = 1) -> list[Part]:
    """q/k/v/o of ``num_attention_heads`` queries and ``num_key_value_heads`` K and V heads (a gated
    query doubles q: ``q_factor`` 2)."""
    hidden, heads = c.count("hidden_size"), c.count("num_attention_heads")
    kv = c.count("num_key_value_heads", heads)
    return [*linear_parts(f"{prefix}.q_proj", q_factor * heads * head_dim, hidden, bias),
            *linear_parts(f"{prefix}.k_proj", kv * head_dim, hidden, bias),
            *linear_parts(f"{prefix}.v_proj", kv * head_dim, hidden, bias),
            *linear_parts(f"{prefix}.o_proj", hidden, heads * head_dim, bias)]


def _up_down(prefix: str, hidden: int, inner: int, bias: bool) -> list[Part]:
    return [*linear_parts(f"{prefix}.up_proj", inner, hidden, bias), *linear_parts(f"{prefix}.down_proj", hidden, inner, bias)]


def _nemotron_mamba(c: ConfigKeys, prefix: str) -> list[Part]:
    hidden, heads, d_state = c.count("hidden_size"), c.count("mamba_num_heads"), c.count("ssm_state_size")
    inner = heads * c.count("mamba_head_dim")
    conv_dim = inner + 2 * c.count("n_groups") * d_state
    bias = c.flag("use_bias")
    conv = [Part(f"{prefix}.conv1d", "other", conv_dim, c.count("conv_kernel"))]
    if c.flag("use_conv_bias", True):
        conv.append(Part(f"{prefix}.conv1d.bias", "other", conv_dim))
    return [*linear_parts(f"{prefix}.in_proj", inner + conv_dim + heads, hidden, bias), *conv,
            Part(f"{prefix}.dt_bias", "other", heads), Part(f"{prefix}.A_log", "other", heads), Part(f"{prefix}.D", "other", heads),
            norm(f"{prefix}.norm", inner), *linear_parts(f"{prefix}.out_proj", hidden, inner, bias)]


def _nemotron_moe(c: ConfigKeys, prefix: str) -> list[Part]:
    if c.doc.get("moe_latent_size") is not None:
        raise ConfigGap(f"moe_latent_size {c.doc['moe_latent_size']!r} (latent expert projections) is not counted here")
    hidden, experts, inner = c.count("hidden_size"), c.count("n_routed_experts"), c.count("moe_intermediate_size")
    return [Part(f"{prefix}.gate", "other", experts, hidden), Part(f"{prefix}.gate.e_score_correction_bias", "other", experts),
            Part(f"{prefix}.experts.up_proj", "expert", inner, hidden, experts),
            Part(f"{prefix}.experts.down_proj", "expert", hidden, inner, experts),
            *_up_down(f"{prefix}.shared_experts", hidden, c.count("moe_shared_expert_intermediate_size"), c.flag("mlp_bias"))]


def nemotron_h(c: ConfigKeys) -> list[Part]:
    pattern = c.doc.get("hybrid_override_pattern")
    if not isinstance(pattern, str) or len(pattern) != c.layers():
        raise ConfigGap(f"hybrid_override_pattern must be a string of num_hidden_layers block letters, found {pattern!r}"[:200])
    hidden = c.count("hidden_size")
    head_dim = c.count("head_dim") if c.doc.get("head_dim") is not None else c.count("attention_head_dim", c.head_dim())
    layers = []
    for i, letter in enumerate(pattern):
        prefix = f"backbone.layers.{i}.mixer"
        if letter == "M":
            mixer = _nemotron_mamba(c, prefix)
        elif letter == "*":
            mixer = plain_attention(c, prefix, head_dim)
        elif letter == "-":
            mixer = _up_down(prefix, hidden, c.count("intermediate_size"), c.flag("mlp_bias"))
        elif letter == "E":
            mixer = _nemotron_moe(c, prefix)
        else:
            raise ConfigGap(f"hybrid_override_pattern[{i}] is {letter!r}, not one of M * - E")
        layers.append([norm(f"backbone.layers.{i}.norm", hidden), *mixer])
    return decoder_model(c, layers, prefix="backbone")


def _jamba_mamba(c: ConfigKeys, prefix: str) -> list[Part]:
    hidden, d_state = c.count("hidden_size"), c.count("mamba_d_state")
    inner = c.count("mamba_expand") * hidden
    rank = math.ceil(hidden / 16) if c.doc.get("mamba_dt_rank", "auto") == "auto" else c.count("mamba_dt_rank")
    bias = c.flag("mamba_proj_bias")
    conv = [Part(f"{prefix}.conv1d", "other", inner, c.count("mamba_d_conv"))]
    if c.flag("mamba_conv_bias", True):
        conv.append(Part(f"{prefix}.conv1d.bias", "other", inner))
    return [*linear_parts(f"{prefix}.in_proj", 2 * inner, hidden, bias), *conv,
            *linear_parts(f"{prefix}.x_proj", rank + 2 * d_state, inner, False),
            *linear_parts(f"{prefix}.dt_proj", inner, rank, True),
            Part(f"{prefix}.A_log", "other", inner, d_state), Part(f"{prefix}.D", "other", inner),
            *linear_parts(f"{prefix}.out_proj", hidden, inner, bias),
            norm(f"{prefix}.dt_layernorm", rank), norm(f"{prefix}.b_layernorm", d_state), norm(f"{prefix}.c_layernorm", d_state)]


def jamba(c: ConfigKeys) -> list[Part]:
    hidden, inner = c.count("hidden_size"), c.count("intermediate_size")
    period, offset = c.count("attn_layer_period"), c.count("attn_layer_offset", minimum=0)
    e_period, e_offset = c.count("expert_layer_period", 2), c.count("expert_layer_offset", 1, minimum=0)
    experts = c.count("num_experts", 16)
    head_dim = c.head_dim()
    layers = []
    for i in range(c.layers()):
        prefix = f"model.layers.{i}"
        mixer = (plain_attention(c, f"{prefix}.self_attn", head_dim) if i % period == offset
                 else _jamba_mamba(c, f"{prefix}.mamba"))
        if experts > 1 and i % e_period == e_offset:
            ffn = [Part(f"{prefix}.feed_forward.router", "other", experts, hidden),
                   *expert_mlps(f"{prefix}.feed_forward.experts", hidden, inner, experts)]
        else:
            ffn = gated_mlp(f"{prefix}.feed_forward", hidden, inner)
        layers.append([norm(f"{prefix}.input_layernorm", hidden), norm(f"{prefix}.pre_ff_layernorm", hidden), *mixer, *ffn])
    return decoder_model(c, layers)


def _gated_delta_net(c: ConfigKeys, prefix: str) -> list[Part]:
    hidden, hv, dv = c.count("hidden_size"), c.count("linear_num_value_heads"), c.count("linear_value_head_dim")
    key_dim, value_dim = c.count("linear_num_key_heads") * c.count("linear_key_head_dim"), hv * dv
    conv_dim = 2 * key_dim + value_dim
    return [*linear_parts(f"{prefix}.in_proj_qkvz", 2 * key_dim + 2 * value_dim, hidden, False),
            *linear_parts(f"{prefix}.in_proj_ba", 2 * hv, hidden, False),
            Part(f"{prefix}.conv1d", "other", conv_dim, c.count("linear_conv_kernel_dim")),
            Part(f"{prefix}.dt_bias", "other", hv), Part(f"{prefix}.A_log", "other", hv), norm(f"{prefix}.norm", dv),
            *linear_parts(f"{prefix}.out_proj", hidden, value_dim, False)]


def qwen3_next(c: ConfigKeys) -> list[Part]:
    hidden, layers_n = c.count("hidden_size"), c.layers()
    types = c.doc.get("layer_types")
    if types is None:
        interval = c.count("full_attention_interval", 4)
        types = ["full_attention" if (i + 1) % interval == 0 else "linear_attention" for i in range(layers_n)]
    if not isinstance(types, list) or len(types) != layers_n or not set(types) <= {"full_attention", "linear_attention"}:
        raise ConfigGap(f"layer_types must list num_hidden_layers full_attention / linear_attention entries, found {types!r}"[:200])
    only = c.doc.get("mlp_only_layers") or []
    if not isinstance(only, list):
        raise ConfigGap(f"mlp_only_layers must be a list, found {only!r}")
    head_dim, experts = c.head_dim(), c.count("num_experts", minimum=0)
    layers = []
    for i, kind in enumerate(types):
        prefix = f"model.layers.{i}"
        if kind == "linear_attention":
            mixer = _gated_delta_net(c, f"{prefix}.linear_attn")
        else:
            mixer = [*plain_attention(c, f"{prefix}.self_attn", head_dim, c.flag("attention_bias"), q_factor=2),
                     norm(f"{prefix}.self_attn.q_norm", head_dim), norm(f"{prefix}.self_attn.k_norm", head_dim)]
        if i not in only and experts > 0 and (i + 1) % c.count("decoder_sparse_step", 1) == 0:
            mlp = [Part(f"{prefix}.mlp.gate", "other", experts, hidden),
                   *expert_mlps(f"{prefix}.mlp.experts", hidden, c.count("moe_intermediate_size"), experts),
                   *gated_mlp(f"{prefix}.mlp.shared_expert", hidden, c.count("shared_expert_intermediate_size")),
                   Part(f"{prefix}.mlp.shared_expert_gate", "other", 1, hidden)]
        else:
            mlp = gated_mlp(f"{prefix}.mlp", hidden, c.count("intermediate_size"))
        layers.append([norm(f"{prefix}.input_layernorm", hidden), norm(f"{prefix}.post_attention_layernorm", hidden), *mixer, *mlp])
    return decoder_model(c, layers)
