"""Chart text budgeting: the font size of a native chart and where its plot area goes.

A native chart draws its own text (tick labels, category labels, axis titles, legend), so the layout
cannot measure lines the way it does for text boxes. Instead it reserves a band for that text on
each side of the plot area, measured with the theme's fonts at a candidate size, and pins the plot
area there (render writes it as the chart's manual inner layout). A size is accepted when the
category labels, as a renderer that draws every label places them, stay apart and inside the axis
(crowded ones are thinned to empty strings in the chart's data, ``thin_labels``), every axis title
fits along its axis, the legend fits one row, and the plot area keeps at least ``MIN_PLOT`` of the
chart in each direction. ``requirements`` states those conditions for given geometry, so the proof
re-checks a placed chart from its rectangle and plot area alone.

Sides: the left band holds the vertical axis (its tick or category labels and its rotated title);
the bottom band holds the horizontal axis (labels, title) and the legend. Horizontal bar charts put
categories on the left; scatter and CDF charts have value axes on both sides.

Direct labels: a line chart of 2-4 series that all end at the same x names each series at its last
point (a data label right of it) instead of a legend, so the eye does not travel between legend and
line. The right band then holds the widest name, and the labels, centred on their points, must
stay a line apart; the value axis is pinned to ``value_range`` so those points are where layout
computed them. When that does not fit, the chart keeps its legend (``fit_chart``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from ..ir import ChartBlock, Paragraph, Span
from .fonts import proof_em, widest_cluster_em
from .measure import Faces, WordTooWide, break_lines, words_of

MIN_PLOT = 0.35  # the plot area keeps at least this share of the chart's width and height
PAD_EM = 0.6  # gap between text and the plot area or the chart's edge, in em
LEGEND_MARKER_EM = 2.0  # legend symbol plus its gap to the name
LEGEND_GAP_EM = 1.0  # between legend entries
TICKS = 6  # value axes are budgeted for about this many ticks
LINE_EM = 1.2  # LibreOffice sets chart text, like text boxes, at 1.2 em per line
END_LABEL_GAP_EM = 1.0  # between a line's last point (its marker) and the label naming it
END_LABEL_SERIES = (2, 4)  # direct labels for this many series; one needs no name, more crowd


@dataclass(frozen=True)
class Need:
    """One condition: ``needed`` points of ``available`` (widths, except where the part says height)."""

    part: str
    needed: float
    available: float

    @property
    def ok(self) -> bool:
        return self.needed <= self.available + 1e-6


@dataclass(frozen=True)
class ChartFit:
    size: float
    plot: tuple[float, float, float, float]  # x, y, w, h in points from the chart's top-left
    needs: tuple[Need, ...]
    categories: tuple[str, ...] = ()  # the labels to draw: thinned ones are empty strings
    end_labels: bool = False  # series named at their last points, no legend

    @property
    def ok(self) -> bool:
        return all(n.ok for n in self.needs)


_FORMAT = re.compile(r'^(?:"(?P<prefix>[^"]*)")?(?P<body>[#0,]*(?:\.0+)?%?)(?:"(?P<suffix>[^"]*)")?$')


def format_number(value: float, number_format: str) -> str:
    """``value`` as a spreadsheet number format shows it. Covers what chart directives write:
    General, ``0``, ``0.00``, ``#,##0.0``, ``0%`` and quoted literals such as ``0.0"x"``; any other
    format is measured as General."""
    m = _FORMAT.match(number_format)
    if number_format in ("General", "") or m is None or not m["body"]:
        return f"{value:.10g}"
    body = m["body"]
    decimals = len(body.split(".", 1)[1].rstrip("%")) if "." in body else 0
    percent = body.endswith("%")
    text = f"{value * (100 if percent else 1):{',' if ',' in body else ''}.{decimals}f}"
    return f"{m['prefix'] or ''}{text}{'%' if percent else ''}{m['suffix'] or ''}"


def nice_ticks(low: float, high: float, count: int = TICKS) -> list[float]:
    """Axis ticks on a 1-2-2.5-5 step covering [min(low, 0), high], as spreadsheets choose them."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        high = low + 1.0
    raw = (high - low) / (count - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step)
    return [round(i * step, 10) for i in range(first, math.ceil(high / step) + 1)]


