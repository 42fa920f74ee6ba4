"""A native chart's part XML and its slide ``p:graphicFrame``, written as strings.

python-pptx builds a chart by formatting its chart XML writers' templates
(``pptx/chart/xmlwriter.py``: ``_BarChartXmlWriter``, ``_LineChartXmlWriter``,
``_XyChartXmlWriter`` and the series writers), parsing the text into an object model and editing it
element by element; tfeic's former ``render/chart.py`` (``draw_chart``, to commit 8d9bc46) then added the
styling layout decided. Doing that per
chart dominates a chart-heavy build (issue 19), so this module writes the finished part in one pass,
byte for byte what that path serialises (``tests/render/golden/charts`` holds its output):

- element order, attribute order and the empty-element forms are lxml's serialisation of the edited
  tree (python-pptx's ``serialize_part_xml``: ``<?xml ... standalone='yes'?>`` and a newline, then
  the root with no trailing newline);
- numbers: data points as ``str(value)`` (the writers' ``{value}``), axis bounds as
  ``str(float(value))`` (python-pptx's ``BaseFloatType``), the manual plot layout as ``{:.6f}``;
- axis ids are the writers' template ids taken modulo 2**31 (``draw_chart``'s ``_positive_axis_ids``);
- text is escaped three ways, as each string reached the XML: series names, categories and the
  data number format were pasted into the template (escaped for ``& < >``) and re-parsed, so a
  carriage return became a line feed (XML end-of-line handling); attribute values set through lxml
  (names, alt text, typefaces, the axis number format) escape ``& < > "`` and tab, line feed and
  carriage return as character references; axis titles went through python-pptx's
  ``TextFrame.text``: one paragraph per line, other C0 controls as ``_xHHHH_``.

Strings arrive XML-safe (``render.xmltext.xml_safe``: no C0 control but tab, line feed and carriage
return). The part's ``c:externalData`` names the embedded workbook (``render.workbook``) as
``rId1``, the chart part's only relationship.
"""

from __future__ import annotations

import re

from ..ir import ChartBlock
from ..layout.charts import value_range
from ..layout.placed import EMU_PER_PT, PlacedChart, TextStyle
from .markup import XML_DECLARATION, attr, nsdecls, text

C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
NAMESPACES = nsdecls("c", "a", "r")
WORKBOOK_RID = "rId1"

LINE_WIDTH = 28575  # EMU: 2.25 pt, a line series' width
SCATTER_LINE_WIDTH = 47625  # EMU: the XY_SCATTER template's (hidden) line
GAP_WIDTH = 60  # percent of a bar's width between category groups
BAR_KINDS = ("bar", "grouped_bar", "stacked_bar")
# Series differ in marker shape, dash and hatching as well as colour ; these are
# the XML values of python-pptx's XL_MARKER_STYLE, MSO_LINE_DASH_STYLE and MSO_PATTERN members used.
MARKERS = ("circle", "square", "triangle", "diamond", "x")
DASHES = ("solid", "dash", "sysDot", "lgDashDot")
PATTERNS = ("wdUpDiag", "dkVert", "smGrid")
SHADE = 0.45  # a hatched bar's lines: its colour mixed this far toward black
# (category axis id, value axis id) of python-pptx's bar, line and XY templates, modulo 2**31
AXIS_IDS = {"bar": (-2068027336 % 2**31, -2113994440 % 2**31), "line": (2118791784, 2140495176),
            "xy": (-2128940872 % 2**31, -2129643912 % 2**31)}
_RUN_CONTROLS = re.compile(r"[\x00-\x08\x0B-\x1F]")  # python-pptx's CT_RegularTextRun._escape_ctrl_chars


