"""Native tables: exact column widths and row heights, header and band fills, highlighted cells.

Every cell is styled explicitly (fill, margins, font, colour, weight) under PowerPoint's built-in
"No Style, No Grid" table style, so PowerPoint and LibreOffice draw the same table and the row
heights the proof used hold. The frame is python-pptx's (``CT_GraphicalObjectFrame.new_table_graphicFrame``,
``CT_Table.new_tbl``), sized to the sums of the proven widths and heights.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace

from ..ir import Span
from ..layout.placed import PlacedTable, TextStyle
from .markup import attr
from .text import ANCHORS, NO_SPAN, TextFormat, end_mark, paragraph_properties, run_properties, runs_xml, solid_fill

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
        header = _columns(replace(box.style, color=box.header_color, bold=True), box, margins, box.header_fill)
        rows.append(f'<a:tr h="{next(heights)}">{"".join(c.cell(v) for c, v in zip(header, box.header))}</a:tr>')
    plain = _columns(box.style, box, margins, None)
    banded = _columns(box.style, box, margins, box.band_fill) if box.band_fill else plain
    for i, (values, height) in enumerate(zip(box.rows, heights)):
        columns = banded if i % 2 == 1 else plain
        cells = (column.cell(value, (i, j) in box.highlight) for j, (column, value) in enumerate(zip(columns, values)))
        rows.append(f'<a:tr h="{height}">{"".join(cells)}</a:tr>')
    return (f'<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="{shape_id}" name="{attr(box.name)}"/>'
            '<p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr>'
            f'<p:xfrm><a:off x="{r.x}" y="{r.y}"/><a:ext cx="{sum(box.col_widths)}" cy="{sum(box.row_heights)}"/></p:xfrm>'
            f'<a:graphic><a:graphicData uri="{TABLE_URI}"><a:tbl><a:tblPr{" " if flags else ""}{flags.strip()}>'
            f"<a:tableStyleId>{NO_STYLE_TABLE_ID}</a:tableStyleId></a:tblPr><a:tblGrid>{grid}</a:tblGrid>"
            f'{"".join(rows)}</a:tbl></a:graphicData></a:graphic></p:graphicFrame>')


@dataclass(frozen=True)
class _Column:
    """What every cell of one column in one kind of row shares: a cell is its text between these."""

    head: str  # a:tc, a:txBody and the paragraph properties
    run: str  # a:rPr of a plain cell
    highlighted: str  # a:rPr of a highlighted cell (bold, in the highlight colour)
    tail: str  # the end mark, and the cell properties

    def cell(self, value: str, highlighted: bool = False) -> str:
        return f"{self.head}{runs_xml(value, self.highlighted if highlighted else self.run)}{self.tail}"


def _columns(style: TextStyle, box: PlacedTable, margins: str, fill: str | None) -> tuple[_Column, ...]:
    return _written_columns(style, box.col_align, box.highlight_color, margins, fill)


@functools.lru_cache(maxsize=256)
def _written_columns(style: TextStyle, aligns: tuple[str, ...], highlight: str, margins: str,
                     fill: str | None) -> tuple[_Column, ...]:
    """The columns of a kind of row, written once: a deck's tables share a few styles."""
    properties = f"<a:tcPr {margins}>{solid_fill(fill)}</a:tcPr>" if fill else f"<a:tcPr {margins}/>"
    columns = []
    for align in aligns:
        fmt = TextFormat(style, align)
        columns.append(_Column(f"<a:tc><a:txBody><a:bodyPr/><a:lstStyle/><a:p>{paragraph_properties(False, 0, fmt, True)}",
                               run_properties("a:rPr", fmt, NO_SPAN),
                               run_properties("a:rPr", fmt, Span("", bold=True, color="#" + highlight)),
                               f"{end_mark(fmt)}</a:p></a:txBody>{properties}</a:tc>"))
    return tuple(columns)
