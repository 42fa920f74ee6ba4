"""Directive ``kv_memory``: the memory budget and the scale-out view toward exabytes.

Left: per device, weights + KV per session x sessions + overhead against its memory, and how many
sessions fit. Right: tokens x sessions x bytes per token, and how many devices of each tier (HBM,
host DRAM, NVMe/GDS) that working set needs. The weights' size comes from the model an ``engine``
source read (``weights.read_weights``: its safetensors index or weight files, else derived from its
config, as the notes say), or from ``params_b`` x ``bytes_per_param`` when the deck gives them; it
is never assumed.
"""

from __future__ import annotations

from dataclasses import replace

from tfeic.core.diagnostics import SpecError
from tfeic.deck.model import SlideSpec
from tfeic.ir import Block, Slide, TableBlock
from tfeic.domains.kv.model_geometry import ModelGeometry
from tfeic.domains.kv.memory import Budget, Tier, human_bytes, session_bytes, tier_needs, working_set_bytes
from tfeic.domains.kv.weights import GIVEN_WEIGHTS_PROPERTIES, ModelWeights, WeightsUnknown, given_weights
from tfeic.directives import DIRECTIVES, Directive, slide_diagnostic
from tfeic.directives.blocks import text_block
from tfeic.domains.kv.directives._options import POOL_KINDS, SOURCE, options_schema

GB = 10**9
DEFAULT_DEVICES = [{"name": "RTX 4000 Ada", "memory_gb": 20}, {"name": "H100", "memory_gb": 80},
                   {"name": "H200", "memory_gb": 141}]
DEFAULT_TIERS = [{"name": "HBM (H200)", "capacity_gb": 141}, {"name": "host DRAM", "capacity_gb": 2000},
                 {"name": "NVMe / GDS", "capacity_gb": 30720}]
_NAMED_SIZE = {"type": "object", "additionalProperties": False, "properties": {"name": {"type": "string"}}}


def _weights(spec: SlideSpec, source: object) -> ModelWeights:
    """The weights: ``params_b`` when given, else the model the source read; a source without one
    (a KV pool dump) or a model that does not say is exit 2, asking for ``params_b``."""
    o = spec.options
    try:
        given = given_weights(o)
    except ValueError as e:
        raise SpecError(slide_diagnostic(spec, "bytes_per_param", str(e), spec.pos_of("bytes_per_param"),
                                         hint="give params_b too, or drop bytes_per_param to take the weights from the model")) from None
    if given is not None:
        return given
    model = getattr(source, "weights", None)
    if isinstance(model, ModelWeights):
        return model
    why = model.reason if isinstance(model, WeightsUnknown) else f"source {o['source']!r} is a KV pool dump: it holds no model"
    raise SpecError(slide_diagnostic(spec, "params_b", f"the weights' size is unknown: {why}", spec.pos,
                                     hint="give params_b (and bytes_per_param), or point an engine source at a model dir"))


def _cache(source: object, tokens: int, scale_tokens: int, sessions: int) -> tuple[int, int, int, int, str]:
    """(bytes per token, per session of ``tokens`` in whole blocks, the scale-out working set, tokens
    per block, how the working set was worked out): from the per-layer-kind model an engine source
    read (so sliding windows, MLA and recurrent state count as they are kept), else from the
    source's uniform pool geometry."""
    model = getattr(source, "model", None)
    if isinstance(model, ModelGeometry) and model.uniform is None:
        per_sequence = model.bytes_per_sequence(scale_tokens)
        return (model.bytes_per_token, model.session_bytes(tokens), sessions * per_sequence, model.tokens_per_block,
                f"{sessions:,} sessions x {per_sequence:,} B per {scale_tokens:,}-token session ({model.describe_kinds()})")
    g = source.geometry  # type: ignore[attr-defined]  # every source kv_memory accepts has one
    return (g.bytes_per_token, session_bytes(g, tokens), working_set_bytes(g, scale_tokens, sessions), g.tokens_per_block,
            f"{scale_tokens:,} tokens x {sessions:,} sessions x {g.bytes_per_token:,} B/token")