def _pasted(tag: str, value: str) -> str:
    """``<tag>value</tag>`` for text python-pptx pasted into its XML template and parsed again: line
    ends normalised to a line feed, and an empty element written self-closed."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return f"<{tag}>{text(value)}</{tag}>" if value else f"<{tag}/>"


def chart_kind(chart: ChartBlock) -> str:
    """The kind as drawn: a line whose series carry x values is an XY line."""
    return "xy_line" if chart.kind == "line" and chart.numeric_x else chart.kind


def chart_alt_text(chart: ChartBlock) -> str:
    """What a screen reader says for the chart: its kind, what it plots against what, its series."""
    kind = {"cdf": "cumulative distribution", "grouped_bar": "grouped bar", "stacked_bar": "stacked bar"}.get(chart.kind, chart.kind)
    axes = " by ".join(t for t in (chart.y_title, chart.x_title) if t)
    series = ", ".join(s.name for s in chart.series)
    return f"{kind} chart" + (f" of {axes}" if axes else "") + (f"; series: {series}" if series else "")


def chart_frame_xml(box: PlacedChart, shape_id: int, rId: str) -> str:
    """The slide's ``p:graphicFrame`` holding the chart related as ``rId`` (python-pptx's
    ``CT_GraphicalObjectFrame.new_chart_graphicFrame``, named and described as ``draw_chart`` does),
    for a ``p:spTree`` whose slide declares the ``p``, ``a`` and ``r`` prefixes."""
    r = box.rect
    return (f'<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="{shape_id}" name="{attr(box.name)}" '
            f'descr="{attr(chart_alt_text(box.chart))}"/><p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/>'
            f'</p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr><p:xfrm><a:off x="{r.x}" y="{r.y}"/>'
            f'<a:ext cx="{r.w}" cy="{r.h}"/></p:xfrm><a:graphic><a:graphicData uri="{C_NS}">'
            f'<c:chart xmlns:c="{C_NS}" r:id="{attr(rId)}"/></a:graphicData></a:graphic></p:graphicFrame>')


def chart_part_xml(box: PlacedChart) -> bytes:
    """The chart part (``c:chartSpace``) of ``box``, as ``draw_chart`` leaves it."""
    chart = box.chart
    xy = chart.numeric_x
    font = _Font(box.style)
    family = "bar" if chart.kind in BAR_KINDS else "xy" if xy else "line"
    parts = [XML_DECLARATION, f"<c:chartSpace {NAMESPACES}>", "" if xy else '<c:date1904 val="0"/>',
             '<c:chart><c:autoTitleDeleted val="1"/><c:plotArea>', _plot_layout(box),
             _plot(box, family, font), _axes(box, family, font), "</c:plotArea>"]
    if chart.legend:
        layout = "" if family == "bar" else "<c:layout/>"  # the line and XY templates' legend has one
        parts.append(f'<c:legend><c:legendPos val="b"/>{layout}<c:overlay val="0"/>{font.tx_pr()}</c:legend>')
    visible_only = family != "bar"  # only the line and XY templates write these two
    parts += ['<c:plotVisOnly val="1"/>' if visible_only else "", '<c:dispBlanksAs val="gap"/>',
              '<c:showDLblsOverMax val="0"/>' if visible_only else "", "</c:chart>",
              "<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>",
              f'<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr>{font.props("a:defRPr")}</a:pPr>'
              '<a:endParaRPr lang="en-US"/></a:p></c:txPr>',
              f'<c:externalData r:id="{WORKBOOK_RID}"><c:autoUpdate val="0"/></c:externalData></c:chartSpace>']
    return "".join(parts).encode()


class _Font:
    """The chart's one text style as DrawingML run properties (``draw_chart``'s ``_font``)."""

    def __init__(self, style: TextStyle):
        size = int(style.size * EMU_PER_PT) // 127  # python-pptx: Pt(size).centipoints
        self._inner = (f'sz="{size}" b="0"><a:solidFill><a:srgbClr val="{style.color.upper()}"/></a:solidFill>'
                       f'<a:latin typeface="{attr(style.family)}"/>')

    def props(self, tag: str) -> str:
        return f"<{tag} {self._inner}</{tag}>"

    def tx_pr(self, body: str = "") -> str:
        """A ``c:txPr`` python-pptx adds to an element on first use of its font."""
        return f'<c:txPr><a:bodyPr{body}/><a:lstStyle/><a:p><a:pPr>{self.props("a:defRPr")}</a:pPr></a:p></c:txPr>'


def _plot_layout(box: PlacedChart) -> str:
    """The inner plot area pinned to layout's rectangle, as fractions of the chart."""
    width, height = box.rect.w / EMU_PER_PT, box.rect.h / EMU_PER_PT
    x, y, w, h = box.plot
    return ('<c:layout><c:manualLayout><c:layoutTarget val="inner"/><c:xMode val="edge"/><c:yMode val="edge"/>'
            f'<c:x val="{x / width:.6f}"/><c:y val="{y / height:.6f}"/><c:w val="{w / width:.6f}"/>'
            f'<c:h val="{h / height:.6f}"/></c:manualLayout></c:layout>')


