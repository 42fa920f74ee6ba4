"""``block_reuse``: KV cache events over time, one lane per block.

x is event order (``event_id``), one lane per block hash, children under their parents (a prompt's
blocks form a chain). A lane is coloured by where the block lives after each event: GPU (primary)
or host (secondary, after an offload); it ends where the block is removed, with a mark. Onboarding
(host -> GPU) is the event stream's only trace of reuse: a block that is reused while still on the
GPU emits no event, which the caption says. Counts in the caption are computed from the events.

Two slides that are compared (without and with offloading) share one x scale through ``events: N``:
the axis holds N event columns, the data fills the first ones and the rest stay empty, so a column
is as wide, and a tick as far along, on both slides.
"""

from __future__ import annotations

from tfeic.ir import Shape, ShapesBlock, Slide, TextBlock
from ..events import GPU, KvEvents, Lifecycle, short_hash
from tfeic.core.diagnostics import SpecError
from tfeic.directives import DIRECTIVES, Directive, slide_diagnostic
from tfeic.directives.diagram import label, legend, need_source

LABEL_W, PLOT_X = 0.2, 0.22
LEGEND_H, AXIS_H = 0.09, 0.08
LEVEL_COLORS: dict[int | None, str] = {GPU: "accent", 1: "accent2"}
REMOVED_COLOR = "accent3"
MAX_TICKS = 8
MAX_LANES = 14  # lanes whose labels hold one line at the 12 pt floor in the light theme's body-caption body


def lane_name(lc) -> str:
    """``#3f2e`` for a root block, ``#91c0 ← #3f2e`` for a block and its parent."""
    return f"#{lc.short}" if lc.parent_hash is None else f"#{lc.short} \u2190 #{short_hash(lc.parent_hash)}"


def event_shapes(events: KvEvents, lifecycles: tuple[Lifecycle, ...], span: int | None = None) -> list[Shape]:
    """The drawing of ``lifecycles`` (the lanes drawn) over every event of ``events``; with no lane,
    the legend, the axis and a note that no block was stored yet (a prefix of an event stream).
    The axis holds ``span`` event columns (default: one per event; never fewer than the events)."""
    ids = events.event_ids
    column = {eid: i for i, eid in enumerate(ids)}
    n = len(ids)
    columns = max(n, span or 0)
    plot_w = 1.0 - PLOT_X
    step = plot_w / max(1, columns)
    lane_h = (1.0 - LEGEND_H - AXIS_H) / max(1, len(lifecycles))
    shapes = legend([(LEVEL_COLORS[GPU], "on GPU"), (LEVEL_COLORS[1], "offloaded to host"), (REMOVED_COLOR, "removed")],
                    PLOT_X, 0.0, plot_w, LEGEND_H)
    for k, lc in enumerate(lifecycles):
        y = LEGEND_H + k * lane_h
        shapes.append(Shape("rect", 0.0, y, LABEL_W, lane_h, text=label(lane_name(lc), code=True), role="caption",
                            align="right", name=f"lane #{lc.short}"))
        bar_y, bar_h = y + lane_h * 0.2, lane_h * 0.6
        for j, (eid, action, level) in enumerate(lc.steps):
            x0 = PLOT_X + column[eid] * step
            if action == "removed":
                shapes.append(Shape("rect", x0, bar_y, step * 0.25, bar_h, fill=REMOVED_COLOR, name=f"removed #{lc.short} @{eid}"))
                continue
            end = column[lc.steps[j + 1][0]] if j + 1 < len(lc.steps) else n
            shapes.append(Shape("rect", x0, bar_y, (end - column[eid]) * step, bar_h, fill=LEVEL_COLORS.get(level, "muted"),
                                name=f"{action} #{lc.short} @{eid}"))
    if not lifecycles:
        shapes.append(Shape("rect", PLOT_X, LEGEND_H, plot_w, 1.0 - LEGEND_H - AXIS_H, text=label("no block stored yet"),
                            role="caption", align="center", name="no blocks"))
    axis_y = 1.0 - AXIS_H
    shapes.append(Shape("line", PLOT_X, axis_y, plot_w, 0.0, line="muted", name="axis"))
    shapes.append(Shape("rect", 0.0, axis_y, LABEL_W, AXIS_H, text=label("KV event (id)"), role="caption", align="right",
                        name="axis title"))  # the time axis is titled with its unit: event order, not seconds
    every = max(1, -(-columns // MAX_TICKS))  # from the span, so slides of one span tick alike
    for i in range(0, n - every + 1, every):  # each label spans ``every`` columns, the last one included; empty columns unlabelled
        shapes.append(Shape("rect", PLOT_X + i * step, axis_y, step * every, AXIS_H, text=label(f"#{ids[i]}"), role="caption",
                            align="left", name=f"tick {ids[i]}"))
    return shapes


def axis_span(spec, events: KvEvents) -> int | None:
    """Option ``events`` (the axis's column count), checked to hold every event of the source: a
    smaller one would cut the drawing, so it is exit 2 at the option."""
    span: int | None = spec.options.get("events")
    if span is not None and span < len(events.event_ids):
        raise SpecError(slide_diagnostic(spec, "events", f"{span} event columns cannot hold the source's "
                                         f"{len(events.event_ids)} events", spec.pos_of("events"),
                                         f"use events: {len(events.event_ids)} or more"))
    return span


@DIRECTIVES.register
class BlockReuse(Directive):
    name = "block_reuse"
    summary = "KV cache events over time: per block stored, offloaded to host, onboarded back (reuse), removed."
    sources = {"source": ("kv_events",)}
    default_layout = "body-caption"
    schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "source": {"type": "string", "description": "A `kv_events` source (default: the source named kv_events)."},
            "max_blocks": {"type": "integer", "minimum": 1, "maximum": 24, "default": MAX_LANES, "description": f"Lanes drawn (blocks in parent-chain order); more than {MAX_LANES} need a taller area than the default theme's body to keep lane labels at the 12 pt floor."},
            "events": {"type": "integer", "minimum": 1, "description": "Event columns the x axis holds (default: the source's event count); give slides that are compared the same number so they share one scale. The data fills the first columns; fewer than the source's events is an error."},
            "caption": {"type": "string", "description": "A line under the drawing (default: the counts)."},
            "layout": {"const": "body-caption"},
        },
    }

    def expand(self, spec, data, ctx):
        events: KvEvents = need_source(spec, data, "kv_events")
        every = events.lifecycles()
        lanes = every[:int(spec.options.get("max_blocks", MAX_LANES))]
        shapes = event_shapes(events, lanes, axis_span(spec, events))
        drawn, total = len(lanes), len(every)
        counts = (f"stored {events.stored} \u00b7 offloaded to host {events.offloaded} \u00b7 onboarded back (reused from host) "
                  f"{events.onboarded} \u00b7 removed {events.removed}")
        shown = f"; first {drawn} of {total} blocks" if drawn < total else ""
        caption = spec.options.get("caption") or f"{counts}{shown}. Reuse of a block still on the GPU emits no event."
        title = spec.options.get("title") or f"KV cache events: {events.stored} blocks stored, {events.onboarded} onboarded back"
        blocks = (ShapesBlock("body", shapes=tuple(shapes), name="events"),
                  TextBlock("caption", paragraphs=label(caption), role="caption"))
        return [Slide(title, "body-caption", blocks)]
