"""``inference_metrics``: the numbers of one measured request (TTFT, decode rate, latency, tokens,
cache hit rate when known, bytes up and down) as a table, next to a native bar chart of every
inter-token gap. Also home of ``run_of``, which the other
``server`` directives (request_flow, transcript) use to find their run.
"""

from __future__ import annotations

from tfeic.core.diagnostics import SpecError
from .. import report
from ..model import InferenceRun
from tfeic.ir import ChartBlock, Paragraph, Series, Slide, Span, TableBlock, TextBlock
from tfeic.directives import DIRECTIVES, Directive, slide_diagnostic

SOURCE_OPTION = {"type": "string", "description": "Name of a `server` source (default: the source named server)."}
ORIGIN_NOTE = {"live": "measured live", "replay": "replayed from a recorded snapshot", "synthetic": "synthetic (dry run)"}


def run_of(spec, data) -> InferenceRun:
    """The resolved run, or a SpecError naming the missing source."""
    if "source" not in data:
        name = spec.options.get("source", "server")
        raise SpecError(slide_diagnostic(spec, "", f"no server source named {name!r}", spec.pos_of("source"),
                                         hint="declare it under sources: with kind: server"))
    run: InferenceRun = data["source"]
    return run


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


def gap_chart(run: InferenceRun, area: str) -> ChartBlock | TextBlock:
    """A native chart of every inter-token gap in milliseconds against its token's number, on a
    numeric axis (its data is editable in PowerPoint): tokens are numbers, so the axis is spaced by
    value and labelled with a few round ticks, never a crowded row of category labels."""
    gaps = run.inter_token_s
    if not gaps:
        reason = "not streamed" if not run.stream else "fewer than two tokens"
        return TextBlock(area, text(f"No inter-token gaps ({reason})."), role="caption", name="gap chart")
    tokens = tuple(float(2 + i) for i in range(len(gaps)))  # the gap before token 2 is the first
    return ChartBlock(
        area,
        kind="line",
        series=(Series("inter-token gap", tuple(round(g * 1000, 3) for g in gaps), x=tokens, color="accent2"),),
        x_title="output token (number)",
        y_title="gap before the token (ms)",
        legend=False,
        number_format="0.0",
        name="gap chart",
    )


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
