"""What the layout stage hands to render: boxes with exact EMU rectangles and chosen font sizes.

Render draws exactly these rectangles with exactly these sizes; the proof was made over the same
integers, so what is proven is what is written.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.diagnostics import Pos
from ..ir import ChartBlock, Paragraph, Span

EMU_PER_PT = 12700


def emu(points: float) -> int:
    return int(round(points * EMU_PER_PT))


@dataclass(frozen=True)
class Rect:
    """An axis-aligned rectangle in EMU."""

    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h

    def overlaps(self, other: "Rect") -> bool:
        """True when the interiors intersect (touching edges do not overlap)."""
        return self.x < other.right and other.x < self.right and self.y < other.bottom and other.y < self.bottom

    def contains(self, other: "Rect") -> bool:
        return self.x <= other.x and self.y <= other.y and other.right <= self.right and other.bottom <= self.bottom

    def normalized(self) -> "Rect":
        """The bounding box: lines and arrows may have negative extents."""
        x, w = (self.x + self.w, -self.w) if self.w < 0 else (self.x, self.w)
        y, h = (self.y + self.h, -self.h) if self.h < 0 else (self.y, self.h)
        return Rect(x, y, w, h)

    def as_points(self) -> list[float]:
        return [round(v / EMU_PER_PT, 2) for v in (self.x, self.y, self.w, self.h)]


@dataclass(frozen=True)
class TextStyle:
    """Resolved text style of a box: fonts as written into the .pptx, size, colour (RRGGBB)."""

    family: str
    mono_family: str
    size: float
    color: str
    bold: bool = False
    italic: bool = False
    role: str = ""  # the theme text role it was set in: which floor the readability proof holds it to


def span_color(span: Span, style: TextStyle, color_map: tuple[tuple[str, str], ...] = ()) -> str:
    """RRGGBB a span is drawn in: the box's colour map, else a literal ``#RRGGBB``, else the style's.
    Render writes it and the readability proof judges it, so both read it from here."""
    if span.color is None:
        return style.color
    mapped = dict(color_map).get(span.color)
    if mapped:
        return mapped
    if span.color.startswith("#"):
        return span.color[1:].upper()
    return style.color


@dataclass(frozen=True)
class PlacedText:
    name: str
    rect: Rect
    paragraphs: tuple[Paragraph, ...]
    style: TextStyle
    align: str = "left"
    anchor: str = "top"
    insets: tuple[int, int, int, int] = (91440, 45720, 91440, 45720)  # left, top, right, bottom EMU
    paragraph_space: float = 0.0  # points before each paragraph but the first
    bullet_indent: float = 18.0  # points per level
    fill: str | None = None  # RRGGBB
    color_map: tuple[tuple[str, str], ...] = ()  # span colour name -> RRGGBB used in this box
    placeholder: str = ""  # "title": the slide layout's title placeholder; "slide_number": a slide-number field


@dataclass(frozen=True)
class PlacedTable:
    name: str
    rect: Rect
    header: tuple[str, ...] | None
    rows: tuple[tuple[str, ...], ...]
    col_widths: tuple[int, ...]  # EMU, sum == rect.w
    row_heights: tuple[int, ...]  # EMU, header first when present, sum == rect.h
    style: TextStyle
    col_align: tuple[str, ...]
    highlight: frozenset[tuple[int, int]]
    insets: tuple[int, int, int, int]
    header_fill: str
    header_color: str
    band_fill: str | None
    highlight_color: str


@dataclass(frozen=True)
class PlacedImage:
    name: str
    rect: Rect
    path: str
    alt: str = ""


@dataclass(frozen=True)
class PlacedShape:
    kind: str
    rect: Rect  # for lines/arrows: start (x, y), extent (w, h), may be negative
    fill: str | None
    line: str | None
    text: tuple[Paragraph, ...]
    style: TextStyle | None
    align: str
    anchor: str
    insets: tuple[int, int, int, int]
    name: str | None = None


@dataclass(frozen=True)
class PlacedShapes:
    name: str
    rect: Rect
    shapes: tuple[PlacedShape, ...]


@dataclass(frozen=True)
class PlacedChart:
    """A native chart in its rectangle; text inside it (axis labels, legend) is drawn by the
    renderer at ``style.size``, which layout chose so that category labels fit."""

    name: str
    rect: Rect
    chart: "ChartBlock"
    style: TextStyle
    series_colors: tuple[str, ...]  # RRGGBB per series, resolved from the theme
    plot: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # inner plot area: x, y, w, h in
    # points from the chart's top-left; the bands around it hold the chart's text (layout.charts)
    colors: tuple[tuple[str, str], ...] = ()  # "axis", "gridline" -> RRGGBB
    label_skip: int = 1  # always 1: layout thins crowded labels in the categories themselves (charts.thin_labels)


PlacedBox = PlacedText | PlacedTable | PlacedImage | PlacedShapes | PlacedChart


@dataclass(frozen=True)
class PlacedSlide:
    index: int  # 1-based position in the output deck
    title: str | None
    boxes: tuple[PlacedBox, ...]
    notes: str
    background: str  # RRGGBB
    origin: Pos | None = None
    footer: tuple[PlacedBox, ...] = ()  # in the bottom margin (layout.footer), after the content's boxes
    # what the slide was made from, when that is known (the build's content key of its directive and
    # its place among that directive's slides; "" when not): equal digests, equal drawings but for
    # ``index`` and ``origin``, so render keys a kept slide by it instead of by everything it draws
    digest: str = ""

    @property
    def all_boxes(self) -> tuple[PlacedBox, ...]:
        return self.boxes + self.footer


@dataclass(frozen=True)
class PlacedDeck:
    width: int  # EMU
    height: int  # EMU
    slides: tuple[PlacedSlide, ...]
    title: str = ""
    author: str = ""
    created: str = ""  # ISO 8601 UTC timestamp for the document properties
    template: str = ""  # the .pptx/.potx whose masters and layouts the deck is built on ("" = python-pptx's)
