"""A chart's embedded workbook (.xlsx), written directly: what PowerPoint's "Edit Data" opens.

The cells are laid out as python-pptx's workbook writers lay them out (``pptx/chart/xlsx.py``), so
the chart part's ``c:f`` references (``render.chartxml``) name them:

- a category chart (``CategoryWorkbookWriter``): categories down column A from row 2, each series
  in the next column, its name in row 1 and its values below (a missing value is a blank cell);
- an XY chart (``XyWorkbookWriter``): per series a two-column table, the name over column B, then
  one row per point, x in A and y in B; each table starts after the previous one and a blank row.

The package is modelled on what XlsxWriter 3.3 writes for python-pptx today (the parts and their
order: ``xlsxwriter/packager.py``; ``workbook.py``, ``worksheet.py``, ``styles.py``,
``sharedstrings.py``, ``contenttypes.py``, ``core.py``, ``app.py`` for each part's content), minus
its theme part, which nothing here refers to. Differences that are deliberate: a string is always a
string (XlsxWriter's ``write`` turns one starting with ``=`` into a formula and a URL-like one into a
hyperlink; data is untrusted and never becomes code), rows carry no optional ``spans``, a
non-finite number is a blank cell (XlsxWriter refuses it), and a string with leading or trailing
whitespace has no ``xml:space="preserve"`` (the schema's ``ST_Xstring`` ``t`` allows no attribute,
and every part must validate: ``tests/render/ooxml_validator.py``). As there: numbers as
``{:.16G}``, strings shared, C0 controls and literal ``_xHHHH_`` escaped as Excel escapes them, the
value cells in the chart's number format, the document dated ``created``. Zip entries are written with fixed metadata (``render.archive``), so
equal charts give equal bytes.
"""

from __future__ import annotations

import math
import re
from datetime import datetime

from ..ir import ChartBlock
from .archive import write_entries
from .chartxml import column_letter
from .markup import attr, text

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
SML_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CATEGORY_STYLE, VALUE_STYLE = 1, 2  # cellXfs indexes: categories (General), values (the chart's format)
CATEGORY_WIDTH = "10.7109375"  # python-pptx's set_column(0, 0, 10), as XlsxWriter writes a width of 10
_LITERAL_ESCAPE = re.compile(r"(_x[0-9a-fA-F]{4}_)")  # xlsxwriter/xmlwriter.py re_control_chars_1, _2
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f]")

Cell = tuple[int, int, "str | float | None", int]  # 0-based row, column, value (None: blank), style


def chart_workbook(chart: ChartBlock, created: datetime) -> bytes:
    """The .xlsx embedded behind ``chart``, dated ``created``."""
    cells = _xy_cells(chart) if chart.numeric_x else _category_cells(chart)
    written = [value for _, _, value, _ in cells if isinstance(value, str) and value]
    strings: dict[str, int] = {}
    for value in written:  # numbered in the order python-pptx's writers write them, as XlsxWriter does
        strings.setdefault(value, len(strings))
    sheet = _worksheet(cells, strings, category_column=not chart.numeric_x)
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    return write_entries([
        ("[Content_Types].xml", _CONTENT_TYPES.encode()),
        ("_rels/.rels", _ROOT_RELS.encode()),
        ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS.encode()),
        ("xl/worksheets/sheet1.xml", sheet.encode()),
        ("xl/workbook.xml", _WORKBOOK.encode()),
        ("xl/sharedStrings.xml", _shared_strings(strings, len(written)).encode()),
        ("xl/styles.xml", _styles(chart.number_format).encode()),
        ("docProps/core.xml", _CORE.format(stamp=stamp).encode()),
        ("docProps/app.xml", _APP.encode()),
    ])


def _category_cells(chart: ChartBlock) -> list[Cell]:
    cells: list[Cell] = [(row, 0, label, CATEGORY_STYLE) for row, label in enumerate(chart.categories, 1)]
    for column, series in enumerate(chart.series, 1):
        cells.append((0, column, series.name, 0))
        cells.extend((row, column, value, VALUE_STYLE) for row, value in enumerate(series.values, 1))
    return cells


def _xy_cells(chart: ChartBlock) -> list[Cell]:
    cells: list[Cell] = []
    top = 0
    for series in chart.series:
        points = [(x, y) for x, y in zip(series.x or (), series.values) if x is not None and y is not None]
        cells.append((top, 1, series.name, 0))
        for row, (x, y) in enumerate(points, top + 1):
            cells += [(row, 0, x, VALUE_STYLE), (row, 1, y, VALUE_STYLE)]
        top += len(points) + 2
    return cells


