"""Classification rules: which names are Prefill/Decode stages, attention kernels, KV events, I/O.

Names are all a trace tells us, and every framework spells its steps differently (vLLM
``execute_context_1(..)_generation_0(0)``, SGLang ``step[DECODE bs=32]``, TensorRT-LLM
``_forward_step 7: 0 ctx reqs, 32 gen reqs``), so the rules are data: presets per framework, which a
deck source can extend or replace (``rules:`` option, same shape as ``PRESETS`` entries). Patterns are
case-insensitive regular expressions searched anywhere in the name unless anchored. First match wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from ...core.diagnostics import Diagnostic, Pos, SpecError
from . import taxonomy

#: one preset per framework; each list holds rule dicts exactly as a deck writes them
PRESETS: dict[str, dict[str, list]] = {
    "pytorch": {
        "stages": [
            {"match": r"^prefill\b", "stage": "Prefill", "kind": "prefill"},
            {"match": r"^decode\b", "stage": "Decode", "kind": "decode"},
            # torch.profiler's schedule marks each step it records (tracelens_Qwen1.5-0.5B-Chat_h100: ProfilerStep#6)
            {"match": r"^ProfilerStep#\d+$", "stage": "ProfilerStep", "kind": "other"},
        ],
        "attention": ["fmha", "flash", "sdpa", "scaled_dot_product", "attention", "attn", "mmha", "xqa"],
        "kv": [
            {"match": r"^onboard", "name": "Onboard"},
            {"match": r"^offload", "name": "Offload"},
            {"match": r"copy_?blocks?", "name": "copyBlock"},
        ],
        "io": [
            {"match": r"cuFileRead", "name": "cuFileRead"},
            {"match": r"cuFileWrite", "name": "cuFileWrite"},
            {"match": r"\bgds\b|gpudirect", "name": "GDS"},
        ],
        "osrt_io": [r"^(p?read|p?write)(64)?$", r"^(p?readv|p?writev)2?$", r"^(fread|fwrite)$", r"^io_(submit|getevents)$"],
    },
    "vllm": {
        "stages": [
            {"match": r"^execute_(\d+_)?context_[1-9]\d*\(.*\)_generation_0\(", "stage": "Prefill", "kind": "prefill"},
            {"match": r"^execute_(\d+_)?context_0\(.*\)_generation_[1-9]", "stage": "Decode", "kind": "decode"},
            {"match": r"^execute_(\d+_)?context_\d+\(.*\)_generation_\d+", "stage": "Mixed step", "kind": "other"},
        ],
        "attention": ["unified_attention", "paged_attention"],
        "kv": [{"match": r"reshape_and_cache", "name": "reshape_and_cache"}],
    },
    "sglang": {
        "stages": [
            {"match": r"^step\[(extend|prefill)\b", "stage": "Prefill", "kind": "prefill"},
            {"match": r"^step\[decode\b", "stage": "Decode", "kind": "decode"},
            {"match": r"^step\[", "stage": "Mixed step", "kind": "other"},
        ],
        "kv": [{"match": r"store_kvcache|set_kv_buffer", "name": "store_kvcache"}],
    },
    "trtllm": {
        "stages": [
            {"match": r"_forward_step \d+: [1-9]\d* ctx reqs, 0 gen reqs", "stage": "Prefill", "kind": "prefill"},
            {"match": r"_forward_step \d+: 0 ctx reqs, [1-9]\d* gen reqs", "stage": "Decode", "kind": "decode"},
            {"match": r"_forward_step \d+:", "stage": "Mixed step", "kind": "other"},
            {"match": r"^context(_phase|_step)?$", "stage": "Prefill", "kind": "prefill"},
            {"match": r"^generation(_phase|_step)?$", "stage": "Decode", "kind": "decode"},
        ],
        "attention": ["xqa", "mmha", "fmha", "context_attention"],
        "kv": [{"match": r"kvcache.*(transfer|copy)|copy_?kv", "name": "KV copy"}],
    },
}

#: the default: every preset, PyTorch's generic names first
DEFAULT_PRESETS = ("pytorch", "vllm", "sglang", "trtllm")

_TRAILING_INDEX = re.compile(r"\s*(\[\d+\]|#\d+|\(\d+\)|_\d+)$")


@dataclass(frozen=True)
class Classified:
    """What a name is: the lane that draws it (None: not drawn), its label, and its class."""

    lane: str | None
    label: str
    cls: str  # prefill | decode | other (stages) | attention | kernel | kv | io | range


def _compile(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


@dataclass(frozen=True)
class Rules:
    stages: tuple[tuple[re.Pattern, str, str], ...]
    attention: tuple[re.Pattern, ...]
    kv: tuple[tuple[re.Pattern, str], ...]
    io: tuple[tuple[re.Pattern, str], ...]
    osrt_io: tuple[re.Pattern, ...]
    kernel_classes: taxonomy.Taxonomy = taxonomy.DEFAULT
    _cache: dict[tuple[str, str], Classified] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_dicts(cls, parts: list[dict[str, list]]) -> "Rules":
        """Concatenate rule dicts in order (earlier parts win, since first match wins)."""
        merged: dict[str, list] = {"stages": [], "attention": [], "kv": [], "io": [], "osrt_io": [], "kernel_classes": []}
        for part in parts:
            for key, items in part.items():
                merged[key].extend(items)
        return cls(
            stages=tuple((_compile(r["match"]), r["stage"], r.get("kind", "other")) for r in merged["stages"]),
            attention=tuple(_compile(p) for p in merged["attention"]),
            kv=tuple((_compile(r["match"]), r["name"]) for r in merged["kv"]),
            io=tuple((_compile(r["match"]), r["name"]) for r in merged["io"]),
            osrt_io=tuple(_compile(p) for p in merged["osrt_io"]),
            kernel_classes=taxonomy.Taxonomy.of(merged["kernel_classes"]) if merged["kernel_classes"] else taxonomy.DEFAULT,
        )

    @classmethod
    def from_options(cls, options: dict[str, Any] | None, pos: Pos | None = None) -> "Rules":
        """Rules from a deck's ``rules:`` option: ``presets`` (default all), ``replace`` (drop the
        presets), and extra ``stages``/``attention``/``kv``/``io``/``osrt_io``/``kernel_classes`` lists
        tried first (``replace`` keeps the shipped kernel taxonomy: a deck's classes only come first)."""
        options = options or {}
        own = {k: v for k, v in options.items() if k in ("stages", "attention", "kv", "io", "osrt_io", "kernel_classes")}
        presets = () if options.get("replace") else options.get("presets", DEFAULT_PRESETS)
        try:
            return cls.from_dicts([own, *(PRESETS[p] for p in presets)])
        except re.error as e:  # a deck's pattern: the shipped ones compile
            raise SpecError(Diagnostic(f"rules: {e.pattern!r} is not a regular expression: {e}", pos)) from None

    def _memo(self, key: tuple[str, str], compute: Callable[[str], Classified]) -> Classified:
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = compute(key[1])
        return hit

    def range(self, name: str) -> Classified:
        """An annotation / NVTX range: a stage, a KV event, an I/O range, or just a range."""
        return self._memo(("range", name), self._range)

    def _range(self, name: str) -> Classified:
        for pattern, stage, kind in self.stages:
            if pattern.search(name):
                return Classified("Stages", stage, kind)
        for pattern, label in self.kv:
            if pattern.search(name):
                return Classified("KV events", label, "kv")
        for pattern, label in self.io:
            if pattern.search(name):
                return Classified("I/O", label, "io")
        return Classified(None, _TRAILING_INDEX.sub("", name) or name, "range")

    def kernel(self, name: str) -> Classified:
        """A GPU kernel: KV-writing (checked first: ``reshape_and_cache_flash`` is not attention),
        attention, or other."""
        return self._memo(("kernel", name), self._kernel)

    def _kernel(self, name: str) -> Classified:
        for pattern, label in self.kv:
            if pattern.search(name):
                return Classified("KV events", label, "kv")
        if any(p.search(name) for p in self.attention):
            return Classified("Attention", name, "attention")
        return Classified("Kernels", name, "kernel")

    def osrt(self, name: str) -> Classified:
        """An OS-runtime call: storage I/O (read, pwrite64, ...) or not drawn at all."""
        return self._memo(("osrt", name), self._osrt)

    def _osrt(self, name: str) -> Classified:
        if any(p.search(name) for p in self.osrt_io):
            return Classified("I/O", name, "io")
        return Classified(None, name, "other")


def with_theme_classes(options: dict[str, Any] | None, theme_classes: tuple[tuple[str, str], ...]) -> dict[str, Any] | None:
    """A deck's ``rules:`` option with a theme's kernel classes appended to its own ``kernel_classes``,
    so a kernel name meets the deck's rules first, then the theme's, then the shipped taxonomy (the
    theme loader already checked the theme's patterns compile)."""
    if not theme_classes:
        return options
    merged = dict(options or {})
    merged["kernel_classes"] = [*merged.get("kernel_classes", ()), *({"match": m, "class": c} for m, c in theme_classes)]
    return merged


def _named(description: str, key: str = "name", value: dict | None = None) -> dict:
    """A list of ``{match: REGEX, <key>: value}`` rules (``key`` defaults to a label to aggregate under)."""
    return {
        "type": "array",
        "description": description,
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["match", key],
            "properties": {
                "match": {"type": "string", "description": "Regular expression on the name."},
                key: value or {"type": "string", "description": "Label to aggregate under."},
            },
        },
    }


