"""render_deck: a placed deck to .pptx bytes, one slide per placed slide, written as XML strings.

Render decides nothing about geometry or sizes: it draws exactly the rectangles and font sizes the
layout proved, and writes every text property explicitly. For accessibility (what PowerPoint's
outline view, its accessibility checker and screen readers read):

- a slide with a title is made on the template's "Title Only" layout and its title is that layout's
  title placeholder, moved and sized to the proven title box; a slide without one is "Blank";
- shapes are written in visual order (top to bottom, then left to right), which is the reading order
  of ``p:spTree``; proven boxes never overlap, so this order is also a safe z-order.

Each slide becomes its own zip entries (its part, notes slide, charts, workbooks and their
relationships), compressed as soon as it is drawn, so a deck never holds all of its slides' XML at
once, and a rebuild can keep a slide's entries instead of drawing it (``tfeic.render.reuse``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime

from ..core.diagnostics import Diagnostic, Pos, SourceError
from ..ir import Paragraph, Span
from ..layout.footer import SLIDE_NUMBER
from ..layout.placed import PlacedBox, PlacedChart, PlacedDeck, PlacedImage, PlacedShapes, PlacedSlide, PlacedTable, PlacedText
from .archive import Entry, compress, write_archive
from .markup import XML_DECLARATION, nsdecls
from .notes import notes_slide_xml
from .opc import CT, RT, Part, rels_name, rels_xml, write_package
from .package import NOTES_PARTNAME, SLIDE_PARTNAME, Frame, Layout, Placeholder, notes_master, open_frame, placeholders
from .presentation import add_slide_ids, finish
from .properties import core_properties_xml, timestamp
from .shapes import group_xml, picture_xml, text_box_xml
from .table import table_xml

# slide layout types (ST_SlideLayoutType) of a titled and an untitled slide: in python-pptx's default
# template (pptx/templates/default.pptx) slideLayout6.xml "Title Only" and slideLayout7.xml "Blank"
TITLE_LAYOUT = "titleOnly"
BLANK_LAYOUT = "blank"
SLIDE_HEAD = f"{XML_DECLARATION}<p:sld {nsdecls('a', 'p', 'r')}><p:cSld>"
TREE_HEAD = '<p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>'
SLIDE_TAIL = "</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>"
IMAGE_TYPES = {"BMP": ("bmp", "image/bmp"), "GIF": ("gif", "image/gif"), "JPEG": ("jpg", "image/jpeg"),
               "PNG": ("png", "image/png"), "TIFF": ("tiff", "image/tiff"), "WMF": ("wmf", "image/x-wmf")}


def render_deck(deck: PlacedDeck) -> bytes:
    """The .pptx bytes of ``deck``; equal decks give equal bytes."""
    return write_archive(render_entries(deck, None)[0])


class NotKept(LookupError):
    """A slide that was to be kept from a previous rendering is not in it (``render_entries``'s ``redraw``)."""


def render_entries(deck: PlacedDeck, kept: dict[str, list[Entry]] | None,
                   redraw: frozenset[int] | None = None) -> tuple[list[Entry], dict[str, list[Entry]]]:
    """The archive's entries, in order, and each slide's own entries by its key (``_slide_key``); a
    slide whose key is in ``kept`` is not drawn again: its entries are those. ``kept=None``: no
    rendering is kept, so no slide is keyed. ``redraw``: the numbers of the only slides that may be
    drawn (the others hold only what keying them needs: ``tfeic.splice``); NotKept if another is not
    in ``kept``.

    Two passes: every slide's parts and relationships are made in deck order (what names and numbers
    parts get depends on the slides before), then the slides not kept are drawn, each on its own (a
    long deck's second half in a forked child: ``core.forked``)."""
    from ..core.forked import map_in_halves

    frame = open_frame(deck.template)
    writer = _Writer(frame, timestamp(deck.created))
    slides = [writer.add_slide(number, placed, kept) for number, placed in enumerate(deck.slides, 1)]
    to_draw = [slide for slide in slides if slide.entries is None]
    if redraw is not None and any(slide.number not in redraw for slide in to_draw):
        raise NotKept(f"slide {next(s.number for s in to_draw if s.number not in redraw)} is not in the previous rendering")
    for slide, entries in zip(to_draw, map_in_halves(writer.draw, [[slide] for slide in to_draw])):
        slide.entries = entries
    for slide in slides:
        assert slide.entries is not None  # kept, or drawn just now
        if slide.key is not None:
            writer.slides[slide.key] = slide.entries
        writer.entries.update((entry.name, entry) for entry in slide.entries)
    add_slide_ids(frame, [slide.rId for slide in slides])
    finish(frame, deck.width, deck.height, [_title_text(p) for p in deck.slides], sum(bool(p.notes) for p in deck.slides),
           core_properties_xml(deck))
    out = [writer.entries.get(name) or compress(name, make()) for name, make in write_package(frame.package)]
    return out, writer.slides


@dataclass
class _Slide:
    """One slide after the first pass: its parts are named and related; drawing it needs only this."""

    number: int
    placed: PlacedSlide
    layout: Layout
    part: Part  # the slide part: related to its layout, pictures and charts (reading order), notes slide
    rId: str  # the presentation's relationship to it
    targets: list[str]  # the rIds of its pictures and charts, in reading order
    charts: list[tuple[PlacedChart, str]]  # each chart and its partname
    notes: Part | None  # its notes slide
    key: str | None  # what its entries are kept under (None: nothing is kept)
    entries: list[Entry] | None  # its own zip entries: kept from a previous rendering, or once drawn


class _Writer:
    """Adds slides to a frame (each slide's parts, named and related as python-pptx names and relates
    them) and draws them."""

    def __init__(self, frame: Frame, created: datetime) -> None:
        self.frame = frame
        self.created = created
        self.entries: dict[str, Entry] = {}  # compressed entries of the slides' own parts
        self.images: dict[str, Part] = {}  # sha1 -> image part, shared by every slide showing the picture
        self.notes_slides = 0
        self.notes_master: tuple[Placeholder, ...] = ()  # the notes master's placeholders, read once
        self.slides: dict[str, list[Entry]] = {}  # slide key -> its own entries

    def add_slide(self, number: int, placed: PlacedSlide, kept: dict[str, list[Entry]] | None) -> _Slide:
        """The slide's parts and relationships, in the order drawing it makes them: its layout, its
        pictures and charts in reading order, then its notes slide."""
        frame = self.frame
        layout = _layout_for(frame.layouts, placed)
        part = frame.package.add(Part(SLIDE_PARTNAME % number, CT + "slide+xml", b""))
        rId = frame.presentation.relate(RT + "slide", part.partname)
        part.relate(RT + "slideLayout", layout.partname)
        names = self._external_names(placed)
        notes_number = self.notes_slides + 1 if placed.notes else 0
        key = None if kept is None else _slide_key(number, placed, names, notes_number, layout, self.created)
        targets, charts = self._relate(part, placed, names)
        notes = self._notes(part) if placed.notes else None
        return _Slide(number, placed, layout, part, rId, targets, charts, notes, key,
                      kept.get(key) if kept is not None and key is not None else None)

    # -- parts numbered across the deck: charts, their workbooks, pictures ------------------------

    def _external_names(self, placed: PlacedSlide) -> list[str]:
        """The partnames the slide's charts, workbooks and pictures get (what else its XML depends on)."""
        names = []
        for box in sorted(placed.all_boxes, key=visual_order):
            if isinstance(box, PlacedChart):
                names += [self.frame.next_name("/ppt/charts/chart%d.xml"),
                          self.frame.next_name("/ppt/embeddings/Microsoft_Excel_Sheet%d.xlsx")]
            elif isinstance(box, PlacedImage):
                names.append(self._image(box, placed.origin).partname)
        return names

    def _image(self, box: PlacedImage, origin: Pos | None) -> Part:
        """The image part holding the picture's bytes, shared by every slide that shows them."""
        try:
            with open(box.path, "rb") as f:
                blob = f.read()
            digest = hashlib.sha1(blob).hexdigest()
            if digest not in self.images:
                ext, content_type = _image_format(blob)
                name = self.frame.next_name("/ppt/media/image%d." + ext.replace("%", "%%"))
                self.images[digest] = self.frame.package.add(Part(name, content_type, blob))
        except (OSError, ValueError) as err:  # missing, unreadable, or not an image python-pptx takes
            raise SourceError(Diagnostic(f"image {box.path!r} for box {box.name!r} cannot be read: {err}",
                                         origin or Pos(box.path))) from err
        return self.images[digest]

    def _relate(self, part: Part, placed: PlacedSlide, names: list[str]) -> tuple[list[str], list[tuple[PlacedChart, str]]]:
        """The slide's relationships to its pictures and charts (a chart part and its workbook each,
        related as python-pptx relates them), in reading order: their rIds, and each chart's partname."""
        package, external = self.frame.package, iter(names)
        targets, charts = [], []
        for box in sorted(placed.all_boxes, key=visual_order):
            if isinstance(box, PlacedImage):
                targets.append(_relate_once(part, RT + "image", next(external)))
            elif isinstance(box, PlacedChart):
                chart_name, workbook_name = next(external), next(external)
                chart = package.add(Part(chart_name, "application/vnd.openxmlformats-officedocument.drawingml.chart+xml", b""))
                package.add(Part(workbook_name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b""))
                chart.relate(RT + "package", workbook_name)
                targets.append(part.relate(RT + "chart", chart_name))
                charts.append((box, chart_name))
        return targets, charts

    def _notes(self, slide: Part) -> Part:
        """The slide's notes slide, on the deck's notes master (made with the first one)."""
        master = notes_master(self.frame)
        if not self.notes_master:
            self.notes_master = placeholders(master.blob)
        self.notes_slides += 1
        notes = self.frame.package.add(Part(NOTES_PARTNAME % self.notes_slides, CT + "notesSlide+xml", b""))
        notes.relate(RT + "notesMaster", master.partname)
        notes.relate(RT + "slide", slide.partname)
        slide.relate(RT + "notesSlide", notes.partname)
        return notes

    # -- drawing: a slide's own entries from what the first pass made ------------------------------

    def draw(self, group: list[_Slide]) -> list[Entry]:
        """The zip entries that belong to the slide (a group of one) alone, compressed: its part, its
        notes slide, its charts and their workbooks, and their relationships (pictures are shared,
        so they are the frame's)."""
        (slide,) = group
        parts = self.frame.package.parts
        entries = [(slide.part.partname, self._slide_xml(slide))]
        for box, chart_name in slide.charts:
            from .chartxml import chart_part_xml
            from .workbook import chart_workbook

            entries.append((chart_name, chart_part_xml(box)))
            workbook = next(rel.target for rel in parts[chart_name].rels.values())
            entries.append((workbook, chart_workbook(box.chart, self.created)))
        if slide.notes is not None:
            entries.append((slide.notes.partname, notes_slide_xml(self.notes_master, slide.placed.notes)))
        out = []
        for partname, blob in entries:
            out.append(compress(partname[1:], blob))
            rels = parts[partname].rels
            if rels:
                out.append(compress(rels_name(partname), rels_xml(rels, partname)))
        return out

    def _slide_xml(self, slide: _Slide) -> bytes:
        placed = slide.placed
        kept_ph = [(shape_id, ph) for shape_id, ph in enumerate(slide.layout.cloned, 2) if ph.is_title]  # the rest are unproven
        next_id = max((shape_id for shape_id, _ in kept_ph), default=1) + 1
        title = _title_box(placed)
        ordered = sorted(placed.all_boxes, key=visual_order)
        shapes: list[str] = []
        title_xml = None
        targets = iter(slide.targets)
        for box in ordered:
            if box is title:
                shape_id, ph = kept_ph[0]
                title_xml = text_box_xml(box, shape_id, ph.ph_xml())
                continue
            xml, next_id = _shape_xml(box, placed.index, next_id, targets)
            shapes.append(xml)
        tree = [_bare_placeholder(shape_id, ph) for shape_id, ph in kept_ph[1 if title else 0:]] + shapes
        if title is not None and title_xml is not None:  # the layout's placeholder, in its place in reading order
            tree.insert(ordered.index(title), title_xml)
        background = f'<p:bg><p:bgPr><a:solidFill><a:srgbClr val="{placed.background.upper()}"/></a:solidFill><a:effectLst/></p:bgPr></p:bg>'
        return (SLIDE_HEAD + background + TREE_HEAD + "".join(tree) + SLIDE_TAIL).encode()


def _shape_xml(box: PlacedBox, number: int, shape_id: int, targets: Iterator[str]) -> tuple[str, int]:
    """A box's XML and the next free shape id; a picture's or chart's rId is the next of ``targets``."""
    if isinstance(box, PlacedText):
        if box.placeholder == SLIDE_NUMBER:
            box = replace(box, paragraphs=(Paragraph((Span(str(number)),)),))
            return text_box_xml(box, shape_id, field=True), shape_id + 1
        return text_box_xml(box, shape_id), shape_id + 1
    if isinstance(box, PlacedTable):
        return table_xml(box, shape_id), shape_id + 1
    if isinstance(box, PlacedShapes):
        return group_xml(box, shape_id)
    if isinstance(box, PlacedImage):
        return picture_xml(box, shape_id, next(targets)), shape_id + 1
    if isinstance(box, PlacedChart):
        from .chartxml import chart_frame_xml

        return chart_frame_xml(box, shape_id, next(targets)), shape_id + 1
    raise TypeError(f"render cannot draw {type(box).__name__}")


def _relate_once(part: Part, reltype: str, target: str) -> str:
    """The rId of ``part``'s relationship to ``target``, made if it has none (python-pptx ``relate_to``)."""
    existing = next((rId for rId, rel in part.rels.items() if rel.target == target and rel.reltype == reltype), None)
    return existing or part.relate(reltype, target)


def _image_format(blob: bytes) -> tuple[str, str]:
    """The extension and content type python-pptx gives a picture (``pptx.parts.image.Image``), from
    the format Pillow reads; a format python-pptx does not take is a ValueError."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(blob)) as image:
        kind = image.format
    if kind not in IMAGE_TYPES:
        raise ValueError(f"unsupported image format {kind}")
    return IMAGE_TYPES[kind]


def _bare_placeholder(shape_id: int, ph: Placeholder) -> str:
    """A cloned title placeholder no title was proven for: python-pptx's ``new_placeholder_sp``."""
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="Title {shape_id - 1}"/><p:cNvSpPr><a:spLocks noGrp="1"/>'
            f"</p:cNvSpPr><p:nvPr>{ph.ph_xml()}</p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/><a:p/>"
            "</p:txBody></p:sp>")


