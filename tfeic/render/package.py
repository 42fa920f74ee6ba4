"""The frame of a deck: the template's package (python-pptx's default template, or a company's
.pptx/.potx) without its slides, and the parts a deck adds to it, named as python-pptx names them.

python-pptx itself is not imported: its default template and the notes master and theme it adds for
the first notes slide are read as files from its package folder (``pptx/templates/``), which is all
python-pptx does with them (``Package.open``, ``NotesMasterPart.create_default``).
"""

from __future__ import annotations

import functools
import importlib.util
import os
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from ..core.diagnostics import Diagnostic, Pos, SpecError
from .archive import read_entries
from .opc import CT, PARSER, RT, Package, Part, read_package, serialize

P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
TEMPLATE_MAIN = CT + "template.main+xml"
PRESENTATION_MAIN = CT + "presentation.main+xml"
# what a file that is not a well-formed PowerPoint package raises while it is read (a missing part or
# attribute, a broken zip or XML)
OPEN_ERRORS = (OSError, KeyError, ValueError, AttributeError, TypeError, StopIteration, zipfile.BadZipFile,
               etree.XMLSyntaxError)
SLIDE_PARTNAME = "/ppt/slides/slide%d.xml"
NOTES_PARTNAME = "/ppt/notesSlides/notesSlide%d.xml"
NOTES_MASTER_PARTNAME = "/ppt/notesMasters/notesMaster1.xml"


@functools.cache
def pptx_templates() -> str:
    """python-pptx's ``templates`` folder, found without importing python-pptx."""
    spec = importlib.util.find_spec("pptx")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("python-pptx is not installed")
    return os.path.join(list(spec.submodule_search_locations)[0], "templates")


@dataclass(frozen=True)
class Placeholder:
    """A placeholder of a layout or master: its ``p:ph`` attributes with python-pptx's defaults."""

    type: str  # ST_PlaceholderType: "title", "body", "sldImg" ...; "obj" when absent
    idx: int
    orient: str
    sz: str

    @property
    def is_title(self) -> bool:
        return self.type in ("title", "ctrTitle")

    def ph_xml(self) -> str:
        """``p:ph`` as python-pptx's ``new_placeholder_sp`` writes it: type, idx, orient, sz, each
        only when not the default."""
        attrs = [f'type="{self.type}"' if self.type != "obj" else "", f'idx="{self.idx}"' if self.idx else "",
                 f'orient="{self.orient}"' if self.orient != "horz" else "", f'sz="{self.sz}"' if self.sz != "full" else ""]
        return f'<p:ph {" ".join(a for a in attrs if a)}/>' if any(attrs) else "<p:ph/>"


@dataclass(frozen=True)
class Layout:
    partname: str
    type: str  # ST_SlideLayoutType ("titleOnly", "blank", ...)
    placeholders: tuple[Placeholder, ...]  # in document order

    @property
    def cloned(self) -> tuple[Placeholder, ...]:
        """What a new slide on it gets: every placeholder but date, footer and slide number
        (python-pptx ``SlideLayout.iter_cloneable_placeholders``)."""
        return tuple(p for p in self.placeholders if p.type not in ("dt", "ftr", "sldNum"))


@dataclass
class Frame:
    package: Package
    presentation: Part
    element: etree._Element  # the presentation part's XML, finished by ``presentation.finish``
    layouts: tuple[Layout, ...]  # the first master's, in its order (python-pptx ``slide_layouts``)
    counters: dict[str, int] = field(default_factory=dict)

    @property
    def master(self) -> Part:
        """The first slide master (python-pptx's ``slide_master``): its layouts are the deck's."""
        return _first_master(self.package, self.presentation, self.element)

    @property
    def theme(self) -> etree._Element | None:
        """The first slide master's theme (``a:theme``), if it has one."""
        name = self.master.related(RT + "theme")
        return etree.fromstring(self.package.parts[name].blob, PARSER) if name else None

    def next_name(self, template: str) -> str:
        """``template % n`` for the next ``n`` after the highest that parts of the template have
        (python-pptx's ``next_partname``, done as one scan per name and then a counter)."""
        prefix = template[: template.index("%")]
        if prefix not in self.counters:
            self.counters[prefix] = max((_index(name, prefix) for name in self.package.parts if name.startswith(prefix)),
                                        default=0)
        self.counters[prefix] += 1
        return template % self.counters[prefix]