#: JSON Schema of the ``rules`` option of the ``trace`` source (self-contained: it is embedded in
#: the deck schema, so no ``$ref``)
RULES_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "description": "Classification rules, tried before the presets (first match wins). Patterns are case-insensitive regular expressions.",
    "properties": {
        "presets": {
            "type": "array",
            "items": {"enum": sorted(PRESETS)},
            "description": "Framework presets to use after your own rules (default: all).",
        },
        "replace": {"type": "boolean", "description": "Use only the rules given here, no presets."},
        "stages": {
            "type": "array",
            "description": "Range names that are inference stages.",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["match", "stage"],
                "properties": {
                    "match": {"type": "string", "description": "Regular expression on the range name."},
                    "stage": {"type": "string", "description": "Stage name to aggregate under, e.g. Decode."},
                    "kind": {"enum": ["prefill", "decode", "other"], "description": "Stage kind (default other)."},
                },
            },
        },
        "attention": {"type": "array", "items": {"type": "string"}, "description": "Patterns of attention kernel names."},
        "kv": _named("KV-cache events (ranges or KV-writing kernels)."),
        "io": _named("Storage I/O ranges (cuFile, GDS)."),
        "osrt_io": {"type": "array", "items": {"type": "string"}, "description": "Patterns of OS-runtime calls that are storage I/O."},
        "kernel_classes": _named("Kernel classes, tried before the theme's and the shipped taxonomy (docs/kernel-taxonomy.md).", "class",
                                 {"enum": list(taxonomy.CLASSES), "description": "The class of the kernels it matches."}),
    },
}
