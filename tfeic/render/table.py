"""Native tables: exact column widths and row heights, header and band fills, highlighted cells.

Every cell is styled explicitly (fill, margins, font, colour, weight) under the "no style" table
style, so PowerPoint and LibreOffice draw the same table and the row heights the proof used hold.
"""

from __future__ import annotations

from dataclasses import replace

from pptx.util import Emu

from ..ir import Paragraph, Span
from ..layout.placed import PlacedTable
from .oxml import cell_properties, plain_table, qn
from .text import TextFormat, write_paragraphs

CELL_ANCHOR = "middle"


def draw_table(shapes, box: PlacedTable) -> None:
    """A ``graphicFrame`` table at ``box.rect`` with the header (if any) as its first row."""
    grid = ([box.header] if box.header is not None else []) + list(box.rows)
    r = box.rect
    frame = shapes.add_table(len(grid), len(box.col_widths), r.x, r.y, r.w, r.h)
    frame.name = box.name
    tbl = frame.element.graphic.graphicData.tbl
    _sizes(frame, tbl, box)
    plain_table(tbl, box.header is not None, box.band_fill is not None)

    header_style = replace(box.style, color=box.header_color, bold=True)
    header_formats = [TextFormat(header_style, align) for align in box.col_align]
    body_formats = [TextFormat(box.style, align) for align in box.col_align]
    cells = [tr.findall(qn("a:tc")) for tr in tbl.iterchildren(qn("a:tr"))]
    if box.header is not None:
        for tc, text, fmt in zip(cells[0], box.header, header_formats):
            _fill_cell(tc, Span(text), fmt, box, box.header_fill)
        cells = cells[1:]
    for i, (tcs, values) in enumerate(zip(cells, box.rows)):
        fill = box.band_fill if i % 2 == 1 else None
        for j, (tc, text, fmt) in enumerate(zip(tcs, values, body_formats)):
            if (i, j) in box.highlight:
                span = Span(text, bold=True, color="#" + box.highlight_color)
            else:
                span = Span(text)
            _fill_cell(tc, span, fmt, box, fill)


def _sizes(frame, tbl, box: PlacedTable) -> None:
    """The proven column widths and row heights, and the frame's size as their sums: what setting
    python-pptx's ``_Column.width`` and ``_Row.height`` one by one writes, whose every call re-sums
    the whole grid through its object model (~15% of rendering a table deck)."""
    columns = tbl.find(qn("a:tblGrid")).findall(qn("a:gridCol"))
    rows = tbl.findall(qn("a:tr"))
    for column, width in zip(columns, box.col_widths):
        column.set("w", str(width))
    for row, height in zip(rows, box.row_heights):
        row.set("h", str(height))
    frame.width = Emu(sum(int(column.get("w")) for column in columns))
    frame.height = Emu(sum(int(row.get("h")) for row in rows))


def _fill_cell(tc, span: Span, fmt: TextFormat, box: PlacedTable, fill: str | None) -> None:
    """Text and properties of one ``a:tc`` (python-pptx's new cell holds both ``txBody`` and ``tcPr``)."""
    write_paragraphs(tc.find(qn("a:txBody")), (Paragraph(spans=(span,)),), fmt)
    cell_properties(tc.find(qn("a:tcPr")), box.insets, CELL_ANCHOR, fill)
