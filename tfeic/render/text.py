"""Paragraphs and runs, written with every property the layout proof depended on made explicit.

Text boxes, text inside shapes and table cells all go through ``write_paragraphs``, so the three
can never disagree about line spacing, paragraph spacing, bullets or fonts. Nothing is left to
inheritance from the master, whose values the proof never saw.
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass

from lxml import etree

from ..ir import Paragraph, Span
from ..layout.placed import TextStyle, emu, span_color
from .oxml import ALIGNMENTS, qn, solid_fill, sub

BULLET_CHAR = "\u2022"


@dataclass(frozen=True)
class TextFormat:
    """How the paragraphs of one box are set: the resolved style and box-level paragraph settings."""

    style: TextStyle
    align: str = "left"
    paragraph_space: float = 0.0  # points before every paragraph but the first
    bullet_indent: float = 18.0  # points per bullet level
    color_map: tuple[tuple[str, str], ...] = ()

    def span_color(self, span: Span) -> str:
        """RRGGBB of a span (``layout.placed.span_color``: what the readability proof judged)."""
        return span_color(span, self.style, self.color_map)


def write_paragraphs(txBody: etree._Element, paragraphs: tuple[Paragraph, ...], fmt: TextFormat) -> None:
    """Replace the paragraphs of ``txBody`` with ``paragraphs`` set in ``fmt``.

    A text body must hold at least one ``a:p``, so an empty box gets one empty paragraph.
    """
    for old in txBody.findall(qn("a:p")):
        txBody.remove(old)
    for index, paragraph in enumerate(paragraphs or (Paragraph(spans=()),)):
        p = sub(txBody, "a:p")
        _paragraph_properties(p, paragraph, fmt, first=index == 0)
        for span in paragraph.spans:
            for line_no, line in enumerate(span.text.split("\n")):
                if line_no:  # a newline inside a paragraph is a line break, as the layout measured it
                    _run_properties(sub(p, "a:br"), "a:rPr", fmt, span)
                if line:
                    r = sub(p, "a:r")
                    _run_properties(r, "a:rPr", fmt, span)
                    sub(r, "a:t").text = line  # xml-safe: render_deck passed it through xmltext
        # the end mark sets the height of an empty paragraph; keep it at the box's size and font
        _run_properties(p, "a:endParaRPr", fmt, Span(""))


def _paragraph_properties(p: etree._Element, paragraph: Paragraph, fmt: TextFormat, first: bool) -> None:
    """``a:pPr``: margins, alignment, single line spacing, space before, bullet (schema order)."""
    if paragraph.bullet:
        step = emu(fmt.bullet_indent)
        margin, indent = step * (paragraph.level + 1), -step
    else:
        margin, indent = 0, 0
    pPr = sub(p, "a:pPr", marL=str(margin), indent=str(indent), algn=ALIGNMENTS[fmt.align])
    sub(sub(pPr, "a:lnSpc"), "a:spcPct", val="100000")
    space = 0.0 if first else fmt.paragraph_space
    sub(sub(pPr, "a:spcBef"), "a:spcPts", val=str(int(round(space * 100))))
    if paragraph.bullet:
        # without a bullet font LibreOffice draws the bullet in OpenSymbol, a font the theme never named
        sub(pPr, "a:buFont", typeface=fmt.style.family)
        sub(pPr, "a:buChar", char=BULLET_CHAR)
    else:
        sub(pPr, "a:buNone")


def _run_properties(parent: etree._Element, tag: str, fmt: TextFormat, span: Span) -> None:
    """Size, weight, slant, colour and typeface of one run (or of a paragraph's end mark)."""
    style = fmt.style
    family = style.mono_family if span.code else style.family
    template = _character_properties(
        tag, style.size, style.bold or span.bold, style.italic or span.italic, fmt.span_color(span), family
    )
    parent.append(copy.deepcopy(template))


@functools.lru_cache(maxsize=512)
def _character_properties(tag: str, size: float, bold: bool, italic: bool, color: str, family: str) -> etree._Element:
    """A detached ``a:rPr``/``a:endParaRPr``; a deck uses few distinct ones, so each is built once
    and copied (callers must copy, never change, the cached element)."""
    rPr = etree.Element(qn(tag), {
        "lang": "en-US",
        "sz": str(int(round(size * 100))),
        "b": "1" if bold else "0",
        "i": "1" if italic else "0",
        "dirty": "0",
    })
    solid_fill(rPr, color)
    sub(rPr, "a:latin", typeface=family)
    sub(rPr, "a:cs", typeface=family)
    return rPr