def open_frame(template: str = "") -> Frame:
    """The frame on ``template`` (a company's .pptx/.potx) or python-pptx's default template. A file
    that is not a PowerPoint package is a spec error naming it."""
    path = template or os.path.join(pptx_templates(), "default.pptx")
    try:
        with open(path, "rb") as f:
            entries = dict(read_entries(f.read()))
        if template:  # a .potx: open it as the presentation it becomes
            types = "[Content_Types].xml"
            entries[types] = entries[types].replace(TEMPLATE_MAIN.encode(), PRESENTATION_MAIN.encode())
        package = read_package(entries)
        presentation = package.parts[next(r.target for r in package.rels.values() if r.reltype == RT + "officeDocument")]
        element = etree.fromstring(presentation.blob, PARSER)
        layouts = _layouts(package, presentation, element)
    except OPEN_ERRORS as err:
        raise SpecError(Diagnostic(f"cannot open the template as a PowerPoint file: {err}", Pos(path))) from None
    _drop_slides(presentation, element)
    return Frame(package, presentation, element, layouts)


def notes_master(frame: Frame) -> Part:
    """The deck's notes master: the template's, else python-pptx's default one and its theme, related
    from the presentation when the first notes slide needs it (``PresentationPart.notes_master_part``)."""
    existing = frame.presentation.related(RT + "notesMaster")
    if existing is not None:
        return frame.package.parts[existing]
    folder = pptx_templates()
    theme = frame.package.add(Part(frame.next_name("/ppt/theme/theme%d.xml"),
                                   "application/vnd.openxmlformats-officedocument.theme+xml",
                                   _template_xml(os.path.join(folder, "theme.xml"))))
    master = frame.package.add(Part(NOTES_MASTER_PARTNAME, CT + "notesMaster+xml",
                                    _template_xml(os.path.join(folder, "notesMaster.xml"))))
    master.relate(RT + "theme", theme.partname)
    frame.presentation.relate(RT + "notesMaster", master.partname)
    return master


def placeholders(xml: bytes) -> tuple[Placeholder, ...]:
    """The placeholders of a layout or master, in document order."""
    tree = etree.fromstring(xml, PARSER).find(f"{P}cSld/{P}spTree")
    found = []
    for shape in tree if tree is not None else ():
        ph = shape.find(f"*/{P}nvPr/{P}ph")
        if ph is not None:
            found.append(Placeholder(ph.get("type", "obj"), int(ph.get("idx", "0")), ph.get("orient", "horz"),
                                     ph.get("sz", "full")))
    return tuple(found)


@functools.cache
def _template_xml(path: str) -> bytes:
    with open(path, "rb") as f:
        return serialize(etree.fromstring(f.read(), PARSER))


def _first_master(package: Package, presentation: Part, element: etree._Element) -> Part:
    master_id = element.find(f"{P}sldMasterIdLst/{P}sldMasterId")
    return package.parts[presentation.rels[master_id.get(R_ID)].target]


def _layouts(package: Package, presentation: Part, element: etree._Element) -> tuple[Layout, ...]:
    master = _first_master(package, presentation, element)
    layouts = []
    for layout_id in etree.fromstring(master.blob, PARSER).iterfind(f"{P}sldLayoutIdLst/{P}sldLayoutId"):
        part = package.parts[master.rels[layout_id.get(R_ID)].target]
        layouts.append(Layout(part.partname, etree.fromstring(part.blob, PARSER).get("type", "cust"),
                              placeholders(part.blob)))
    return tuple(layouts)


def _drop_slides(presentation: Part, element: etree._Element) -> None:
    """A template's own slides go: their ids and relationships (the parts become unreachable)."""
    id_list = element.find(f"{P}sldIdLst")
    for slide_id in list(id_list if id_list is not None else ()):
        id_list.remove(slide_id)
        presentation.rels.pop(slide_id.get(R_ID), None)


def _index(partname: str, prefix: str) -> int:
    digits = "".join(c for c in partname[len(prefix):].split(".")[0] if c.isdigit())
    return int(digits) if digits else 0
