"""One text form for measuring and drawing: line separators become ``\\n``, tabs become spaces.

Why: the proof is only sound for text drawn exactly as it was measured, and some characters are
drawn by renderers in ways the line model cannot follow. A lone ``\\r``, ``\\v``, ``\\f``, U+0085,
U+2028 and U+2029 are drawn as line breaks but are no break to a measurer that only knows ``\\n``;
a tab advances to the next 0.5 in (36 pt) default tab stop, a distance that depends on where on the
line it stands (and on the paragraph's indent, which PowerPoint and LibreOffice treat differently),
so its width is not a property of the text and cannot be scaled with the font size as every other
width is. So before layout every string a slide draws goes through ``normalize_text``: line
separators (``\\r\\n`` counted once) become ``\\n``, and each tab becomes ``TAB_SPACES`` spaces,
which both renderers draw as the plain spaces the proof measured. The engine places the normalised
text, so render draws exactly what was measured.

Chart text (categories, series names, axis titles) is one line by construction: there a line
separator or tab becomes one space.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..ir import Block, ChartBlock, Paragraph, ShapesBlock, Slide, TableBlock, TextBlock

TAB_SPACES = 4  # a tab is drawn as this many spaces
_LINE_BREAKS = re.compile("\r\n|[\r\n\v\f\x85\u2028\u2029]")
_CHANGED = re.compile("[\r\v\f\x85\u2028\u2029\t]")  # what normalize_text changes (most text has none)
_BROKEN = re.compile("[\r\n\v\f\x85\u2028\u2029\t]")  # what one_line changes (chart text rarely has any)


def normalize_text(text: str) -> str:
    """Line separators -> ``\\n`` and tabs -> ``TAB_SPACES`` spaces (idempotent)."""
    return _LINE_BREAKS.sub("\n", text).replace("\t", " " * TAB_SPACES)


def one_line(text: str) -> str:
    """Text a renderer draws on one line (chart labels): every separator or tab is one space."""
    return _LINE_BREAKS.sub(" ", text).replace("\t", " ")


def _paragraphs(paragraphs: tuple[Paragraph, ...]) -> tuple[Paragraph, ...]:
    if not any(_CHANGED.search(s.text) for p in paragraphs for s in p.spans):
        return paragraphs
    return tuple(replace(p, spans=tuple(replace(s, text=normalize_text(s.text)) for s in p.spans))
                 for p in paragraphs)


def _cells(row: tuple[str, ...]) -> tuple[str, ...]:
    if not any(_CHANGED.search(cell) for cell in row):
        return row
    return tuple(normalize_text(cell) for cell in row)


def normalize_block(block: Block) -> Block:
    """``block`` with every string it draws in normal form (other blocks are returned as they are)."""
    if isinstance(block, TextBlock):
        paragraphs = _paragraphs(block.paragraphs)
        return block if paragraphs is block.paragraphs else replace(block, paragraphs=paragraphs)
    if isinstance(block, TableBlock):
        header = _cells(block.header) if block.header is not None else None
        rows = tuple(_cells(r) for r in block.rows)
        same = header is block.header and all(a is b for a, b in zip(rows, block.rows))
        return block if same else replace(block, header=header, rows=rows)
    if isinstance(block, ShapesBlock):
        shapes = tuple(s if (text := _paragraphs(s.text)) is s.text else replace(s, text=text) for s in block.shapes)
        return replace(block, shapes=shapes)
    if isinstance(block, ChartBlock):
        if not any(map(_BROKEN.search, (*block.categories, *(s.name for s in block.series), block.x_title, block.y_title))):
            return block
        series = tuple(replace(s, name=one_line(s.name)) for s in block.series)
        return replace(block, categories=tuple(one_line(c) for c in block.categories), series=series,
                       x_title=one_line(block.x_title), y_title=one_line(block.y_title))
    return block


def normalize_slide(slide: Slide) -> Slide:
    """``slide`` with its title and every block's text in normal form."""
    title = normalize_text(slide.title) if slide.title is not None else None
    blocks = tuple(normalize_block(b) for b in slide.blocks)
    if title == slide.title and all(a is b for a, b in zip(blocks, slide.blocks)):
        return slide
    return replace(slide, title=title, blocks=blocks)

