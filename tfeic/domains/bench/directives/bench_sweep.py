"""``bench_sweep``: a figure of each run against a number: the sweep's parameter (batch size 1, 4, 8,
64 spaced as numbers on the x axis, never as evenly spaced categories) or another figure of the same
runs (throughput against latency). Points join in order of x on an XY chart; every y on the chart
shares one unit, as does x."""

from __future__ import annotations

from tfeic.core.diagnostics import SpecError
from tfeic.ir import ChartBlock, Series
from tfeic.directives import DIRECTIVES, slide_diagnostic
from tfeic.domains.bench.directives._options import BenchDirective, FIGURE, RUNS, chosen_runs, figure, how, one_unit, origin, titled

_YS = {"anyOf": [FIGURE, {"type": "array", "minItems": 1, "maxItems": 6, "items": FIGURE}],
       "description": "The figure(s) plotted, one line each; all share one unit."}


@DIRECTIVES.register
class BenchSweepDirective(BenchDirective):
    name = "bench_sweep"
    summary = "Figures of a bench source's runs against its sweep parameter or another figure (throughput vs latency), numeric x."
    required = ("y",)
    options = {
        "runs": RUNS,
        "x": {**FIGURE, "description": "A figure of each run as x (default: the sweep's parameter)."},
        "y": _YS,
        "x_title": {"type": "string"}, "y_title": {"type": "string"},
    }

    def expand(self, spec, data, ctx):
        o = spec.options
        bench = data["source"]
        runs = chosen_runs(spec, bench)
        ys = o["y"] if isinstance(o["y"], list) else [o["y"]]
        if "x" in o:
            xfig = [figure(spec, label, run, o["x"]["metric"], o["x"].get("stat", "p50"), "x") for label, run in runs]
            xs = [f.value for f in xfig]
            x_title = titled(o["x"]["metric"], one_unit(spec, [f.unit for f in xfig], "the x values"),
                             o["x"].get("stat", "p50"))
        elif bench.values:
            xfig, xs = [], [bench.values[label] for label, _ in runs]
            x_title = f"{bench.parameter} ({bench.unit})" if bench.unit else bench.parameter
        else:
            raise SpecError(slide_diagnostic(spec, "", f"'{o['source']}' is not a sweep: say what x is",
                                             spec.pos, "x: {metric: output_throughput, stat: avg}"))
        order = sorted(range(len(runs)), key=lambda i: xs[i])
        series, yfigs = [], []
        for j, item in enumerate(ys):
            stat = item.get("stat", "p50")
            found = [figure(spec, label, run, item["metric"], stat, "y") for label, run in runs]
            yfigs += found
            series.append(Series(titled(item["metric"], "", stat), tuple(found[i].value for i in order),
                                 x=tuple(xs[i] for i in order)))
        unit = one_unit(spec, [f.unit for f in yfigs], "the y figures")
        y_title = titled(ys[0]["metric"], unit, ys[0].get("stat", "p50")) if len(ys) == 1 else f"({unit})"
        chart = ChartBlock(area="body", kind="xy_line", series=tuple(series), x_title=o.get("x_title", x_title),
                           y_title=o.get("y_title", y_title), legend=len(series) > 1, name="sweep")
        return self.slide(spec, chart, f"{origin(bench, runs)} {how(xfig + yfigs)}")
