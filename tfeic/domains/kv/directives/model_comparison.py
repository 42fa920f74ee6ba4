"""Directive ``model_comparison``: several models' KV bytes per token, per context, and sessions per GPU.

A directive of its own rather than the ``table`` directive over a table source: every cell is
computed (weights taken from the model, KV per layer kind, sessions from the device budget), the
numbers are only comparable when all rows use the same context and device, and each number's
origin (index, weight headers or derived; KV dtype from where) belongs in the speaker notes.
"""

from __future__ import annotations

from tfeic.domains.kv.layer_kinds import FULL, MLA, NONE, SLIDING, STATE, LayerKind
from tfeic.domains.kv.memory import human_bytes
from tfeic.domains.kv.models import ModelSummary
from tfeic.ir import Slide, TableBlock
from tfeic.directives import DIRECTIVES, Directive
from tfeic.directives.blocks import text_block

GB = 10**9
DEFAULT_GPU = {"name": "H100", "memory_gb": 80}
DEFAULT_TOKENS = 131_072
KIND_WORDS = {FULL: "full attention", SLIDING: "sliding window", MLA: "MLA latent", STATE: "recurrent state", NONE: "cache-free"}


def _weights_cell(model: ModelSummary) -> str:
    return human_bytes(model.weights.bytes) + ("*" if model.weights.derived else "")


def _note(model: ModelSummary, tokens: int) -> str:
    """Where a row's numbers came from, for the speaker notes."""
    weights = f"weights {model.weights.bytes:,} B: {model.weights.origin}"
    groups = "; ".join(_kind_note(kind, n, model.kv.kv_elem_bytes) for kind, n in model.kv.kind_counts())
    return (f"{model.name}: {weights}. KV {model.kv_dtype}, from {model.kv_dtype_origin}: {groups}; "
            f"{model.kv.bytes_per_sequence(tokens):,} B per {tokens:,}-token session.")


def _kind_note(kind: LayerKind, layers: int, elem_bytes: int) -> str:
    if kind.kind == STATE:
        return f"{layers} {KIND_WORDS[STATE]} layers x {kind.state_bytes():,} B per session, whatever its length"
    if kind.kind == NONE:
        return f"{layers} {KIND_WORDS[NONE]} layers"
    text = f"{layers} {KIND_WORDS[kind.kind]} layers x {kind.token_elements() * elem_bytes:,} B/token"
    return text + (f", keeping at most {kind.window:,} tokens" if kind.window else "")


@DIRECTIVES.register
class ModelComparison(Directive):
    name = "model_comparison"
    summary = "Table of several models: weights, KV bytes per token and per context, sessions per GPU."
    sources = {"source": ("models",)}
    default_layout = "body-caption"
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["source"],
        "properties": {
            "source": {"type": "string", "description": "A `models` source."},
            "title": {"type": "string", "description": "Slide title (a default says what is compared)."},
            "layout": {"const": "body-caption"},
            "context_tokens": {"type": "integer", "minimum": 1, "default": DEFAULT_TOKENS,
                               "description": "Tokens per session (default 128k = 131,072)."},
            "gpu": {"type": "object", "additionalProperties": False, "required": ["name", "memory_gb"],
                    "description": "The device sessions are counted on (default H100, 80 GB).",
                    "properties": {"name": {"type": "string"}, "memory_gb": {"type": "number", "exclusiveMinimum": 0}}},
            "gpus": {"type": "integer", "minimum": 1, "default": 1,
                     "description": "Devices one model instance is split over (tensor parallel)."},
            "overhead_gb": {"type": "number", "minimum": 0, "default": 0,
                            "description": "Runtime memory per device besides weights and KV."},
        },
    }

    def expand(self, spec, data, ctx):
        o = spec.options
        models: list[ModelSummary] = data["source"]
        tokens, tp = int(o.get("context_tokens", DEFAULT_TOKENS)), int(o.get("gpus", 1))
        gpu = o.get("gpu", DEFAULT_GPU)
        device, overhead = int(gpu["memory_gb"] * GB), int(float(o.get("overhead_gb", 0)) * GB)
        where = f"{tp} x {gpu['name']}" if tp > 1 else gpu["name"]
        stateful = any(m.kv.state_bytes_per_sequence for m in models)
        rows = tuple((m.name, _weights_cell(m), f"{m.kv.bytes_per_token:,} B",
                      *([human_bytes(m.kv.state_bytes_per_sequence)] if stateful else []),
                      human_bytes(m.kv.bytes_per_sequence(tokens)), f"{m.sessions(device, overhead, tokens, tp):,}")
                     for m in models)
        header = ("model", "weights", "KV per token", *(["state per session"] if stateful else []),
                  f"KV per {tokens:,} tokens", f"sessions per {where}")
        table = TableBlock("body", header=header, rows=rows, col_align=("left",) + ("right",) * (len(header) - 1), name="models")
        minus_overhead = f" - {human_bytes(overhead)}" if overhead else ""
        caption = (f"Sessions = ({human_bytes(device)} - weights/{tp}{minus_overhead}) per device / its KV share "
                   f"of one {tokens:,}-token session. * derived from config.json. Sliding-window layers keep only their window."
                   + (" Mamba / linear-attention layers keep a fixed state per session, not per token (in the session column)."
                      if stateful else ""))
        notes = "\n".join([spec.notes] * bool(spec.notes) + [_note(m, tokens) for m in models])
        title = o.get("title", f"KV cache per model: {tokens:,}-token sessions on {where}")
        return [Slide(title, self.layout_of(spec), (table, text_block(caption, "caption", role="caption")),
                      notes=notes, origin=spec.pos, directive=self.name)]
