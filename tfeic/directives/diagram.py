"""``diagram``: boxes and arrows from the spec, laid out on a grid the directive computes.

Nodes have ids, labels, an optional grid cell (row, col) and colour; nodes without a cell fill the
free cells row by row (``columns`` per row). Each node is a rounded rectangle centred in its cell,
leaving gutters between cells for the arrows and their labels. An edge leaves the side of its
source that faces the target (left/right when the column distance dominates, else top/bottom) and
ends on the facing side of the target, so arrows never cross the boxes they join. Edge labels sit
in the gutter next to the arrow's midpoint; the layout engine proves every label fits its rect.

Also home of the small helpers the other drawing directives share (``label``, ``legend``, ``need_source``).
"""

from __future__ import annotations

from ..core.diagnostics import SpecError
from ..ir import Block, Paragraph, Shape, ShapesBlock, Slide, Span
from . import slide_diagnostic, DIRECTIVES, Directive
from .blocks import text_block

NODE_W, NODE_H = 0.66, 0.52  # of a cell: the rest is gutter for arrows and labels
EDGE_LABEL_H = 0.16  # of a cell's height


def label(text: str, **span) -> tuple[Paragraph, ...]:
    """One centred paragraph of shape text; ``\\n`` in the text starts a new paragraph."""
    return tuple(Paragraph((Span(line, **span),)) for line in text.split("\n"))


def legend(entries: list[tuple[str, str]], x: float, y: float, w: float, h: float) -> list[Shape]:
    """A row of (colour, text) swatches inside the rect (x, y, w, h) of a drawing."""
    shapes = []
    step = w / max(1, len(entries))
    for i, (color, text) in enumerate(entries):
        x0 = x + i * step
        sw = min(h * 0.5, step * 0.08)
        shapes.append(Shape("rect", x0, y + (h - sw) / 2, sw, sw, fill=color, name=f"legend {text}"))
        shapes.append(Shape("rect", x0 + sw + 0.005, y, step - sw - 0.01, h, text=label(text), role="caption",
                            align="left", name=f"legend label {text}"))
    return shapes


def need_source(spec, data: dict, kind: str):
    """The slide's resolved ``source``, or a SpecError naming the missing source and its kind."""
    if "source" not in data:
        name = spec.options.get("source", kind)
        raise SpecError(slide_diagnostic(spec, "", f"no {kind} source named {name!r}", spec.pos_of("source"),
                                         hint=f"declare it under sources: with kind: {kind}"))
    return data["source"]


def _place(nodes: list[dict], columns: int, spec) -> dict[str, tuple[int, int]]:
    """Grid cells by node id: given cells first, then free cells row by row for the rest."""
    cells: dict[str, tuple[int, int] | None] = {}  # None: placed in the next free cell
    taken: dict[tuple[int, int], str] = {}
    for i, node in enumerate(nodes):
        if node["id"] in cells:
            raise SpecError(slide_diagnostic(spec, f"nodes[{i}]", f"duplicate node id {node['id']!r}", spec.pos_of("nodes", i, "id")))
        if "row" in node or "col" in node:
            cell = (int(node.get("row", 0)), int(node.get("col", 0)))
            if cell in taken:
                raise SpecError(slide_diagnostic(spec, f"nodes[{i}]", f"cell {list(cell)} already holds {taken[cell]!r}",
                                                 spec.pos_of("nodes", i)))
            cells[node["id"]], taken[cell] = cell, node["id"]
        else:
            cells[node["id"]] = None
    free = 0
    for node in nodes:
        if cells[node["id"]] is None:
            while divmod(free, columns) in taken:
                free += 1
            cell = divmod(free, columns)
            cells[node["id"]], taken[cell] = cell, node["id"]
    return {name: cell for name, cell in cells.items() if cell is not None}  # every node now has its cell


def _sides(a: tuple[int, int], b: tuple[int, int], cw: float, ch: float) -> tuple[float, float, float, float]:
    """Start and end points of an arrow from cell ``a`` to cell ``b`` (fractions of the drawing)."""
    (ra, ca), (rb, cb) = a, b
    ax, ay = (ca + 0.5) * cw, (ra + 0.5) * ch
    bx, by = (cb + 0.5) * cw, (rb + 0.5) * ch
    if abs(cb - ca) >= abs(rb - ra):
        sx = 1 if cb > ca else -1
        return ax + sx * NODE_W * cw / 2, ay, bx - sx * NODE_W * cw / 2, by
    sy = 1 if rb > ra else -1
    return ax, ay + sy * NODE_H * ch / 2, bx, by - sy * NODE_H * ch / 2


