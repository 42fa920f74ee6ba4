"""A company's PowerPoint template (.pptx or .potx) as the base of a deck, and what a theme takes
from it (``tfeic.theme.template``).

A .potx is a .pptx whose main part has the template content type (python-pptx's
``CONTENT_TYPE.PML_TEMPLATE_MAIN``, pptx/opc/constants.py), which ``pptx.Presentation`` refuses
(``pptx/api.py``, ``_is_pptx_package``) and which a saved deck must not keep; the package is opened
with that one content type replaced by the presentation's (``PML_PRESENTATION_MAIN``). The template's own slides (a .pptx template often has a few) are dropped; its masters,
layouts and theme stay, and slides are made on its layouts (``deck.pick_layout``).
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from ..core.diagnostics import Diagnostic, Pos, SpecError
from ..theme.template import TemplateFacts
from .archive import read_entries, write_entries
from .oxml import qn

CONTENT_TYPES = "[Content_Types].xml"
TEMPLATE_MAIN = CT.PML_TEMPLATE_MAIN.encode()
PRESENTATION_MAIN = CT.PML_PRESENTATION_MAIN.encode()
TITLES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
BODIES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
OPEN_ERRORS = (zipfile.BadZipFile, KeyError, ValueError, OSError, etree.XMLSyntaxError)


def open_template(path: str):
    """The template at ``path`` as a python-pptx ``Presentation`` without slides (on a
    ``LinearPackage``); a file that is not a PowerPoint package is a spec error naming it."""
    from .package import LinearPackage

    try:
        with open(path, "rb") as f:
            entries = read_entries(f.read())
        entries = [(name, data.replace(TEMPLATE_MAIN, PRESENTATION_MAIN) if name == CONTENT_TYPES else data)
                   for name, data in entries]
        prs = LinearPackage.open(io.BytesIO(write_entries(entries))).main_document_part.presentation
    except OPEN_ERRORS as err:
        raise SpecError(Diagnostic(f"cannot open the template as a PowerPoint file: {err}", Pos(path))) from None
    id_list = prs.element.get_or_add_sldIdLst()
    for slide_id in list(id_list):
        id_list.remove(slide_id)
        prs.part.drop_rel(slide_id.rId)
    return prs


def read_template(path: str) -> TemplateFacts:
    """What a theme takes from the template at ``path``."""
    prs = open_template(path)
    master = prs.slide_master
    title = _placeholder(_layout(prs, "titleOnly"), TITLES) or _placeholder(master, TITLES)
    body = _placeholder(_layout(prs, "obj"), BODIES) or _placeholder(master, BODIES)
    if title is None or body is None:
        raise SpecError(Diagnostic(f"the template has no {'title' if title is None else 'body'} placeholder "
                                   "in its master or layouts", Pos(path)))
    theme = etree.fromstring(master.part.part_related_by(RT.THEME).blob)
    scheme = theme.find(f"{qn('a:themeElements')}/{qn('a:clrScheme')}")
    colors = {etree.QName(slot).localname: _rgb(slot) for slot in (scheme if scheme is not None else ())}
    fonts = theme.find(f"{qn('a:themeElements')}/{qn('a:fontScheme')}")
    major, minor = (fonts.find(f"{qn(tag)}/{qn('a:latin')}").get("typeface") for tag in ("a:majorFont", "a:minorFont"))
    return TemplateFacts(path, int(prs.slide_width), int(prs.slide_height), title, body,
                         {k: v for k, v in colors.items() if v}, major, minor)


def _layout(prs, kind: str):
    """The first slide layout of type ``kind`` (ST_SlideLayoutType: titleOnly, obj, blank, ...)."""
    return next((layout for layout in prs.slide_layouts if layout.element.get("type") == kind), None)


def _placeholder(owner, kinds) -> tuple[int, int, int, int] | None:
    """(x, y, w, h) EMU of the first placeholder of ``kinds`` in a layout or master (a layout's
    placeholder without its own position inherits the master's)."""
    if owner is None:
        return None
    for shape in owner.placeholders:
        if shape.placeholder_format.type in kinds and shape.width:
            return int(shape.left), int(shape.top), int(shape.width), int(shape.height)
    return None


def _rgb(slot: etree._Element) -> str:
    """RRGGBB of a colour-scheme slot: ``a:srgbClr val`` or a system colour's ``lastClr``."""
    color = slot[0] if len(slot) else None
    if color is None:
        return ""
    value = color.get("val") if etree.QName(color).localname == "srgbClr" else color.get("lastClr")
    return str(value or "").upper()
