"""``bench_cdf``: the latency CDF of one or more runs (the seed-002 plot), from per-request records.

Each run is a line: for its samples sorted ascending, the share of samples at or below each value.
Above ``MAX_POINTS`` samples the line is drawn at ``MAX_POINTS + 1`` evenly spaced quantiles (by the
percentile method the caption names), which keeps the chart editable and its shape exact to the eye.
A run without per-request records (trtllm-bench writes none) cannot have a CDF: exit 3 names it.
"""

from __future__ import annotations

from tfeic.core.diagnostics import SourceError
from tfeic.domains.bench import METHOD, percentile
from tfeic.ir import ChartBlock, Series
from tfeic.directives import DIRECTIVES, slide_diagnostic
from tfeic.domains.bench.directives._options import BenchDirective, METRIC, RUNS, chosen_runs, one_unit, origin, titled

MAX_POINTS = 1000


def cdf_points(samples: tuple[float, ...]) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """(x values, shares): every sample, or ``MAX_POINTS + 1`` quantiles of many."""
    if len(samples) <= MAX_POINTS:
        ordered = sorted(samples)
        return tuple(ordered), tuple((i + 1) / len(ordered) for i in range(len(ordered)))
    shares = tuple(k / MAX_POINTS for k in range(MAX_POINTS + 1))
    return tuple(percentile(samples, 100 * s) for s in shares), shares


@DIRECTIVES.register
class BenchCdfDirective(BenchDirective):
    name = "bench_cdf"
    summary = "Latency CDF of benchmark runs from their per-request records (one line per run)."
    options = {
        "metric": {**METRIC, "default": "ttft"},
        "runs": RUNS,
        "x_title": {"type": "string", "description": "Default: the metric and its unit, e.g. TTFT (ms)."},
    }

    def expand(self, spec, data, ctx):
        o = spec.options
        metric = o.get("metric", "ttft")
        bench = data["source"]
        runs = chosen_runs(spec, bench)
        series, counts, sampled = [], [], False
        for label, run in runs:
            samples = run.records.get(metric)
            if not samples:
                has = ", ".join(sorted(run.records)) or f"none: {run.tool} wrote no per-request records"
                raise SourceError(slide_diagnostic(spec, "metric", f"run '{label}' ({run.where}) has no per-request "
                                                   f"records of '{metric}'", spec.pos_of("metric") if "metric" in o else None,
                                                   f"records it has: {has}"))
            xs, shares = cdf_points(samples)
            sampled = sampled or len(samples) > MAX_POINTS
            series.append(Series(label, shares, x=xs))
            counts.append(f"{len(samples)} ({label})" if len(runs) > 1 else str(len(samples)))
        unit = one_unit(spec, [run.units.get(metric, "") for _, run in runs], "the runs' samples")
        drawn = f" Drawn at {MAX_POINTS + 1} quantiles ({METHOD})." if sampled else ""
        chart = ChartBlock(area="body", kind="cdf", series=tuple(series), x_title=o.get("x_title", titled(metric, unit)),
                           y_title="share of samples at or below", legend=len(series) > 1, number_format="0%",
                           name="cdf")
        return self.slide(spec, chart, f"{origin(bench, runs)} Per-request records: {', '.join(counts)} samples.{drawn}")