def _solid(rgb: str) -> str:
    return f'<a:solidFill><a:srgbClr val="{rgb.upper()}"/></a:solidFill>'


def _plot(box: PlacedChart, family: str, font: _Font) -> str:
    chart = box.chart
    cat_id, val_id = AXIS_IDS[family]
    series = "".join(_series(box, index, font) for index in range(len(chart.series)))
    ids = f'<c:axId val="{cat_id}"/><c:axId val="{val_id}"/>'
    if family == "bar":
        stacked = chart.kind == "stacked_bar"
        overlap = '<c:overlap val="100"/>' if stacked else ""
        return (f'<c:barChart><c:barDir val="{"bar" if chart.horizontal else "col"}"/>'
                f'<c:grouping val="{"stacked" if stacked else "clustered"}"/><c:varyColors val="0"/>{series}'
                f'<c:gapWidth val="{GAP_WIDTH}"/>{overlap}{ids}</c:barChart>')
    if family == "line":
        return (f'<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>{series}'
                f'<c:marker val="1"/><c:smooth val="0"/>{ids}</c:lineChart>')
    return f'<c:scatterChart><c:scatterStyle val="lineMarker"/><c:varyColors val="0"/>{series}{ids}</c:scatterChart>'


def _series(box: PlacedChart, index: int, font: _Font) -> str:
    """One ``c:ser``: name, styling, end label, then its data (the workbook's cells)."""
    chart = box.chart
    s = chart.series[index]
    kind = chart_kind(chart)
    rgb = box.series_colors[index] if index < len(box.series_colors) else None
    head = f'<c:ser><c:idx val="{index}"/><c:order val="{index}"/>'
    if chart.numeric_x:
        pairs = [(x, y) for x, y in zip(s.x or (), s.values) if x is not None and y is not None]
        row = 2 * index + sum(_point_count(other) for other in chart.series[:index])  # XyWorkbookWriter's rows
        first, last = row + 2, row + 1 + len(pairs)
        return (f"{head}{_name(f'Sheet1!$B${row + 1}', s.name)}{_line_series_style(kind, index, rgb)}"
                f"{_end_label(chart, len(pairs), font)}"
                f"<c:xVal>{_num_ref(f'Sheet1!$A${first}:$A${last}', chart.number_format, [x for x, _ in pairs])}</c:xVal>"
                f"<c:yVal>{_num_ref(f'Sheet1!$B${first}:$B${last}', chart.number_format, [y for _, y in pairs])}</c:yVal>"
                '<c:smooth val="0"/></c:ser>')
    column = column_letter(2 + index)  # CategoryWorkbookWriter: categories in A, a series per column
    style = _bar_style(index, rgb) if kind in BAR_KINDS else _line_series_style(kind, index, rgb)
    points = "".join(f'<c:pt idx="{i}">{_pasted("c:v", label)}</c:pt>' for i, label in enumerate(chart.categories))
    return (f"{head}{_name(f'Sheet1!${column}$1', s.name)}{style}{_end_label(chart, len(s.values), font)}"
            f"<c:cat><c:strRef><c:f>Sheet1!$A$2:$A${len(chart.categories) + 1}</c:f><c:strCache>"
            f'<c:ptCount val="{len(chart.categories)}"/>{points}</c:strCache></c:strRef></c:cat>'
            f"<c:val>{_num_ref(f'Sheet1!${column}$2:${column}${len(s.values) + 1}', chart.number_format, s.values)}</c:val>"
            + ("" if kind in BAR_KINDS else '<c:smooth val="0"/>') + "</c:ser>")


