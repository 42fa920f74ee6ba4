"""``offload_comparison``: runs of the same workload without and with KV offloading, side by side.

Left: every counter of the block manager's reuse summary per run (plus pool sizes), the better
value of each comparable row highlighted. Right: the three numbers the seed's demo is about
(reused blocks, cache hit rate, reused tokens) as small multiples, one panel per number with its
own unit and zero line (three units never share one axis), one labelled bar per run. Every number comes from the ``trtllm_log`` source; nothing is typed.
"""

from __future__ import annotations

import os

from tfeic.ir import Shape, ShapesBlock, Slide, TableBlock
from tfeic.domains.trtllm.log import LogRuns, TrtllmLog
from tfeic.directives import DIRECTIVES, Directive
from tfeic.directives.diagram import label, need_source

RUN_COLORS = ("muted", "accent", "accent2", "accent3")
LABEL_W, BAR_END, VALUE_W = 0.34, 0.8, 0.2  # of the drawing's width: run names, the longest bar's end, values
PANEL_TITLE_H, PANEL_GAP = 0.25, 0.1  # of a panel's height: its title, the space under it

# (row label, value of a log, printed form, better: "high" | "low" | None)
ROWS = (
    ("total allocated blocks", lambda g: g.summary.total_blocks, "{:,}", None),
    ("allocated new blocks", lambda g: g.summary.new_blocks, "{:,}", "low"),
    ("missed blocks", lambda g: g.summary.missed_blocks, "{:,}", "low"),
    ("reused blocks", lambda g: g.summary.reused_blocks, "{:,}", "high"),
    ("reused unique blocks", lambda g: g.summary.reused_unique_blocks, "{:,}", "high"),
    ("cache hit rate", lambda g: g.summary.hit_rate, "{:.0%}", "high"),
    ("reused tokens", lambda g: g.summary.reused_tokens, "{:,}", "high"),
    ("reused tokens (% of input)", lambda g: g.summary.reused_tokens_percent, "{:.1f}%", "high"),
    ("GPU pool (blocks)", lambda g: g.pool_blocks("primary"), "{:,}", None),
    ("host pool (blocks)", lambda g: g.pool_blocks("secondary"), "{:,}", None),
)
BARS = (("reused blocks", 3, "blocks"), ("cache hit rate", 5, "% of looked-up blocks"), ("reused tokens", 6, "tokens"))


def comparison_table(runs: LogRuns) -> TableBlock:
    rows: list[tuple[str, ...]] = []
    highlight: set[tuple[int, int]] = set()
    for label_, value, fmt, better in ROWS:
        values = [value(r.log) for r in runs.runs]
        if all(v is None for v in values):
            continue
        rows.append((label_, *("" if v is None else fmt.format(v) for v in values)))
        known = [v for v in values if v is not None]
        if better and len(set(known)) > 1:
            best = max(known) if better == "high" else min(known)
            highlight.update((len(rows) - 1, 1 + i) for i, v in enumerate(values) if v == best)
    return TableBlock("left", header=("counter", *(r.label for r in runs.runs)), rows=tuple(rows),
                      col_align=("left", *("right" for _ in runs.runs)), highlight=frozenset(highlight), name="counters")


def bar_shapes(runs: LogRuns) -> list[Shape]:
    """Small multiples: one panel per headline number, stacked, each titled with its unit (blocks,
    percent and tokens never share an axis) and drawn from its own zero line; one horizontal bar per
    run, named at its left and valued at its end (direct labels: no legend to look up, and the name,
    not the colour alone, tells the runs apart)."""
    n = len(runs.runs)
    ph = 1.0 / len(BARS)
    for_bars = BAR_END - LABEL_W
    shapes = []
    for g, (name, row, unit) in enumerate(BARS):
        _, value, fmt, _ = ROWS[row]
        values = [value(r.log) for r in runs.runs]
        peak = max(values) or 1
        y0 = g * ph
        shapes.append(Shape("rect", 0.0, y0, 1.0, ph * PANEL_TITLE_H, text=label(f"{name} ({unit})", bold=True),
                            role="caption", align="left", name=f"panel {name}"))
        rows_y, rh = y0 + ph * PANEL_TITLE_H, ph * (1 - PANEL_TITLE_H - PANEL_GAP) / n
        shapes.append(Shape("line", LABEL_W, rows_y, 0.0, rh * n, line="muted", name=f"zero {name}"))
        for i, v in enumerate(values):
            y, run = rows_y + i * rh, runs.runs[i]
            w = for_bars * v / peak
            shapes.append(Shape("rect", 0.0, y, LABEL_W, rh, text=label(run.label), role="caption", align="right",
                                name=f"run {name} {run.label}"))
            if w > 0:
                shapes.append(Shape("rect", LABEL_W, y + rh * 0.15, w, rh * 0.7, fill=RUN_COLORS[i % len(RUN_COLORS)],
                                    name=f"bar {name} {run.label}"))
            shapes.append(Shape("rect", LABEL_W + w, y, VALUE_W, rh, text=label(fmt.format(v)), role="caption",
                                align="left", name=f"value {name} {run.label}"))
    return shapes


@DIRECTIVES.register
class OffloadComparison(Directive):
    name = "offload_comparison"
    summary = "Without vs with KV offloading (or any runs): reuse counters table and reused blocks / hit rate / reused tokens bars."
    sources = {"source": ("trtllm_log",)}
    default_layout = "two-columns"
    schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "source": {"type": "string", "description": "A `trtllm_log` source with the runs to compare (default: the source named trtllm_log)."},
            "layout": {"const": "two-columns"},
        },
    }

    def expand(self, spec, data, ctx):
        runs: LogRuns = need_source(spec, data, "trtllm_log")
        first, last = runs.runs[0], runs.runs[-1]
        title = spec.options.get("title") or (
            f"Reused blocks: {first.log.summary.reused_blocks:,} {first.label}, {last.log.summary.reused_blocks:,} {last.label}")
        note = "; ".join(_note(r.label, r.log) for r in runs.runs)
        return [Slide(title, "two-columns", (comparison_table(runs), ShapesBlock("right", shapes=tuple(bar_shapes(runs)), name="bars")),
                      notes="\n".join(n for n in (spec.notes, note) if n))]


def _note(run_label: str, log: TrtllmLog) -> str:
    s = log.summary
    return (f"{run_label}: {s.reused_blocks} of {s.reused_blocks + s.missed_blocks} looked-up blocks reused "
            f"(hit rate {s.hit_rate:.2f}), {s.reused_tokens} tokens not recomputed; from {os.path.basename(log.path)}")
