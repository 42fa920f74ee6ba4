"""``bench_percentiles``: a table of percentiles per run and metric, each row saying whether its
figures were computed from the run's per-request records or taken from the tool's own summary."""

from __future__ import annotations

from tfeic.ir import TableBlock
from tfeic.directives import DIRECTIVES
from tfeic.domains.bench.directives._options import BenchDirective, METRIC, RUNS, STAT, chosen_runs, figure, how, origin, titled
from tfeic.directives.numbers import FORMAT, check_format, format_cell

DEFAULT_METRICS = ("ttft", "tpot", "itl", "e2e")
DEFAULT_STATS = ("p50", "p90", "p95", "p99")


@DIRECTIVES.register
class BenchPercentilesDirective(BenchDirective):
    name = "bench_percentiles"
    summary = "Percentile table per benchmark run: from per-request records when present, else the tool's summary."
    options = {
        "runs": RUNS,
        "metrics": {"type": "array", "minItems": 1, "items": METRIC,
                    "description": "Rows per run (default: whichever of ttft, tpot, itl, e2e the run has)."},
        "stats": {"type": "array", "minItems": 1, "maxItems": 8, "items": STAT,
                  "description": "Columns (default: p50, p90, p95, p99)."},
        "format": {**FORMAT, "default": ",.1f"},
    }

    def expand(self, spec, data, ctx):
        o = spec.options
        bench = data["source"]
        runs = chosen_runs(spec, bench)
        stats = o.get("stats", list(DEFAULT_STATS))
        fmt = check_format(spec, o.get("format", ",.1f"), "format")
        rows, figures = [], []
        for label, run in runs:
            metrics = o.get("metrics") or [m for m in DEFAULT_METRICS if m in run.metrics]
            for metric in metrics:
                found = [figure(spec, label, run, metric, s, "metrics" if "metrics" in o else "source") for s in stats]
                figures += found
                source = f"{found[0].count} records" if found[0].count else f"{run.tool} summary"
                rows.append(((label,) if len(runs) > 1 else ()) + (titled(metric, found[0].unit),)
                            + tuple(format_cell(f.value, fmt) for f in found) + (source,))
        header = (("run",) if len(runs) > 1 else ()) + ("metric",) + tuple(stats) + ("from",)
        lead = len(header) - len(stats) - 1
        table = TableBlock(area="body", header=header, rows=tuple(rows),
                           col_align=("left",) * lead + ("right",) * len(stats) + ("left",), name="percentiles")
        return self.slide(spec, table, f"{origin(bench, runs)} {how(figures)}")
