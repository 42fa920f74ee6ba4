"""``kernel_summary``: the kernels with the most GPU time in a trace window, as a native table
(count, total, mean, share of kernel time), with the rest folded into one "other kernels" row."""

from __future__ import annotations

from tfeic.ir import Slide, TableBlock
from tfeic.directives import DIRECTIVES, Directive
from .timeline import WINDOW_CHOICE, WINDOW_OPTIONS, trace_of, window_of


@DIRECTIVES.register
class KernelSummaryDirective(Directive):
    name = "kernel_summary"
    summary = "Top kernels of a trace window: count, total and mean time, share of GPU time."
    sources = {"source": ("trace",)}
    schema = {"type": "object", "additionalProperties": False, "properties": dict(WINDOW_OPTIONS), **WINDOW_CHOICE}

    def expand(self, spec, data, ctx):
        from ..report import duration, kernel_name

        timeline = trace_of(spec, data)
        summary = timeline.summary(window_of(spec, timeline))
        total = summary.kernel_total_ns or 1
        rows = [
            (kernel_name(k.name), k.kind, str(k.count), duration(k.total_ns), duration(k.mean_ns), f"{100 * k.total_ns / total:.1f}%")
            for k in summary.top_kernels
        ]
        rest_count = summary.kernel_count - sum(k.count for k in summary.top_kernels)
        if rest_count:
            rest_ns = summary.kernel_total_ns - sum(k.total_ns for k in summary.top_kernels)
            rows.append(("other kernels", "", str(rest_count), duration(rest_ns), duration(rest_ns / rest_count), f"{100 * rest_ns / total:.1f}%"))
        table = TableBlock(
            area="body",
            header=("Kernel", "Class", "Count", "Total", "Mean", "Share"),
            rows=tuple(rows) or (("no kernels in this window", "", "", "", "", ""),),
            col_align=("left", "left", "right", "right", "right", "right"),
            col_weights=(6, 1.6, 1.2, 1.4, 1.4, 1.2),
            paginate=True,
            name="kernels",
        )
        return [Slide(title=spec.options.get("title", "Top kernels"), layout=self.layout_of(spec), blocks=(table,))]
