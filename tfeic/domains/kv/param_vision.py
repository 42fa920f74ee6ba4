"""The vision tower of a multimodal checkpoint, counted so a wrapper config's weights are whole.

A ``*ForConditionalGeneration`` checkpoint (its language model under ``text_config``) also stores an
image encoder and a projector; counting only the language model would understate the weights. So a
wrapper is counted only when its vision tower is one read here, else the count is refused:

* ``siglip_vision_model`` (transformers ``models/siglip/modeling_siglip.py``):
  ``SiglipVisionEmbeddings`` (``patch_embedding`` Conv2d ``num_channels`` -> hidden, kernel and
  stride ``patch_size``, biased; ``position_embedding`` of ``(image_size / patch_size)^2`` positions),
  ``num_hidden_layers`` x ``SiglipEncoderLayer`` (``layer_norm1``/``layer_norm2`` LayerNorms with bias,
  biased q/k/v/out projections, ``SiglipMLP`` fc1/fc2 with bias), ``post_layernorm``; the pooling
  ``head`` only when ``vision_use_head`` (refused here: not read).
* the Gemma-3 projector (``models/gemma3/modeling_gemma3.py``, ``Gemma3MultiModalProjector``):
  ``mm_input_projection_weight`` [vision hidden, text hidden] and ``mm_soft_emb_norm`` (vision hidden).
* ``llama4_vision_model`` (``models/llama4/modeling_llama4.py``, ``Llama4VisionModel``):
  ``Llama4UnfoldConvolution`` (a bias-free linear of ``num_channels x patch^2`` -> hidden),
  ``class_embedding``, ``positional_embedding_vlm`` of ``(image_size / patch_size)^2 + 1`` positions,
  ``layernorm_pre``/``layernorm_post``, ``num_hidden_layers`` x ``Llama4VisionEncoderLayer`` (biased
  q/k/v/o, ``Llama4VisionMLP`` fc1/fc2 with bias, two LayerNorms) and the ``vision_adapter``
  (``Llama4VisionMLP2``: fc1 ``intermediate_size`` -> ``projector_input_dim``, fc2
  ``projector_output_dim`` square, no bias); then ``Llama4MultiModalProjector.linear_1``
  (``vision_output_dim`` -> text hidden, no bias).
"""

from __future__ import annotations

from typing import Any, Callable

from .param_parts import ConfigGap, ConfigKeys, Part, linear_parts

# transformers src/transformers/models/siglip/configuration_siglip.py, SiglipVisionConfig.__init__ defaults
SIGLIP_DEFAULTS = {"hidden_size": 768, "intermediate_size": 3072, "num_hidden_layers": 12, "num_channels": 3,
                   "image_size": 224, "patch_size": 16}


def _layer_norm(name: str, size: int) -> list[Part]:
    return [Part(name, "other", size), Part(f"{name}.bias", "other", size)]


