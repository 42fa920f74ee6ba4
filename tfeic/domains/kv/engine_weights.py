"""The weights' size of any directory ``read_engine`` reads, and how it was found.

* Hugging Face checkpoints: ``weights.read_weights`` (safetensors index, weight-file headers, or
  derived from config.json).
* TensorRT-LLM checkpoint dirs (``convert_checkpoint.py`` output: ``config.json`` + one
  ``rank{i}.safetensors`` per rank, written by ``tensorrt_llm/models/modeling_utils.py``
  ``PretrainedModel.save_checkpoint`` with ``safetensors.torch.save_file``): the tensor bytes in the
  rank files' headers (``safetensors_header``), summed over the ranks; without them, derived.
* TensorRT-LLM engine dirs: a ``rank{i}.engine`` is the serialized TensorRT engine (kernels and
  tactics as well as the weights), so its size is NOT the weights' size. The weights are derived
  from the engine ``config.json``'s ``pretrained_config`` (TensorRT-LLM ``PretrainedConfig``:
  ``architecture``, ``hidden_size``, ``num_key_value_heads``, ``head_size``, ``intermediate_size``,
  ``vocab_size``, ``attn_bias``, ``mlp_bias``, ``share_embedding_table``, ``dtype``) for the
  architectures whose Hugging Face counterpart ``param_count`` counts, unquantized only
  (``quantization.quant_algo`` null; a quantized engine's per-tensor storage is not read here).
  Legacy (``builder_config``) engines are not derived.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any

from .engine_config import EngineInfo, config_path
from .param_parts import ConfigGap
from .weights import ModelWeights, WeightsUnknown, derived_weights, read_json_object, read_model_files, read_weights

# TensorRT-LLM PretrainedConfig.architecture -> the transformers model_type param_count counts for it
ARCHITECTURES = {"LlamaForCausalLM": "llama", "MistralForCausalLM": "mistral", "Qwen2ForCausalLM": "qwen2"}


def _as_hf_config(pc: dict[str, Any]) -> dict[str, Any]:
    """The Hugging Face config keys ``param_count`` reads, from a TensorRT-LLM PretrainedConfig."""
    arch = pc.get("architecture")
    if not isinstance(arch, str) or arch not in ARCHITECTURES:
        raise ConfigGap(f"pretrained_config.architecture {arch!r} is not one tfeic derives weights for "
                        f"({', '.join(ARCHITECTURES)})")
    quant = pc.get("quantization") or {}
    if not isinstance(quant, dict) or quant.get("quant_algo") is not None:
        raise ConfigGap(f"pretrained_config.quantization.quant_algo is {quant.get('quant_algo') if isinstance(quant, dict) else quant!r}: "
                        "a quantized engine's weight storage is not derived here")
    moe = pc.get("moe") or {}
    if isinstance(moe, dict) and moe.get("num_experts"):
        raise ConfigGap(f"pretrained_config.moe.num_experts is {moe['num_experts']!r}: MoE engines are not derived here")
    keys = ("hidden_size", "vocab_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "intermediate_size")
    return {"model_type": ARCHITECTURES[arch], **{k: pc.get(k) for k in keys}, "head_dim": pc.get("head_size"),
            "attention_bias": bool(pc.get("attn_bias", False)), "mlp_bias": bool(pc.get("mlp_bias", False)),
            "tie_word_embeddings": bool(pc.get("share_embedding_table", False)), "torch_dtype": pc.get("dtype")}


def _derived_from_pretrained(pc: object, where: str, why: str) -> ModelWeights | WeightsUnknown:
    try:
        if not isinstance(pc, dict):
            raise ConfigGap("no pretrained_config object")
        w = derived_weights(_as_hf_config(pc), None)
    except ConfigGap as e:
        return WeightsUnknown(f"{where}: cannot derive the weights' size ({why}): {e}")
    return replace(w, origin=w.origin.replace("derived from config.json", f"derived from {where}") + f" ({why})")


def read_dir_weights(path: str, info: EngineInfo) -> ModelWeights | WeightsUnknown:
    """The weights of the engine, TensorRT-LLM checkpoint or Hugging Face checkpoint dir at ``path``
    (``info`` is what ``read_engine`` read there)."""
    cfg = config_path(path)
    if info.format == "trtllm-engine":
        doc = read_json_object(cfg, "engine config")
        return _derived_from_pretrained(doc.get("pretrained_config"), f"{os.path.basename(cfg)} pretrained_config",
                                        "the rank*.engine files hold the built engine too, so their size is not the weights'")
    if info.format == "trtllm-engine-legacy":
        return WeightsUnknown(f"{cfg}: a builder_config engine: its weights' size is not derived (its rank*.engine "
                              "files hold the built engine too, so their size is not the weights')")
    if info.format == "trtllm-checkpoint":
        files = read_model_files(cfg)
        if any(name.endswith(".safetensors") for name in os.listdir(files.path)):
            w = read_weights(files)
            return replace(w, origin=f"{w.origin}, summed over the ranks (a tensor every rank holds counts once per rank)") \
                if isinstance(w, ModelWeights) else w
        return _derived_from_pretrained(files.config, os.path.basename(cfg), "no rank*.safetensors beside it")
    return read_weights(read_model_files(cfg))