def _values(chart: ChartBlock) -> list[float]:
    if chart.kind == "stacked_bar":
        sums = [sum(v or 0.0 for v in values) for values in zip(*(s.values for s in chart.series))]
        negatives = [sum(min(v or 0.0, 0.0) for v in values) for values in zip(*(s.values for s in chart.series))]
        return sums + negatives
    return [v for s in chart.series for v in s.values if v is not None]


def _xs(chart: ChartBlock) -> list[float]:
    return [v for s in chart.series for v in (s.x or ()) if v is not None]


def _widest(texts: Sequence[str], faces: Faces, size: float) -> float:
    chain = faces.chain()
    return max((proof_em(t, chain) * size for t in texts), default=0.0)


@lru_cache(maxsize=64)
def _tick_labels(values: tuple[float, ...], number_format: str) -> tuple[str, ...]:
    """The tick labels an axis over ``values`` shows. Kept for the last few charts: fitting one asks
    for its axes several times per size (margins, thinning, requirements), a chart's worth of ticks
    and number formatting each time; a bounded cache holds no copy of a whole deck's data."""
    ticks = nice_ticks(min(values, default=0.0), max(values, default=1.0))
    # one more digit than the widest tick: a renderer may choose a finer step than ours
    return (*(format_number(t, number_format) for t in ticks), format_number(ticks[-1], number_format) + "0")


@dataclass(frozen=True)
class _Axis:
    labels: tuple[str, ...]
    categorical: bool
    title: str


def _axes(chart: ChartBlock) -> tuple[_Axis, _Axis]:
    """(vertical axis, horizontal axis) of the chart."""
    values = _Axis(_tick_labels(tuple(_values(chart)), chart.number_format), False, chart.y_title)
    if chart.numeric_x:
        return values, _Axis(_tick_labels(tuple(_xs(chart)), "General"), False, chart.x_title)
    categories = _Axis(tuple(chart.categories), True, chart.x_title)
    return (categories, values) if chart.horizontal else (values, categories)


def value_range(chart: ChartBlock) -> tuple[float, float]:
    """The value axis's ends as layout budgets them (``nice_ticks``); a chart with end labels pins
    its axis there, so the labels' heights are known."""
    values = _values(chart)
    ticks = nice_ticks(min(values, default=0.0), max(values, default=1.0))
    return ticks[0], ticks[-1]


def _last_points(chart: ChartBlock) -> list[tuple[float, float]] | None:
    """(x, value) of each series' last point (x: the category index, or the x value), or None when a
    series has no last point."""
    ends = []
    for s in chart.series:
        xs = s.x if chart.numeric_x and s.x is not None else tuple(float(i) for i in range(len(s.values)))
        pairs = [(x, v) for x, v in zip(xs, s.values) if x is not None and v is not None]
        if not pairs or (not chart.numeric_x and s.values[-1] is None):
            return None
        ends.append(pairs[-1])
    return ends


def end_labels_apply(chart: ChartBlock) -> bool:
    """A line chart with a legend of 2-4 series whose last points share one x: nothing of another
    series lies right of a last point, so a label drawn there crosses no line."""
    low, high = END_LABEL_SERIES
    ends = _last_points(chart) if chart.kind in ("line", "xy_line") and chart.legend else None
    return ends is not None and low <= len(ends) <= high and len({x for x, _ in ends}) == 1


def _end_label_gap(chart: ChartBlock, plot_height: float) -> float:
    """Points between the two closest last points, vertically, with the axis at ``value_range``."""
    low, high = value_range(chart)
    ys = sorted(v for _, v in _last_points(chart) or ())
    return min((b - a) * plot_height / (high - low) for a, b in zip(ys, ys[1:]))


def _legend(chart: ChartBlock) -> list[str]:
    return [s.name for s in chart.series] if chart.legend else []


