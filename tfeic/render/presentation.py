"""The presentation part and the document's properties, finished once every slide is made.

What python-pptx's default template leaves behind, or leaves out, is made right here; the ISO/IEC
29500 schemas accept all of it, but PowerPoint's own rules and the document's honesty do not:

- a notes master related from the presentation part must be listed in ``p:notesMasterIdLst``
  (python-pptx adds the relationship when the first notes slide is made, never the list entry);
- ``p:sldSz`` keeps the template's ``type="screen4x3"`` whatever size the deck sets; a size type
  must describe the size, and the deck's sizes are the theme's own, so there is none ("custom");
- ``docProps/app.xml`` is the template's ("Microsoft Macintosh PowerPoint", "Office Theme",
  0 slides): it is rewritten with the deck's true slide and notes counts, and the slide titles in
  ``HeadingPairs``/``TitlesOfParts`` as PowerPoint writes them (the template's own app.xml, written by
  PowerPoint 14, has the pairs "Theme" 1 and "Slide Titles" N, then the theme's name and N titles;
  an untitled slide's entry is empty);
- the template's Mac printer settings (a binary part no slide uses) are dropped;
- ``docProps/core.xml`` says what the deck says about itself and nothing that changes between builds
  (``properties``).
"""

from __future__ import annotations

from lxml import etree

from .opc import RT, Part, serialize
from .package import P, R_ID, Frame

APP_PARTNAME = "/docProps/app.xml"
CORE_PARTNAME = "/docProps/core.xml"
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
# app.xml's titles escape only & < > (as xml.sax.saxutils.escape did, whose import costs 17 ms)
_TITLE_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
SLIDE_ID_SUCCESSORS = ("sldSz", "notesSz", "smartTags", "embeddedFontLst", "custShowLst", "photoAlbum", "custDataLst",
                       "kinsoku", "defaultTextStyle", "modifyVerifier", "extLst")  # CT_Presentation's sequence


def add_slide_ids(frame: Frame, rIds: list[str]) -> None:
    """``p:sldIdLst`` listing the slides related as ``rIds``, numbered from 256 (python-pptx's first
    slide id, one past the highest id PowerPoint reserves)."""
    element = frame.element
    id_list = element.find(f"{P}sldIdLst")
    if id_list is None:
        id_list = element.makeelement(f"{P}sldIdLst", {})
        successor = next((c for c in element if etree.QName(c).localname in SLIDE_ID_SUCCESSORS), None)
        successor.addprevious(id_list) if successor is not None else element.append(id_list)
    for number, rId in enumerate(rIds):
        etree.SubElement(id_list, f"{P}sldId", {"id": str(256 + number), R_ID: rId})


def finish(frame: Frame, width: int, height: int, titles: list[str], notes: int, core_xml: bytes) -> None:
    """Apply every rule above to ``frame``, a deck of slides titled ``titles`` ("" for none) of which
    ``notes`` have notes and whose size is ``width`` x ``height`` EMU."""
    presentation, element = frame.presentation, frame.element
    notes_master = [rId for rId, rel in presentation.rels.items() if rel.reltype == RT + "notesMaster"]
    if notes_master and element.find(f"{P}notesMasterIdLst") is None:
        id_list = element.makeelement(f"{P}notesMasterIdLst", {})
        element.find(f"{P}sldMasterIdLst").addnext(id_list)  # the schema's order: right after
        etree.SubElement(id_list, f"{P}notesMasterId", {R_ID: notes_master[0]})
    size = element.find(f"{P}sldSz")
    size.set("cx", str(width))
    size.set("cy", str(height))
    size.attrib.pop("type", None)
    for rId in [rId for rId, rel in presentation.rels.items() if rel.reltype == RT + "printerSettings"]:
        del presentation.rels[rId]
    presentation.blob = serialize(element)
    parts = [_theme_name(frame), *titles]
    app = APP_XML.format(slides=len(titles), notes=notes, parts=len(parts),
                         titles="".join(f"<vt:lpstr>{t.translate(_TITLE_ESCAPES)}</vt:lpstr>" for t in parts)).encode()
    _set_part(frame, APP_PARTNAME, "application/vnd.openxmlformats-officedocument.extended-properties+xml",
              RT + "extended-properties", app)
    _set_part(frame, CORE_PARTNAME, "application/vnd.openxmlformats-package.core-properties+xml",
              "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties", core_xml)


def _set_part(frame: Frame, partname: str, content_type: str, reltype: str, blob: bytes) -> None:
    """The package-level part ``partname`` holding ``blob``, added (and related) if the template has none."""
    package = frame.package
    existing = next((rel.target for rel in package.rels.values() if rel.reltype == reltype), None)
    if existing is not None:
        package.parts[existing].blob = blob
        return
    package.add(Part(partname, content_type, blob))
    package.relate(reltype, partname)


def _theme_name(frame: Frame) -> str:
    """The ``name`` of the first slide master's theme ("Office Theme" in python-pptx's template)."""
    theme = frame.theme
    return str(theme.get("name", "")) if theme is not None else ""
