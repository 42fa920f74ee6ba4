"""Model and KV geometry from what a deployment has on disk.

Three inputs, one result (``EngineInfo``):
  * a built TensorRT engine dir, new format (top-level ``version``: ``pretrained_config`` +
    ``build_config.plugin_config.tokens_per_block``) or old format (``builder_config`` + top-level
    ``plugin_config``), parsed as ``gptJsonConfig.cpp`` does;
  * a Hugging Face checkpoint dir (the PyTorch backend), where tokens per block comes from an optional
    ``kv_cache_config`` YAML (``--extra_llm_api_options``) and defaults to TensorRT-LLM's 32.
The KV dtype is the model dtype unless ``kv_cache_quant_algo`` (or ``kv_cache_config.dtype``) says
FP8/INT8. With tensor/context parallelism each rank holds heads / (tp*cp) heads (KV heads rounded up)
and pipeline parallelism splits layers; ``rank_geometry`` is what one rank's pool dump holds.
When the optional ``tensorrt_llm`` package is importable, engine configs are read through its own
``EngineConfig`` so version quirks are handled by the library that wrote them.
"""

from __future__ import annotations

import importlib.util
import math
import os
import re
from dataclasses import dataclass, replace

from ...core.diagnostics import Diagnostic, Pos, SourceError, SpecError
from ...core.datafile import read_data
from ...core.jsonfile import parse_json
from .dtypes import dtype_named
from .geometry import KvGeometry
from .weights import ModelWeights, WeightsUnknown

DEFAULT_TOKENS_PER_BLOCK = 32  # KvCacheConfig.tokens_per_block default (PyTorch backend)


