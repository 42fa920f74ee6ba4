"""The Open Packaging Conventions layer: a .pptx as parts joined by relationships, read from a
template and written back as zip entries, in the order and form python-pptx 1.0 saves them.

Why its form and not another: the bytes of every deck tfeic wrote before render wrote XML itself
came from python-pptx's ``Package.save``; keeping that form keeps them. What it does (each from
``pptx/opc/package.py`` and ``serialized.py``):

- parts are those reachable from the package relationships; they are written depth-first along the
  relationships in the order each part's relationships were made (``Package.iter_parts``), each part
  followed by its ``.rels``; ``[Content_Types].xml`` and ``_rels/.rels`` come first;
- a ``.rels`` lists relationships in rId number order with targets relative to the part's folder;
- ``[Content_Types].xml`` has a ``Default`` per extension that has a standard content type
  (``pptx/opc/spec.py default_content_types``), else an ``Override`` per part, each list sorted;
- parts python-pptx parses (``XML_PARTS``) are written as lxml re-serialises them (blank text
  removed, ``standalone='yes'`` declaration); any other part keeps its bytes.
"""

from __future__ import annotations

import functools
import posixpath
from dataclasses import dataclass, field
from typing import Callable

from lxml import etree

from .markup import XML_DECLARATION, attr

RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
CT = "application/vnd.openxmlformats-officedocument.presentationml."
CONTENT_TYPES = "[Content_Types].xml"
XML_PARTS = {CT + kind for kind in ("presentation.main+xml", "presMacro.main+xml", "template.main+xml",
                                    "slideshow.main+xml", "notesMaster+xml", "notesSlide+xml", "slide+xml",
                                    "slideLayout+xml", "slideMaster+xml")} | {
    "application/vnd.openxmlformats-package.core-properties+xml",
    "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"}
DEFAULT_TYPES = {  # pptx/opc/spec.py default_content_types: (extension, content type)
    ("bin", CT + "printerSettings"), ("bin", "application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings"),
    ("bin", "application/vnd.openxmlformats-officedocument.wordprocessingml.printerSettings"),
    ("bmp", "image/bmp"), ("emf", "image/x-emf"), ("fntdata", "application/x-fontdata"), ("gif", "image/gif"),
    ("jpe", "image/jpeg"), ("jpeg", "image/jpeg"), ("jpg", "image/jpeg"), ("mov", "video/quicktime"),
    ("mp4", "video/mp4"), ("mpg", "video/mpeg"), ("png", "image/png"),
    ("rels", "application/vnd.openxmlformats-package.relationships+xml"), ("tif", "image/tiff"),
    ("tiff", "image/tiff"), ("vid", "video/unknown"), ("wdp", "image/vnd.ms-photo"), ("wmf", "image/x-wmf"),
    ("wmv", "video/x-ms-wmv"), ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("xml", "application/xml"),
}
PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)  # python-pptx's oxml_parser


@dataclass
class Rel:
    reltype: str
    target: str  # a partname, or the URI of an external target
    external: bool = False


@dataclass
class Part:
    partname: str  # "/ppt/slides/slide1.xml"
    content_type: str
    blob: bytes
    rels: dict[str, Rel] = field(default_factory=dict)  # rId -> relationship, in the order they were made

    def relate(self, reltype: str, target: str) -> str:
        """A new relationship to ``target``; its rId."""
        return relate(self.rels, reltype, target)

    def related(self, reltype: str) -> str | None:
        """The partname of the first part this part relates to by ``reltype``."""
        return next((rel.target for rel in self.rels.values() if rel.reltype == reltype and not rel.external), None)


@dataclass
class Package:
    rels: dict[str, Rel]  # the package's own relationships (_rels/.rels)
    parts: dict[str, Part]  # partname -> part

    def relate(self, reltype: str, target: str) -> str:
        return relate(self.rels, reltype, target)

    def add(self, part: Part) -> Part:
        self.parts[part.partname] = part
        return part


def relate(rels: dict[str, Rel], reltype: str, target: str) -> str:
    """Add a relationship to ``target`` under python-pptx's next rId (``_Relationships._next_rId``:
    counting down from one past the count, the first free number); its rId."""
    rId = next(f"rId{n}" for n in range(len(rels) + 1, 0, -1) if f"rId{n}" not in rels)
    rels[rId] = Rel(reltype, target)
    return rId


def read_package(entries: dict[str, bytes]) -> Package:
    """The parts reachable from the package relationships of a zip's ``entries`` (name -> bytes),
    XML parts in python-pptx's serialised form. Raises KeyError/ValueError/XMLSyntaxError on a
    broken package."""
    types = etree.fromstring(entries[CONTENT_TYPES], PARSER)
    overrides = {e.get("PartName").lower(): e.get("ContentType") for e in types if e.tag == f"{{{TYPES_NS}}}Override"}
    defaults = {e.get("Extension").lower(): e.get("ContentType") for e in types if e.tag == f"{{{TYPES_NS}}}Default"}
    package = Package(_read_rels(entries, "/"), {})
    pending = [rel.target for rel in package.rels.values() if not rel.external]
    while pending:
        partname = pending.pop()
        if partname in package.parts:
            continue
        content_type = overrides.get(partname.lower()) or defaults[partname.rsplit(".", 1)[-1].lower()]
        blob = entries[partname[1:]]
        if content_type in XML_PARTS:
            blob = serialize(etree.fromstring(blob, PARSER))
        part = package.add(Part(partname, content_type, blob, _read_rels(entries, partname)))
        pending.extend(rel.target for rel in part.rels.values() if not rel.external)
    return package


