"""Native, editable charts: python-pptx chart parts with their data embedded as an xlsx workbook,
so PowerPoint's "Edit Data" opens the numbers behind every bar and line.

Render decides nothing: the font size and the plot area come from layout (``PlacedChart``); this
module writes them explicitly (chart-wide text properties, each axis's labels and title, the
legend, a manual inner plot-area layout), so LibreOffice and PowerPoint both draw the text in the
bands layout reserved for it. Every colour is explicit; the chart background is transparent so the
slide's own background shows through in any theme.

Determinism: XlsxWriter stamps the embedded workbook's ``docProps/core.xml`` with the current time;
the chart data here (``pptx_compat.dated_chart_data``) stamps the document's own date instead
(its zip entries are already fixed at 1980-01-01 by XlsxWriter), so equal decks give equal bytes.
"""

from __future__ import annotations

from datetime import datetime

from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_DATA_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE, MSO_PATTERN
from pptx.util import Pt

from ..ir import ChartBlock
from ..layout.charts import value_range
from ..layout.placed import PlacedChart
from .oxml import qn, set_alt_text, sub
from .pptx_compat import axis_element, dated_chart_data

LINE_WIDTH_PT = 2.25
GAP_WIDTH = 60  # percent of a bar's width between category groups

_TYPES = {  # (kind, horizontal) -> chart type
    ("bar", False): XL_CHART_TYPE.COLUMN_CLUSTERED, ("bar", True): XL_CHART_TYPE.BAR_CLUSTERED,
    ("grouped_bar", False): XL_CHART_TYPE.COLUMN_CLUSTERED, ("grouped_bar", True): XL_CHART_TYPE.BAR_CLUSTERED,
    ("stacked_bar", False): XL_CHART_TYPE.COLUMN_STACKED, ("stacked_bar", True): XL_CHART_TYPE.BAR_STACKED,
    ("line", False): XL_CHART_TYPE.LINE_MARKERS, ("line", True): XL_CHART_TYPE.LINE_MARKERS,
    ("scatter", False): XL_CHART_TYPE.XY_SCATTER, ("scatter", True): XL_CHART_TYPE.XY_SCATTER,
    ("cdf", False): XL_CHART_TYPE.XY_SCATTER_LINES_NO_MARKERS, ("cdf", True): XL_CHART_TYPE.XY_SCATTER_LINES_NO_MARKERS,
    ("xy_line", False): XL_CHART_TYPE.XY_SCATTER_LINES, ("xy_line", True): XL_CHART_TYPE.XY_SCATTER_LINES,
}
BAR_KINDS = ("bar", "grouped_bar", "stacked_bar")
# Series of a line, CDF or scatter chart differ in marker shape and dash as well as colour, so a
# reader who cannot tell the colours apart (or a grey-scale print) still can.
MARKERS = (XL_MARKER_STYLE.CIRCLE, XL_MARKER_STYLE.SQUARE, XL_MARKER_STYLE.TRIANGLE, XL_MARKER_STYLE.DIAMOND,
           XL_MARKER_STYLE.X)
PATTERNS = (MSO_PATTERN.WIDE_UPWARD_DIAGONAL, MSO_PATTERN.DARK_VERTICAL, MSO_PATTERN.SMALL_GRID)
SHADE = 0.45  # a hatched bar's lines: its colour mixed this far toward black, over the colour itself
DASHES = (MSO_LINE_DASH_STYLE.SOLID, MSO_LINE_DASH_STYLE.DASH, MSO_LINE_DASH_STYLE.ROUND_DOT,
          MSO_LINE_DASH_STYLE.LONG_DASH_DOT)


def chart_data(chart: ChartBlock, created: datetime):
    """python-pptx chart data for ``chart``: categories and one column per series, or x/y pairs."""
    if chart.numeric_x:
        data = dated_chart_data(True, created, chart.number_format)
        for series in chart.series:
            xy = data.add_series(series.name)
            for x, y in zip(series.x or (), series.values):
                if x is not None and y is not None:
                    xy.add_data_point(x, y)
        return data
    data = dated_chart_data(False, created, chart.number_format)
    data.categories = list(chart.categories)
    for series in chart.series:
        data.add_series(series.name, list(series.values))
    return data


