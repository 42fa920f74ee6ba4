"""Directive ``kv_hexdump``: full, never truncated hex pages of a block/layer range.

One slide per page, sized so a page fits at the theme's code size (Liberation Mono 14 pt: 0.6 em a
character, 1.2 em a line, 6 pt between paragraphs): the 428 pt body holds 18 lines, we use 16 rows
of 16 bytes (256 bytes a page); a row is ~75 characters of the ~104 that fit in 888 pt. Each row:
offset, a plane/head colour bar, a token-stripe bar, the bytes coloured by head, and what it holds.
A range needing more pages than the deck's ``limits.hex_pages`` (default 200) is exit 2.
"""

from __future__ import annotations

from ..diagnostics import SpecError
from ..ir import Paragraph, Slide, Span, TextBlock
from ..kv.hexview import HexRow, hex_rows, offset_digits
from ..kv.palette import head_color, token_color
from . import DIRECTIVES, Directive, slide_diagnostic
from ._kv import BLOCK, POOL_KINDS, SOURCE, index, options_schema

ROWS_PER_PAGE = 16


def row_paragraph(row: HexRow, digits: int, width: int) -> Paragraph:
    spans = [Span(f"{row.offset:0{digits}x} ", color="muted"),
             Span("█", color=head_color(row.first.kv, row.first.head)),
             Span("▌ ", color=token_color(row.first.token))]
    run_color, run = None, ""
    for byte, coord in zip(row.data, row.coords):  # merge neighbouring bytes of one colour into one span
        color = head_color(coord.kv, coord.head)
        if color != run_color and run:
            spans.append(Span(run, color=run_color))
            run = ""
        run_color, run = color, run + f"{byte:02x} "
    spans.append(Span(run + "   " * (width - len(row.data)), color=run_color))
    spans.append(Span(row.tag(), color="muted"))
    return Paragraph(tuple(spans))


@DIRECTIVES.register
class KvHexdump(Directive):
    name = "kv_hexdump"
    summary = "Full hex pages of a block/layer range with plane/head and token colour bars; as many slides as needed."
    sources = {"source": POOL_KINDS}
    schema = options_schema({
        "source": SOURCE,
        "block": BLOCK,
        "layers": {"type": "array", "items": {"type": "integer", "minimum": 0}, "minItems": 2, "maxItems": 2,
                   "description": "[first, last] layers (inclusive) of the block; default [0, 0]."},
        "range": {"type": "object", "additionalProperties": False, "required": ["offset", "length"],
                  "description": "An explicit byte range of the pool instead of block/layers.",
                  "properties": {"offset": {"type": "integer", "minimum": 0}, "length": {"type": "integer", "minimum": 1}}},
        "bytes_per_row": {"enum": [16, 32], "default": 16, "description": "32 fits only after the code font shrinks."},
        "layout": {"const": "title-body"},
    })

    def _range(self, spec, pool) -> tuple[int, int, str]:
        g = pool.geometry
        if "range" in spec.options:
            start, length = spec.options["range"]["offset"], spec.options["range"]["length"]
            if start + length > pool.nbytes:
                raise SpecError(slide_diagnostic(spec, "range", f"bytes {start}..{start + length - 1} are past the pool end ({pool.nbytes} bytes)",
                                                 spec.pos_of("range")))
            return start, length, "bytes"
        block = index(spec, "block", pool.num_blocks, "block")
        first, last = spec.options.get("layers", [0, 0])
        if not 0 <= first <= last < g.layers:
            raise SpecError(slide_diagnostic(spec, "layers", f"[{first}, {last}] is not a range inside 0..{g.layers - 1}",
                                             spec.pos_of("layers")))
        start = block * g.block_bytes + first * g.layer_block_bytes
        what = f"block {block}, layer {first}" + (f"-{last}" if last > first else "")
        return start, (last - first + 1) * g.layer_block_bytes, what

    def expand(self, spec, data, ctx):
        pool = data["source"]
        start, length, what = self._range(spec, pool)
        width = int(spec.options.get("bytes_per_row", 16))
        page_bytes = ROWS_PER_PAGE * width
        pages = -(-(start % width + length) // page_bytes)
        cap = ctx.limit("hex_pages")
        if pages > cap:
            raise SpecError(slide_diagnostic(
                spec, "", f"kv_hexdump of {length:,} bytes needs {pages} pages of {page_bytes} bytes, over the cap of {cap}",
                spec.pos, hint="narrow block/layers/range, or raise limits.hex_pages"))
        rows = hex_rows(pool, start, length, width)
        digits = offset_digits(pool)
        slides = []
        for page in range(pages):
            chunk = rows[page * ROWS_PER_PAGE:(page + 1) * ROWS_PER_PAGE]
            first, last = chunk[0].offset, chunk[-1].offset + len(chunk[-1].data) - 1
            title = f"{spec.options.get('title', 'Hex')}: {what}, bytes {first:,}..{last:,} ({page + 1}/{pages})"
            body = TextBlock("body", paragraphs=tuple(row_paragraph(r, digits, width) for r in chunk), role="code", name="hex")
            slides.append(Slide(title, "title-body", (body,), notes=spec.notes if page == 0 else "", origin=spec.pos,
                                directive=self.name, continued=page > 0))
        return slides
