"""Charts written as strings (``render.chartxml``, ``render.workbook``) are what python-pptx wrote.

The golden files (``golden/charts/<name>.xml``: the chart part; ``<name>.frame.xml``: the slide's
``p:graphicFrame``) were written once by the python-pptx renderer (``render.chart.draw_chart`` on a
fresh slide, at commit 8d9bc46) for the charts below; the string writer must give the same bytes.
The workbook is read back with zipfile and lxml and checked cell by cell against values written out
here, and every part validates against the ISO/IEC 29500 schemas (``ooxml_validator``).
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from lxml import etree
from ooxml_validator import SCHEMAS, schema

from tfeic.ir import ChartBlock, Series
from tfeic.layout.placed import PlacedChart, Rect, TextStyle
from tfeic.render.chartxml import chart_frame_xml, chart_part_xml
from tfeic.render.workbook import chart_workbook

GOLDEN = Path(__file__).resolve().parent / "golden" / "charts"
CREATED = datetime(2026, 1, 2, 3, 4, 5)
STYLE = TextStyle("Arial", "Consolas", 18.0, "5B6776")
ODD_STYLE = TextStyle('Font & "Co" <x>', "Consolas", 10.5, "aabbcc")
PALETTE = ("0072B2", "E69F00", "009E73", "CC79A7", "56B4E9", "D55E00")
AXES = (("axis", "C9D1DB"), ("gridline", "E3E8EE"))
MARKUP = '0.0" <&>"'
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}


def placed(kind: str, series: tuple[Series, ...], categories: tuple[str, ...] = (), style: TextStyle = STYLE,
           colors: tuple[tuple[str, str], ...] = AXES, label_skip: int = 1, box_name: str = "chart",
           **chart) -> PlacedChart:
    block = ChartBlock(area="body", kind=kind, categories=categories, series=series, **chart)
    return PlacedChart(name=box_name, rect=Rect(457200, 1117600, 11277600, 4826000), chart=block, style=style,
                       series_colors=PALETTE[:len(series)], plot=(40.5, 12.25, 700.333, 300.0), colors=colors,
                       label_skip=label_skip)


CHARTS = {
    "bar": placed("bar", (Series("tokens/s", (1.0, 1.4)),), ("PyTorch", "TensorRT-LLM"), legend=False,
                  x_title="engine", y_title="tokens/s (x PyTorch)", number_format='0.0"x"'),
    "grouped_bar_horizontal": placed(
        "grouped_bar", (Series("a", (1.0, 2.0, 3.0)), Series("b", (2.0, None, 1.5)), Series("c", (0.5, 1.0, 2.0))),
        ("x", "y", "z"), horizontal=True, y_title="ms"),
    "stacked_bar_markup": placed(
        "stacked_bar", tuple(Series(name, (1.0, None, 2.5)) for name in ("a & b", "<c>", '"q"', "'s'")),
        ("one & two", "<three>", '"four"'), number_format=MARKUP, label_skip=2, x_title='"x" & <y>'),
    "line_end_labels": placed(
        "line", (Series("TTFT", (10.0, 12.0, 15.0)), Series("P99", (14.0, 15.0, 24.0)), Series("P50", (9.0, 9.5, 11.0))),
        ("1", "2", "4"), legend=False, end_labels=True, y_title="latency (ms)"),
    "xy_line": placed(
        "line", (Series("sweep", (3.0, 2.0, 1.0), x=(1.0, 4.0, 64.0)), Series("other", (1.0, None, 2.0), x=(1.0, 8.0, 64.0))),
        x_title="batch size\nlog scale", y_title="ms"),
    "scatter": placed("scatter", (Series("requests", (35.91, 19.71, 1e-7), x=(10.0, 50.0, 100.0)),), legend=False),
    "cdf": placed("cdf", tuple(Series(f"rank {i}", (0.25, 0.5, 1.0), x=(1.0 + i, 2.0 + i, 3.0 + i)) for i in range(5)),
                  x_title="latency (ms)", y_title="share of requests"),
    "line_six_series": placed(
        "line", tuple(Series(f"s{i}", (float(i), None, i + 0.5)) for i in range(6)), ("a", "b", "c"),
        style=ODD_STYLE, colors=(), number_format=MARKUP, y_title=" padded\rtitle "),
}


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_the_chart_part_is_what_python_pptx_wrote(name):
    assert chart_part_xml(CHARTS[name]) == (GOLDEN / f"{name}.xml").read_bytes()


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_the_graphic_frame_is_what_python_pptx_wrote(name):
    assert chart_frame_xml(CHARTS[name], 2, "rId2") == (GOLDEN / f"{name}.frame.xml").read_text(encoding="utf-8")


def test_a_frame_escapes_its_name_and_alt_text():
    box = placed("bar", (Series('a "b" <c> & d', (1.0,)),), ("x",), box_name="n & m")
    frame = etree.fromstring(f'<p:spTree xmlns:p="{P_NS}" xmlns:a="{A_NS}" xmlns:r="{R_NS}">'
                             f'{chart_frame_xml(box, 7, "rId9")}</p:spTree>')
    cnv = frame.find(f".//{{{P_NS}}}cNvPr")
    assert (cnv.get("id"), cnv.get("name"), cnv.get("descr")) == ("7", "n & m", 'bar chart; series: a "b" <c> & d')
    assert frame.find(f".//{{{NS['c']}}}chart").get(f"{{{R_NS}}}id") == "rId9"


P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_every_part_validates_against_the_schemas(name):
    parts = {"chart": chart_part_xml(CHARTS[name])}
    with zipfile.ZipFile(io.BytesIO(chart_workbook(CHARTS[name].chart, CREATED))) as book:
        parts.update((entry, book.read(entry)) for entry in book.namelist())
    for part, data in parts.items():
        root = etree.fromstring(data)
        validator = schema(SCHEMAS[etree.QName(root).namespace])
        assert validator.validate(root), f"{part}: {validator.error_log}"


def workbook_cells(xlsx: bytes) -> dict[str, tuple[object, str]]:
    """Each cell of the workbook's sheet: reference -> (value, number format code). A shared string is
    looked up, a number parsed, a blank cell is None; numFmtId 0 is "General"."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as book:
        strings = [si.findtext("m:t", namespaces=NS) for si in etree.fromstring(book.read("xl/sharedStrings.xml"))]
        styles = etree.fromstring(book.read("xl/styles.xml"))
        sheet = etree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    codes = {"0": "General", **{f.get("numFmtId"): f.get("formatCode") for f in styles.iterfind(".//m:numFmt", NS)}}
    formats = [codes[xf.get("numFmtId")] for xf in styles.find("m:cellXfs", NS)]
    cells: dict[str, tuple[object, str]] = {}
    for cell in sheet.iterfind(".//m:c", NS):
        raw = cell.findtext("m:v", namespaces=NS)
        value = strings[int(raw)] if cell.get("t") == "s" else None if raw is None else float(raw)
        cells[cell.get("r")] = (value, formats[int(cell.get("s", "0"))])
    return cells