def chart_alt_text(chart: ChartBlock) -> str:
    """What a screen reader says for the chart: its kind, what it plots against what, its series."""
    kind = {"cdf": "cumulative distribution", "grouped_bar": "grouped bar", "stacked_bar": "stacked bar"}.get(chart.kind, chart.kind)
    axes = " by ".join(t for t in (chart.y_title, chart.x_title) if t)
    series = ", ".join(s.name for s in chart.series)
    return f"{kind} chart" + (f" of {axes}" if axes else "") + (f"; series: {series}" if series else "")


def draw_chart(shapes, box: PlacedChart, created: datetime) -> None:
    """A chart ``graphicFrame`` at ``box.rect``, styled as layout decided."""
    chart_block = box.chart
    r = box.rect
    kind = "xy_line" if chart_block.kind == "line" and chart_block.numeric_x else chart_block.kind
    frame = shapes.add_chart(_TYPES[(kind, chart_block.horizontal)], r.x, r.y, r.w, r.h,
                             chart_data(chart_block, created))
    frame.name = box.name
    set_alt_text(frame.element, chart_alt_text(chart_block))
    chart = frame.chart
    chart.has_title = False
    _font(chart.font, box)
    _transparent(chart.element)
    _plot_layout(chart.element, box)
    _positive_axis_ids(chart.element)
    plot = chart.plots[0]
    if chart_block.kind in BAR_KINDS:
        plot.vary_by_categories = False
        plot.gap_width = GAP_WIDTH
    _series_colors(plot, chart_block.kind, box.series_colors)
    _axes(chart, box)
    chart.has_legend = chart_block.legend
    if chart_block.legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        _font(chart.legend.font, box)
    if chart_block.end_labels:
        _end_labels(chart, box)


def _end_labels(chart, box: PlacedChart) -> None:
    """Each series named by a data label right of its last point (python-pptx ``DataLabel``: one
    ``c:dLbl`` for that point), on a value axis pinned where layout placed the labels. python-pptx
    1.0's per-point ``DataLabel`` has no ``show_series_name``: its ``c:dLbl`` comes with ``showVal``
    on and ``showSerName`` off, which are flipped in the XML (CT_DLbl, ECMA-376 21.2.2.49)."""
    for series in chart.plots[0].series:
        label = series.points[len(series.values) - 1].data_label
        _font(label.font, box)
        label.position = XL_DATA_LABEL_POSITION.RIGHT
    for dlbl in chart.element.iter(qn("c:dLbl")):
        dlbl.find(qn("c:showSerName")).set("val", "1")
        dlbl.find(qn("c:showVal")).set("val", "0")
    chart.value_axis.minimum_scale, chart.value_axis.maximum_scale = value_range(box.chart)


def _font(font, box: PlacedChart) -> None:
    font.size = Pt(box.style.size)
    font.name = box.style.family
    font.bold = False
    font.color.rgb = RGBColor.from_string(box.style.color)


def _transparent(chart_space) -> None:
    """No fill and no border on the chart area (``c:spPr`` goes right after ``c:chart``)."""
    sp_pr = chart_space.find(qn("c:spPr"))
    if sp_pr is None:
        sp_pr = chart_space.makeelement(qn("c:spPr"), {})
        chart_space.find(qn("c:chart")).addnext(sp_pr)
    for child in list(sp_pr):
        sp_pr.remove(child)
    sub(sp_pr, "a:noFill")
    sub(sub(sp_pr, "a:ln"), "a:noFill")


def _plot_layout(chart_space, box: PlacedChart) -> None:
    """Pin the inner plot area (axes excluded) to layout's rectangle, as fractions of the chart."""
    plot_area = chart_space.find(f"{qn('c:chart')}/{qn('c:plotArea')}")
    old = plot_area.find(qn("c:layout"))
    if old is not None:
        plot_area.remove(old)
    layout = plot_area.makeelement(qn("c:layout"), {})
    plot_area.insert(0, layout)
    manual = sub(layout, "c:manualLayout")
    sub(manual, "c:layoutTarget", val="inner")
    sub(manual, "c:xMode", val="edge")
    sub(manual, "c:yMode", val="edge")
    width, height = box.rect.w / 12700, box.rect.h / 12700
    x, y, w, h = box.plot
    for tag, value in (("c:x", x / width), ("c:y", y / height), ("c:w", w / width), ("c:h", h / height)):
        sub(manual, tag, val=f"{value:.6f}")


