"""``request_flow``: the path of a prompt through the serving stack as a native diagram, each stage
annotated with what the run measured there.

client → HTTP (OpenAI API) → trtllm-serve → executor / in-flight batching → KV cache manager, then
down the cache tiers GPU pool → host pool → GDS/NVMe → the bytes a hex dump shows. The top row
reads left to right, the tiers right to left below the KV cache manager, so the whole path fits one
slide with every box wide enough for its label at caption size.
"""

from __future__ import annotations

from .. import report
from ..model import InferenceRun
from tfeic.ir import Paragraph, Shape, ShapesBlock, Slide, Span
from tfeic.directives import DIRECTIVES, Directive
from .inference_metrics import SOURCE_OPTION, provenance, run_of

COLUMNS, TIERS = 5, 4  # boxes in the top row; boxes in the bottom row (the tiers and the hex dump)
BOX_W = 0.17
GAP_W = (1 - COLUMNS * BOX_W) / (COLUMNS - 1)
TOP_Y, BOTTOM_Y, BOX_H = 0.04, 0.58, 0.36


def stages(run: InferenceRun, server_label: str) -> tuple[tuple[str, str, str], ...]:
    """(label, measured annotation, colour) per stage, in path order.

    The executor, KV cache manager and GPU pool boxes carry numbers only when the server reported
    TensorRT-LLM's own executor statistics (``/metrics`` iteration stats); another server (llama.cpp's,
    say) measured none of those stages, so its numbers go on its own box and those boxes say so."""
    kv = run.stats.kv_cache_stats if run.stats else None
    if run.stats is None or run.stats.format != "trtllm-iteration-stats":
        unmeasured = f"TensorRT-LLM stage:\nnot measured ({server_label})"
        return (
            ("Client", f"TTFT {report.seconds(run.ttft_s)}\nlatency {report.seconds(run.latency_s)}", "accent2"),
            ("HTTP (OpenAI API)", f"↑ {report.size(run.bytes_sent)}\n↓ {report.size(run.bytes_received)}", "accent2"),
            (server_label, f"{report.count(run.prompt_tokens)} prompt, {report.count(run.completion_tokens)} generated\n"
             f"{report.rate(run.tokens_per_s)}", "accent2"),
            ("Executor / in-flight batching", unmeasured, "muted"),
            ("KV cache manager", unmeasured, "muted"),
            ("GPU pool", "first tier", "muted"),
            ("Host pool", "pinned memory, second tier", "muted"),
            ("GDS / NVMe", "storage, third tier", "muted"),
            ("Hex dump", "the bytes of a block", "accent3"),
        )
    blocks = "blocks n/a"
    if kv and kv.used_blocks is not None and kv.max_blocks:
        blocks = f"{report.count(kv.used_blocks)} of {report.count(kv.max_blocks)} blocks used"
    elif kv and kv.usage_ratio is not None:
        blocks = f"{report.percent(kv.usage_ratio)} used"
    return (
        ("Client", f"TTFT {report.seconds(run.ttft_s)}\nlatency {report.seconds(run.latency_s)}", "accent2"),
        ("HTTP (OpenAI API)", f"↑ {report.size(run.bytes_sent)}\n↓ {report.size(run.bytes_received)}", "accent2"),
        (server_label, f"{report.count(run.prompt_tokens)} prompt tokens\n{report.count(run.completion_tokens)} generated", "accent2"),
        ("Executor / in-flight batching", f"{report.rate(run.tokens_per_s)}\nfinish: {run.finish_reason or 'n/a'}",
         "accent2"),
        ("KV cache manager", f"hit rate {report.percent(run.cache_hit_rate)}\n"
         f"{report.count(run.cached_tokens)} cached tokens", "accent"),
        ("GPU pool", blocks, "accent"),
        ("Host pool", "pinned memory, second tier", "accent"),
        ("GDS / NVMe", "storage, third tier", "accent"),
        ("Hex dump", "the bytes of a block", "accent3"),
    )


def box(x: float, y: float, label: str, note: str, color: str, name: str) -> Shape:
    paragraphs = (Paragraph((Span(label, bold=True),)),) + tuple(Paragraph((Span(line),)) for line in note.split("\n"))
    return Shape("roundrect", x, y, BOX_W, BOX_H, line=color, text=paragraphs, name=name)


def diagram(run: InferenceRun, server_label: str) -> ShapesBlock:
    xs = [i * (BOX_W + GAP_W) for i in range(COLUMNS)]
    # top row left to right, then the tiers right to left under the last top box
    places = [(x, TOP_Y) for x in xs] + [(xs[COLUMNS - 1 - i], BOTTOM_Y) for i in range(TIERS)]
    shapes = [box(x, y, label, note, color, f"stage {i + 1}")
              for i, ((x, y), (label, note, color)) in enumerate(zip(places, stages(run, server_label)))]
    mid_top, mid_bottom = TOP_Y + BOX_H / 2, BOTTOM_Y + BOX_H / 2
    arrows = [Shape("arrow", x + BOX_W, mid_top, GAP_W, 0, line="muted", name=f"arrow {i + 1}") for i, x in enumerate(xs[:-1])]
    arrows.append(Shape("arrow", xs[-1] + BOX_W / 2, TOP_Y + BOX_H, 0, BOTTOM_Y - TOP_Y - BOX_H, line="muted", name="arrow down"))
    arrows += [Shape("arrow", x, mid_bottom, -GAP_W, 0, line="muted", name=f"arrow tier {i + 1}")
               for i, x in enumerate(reversed(xs[COLUMNS - TIERS + 1:]))]
    return ShapesBlock("body", tuple(shapes + arrows), name="request flow")


@DIRECTIVES.register
class RequestFlowDirective(Directive):
    name = "request_flow"
    summary = "The path of a prompt (client → HTTP → server → executor → KV cache tiers → bytes), annotated with the run's numbers."
    sources = {"source": ("server",)}
    schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "title": {"type": "string", "description": "Slide title (default: The path of a prompt)."},
            "source": SOURCE_OPTION,
            "server_label": {"type": "string", "default": "trtllm-serve",
                             "description": "Name of the serving process box (e.g. llama-server when that served the run)."},
        },
    }

    def expand(self, spec, data, ctx):
        run = run_of(spec, data)
        block = diagram(run, spec.options.get("server_label", "trtllm-serve"))
        return [Slide(title=spec.options.get("title", "The path of a prompt"), layout="title-body",
                      blocks=(block,), notes=spec.notes or provenance(run))]
