"""``offload_comparison``: runs of the same workload without and with KV offloading, side by side.

Left: every counter of the block manager's reuse summary per run (plus pool sizes), the better
value of each comparable row highlighted. Right: the three numbers the seed's demo is about
(reused blocks, cache hit rate, reused tokens) as bar groups, one bar per run, each group scaled
to its own maximum. Every number comes from the ``trtllm_log`` source; nothing is typed.
"""

from __future__ import annotations

import os

from tfeic.ir import Shape, ShapesBlock, Slide, TableBlock
from ..log import LogRuns, TrtllmLog
from tfeic.directives import DIRECTIVES, Directive
from tfeic.directives.diagram import label, legend, need_source

RUN_COLORS = ("muted", "accent", "accent2", "accent3")
LEGEND_H, GROUP_LABEL_H, VALUE_H = 0.1, 0.1, 0.08

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
BARS = (("reused blocks", 3), ("cache hit rate", 5), ("reused tokens", 6))


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
    """Bar groups (one per headline number), one bar per run, value above each bar, legend on top."""
    n = len(runs.runs)
    top, bottom = LEGEND_H + VALUE_H, 1.0 - GROUP_LABEL_H
    shapes = legend([(RUN_COLORS[i % len(RUN_COLORS)], r.label) for i, r in enumerate(runs.runs)], 0.0, 0.0, 1.0, LEGEND_H)
    gw = 1.0 / len(BARS)
    shapes.append(Shape("line", 0.0, bottom, 1.0, 0.0, line="border", name="baseline"))
    for g, (name, row) in enumerate(BARS):
        _, value, fmt, _ = ROWS[row]
        values = [value(r.log) for r in runs.runs]
        peak = max(values) or 1
        bw = gw * 0.8 / n
        for i, v in enumerate(values):
            x = g * gw + gw * 0.1 + i * bw
            h = (bottom - top) * v / peak
            if h > 0:
                shapes.append(Shape("rect", x + bw * 0.1, bottom - h, bw * 0.8, h, fill=RUN_COLORS[i % len(RUN_COLORS)],
                                    name=f"bar {name} {runs.runs[i].label}"))
            shapes.append(Shape("rect", x, bottom - h - VALUE_H, bw, VALUE_H, text=label(fmt.format(v)), role="caption",
                                anchor="bottom", name=f"value {name} {runs.runs[i].label}"))
        shapes.append(Shape("rect", g * gw, bottom, gw, GROUP_LABEL_H, text=label(name), role="caption", name=f"group {name}"))
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