def _worksheet(cells: list[Cell], strings: dict[str, int], category_column: bool) -> str:
    """``xl/worksheets/sheet1.xml``: the cells row by row, each row's cells left to right."""
    rows: dict[int, list[str]] = {}
    for row, column, value, style in sorted(cells, key=lambda cell: (cell[0], cell[1])):
        ref = f"{column_letter(column + 1)}{row + 1}"
        styled = f' s="{style}"' if style else ""
        if isinstance(value, str) and value:
            rows.setdefault(row, []).append(f'<c r="{ref}"{styled} t="s"><v>{strings[value]}</v></c>')
        elif value is None or isinstance(value, str) or not math.isfinite(value):
            rows.setdefault(row, []).append(f'<c r="{ref}"{styled}/>')
        else:
            rows.setdefault(row, []).append(f'<c r="{ref}"{styled}><v>{value:.16G}</v></c>')
    data = "".join(f'<row r="{row + 1}">{"".join(row_cells)}</row>' for row, row_cells in rows.items())
    if cells:
        first = f"{column_letter(min(c[1] for c in cells) + 1)}{min(c[0] for c in cells) + 1}"
        last = f"{column_letter(max(c[1] for c in cells) + 1)}{max(c[0] for c in cells) + 1}"
        dimension = first if first == last else f"{first}:{last}"
    else:
        dimension = "A1"
    cols = f'<cols><col min="1" max="1" width="{CATEGORY_WIDTH}" customWidth="1"/></cols>' if category_column else ""
    return (f'{XML_DECLARATION}<worksheet xmlns="{SML_NS}" xmlns:r="{REL_NS}"><dimension ref="{dimension}"/>'
            '<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/>{cols}<sheetData>{data}</sheetData>'
            '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>')


def _shared_strings(strings: dict[str, int], count: int) -> str:
    """``xl/sharedStrings.xml``: each distinct string once, in first-use order (``sharedstrings.py``)."""
    items = []
    for value in strings:
        value = _CONTROLS.sub(lambda m: f"_x{ord(m.group()):04X}_", _LITERAL_ESCAPE.sub(r"_x005F\1", value))
        value = value.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
        items.append(f"<si><t>{text(value)}</t></si>")
    return (f'{XML_DECLARATION}<sst xmlns="{SML_NS}" count="{count}" uniqueCount="{len(strings)}">'
            f'{"".join(items)}</sst>')


def _styles(number_format: str) -> str:
    """``xl/styles.xml``: the default cell format, the categories' (General) and the values' (the
    chart's number format: General and "0" are built in, any other is custom format 164)."""
    builtin = {"General": 0, "": 0, "0": 1}
    value_id = builtin.get(number_format, 164)
    custom = (f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{attr(number_format)}"/></numFmts>'
              if value_id == 164 else "")
    applied = ' applyNumberFormat="1"' if value_id else ""
    return (f'{XML_DECLARATION}<styleSheet xmlns="{SML_NS}">{custom}'
            '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
            '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            f'<xf numFmtId="{value_id}" fontId="0" fillId="0" borderId="0" xfId="0"{applied}/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/>'
            '<tableStyles count="0" defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/>'
            "</styleSheet>")


_CONTENT_TYPES = (
    f'{XML_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>")
_ROOT_RELS = (
    f'{XML_DECLARATION}<Relationships xmlns="{PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
    f'<Relationship Id="rId2" Type="{PKG_REL_NS}/metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{REL_NS}/extended-properties" Target="docProps/app.xml"/></Relationships>')
_WORKBOOK_RELS = (
    f'{XML_DECLARATION}<Relationships xmlns="{PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{REL_NS}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId3" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
_WORKBOOK = (
    f'{XML_DECLARATION}<workbook xmlns="{SML_NS}" xmlns:r="{REL_NS}">'
    '<fileVersion appName="xl" lastEdited="4" lowestEdited="4" rupBuild="4505"/>'
    '<workbookPr defaultThemeVersion="124226"/><bookViews><workbookView xWindow="240" yWindow="15" '
    'windowWidth="16095" windowHeight="9660"/></bookViews><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/>'
    '</sheets><calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')
_CORE = (
    XML_DECLARATION + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    '<dc:creator></dc:creator><cp:lastModifiedBy></cp:lastModifiedBy>'
    '<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>')
_APP = (
    f'{XML_DECLARATION}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
    '<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant>'
    '<vt:variant><vt:i4>1</vt:i4></vt:variant></vt:vector></HeadingPairs><TitlesOfParts>'
    '<vt:vector size="1" baseType="lpstr"><vt:lpstr>Sheet1</vt:lpstr></vt:vector></TitlesOfParts>'
    "<Company></Company><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    "<HyperlinksChanged>false</HyperlinksChanged><AppVersion>12.0000</AppVersion></Properties>")
