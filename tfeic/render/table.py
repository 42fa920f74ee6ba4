"""Native tables: exact column widths and row heights, header and band fills, highlighted cells.

Every cell is styled explicitly (fill, margins, font, colour, weight) under the "no style" table
style, so PowerPoint and LibreOffice draw the same table and the row heights the proof used hold.
"""

from __future__ import annotations

from dataclasses import replace

from ..ir import Paragraph, Span
from ..layout.placed import PlacedTable
from .oxml import cell_properties, plain_table
from .text import TextFormat, write_paragraphs

CELL_ANCHOR = "middle"


def draw_table(shapes, box: PlacedTable) -> None:
    """A ``graphicFrame`` table at ``box.rect`` with the header (if any) as its first row."""
    grid = ([box.header] if box.header is not None else []) + list(box.rows)
    r = box.rect
    frame = shapes.add_table(len(grid), len(box.col_widths), r.x, r.y, r.w, r.h)
    frame.name = box.name
    table = frame.table
    for column, width in zip(table.columns, box.col_widths):
        column.width = width
    for row, height in zip(table.rows, box.row_heights):
        row.height = height
    tbl = frame.element.graphic.graphicData.tbl
    plain_table(tbl, box.header is not None, box.band_fill is not None)

    header_style = replace(box.style, color=box.header_color, bold=True)
    header_formats = [TextFormat(header_style, align) for align in box.col_align]
    body_formats = [TextFormat(box.style, align) for align in box.col_align]
    cells = [tr.tc_lst for tr in tbl.tr_lst]
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


def _fill_cell(tc, span: Span, fmt: TextFormat, box: PlacedTable, fill: str | None) -> None:
    write_paragraphs(tc.txBody, (Paragraph(spans=(span,)),), fmt)
    cell_properties(tc.get_or_add_tcPr(), box.insets, CELL_ANCHOR, fill)
