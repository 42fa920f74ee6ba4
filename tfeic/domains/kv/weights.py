"""How many bytes a model's weights occupy, taken from the model, and where that number came from.

In order of trust (``read_weights``):

1. ``model.safetensors.index.json``'s ``metadata.total_size`` (what transformers'
   ``save_pretrained`` writes beside sharded weights: the sum of the tensors' bytes);
2. else the tensor bytes in the directory's ``*.safetensors`` files, from their headers
   (``safetensors_header``; TensorRT-LLM checkpoints' ``rank*.safetensors`` included);
3. else derived from ``config.json``: every weight tensor (``param_count``) times the bytes its
   storage takes under the checkpoint's quantization, said to be derived;
4. else ``WeightsUnknown`` with the reason, so a slide that needs the number can ask for ``params_b``.

Quantized storage, per weight of a ``rows x cols`` projection (scales included, per-tensor scalar
scales left out):
* ModelOpt ``hf_quant_config.json`` ``quant_algo: FP8``: 1 byte; ``NVFP4``: 1/2 byte plus one FP8
  scale per ``group_size`` (16) weights. Modules matching ``exclude_modules`` (fnmatch on the module
  or any dotted ancestor, as TensorRT-LLM's ``QuantConfig.is_module_excluded_from_quantization``
  in ``tensorrt_llm/models/modeling_utils.py``) keep the model dtype.
* ``config.json`` ``quantization_config.quant_method: fp8`` (DeepSeek-V3's block FP8): 1 byte plus
  one float32 ``weight_scale_inv`` per ``weight_block_size`` block; ``lm_head`` stays unquantized.
* ``quant_method: mxfp4`` (gpt-oss): only the routed experts, stored as ``*_blocks`` (16 bytes per
  32 FP4 values) and ``*_scales`` (one E8M0 byte per 32): 17/32 byte; ``modules_to_not_convert`` kept.
Any other method is not guessed at: the weights are then unknown.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from typing import Any, Callable

from ...core.datafile import read_data
from ...core.diagnostics import Diagnostic, Pos, SourceError
from ...core.jsonfile import parse_json
from .memory import weights_bytes
from .param_count import model_parts
from .param_parts import ConfigGap, Part
from .safetensors_header import tensor_bytes

INDEX = "model.safetensors.index.json"
MODELOPT = "hf_quant_config.json"
DTYPE_BYTES = {"float32": 4, "float16": 2, "bfloat16": 2}


@dataclass(frozen=True)
class ModelWeights:
    """The weights' size in bytes and, in words, where it came from (shown on slides)."""

    bytes: int
    origin: str
    derived: bool = False
    how: str = "given"  # index | safetensors_headers | derived | given (by the deck) | synthetic


class WeightsUnknown(Exception):
    """Why the weights' size could not be taken from the model (names the file and key): returned
    by ``read_weights`` for a source to keep, raised where a number is needed and none was given."""

    @property
    def reason(self) -> str:
        return str(self.args[0])


#: The deck fields that state a model's weights instead (a slide's or a model entry's)
GIVEN_WEIGHTS_PROPERTIES = {
    "params_b": {"type": "number", "exclusiveMinimum": 0,
                 "description": "Model parameters, billions: the weights are params_b x bytes_per_param instead of "
                                "what the model dir says (its safetensors index, weight files or config)."},
    "bytes_per_param": {"type": "number", "exclusiveMinimum": 0, "default": 2,
                        "description": "With params_b: 2 = FP16/BF16, 1 = FP8/INT8."},
}


def given_weights(options: dict[str, Any]) -> ModelWeights | None:
    """The weights deck ``options`` state (``GIVEN_WEIGHTS_PROPERTIES``), None when they state none;
    ValueError for ``bytes_per_param`` without ``params_b``."""
    if "params_b" not in options:
        if "bytes_per_param" in options:
            raise ValueError("applies only with params_b")
        return None
    params_b, per_param = float(options["params_b"]), float(options.get("bytes_per_param", 2))
    return ModelWeights(weights_bytes(params_b * 1e9, per_param), f"params_b {params_b:g} x {per_param:g} bytes, given by the deck")


