"""``bench_compare``: run A against run B, figure by figure: both values, the ratio A / B, and which
run is better with the direction that makes it better (lower latency, higher throughput)."""

from __future__ import annotations

from tfeic.core.diagnostics import SpecError
from tfeic.domains.bench import BenchError, BenchRun, metric_info
from tfeic.ir import TableBlock
from tfeic.directives import DIRECTIVES, slide_diagnostic
from tfeic.domains.bench.directives._options import BenchDirective, FIGURE, figure, how, origin, run_named, titled
from tfeic.directives.numbers import FORMAT, check_format, format_cell

#: what a comparison shows when the deck does not say, in order, where both runs have it
DEFAULT_METRICS = ("output_throughput", "request_throughput", "ttft", "tpot", "itl", "e2e", "duration")


def _default_figures(a: BenchRun, b: BenchRun) -> list[dict]:
    """Each default metric both runs can answer, at its median if both can give one, else its mean."""
    chosen = []
    for metric in DEFAULT_METRICS:
        for stat in ("p50", "avg"):
            try:
                a.figure(metric, stat), b.figure(metric, stat)
            except BenchError:
                continue
            chosen.append({"metric": metric, "stat": stat})
            break
    return chosen


def verdict(metric: str, a: tuple[str, float], b: tuple[str, float]) -> str:
    """"A (higher is better)", "equal", or "" when the metric has no better direction."""
    better = metric_info(metric).better
    if not better:
        return ""
    if a[1] == b[1]:
        return "equal"
    high, low = (a, b) if a[1] > b[1] else (b, a)
    return f"{(high if better == 'higher' else low)[0]} ({better} is better)"


@DIRECTIVES.register
class BenchCompareDirective(BenchDirective):
    name = "bench_compare"
    summary = "Run A vs run B of a bench source: both figures, their ratio, and which is better (and why)."
    options = {
        "a": {"type": "string", "description": "Label of run A (default: the source's first run)."},
        "b": {"type": "string", "description": "Label of run B (default: its second run)."},
        "figures": {"type": "array", "minItems": 1, "items": FIGURE,
                    "description": "Rows: a metric and a statistic each (default: throughputs and latencies both runs have)."},
        "format": {**FORMAT, "default": ",.1f"},
    }

    def expand(self, spec, data, ctx):
        o = spec.options
        bench = data["source"]
        labels = list(bench.runs)
        if "a" not in o and "b" not in o and len(labels) < 2:
            raise SpecError(slide_diagnostic(spec, "source", f"'{o['source']}' holds one run; a comparison needs two",
                                             spec.pos_of("source"), "give the source runs: {A: file, B: file}"))
        la, lb = o.get("a", labels[0]), o.get("b", labels[min(1, len(labels) - 1)])
        a, b = run_named(spec, bench, la, "a"), run_named(spec, bench, lb, "b")
        fmt = check_format(spec, o.get("format", ",.1f"), "format")
        rows, figures = [], []
        for i, item in enumerate(o.get("figures") or _default_figures(a, b)):
            stat = item.get("stat", "p50")
            fa = figure(spec, la, a, item["metric"], stat, "figures", i)
            fb = figure(spec, lb, b, item["metric"], stat, "figures", i)
            figures += [fa, fb]
            ratio = f"{fa.value / fb.value:.2f}x" if fb.value else ""
            rows.append((titled(item["metric"], fa.unit, stat if stat != "avg" else ""), format_cell(fa.value, fmt),
                         format_cell(fb.value, fmt), ratio, verdict(item["metric"], (la, fa.value), (lb, fb.value))))
        table = TableBlock(area="body", header=("figure", la, lb, f"{la} / {lb}", "better"), rows=tuple(rows),
                           col_align=("left", "right", "right", "right", "left"), name="comparison")
        return self.slide(spec, table, f"{origin(bench, [(la, a), (lb, b)])} {how(figures)}")
