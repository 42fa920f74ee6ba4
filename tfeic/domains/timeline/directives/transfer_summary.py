"""``transfer_summary``: memory copies per direction (count, bytes, time, bandwidth), then KV events
and storage I/O of a trace window, as one native table."""

from __future__ import annotations

from tfeic.ir import Slide, TableBlock
from tfeic.directives import DIRECTIVES, Directive
from .timeline import WINDOW_CHOICE, WINDOW_OPTIONS, trace_of, window_of


@DIRECTIVES.register
class TransferSummaryDirective(Directive):
    name = "transfer_summary"
    summary = "Copies per direction (bytes, time, GB/s), KV events and storage I/O of a trace window."
    sources = {"source": ("trace",)}
    schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            **WINDOW_OPTIONS,
            "events": {"type": "boolean", "description": "Also list KV events and I/O calls (default true)."},
        },
        **WINDOW_CHOICE,
    }

    def expand(self, spec, data, ctx):
        from ..report import duration, size

        timeline = trace_of(spec, data)
        summary = timeline.summary(window_of(spec, timeline))
        rows = [(f"copy {c.direction}", str(c.count), size(c.bytes), duration(c.total_ns), f"{c.gbps:.2f}") for c in summary.copies]
        if spec.options.get("events", True):
            rows += [(f"KV {s.name}", str(s.count), "", duration(s.total_ns), "") for s in summary.kv_events]
            rows += [(f"I/O {s.name}", str(s.count), "", duration(s.total_ns), "") for s in summary.io]
        table = TableBlock(
            area="body",
            header=("Transfer", "Count", "Bytes", "Time", "GB/s"),
            rows=tuple(rows) or (("no transfers in this window", "", "", "", ""),),
            col_align=("left", "right", "right", "right", "right"),
            col_weights=(3, 1, 1.4, 1.4, 1.2),
            paginate=True,
            name="transfers",
        )
        return [Slide(title=spec.options.get("title", "Transfers"), layout=self.layout_of(spec), blocks=(table,))]