def diagram_shapes(nodes: list[dict], edges: list[dict], columns: int, spec) -> list[Shape]:
    cells = _place(nodes, columns, spec)
    rows = max(r for r, _ in cells.values()) + 1
    cols = max(c for _, c in cells.values()) + 1
    cw, ch = 1.0 / cols, 1.0 / rows
    shapes: list[Shape] = []
    for node in nodes:
        r, c = cells[node["id"]]
        shapes.append(Shape("roundrect", (c + (1 - NODE_W) / 2) * cw, (r + (1 - NODE_H) / 2) * ch, NODE_W * cw, NODE_H * ch,
                            fill=node.get("color", "table_band"), line="border", text=label(str(node["label"])),
                            role=node.get("role", "body"), name=f"node {node['id']}"))
    for i, edge in enumerate(edges):
        for end in ("from", "to"):
            if edge[end] not in cells:
                raise SpecError(slide_diagnostic(spec, f"edges[{i}].{end}", f"no node with id {edge[end]!r}",
                                                 spec.pos_of("edges", i, end), hint=f"node ids: {', '.join(sorted(cells))}"))
        a, b = cells[edge["from"]], cells[edge["to"]]
        if a == b:
            raise SpecError(slide_diagnostic(spec, f"edges[{i}]", "an edge from a node to itself", spec.pos_of("edges", i)))
        x0, y0, x1, y1 = _sides(a, b, cw, ch)
        shapes.append(Shape("arrow", x0, y0, x1 - x0, y1 - y0, line=edge.get("color", "muted"), name=f"edge {edge['from']}->{edge['to']}"))
        if edge.get("label"):
            mx, my = (x0 + x1) / 2, (y0 + y1) / 2
            if y0 == y1:  # horizontal: the label spans the gutter, two lines high above the arrow
                w, lx, lh = abs(x1 - x0), min(x0, x1), 2 * EDGE_LABEL_H * ch
                ly = my - lh
            else:  # vertical or diagonal: beside the arrow, in the row gutter
                w, lx, lh = (1 - NODE_W) * cw * 0.5 + NODE_W * cw * 0.45, mx + 0.005, EDGE_LABEL_H * ch
                ly = my - lh / 2
            shapes.append(Shape("rect", lx, ly, w, lh, text=label(str(edge["label"])), role="caption",
                                align="center" if y0 == y1 else "left", anchor="bottom" if y0 == y1 else "middle",
                                name=f"edge label {i}"))
    return shapes


NODE = {
    "type": "object", "additionalProperties": False, "required": ["id", "label"],
    "properties": {
        "id": {"type": "string", "description": "Name that edges refer to."},
        "label": {"type": "string", "description": "Text in the box; a newline starts a new line."},
        "row": {"type": "integer", "minimum": 0, "description": "Grid row (0 = top); default: next free cell."},
        "col": {"type": "integer", "minimum": 0, "description": "Grid column (0 = left)."},
        "color": {"type": "string", "description": "Fill: a theme colour name or #RRGGBB."},
        "role": {"enum": ["body", "caption", "code"], "default": "body", "description": "Text style of the label."},
    },
}
EDGE = {
    "type": "object", "additionalProperties": False, "required": ["from", "to"],
    "properties": {
        "from": {"type": "string"}, "to": {"type": "string"},
        "label": {"type": "string", "description": "Short text beside the arrow."},
        "color": {"type": "string", "description": "Line colour: a theme colour name or #RRGGBB."},
    },
}


@DIRECTIVES.register
class DiagramDirective(Directive):
    name = "diagram"
    summary = "Boxes and arrows: nodes on a grid (given or computed cells), labelled edges, as native shapes."
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["nodes"],
        "properties": {
            "nodes": {"type": "array", "minItems": 1, "items": NODE},
            "edges": {"type": "array", "items": EDGE, "default": []},
            "columns": {"type": "integer", "minimum": 1, "default": 4, "description": "Cells per row for nodes without a row/col."},
            "caption": {"type": "string", "description": "A line under the drawing."},
        },
    }

    def expand(self, spec, data, ctx):
        o = spec.options
        shapes = diagram_shapes(o["nodes"], o.get("edges", []), int(o.get("columns", 4)), spec)
        blocks: list[Block] = [ShapesBlock("body", shapes=tuple(shapes), name="diagram")]
        layout = self.layout_of(spec)
        if o.get("caption"):
            blocks.append(text_block(o["caption"], "caption", role="caption", paginate=False))
            layout = o.get("layout", "body-caption")
        return [Slide(o.get("title"), layout, tuple(blocks))]
