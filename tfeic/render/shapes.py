"""Text boxes, the title placeholder, pictures and native drawings (rectangles, ellipses, lines,
arrows) as slide XML.

The markup is what python-pptx 1.0 writes for the same shapes (``CT_Shape.new_textbox_sp``,
``new_placeholder_sp``, ``new_autoshape_sp``, ``CT_Connector.new_cxnSp``, ``CT_Picture.new_pic``,
``CT_GroupShape.new_grpSp`` in ``pptx/oxml/shapes/``) with tfeic's explicit properties in place of
the theme references it leaves: every fill, line and text property is written, ``p:style`` (which
pulls colours from the theme's accents) never is. Shape ids are handed out by the caller in drawing
order, as python-pptx numbers them.
"""

from __future__ import annotations

from ..layout.placed import PlacedImage, PlacedShape, PlacedShapes, PlacedText, Rect
from .markup import attr
from .text import TextFormat, body_properties, paragraphs_xml, solid_fill

LINE_WIDTH = 12700  # 1 pt: outline and connector width; the theme has no say, so one fixed value
DEFAULT_LINE = "000000"  # a line or arrow must be visible even when it names no colour
PRESETS = {"rect": "rect", "roundrect": "roundRect", "ellipse": "ellipse"}  # ST_ShapeType
# python-pptx's default names ("<basename> <id - 1>") for a shape the deck did not name
BASENAMES = {"rect": "Rectangle", "roundrect": "Rounded Rectangle", "ellipse": "Oval", "line": "Connector",
             "arrow": "Connector"}
CONNECTORS = ("line", "arrow")


def xfrm(r: Rect, tag: str = "a:xfrm", flips: str = "") -> str:
    return f'<{tag}{flips}><a:off x="{r.x}" y="{r.y}"/><a:ext cx="{r.w}" cy="{r.h}"/></{tag}>'


def fill_and_line(fill: str | None, line: str | None, arrow: bool = False) -> str:
    """An explicit fill (or ``noFill``) and line (or none), in ``spPr``'s schema order."""
    head = '<a:tailEnd type="triangle"/>' if arrow else ""  # the arrow points at the end point
    return ((solid_fill(fill) if fill else "<a:noFill/>")
            + f'<a:ln w="{LINE_WIDTH}">{solid_fill(line) if line else "<a:noFill/>"}{head}</a:ln>')


def text_box_xml(box: PlacedText, shape_id: int, placeholder: str = "", field: bool = False) -> str:
    """A text box at exactly ``box.rect``; or, given the ``p:ph`` of the layout's title
    ``placeholder``, the slide's title placeholder moved and sized to the proven box, so the
    master's own position never applies."""
    kind = f'<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr>{placeholder}</p:nvPr>' if placeholder else \
        '<p:cNvSpPr txBox="1"/><p:nvPr/>'
    geometry = "" if placeholder else '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
    fmt = TextFormat(box.style, box.align, box.paragraph_space, box.bullet_indent, box.color_map)
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{attr(box.name)}"/>{kind}</p:nvSpPr>'
            f"<p:spPr>{xfrm(box.rect)}{geometry}{fill_and_line(box.fill, None)}</p:spPr>"
            f"<p:txBody>{body_properties(box.insets, box.anchor)}<a:lstStyle/>"
            f"{paragraphs_xml(box.paragraphs, fmt, field)}</p:txBody></p:sp>")


def picture_xml(box: PlacedImage, shape_id: int, rId: str) -> str:
    """The picture stretched to ``box.rect``, which layout already fitted to the image's aspect; its
    alt text is the box's, else (as python-pptx writes it) the file's name."""
    descr = box.alt or box.path.replace("\\", "/").rsplit("/", 1)[-1]
    return (f'<p:pic><p:nvPicPr><p:cNvPr id="{shape_id}" name="{attr(box.name)}" descr="{attr(descr)}"/>'
            '<p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr><p:nvPr/></p:nvPicPr>'
            f'<p:blipFill><a:blip r:embed="{rId}"/><a:stretch><a:fillRect/></a:stretch></p:blipFill>'
            f'<p:spPr>{xfrm(box.rect)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>')


def group_xml(box: PlacedShapes, shape_id: int) -> tuple[str, int]:
    """A group named after the box holding its shapes, so an editor moves the drawing as one; its
    extents are its children's bounding box. Returns the XML and the next free shape id."""
    children, next_id = [], shape_id + 1
    for shape in box.shapes:
        children.append(_connector_xml(shape, next_id) if shape.kind in CONNECTORS else _autoshape_xml(shape, next_id))
        next_id += 1
    bounds = [shape.rect.normalized() for shape in box.shapes]
    if bounds:
        x, y = min(b.x for b in bounds), min(b.y for b in bounds)
        w, h = max(b.right for b in bounds) - x, max(b.bottom for b in bounds) - y
    else:
        x = y = w = h = 0
    extents = f'<a:off x="{x}" y="{y}"/><a:ext cx="{w}" cy="{h}"/><a:chOff x="{x}" y="{y}"/><a:chExt cx="{w}" cy="{h}"/>'
    return (f'<p:grpSp><p:nvGrpSpPr><p:cNvPr id="{shape_id}" name="{attr(box.name)}"/><p:cNvGrpSpPr/><p:nvPr/>'
            f'</p:nvGrpSpPr><p:grpSpPr><a:xfrm>{extents}</a:xfrm></p:grpSpPr>{"".join(children)}</p:grpSp>'), next_id


def _name(spec: PlacedShape, shape_id: int) -> str:
    return attr(spec.name or f"{BASENAMES[spec.kind]} {shape_id - 1}")


def _autoshape_xml(spec: PlacedShape, shape_id: int) -> str:
    body = ""
    if spec.style is not None:
        fmt = TextFormat(spec.style, spec.align)
        body = (f"<p:txBody>{body_properties(spec.insets, spec.anchor)}<a:lstStyle/>"
                f"{paragraphs_xml(spec.text, fmt)}</p:txBody>")
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{_name(spec, shape_id)}"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr>'
            f'<p:spPr>{xfrm(spec.rect)}<a:prstGeom prst="{PRESETS[spec.kind]}"><a:avLst/></a:prstGeom>'
            f"{fill_and_line(spec.fill, spec.line)}</p:spPr>{body}</p:sp>")


def _connector_xml(spec: PlacedShape, shape_id: int) -> str:
    """A straight connector from (x, y) to (x + w, y + h): the box it spans, flipped to run the
    way it was drawn."""
    r = spec.rect
    flips = (' flipH="1"' if r.w < 0 else "") + (' flipV="1"' if r.h < 0 else "")
    return (f'<p:cxnSp><p:nvCxnSpPr><p:cNvPr id="{shape_id}" name="{_name(spec, shape_id)}"/><p:cNvCxnSpPr/><p:nvPr/>'
            f'</p:nvCxnSpPr><p:spPr>{xfrm(r.normalized(), flips=flips)}<a:prstGeom prst="line"><a:avLst/></a:prstGeom>'
            f'{fill_and_line(None, spec.line or DEFAULT_LINE, spec.kind == "arrow")}</p:spPr></p:cxnSp>')