def test_a_category_workbook_holds_categories_in_a_and_a_column_per_series():
    book = chart_workbook(CHARTS["stacked_bar_markup"].chart, CREATED)
    g, fmt = "General", MARKUP
    expected = {"A2": ("one & two", g), "A3": ("<three>", g), "A4": ('"four"', g)}
    for column, name in zip("BCDE", ("a & b", "<c>", '"q"', "'s'")):
        expected |= {f"{column}1": (name, g), f"{column}2": (1.0, fmt), f"{column}3": (None, fmt), f"{column}4": (2.5, fmt)}
    assert workbook_cells(book) == expected


def test_an_xy_workbook_holds_a_two_column_table_per_series():
    """Series 1 ("sweep", 3 points) fills rows 1-4; a blank row; series 2 ("other": its (8, None) point
    dropped, 2 points) fills rows 6-8."""
    book = chart_workbook(CHARTS["xy_line"].chart, CREATED)
    g = "General"
    assert workbook_cells(book) == {
        "B1": ("sweep", g), "A2": (1.0, g), "B2": (3.0, g), "A3": (4.0, g), "B3": (2.0, g), "A4": (64.0, g), "B4": (1.0, g),
        "B6": ("other", g), "A7": (1.0, g), "B7": (1.0, g), "A8": (64.0, g), "B8": (2.0, g)}


def test_the_chart_references_name_the_cells_holding_its_cached_values():
    """Every ``c:f`` of the chart part points at workbook cells equal to the cache beside it."""
    for name in ("grouped_bar_horizontal", "xy_line", "line_six_series"):
        cells = workbook_cells(chart_workbook(CHARTS[name].chart, CREATED))
        chart = etree.fromstring(chart_part_xml(CHARTS[name]))
        for ref in chart.iterfind(".//c:f", NS):
            cache = ref.getnext()
            column, top, bottom = _range(ref.text)
            cached = {int(pt.get("idx")): pt.findtext("c:v", namespaces=NS) for pt in cache.iterfind("c:pt", NS)}
            for offset, row in enumerate(range(top, bottom + 1)):
                value = cells.get(f"{column}{row}", (None, ""))[0]
                want = cached.get(offset)
                assert value == (None if want is None else float(want) if cache.tag.endswith("numCache") else want)


def _range(ref: str) -> tuple[str, int, int]:
    """("B", 2, 4) for ``Sheet1!$B$2:$B$4``; ("B", 1, 1) for ``Sheet1!$B$1``."""
    ends = ref.split("!")[1].replace("$", " ").split(":")
    (column, top), (_, bottom) = ends[0].split(), ends[-1].split()
    return column, int(top), int(bottom)


def test_special_strings_reach_the_workbook_as_excel_escapes_them():
    """A carriage return is Excel's ``_x000D_``; a literal ``_x0041_`` gets its underscore escaped
    (``_x005F_``) so Excel does not read it as "A"; text is never a formula."""
    block = ChartBlock(area="b", kind="bar", categories=("=1+1", "_x0041_"), series=(Series("a\rb", (1.0, 2.0)),))
    cells = workbook_cells(chart_workbook(block, CREATED))
    assert [cells[ref][0] for ref in ("A2", "A3", "B1")] == ["=1+1", "_x005F_x0041_", "a_x000D_b"]


def test_the_workbook_is_dated_created_and_byte_stable():
    block = CHARTS["bar"].chart
    book = chart_workbook(block, CREATED)
    assert book == chart_workbook(block, CREATED)
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        core = etree.fromstring(archive.read("docProps/core.xml"))
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    terms = "{http://purl.org/dc/terms/}"
    assert [core.findtext(f"{terms}{tag}") for tag in ("created", "modified")] == ["2026-01-02T03:04:05Z"] * 2


def test_writing_a_chart_imports_neither_python_pptx_nor_xlsxwriter_nor_lxml():
    """The point of the string writer (issue 19): a chart costs no object model and no XlsxWriter."""
    code = ("import sys, tfeic.render.chartxml, tfeic.render.workbook; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'pptx', 'xlsxwriter', 'lxml'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.stdout.strip() == "[]"
