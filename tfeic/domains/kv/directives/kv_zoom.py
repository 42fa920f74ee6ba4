"""Directive ``kv_zoom``: a 32-byte window of the pool, byte by byte.

Left: the 32 bytes as a 4 x 8 grid of hex cells coloured by plane/head. Right: a table of the
elements those bytes belong to: offset, bytes, (kv, head, token, dim) and the decoded value.
"""

from __future__ import annotations

from tfeic.core.diagnostics import SpecError
from tfeic.ir import Paragraph, Shape, ShapesBlock, Slide, Span, TableBlock
from ..offsets import byte_offset, locate
from ..palette import PLANE_NAMES, head_color
from tfeic.directives import DIRECTIVES, Directive, slide_diagnostic
from ._options import POOL_KINDS, SOURCE, options_schema

WINDOW = 32
COLUMNS = 8


@DIRECTIVES.register
class KvZoom(Directive):
    name = "kv_zoom"
    summary = "A 32-byte window: each byte's hex, its element's (kv, head, token, dim) and decoded value."
    sources = {"source": POOL_KINDS}
    default_layout = "two-columns"
    schema = options_schema({"source": SOURCE, "layout": {"const": "two-columns"},
                             "offset": {"type": "integer", "minimum": 0, "default": 0,
                                        "description": "First byte of the window (rounded down to a whole element)."}})

    def expand(self, spec, data, ctx):
        pool = data["source"]
        g = pool.geometry
        offset = int(spec.options.get("offset", 0))
        offset -= offset % g.elem_bytes
        if offset + WINDOW > pool.nbytes:
            raise SpecError(slide_diagnostic(spec, "offset", f"window {offset}..{offset + WINDOW - 1} is past the pool end "
                                             f"({pool.nbytes} bytes)", spec.pos_of("offset")))
        raw = pool.read(offset, WINDOW)
        coords = [locate(g, o)[0] for o in range(offset, offset + WINDOW)]
        rows = WINDOW // COLUMNS
        cells = tuple(Shape("rect", (i % COLUMNS) / COLUMNS, (i // COLUMNS) / rows, 1 / COLUMNS, 1 / rows,
                            fill=head_color(c.kv, c.head), line="border", role="code",
                            text=(Paragraph((Span(f"{b:02x}"),)),))
                      for i, (b, c) in enumerate(zip(raw, coords)))
        elements, table = [], []
        for coord in coords:
            if coord not in elements:
                elements.append(coord)
        for coord in elements:
            e = pool.element(coord)
            table.append((f"{e.offset:,}", e.raw.hex(" "), f"{PLANE_NAMES[coord.kv]} h{coord.head} t{coord.token} d{coord.dim}",
                          f"{e.value:.6g}"))
        title = spec.options.get("title", f"Zoom: bytes {offset:,}..{offset + WINDOW - 1:,} (block {coords[0].block}, layer {coords[0].layer}, {g.dtype})")
        blocks = (ShapesBlock("left", shapes=cells, name="bytes"),
                  TableBlock("right", header=("offset", "bytes", "element", "value"), rows=tuple(table),
                             col_align=("right", "left", "left", "right"), role="dense_table", name="elements"))
        note = f"Element offset = idx x {g.elem_bytes}; first element idx {byte_offset(g, elements[0]) // g.elem_bytes:,}."
        return [Slide(title, "two-columns", blocks, notes="\n".join(n for n in (spec.notes, note) if n),
                      origin=spec.pos, directive=self.name)]
