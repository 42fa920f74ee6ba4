"""render_deck: a placed deck to .pptx bytes, one blank slide per placed slide.

Render decides nothing about geometry or sizes: it draws exactly the rectangles and font sizes the
layout proved, in box order (which is z-order), and writes every text property explicitly.
"""

from __future__ import annotations

import io
from datetime import datetime

from pptx.dml.color import RGBColor

from ..layout.placed import PlacedChart, PlacedDeck, PlacedImage, PlacedShapes, PlacedSlide, PlacedTable, PlacedText
from .chart import draw_chart
from .package import SlideAppender, new_presentation, stable_zip
from .properties import set_document_properties
from .shapes import draw_image, draw_shapes, draw_text
from .table import draw_table

BLANK_LAYOUT = 6  # "Blank" in python-pptx's default template: no placeholders to inherit from


def render_deck(deck: PlacedDeck) -> bytes:
    """The .pptx bytes of ``deck``; equal decks give equal bytes."""
    prs = new_presentation()
    prs.slide_width = deck.width
    prs.slide_height = deck.height
    layout = prs.slide_layouts[BLANK_LAYOUT]
    slides = SlideAppender(prs)
    set_document_properties(prs.core_properties, deck)
    created = prs.core_properties.created  # also stamped into every chart's embedded workbook
    for placed in deck.slides:
        _render_slide(slides.add(layout), placed, created)
    out = io.BytesIO()
    prs.save(out)
    return stable_zip(out.getvalue())


def _render_slide(slide, placed: PlacedSlide, created: datetime) -> None:
    fill = slide.background.fill
    fill.solid()
    fill.fore_color.rgb = RGBColor.from_string(placed.background)
    shapes = slide.shapes
    for box in placed.boxes:
        if isinstance(box, PlacedText):
            draw_text(shapes, box)
        elif isinstance(box, PlacedTable):
            draw_table(shapes, box)
        elif isinstance(box, PlacedImage):
            draw_image(shapes, box, placed.origin)
        elif isinstance(box, PlacedShapes):
            draw_shapes(shapes, box)
        elif isinstance(box, PlacedChart):
            draw_chart(shapes, box, created)
        else:
            raise TypeError(f"render cannot draw {type(box).__name__}")
    if placed.notes:
        slide.notes_slide.notes_text_frame.text = placed.notes