def serialize(element: etree._Element) -> bytes:
    """An XML part's bytes as python-pptx writes them (``pptx.opc.oxml.serialize_part_xml``)."""
    return bytes(etree.tostring(element, encoding="UTF-8", standalone=True))


def write_package(package: Package) -> list[tuple[str, Callable[[], bytes]]]:
    """The zip entries of ``package`` in python-pptx's order, each as its name and a function that
    makes its bytes (a caller that keeps an entry from an earlier rendering never makes them)."""
    entries: list[tuple[str, Callable[[], bytes]]] = [
        (CONTENT_TYPES, lambda: content_types_xml(package)), ("_rels/.rels", lambda: rels_xml(package.rels, "/"))]
    for part in iter_parts(package):
        entries.append((part.partname[1:], functools.partial(getattr, part, "blob")))
        if part.rels:
            entries.append((rels_name(part.partname), functools.partial(rels_xml, part.rels, part.partname)))
    return entries


def iter_parts(package: Package) -> list[Part]:
    """Every part once, depth-first along the relationships in the order they were made."""
    seen: set[str] = set()
    order: list[Part] = []
    stack = [iter(package.rels.values())]
    while stack:
        rel = next(stack[-1], None)
        if rel is None:
            stack.pop()
        elif not rel.external and rel.target not in seen:
            seen.add(rel.target)
            part = package.parts[rel.target]
            order.append(part)
            stack.append(iter(part.rels.values()))
    return order


def rels_name(partname: str) -> str:
    """The zip name of a part's relationships: ``ppt/slides/_rels/slide1.xml.rels``."""
    folder, name = posixpath.split(partname)
    return f"{folder[1:]}/_rels/{name}.rels" if folder != "/" else f"_rels/{name}.rels"


def rels_xml(rels: dict[str, Rel], source: str) -> bytes:
    """A ``.rels`` part: relationships in rId number order, targets relative to ``source``'s folder."""
    base = posixpath.dirname(source) if source != "/" else "/"
    items = []
    for _, rId in sorted((int(r[3:]) if r.startswith("rId") and r[3:].isdigit() else 0, r) for r in rels):
        rel = rels[rId]
        if rel.external:
            target, mode = rel.target, ' TargetMode="External"'
        else:
            target, mode = (rel.target[1:] if base == "/" else _relative(rel.target, base)), ""
        items.append(f'<Relationship Id="{attr(rId)}" Type="{attr(rel.reltype)}" Target="{attr(target)}"{mode}/>')
    body = "".join(items)
    root = f'<Relationships xmlns="{RELS_NS}">{body}</Relationships>' if body else f'<Relationships xmlns="{RELS_NS}"/>'
    return (XML_DECLARATION + root).encode()


@functools.lru_cache(maxsize=4096)
def _relative(target: str, base: str) -> str:
    """``target`` relative to the folder ``base`` (python-pptx ``PackURI.relative_ref``)."""
    return posixpath.relpath(target, base)


def content_types_xml(package: Package) -> bytes:
    defaults = {ext: content_type for ext, content_type in DEFAULT_TYPES if ext in ("rels", "xml")}  # always listed
    overrides = {}
    for part in iter_parts(package):
        ext = part.partname.rsplit(".", 1)[-1]
        if (ext.lower(), part.content_type) in DEFAULT_TYPES:
            defaults[ext.lower()] = part.content_type
        else:
            overrides[part.partname] = part.content_type
    items = [f'<Default Extension="{attr(e)}" ContentType="{attr(t)}"/>' for e, t in sorted(defaults.items())]
    items += [f'<Override PartName="{attr(p)}" ContentType="{attr(t)}"/>' for p, t in sorted(overrides.items())]
    return (XML_DECLARATION + f'<Types xmlns="{TYPES_NS}">{"".join(items)}</Types>').encode()


def _read_rels(entries: dict[str, bytes], source: str) -> dict[str, Rel]:
    """The relationships of ``source`` ("/" for the package), targets resolved to partnames."""
    data = entries.get(rels_name(source) if source != "/" else "_rels/.rels")
    if data is None:
        return {}
    base = posixpath.dirname(source) if source != "/" else "/"
    rels = {}
    for element in etree.fromstring(data, PARSER):
        external = element.get("TargetMode") == "External"
        target = element.get("Target")
        if not external:
            target = posixpath.normpath(posixpath.join(base, target)) if not target.startswith("/") else target
        rels[element.get("Id")] = Rel(element.get("Type"), target, external)
    return rels
