"""``trace_diff``: B against A, two traces (or two sets of per-rank traces), as one native table:
total kernel time, kernel time per class, the largest kernels of either side and, on request, the
stages; each row with both times, the difference and the relative change (new and vanished kernels
say so). The caption names both sides and what the deck says of their origin."""

from __future__ import annotations

from tfeic.ir import Block, Slide, TableBlock
from tfeic.directives import DIRECTIVES, Directive
from tfeic.domains.timeline.directives._traces import side
from tfeic.directives.blocks import text_block


NAME_CHARS = 38  # characters of a kernel name in the table (a dense page: 14 pt monospaced)


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
        from tfeic.domains.timeline.diff import compare
        from tfeic.domains.timeline.report import change, distinct_kernel_names, duration, kernel_name, signed_duration

        o = spec.options
        a, b = side(spec, data, "a"), side(spec, data, "b")
        result = compare(a, b, top=o.get("kernels", 6))

        def row(name: str, what: str, d) -> tuple[str, ...]:
            relative = change(d.ratio) if d.status == "both" else d.status
            return (name, what, "\u2014" if d.status == "new" else duration(d.a_ns),
                    "\u2014" if d.status == "vanished" else duration(d.b_ns), signed_duration(d.delta_ns), relative)

        rows = [row(d.name, "total", d) for d in result.totals[1:]] + [row(d.name, "class", d) for d in result.classes]
        kernels, stages = result.kernels, result.stages[: o.get("stages", 0)]
        names = distinct_kernel_names([d.name for d in kernels], NAME_CHARS) + [kernel_name(d.name, NAME_CHARS) for d in stages]
        rows += [row(name, f"{what} ({d.kind})", d)
                 for name, what, d in zip(names, ["kernel"] * len(kernels) + ["stage"] * len(stages), kernels + stages)]
        la, lb = (str(o.get("labels", {}).get(k, o[k])) for k in ("a", "b"))
        table = TableBlock(
            area="body",
            header=("Name", "Row", la, lb, f"{lb} - {la}", "Change"),
            rows=tuple(rows),
            col_align=("left", "left", "right", "right", "right", "right"),
            col_weights=(5.4, 2.6, 1.4, 1.4, 1.6, 1.3),
            paginate=True,
            role="dense_table",  # a comparison of figures, like the kernel statistics
            name="diff",
        )
        per_rank = " (per-rank means)" if max(a.ranks, b.ranks) > 1 else ""
        caption = (f"{la}: {a.label}; {lb}: {b.label}{per_rank}. {len(result.new)} kernels only in {lb}, "
                   f"{len(result.vanished)} only in {la}." + (f" {o['caption']}" if o.get("caption") else ""))
        blocks: tuple[Block, ...] = (table, text_block(caption, "caption", role="caption"))
        return [Slide(title=o.get("title", "A vs B"), layout=o.get("layout", "body-caption"), blocks=blocks)]
