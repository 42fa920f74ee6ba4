"""``timeline``: Gantt lanes of a profiler trace (stages, attention, other kernels, copies, KV events,
I/O) as native shapes, one rect per span, with lane labels on the left and a time axis with units.

Dense lanes stay native too (a choice, not an image): spans narrower than 1/400 of the plot are
merged into density bars (runs of busy 1/400 bins), so a lane of 100k kernels is at most ~200
shapes and stays editable. Labels go only on spans wide enough for their text at the caption size,
and never on a span that starts before the previous label in its lane ends, so labels cannot
overlap; the layout engine still proves each label fits its rect.
"""

from __future__ import annotations

from typing import Any, Sequence, TYPE_CHECKING
from tfeic.core.diagnostics import SpecError
from tfeic.ir import Block, Paragraph, Shape, ShapesBlock, Slide, Span as TextSpan, TextBlock
from tfeic.directives import slide_diagnostic, DIRECTIVES, Directive

if TYPE_CHECKING:  # the timeline package is imported when a timeline slide is expanded
    from tfeic.deck.model import SlideSpec
    from tfeic.domains.timeline import Timeline, Window
    from tfeic.domains.timeline.model import Span as TraceSpan

#: window options shared by the trace directives (kernel_summary, transfer_summary)
WINDOW_OPTIONS = {
    "source": {"type": "string", "description": "Name of a `trace` source (default: the source named trace)."},
    "window": {"type": "string", "description": "Time window START:END relative to the trace start, e.g. 0:5ms."},
    "range": {"type": "string", "description": "Window = the first range with this name or label (e.g. Prefill, Decode[3])."},
    "decode_steps": {"type": "integer", "minimum": 0, "description": "Window = the first prefill plus this many decode steps."},
}
WINDOW_CHOICE = {"not": {"anyOf": [{"required": ["window", "range"]}, {"required": ["window", "decode_steps"]}, {"required": ["range", "decode_steps"]}]}}

BINS = 400  # spans narrower than 1/BINS of the plot merge into density bars
LABEL_X, PLOT_X, AXIS_H = 0.0, 0.17, 0.2
TICK_H = 0.09  # tick labels, then the axis title below them
LABEL_W = PLOT_X - 0.01
LANE_GAP = 0.15  # of a lane's height, above and below its bars
CAPTION_PT, CHAR_EM, INSETS_PT = 12.0, 0.62, 16.0
#: conservative widths of the body area per layout (points): labels are chosen against these
AREA_WIDTH_PT = {"two-columns": 430.0}
DEFAULT_AREA_WIDTH_PT = 880.0
AREA_OF = {"two-columns": "left"}

LANE_COLORS = {
    "Stages": "accent",
    "Attention": "k_plane",
    "Kernels": "muted",
    "Copies HtoD": "accent3",
    "Copies DtoH": "v_plane",
    "Copies other": "border",
    "KV events": "accent3",
    "I/O": "accent2",
}
CLASS_COLORS = {"prefill": "accent", "decode": "accent2", "other": "muted"}
#: spans drawn in another colour than their lane's (attention kernels in a lane per stream)
SPAN_COLORS = {"attention": "k_plane", "kv": "accent3"}


def trace_of(spec: SlideSpec, data: dict[str, Any]) -> Timeline:
    """The resolved Timeline, or a SpecError naming the missing source."""
    if "source" not in data:
        name = spec.options.get("source", "trace")
        raise SpecError(slide_diagnostic(spec, "", f"no trace source named {name!r}", spec.pos_of("source"), hint="declare it under sources: with kind: trace"))
    timeline: Timeline = data["source"]
    if not hasattr(timeline, "backend"):  # a TraceSet: per-rank summaries, no spans to draw
        raise SpecError(slide_diagnostic(spec, "source", f"{spec.options.get('source', 'trace')!r} is a set of per-rank traces; "
                                         f"this slide shows one trace", spec.pos_of("source"),
                                         hint="use rank_skew or trace_diff for a set, or a source whose path is one file"))
    return timeline


def window_of(spec: SlideSpec, timeline: Timeline) -> Window:
    """The window the options choose, else the whole trace; never empty (a trace whose events all
    start and end at one instant still gets a 1 ns axis rather than a division by zero). A
    ``decode_steps`` window on a trace without a prefill stage is the whole trace (``no_stages_note``
    says so on the slide): its kernels and copies are still worth showing."""
    from dataclasses import replace

    from .. import choose_window

    o = spec.options
    decode_steps = None if no_stages_note(spec, timeline) else o.get("decode_steps")
    window = choose_window(timeline, o.get("window"), o.get("range"), decode_steps, spec.pos) or timeline.extent()
    return window if window.duration_ns > 0 else replace(window, end_ns=window.start_ns + 1)