@DIRECTIVES.register
class KvMemory(Directive):
    name = "kv_memory"
    summary = "Memory budget (weights + KV x sessions + overhead vs device memory) and KV tiers up to exabytes."
    sources = {"source": ("engine",) + POOL_KINDS}  # engine first: its model gives the weights
    default_layout = "two-columns-caption"
    schema = options_schema({
        "source": {**SOURCE, "description": "An `engine` source (its geometry and its model's weights), or a `kv` or `connector_cache` source (its geometry; give params_b)."},
        "layout": {"enum": ["two-columns-caption", "two-columns", "body-caption"],
                   "description": "two-columns-caption (default): the budget, the scale-out tiers and their arithmetic; "
                                  "two-columns: the two tables alone; body-caption: the budget alone, with its arithmetic."},
        **GIVEN_WEIGHTS_PROPERTIES,
        "overhead_gb": {"type": "number", "minimum": 0, "default": 2, "description": "Runtime overhead per device."},
        "context_tokens": {"type": "integer", "minimum": 1, "default": 8192, "description": "Tokens per session."},
        "devices": {"type": "array", "minItems": 1, "items": {**_NAMED_SIZE, "required": ["name", "memory_gb"],
                    "properties": {"name": {"type": "string"}, "memory_gb": {"type": "number", "exclusiveMinimum": 0}}}},
        "scale": {"type": "object", "additionalProperties": False, "description": "The scale-out working set.",
                  "properties": {"tokens": {"type": "integer", "minimum": 1}, "sessions": {"type": "integer", "minimum": 1}}},
        "tiers": {"type": "array", "minItems": 1, "items": {**_NAMED_SIZE, "required": ["name", "capacity_gb"],
                  "properties": {"name": {"type": "string"}, "capacity_gb": {"type": "number", "exclusiveMinimum": 0}}}},
    })

    def expand(self, spec, data, ctx):
        o = spec.options
        tokens = int(o.get("context_tokens", 8192))
        scale = o.get("scale", {})
        scale_tokens, sessions = int(scale.get("tokens", 128_000)), int(scale.get("sessions", 1_000_000))
        per_token, per_session, total, tokens_per_block, scale_said = _cache(data["source"], tokens, scale_tokens, sessions)
        model = _weights(spec, data["source"])
        weights = model.bytes
        overhead = int(float(o.get("overhead_gb", 2)) * GB)
        budget_rows = []
        for d in o.get("devices", DEFAULT_DEVICES):
            b = Budget(d["name"], int(d["memory_gb"] * GB), weights, overhead, per_session)
            budget_rows.append((b.device, human_bytes(b.device_bytes), human_bytes(b.weights_bytes),
                                human_bytes(b.per_session_bytes), f"{b.sessions:,}"))
        tiers = [Tier(t["name"], int(t["capacity_gb"] * GB)) for t in o.get("tiers", DEFAULT_TIERS)]
        tier_rows = tuple((n.tier.name, human_bytes(n.tier.device_bytes), f"{n.devices:,}") for n in tier_needs(total, tiers))
        left = TableBlock("left", header=("device", "memory", "weights", "KV/session", "sessions"), rows=tuple(budget_rows),
                          col_align=("left", "right", "right", "right", "right"), name="budget")
        right = TableBlock("right", header=("tier", "per device", f"devices for {human_bytes(total)}"), rows=tier_rows,
                           col_align=("left", "right", "right"), name="tiers")
        title = o.get("title", f"KV memory: {human_bytes(per_token)}/token, {human_bytes(per_session)}/session")
        arithmetic = (f"Scale-out: {scale_said} = {human_bytes(total)} of KV cache. Sessions per device = (memory - "
                      f"weights - {human_bytes(overhead)} overhead) / KV of one {tokens:,}-token session.")
        layout = self.layout_of(spec)
        blocks: tuple[Block, ...] = (left, right)
        if layout == "two-columns-caption":
            blocks += (text_block(arithmetic, "caption", role="caption", paginate=False),)
        elif layout == "body-caption":  # one device budget, no scale-out: a table that cannot contradict it
            formula = arithmetic.split(". ", 1)[1]
            blocks = (replace(left, area="body"), text_block(formula, "caption", role="caption", paginate=False))
        note = (f"Sessions = (memory - weights - {human_bytes(overhead)} overhead) / KV per session ({tokens:,} tokens, "
                f"whole blocks of {tokens_per_block}). Scale-out: {scale_said} = {human_bytes(total)}. "
                f"Weights {weights:,} B: {model.origin}.")
        return [Slide(title, layout, blocks, notes="\n".join(n for n in (spec.notes, note) if n),
                      origin=spec.pos, directive=self.name)]
