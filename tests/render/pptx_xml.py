"""A small, independent reader of .pptx packages for the tests: zipfile and lxml only, never tfeic.

It follows the package as python-pptx does (``pptx/parts/presentation.py``, ``pptx/slide.py``): the
slides are the targets of ``p:sldIdLst`` in ``ppt/presentation.xml``, in that order, through the
presentation part's relationships; a slide's layout is the target of its ``slideLayout`` relationship.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass

from lxml import etree

NS = {
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
}
LAYOUT_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/slideLayout"
R_ID = f"{{{NS['r']}}}id"


@dataclass(frozen=True)
class Shape:
    """A top-level shape of a slide's ``p:spTree``: its tag, name, alt text and rectangle (EMU)."""

    tag: str
    name: str
    descr: str | None
    x: int
    y: int
    w: int
    h: int

    def overlaps(self, other: "Shape") -> bool:
        return self.x < other.x + other.w and other.x < self.x + self.w and \
            self.y < other.y + other.h and other.y < self.y + self.h


@dataclass(frozen=True)
class SlideXml:
    part: str  # e.g. ppt/slides/slide3.xml
    root: etree._Element
    layout: str  # the cSld name of its slide layout

    def title_placeholders(self) -> list[etree._Element]:
        return [sp for sp in self.root.iterfind("p:cSld/p:spTree/p:sp", NS)
                if sp.find("p:nvSpPr/p:nvPr/p:ph[@type='title']", NS) is not None]

    def title(self) -> str | None:
        found = self.title_placeholders()
        return "".join(found[0].itertext()) if found else None

    def texts(self) -> list[str]:
        return [t.text or "" for t in self.root.iterfind(".//a:t", NS)]

    def shapes(self) -> list[Shape]:
        tree = self.root.find("p:cSld/p:spTree", NS)
        out = []
        for child in tree[2:]:  # after p:nvGrpSpPr and p:grpSpPr
            tag = etree.QName(child).localname
            c_nv_pr = child.find("*/p:cNvPr", NS)
            xfrm = child.find("p:xfrm", NS) if tag == "graphicFrame" else child.find("*/a:xfrm", NS)
            off, ext = xfrm.find("a:off", NS), xfrm.find("a:ext", NS)
            out.append(Shape(tag, c_nv_pr.get("name"), c_nv_pr.get("descr"), int(off.get("x")), int(off.get("y")),
                             int(ext.get("cx")), int(ext.get("cy"))))
        return out


def _rels(parts: dict[str, bytes], part: str) -> dict[str, tuple[str, str]]:
    """rId -> (type, target part name) of ``part``."""
    folder, name = posixpath.split(part)
    rels = etree.fromstring(parts[posixpath.join(folder, "_rels", name + ".rels")])
    return {r.get("Id"): (r.get("Type"), posixpath.normpath(posixpath.join(folder, r.get("Target"))))
            for r in rels.iterfind("rel:Relationship", NS)}


def read(pptx: bytes) -> tuple[list[SlideXml], etree._Element]:
    """The slides in presentation order, and ``docProps/app.xml``."""
    with zipfile.ZipFile(io.BytesIO(pptx)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    presentation = etree.fromstring(parts["ppt/presentation.xml"])
    targets = _rels(parts, "ppt/presentation.xml")
    slides = []
    for slide_id in presentation.iterfind("p:sldIdLst/p:sldId", NS):
        part = targets[slide_id.get(R_ID)][1]
        layout_part = next(t for kind, t in _rels(parts, part).values() if kind == LAYOUT_REL)
        layout = etree.fromstring(parts[layout_part]).find("p:cSld", NS).get("name")
        slides.append(SlideXml(part, etree.fromstring(parts[part]), layout))
    return slides, etree.fromstring(parts["docProps/app.xml"])
