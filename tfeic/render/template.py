"""What a theme takes from a company's PowerPoint template (.pptx or .potx): ``tfeic.theme.template``.

The template is opened as render opens it to build on it (``package.open_frame``: a .potx's main part
read as a presentation's, its own slides dropped), and read for its slide size, the title and body
placeholders' boxes, its theme colours and fonts. A placeholder without its own position inherits
its master's placeholder of the same type, as PowerPoint (and python-pptx's ``_InheritsDimensions``)
resolve it.
"""

from __future__ import annotations

from lxml import etree

from ..core.diagnostics import Diagnostic, Pos, SpecError
from ..theme.template import TemplateFacts
from .opc import PARSER
from .package import P, open_frame

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
TITLES = ("title", "ctrTitle")
BODIES = ("body", "obj")

Box = tuple[int, int, int, int]


def read_template(path: str) -> TemplateFacts:
    """What a theme takes from the template at ``path``."""
    frame = open_frame(path)
    master_boxes = _boxes(etree.fromstring(frame.master.blob, PARSER))
    layouts = {layout.type: layout.partname for layout in reversed(frame.layouts)}  # the first of each type

    def placeholder(layout_type: str, kinds: tuple[str, ...]) -> Box | None:
        layout = layouts.get(layout_type)
        found = _find(_boxes(etree.fromstring(frame.package.parts[layout].blob, PARSER)), kinds, master_boxes) if layout else None
        return found or _find(master_boxes, kinds, [])

    title, body = placeholder("titleOnly", TITLES), placeholder("obj", BODIES)
    if title is None or body is None:
        raise SpecError(Diagnostic(f"the template has no {'title' if title is None else 'body'} placeholder "
                                   "in its master or layouts", Pos(path)))
    theme = frame.theme
    if theme is None:
        theme = etree.Element("theme")
    scheme = theme.find(f"{A}themeElements/{A}clrScheme")
    colors = {etree.QName(slot).localname: _rgb(slot) for slot in (scheme if scheme is not None else ())}
    fonts = theme.find(f"{A}themeElements/{A}fontScheme")
    try:
        major, minor = (fonts.find(f"{A}{tag}/{A}latin").get("typeface") for tag in ("majorFont", "minorFont"))
    except AttributeError:
        raise SpecError(Diagnostic("the template's theme has no major and minor Latin fonts", Pos(path))) from None
    size = frame.element.find(f"{P}sldSz")
    return TemplateFacts(path, int(size.get("cx")), int(size.get("cy")), title, body,
                         {k: v for k, v in colors.items() if v}, major, minor)


def _boxes(root: etree._Element) -> list[tuple[str, Box | None]]:
    """(placeholder type, its own box or None) of each placeholder of a layout or master, in order."""
    found = []
    tree = root.find(f"{P}cSld/{P}spTree")
    for shape in tree if tree is not None else ():
        ph = shape.find(f"*/{P}nvPr/{P}ph")
        if ph is None:
            continue
        off, ext = shape.find(f"{P}spPr/{A}xfrm/{A}off"), shape.find(f"{P}spPr/{A}xfrm/{A}ext")
        box = None
        if off is not None and ext is not None:
            box = (int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy")))
        found.append((ph.get("type", "obj"), box))
    return found


def _find(boxes: list[tuple[str, Box | None]], kinds: tuple[str, ...],
          inherited: list[tuple[str, Box | None]]) -> Box | None:
    """The box of the first placeholder of ``kinds`` with a width (its own, else that of the first of
    ``inherited``, the master's placeholders, of its type)."""
    for kind, own in boxes:
        if kind not in kinds:
            continue
        box = own or next((b for k, b in inherited if k == kind and b), None)
        if box and box[2]:
            return box
    return None


def _rgb(slot: etree._Element) -> str:
    """RRGGBB of a colour-scheme slot: ``a:srgbClr val`` or a system colour's ``lastClr``."""
    color = slot[0] if len(slot) else None
    if color is None:
        return ""
    value = color.get("val") if etree.QName(color).localname == "srgbClr" else color.get("lastClr")
    return str(value or "").upper()