@dataclass(frozen=True)
class EngineInfo:
    architecture: str
    layers: int
    heads: int
    kv_heads: int
    head_dim: int
    dtype: str  # model dtype as written (float16, bfloat16, float32)
    kv_dtype: str  # canonical KV dtype name (fp16, bf16, fp8_e4m3, int8, ...)
    tokens_per_block: int
    format: str  # trtllm-engine | trtllm-engine-legacy | hf-checkpoint | synthetic
    path: str = ""
    tp: int = 1
    pp: int = 1
    cp: int = 1
    kv_heads_per_layer: tuple[int, ...] | None = None
    host_cache_size: int | None = None
    max_batch_size: int | None = None
    max_seq_len: int | None = None
    layout: str = "hnd"  # HND for the TRTLLM attention backend; set by the user for FlashInfer dumps
    kv_factor: int = 2
    weights: ModelWeights | WeightsUnknown | None = None  # set by the engine source (weights.read_weights)

    @property
    def geometry(self) -> KvGeometry:
        """The whole model's KV geometry (all heads, all layers)."""
        return KvGeometry(self.layers, self.kv_heads, self.tokens_per_block, self.head_dim, self.kv_dtype,
                          self.layout, self.kv_factor)

    def with_geometry(self, g: KvGeometry) -> "EngineInfo":
        """This info with its KV geometry replaced (explicit settings over what the files said)."""
        per_layer = self.kv_heads_per_layer if g.kv_heads == self.kv_heads and g.layers == self.layers else None
        return replace(self, layers=g.layers, kv_heads=g.kv_heads, tokens_per_block=g.tokens_per_block,
                       head_dim=g.head_dim, kv_dtype=g.dtype, layout=g.layout, kv_factor=g.kv_factor,
                       kv_heads_per_layer=per_layer)

    @property
    def bytes_per_token(self) -> int:
        """kv_factor x sum over layers of Hk x D x element bytes (per-layer head counts where given)."""
        heads = self.kv_heads_per_layer or (self.kv_heads,) * self.layers
        return self.kv_factor * sum(heads) * self.head_dim * self.geometry.elem_bytes

    @property
    def bytes_per_block(self) -> int:
        return self.bytes_per_token * self.tokens_per_block

    @property
    def rank_heads(self) -> int:
        return max(1, self.heads // (self.tp * self.cp))

    @property
    def rank_kv_heads(self) -> int:
        return max(1, math.ceil(self.kv_heads / (self.tp * self.cp)))

    @property
    def rank_layers(self) -> int:
        return math.ceil(self.layers / self.pp)

    @property
    def rank_geometry(self) -> KvGeometry:
        """What one rank's pool holds: its share of KV heads and of layers."""
        return replace(self.geometry, kv_heads=self.rank_kv_heads, layers=self.rank_layers)

    @property
    def parallel(self) -> bool:
        return self.tp * self.pp * self.cp > 1


def trtllm_available() -> bool:
    return importlib.util.find_spec("tensorrt_llm") is not None


def _line_of(text: str, key: str) -> int:
    """1-based line of the first ``"key":`` in a JSON text (0 if absent), for diagnostics."""
    match = re.search(rf'"{re.escape(key)}"\s*:', text)
    return text.count("\n", 0, match.start()) + 1 if match else 0


class _Reader:
    """Typed field access into one config file, failing with the file and line of the problem."""

    def __init__(self, path: str, text: str):
        self.path, self.text = path, text

    def fail(self, message: str, key: str = "") -> SourceError:
        line = _line_of(self.text, key) if key else 0
        return SourceError(Diagnostic(message, Pos(self.path, line, 1 if line else 0)))

    def int(self, obj: dict, key: str, where: str, default: int | None = None) -> int:
        value = obj.get(key, default)
        if value is None:
            raise self.fail(f"missing {where}{key}", where.rstrip(".").split(".")[-1] if where else "")
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise self.fail(f"{where}{key} must be a positive integer, got {value!r}", key)
        return value

    def kv_dtype(self, dtype: str, key: str) -> str:
        known = dtype_named(dtype)
        if known is None:
            raise self.fail(f"unknown dtype {dtype!r}", key)
        return known.name


def _read_json(path: str) -> tuple[dict, str]:
    text = read_data(path, what="engine config")
    doc = parse_json(text, path, "engine config")
    if not isinstance(doc, dict):
        raise SourceError(Diagnostic("engine config must be a JSON object", Pos(path)))
    return doc, text


def _quant_kv_dtype(quant_algo: str | None, model_dtype: str) -> str:
    algo = (quant_algo or "").upper()
    if algo == "FP8":
        return "fp8_e4m3"
    if algo.startswith("INT8"):
        return "int8"
    return model_dtype


def _from_engine(doc: dict, r: _Reader) -> EngineInfo:
    pc = doc.get("pretrained_config")
    if not isinstance(pc, dict):
        raise r.fail("missing pretrained_config", "version")
    heads = r.int(pc, "num_attention_heads", "pretrained_config.")
    hidden = pc.get("hidden_size")
    head_dim = pc.get("head_size") or (hidden // heads if isinstance(hidden, int) else None)
    if not head_dim:
        raise r.fail("pretrained_config needs head_size or hidden_size", "pretrained_config")
    dtype = str(pc.get("dtype", "float16"))
    quant = pc.get("quantization") or {}
    mapping = pc.get("mapping") or {}
    build = doc.get("build_config") or {}
    plugin = build.get("plugin_config") or {}
    per_layer = pc.get("num_kv_heads_per_layer")
    return EngineInfo(
        architecture=str(pc.get("architecture", "unknown")),
        layers=r.int(pc, "num_hidden_layers", "pretrained_config."),
        heads=heads,
        kv_heads=r.int(pc, "num_key_value_heads", "pretrained_config.", default=heads),
        head_dim=int(head_dim),
        dtype=dtype,
        kv_dtype=_quant_kv_dtype(quant.get("kv_cache_quant_algo"), r.kv_dtype(dtype, "dtype")),
        tokens_per_block=r.int(plugin, "tokens_per_block", "build_config.plugin_config.", default=DEFAULT_TOKENS_PER_BLOCK),
        format="trtllm-engine",
        path=r.path,
        tp=r.int(mapping, "tp_size", "pretrained_config.mapping.", default=1),
        pp=r.int(mapping, "pp_size", "pretrained_config.mapping.", default=1),
        cp=r.int(mapping, "cp_size", "pretrained_config.mapping.", default=1),
        kv_heads_per_layer=tuple(per_layer) if per_layer else None,
        max_batch_size=build.get("max_batch_size"),
        max_seq_len=build.get("max_seq_len"),
    )


def _from_legacy_engine(doc: dict, r: _Reader) -> EngineInfo:
    bc = doc["builder_config"]
    heads = r.int(bc, "num_heads", "builder_config.")
    hidden = bc.get("hidden_size")
    head_dim = bc.get("head_size") or (hidden // heads if isinstance(hidden, int) else None)
    if not head_dim:
        raise r.fail("builder_config needs head_size or hidden_size", "builder_config")
    dtype = str(bc.get("precision", "float16"))
    plugin = doc.get("plugin_config") or {}
    return EngineInfo(
        architecture=str(bc.get("name", "unknown")),
        layers=r.int(bc, "num_layers", "builder_config."),
        heads=heads,
        kv_heads=r.int(bc, "num_kv_heads", "builder_config.", default=heads),
        head_dim=int(head_dim),
        dtype=dtype,
        kv_dtype=_quant_kv_dtype(bc.get("kv_cache_quant_algo"), r.kv_dtype(dtype, "precision")),
        tokens_per_block=r.int(plugin, "tokens_per_block", "plugin_config.", default=DEFAULT_TOKENS_PER_BLOCK),
        format="trtllm-engine-legacy",
        path=r.path,
        tp=r.int(bc, "tensor_parallel", "builder_config.", default=1),
        max_batch_size=bc.get("max_batch_size"),
    )


def _from_checkpoint(doc: dict, r: _Reader, kv_config: dict, kv_config_path: str) -> EngineInfo:
    heads = r.int(doc, "num_attention_heads", "")
    hidden = doc.get("hidden_size")
    head_dim = doc.get("head_dim") or (hidden // heads if isinstance(hidden, int) else None)
    if not head_dim:
        raise r.fail("checkpoint config needs head_dim or hidden_size", "num_attention_heads")
    dtype = str(doc.get("torch_dtype") or doc.get("dtype") or "bfloat16")
    kv_dtype = r.kv_dtype(dtype, "torch_dtype" if "torch_dtype" in doc else "dtype")
    kv_reader = _Reader(kv_config_path, "")
    if str(kv_config.get("dtype", "auto")) != "auto":
        kv_dtype = kv_reader.kv_dtype(str(kv_config["dtype"]), "dtype")
    architectures = doc.get("architectures") or [doc.get("model_type", "unknown")]
    return EngineInfo(
        architecture=str(architectures[0]),
        layers=r.int(doc, "num_hidden_layers", ""),
        heads=heads,
        kv_heads=r.int(doc, "num_key_value_heads", "", default=heads),
        head_dim=int(head_dim),
        dtype=dtype,
        kv_dtype=kv_dtype,
        tokens_per_block=kv_reader.int(kv_config, "tokens_per_block", "kv_cache_config.", default=DEFAULT_TOKENS_PER_BLOCK),
        format="hf-checkpoint",
        path=r.path,
        host_cache_size=kv_config.get("host_cache_size"),
    )


def _via_trtllm(path: str) -> dict:
    """Let TensorRT-LLM parse its own engine config; returns the same dict layout as config.json."""
    from tensorrt_llm.builder import EngineConfig  # optional dependency (pip install tfeic[trtllm])

    config = EngineConfig.from_json_file(path)
    return {"version": config.version, "pretrained_config": config.pretrained_config.to_dict(),
            "build_config": config.build_config.to_dict()}


def config_path(path: str) -> str:
    """A directory's ``config.json``, or ``path`` itself when it names a JSON file."""
    return os.path.join(path, "config.json") if os.path.isdir(path) else path


def read_engine(path: str, *, kv_cache_config: str | None = None, strict_trtllm: bool = False) -> EngineInfo:
    """Read an engine dir or checkpoint dir (or its ``config.json``) into an EngineInfo.

    ``kv_cache_config`` is the path of an LLM-API options YAML, used for checkpoint dirs.
    ``strict_trtllm`` makes a missing ``tensorrt_llm`` package an error instead of a fallback.
    """
    if strict_trtllm and not trtllm_available():
        raise SourceError(Diagnostic("strict_trtllm is set but the tensorrt_llm package is not installed", Pos(path),
                                     hint="pip install tfeic[trtllm], or drop strict_trtllm to use tfeic's own reader"))
    cfg = config_path(path)
    if not os.path.isfile(cfg):
        raise SourceError(Diagnostic("no config.json: not an engine or checkpoint dir", Pos(path)))
    doc, text = _read_json(cfg)
    r = _Reader(cfg, text)
    try:
        if "version" in doc:
            return _from_engine(_via_trtllm(cfg) if trtllm_available() else doc, r)
        if "builder_config" in doc:
            return _from_legacy_engine(doc, r)
        if "num_hidden_layers" in doc:
            kv_config = read_kv_cache_config(kv_cache_config) if kv_cache_config else {}
            return _from_checkpoint(doc, r, kv_config, kv_cache_config or cfg)
    except (TypeError, AttributeError, KeyError, IndexError, ValueError, ZeroDivisionError, OverflowError) as e:
        # the readers check the fields they compute with; a value of another type anywhere else
        # (a list where a section should be, a string where a count should be) still names the file
        raise SourceError(Diagnostic(f"config.json has a value of an unexpected type or shape ({type(e).__name__}: {e})",
                                     Pos(cfg), hint="is this a TensorRT-LLM engine or Hugging Face config?")) from None
    raise SourceError(Diagnostic("config.json is neither a TensorRT-LLM engine config (version/builder_config) "
                                 "nor a Hugging Face checkpoint config (num_hidden_layers)", Pos(cfg)))


def read_kv_cache_config(path: str) -> dict:
    """The ``kv_cache_config`` mapping of an LLM-API options YAML (or a bare mapping of its fields)."""
    from ...core.yamlfile import load_file  # PyYAML only for the configs that name such a file

    try:  # the deck's own loader: the same limits (size, alias expansion) and one-line diagnostics
        doc = load_file(path).data or {}
    except SpecError as e:  # a broken input file, not a broken deck: exit 3
        raise SourceError([replace(d, message=f"kv_cache_config: {d.message}") for d in e.diagnostics]) from None
    section = doc.get("kv_cache_config", doc) if isinstance(doc, dict) else None
    if not isinstance(section, dict):
        raise SourceError(Diagnostic("kv_cache_config must be a mapping", Pos(path)))
    return section
