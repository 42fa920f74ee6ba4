"""``inference_metrics``: the numbers of one measured request (TTFT, decode rate, latency, tokens,
cache hit rate when known, bytes up and down) as a table, next to a bar chart of every inter-token
gap drawn as native shapes (native charts come later). Also home of ``run_of``, which the other
``server`` directives (request_flow, transcript) use to find their run.
"""

from __future__ import annotations

from ..diagnostics import Diagnostic, SpecError
from ..inference import report
from ..inference.model import InferenceRun
from ..ir import Paragraph, Shape, ShapesBlock, Slide, Span, TableBlock, TextBlock
from . import DIRECTIVES, Directive

SOURCE_OPTION = {"type": "string", "description": "Name of a `server` source (default: the source named server)."}
ORIGIN_NOTE = {"live": "measured live", "replay": "replayed from a recorded snapshot", "synthetic": "synthetic (dry run)"}
MAX_BARS = 64  # more gaps than this are averaged in equal runs, so the chart stays readable
PLOT_TOP, PLOT_BOTTOM = 0.12, 0.86


def run_of(spec, data) -> InferenceRun:
    """The resolved run, or a SpecError naming the missing source."""
    if "source" not in data:
        name = spec.options.get("source", "server")
        raise SpecError(Diagnostic(f"slides[{spec.index}]: no server source named {name!r}", spec.pos_of("source"),
                                   hint="declare it under sources: with kind: server"))
    return data["source"]


def provenance(run: InferenceRun) -> str:
    """Speaker notes saying where the numbers come from (unless the deck gives its own notes)."""
    return f"{run.model} at {run.url}, {ORIGIN_NOTE[run.origin]}."


def text(value: str, **style) -> tuple[Paragraph, ...]:
    return (Paragraph((Span(value, **style),)),)


def metric_rows(run: InferenceRun) -> tuple[tuple[str, str], ...]:
    rows = [
        ("Time to first token", report.seconds(run.ttft_s)),
        ("Decode rate", report.rate(run.tokens_per_s)),
        ("Total latency", report.seconds(run.latency_s)),
        ("Prompt tokens", report.count(run.prompt_tokens)),
        ("Completion tokens", report.count(run.completion_tokens)
         + (" (counted from frames)" if run.usage_source == "frames" else "")),
        ("Cached prompt tokens", report.count(run.cached_tokens)),
    ]
    if run.cache_hit_rate is not None:
        rows.append(("KV cache hit rate", report.percent(run.cache_hit_rate)))
    rows += [
        ("Bytes sent", report.size(run.bytes_sent)),
        ("Bytes received", report.size(run.bytes_received)),
        ("Finish reason", run.finish_reason or "n/a"),
    ]
    return tuple(rows)


def gap_bars(gaps: tuple[float, ...]) -> list[float]:
    """At most MAX_BARS values: the gaps themselves, or means of equal consecutive runs of them."""
    if len(gaps) <= MAX_BARS:
        return list(gaps)
    edges = [round(i * len(gaps) / MAX_BARS) for i in range(MAX_BARS + 1)]
    return [sum(gaps[a:b]) / (b - a) for a, b in zip(edges, edges[1:])]


def gap_chart(run: InferenceRun, area: str) -> ShapesBlock | TextBlock:
    gaps = run.inter_token_s
    if not gaps:
        reason = "not streamed" if not run.stream else "fewer than two tokens"
        return TextBlock(area, text(f"No inter-token gaps ({reason})."), role="caption", name="gap chart")
    bars = gap_bars(gaps)
    top = max(bars) or 1.0
    slot = 1.0 / len(bars)
    shapes = [Shape("rect", i * slot + slot * 0.1, PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * b / top,
                    slot * 0.8, (PLOT_BOTTOM - PLOT_TOP) * b / top, fill="accent2", name=f"gap {i + 1}")
              for i, b in enumerate(bars)]
    averaged = f"; a bar averages {len(gaps) / len(bars):.1f} gaps" if len(bars) < len(gaps) else ""
    shapes += [
        Shape("line", 0, PLOT_BOTTOM, 1, 0, line="border", name="axis"),
        Shape("rect", 0, 0, 1, PLOT_TOP, text=text(f"Inter-token gap (max {report.seconds(max(gaps))}{averaged})"),
              align="left", anchor="top", name="chart title"),
        Shape("rect", 0, PLOT_BOTTOM + 0.02, 1, 1 - PLOT_BOTTOM - 0.02,
              text=text(f"tokens 2 to {len(gaps) + 1}, in arrival order"), align="left", name="axis label"),
    ]
    return ShapesBlock(area, tuple(shapes), name="gap chart")


@DIRECTIVES.register
class InferenceMetricsDirective(Directive):
    name = "inference_metrics"
    summary = "TTFT, decode rate, latency, tokens, KV hit rate, bytes up/down, and a chart of inter-token gaps."
    sources = {"source": ("server",)}
    default_layout = "two-columns"
    schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "title": {"type": "string", "description": "Slide title (default: Inference metrics)."},
            "source": SOURCE_OPTION,
        },
    }

    def expand(self, spec, data, ctx):
        run = run_of(spec, data)
        table = TableBlock("left", header=("Metric", "Value"), rows=metric_rows(run), col_align=("left", "right"),
                           name="metrics")
        return [Slide(title=spec.options.get("title", "Inference metrics"), layout=self.default_layout,
                      blocks=(table, gap_chart(run, "right")), notes=spec.notes or provenance(run))]
