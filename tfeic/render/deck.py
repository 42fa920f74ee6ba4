"""render_deck: a placed deck to .pptx bytes, one slide per placed slide; render_slides: some
slides of a deck drawn alone, as the zip entries a whole render gives them.

Render decides nothing about geometry or sizes: it draws exactly the rectangles and font sizes the
layout proved, and writes every text property explicitly. For accessibility (what PowerPoint's
outline view, its accessibility checker and screen readers read):

- a slide with a title is made on python-pptx's "Title Only" layout and its title is that layout's
  title placeholder, moved and sized to the proven title box; a slide without one is "Blank";
- shapes are written in visual order (top to bottom, then left to right), which is the reading order
  of ``p:spTree``; proven boxes never overlap, so this order is also a safe z-order.
"""

from __future__ import annotations

import io
from datetime import datetime

from pptx.dml.color import RGBColor
from pptx.enum.shapes import PP_PLACEHOLDER

from ..layout.footer import SLIDE_NUMBER
from ..layout.placed import (PlacedBox, PlacedChart, PlacedDeck, PlacedImage, PlacedShapes, PlacedSlide, PlacedTable,
                             PlacedText)
from .archive import stable_zip
from .package import NOTES_PARTNAME, SlideAppender, new_presentation
from .presentation import finish_presentation
from .properties import set_document_properties
from .shapes import draw_image, draw_shapes, draw_slide_number, draw_text
from .table import draw_table

FIRST_SHAPE = 2  # a p:spTree starts with its p:nvGrpSpPr and p:grpSpPr, then the shapes
# slide layout types (ST_SlideLayoutType) of a titled and an untitled slide: in python-pptx's default
# template (pptx/templates/default.pptx) slideLayout6.xml "Title Only" and slideLayout7.xml "Blank"
TITLE_LAYOUT = "titleOnly"
BLANK_LAYOUT = "blank"


def render_deck(deck: PlacedDeck) -> bytes:
    """The .pptx bytes of ``deck``; equal decks give equal bytes."""
    prs = _presentation(deck)
    slides = SlideAppender(prs)
    created = prs.core_properties.created  # also stamped into every chart's embedded workbook
    for placed in deck.slides:
        _render_slide(slides.add(_layout_for(prs, placed)), placed, created)
    finish_presentation(prs, [_title_text(placed) for placed in deck.slides],
                        sum(bool(placed.notes) for placed in deck.slides))
    out = io.BytesIO()
    prs.save(out)
    return stable_zip(out.getvalue())


def render_slides(deck: PlacedDeck, numbers: set[int]) -> dict[str, bytes]:
    """The zip entries (name -> bytes) of the slides at 1-based positions ``numbers``, drawn alone.

    Each slide is named as in the whole deck (slide N is ``slideN.xml``; its notes slide has the
    number it has among all slides with notes), and its parts and relationships name nothing else
    that depends on other slides as long as it holds no chart or picture (whose parts are numbered
    across the deck). For such slides the entries equal ``render_deck``'s, byte for byte.
    """
    prs = _presentation(deck)
    slides = SlideAppender(prs)
    created = prs.core_properties.created
    entries: dict[str, bytes] = {}
    notes_before = 0
    for number, placed in enumerate(deck.slides, 1):
        if number in numbers:
            prs.part.package.number_from(NOTES_PARTNAME, notes_before + 1)
            slide = slides.add(_layout_for(prs, placed), number)
            _render_slide(slide, placed, created)
            entries.update(_entries(slide.part))
            if slide.part.has_notes_slide:
                entries.update(_entries(slide.part.notes_slide.part))
        notes_before += bool(placed.notes)
    return entries


def _presentation(deck: PlacedDeck):
    """An empty presentation of ``deck``'s size and document properties."""
    prs = new_presentation(deck.template)
    prs.slide_width = deck.width
    prs.slide_height = deck.height
    set_document_properties(prs.core_properties, deck)
    return prs


def _entries(part) -> dict[str, bytes]:
    """A part and its relationships as the zip entries ``Package.save`` writes for them."""
    entries = {part.partname.membername: part.blob}
    if len(part.rels):
        entries[part.partname.rels_uri.membername] = part.rels.xml
    return entries


def _layout_for(prs, placed: PlacedSlide):
    """The "Title Only" layout for a slide whose title layout placed, else the "Blank" one; a
    template without one gets its layout with the fewest placeholders (a title among them)."""
    titled = _title_box(placed) is not None
    layouts = list(prs.slide_layouts)
    kind = TITLE_LAYOUT if titled else BLANK_LAYOUT
    exact = [layout for layout in layouts if layout.element.get("type") == kind]
    usable = [layout for layout in layouts if not titled or any(_is_title(ph) for ph in layout.placeholders)]
    return (exact or sorted(usable or layouts, key=lambda layout: len(layout.placeholders)))[0]


def _is_title(placeholder) -> bool:
    return placeholder.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)


def _unproven_placeholders(slide) -> None:
    """Remove the placeholders a layout gave the slide other than its title: nothing was proven there."""
    for placeholder in list(slide.placeholders):
        if not _is_title(placeholder):
            element = placeholder.element
            element.getparent().remove(element)


def _title_box(placed: PlacedSlide) -> PlacedText | None:
    return next((b for b in placed.boxes if isinstance(b, PlacedText) and b.placeholder == "title"), None)


def _title_text(placed: PlacedSlide) -> str:
    """The text of the slide's title placeholder ("" for none), as outline view and app.xml show it."""
    box = _title_box(placed)
    return " ".join(p.text for p in box.paragraphs) if box else ""


def visual_order(box: PlacedBox) -> tuple[int, int]:
    """Reading order: top edge, then left edge."""
    return box.rect.y, box.rect.x


def _render_slide(slide, placed: PlacedSlide, created: datetime) -> None:
    fill = slide.background.fill
    fill.solid()
    fill.fore_color.rgb = RGBColor.from_string(placed.background)
    _unproven_placeholders(slide)
    shapes = slide.shapes
    ordered = sorted(placed.all_boxes, key=visual_order)
    for box in ordered:
        if isinstance(box, PlacedText) and box.placeholder == SLIDE_NUMBER:
            draw_slide_number(shapes, box, placed.index)
        elif isinstance(box, PlacedText):
            draw_text(shapes, box, shapes.title if box.placeholder == "title" else None)
        elif isinstance(box, PlacedTable):
            draw_table(shapes, box)
        elif isinstance(box, PlacedImage):
            draw_image(shapes, box, placed.origin)
        elif isinstance(box, PlacedShapes):
            draw_shapes(shapes, box)
        elif isinstance(box, PlacedChart):
            from .chart import draw_chart  # python-pptx's chart modules and XlsxWriter: only for a chart

            draw_chart(shapes, box, created)
        else:
            raise TypeError(f"render cannot draw {type(box).__name__}")
    title = _title_box(placed)
    if title is not None:  # the layout's placeholder was cloned first: move it to its place in reading order
        element = shapes.title.element
        tree = element.getparent()
        tree.remove(element)
        tree.insert(FIRST_SHAPE + ordered.index(title), element)
    if placed.notes:
        slide.notes_slide.notes_text_frame.text = placed.notes
