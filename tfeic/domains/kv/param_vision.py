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
"""

from __future__ import annotations

from typing import Any

from .param_parts import ConfigGap, ConfigKeys, Part, linear_parts

# transformers src/transformers/models/siglip/configuration_siglip.py, SiglipVisionConfig.__init__ defaults
SIGLIP_DEFAULTS = {"hidden_size": 768, "intermediate_size": 3072, "num_hidden_layers": 12, "num_channels": 3,
                   "image_size": 224, "patch_size": 16}
PROJECTORS = {"gemma3": "multi_modal_projector"}  # wrapper model_type -> its projector, of the vision tower read here


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


def vision_parts(wrapper: dict[str, Any], text_hidden: int) -> list[Part]:
    """The vision tower and projector of a wrapper config; ConfigGap when they are not read here."""
    vision, model_type = wrapper.get("vision_config"), wrapper.get("model_type")
    if not isinstance(vision, dict):
        raise ConfigGap(f"model_type {model_type!r} has text_config but no vision_config: "
                        "its vision tower's weights cannot be counted")
    if vision.get("model_type") != "siglip_vision_model" or not isinstance(model_type, str) or model_type not in PROJECTORS:
        raise ConfigGap(f"vision_config model_type {vision.get('model_type')!r} of a {model_type!r} model is not a "
                        "vision tower tfeic counts (siglip_vision_model of gemma3)")
    vision_hidden = ConfigKeys({**SIGLIP_DEFAULTS, **vision}).count("hidden_size")
    projector = PROJECTORS[model_type]
    return siglip(vision) + [Part(f"{projector}.mm_input_projection_weight", "other", vision_hidden, text_hidden),
                             Part(f"{projector}.mm_soft_emb_norm", "other", vision_hidden)]
