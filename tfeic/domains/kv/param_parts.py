"""The building blocks of a derived parameter count: one weight tensor (``Part``), typed config keys
(``ConfigKeys``) and the projections every family is made of (linear with optional bias, gated MLP,
routed experts). The families themselves are in ``param_count`` and the modules it names."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

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


def linear_parts(name: str, out_features: int, in_features: int, bias: bool, kind: str = "linear") -> list[Part]:
    parts = [Part(name, kind, out_features, in_features)]
    return parts + [Part(f"{name}.bias", "other", out_features)] if bias else parts


def gated_mlp(prefix: str, hidden: int, inner: int, bias: bool = False) -> list[Part]:
    return [p for proj, out, inn in (("gate_proj", inner, hidden), ("up_proj", inner, hidden), ("down_proj", hidden, inner))
            for p in linear_parts(f"{prefix}.{proj}", out, inn, bias)]


def expert_mlps(prefix: str, hidden: int, inner: int, count: int) -> list[Part]:
    return [Part(f"{prefix}.0.{proj}", "expert", out, inn, count)
            for proj, out, inn in (("gate_proj", inner, hidden), ("up_proj", inner, hidden), ("down_proj", hidden, inner))]


def number(c: ConfigKeys, key: str, where: str = "") -> float:
    """A positive number (``ffn_mult`` and the like); ConfigGap naming ``where + key`` otherwise."""
    value = c.doc.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < math.inf:
        raise ConfigGap(f"{where}{key} must be a positive number, found {value!r}")
    return float(value)


def norm(name: str, size: int) -> Part:
    """One norm's weight vector (RMSNorm; a LayerNorm is this plus a ``.bias`` of the same size)."""
    return Part(name, "other", size)


def decoder_model(c: ConfigKeys, layers: list[list[Part]], tie_default: bool = False, prefix: str = "model") -> list[Part]:
    """``embed_tokens``, the decoder layers, the final ``norm`` and ``lm_head`` unless
    ``tie_word_embeddings`` (whose default is the family's config class's)."""
    hidden, vocab = c.count("hidden_size"), c.count("vocab_size")
    parts = [Part(f"{prefix}.embed_tokens", "other", vocab, hidden), *(p for layer in layers for p in layer),
             norm(f"{prefix}.norm", hidden)]
    if not c.flag("tie_word_embeddings", tie_default):
        parts.append(Part("lm_head", "head", vocab, hidden))
    return parts
