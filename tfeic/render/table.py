"""Native tables: exact column widths and row heights, header and band fills, highlighted cells.

Every cell is styled explicitly (fill, margins, font, colour, weight) under PowerPoint's built-in
"No Style, No Grid" table style, so PowerPoint and LibreOffice draw the same table and the row
heights the proof used hold. The frame is python-pptx's (``CT_GraphicalObjectFrame.new_table_graphicFrame``,
``CT_Table.new_tbl``), sized to the sums of the proven widths and heights.
"""

from __future__ import annotations

from dataclasses import replace

from ..ir import Paragraph, Span
from ..layout.placed import PlacedTable
from .markup import attr
from .text import ANCHORS, TextFormat, paragraphs_xml, solid_fill

NO_STYLE_TABLE_ID = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"  # every fill and colour comes from the cells
CELL_ANCHOR = "middle"
TABLE_URI = "http://schemas.openxmlformats.org/drawingml/2006/table"


def table_xml(box: PlacedTable, shape_id: int) -> str:
    """A ``graphicFrame`` table at ``box.rect`` with the header (if any) as its first row."""
    r = box.rect
    flags = ('firstRow="1"' if box.header is not None else "") + (' bandRow="1"' if box.band_fill is not None else "")
    grid = "".join(f'<a:gridCol w="{width}"/>' for width in box.col_widths)
    left, top, right, bottom = box.insets
    margins = f'marL="{left}" marR="{right}" marT="{top}" marB="{bottom}" anchor="{ANCHORS[CELL_ANCHOR]}"'
    heights = iter(box.row_heights)
    rows = []
    if box.header is not None:
        header_style = replace(box.style, color=box.header_color, bold=True)
        cells = (_cell(Span(value), TextFormat(header_style, align), margins, box.header_fill)
                 for value, align in zip(box.header, box.col_align))
        rows.append(f'<a:tr h="{next(heights)}">{"".join(cells)}</a:tr>')
    formats = [TextFormat(box.style, align) for align in box.col_align]
    for i, (values, height) in enumerate(zip(box.rows, heights)):
        fill = box.band_fill if i % 2 == 1 else None
        cells = (_cell(Span(value, bold=True, color="#" + box.highlight_color) if (i, j) in box.highlight else Span(value),
                       fmt, margins, fill) for j, (value, fmt) in enumerate(zip(values, formats)))
        rows.append(f'<a:tr h="{height}">{"".join(cells)}</a:tr>')
    return (f'<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="{shape_id}" name="{attr(box.name)}"/>'
            '<p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr>'
            f'<p:xfrm><a:off x="{r.x}" y="{r.y}"/><a:ext cx="{sum(box.col_widths)}" cy="{sum(box.row_heights)}"/></p:xfrm>'
            f'<a:graphic><a:graphicData uri="{TABLE_URI}"><a:tbl><a:tblPr{" " if flags else ""}{flags.strip()}>'
            f"<a:tableStyleId>{NO_STYLE_TABLE_ID}</a:tableStyleId></a:tblPr><a:tblGrid>{grid}</a:tblGrid>"
            f'{"".join(rows)}</a:tbl></a:graphicData></a:graphic></p:graphicFrame>')


def _cell(span: Span, fmt: TextFormat, margins: str, fill: str | None) -> str:
    properties = f"<a:tcPr {margins}>{solid_fill(fill)}</a:tcPr>" if fill else f"<a:tcPr {margins}/>"
    return (f"<a:tc><a:txBody><a:bodyPr/><a:lstStyle/>{paragraphs_xml((Paragraph(spans=(span,)),), fmt)}"
            f"</a:txBody>{properties}</a:tc>")
