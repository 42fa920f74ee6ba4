"""The layout proof: a value that shows, box by box, why every slide fits; and ``check``, which
re-derives the same verdict from the placed geometry alone.

``check`` does not trust the engine: it takes only what render will write (EMU rectangles, chosen
sizes, paragraphs, insets) and the theme's fonts, and re-tests overlap of every pair of top-level
boxes, containment in the content box (footer boxes: in the footer band; shapes: in their drawing), and needed <= available
height of every text, table cell and shape text.

JSON shape of ``Proof.to_json()`` (keys in this order; lengths in points, rounded to 0.01)::

    {"version": 1, "theme": str, "ok": bool,
     "slides": [{"index": int (1-based, output deck), "title": str|null,
                 "origin": "path:line:col"|null, "layout": str,
                 "boxes": [Box], "pairs": [{"a": str, "b": str, "overlap": bool}],
                 "inside": [{"box": str, "inside": bool}],
                 "failures": [{"severity", "message", "hint", "path", "line", "col"}]}]}
    Box = {"name": str, "kind": "text"|"table"|"image"|"shapes"|"shape"|"chart"|"chart-text",
           "rect": [x, y, w, h], "font_size": float|null, "lines": int|null,
           "needed": float|null, "available": float|null, "slack": float|null, "parts": [Box]}

``parts`` lists the text-bearing shapes of a ``shapes`` box, and the conditions a chart's text puts
on its plot area (``chart-text``: needed vs available points, widths unless the part says height);
``lines`` of a table counts its rows. A chart's own ``needed`` is its height less the slack of the
plot area over its minimum.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import combinations

from ..core.diagnostics import Diagnostic, Pos
from ..core.text import without_surrogates
from ..ir import Paragraph
from ..theme import Theme
from .fonts import MISSING_GLYPH_HINT, MissingGlyph
from .footer import footer_band
from .grid import content_box
from .measure import Faces, Spacing, WordTooWide, fits, measure_text, table_cells
from .labels import shape_label, slide_label
from .placed import (EMU_PER_PT, PlacedChart, PlacedShapes, PlacedSlide, PlacedTable, PlacedText, Rect,
                     TextStyle)
from .readability import readability_checks

PROOF_VERSION = 1


def _pt(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


@dataclass(frozen=True)
class BoxProof:
    """One box: where it is, at what size, and how much height its content needs of what it has."""

    name: str
    kind: str
    rect: tuple[float, ...]  # x, y, w, h in points
    font_size: float | None = None
    lines: int | None = None
    needed: float | None = None
    available: float | None = None
    parts: tuple["BoxProof", ...] = ()
    # the role's size before shrinking, None where the block is meant to shrink (not in the JSON: it is
    # what shrink_warnings compares font_size with)
    theme_size: float | None = None

    @property
    def slack(self) -> float | None:
        return None if self.needed is None or self.available is None else self.available - self.needed

    def to_dict(self) -> dict:
        return {"name": self.name, "kind": self.kind, "rect": list(self.rect),
                "font_size": self.font_size, "lines": self.lines, "needed": _pt(self.needed),
                "available": _pt(self.available), "slack": _pt(self.slack),
                "parts": [p.to_dict() for p in self.parts]}


@dataclass(frozen=True)
class PairCheck:
    a: str
    b: str
    overlap: bool


@dataclass(frozen=True)
class InsideCheck:
    box: str
    inside: bool


@dataclass(frozen=True)
class SlideProof:
    index: int
    title: str | None
    origin: Pos | None
    layout: str
    boxes: tuple[BoxProof, ...]
    pairs: tuple[PairCheck, ...]
    inside: tuple[InsideCheck, ...]
    failures: tuple[Diagnostic, ...]

    def to_dict(self) -> dict:
        return {"index": self.index, "title": self.title,
                "origin": str(self.origin) if self.origin else None, "layout": self.layout,
                "boxes": [b.to_dict() for b in self.boxes],
                "pairs": [{"a": p.a, "b": p.b, "overlap": p.overlap} for p in self.pairs],
                "inside": [{"box": c.box, "inside": c.inside} for c in self.inside],
                "failures": [d.as_dict() for d in self.failures]}


@dataclass(frozen=True)
class Proof:
    theme: str
    slides: tuple[SlideProof, ...]

    @property
    def failures(self) -> list[Diagnostic]:
        return [d for s in self.slides for d in s.failures]

    @property
    def ok(self) -> bool:
        return not self.failures

    def to_dict(self) -> dict:
        return {"version": PROOF_VERSION, "theme": self.theme, "ok": self.ok,
                "slides": [s.to_dict() for s in self.slides]}

    def to_json(self) -> str:
        """The proof as UTF-8-ready JSON; a lone surrogate (from a data file's escapes) is written as
        the U+FFFD that layout measured and the .pptx draws in its place."""
        return without_surrogates(json.dumps(self.to_dict(), indent=2, ensure_ascii=False)) + "\n"


def shrink_warnings(proof: Proof) -> list[Diagnostic]:
    """One warning for each block whose text the layout shrank below its theme size, at its slide's
    position: a long token can shrink a whole list from 20 pt to 13 pt, and the build would not say.
    Made from the whole deck's proof (slides numbered as output) and once per block: a paginated block
    warns on its first page; a shapes block names its smallest shape and counts the others."""
    warnings, seen = [], set()
    for slide in proof.slides:
        for box in slide.boxes:
            shrunk = sorted((p for p in (box.parts if box.kind == "shapes" else (box,)) if _shrunk(p)),
                            key=lambda p: p.font_size or 0.0)
            if not shrunk or (slide.origin, box.name) in seen:
                continue
            seen.add((slide.origin, box.name))
            least = shrunk[0]
            where = box.name if least is box else f"{box.name}, shape {least.name}"
            others = f" ({len(shrunk) - 1} other shape{'s' if len(shrunk) > 2 else ''} shrunk too)" if len(shrunk) > 1 else ""
            warnings.append(Diagnostic(f"{slide_label(slide.index, slide.title)}, box {where}: text shrunk from "
                                       f"{least.theme_size:g} pt to {least.font_size:g} pt to fit{others}",
                                       slide.origin, severity="warning"))
    return warnings


def _shrunk(box: BoxProof) -> bool:
    return box.theme_size is not None and box.font_size is not None and box.font_size < box.theme_size


def _protrusion(outer: Rect, inner: Rect) -> float:
    """How far (points) ``inner`` sticks out of ``outer`` on its worst side."""
    return max(outer.x - inner.x, outer.y - inner.y, inner.right - outer.right,
               inner.bottom - outer.bottom) / EMU_PER_PT


def geometry_checks(slide: PlacedSlide, content: Rect,
                    band: Rect) -> tuple[tuple[PairCheck, ...], tuple[InsideCheck, ...], list[Diagnostic]]:
    """Every pair of top-level boxes (footer boxes included) for overlap, every box for containment
    in the content box (a footer box: in the footer ``band``), every shape within its drawing.
    Returns the checks and a diagnostic per violation."""
    label = slide_label(slide.index, slide.title)
    failures = []
    pairs = []
    for a, b in combinations(slide.all_boxes, 2):
        overlap = a.rect.overlaps(b.rect)
        pairs.append(PairCheck(a.name, b.name, overlap))
        if overlap:
            w = min(a.rect.right, b.rect.right) - max(a.rect.x, b.rect.x)
            h = min(a.rect.bottom, b.rect.bottom) - max(a.rect.y, b.rect.y)
            failures.append(Diagnostic(
                f"{label}: boxes {a.name} and {b.name} overlap by {w / EMU_PER_PT:.1f} x {h / EMU_PER_PT:.1f} pt",
                slide.origin, hint="put the blocks in different grid areas"))
    inside = []
    for box, (outer, what) in [(b, (content, "the content box (slide minus margins)")) for b in slide.boxes] + \
            [(b, (band, "the footer band (the bottom margin)")) for b in slide.footer]:
        ok = outer.contains(box.rect)
        inside.append(InsideCheck(box.name, ok))
        if not ok:
            failures.append(Diagnostic(f"{label}, box {box.name}: leaves {what} "
                                       f"by {_protrusion(outer, box.rect):.1f} pt", slide.origin))
        if isinstance(box, PlacedShapes):
            for i, shape in enumerate(box.shapes):
                rect = shape.rect.normalized()
                if not box.rect.contains(rect):
                    failures.append(Diagnostic(
                        f"{label}, box {box.name}, shape {shape_label(shape.name, i)}: leaves its drawing "
                        f"by {_protrusion(box.rect, rect):.1f} pt", slide.origin,
                        hint="shape fractions must lie within 0..1"))
    return tuple(pairs), tuple(inside), failures


def faces_for(style: TextStyle, theme: Theme) -> Faces | None:
    """The theme fonts behind a placed style's family names (None when the theme has no such family)."""
    by_family = {f.family: f for f in theme.fonts.values()}
    face = by_family.get(style.family)
    if face is None:
        return None
    return Faces(face, by_family.get(style.mono_family, face), style.bold, style.italic)


def _insets_pt(insets: tuple[int, int, int, int]) -> tuple[float, float, float, float]:
    left, top, right, bottom = insets
    return left / EMU_PER_PT, top / EMU_PER_PT, right / EMU_PER_PT, bottom / EMU_PER_PT


def _text_fits(what: str, paragraphs: tuple[Paragraph, ...], style: TextStyle, rect: Rect,
               spacing: Spacing, theme: Theme, origin: Pos | None) -> list[Diagnostic]:
    faces = faces_for(style, theme)
    if faces is None:
        return [Diagnostic(f"{what}: font family '{style.family}' is not one of the theme's fonts", origin)]
    try:
        measured = measure_text(paragraphs, faces, style.size, abs(rect.w) / EMU_PER_PT, spacing)
    except WordTooWide as e:
        return [Diagnostic(f"{what}: {e} at {style.size:g} pt", origin)]
    available = abs(rect.h) / EMU_PER_PT
    if not fits(measured.height, available):
        return [Diagnostic(f"{what}: needs {measured.height:.1f} pt, has {available:.1f} pt at {style.size:g} pt",
                           origin)]
    return []


def _table_fits(what: str, table: PlacedTable, theme: Theme, origin: Pos | None) -> list[Diagnostic]:
    if sum(table.col_widths) != table.rect.w or sum(table.row_heights) != table.rect.h:
        return [Diagnostic(f"{what}: column widths or row heights do not add up to the table's rectangle", origin)]
    spacing = Spacing(theme.line_height, 0.0, 0.0, _insets_pt(table.insets))
    failures = []
    for r, (row, height) in enumerate(zip(table_cells(table.header, table.rows, table.highlight), table.row_heights)):
        for c, (cell, width) in enumerate(zip(row, table.col_widths)):
            failures += _text_fits(f"{what}, row {r + 1}, column {c + 1}", (cell,), table.style,
                                   Rect(0, 0, width, height), spacing, theme, origin)
    return failures


def _chart_fits(what: str, chart: PlacedChart, theme: Theme, origin: Pos | None) -> list[Diagnostic]:
    from .charts import requirements  # only a deck with a chart imports the chart rules

    faces = faces_for(chart.style, theme)
    if faces is None:
        return [Diagnostic(f"{what}: font family '{chart.style.family}' is not one of the theme's fonts", origin)]
    needs = requirements(chart.chart, chart.rect.w / EMU_PER_PT, chart.rect.h / EMU_PER_PT, chart.style.size,
                         faces, chart.plot)
    return [Diagnostic(f"{what}: {n.part} needs {n.needed:.1f} pt, has {n.available:.1f} pt at {chart.style.size:g} pt",
                       origin) for n in needs if not n.ok]


def check(placed_slides: list[PlacedSlide], theme: Theme) -> list[Diagnostic]:
    """Re-verify placed slides from their geometry alone; an empty list means the proof holds."""
    content, band = content_box(theme), footer_band(theme)
    failures: list[Diagnostic] = []
    for slide in placed_slides:
        failures += geometry_checks(slide, content, band)[2] + readability_checks(slide, theme)
        label = slide_label(slide.index, slide.title)
        for box in slide.all_boxes:
            what = f"{label}, box {box.name}"
            try:
                failures += _box_fits(what, box, theme, slide.origin)
            except MissingGlyph as missing:
                failures.append(Diagnostic(f"{what}: {missing}", slide.origin, MISSING_GLYPH_HINT))
    return failures


def _box_fits(what: str, box, theme: Theme, origin: Pos | None) -> list[Diagnostic]:
    """The failures of one placed box's text (none for an image)."""
    if isinstance(box, PlacedText):
        spacing = Spacing(theme.line_height, box.paragraph_space, box.bullet_indent, _insets_pt(box.insets))
        return _text_fits(what, box.paragraphs, box.style, box.rect, spacing, theme, origin)
    if isinstance(box, PlacedTable):
        return _table_fits(what, box, theme, origin)
    if isinstance(box, PlacedChart):
        return _chart_fits(what, box, theme, origin)
    failures: list[Diagnostic] = []
    if isinstance(box, PlacedShapes):
        for i, shape in enumerate(box.shapes):
            if shape.text and shape.style:
                spacing = Spacing(theme.line_height, theme.paragraph_space, theme.bullet_indent,
                                  _insets_pt(shape.insets))
                failures += _text_fits(f"{what}, shape {shape_label(shape.name, i)}", shape.text,
                                       shape.style, shape.rect, spacing, theme, origin)
    return failures
