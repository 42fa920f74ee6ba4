"""``utilisation``: how a trace window's GPU time was spent, per device (and per stream when a device
has several): one horizontal stacked bar each, the window cut into compute, compute overlapped with
communication, communication alone, memory alone and idle, on a zero-based time axis with its unit.
The caption names the window, the busy share and the definitions' short form (docs/utilisation.md
has them in full, next to HolisticTraceAnalysis's)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tfeic.ir import Block, ChartBlock, Series, Slide
from tfeic.directives import DIRECTIVES, Directive
from tfeic.directives.blocks import text_block
from .timeline import WINDOW_CHOICE, WINDOW_OPTIONS, no_stages_note, trace_of, window_caption, window_of

if TYPE_CHECKING:
    from tfeic.domains.timeline.utilisation import Breakdown, DeviceUtilisation

MAX_BARS = 8  # bars a slide shows: every device, then its busiest streams
#: the parts of ``Breakdown.exclusive`` as the legend names them (short: one legend row), and their
#: colours (idle: the theme's border grey, so time with nothing running reads as empty)
PARTS = {"compute": ("compute", None), "overlap": ("overlap", None), "communication": ("communication", None),
         "memory": ("memory", None), "idle": ("idle", "border")}


def bars(devices: tuple[DeviceUtilisation, ...]) -> tuple[list[tuple[str, Breakdown]], int]:
    """(label, breakdown) per bar, top to bottom: each device followed by its streams when it has
    several, at most ``MAX_BARS`` bars (the streams with the most busy time stay); and how many
    streams were left out."""
    several = [s for d in devices for s in d.streams if len(d.streams) > 1]
    room = max(MAX_BARS - len(devices), 0)
    kept = {id(s) for s in sorted(several, key=lambda s: -s.busy_ns)[:room]}
    prefix = len(devices) > 1
    out: list[tuple[str, Breakdown]] = []
    for d in devices[:MAX_BARS]:
        out.append((f"device {d.device}".strip(), d))  # a trace that names no device: "device"
        out.extend((f"{f'dev {d.device} ' if prefix and str(d.device) else ''}stream {s.stream}", s)
                   for s in d.streams if id(s) in kept)
    return out, len(several) - len(kept) + sum(len(d.streams) for d in devices[MAX_BARS:])


@DIRECTIVES.register
class UtilisationDirective(Directive):
    name = "utilisation"
    summary = "GPU time of a trace window per device and stream: compute, communication, overlap, memory, idle (stacked bars)."
    sources = {"source": ("trace",)}
    default_layout = "body-caption"
    schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            **WINDOW_OPTIONS,
            "caption": {"type": "string", "description": "Where the trace comes from (said after the definitions)."},
        },
        **WINDOW_CHOICE,
    }

    def expand(self, spec, data, ctx):
        from tfeic.domains.timeline.report import axis_unit, percent
        from tfeic.domains.timeline.utilisation import utilisation

        timeline = trace_of(spec, data)
        window = window_of(spec, timeline)
        devices = utilisation(timeline.gpu_records(window), window)
        unit, scale = axis_unit(window.duration_ns)
        shown, hidden = bars(devices)
        shown = shown[::-1]  # a bar chart draws its first category at the bottom: the first device goes on top
        parts = [dict(b.exclusive()) for _, b in shown] or [{"idle": window.duration_ns}]
        series = tuple(Series(label, tuple(round(p[key] / scale, 6) for p in parts), color=color)
                       for key, (label, color) in PARTS.items() if any(p.get(key) for p in parts))
        chart = ChartBlock(area="body", kind="stacked_bar", horizontal=True, categories=tuple(label for label, _ in shown) or ("no GPU activity",),
                           series=series, x_title="", y_title=f"time in the window ({unit})", name="utilisation")
        note = no_stages_note(spec, timeline)
        chosen = any(k in spec.options for k in ("window", "range", "decode_steps")) and not note
        where = f"{window_caption(window)}" + ("" if chosen else f" (the whole trace{': ' + note if note else ''})")
        busy = "; ".join(f"device {d.device} busy {percent(d.busy_ns, d.window_ns)}"
                         + (f", overlap {percent(d.overlap_ns, d.communication_ns)} of its communication" if d.communication_ns else "")
                         for d in devices[:MAX_BARS]) or "no kernels or copies"
        caption = (f"Window {where}: {busy}" + (f"; {hidden} less busy streams not drawn" if hidden else "") + ". "
                   "Busy = any kernel, copy or memset; overlap = compute with communication; "
                   "memory = copies, memsets and memory kernels alone (docs/utilisation.md)."
                   + (f" {spec.options['caption']}" if spec.options.get("caption") else ""))
        # the caption stays with its chart: shrunk to fit if need be, never continued on another slide
        blocks: tuple[Block, ...] = (chart, text_block(caption, "caption", role="caption", paginate=False))
        return [Slide(title=spec.options.get("title", "GPU utilisation"), layout=self.layout_of(spec), blocks=blocks)]
