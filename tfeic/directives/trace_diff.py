"""``trace_diff``: B against A, two traces (or two sets of per-rank traces), as one native table:
total kernel time, kernel time per class, the largest kernels of either side and, on request, the
stages; each row with both times, the difference and the relative change (new and vanished kernels
say so). The caption names both sides and what the deck says of their origin."""

from __future__ import annotations

from ..ir import Block, Slide, TableBlock
from . import DIRECTIVES, Directive
from ._traces import side
from .blocks import text_block


@DIRECTIVES.register
class TraceDiffDirective(Directive):
    name = "trace_diff"
    summary = "Two traces (or per-rank sets) compared: kernel time per class, top kernels, stages; deltas and new/vanished kernels."
    sources = {"a": ("trace",), "b": ("trace",)}
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["a", "b"],
        "properties": {
            "a": {"type": "string", "description": "The baseline: a `trace` source (one trace or a set of per-rank traces)."},
            "b": {"type": "string", "description": "The `trace` source compared with A."},
            "labels": {"type": "object", "additionalProperties": False,
                       "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
                       "description": "Column headings of the two sides (default: the source names)."},
            "kernels": {"type": "integer", "minimum": 0, "maximum": 30, "description": "Largest kernels of either side listed (default 6)."},
            "stages": {"type": "integer", "minimum": 0, "maximum": 30, "description": "Largest stages listed (default 0)."},
            "caption": {"type": "string", "description": "Where the traces come from (said under the table, after the sides' paths)."},
        },
    }

    def expand(self, spec, data, ctx):
        from ..domains.timeline.diff import compare
        from ..domains.timeline.report import duration, kernel_name, percent, signed_duration

        o = spec.options
        a, b = side(spec, data, "a"), side(spec, data, "b")
        result = compare(a, b, top=o.get("kernels", 6))

        def change(d) -> str:
            return percent(d.ratio) if d.status == "both" else d.status

        rows = [(d.name, what, duration(d.a_ns), duration(d.b_ns), signed_duration(d.delta_ns), change(d))
                for what, deltas in (("total", result.totals[1:]), ("class", result.classes)) for d in deltas]
        rows += [(kernel_name(d.name, 36), f"kernel ({d.kind})", duration(d.a_ns), duration(d.b_ns), signed_duration(d.delta_ns), change(d))
                 for d in result.kernels]
        rows += [(kernel_name(d.name, 36), f"stage ({d.kind})", duration(d.a_ns), duration(d.b_ns), signed_duration(d.delta_ns), change(d))
                 for d in result.stages[: o.get("stages", 0)]]
        labels = o.get("labels", {})
        table = TableBlock(
            area="body",
            header=("Name", "Row", labels.get("a", o["a"]), labels.get("b", o["b"]), "B - A", "Change"),
            rows=tuple(rows),
            col_align=("left", "left", "right", "right", "right", "right"),
            col_weights=(5, 2.2, 1.4, 1.4, 1.4, 1.3),
            paginate=True,
            name="diff",
        )
        per_rank = " (per-rank means)" if max(a.ranks, b.ranks) > 1 else ""
        caption = (f"A: {a.label}; B: {b.label}{per_rank}. {len(result.new)} kernels only in B, "
                   f"{len(result.vanished)} only in A." + (f" {o['caption']}" if o.get("caption") else ""))
        blocks: tuple[Block, ...] = (table, text_block(caption, "caption", role="caption"))
        return [Slide(title=o.get("title", "A vs B"), layout=o.get("layout", "body-caption"), blocks=blocks)]