def _point_count(series) -> int:
    return sum(1 for x, y in zip(series.x or (), series.values) if x is not None and y is not None)


def column_letter(number: int) -> str:
    """The spreadsheet column name of 1-based column ``number``: A..Z, AA.. (python-pptx's
    ``CategoryWorkbookWriter._column_reference``)."""
    name = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        name = chr(ord("A") + remainder) + name
    return name


def _name(ref: str, name: str) -> str:
    return (f'<c:tx><c:strRef><c:f>{ref}</c:f><c:strCache><c:ptCount val="1"/><c:pt idx="0">{_pasted("c:v", name)}'
            "</c:pt></c:strCache></c:strRef></c:tx>")


def _num_ref(ref: str, number_format: str, values) -> str:
    points = "".join(f'<c:pt idx="{i}"><c:v>{value}</c:v></c:pt>' for i, value in enumerate(values) if value is not None)
    return (f"<c:numRef><c:f>{ref}</c:f><c:numCache>{_pasted('c:formatCode', number_format)}"
            f'<c:ptCount val="{len(values)}"/>{points}</c:numCache></c:numRef>')


def _bar_style(index: int, rgb: str | None) -> str:
    """The first series solid, each further one hatched with a dark shade of its colour over the
    colour; the outline in the colour."""
    if rgb is None:
        return ""
    if index == 0:
        fill = _solid(rgb)
    else:
        shade = "".join(f"{round(c * (1 - SHADE)):02X}" for c in bytes.fromhex(rgb))
        fill = (f'<a:pattFill prst="{PATTERNS[(index - 1) % len(PATTERNS)]}"><a:fgClr><a:srgbClr val="{shade}"/>'
                f'</a:fgClr><a:bgClr><a:srgbClr val="{rgb.upper()}"/></a:bgClr></a:pattFill>')
    return f"<c:spPr>{fill}<a:ln>{_solid(rgb)}</a:ln></c:spPr>"


def _line_series_style(kind: str, index: int, rgb: str | None) -> str:
    """A line, CDF, XY line or scatter series' ``c:spPr`` and ``c:marker``: coloured line (dashed
    after the first), or none for scatter; a marker shape per series, none for a CDF."""
    if kind == "scatter":
        line = f'<c:spPr><a:ln w="{SCATTER_LINE_WIDTH}"><a:noFill/></a:ln></c:spPr>'
    elif rgb is None:
        line = ""
    else:
        dash = f'<a:prstDash val="{DASHES[index % len(DASHES)]}"/>' if index else ""
        line = f'<c:spPr><a:ln w="{LINE_WIDTH}">{_solid(rgb)}{dash}</a:ln></c:spPr>'
    if kind == "cdf":
        return line + '<c:marker><c:symbol val="none"/></c:marker>'
    if rgb is None:
        return line
    return (f'{line}<c:marker><c:symbol val="{MARKERS[index % len(MARKERS)]}"/><c:spPr>{_solid(rgb)}'
            f"<a:ln>{_solid(rgb)}</a:ln></c:spPr></c:marker>")


def _end_label(chart: ChartBlock, points: int, font: _Font) -> str:
    """The series named by a data label right of its last point (``draw_chart``'s ``_end_labels``)."""
    if not chart.end_labels:
        return ""
    flags = '<c:showLegendKey val="0"/><c:showVal val="0"/><c:showCatName val="0"/><c:showSerName val="{}"/>' \
            '<c:showPercent val="0"/><c:showBubbleSize val="0"/>'
    return (f'<c:dLbls><c:dLbl><c:idx val="{points - 1}"/><c:spPr/>{font.tx_pr()}<c:dLblPos val="r"/>'
            f'{flags.format(1)}</c:dLbl>{flags.format(0)}<c:showLeaderLines val="1"/></c:dLbls>')


