"""``bench_profile``: the top rows of an ``nsys stats`` summary report (kernels, CUDA API calls or
memory operations) by total time, with the report's own shares, counts and per-call times."""

from __future__ import annotations

from tfeic.core.diagnostics import SourceError
from tfeic.ir import TableBlock
from tfeic.directives import DIRECTIVES, slide_diagnostic
from tfeic.domains.bench.directives._options import BenchDirective, origin, run_named

COUNTS = {"cuda_gpu_kern_sum": "instances", "cuda_api_sum": "calls", "cuda_gpu_mem_time_sum": "count"}
NAMES = {"cuda_gpu_kern_sum": "kernel", "cuda_api_sum": "CUDA API call", "cuda_gpu_mem_time_sum": "operation"}


@DIRECTIVES.register
class BenchProfileDirective(BenchDirective):
    name = "bench_profile"
    summary = "Top rows of an nsys stats report (cuda_gpu_kern_sum, cuda_api_sum, cuda_gpu_mem_time_sum) by total time."
    options = {
        "run": {"type": "string", "description": "Label of the run (default: the source's first)."},
        "top": {"type": "integer", "minimum": 1, "maximum": 50, "default": 8, "description": "Rows shown."},
    }

    def expand(self, spec, data, ctx):
        o = spec.options
        bench = data["source"]
        label = o.get("run", next(iter(bench.runs)))
        run = run_named(spec, bench, label, "run")
        if not run.report:
            raise SourceError(slide_diagnostic(spec, "source", f"run '{label}' ({run.where}) is a {run.tool} output, "
                                               "not an nsys stats report", spec.pos_of("source")))
        ordered = sorted(run.profile, key=lambda r: (-r.total_ns, r.name))[:o.get("top", 8)]
        rows = tuple((r.name, f"{r.share_pct:.1f}", f"{r.total_ns / 1e6:,.3f}", str(r.count), f"{r.avg_ns / 1e3:,.1f}",
                      f"{r.med_ns / 1e3:,.1f}", f"{r.max_ns / 1e3:,.1f}") for r in ordered)
        header = (NAMES[run.report], "time (%)", "total (ms)", COUNTS[run.report], "avg (\u00b5s)", "median (\u00b5s)",
                  "max (\u00b5s)")
        table = TableBlock(area="body", header=header, rows=rows, col_weights=(4, 1, 1.3, 1, 1.2, 1.2, 1.2),
                           col_align=("left",) + ("right",) * 6, name="profile")
        shown = f"top {len(rows)} of {len(run.profile)}" if len(rows) < len(run.profile) else f"all {len(rows)}"
        return self.slide(spec, table, f"{origin(bench, [(label, run)])} Report {run.report}, {shown} rows by "
                                       "total time; figures as nsys computed them.")