def _positive_axis_ids(chart_space) -> None:
    """python-pptx's chart templates number axes with negative ids, which the schema's
    ``xsd:unsignedInt`` refuses; each id becomes its value modulo 2**31 (still distinct, still matching
    every ``c:crossAx`` that names it). Not modulo 2**32: LibreOffice reads an id as a signed 32-bit
    number, and one above 2**31 - 1 detaches the axes (titles drawn over the tick labels)."""
    for tag in ("c:axId", "c:crossAx"):
        for element in chart_space.iter(qn(tag)):
            element.set("val", str(int(element.get("val")) % 2**31))


def _series_colors(plot, kind: str, colors: tuple[str, ...]) -> None:
    for index, (series, rgb) in enumerate(zip(plot.series, colors)):
        color = RGBColor.from_string(rgb)
        if kind in BAR_KINDS:
            _bar_fill(series.format.fill, index, rgb)
            series.format.line.color.rgb = color  # the outline keeps a patterned bar's edge in its colour
            continue
        series.smooth = False
        if kind == "scatter":  # points only: a line through unordered points means nothing
            series.format.line.fill.background()
        else:
            series.format.line.color.rgb = color
            series.format.line.width = Pt(LINE_WIDTH_PT)
            if index:  # a second cue besides colour: the dash pattern
                series.format.line.dash_style = DASHES[index % len(DASHES)]
        if kind == "cdf":
            series.marker.style = XL_MARKER_STYLE.NONE
        else:
            series.marker.style = MARKERS[index % len(MARKERS)]  # and the marker's shape
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = color
            series.marker.format.line.color.rgb = color


def _bar_fill(fill, index: int, rgb: str) -> None:
    """The first series solid, each further one hatched with a dark shade of its colour over the
    colour: bars of different series differ in texture as well as colour (the legend's swatches too)."""
    if index == 0:
        fill.solid()
        fill.fore_color.rgb = RGBColor.from_string(rgb)
        return
    fill.patterned()
    fill.pattern = PATTERNS[(index - 1) % len(PATTERNS)]
    fill.fore_color.rgb = RGBColor.from_string("".join(f"{round(c * (1 - SHADE)):02X}" for c in bytes.fromhex(rgb)))
    fill.back_color.rgb = RGBColor.from_string(rgb)


def _axes(chart, box: PlacedChart) -> None:
    """Both axes: labels upright in the chart font, titles with units, value gridlines."""
    block, colors = box.chart, dict(box.colors)
    category, value = chart.category_axis, chart.value_axis
    for axis, title in ((category, block.x_title), (value, block.y_title)):
        _font(axis.tick_labels.font, box)
        _upright(axis_element(axis))
        axis.format.line.color.rgb = RGBColor.from_string(colors.get("axis", box.style.color))
        axis.has_major_gridlines = False
        axis.has_title = bool(title)
        if title:
            frame = axis.axis_title.text_frame
            frame.text = title
            _font(frame.paragraphs[0].runs[0].font, box)
    value.has_major_gridlines = True
    value.major_gridlines.format.line.color.rgb = RGBColor.from_string(colors.get("gridline", box.style.color))
    if box.label_skip > 1:  # layout proved labels fit only at every k-th category
        _skip_labels(axis_element(category), box.label_skip)
    if block.kind in BAR_KINDS:
        value.minimum_scale = 0  # a bar's length is its value: never start the axis elsewhere
    if block.kind == "cdf":  # a share of samples runs from 0 to 1; renderers would pad it to 120%
        value.minimum_scale, value.maximum_scale = 0, 1
    value.tick_labels.number_format = block.number_format
    value.tick_labels.number_format_is_linked = False


def _skip_labels(axis_xml, every: int) -> None:
    """``c:tickLblSkip``/``c:tickMarkSkip``: a label (and tick) on every ``every``-th category. The
    schema puts them, in this order, just before ``c:noMultiLvlLbl``."""
    for tag in ("c:tickLblSkip", "c:tickMarkSkip"):
        element = axis_xml.find(qn(tag))
        if element is None:
            element = axis_xml.makeelement(qn(tag), {})
            anchor = axis_xml.find(qn("c:noMultiLvlLbl"))
            if anchor is not None:
                anchor.addprevious(element)
            else:
                axis_xml.append(element)
        element.set("val", str(every))


def _upright(axis_xml) -> None:
    """Tick labels horizontal: renderers otherwise rotate crowded category labels."""
    body_pr = axis_xml.find(f"{qn('c:txPr')}/{qn('a:bodyPr')}")
    body_pr.set("rot", "0")
    body_pr.set("vert", "horz")
