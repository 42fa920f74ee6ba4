"""``rank_skew``: a trace set's ranks side by side: for the trace span, all kernel time and each
stage, the slowest rank, its time, the median rank's time, how far the slowest is above it and the
fastest rank. What a straggler looks like in a table (no highlight: the theme's highlight means best)."""

from __future__ import annotations

from tfeic.core.diagnostics import SpecError
from tfeic.ir import Block, Slide, TableBlock
from tfeic.directives import DIRECTIVES, Directive, slide_diagnostic
from tfeic.domains.timeline.directives._traces import source_value
from tfeic.directives.blocks import text_block


@DIRECTIVES.register
class RankSkewDirective(Directive):
    name = "rank_skew"
    summary = "Per-rank traces: the slowest rank per stage against the median rank, and by how much."
    sources = {"source": ("trace",)}
    schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "source": {"type": "string", "description": "A `trace` source whose path is a directory or glob of per-rank traces (default: trace)."},
            "rows": {"type": "integer", "minimum": 1, "maximum": 40, "description": "Measures listed: span, kernel time, then the largest stages (default 8)."},
            "caption": {"type": "string", "description": "Where the traces come from (said under the table)."},
        },
    }

    def expand(self, spec, data, ctx):
        from tfeic.domains.timeline.report import change, duration, signed_duration
        from tfeic.domains.timeline.traceset import TraceSet

        traces = source_value(spec, data, "source", "trace")
        if not isinstance(traces, TraceSet):
            raise SpecError(slide_diagnostic(spec, "source", f"{traces.path} is one trace; rank skew needs a set of per-rank traces",
                                             spec.pos_of("source"), hint="set the source's path to a directory or a glob (rank*.json.gz)"))
        skews = traces.skew()[: spec.options.get("rows", 8)]
        table = TableBlock(
            area="body",
            header=("Measure", "Slowest rank", "Its time", "Median", "Excess", "Fastest rank"),
            rows=tuple((s.name, str(s.slowest_rank), duration(s.slowest_ns), duration(s.median_ns),
                        f"{signed_duration(s.excess_ns)} ({change(s.excess_ratio)})", str(s.fastest_rank)) for s in skews),
            col_align=("left", "right", "right", "right", "right", "right"),
            col_weights=(4.2, 1.4, 1.4, 1.4, 2.2, 1.4),
            paginate=True,
            name="skew",
        )
        ranks = traces.ranks
        caption = (f"{len(ranks)} ranks ({', '.join(str(r.rank) for r in ranks[:16])}{', ...' if len(ranks) > 16 else ''}); "
                   "excess = slowest rank - median rank." + (f" {spec.options['caption']}" if spec.options.get("caption") else ""))
        blocks: tuple[Block, ...] = (table, text_block(caption, "caption", role="caption"))
        return [Slide(title=spec.options.get("title", "Rank skew"), layout=spec.options.get("layout", "body-caption"), blocks=blocks)]