def read_json_object(path: str, what: str) -> dict[str, Any]:
    """A JSON file that must hold an object, read under the data-file limits (exit 3 otherwise)."""
    doc = parse_json(read_data(path, what=what), path, what)
    if not isinstance(doc, dict):
        raise SourceError(Diagnostic(f"{what} must be a JSON object", Pos(path)))
    return doc


def _index_total(path: str) -> int:
    metadata = read_json_object(path, "safetensors index").get("metadata")
    total = metadata.get("total_size") if isinstance(metadata, dict) else None
    if isinstance(total, bool) or not isinstance(total, int) or total < 0:
        raise SourceError(Diagnostic(f"safetensors index: metadata.total_size must be a byte count, found {total!r}", Pos(path)))
    return total


def _blocks(n: int, size: int) -> int:
    """Blocks of ``size`` that cover ``n`` (exact for any integer, as a float quotient is not)."""
    return -(-n // size)


def _excluded(name: str, patterns: list[str]) -> bool:
    parts = name.split(".")
    return any(fnmatch.fnmatchcase(".".join(parts[:i]), p) for p in patterns for i in range(1, len(parts) + 1))


def _patterns(section: dict[str, Any], key: str, where: str) -> list[str]:
    value = section.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigGap(f"{where}{key} must be a list of module names, found {value!r}")
    return value


Storage = Callable[[Part], "int | None"]  # bytes of a quantized part, or None: the model dtype


def _modelopt(quant: dict[str, Any]) -> tuple[str, Storage]:
    algo, excluded = quant.get("quant_algo"), _patterns(quant, "exclude_modules", f"{MODELOPT}: quantization.")
    if algo == "FP8":
        per_weight: Callable[[Part], int] = lambda p: p.rows * p.cols
    elif algo == "NVFP4":
        group = quant.get("group_size", 16)
        if isinstance(group, bool) or not isinstance(group, int) or group < 1:
            raise ConfigGap(f"{MODELOPT}: quantization.group_size must be a positive integer, found {group!r}")
        per_weight = lambda p: p.rows * p.cols // 2 + p.rows * _blocks(p.cols, group)
    else:
        raise ConfigGap(f"{MODELOPT}: quantization.quant_algo {algo!r} is not one tfeic sizes (FP8, NVFP4)")
    return f"{MODELOPT} quant_algo {algo}", lambda p: (
        per_weight(p) * p.copies if p.kind != "other" and not _excluded(p.name, excluded) else None)


def _hf_quantization(q: dict[str, Any]) -> tuple[str, Storage]:
    method, kept = q.get("quant_method"), _patterns(q, "modules_to_not_convert", "quantization_config.")
    if method == "fp8":
        block = q.get("weight_block_size")
        if block is not None and (not isinstance(block, list) or len(block) != 2
                                  or not all(isinstance(b, int) and not isinstance(b, bool) and b > 0 for b in block)):
            raise ConfigGap(f"quantization_config.weight_block_size must be two positive integers, found {block!r}")
        scales: Callable[[Part], int] = (lambda p: 4 * _blocks(p.rows, block[0]) * _blocks(p.cols, block[1])) if block \
            else (lambda p: 0)
        return "config.json quantization_config fp8", lambda p: (
            (p.rows * p.cols + scales(p)) * p.copies if p.kind in ("linear", "expert") and not _excluded(p.name, kept) else None)
    if method == "mxfp4":
        return "config.json quantization_config mxfp4", lambda p: (
            (p.rows * p.cols // 2 + p.rows * _blocks(p.cols, 32)) * p.copies
            if p.kind == "expert" and not _excluded(p.name, kept) else None)
    raise ConfigGap(f"quantization_config.quant_method {method!r} is not one tfeic sizes (fp8, mxfp4)")


def _unquantized(part: Part) -> int | None:
    return None


def derived_weights(config: dict[str, Any], modelopt: dict[str, Any] | None) -> ModelWeights:
    """Weights' bytes from the config's parameter parts and its quantization; ConfigGap if unknown."""
    dtype = config.get("torch_dtype") or config.get("dtype")
    if dtype is not None and (not isinstance(dtype, str) or dtype not in DTYPE_BYTES):
        raise ConfigGap(f"torch_dtype {dtype!r} is not one tfeic sizes ({', '.join(DTYPE_BYTES)})")
    elem, dtype_said = DTYPE_BYTES[dtype or "bfloat16"], f"{dtype}" if dtype else "bfloat16 (config names no torch_dtype)"
    scheme: str = ""
    storage: Storage = _unquantized
    if modelopt is not None:
        quant = modelopt.get("quantization")
        if not isinstance(quant, dict):
            raise ConfigGap(f"{MODELOPT} has no quantization section")
        scheme, storage = _modelopt(quant)
    elif isinstance(config.get("quantization_config"), dict):
        scheme, storage = _hf_quantization(config["quantization_config"])
    parts = model_parts(config)
    params = sum(p.params for p in parts)
    total = sum(b if (b := storage(p)) is not None else p.params * elem for p in parts)
    how = f"{scheme}, the rest {dtype_said}" if scheme else dtype_said
    return ModelWeights(total, f"derived from config.json: {params:,} parameters, {how}", derived=True, how="derived")


@dataclass(frozen=True)
class ModelFiles:
    """The parsed configuration files of one checkpoint directory."""

    path: str
    config: dict[str, Any]
    modelopt: dict[str, Any] | None  # hf_quant_config.json, when present


def read_model_files(config_file: str) -> ModelFiles:
    """A checkpoint's ``config.json`` (or the config file an engine source names) and, when present
    beside it, ``hf_quant_config.json`` (broken ones: exit 3)."""
    model_dir = os.path.dirname(os.path.abspath(config_file))
    config = read_json_object(config_file, "model config")
    modelopt_file = os.path.join(model_dir, MODELOPT)
    modelopt = read_json_object(modelopt_file, "ModelOpt quantization config") if os.path.isfile(modelopt_file) else None
    return ModelFiles(model_dir, config, modelopt)


def read_weights(files: ModelFiles) -> ModelWeights | WeightsUnknown:
    """The weights' size of a checkpoint directory (see the module docstring for the order).
    A broken index or weight file is a SourceError (exit 3); a directory that simply does not say
    is ``WeightsUnknown``."""
    index = os.path.join(files.path, INDEX)
    if os.path.isfile(index):
        return ModelWeights(_index_total(index), f"{INDEX} metadata.total_size", how="index")
    try:
        shards = sorted(name for name in os.listdir(files.path) if name.endswith(".safetensors"))
    except OSError as e:
        raise SourceError(Diagnostic(f"cannot list the model directory: {e.strerror or e}", Pos(files.path))) from None
    if shards:
        total = sum(tensor_bytes(os.path.join(files.path, name)) for name in shards)
        return ModelWeights(total, f"tensor sizes in the headers of {len(shards)} .safetensors file{'s' * (len(shards) > 1)}",
                            how="safetensors_headers")
    try:
        return derived_weights(files.config, files.modelopt)
    except ConfigGap as e:
        return WeightsUnknown(f"{files.path}: cannot derive the weights' size from its config: {e}")


def weights_summary(weights: ModelWeights | WeightsUnknown) -> dict[str, Any]:
    """The ``weights`` object of ``engine inspect --json``: bytes (null when unknown), how it was found
    (index / safetensors_headers / derived / unknown) and the origin or reason in words."""
    if isinstance(weights, WeightsUnknown):
        return {"bytes": None, "how": "unknown", "origin": weights.reason}
    return {"bytes": weights.bytes, "how": weights.how, "origin": weights.origin}