def no_stages_note(spec: SlideSpec, timeline: Timeline) -> str | None:
    """Why a ``decode_steps`` window fell back to the whole trace, or None when it did not."""
    from tfeic.domains.timeline import prefill_and_decodes

    if spec.options.get("decode_steps") is None or prefill_and_decodes(timeline, 0) is not None:
        return None
    return "no prefill stage" if timeline.stages() else "no stage ranges"


def window_caption(window: Window) -> str:
    from ..report import duration

    return f"{duration(window.start_ns)} to {duration(window.end_ns)}"


def _text(text: str) -> tuple[Paragraph, ...]:
    return (Paragraph((TextSpan(text),)),)


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / ticks
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 1.0
    while magnitude > raw:
        magnitude /= 10
    for m in (1, 2, 2.5, 5, 10):
        if m * magnitude >= raw:
            return m * magnitude
    return 10 * magnitude


def axis_shapes(window, y: float) -> list[Shape]:
    """A baseline and up to 6 ticks with labels in one unit (e.g. ``1.5 ms``); tick labels are
    0.1 wide and at least ~0.14 apart, so they never overlap."""
    from ..report import axis_unit

    unit, scale = axis_unit(window.duration_ns)
    width = 1.0 - PLOT_X
    shapes = [Shape("line", PLOT_X, y, width, 0.0, line="muted", name="axis"),
              Shape("rect", PLOT_X, y + 0.025 + TICK_H, width, AXIS_H - 0.03 - TICK_H, text=_text(f"time since the trace start ({unit})"),
                    role="caption", name="axis title")]
    step = _nice_step(window.duration_ns / scale)
    first = -(-window.start_ns // int(step * scale)) * step if step * scale >= 1 else window.start_ns / scale
    value = first
    while value * scale <= window.end_ns + 1e-9:
        x = PLOT_X + width * (value * scale - window.start_ns) / window.duration_ns
        label = f"{value:g} {unit}"
        lx = min(max(x - 0.05, PLOT_X - 0.05), 1.0 - 0.1)
        shapes.append(Shape("line", x, y, 0.0, 0.02, line="muted", name="tick"))
        shapes.append(Shape("rect", lx, y + 0.025, 0.1, TICK_H, text=_text(label), role="caption", name="tick label"))
        value += step
    return shapes


def _fits(label: str, width: float, area_w_pt: float) -> bool:
    """Whether ``label`` fits a span ``width`` (a fraction of the plot) wide at the caption size."""
    return width * area_w_pt >= CAPTION_PT * CHAR_EM * len(label) + INSETS_PT


def merged_steps(spans: Sequence[TraceSpan], window: Window, area_w_pt: float) -> list[TraceSpan]:
    """Stage spans with each run of consecutive same-named steps too narrow for their own label
    merged into one span labelled with the count and mean ("Decode ×24, 10.2 ms mean", or
    "Decode ×24" where that is all that fits), so short decode steps stay readable."""
    from dataclasses import replace

    from tfeic.domains.timeline.report import duration

    out: list[TraceSpan] = []
    run: list[TraceSpan] = []

    def flush() -> None:
        if len(run) > 1:
            first, last = run[0], run[-1]
            width = (min(last.end_ns, window.end_ns) - max(first.start_ns, window.start_ns)) / window.duration_ns
            mean = sum(s.duration_ns for s in run) / len(run)
            long, short = f"{first.label} ×{len(run)}, {duration(mean)} mean", f"{first.label} ×{len(run)}"
            label = long if _fits(long, width, area_w_pt) else short
            out.append(replace(first, name=label, label=label, end_ns=last.end_ns))
        else:
            out.extend(run)
        run.clear()

    for span in spans:
        width = (min(span.end_ns, window.end_ns) - max(span.start_ns, window.start_ns)) / window.duration_ns
        if _fits(span.label or span.name, width, area_w_pt):
            flush()
            out.append(span)
            continue
        if run and (run[-1].label, run[-1].cls) != (span.label, span.cls):
            flush()
        run.append(span)
    flush()
    return out


def lane_shapes(lane, index: int, lane_h: float, window, area_w_pt: float) -> list[Shape]:
    """Label, spans (wide: one rect each, labelled when room allows) and density bars of one lane."""
    y0 = index * lane_h
    bar_y, bar_h = y0 + lane_h * LANE_GAP, lane_h * (1 - 2 * LANE_GAP)
    width = 1.0 - PLOT_X
    color = LANE_COLORS.get(lane.base, "muted")
    shapes = [Shape("rect", LABEL_X, bar_y, LABEL_W, bar_h, text=_text(lane.name), role="caption", align="right", name=f"lane {lane.name}")]
    busy = [False] * BINS
    labelled_until = -1.0
    wide = 0
    spans = merged_steps(lane.spans, window, area_w_pt) if lane.name == "Stages" else lane.spans
    for span in spans:
        a = max(span.start_ns, window.start_ns) - window.start_ns
        b = min(span.end_ns, window.end_ns) - window.start_ns
        fa, fb = a / window.duration_ns, max(b, a) / window.duration_ns
        if fb - fa < 1.0 / BINS or wide >= BINS:
            for i in range(int(fa * BINS), min(BINS, int(fb * BINS) + 1)):
                busy[i] = True
            continue
        wide += 1
        x, w = PLOT_X + fa * width, (fb - fa) * width
        label = span.label or span.name
        text = _text(label) if _fits(label, fb - fa, area_w_pt) and x >= labelled_until else ()
        if text:
            labelled_until = x + w
        fill = CLASS_COLORS.get(span.cls, color) if lane.name == "Stages" else SPAN_COLORS.get(span.cls, color)
        shapes.append(Shape("rect", x, bar_y, w, bar_h, fill=fill, text=text, role="caption", name=f"span {label}"[:80]))
    i = 0
    while i < BINS:
        if busy[i]:
            j = i
            while j < BINS and busy[j]:
                j += 1
            shapes.append(Shape("rect", PLOT_X + width * i / BINS, bar_y + bar_h * 0.25, width * (j - i) / BINS, bar_h * 0.5, fill=color, name="density"))
            i = j
        else:
            i += 1
    return shapes


@DIRECTIVES.register
class TimelineDirective(Directive):
    name = "timeline"
    summary = "Gantt lanes of a profiler trace window: stages, kernels, copies, KV events, I/O."
    sources = {"source": ("trace",)}
    schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            **WINDOW_OPTIONS,
            "lanes": {
                "type": "array",
                "items": {"enum": list(LANE_COLORS)},
                "uniqueItems": True,
                "description": "Lanes to draw, in this order (default: every lane with spans).",
            },
            "caption": {"type": "string", "description": "A line under the chart (default: the window)."},
        },
        **WINDOW_CHOICE,
    }
    default_layout = "body-caption"

    def expand(self, spec, data, ctx):
        timeline = trace_of(spec, data)
        window = window_of(spec, timeline)
        lanes = timeline.lanes(window)
        if lanes is None:
            raise SpecError(slide_diagnostic(
                spec, "", f"the trace window holds more than {timeline.max_spans} spans "
                "(limits.trace_spans)", spec.pos, hint="narrow window/range/decode_steps, or raise limits.trace_spans"))
        if spec.options.get("lanes"):
            chosen = spec.options["lanes"]
            lanes = tuple(sorted((lane for lane in lanes if lane.base in chosen), key=lambda lane: chosen.index(lane.base)))
        layout = self.layout_of(spec)
        area = AREA_OF.get(layout, "body")
        area_w = AREA_WIDTH_PT.get(layout, DEFAULT_AREA_WIDTH_PT) * (1 - PLOT_X)
        wanted = spec.options.get("lanes") or ["Stages"]
        unstaged = "Stages" in wanted and not timeline.stages()  # said on the timeline, in the Stages row
        rows = len(lanes) + unstaged
        lane_h = (1.0 - AXIS_H) / max(1, rows)
        shapes: list[Shape] = []
        if unstaged:
            bar_y, bar_h = lane_h * LANE_GAP, lane_h * (1 - 2 * LANE_GAP)
            shapes.append(Shape("rect", LABEL_X, bar_y, LABEL_W, bar_h, text=_text("Stages"), role="caption", align="right", name="lane Stages"))
            shapes.append(Shape("rect", PLOT_X, bar_y, 1.0 - PLOT_X, bar_h, line="border", text=_text("no stage ranges in this trace"),
                                role="caption", name="no stage ranges"))
        for i, lane in enumerate(lanes):
            shapes.extend(lane_shapes(lane, i + unstaged, lane_h, window, area_w))
        shapes.extend(axis_shapes(window, 1.0 - AXIS_H))
        blocks: list[Block] = [ShapesBlock(area=area, shapes=tuple(shapes), name="timeline")]
        if layout == "body-caption":
            note = no_stages_note(spec, timeline)
            caption = spec.options.get("caption") or f"{timeline.format} trace, {window_caption(window)}" + (
                f" (whole trace: {note})" if note else "")
            blocks.append(TextBlock(area="caption", paragraphs=_text(caption), role="caption"))
        return [Slide(title=spec.options.get("title", "Timeline"), layout=layout, blocks=tuple(blocks))]