def _slide_key(number: int, placed: PlacedSlide, names: list[str], notes_number: int, layout: Layout,
               created: datetime) -> str:
    """What a slide's own entries are made of: its position, what it draws (its source position is
    for diagnostics only), the names of its charts, workbooks and pictures, the number of its notes
    slide (0: none), its layout, and the date its charts' workbooks carry. What it draws is its
    ``digest`` when the build knows what it was made from, else its repr (not a pickle: equal slides
    have equal reprs, while a pickle also records which equal values are shared objects)."""
    what = placed.digest or repr(replace(placed, origin=None))  # the build's key of what it was made from
    drawn = f"{number}\n{what}\n{names}\n{notes_number}\n{layout!r}\n{created}"
    return hashlib.sha256(drawn.encode("utf-8", "surrogatepass")).hexdigest()


def _layout_for(layouts: tuple[Layout, ...], placed: PlacedSlide) -> Layout:
    """The "Title Only" layout for a slide whose title layout placed, else the "Blank" one; a
    template without one gets its layout with the fewest placeholders (a title among them)."""
    titled = _title_box(placed) is not None
    kind = TITLE_LAYOUT if titled else BLANK_LAYOUT
    exact = [layout for layout in layouts if layout.type == kind]
    usable = [layout for layout in layouts if not titled or any(ph.is_title for ph in layout.placeholders)]
    return (exact or sorted(usable or list(layouts), key=lambda layout: len(layout.placeholders)))[0]


def _title_box(placed: PlacedSlide) -> PlacedText | None:
    return next((b for b in placed.boxes if isinstance(b, PlacedText) and b.placeholder == "title"), None)


def _title_text(placed: PlacedSlide) -> str:
    """The text of the slide's title placeholder ("" for none), as outline view and app.xml show it."""
    box = _title_box(placed)
    return " ".join(p.text for p in box.paragraphs) if box else ""


def visual_order(box: PlacedBox) -> tuple[int, int]:
    """Reading order: top edge, then left edge."""
    return box.rect.y, box.rect.x