def margins(chart: ChartBlock, size: float, faces: Faces, width: float) -> tuple[float, float, float, float]:
    """Points reserved (left, top, right, bottom) for the text of a chart ``width`` points wide at
    ``size``; the bottom band holds as many lines as the tallest category label wraps into."""
    line, pad = size * LINE_EM, PAD_EM * size
    vertical, horizontal = _axes(chart)
    left = pad + _widest(vertical.labels, faces, size) + pad + (line + pad if vertical.title else 0.0)
    right = pad + (0.0 if horizontal.categorical else _widest(horizontal.labels, faces, size) / 2)
    if chart.end_labels:  # the last point may sit at the plot's right edge; its label runs right of it
        right = max(right, END_LABEL_GAP_EM * size + _widest([s.name for s in chart.series], faces, size) + pad)
    left = max(left, pad + (0.0 if horizontal.categorical else _widest(horizontal.labels, faces, size) / 2))
    top = pad + line / 2
    rows = 1
    if horizontal.categorical and horizontal.labels:
        slot = max(width - left - right, 0.0) / len(horizontal.labels)
        rows = _label_rows(horizontal.labels, faces, size, slot)
    bottom = pad + rows * line + (pad + line if horizontal.title else 0.0) + (pad + line if _legend(chart) else 0.0) + pad
    return left, top, right, bottom


def requirements(chart: ChartBlock, width: float, height: float, size: float, faces: Faces,
                 plot: tuple[float, float, float, float]) -> tuple[Need, ...]:
    """Every condition chart text at ``size`` puts on a chart of ``width`` x ``height`` points whose
    plot area is ``plot`` (x, y, w, h from the chart's top-left)."""
    x, y, w, h = plot
    left, top, right, bottom = margins(chart, size, faces, width)
    line = size * LINE_EM
    vertical, horizontal = _axes(chart)
    needs = [Need("left band", left, x), Need("top band", top, y), Need("right band", right, width - x - w),
             Need("bottom band", bottom, height - y - h),
             Need("plot width", MIN_PLOT * width, w), Need("plot height", MIN_PLOT * height, h)]
    if horizontal.categorical and horizontal.labels:
        widths = _label_widths(horizontal.labels, faces, size, w / len(horizontal.labels))
        needs.append(Need("category labels", max(widths) + PAD_EM * size, w))
        needs.append(Need("category label spacing", label_spacing(widths, PAD_EM * size), w / len(widths)))
    if vertical.categorical and vertical.labels:
        needs.append(Need("category labels (height)", line, h / len(vertical.labels)))
    if horizontal.title:
        needs.append(Need("horizontal axis title", _widest([horizontal.title], faces, size), w))
    if vertical.title:
        needs.append(Need("vertical axis title", _widest([vertical.title], faces, size), h))
    if chart.end_labels:
        needs.append(Need("end label spacing (height)", line, _end_label_gap(chart, h)))
    legend = _legend(chart)
    if legend:
        row = sum(_widest([n], faces, size) + LEGEND_MARKER_EM * size for n in legend) + LEGEND_GAP_EM * size * (len(legend) - 1)
        needs.append(Need("legend", row, width - 2 * PAD_EM * size))
    return tuple(needs)


def _label_widths(labels: Sequence[str], faces: Faces, size: float, slot: float) -> list[float]:
    """Points each label takes along the axis. LibreOffice wraps a category label to the width of
    its category (``slot``), so a wider label takes the slot, or its widest character if wider."""
    chain = faces.chain()
    widths = [proof_em(t, chain) * size for t in labels]
    return [w if w <= slot else max(slot, widest_cluster_em(t, chain) * size) for t, w in zip(labels, widths)]


def label_lines(label: str, faces: Faces, size: float, slot: float) -> int:
    """Lines a category label takes when wrapped to its category's width ``slot``, as LibreOffice
    does: one when it fits; else the line model's bound (``measure.break_lines``), or, when one piece
    is wider than the slot, one line per visible character (every line holds at least one)."""
    if not label or proof_em(label, faces.chain()) * size <= slot:
        return 1
    each = _visible(label)
    try:
        return min(each, len(break_lines(words_of(Paragraph((Span(label),)), faces), slot, size)))
    except WordTooWide:
        return each


