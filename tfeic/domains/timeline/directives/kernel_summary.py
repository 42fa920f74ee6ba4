"""``kernel_summary``: the kernels with the most GPU time in a trace window as a native table (class,
count, total, mean, median, share of kernel time, as ``nsys stats -r cuda_gpu_kern_sum`` counts
them), with the rest folded into one "other kernels" row, then GPU time per kernel class as a bar
chart (gemm, attention, norm, ...; docs/kernel-taxonomy.md)."""

from __future__ import annotations

from tfeic.ir import ChartBlock, Series, Slide, TableBlock
from tfeic.directives import DIRECTIVES, Directive
from .timeline import WINDOW_CHOICE, WINDOW_OPTIONS, trace_of, window_of

TOP = 10


@DIRECTIVES.register
class KernelSummaryDirective(Directive):
    name = "kernel_summary"
    summary = "Top kernels of a trace window (count, total, mean, median, share), then GPU time per kernel class."
    sources = {"source": ("trace",)}
    schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            **WINDOW_OPTIONS,
            "classes": {"type": "boolean", "description": "Follow the table with a slide of GPU time per kernel class (default true)."},
        },
        **WINDOW_CHOICE,
    }

    def expand(self, spec, data, ctx):
        from tfeic.domains.timeline.kernel_stats import KernelStats
        from tfeic.domains.timeline.report import duration, kernel_name, percent

        timeline = trace_of(spec, data)
        stats = KernelStats.of(timeline.kernel_groups(window_of(spec, timeline)))
        total = stats.total_ns
        top, rest = stats.kernels[:TOP], stats.kernels[TOP:]
        rows = [(kernel_name(k.name, 32), k.cls, str(k.count), duration(k.total_ns), duration(k.mean_ns), duration(k.median_ns),
                 percent(k.total_ns, total)) for k in top]
        if rest:
            rest_count, rest_ns = sum(k.count for k in rest), sum(k.total_ns for k in rest)
            rows.append(("other kernels", "", str(rest_count), duration(rest_ns), duration(rest_ns / rest_count), "",
                         percent(rest_ns, total)))
        table = TableBlock(
            area="body",
            header=("Kernel", "Class", "Count", "Total", "Mean", "Median", "Share"),
            rows=tuple(rows) or (("no kernels in this window", "", "", "", "", "", ""),),
            col_align=("left", "left", "right", "right", "right", "right", "right"),
            col_weights=(5.4, 2.3, 1.2, 1.4, 1.4, 1.4, 1.2),  # 32-character names and "communication", monospaced
            paginate=True,
            role="dense_table",  # a stats page like nsys stats prints: seven columns of figures
            name="kernels",
        )
        slides = [Slide(title=spec.options.get("title", "Top kernels"), layout=self.layout_of(spec), blocks=(table,))]
        classes = stats.classes()
        if spec.options.get("classes", True) and classes:
            chart = ChartBlock(
                area="body", kind="bar", categories=tuple(c.cls for c in classes),
                series=(Series("GPU time (ms)", tuple(round(c.total_ns / 1e6, 3) for c in classes)),),
                x_title="kernel class", y_title="GPU time (ms)", legend=False, number_format="0.0##", name="kernel classes")
            slides.append(Slide(title="GPU time by kernel class", layout="title-body", blocks=(chart,)))
        return slides
