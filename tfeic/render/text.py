"""Paragraphs and runs, written with every property the layout proof depended on made explicit.

Text boxes, text inside shapes and table cells all go through ``paragraphs_xml``, so the three
can never disagree about line spacing, paragraph spacing, bullets or fonts. Nothing is left to
inheritance from the master, whose values the proof never saw. The XML is written as strings
(``tfeic.render.markup``); a deck uses few distinct run properties, so each is written once.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from ..ir import Paragraph, Span
from ..layout.placed import TextStyle, emu, span_color
from .markup import attr, text

BULLET_CHAR = "\u2022"
ALIGNMENTS = {"left": "l", "center": "ctr", "right": "r", "justify": "just"}
ANCHORS = {"top": "t", "middle": "ctr", "bottom": "b"}
# a field's id is a GUID naming it in the document; one fixed value keeps the bytes stable
SLIDE_NUMBER_FIELD_ID = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"
EMPTY = (Paragraph(spans=()),)  # a text body must hold at least one a:p
NO_SPAN = Span("")


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


def body_properties(insets: tuple[int, int, int, int], anchor: str) -> str:
    """``a:bodyPr`` exactly as the proof assumed: square wrap, explicit insets and anchor, ``noAutofit``
    (never ``normAutofit``/``spAutoFit``: renderers disagree on both; and a renderer given no inset
    would inherit its master's)."""
    left, top, right, bottom = insets
    return (f'<a:bodyPr wrap="square" lIns="{left}" tIns="{top}" rIns="{right}" bIns="{bottom}" '
            f'anchor="{ANCHORS[anchor]}" rtlCol="0"><a:noAutofit/></a:bodyPr>')


def paragraphs_xml(paragraphs: tuple[Paragraph, ...], fmt: TextFormat, field: bool = False) -> str:
    """The ``a:p`` elements of ``paragraphs`` set in ``fmt``; an empty box gets one empty paragraph.
    ``field``: the first run is a slide-number field (``a:fld type="slidenum"``, as the slide-number
    placeholders of python-pptx's template write it), which editors renumber when slides move."""
    out = []
    for index, paragraph in enumerate(paragraphs or EMPTY):
        out.append("<a:p>")
        out.append(paragraph_properties(paragraph.bullet, paragraph.level, fmt, index == 0))
        for span in paragraph.spans:
            rpr = run_properties("a:rPr", fmt, span)
            if field and span.text:
                out.append(f'<a:fld id="{SLIDE_NUMBER_FIELD_ID}" type="slidenum">{rpr}<a:t>{text(span.text)}</a:t></a:fld>')
                field = False
            else:
                out.append(runs_xml(span.text, rpr))
        out.append(end_mark(fmt))
        out.append("</a:p>")
    return "".join(out)


def runs_xml(value: str, rpr: str) -> str:
    """The runs of one span set in ``rpr``: a run per line and a line break between lines (a newline
    inside a paragraph is a line break, as the layout measured it)."""
    if "\n" not in value:
        return f"<a:r>{rpr}<a:t>{text(value)}</a:t></a:r>" if value else ""
    out = []
    for line_no, line in enumerate(value.split("\n")):
        if line_no:
            out.append(f"<a:br>{rpr}</a:br>")
        if line:
            out.append(f"<a:r>{rpr}<a:t>{text(line)}</a:t></a:r>")
    return "".join(out)


def end_mark(fmt: TextFormat) -> str:
    """The paragraph's end mark: it sets the height of an empty paragraph; keep it at the box's size and font."""
    return run_properties("a:endParaRPr", fmt, NO_SPAN)


def paragraph_properties(bullet: bool, level: int, fmt: TextFormat, first: bool) -> str:
    """``a:pPr``: margins, alignment, single line spacing, space before, bullet (schema order)."""
    if bullet:
        step = emu(fmt.bullet_indent)
        margin, indent = step * (level + 1), -step
        # without a bullet font LibreOffice draws the bullet in OpenSymbol, a font the theme never named
        mark = f'<a:buFont typeface="{attr(fmt.style.family)}"/><a:buChar char="{BULLET_CHAR}"/>'
    else:
        margin, indent, mark = 0, 0, "<a:buNone/>"
    space = 0.0 if first else fmt.paragraph_space
    return (f'<a:pPr marL="{margin}" indent="{indent}" algn="{ALIGNMENTS[fmt.align]}"><a:lnSpc><a:spcPct val="100000"/>'
            f'</a:lnSpc><a:spcBef><a:spcPts val="{int(round(space * 100))}"/></a:spcBef>{mark}</a:pPr>')


def run_properties(tag: str, fmt: TextFormat, span: Span) -> str:
    """Size, weight, slant, colour and typeface of one run (or of a paragraph's end mark)."""
    style = fmt.style
    family = style.mono_family if span.code else style.family
    return _character_properties(tag, style.size, style.bold or span.bold, style.italic or span.italic,
                                 fmt.span_color(span), family)


@functools.lru_cache(maxsize=512)
def _character_properties(tag: str, size: float, bold: bool, italic: bool, color: str, family: str) -> str:
    face = attr(family)
    return (f'<{tag} lang="en-US" sz="{int(round(size * 100))}" b="{"1" if bold else "0"}" i="{"1" if italic else "0"}" dirty="0">'
            f'{solid_fill(color)}<a:latin typeface="{face}"/><a:cs typeface="{face}"/></{tag}>')


def solid_fill(rgb: str) -> str:
    """``<a:solidFill><a:srgbClr val=RRGGBB/></a:solidFill>``."""
    return f'<a:solidFill><a:srgbClr val="{attr(rgb.upper())}"/></a:solidFill>'