def _label_rows(labels: Sequence[str], faces: Faces, size: float, slot: float) -> int:
    """The most lines any label wraps into. Labels are visited longest first and the walk stops once
    no label left has more visible characters than the answer so far (each line holds at least one),
    so thousands of categories cost a few labels' line breaking, not all of them."""
    rows = 1
    for label in sorted(set(labels), key=_visible, reverse=True):
        if _visible(label) <= rows:
            break
        rows = max(rows, label_lines(label, faces, size, slot))
    return rows


def _visible(label: str) -> int:
    """Characters of ``label`` that are not spaces: at least one of them on every line it takes."""
    return len(label) - label.count(" ")


def label_spacing(widths: list[float], gap: float) -> float:
    """Points per category that the non-empty labels need, drawn centred on their categories as a
    renderer that draws *every* label does (LibreOffice ignores ``tickLblSkip``): with category i
    centred at (i + 0.5) x slot, no label may reach past either end of the axis, and neighbours
    must stay ``gap`` apart."""
    drawn = [(i, w) for i, w in enumerate(widths) if w > 0]
    n = len(widths)
    if not drawn:
        return 0.0
    (first, w_first), (last, w_last) = drawn[0], drawn[-1]
    needs = [w_first / (2 * first + 1), w_last / (2 * (n - last) - 1)]
    needs += [((wa + wb) / 2 + gap) / (b - a) for (a, wa), (b, wb) in zip(drawn, drawn[1:])]
    return max(needs)


def thin_labels(labels: list[str], plot_width: float, size: float, faces: Faces) -> tuple[str, ...]:
    """The category labels a renderer that draws every label can show at ``size`` without overlap:
    every k-th (the smallest k that spaces the widest label) from the first that stays inside the
    axis, dropping any that would reach past its right end; the others become empty strings, so
    the chart's data itself carries the thinning (no ``tickLblSkip``, which LibreOffice ignores).
    Unchanged when every label fits as it is, or when none can (then the needs fail)."""
    n = len(labels)
    gap, slot = PAD_EM * size, plot_width / max(n, 1)
    widths = _label_widths(labels, faces, size, slot)
    if not labels or label_spacing(widths, gap) <= slot + 1e-9 or max(widths) + gap > plot_width:
        return tuple(labels)
    step = max(1, math.ceil((max(widths) + gap) / slot - 1e-9))
    inside = [widths[i] <= slot * min(2 * i + 1, 2 * (n - i) - 1) + 1e-9 for i in range(n)]
    first = next((i for i in range(n) if inside[i]), n)
    kept = {i for i in range(first, n, step) if inside[i]}
    return tuple(label if i in kept else "" for i, label in enumerate(labels))


def _thinned(chart: ChartBlock, plot_width: float, size: float, faces: Faces) -> tuple[str, ...]:
    """The chart's categories as drawn: thinned when they run along the horizontal axis."""
    if _axes(chart)[1].categorical:
        return thin_labels(list(chart.categories), plot_width, size, faces)
    return chart.categories


def fit_chart(chart: ChartBlock, width: float, height: float, faces: Faces, sizes: tuple[float, ...]) -> ChartFit:
    """The largest size of ``sizes`` whose text fits, with the plot area that leaves; else the
    attempt at the smallest size (``ok`` false, its failing needs say why). At each size a chart
    that can take end labels (``end_labels_apply``) tries them first, and keeps its legend if they
    do not fit."""
    variants = [replace(chart, legend=False, end_labels=True), chart] if end_labels_apply(chart) else [chart]
    fit = None
    for size in sizes:
        for variant in variants:
            fit = _fit_at(variant, width, height, faces, size)
            if fit.ok:
                return fit
    assert fit is not None, "fit_chart needs at least one size"
    return fit


def _fit_at(chart: ChartBlock, width: float, height: float, faces: Faces, size: float) -> ChartFit:
    left, top, right, bottom = margins(chart, size, faces, width)
    plot = (left, top, max(width - left - right, 0.0), max(height - top - bottom, 0.0))
    categories = _thinned(chart, plot[2], size, faces)
    return ChartFit(size, plot, requirements(replace(chart, categories=categories), width, height, size, faces, plot),
                    categories, chart.end_labels)
