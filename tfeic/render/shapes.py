"""Text boxes, pictures and native drawings (rectangles, ellipses, lines, arrows) on a slide."""

from __future__ import annotations

from dataclasses import replace

from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.util import Pt

from ..core.diagnostics import Diagnostic, Pos, SourceError
from ..ir import Paragraph, Span
from ..layout.placed import PlacedImage, PlacedShape, PlacedShapes, PlacedText
from .oxml import arrow_head, body_properties, drop_child, set_alt_text, shape_fill_and_line, slide_number_field
from .pptx_compat import DeferredExtentShapes
from .text import TextFormat, write_paragraphs

AUTOSHAPES = {
    "rect": MSO_SHAPE.RECTANGLE,
    "roundrect": MSO_SHAPE.ROUNDED_RECTANGLE,
    "ellipse": MSO_SHAPE.OVAL,
}
CONNECTORS = ("line", "arrow")
LINE_WIDTH = Pt(1)  # outline and connector width; the theme has no say, so one fixed value
DEFAULT_LINE = "000000"  # a line or arrow must be visible even when it names no colour


def draw_text(shapes, box: PlacedText, placeholder=None) -> None:
    """A text box at exactly ``box.rect``; or, given the slide's ``placeholder`` (its title), that
    placeholder moved and sized to ``box.rect``, so the master's own position never applies."""
    r = box.rect
    if placeholder is None:
        shape = shapes.add_textbox(r.x, r.y, r.w, r.h)
    else:
        shape = placeholder
        shape.left, shape.top, shape.width, shape.height = r.x, r.y, r.w, r.h
    shape.name = box.name
    shape_fill_and_line(shape.element.spPr, box.fill, None, LINE_WIDTH)
    fmt = TextFormat(box.style, box.align, box.paragraph_space, box.bullet_indent, box.color_map)
    _set_text(shape, box.paragraphs, fmt, box.insets, box.anchor)


def draw_slide_number(shapes, box: PlacedText, number: int) -> None:
    """The slide-number box: its text is ``number`` as a native slide-number field (``a:fld
    type="slidenum"``, as the slide-number placeholders of python-pptx's template write it), which
    editors renumber when slides move; layout proved the box with the widest number it allows."""
    draw_text(shapes, replace(box, paragraphs=(Paragraph((Span(str(number)),)),)))
    slide_number_field(shapes[-1].element.txBody)


def draw_image(shapes, box: PlacedImage, origin: Pos | None) -> None:
    """The picture stretched to ``box.rect``, which layout already fitted to the image's aspect."""
    r = box.rect
    try:
        picture = shapes.add_picture(box.path, r.x, r.y, r.w, r.h)
    except OSError as err:  # missing, unreadable, or not an image (PIL's error is an OSError)
        raise SourceError(
            Diagnostic(f"image {box.path!r} for box {box.name!r} cannot be read: {err}", origin or Pos(box.path))
        ) from err
    picture.name = box.name
    if box.alt:
        set_alt_text(picture.element, box.alt)


def draw_shapes(shapes, box: PlacedShapes) -> None:
    """A group named after the box holding its shapes, so an editor moves the drawing as one."""
    group = shapes.add_group_shape()
    group.name = box.name
    children = DeferredExtentShapes(group.element, group)  # extents computed once, below
    for shape in box.shapes:
        if shape.kind in CONNECTORS:
            _draw_connector(children, shape)
        else:
            _draw_autoshape(children, shape)
    group.element.recalculate_extents()


def _draw_autoshape(shapes, spec: PlacedShape) -> None:
    r = spec.rect
    shape = shapes.add_shape(AUTOSHAPES[spec.kind], r.x, r.y, r.w, r.h)
    if spec.name:
        shape.name = spec.name
    drop_child(shape.element, "p:style")
    shape_fill_and_line(shape.element.spPr, spec.fill, spec.line, LINE_WIDTH)
    if spec.style is None:
        drop_child(shape.element, "p:txBody")
    else:
        _set_text(shape, spec.text, TextFormat(spec.style, spec.align), spec.insets, spec.anchor)


def _draw_connector(shapes, spec: PlacedShape) -> None:
    """A straight connector from (x, y) to (x + w, y + h); python-pptx writes the flips."""
    r = spec.rect
    connector = shapes.add_connector(MSO_CONNECTOR.STRAIGHT, r.x, r.y, r.x + r.w, r.y + r.h)
    if spec.name:
        connector.name = spec.name
    drop_child(connector.element, "p:style")
    spPr = connector.element.spPr
    shape_fill_and_line(spPr, None, spec.line or DEFAULT_LINE, LINE_WIDTH)
    if spec.kind == "arrow":
        arrow_head(spPr.ln)


def _set_text(shape, paragraphs, fmt: TextFormat, insets, anchor: str) -> None:
    txBody = shape.element.txBody
    body_properties(txBody.bodyPr, insets, anchor)
    write_paragraphs(txBody, paragraphs, fmt)
