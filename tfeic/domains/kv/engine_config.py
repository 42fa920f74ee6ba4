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
from collections import Counter
from dataclasses import dataclass, replace

from ...core.diagnostics import Diagnostic, Pos, SourceError, SpecError
from ...core.datafile import read_data
from ...core.jsonfile import parse_json
from .dtypes import dtype_named
from .config_layers import MAX_LAYERS, ConfigProblem, ConfigView, attention_shape, layer_kinds
from .dtypes import DTYPES
from .geometry import KvGeometry
from .weights import ModelWeights, WeightsUnknown, weights_summary
from .layer_kinds import FULL, MLA, TOKEN_KINDS, LayerKind
from .model_geometry import DEFAULT_SEQUENCE_TOKENS, ModelGeometry

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
    model: ModelGeometry | None = None  # the per-layer-kind geometry read from the files

    @property
    def geometry(self) -> KvGeometry:
        """The whole model's pool geometry (all heads, all layers); one clear error (exit 3) when the
        layers are not all alike, since a ``[blocks, layers, kv_factor, Hk, T, D]`` pool needs that."""
        if self.model is not None and self.model.uniform is None:
            raise SourceError(Diagnostic(
                f"a KV pool view needs every layer alike, and this model has {self.model.describe_kinds()}",
                Pos(self.path or "engine"), hint="give layers/kv_dims explicitly for a pool of one layer group"))
        return KvGeometry(self.layers, self.kv_heads, self.tokens_per_block, self.head_dim, self.kv_dtype,
                          self.layout, self.kv_factor)

    def with_geometry(self, g: KvGeometry) -> "EngineInfo":
        """This info with its KV geometry replaced (explicit settings over what the files said); the
        per-layer model goes, since it no longer describes the pool."""
        per_layer = self.kv_heads_per_layer if g.kv_heads == self.kv_heads and g.layers == self.layers else None
        return replace(self, layers=g.layers, kv_heads=g.kv_heads, tokens_per_block=g.tokens_per_block,
                       head_dim=g.head_dim, kv_dtype=g.dtype, layout=g.layout, kv_factor=g.kv_factor,
                       kv_heads_per_layer=per_layer, model=None)

    @property
    def bytes_per_token(self) -> int:
        """What one token adds across all layers: from the per-layer model when read from files,
        else kv_factor x sum over layers of Hk x D x element bytes."""
        if self.model is not None:
            return self.model.bytes_per_token
        heads = self.kv_heads_per_layer or (self.kv_heads,) * self.layers
        return self.kv_factor * sum(heads) * self.head_dim * DTYPES[self.kv_dtype].nbytes

    @property
    def bytes_per_block(self) -> int:
        return self.bytes_per_token * self.tokens_per_block

    @property
    def rank_heads(self) -> int:
        return max(1, self.heads // (self.tp * self.cp))

    @property
    def rank_kv_heads(self) -> int:
        if self.model is not None and self.model.uniform is not None and self.model.uniform.kind == MLA:
            return 1  # the MLA latent is whole on every rank
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

    def summary(self, sequence_tokens: int = DEFAULT_SEQUENCE_TOKENS) -> dict:
        """The ``engine inspect --json`` object (schemas/engine-inspect.schema.json);
        ``bytes_per_sequence`` is for ``sequence_tokens`` tokens."""
        out = {"architecture": self.architecture, "format": self.format, "layers": self.layers, "heads": self.heads,
               "kv_heads": self.kv_heads, "head_dim": self.head_dim, "dtype": self.dtype, "kv_dtype": self.kv_dtype,
               "tokens_per_block": self.tokens_per_block, "bytes_per_token": self.bytes_per_token,
               "bytes_per_block": self.bytes_per_block, "tp": self.tp, "pp": self.pp, "cp": self.cp}
        model = self.model
        if model is not None:
            out.update(model.summary(sequence_tokens))
        if self.weights is not None:
            out["weights"] = weights_summary(self.weights)
        if self.parallel:
            rank = model.rank_summary(sequence_tokens) if model is not None else {
                "bytes_per_token": self.rank_geometry.bytes_per_token, "bytes_per_block": self.rank_geometry.block_bytes}
            out["per_rank"] = {"heads": self.rank_heads, "kv_heads": self.rank_kv_heads, "layers": self.rank_layers, **rank}
        return out

    @property
    def inspect(self) -> dict:
        """``summary()`` for a 128k-token sequence: what templates see as ``sources.NAME.inspect``."""
        return self.summary()


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


# tensorrt_llm/quantization/mode.py ``QuantMode`` (IntFlag, auto()): INT4_WEIGHTS 1, INT8_WEIGHTS 2,
# ACTIVATIONS 4, PER_CHANNEL 8, PER_TOKEN 16, PER_GROUP 32, INT8_KV_CACHE 64, FP8_KV_CACHE 128.
QUANT_MODE_INT8_KV, QUANT_MODE_FP8_KV = 1 << 6, 1 << 7


def _quant_kv_dtype(quant_algo: str | None, model_dtype: str) -> str:
    algo = (quant_algo or "").upper()
    if algo == "FP8":
        return "fp8_e4m3"
    if algo.startswith("INT8"):
        return "int8"
    return model_dtype


def _engine_tokens_per_block(version: str) -> tuple[int, str]:
    """The tokens per block an engine of ``version`` was built with when its config does not say:
    64 up to 0.x (``PluginConfig._tokens_per_block`` in tensorrt_llm/plugin/plugin.py, and the
    builder_config readers' ``plugin_config.get("tokens_per_block", 64)``), 32 from 1.0 on
    (``PluginConfig.tokens_per_block = Field(default=32)``)."""
    major = version.split(".")[0]
    tpb = 32 if major.isdigit() and int(major) >= 1 else 64
    return tpb, f"default for TensorRT-LLM {version or 'before 0.8'}"


def _model(info_layers: list[LayerKind], kv_dtype: str, tokens_per_block: int, tp: int, pp: int,
           sources: dict[str, str]) -> ModelGeometry:
    known = dtype_named(kv_dtype)
    return ModelGeometry(tuple(info_layers), known.nbytes if known else 2, tokens_per_block=tokens_per_block,
                         tp=tp, pp=pp, sources=sources)


def _fields_from_layers(kinds: list[LayerKind], heads: int) -> dict:
    """The old uniform fields (kv_heads, head_dim, kv_factor) from the most common token layer."""
    token = [k for k in kinds if k.kind in TOKEN_KINDS]
    if not token:
        return {"kv_heads": 1, "head_dim": 1, "kv_factor": 2, "kv_heads_per_layer": None}
    common = Counter(token).most_common(1)[0][0]
    per_layer = tuple(k.kv_heads for k in token)
    return {"kv_heads": common.kv_heads, "head_dim": common.head_dim, "kv_factor": common.kv_factor,
            "kv_heads_per_layer": per_layer if len(set(per_layer)) > 1 else None}


def _layers_of(view: ConfigView, model_bytes: int, r: _Reader) -> list[LayerKind]:
    try:
        return layer_kinds(view, model_bytes)
    except ConfigProblem as e:
        # a key inside a list (block_configs[3]...) has no line of its own worth pointing at
        raise r.fail(e.message, "" if "[" in e.key else e.key.split(".")[-1]) from None


def _from_pretrained(pc: dict, r: _Reader, *, prefix: str, fmt: str, tokens_per_block: int, tpb_source: str,
                     build: dict) -> EngineInfo:
    """A TensorRT-LLM ``PretrainedConfig`` (engine ``pretrained_config`` or a convert_checkpoint
    config.json; tensorrt_llm/models/modeling_utils.py ``PretrainedConfig.to_dict``)."""
    file = os.path.basename(r.path)
    view = ConfigView(pc, prefix, file)
    heads = view_int(view, "num_attention_heads", r)
    dtype = str(pc.get("dtype", "float16"))
    model_dtype = r.kv_dtype(dtype, "dtype")
    quant = pc.get("quantization") or {}
    mapping = pc.get("mapping") or {}
    kv_dtype = _quant_kv_dtype(quant.get("kv_cache_quant_algo"), model_dtype)
    per_layer = pc.get("num_kv_heads_per_layer")
    if per_layer:
        _, head_dim = _attention_or_fail(view, r)
        kinds = [LayerKind(FULL, int(h), head_dim) for h in per_layer]
        view.note("kv_heads", "num_kv_heads_per_layer")
    else:
        kinds = _layers_of(view, DTYPES[model_dtype].nbytes, r)
    tp = r.int(mapping, "tp_size", f"{prefix}mapping.", default=1)
    pp = _pp_size(r, mapping, "pp_size", f"{prefix}mapping.", len(kinds))
    cp = r.int(mapping, "cp_size", f"{prefix}mapping.", default=1)
    sources = {**view.sources, "tokens_per_block": tpb_source,
               "kv_dtype": f"{file}: {prefix}quantization.kv_cache_quant_algo" if kv_dtype != model_dtype else f"{file}: {prefix}dtype",
               "tp": f"{file}: {prefix}mapping.tp_size", "pp": f"{file}: {prefix}mapping.pp_size"}
    return EngineInfo(
        architecture=str(pc.get("architecture", "unknown")), layers=len(kinds), heads=heads, dtype=dtype,
        kv_dtype=kv_dtype, tokens_per_block=tokens_per_block, format=fmt, path=r.path, tp=tp, pp=pp, cp=cp,
        max_batch_size=build.get("max_batch_size"), max_seq_len=build.get("max_seq_len"),
        model=_model(kinds, kv_dtype, tokens_per_block, tp * cp, pp, sources), **_fields_from_layers(kinds, heads))


def view_int(view: ConfigView, key: str, r: _Reader) -> int:
    try:
        return view.int(key)
    except ConfigProblem as e:
        raise r.fail(e.message, key) from None


def _attention_or_fail(view: ConfigView, r: _Reader) -> tuple[int, int]:
    try:
        return attention_shape(view)
    except ConfigProblem as e:
        raise r.fail(e.message, e.key) from None


def _pp_size(r: _Reader, obj: dict, key: str, where: str, layers: int) -> int:
    """Pipeline stages, each holding at least one layer (``Mapping.pp_layers`` splits the layers)."""
    pp = r.int(obj, key, where, default=1)
    if pp > layers:
        raise r.fail(f"{where}{key} is {pp}, more pipeline stages than the model's {layers} layers", key)
    return pp


def _from_engine(doc: dict, r: _Reader) -> EngineInfo:
    pc = doc.get("pretrained_config")
    if not isinstance(pc, dict):
        raise r.fail("missing pretrained_config", "version")
    build = doc.get("build_config") or {}
    plugin = build.get("plugin_config") or {}
    if plugin.get("tokens_per_block") is not None:
        tpb = r.int(plugin, "tokens_per_block", "build_config.plugin_config.")
        source = f"{os.path.basename(r.path)}: build_config.plugin_config.tokens_per_block"
    else:
        tpb, source = _engine_tokens_per_block(str(doc.get("version", "")))
    return _from_pretrained(pc, r, prefix="pretrained_config.", fmt="trtllm-engine", tokens_per_block=tpb,
                            tpb_source=source, build=build)


def _from_trtllm_checkpoint(doc: dict, r: _Reader) -> EngineInfo:
    """A ``convert_checkpoint.py`` output dir: config.json is a bare PretrainedConfig (``architecture``,
    ``mapping``, ``quantization``), no engine built yet, so tokens per block is the builder's default."""
    return _from_pretrained(doc, r, prefix="", fmt="trtllm-checkpoint", tokens_per_block=DEFAULT_TOKENS_PER_BLOCK,
                            tpb_source="not in a checkpoint: default of TensorRT-LLM 1.x (32)", build={})


def _from_legacy_engine(doc: dict, r: _Reader) -> EngineInfo:
    """A builder_config engine (TensorRT-LLM before 0.8): ``num_kv_heads`` or ``multi_query_mode`` (one
    KV head), ``quant_mode`` bitmask (INT8/FP8 KV cache), ``tensor_parallel`` / ``pipeline_parallel``,
    ``plugin_config.tokens_per_block`` (default 64), as the 0.7 runtime's ``_read_config`` reads them
    (``num_kv_heads = builder_config.get("num_kv_heads", num_heads)``; ``multi_query_mode`` -> 1).
    The head dimension is ``head_size`` when written, else ``hidden_size // num_heads``."""
    bc = doc["builder_config"]
    file = os.path.basename(r.path)
    heads = r.int(bc, "num_heads", "builder_config.")
    hidden = bc.get("hidden_size")
    head_dim = bc.get("head_size") or (hidden // heads if isinstance(hidden, int) else None)
    if not head_dim:
        raise r.fail("builder_config needs head_size or hidden_size", "builder_config")
    dtype = str(bc.get("precision", "float16"))
    model_dtype = r.kv_dtype(dtype, "precision")
    sources = {"layers": f"{file}: builder_config.num_layers", "head_dim": f"{file}: builder_config.hidden_size / num_heads"}
    if bc.get("multi_query_mode"):
        kv_heads = 1
        sources["kv_heads"] = f"{file}: builder_config.multi_query_mode"
    else:
        kv_heads = r.int(bc, "num_kv_heads", "builder_config.", default=heads)
        sources["kv_heads"] = f"{file}: builder_config.num_kv_heads"
    quant_mode = bc.get("quant_mode", 0)
    if not isinstance(quant_mode, int) or isinstance(quant_mode, bool):
        raise r.fail(f"builder_config.quant_mode must be an integer bitmask, got {quant_mode!r}", "quant_mode")
    if quant_mode & QUANT_MODE_FP8_KV:
        kv_dtype, sources["kv_dtype"] = "fp8_e4m3", f"{file}: builder_config.quant_mode (FP8_KV_CACHE bit)"
    elif quant_mode & QUANT_MODE_INT8_KV:
        kv_dtype, sources["kv_dtype"] = "int8", f"{file}: builder_config.quant_mode (INT8_KV_CACHE bit)"
    else:
        kv_dtype = _quant_kv_dtype(bc.get("kv_cache_quant_algo"), model_dtype)
        sources["kv_dtype"] = f"{file}: builder_config.precision"
    plugin = doc.get("plugin_config") or {}
    if plugin.get("tokens_per_block") is not None:
        tpb = r.int(plugin, "tokens_per_block", "plugin_config.")
        sources["tokens_per_block"] = f"{file}: plugin_config.tokens_per_block"
    else:
        tpb, sources["tokens_per_block"] = _engine_tokens_per_block(str(bc.get("tensorrt_llm_version", "")))
    layers = r.int(bc, "num_layers", "builder_config.")
    if layers > MAX_LAYERS:
        raise r.fail(f"builder_config.num_layers must be at most {MAX_LAYERS}, got {layers}", "num_layers")
    tp = r.int(bc, "tensor_parallel", "builder_config.", default=1)
    pp = _pp_size(r, bc, "pipeline_parallel", "builder_config.", layers)
    kinds = [LayerKind(FULL, kv_heads, int(head_dim))] * layers
    return EngineInfo(
        architecture=str(bc.get("name", "unknown")), layers=layers, heads=heads, kv_heads=kv_heads,
        head_dim=int(head_dim), dtype=dtype, kv_dtype=kv_dtype, tokens_per_block=tpb, format="trtllm-engine-legacy",
        path=r.path, tp=tp, pp=pp, max_batch_size=bc.get("max_batch_size"),
        model=_model(kinds, kv_dtype, tpb, tp, pp, sources))


def _kv_quant(section: dict, where: str, path: str) -> tuple[str, str] | None:
    """The KV dtype a quantization mapping names, or None when it quantizes no KV cache.

    ``kv_cache_quant_algo`` is ModelOpt's algorithm name ("FP8", "INT8"; "none"/"null" spell "not
    quantized", as TensorRT-LLM ``_torch/model_config.py`` normalizes them); ``kv_cache_scheme`` is a
    compressed-tensors QuantizationArgs mapping ({"num_bits": 8, "type": "float"}: FP8, the one KV
    scheme vLLM's compressed-tensors KV method accepts) or, in ModelOpt's config.json copy, the
    algorithm name again. Anything else is one clear error naming the key, never a guess.
    """
    for key in ("kv_cache_quant_algo", "kv_cache_scheme"):
        value = section.get(key)
        if value is None or (isinstance(value, str) and value.strip().lower() in ("none", "null", "")):
            continue
        if isinstance(value, dict) and value.get("num_bits") == 8 and value.get("type") == "float":
            return "fp8_e4m3", f"{where}{key}"
        kv = _quant_kv_dtype(value, "") if isinstance(value, str) else ""
        if not kv:
            raise SourceError(Diagnostic(f"{where}{key} is a KV cache format tfeic does not model, found {value!r}",
                                         Pos(path)))
        return kv, f"{where}{key}"
    return None


def _checkpoint_kv_dtype(doc: dict, inner: dict, config_path: str, model_dtype: str) -> tuple[str, str]:
    """KV dtype of a Hugging Face checkpoint when the serving side leaves it on "auto": ModelOpt's
    ``hf_quant_config.json`` (``quantization.kv_cache_quant_algo``, or the flat format's top-level keys;
    TensorRT-LLM's PyTorch backend reads it next to config.json: ``tensorrt_llm/_torch/model_config.py``
    ``ModelConfig.load_modelopt_quant_config`` sets ``quant_config.kv_cache_quant_algo`` from it), else
    config.json's ``quantization_config`` (top level, then the nested ``text_config``'s), else the model
    dtype."""
    side = os.path.join(os.path.dirname(config_path), "hf_quant_config.json")
    sections: list[tuple[object, str, str]] = []
    if os.path.isfile(side):
        quant_doc, _ = _read_json(side)
        legacy = "quantization" in quant_doc
        sections.append((quant_doc.get("quantization") if legacy else quant_doc,
                         "hf_quant_config.json: quantization." if legacy else "hf_quant_config.json: ", side))
    name = os.path.basename(config_path)
    sections.append((doc.get("quantization_config"), f"{name}: quantization_config.", config_path))
    if inner is not doc:
        sections.append((inner.get("quantization_config"), f"{name}: text_config.quantization_config.", config_path))
    for section, where, path in sections:
        found = _kv_quant(section, where, path) if isinstance(section, dict) else None
        if found:
            return found
    return model_dtype, "the model dtype (no KV quantization in the checkpoint)"


def _from_checkpoint(doc: dict, r: _Reader, kv_config: dict, kv_config_path: str) -> EngineInfo:
    text = doc.get("text_config")
    nested = "num_hidden_layers" not in doc and isinstance(text, dict)
    inner: dict = text if nested and isinstance(text, dict) else doc
    view = ConfigView(inner, "text_config." if nested else "", os.path.basename(r.path))
    dtype_key = next((k for k in ("torch_dtype", "dtype") if inner.get(k)), None)
    dtype = str(inner.get(dtype_key) if dtype_key else doc.get("torch_dtype") or doc.get("dtype") or "bfloat16")
    top_key = next((k for k in ("torch_dtype", "dtype") if doc.get(k)), None)
    if dtype_key:
        view.note("dtype", dtype_key)
    else:
        view.sources["dtype"] = f"{view.file}: {top_key}" if top_key else f"{view.file}: no torch_dtype, bfloat16 assumed"
    model_dtype = r.kv_dtype(dtype, dtype_key or "torch_dtype")
    kinds = _layers_of(view, DTYPES[model_dtype].nbytes, r)
    kv_dtype, kv_source = _checkpoint_kv_dtype(doc, inner, r.path, model_dtype)
    view.sources["kv_dtype"] = kv_source
    kv_reader = _Reader(kv_config_path, "")
    if str(kv_config.get("dtype", "auto")) != "auto":
        kv_dtype = kv_reader.kv_dtype(str(kv_config["dtype"]), "dtype")
        view.sources["kv_dtype"] = f"{os.path.basename(kv_config_path)}: kv_cache_config.dtype"
    tpb = kv_reader.int(kv_config, "tokens_per_block", "kv_cache_config.", default=DEFAULT_TOKENS_PER_BLOCK)
    view.sources["tokens_per_block"] = (f"{os.path.basename(kv_config_path)}: kv_cache_config.tokens_per_block"
                                        if "tokens_per_block" in kv_config else
                                        "default of TensorRT-LLM's PyTorch backend (KvCacheConfig.tokens_per_block = 32)")
    architectures = doc.get("architectures") or [doc.get("model_type", "unknown")]
    heads = view_int(view, "num_attention_heads", r)
    return EngineInfo(
        architecture=str(architectures[0]), layers=len(kinds), heads=heads, dtype=dtype, kv_dtype=kv_dtype,
        tokens_per_block=tpb, format="hf-checkpoint", path=r.path, host_cache_size=kv_config.get("host_cache_size"),
        model=_model(kinds, kv_dtype, tpb, 1, 1, view.sources), **_fields_from_layers(kinds, heads))


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
        if isinstance(doc.get("architecture"), str) and "num_hidden_layers" in doc:
            return _from_trtllm_checkpoint(doc, r)
        if "num_hidden_layers" in doc or isinstance(doc.get("text_config"), dict):
            kv_config = read_kv_cache_config(kv_cache_config) if kv_cache_config else {}
            return _from_checkpoint(doc, r, kv_config, kv_cache_config or cfg)
    except (TypeError, AttributeError, KeyError, IndexError, ValueError, ZeroDivisionError, OverflowError) as e:
        # the readers check the fields they compute with; a value of another type anywhere else
        # (a list where a section should be, a string where a count should be) still names the file
        raise SourceError(Diagnostic(f"config.json has a value of an unexpected type or shape ({type(e).__name__}: {e})",
                                     Pos(cfg), hint="is this a TensorRT-LLM engine or Hugging Face config?")) from None
    raise SourceError(Diagnostic("config.json is neither a TensorRT-LLM engine config (version/builder_config) "
                                 "nor a checkpoint config (num_hidden_layers, or text_config.num_hidden_layers)", Pos(cfg)))


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
