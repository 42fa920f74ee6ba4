"""What python-pptx leaves behind from its default template, or leaves out, made right before saving.

The ISO/IEC 29500 schemas accept all of it, but PowerPoint's own rules and the document's honesty
do not:

- a notes master related from the presentation part must be listed in ``p:notesMasterIdLst``
  (python-pptx adds the relationship when the first notes slide is made, never the list entry);
- ``p:sldSz`` keeps the template's ``type="screen4x3"`` whatever size the deck sets; a size type
  must describe the size, and the deck's sizes are the theme's own, so there is none ("custom");
- ``docProps/app.xml`` is the template's ("Microsoft Macintosh PowerPoint", "Office Theme",
  0 slides): it is rewritten with the deck's true slide and notes counts, and the slide titles in
  ``HeadingPairs``/``TitlesOfParts`` as PowerPoint writes them (the template's own app.xml, written by
  PowerPoint 14, has the pairs "Theme" 1 and "Slide Titles" N, then the theme's name and N titles;
  an untitled slide's entry is empty);
- the template's Mac printer settings (a binary part no slide uses) are dropped.
"""

from __future__ import annotations

from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from xml.sax.saxutils import escape

from lxml import etree

from .oxml import qn, sub

APP_PARTNAME = "/docProps/app.xml"
APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>tfeic</Application><Slides>{slides}</Slides><Notes>{notes}</Notes>"
    "<HiddenSlides>0</HiddenSlides>"
    '<HeadingPairs><vt:vector size="4" baseType="variant">'
    "<vt:variant><vt:lpstr>Theme</vt:lpstr></vt:variant><vt:variant><vt:i4>1</vt:i4></vt:variant>"
    "<vt:variant><vt:lpstr>Slide Titles</vt:lpstr></vt:variant><vt:variant><vt:i4>{slides}</vt:i4></vt:variant>"
    '</vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="{parts}" baseType="lpstr">{titles}</vt:vector>'
    "</TitlesOfParts></Properties>"
)


def finish_presentation(prs, titles: list[str], notes: int) -> None:
    """Apply every rule above to ``prs``, a deck of slides titled ``titles`` ("" for none) of which
    ``notes`` have notes."""
    part = prs.part
    presentation = prs.element
    notes_master = [rId for rId, rel in part.rels.items() if rel.reltype == RT.NOTES_MASTER]
    if notes_master and presentation.find(qn("p:notesMasterIdLst")) is None:
        id_list = presentation.makeelement(qn("p:notesMasterIdLst"), {})
        presentation.find(qn("p:sldMasterIdLst")).addnext(id_list)  # the schema's order: right after
        sub(id_list, "p:notesMasterId", **{qn("r:id"): notes_master[0]})
    presentation.find(qn("p:sldSz")).attrib.pop("type", None)
    for rId in [rId for rId, rel in part.rels.items() if rel.reltype == RT.PRINTER_SETTINGS]:
        part.drop_rel(rId)
    app = next(p for p in part.package.iter_parts() if p.partname == APP_PARTNAME)
    theme = prs.slide_master.part.part_related_by(RT.THEME).blob
    parts = [_theme_name(theme), *titles]
    app.blob = APP_XML.format(slides=len(titles), notes=notes, parts=len(parts),
                              titles="".join(f"<vt:lpstr>{escape(t)}</vt:lpstr>" for t in parts)).encode()


def _theme_name(theme_xml: bytes) -> str:
    """The ``name`` of a theme part's ``a:theme`` ("Office Theme" in python-pptx's template)."""
    return str(etree.fromstring(theme_xml).get("name", ""))