def siglip(vision: dict[str, Any]) -> list[Part]:
    c = ConfigKeys({**SIGLIP_DEFAULTS, **{k: v for k, v in vision.items() if v is not None}})
    if c.flag("vision_use_head", True):
        raise ConfigGap("vision_config.vision_use_head is true (SigLIP's pooling head is not counted here)")
    hidden, inner, patch = c.count("hidden_size"), c.count("intermediate_size"), c.count("patch_size")
    positions = (c.count("image_size") // patch) ** 2
    parts = [Part("vision_tower.embeddings.patch_embedding", "other", hidden, c.count("num_channels") * patch * patch),
             Part("vision_tower.embeddings.patch_embedding.bias", "other", hidden),
             Part("vision_tower.embeddings.position_embedding", "other", positions, hidden)]
    for i in range(c.layers()):
        prefix = f"vision_tower.encoder.layers.{i}"
        parts += [*_layer_norm(f"{prefix}.layer_norm1", hidden), *_layer_norm(f"{prefix}.layer_norm2", hidden),
                  *(p for proj in ("q_proj", "k_proj", "v_proj", "out_proj")
                    for p in linear_parts(f"{prefix}.self_attn.{proj}", hidden, hidden, True)),
                  *linear_parts(f"{prefix}.mlp.fc1", inner, hidden, True), *linear_parts(f"{prefix}.mlp.fc2", hidden, inner, True)]
    return parts + _layer_norm("vision_tower.post_layernorm", hidden)


def llama4_vision(vision: dict[str, Any]) -> list[Part]:
    c = ConfigKeys(vision)
    hidden, inner, patch = c.count("hidden_size"), c.count("intermediate_size"), c.count("patch_size")
    prefix = "vision_model"
    parts = [Part(f"{prefix}.patch_embedding.linear", "other", hidden, c.count("num_channels") * patch * patch),
             Part(f"{prefix}.class_embedding", "other", hidden),
             Part(f"{prefix}.positional_embedding_vlm", "other", (c.count("image_size") // patch) ** 2 + 1, hidden),
             *_layer_norm(f"{prefix}.layernorm_pre", hidden), *_layer_norm(f"{prefix}.layernorm_post", hidden)]
    for i in range(c.layers()):
        layer = f"{prefix}.model.layers.{i}"
        parts += [*_layer_norm(f"{layer}.input_layernorm", hidden), *_layer_norm(f"{layer}.post_attention_layernorm", hidden),
                  *(p for proj in ("q_proj", "k_proj", "v_proj", "o_proj")
                    for p in linear_parts(f"{layer}.self_attn.{proj}", hidden, hidden, True)),
                  *linear_parts(f"{layer}.mlp.fc1", inner, hidden, True), *linear_parts(f"{layer}.mlp.fc2", hidden, inner, True)]
    out = c.count("projector_output_dim")
    return parts + [*linear_parts(f"{prefix}.vision_adapter.mlp.fc1", c.count("projector_input_dim"), inner, False),
                    *linear_parts(f"{prefix}.vision_adapter.mlp.fc2", out, out, False)]


def _gemma3_projector(vision: dict[str, Any], text_hidden: int) -> list[Part]:
    vision_hidden = ConfigKeys({**SIGLIP_DEFAULTS, **vision}).count("hidden_size")
    return [Part("multi_modal_projector.mm_input_projection_weight", "other", vision_hidden, text_hidden),
            Part("multi_modal_projector.mm_soft_emb_norm", "other", vision_hidden)]


def _llama4_projector(vision: dict[str, Any], text_hidden: int) -> list[Part]:
    return linear_parts("multi_modal_projector.linear_1", text_hidden, ConfigKeys(vision).count("vision_output_dim"), False)


# (wrapper model_type, vision_config model_type) -> its tower and projector
TOWERS: dict[tuple[str, str], tuple[Callable[[dict[str, Any]], list[Part]], Callable[[dict[str, Any], int], list[Part]]]] = {
    ("gemma3", "siglip_vision_model"): (siglip, _gemma3_projector),
    ("llama4", "llama4_vision_model"): (llama4_vision, _llama4_projector),
}


def vision_parts(wrapper: dict[str, Any], text_hidden: int) -> list[Part]:
    """The vision tower and projector of a wrapper config; ConfigGap when they are not read here."""
    vision, model_type = wrapper.get("vision_config"), wrapper.get("model_type")
    if not isinstance(vision, dict):
        raise ConfigGap(f"model_type {model_type!r} has text_config but no vision_config: "
                        "its vision tower's weights cannot be counted")
    key = (model_type, vision.get("model_type"))
    if not all(isinstance(k, str) for k in key) or key not in TOWERS:
        raise ConfigGap(f"vision_config model_type {key[1]!r} of a {model_type!r} model is not a vision tower tfeic "
                        f"counts ({', '.join(f'{v} of {w}' for w, v in TOWERS)})")
    tower, projector = TOWERS[key]
    return tower(vision) + projector(vision, text_hidden)
