"""Directive ``kv_hexdump``: full, never truncated hex pages of a block/layer range.

By default one page, the block's first ``DEFAULT_BYTES`` bytes; ``layers`` or ``range`` ask for more.

One slide whose code block holds every row (offset, a plane/head colour bar, a token-stripe bar, the
bytes coloured by head, what the row holds, and the decoded values of the row's elements: all of
them when every row fits ``CODE_COLUMNS`` characters so, else the first and last with their dims,
e.g. ``K h0 t0  d0=0.169 .. d7=-0.476``); layout splits it into as many pages as the theme's
body needs, in whole multiples of 16 rows when they fit (pages then start at round offsets: 256
bytes of 16-byte rows), at the code role's size (no shrinking), and titles each page with its byte
range. More pages than the deck's ``limits.hex_pages`` (default 200) is a layout failure naming the
limit; a range so long that no page could hold it within the limit (``MAX_ROWS_PER_PAGE`` rows a
page) is refused before its rows are made, exit 2, so the work stays bounded.
"""

from __future__ import annotations

from tfeic.core.diagnostics import SpecError
from tfeic.ir import PageTitles, Paragraph, Slide, Span, TextBlock
from ..hexview import HexRow, hex_rows, offset_digits, row_elements
from ..pool import Element
from ..palette import head_color, token_color
from tfeic.directives import DIRECTIVES, Directive, slide_diagnostic
from ._options import BLOCK, POOL_KINDS, SOURCE, index, options_schema

PAGE_STEP = 16  # rows: a page holds a multiple of 16 rows when 16 fit
DEFAULT_BYTES = 256  # what a slide without layers or range shows: one page of 16-byte rows
MAX_ROWS_PER_PAGE = 256  # no readable page holds more (256 lines of 8 pt code is 34 in tall)
# Characters of one line of 14 pt code (the code role's size, never shrunk here) across the body of
# the shipped themes: 888 pt less 14.4 pt of insets, at 8.4 pt a character (monospace, 0.6 em),
# is 104; 100 leaves room. Layout still proves every line.
CODE_COLUMNS = 100


def all_values(elements: tuple[Element, ...]) -> str:
    return " ".join(f"{e.value:.3g}" for e in elements)


def first_and_last(elements: tuple[Element, ...], width: int = 0) -> str:
    """'d0=0.169 .. d7=-0.475', the first part padded to ``width`` so the rows' '..' line up."""
    ends = [f"d{e.coord.dim}={e.value:.3g}" for e in (elements[0], elements[-1])]
    return ends[0] if len(elements) == 1 else f"{ends[0]:<{width}} .. {ends[1]}"


def row_paragraph(row: HexRow, digits: int, width: int, values: str) -> Paragraph:
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
    if values:
        spans.append(Span(f"  {values}"))
    return Paragraph(tuple(spans))


def decoded_paragraphs(pool, rows: list[HexRow], digits: int, width: int) -> tuple[Paragraph, ...]:
    """Each row with its decoded elements: every value when all rows stay within ``CODE_COLUMNS``
    characters so, else each row's first and last value (one form for the whole dump)."""
    elements = [row_elements(pool, r) for r in rows]
    full = [row_paragraph(r, digits, width, all_values(e) if e else "") for r, e in zip(rows, elements)]
    if all(sum(len(s.text) for s in p.spans) <= CODE_COLUMNS for p in full):
        return tuple(full)
    pad = max((len(first_and_last(e[:1])) for e in elements if e), default=0)
    return tuple(row_paragraph(r, digits, width, first_and_last(e, pad) if e else "") for r, e in zip(rows, elements))


@DIRECTIVES.register
class KvHexdump(Directive):
    name = "kv_hexdump"
    summary = "Full hex pages of a block/layer range with plane/head and token colour bars; as many slides as needed."
    sources = {"source": POOL_KINDS}
    schema = options_schema({
        "source": SOURCE,
        "block": BLOCK,
        "layers": {"type": "array", "items": {"type": "integer", "minimum": 0}, "minItems": 2, "maxItems": 2,
                   "description": "[first, last] layers (inclusive) of the block, every byte of them; without it "
                                  "(and without range) the slide is one page: the block's first 256 bytes."},
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
            return start, length, ""
        block = index(spec, "block", pool.num_blocks, "block")
        if "layers" not in spec.options:  # one page unless more is asked for
            return block * g.block_bytes, min(DEFAULT_BYTES, g.layer_block_bytes), f"block {block}, layer 0"
        first, last = spec.options["layers"]
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
        rows_needed = -(-(start % width + length) // width)
        cap = ctx.limit("hex_pages")
        if rows_needed > cap * MAX_ROWS_PER_PAGE:
            raise SpecError(slide_diagnostic(
                spec, "", f"kv_hexdump of {length:,} bytes is {rows_needed:,} rows, more than the cap of {cap} "
                f"pages can hold (at most {MAX_ROWS_PER_PAGE} rows a page)",
                spec.pos, hint="narrow block/layers/range, or raise limits.hex_pages"))
        rows = hex_rows(pool, start, length, width)
        digits = offset_digits(pool)
        head = f"{spec.options.get('title', 'Hex')}: {what + ', ' if what else ''}bytes "
        body = TextBlock("body", paragraphs=decoded_paragraphs(pool, rows, digits, width), role="code", name="hex",
                         paginate="paragraphs", shrink=False, page_step=PAGE_STEP,
                         keys=tuple((f"{r.offset:,}", f"{r.offset + len(r.data) - 1:,}") for r in rows))
        return [Slide(f"{head}{start:,}..{start + length - 1:,}", "title-body", (body,), notes=spec.notes, origin=spec.pos,
                      directive=self.name, pages=PageTitles(head, most=cap, limit="limits.hex_pages"))]