def _axes(box: PlacedChart, family: str, font: _Font) -> str:
    """The category (or x) axis, then the value axis: upright labels in the chart font, titles,
    value gridlines, pinned bounds, the value number format."""
    chart = box.chart
    colors = dict(box.colors)
    line = f'<c:spPr><a:ln>{_solid(colors.get("axis", box.style.color))}</a:ln></c:spPr>'
    labels = line + font.tx_pr(' rot="0" vert="horz"')
    ticks = '<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
    cat_id, val_id = AXIS_IDS[family]
    across = family == "bar" and chart.horizontal
    skip = (f'<c:tickLblSkip val="{box.label_skip}"/><c:tickMarkSkip val="{box.label_skip}"/>'
            if box.label_skip > 1 else "")
    head = f'<c:axId val="{cat_id}"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
    if family == "xy":
        category = (f'<c:valAx>{head}<c:axPos val="b"/>{_title(chart.x_title, font)}'
                    f'<c:numFmt formatCode="General" sourceLinked="1"/>{ticks}{labels}<c:crossAx val="{val_id}"/>'
                    f'<c:crosses val="autoZero"/><c:crossBetween val="midCat"/>{skip}</c:valAx>')
    else:
        category = (f'<c:catAx>{head}<c:axPos val="{"l" if across else "b"}"/>{_title(chart.x_title, font)}{ticks}'
                    f'{labels}<c:crossAx val="{val_id}"/><c:crosses val="autoZero"/><c:auto val="1"/>'
                    f'<c:lblAlgn val="ctr"/><c:lblOffset val="100"/>{skip}<c:noMultiLvlLbl val="0"/></c:catAx>')
    bounds = _bounds(chart)
    scaling = ('<c:orientation val="minMax"/>' if family == "xy" else "") + "".join(
        f'<c:{tag} val="{float(bounds[tag])}"/>' for tag in ("max", "min") if tag in bounds)
    grid = f'<c:majorGridlines><c:spPr><a:ln>{_solid(colors.get("gridline", box.style.color))}</a:ln></c:spPr></c:majorGridlines>'
    value = (f'<c:valAx><c:axId val="{val_id}"/>' + (f"<c:scaling>{scaling}</c:scaling>" if scaling else "<c:scaling/>")
             + f'<c:delete val="0"/><c:axPos val="{"b" if across else "l"}"/>{grid}{_title(chart.y_title, font)}'
             f'<c:numFmt formatCode="{attr(chart.number_format)}" sourceLinked="0"/>{ticks}{labels}'
             f'<c:crossAx val="{cat_id}"/><c:crosses val="autoZero"/>'
             + ('<c:crossBetween val="midCat"/>' if family == "xy" else "") + "</c:valAx>")
    return category + value


def _bounds(chart: ChartBlock) -> dict[str, float]:
    """The value axis's pinned ends: bars from 0, a CDF from 0 to 1, end labels at layout's range."""
    bounds: dict[str, float] = {}
    if chart.kind in BAR_KINDS:
        bounds["min"] = 0
    if chart.kind == "cdf":
        bounds.update(min=0, max=1)
    if chart.end_labels:
        bounds["min"], bounds["max"] = value_range(chart)
    return bounds


def _title(title: str, font: _Font) -> str:
    """An axis title as python-pptx's ``TextFrame.text`` writes it (a paragraph per line; runs
    split at vertical tabs cannot occur: ``xml_safe`` replaced them), the first run in the chart font."""
    if not title:
        return ""
    paragraphs = []
    for number, line in enumerate(title.split("\n")):
        line = text(_RUN_CONTROLS.sub(lambda m: f"_x{ord(m.group()):04X}_", line))
        props = font.props("a:rPr") if number == 0 else ""
        paragraphs.append(f"<a:p><a:r>{props}<a:t>{line}</a:t></a:r></a:p>" if line else "<a:p/>")
    return (f'<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/>{"".join(paragraphs)}</c:rich></c:tx>'
            '<c:layout/><c:overlay val="0"/></c:title>')
