"""The slide IR: what directives produce and the layout engine consumes.

Blocks carry content and style *intent* (a theme text role, an alignment, whether the block may be
paginated), never coordinates: the layout engine places them in the named grid area of the slide's
layout and proves that they fit. Everything here is an immutable plain value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .core.diagnostics import Pos


@dataclass(frozen=True)
class Span:
    """A run of text with one inline style. ``color`` is a theme colour name or ``#RRGGBB``."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False  # set in the theme's monospace font
    color: str | None = None


@dataclass(frozen=True)
class Paragraph:
    """One paragraph; ``bullet`` paragraphs are indented by ``level`` steps of the theme's indent."""

    spans: tuple[Span, ...]
    level: int = 0
    bullet: bool = False

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


@dataclass(frozen=True)
class Block:
    """Base of all blocks. ``area`` names a grid area of the slide's layout; ``name`` is the box name
    used in diagnostics and the proof (defaults to the area)."""

    area: str

    @property
    def box_name(self) -> str:
        return getattr(self, "name", None) or self.area


@dataclass(frozen=True)
class TextBlock(Block):
    """Paragraphs of text in one box.

    ``role`` picks a text style of the theme (title, subtitle, body, caption, code, ...).
    ``paginate``: "none" (must fit, after shrinking), "paragraphs" (split between paragraphs, e.g.
    bullets), or "lines" (split anywhere between lines, e.g. a transcript).
    ``page_step``: with "paragraphs", a page holds a multiple of this many paragraphs when that many
    fit (else half as many, down to one), so hex pages start at round offsets.
    ``keys``: what each paragraph holds, as its (first, last) label (a hex row's first and last byte),
    from which layout titles the pages of a slide with ``PageTitles``.
    """

    paragraphs: tuple[Paragraph, ...] = ()
    role: str = "body"
    align: str = "left"  # left | center | right
    anchor: str = "top"  # top | middle | bottom
    paginate: str = "none"
    shrink: bool = True  # may the engine shrink the font down to the theme minimum?
    color: str | None = None
    fill: str | None = None
    name: str | None = None
    page_step: int = 1
    keys: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class TableBlock(Block):
    """A native table. ``header`` repeats on continuation slides when the table paginates.
    ``highlight`` holds (row, column) cells of ``rows`` to emphasise (e.g. best value per column)."""

    header: tuple[str, ...] | None = None
    rows: tuple[tuple[str, ...], ...] = ()
    col_align: tuple[str, ...] | None = None  # per column: left | center | right
    col_weights: tuple[float, ...] | None = None  # relative widths; None = from content
    highlight: frozenset[tuple[int, int]] = frozenset()
    role: str = "table"
    paginate: bool = True
    name: str | None = None
    expect_shrink: bool = False  # sized to shrink (64-digit hashes): no "text shrunk" warning


@dataclass(frozen=True)
class ImageBlock(Block):
    """A raster image fitted (aspect preserved) into its area. The directive reads the pixel size,
    so layout needs no image I/O."""

    path: str = ""
    width_px: int = 1
    height_px: int = 1
    alt: str = ""
    name: str | None = None


@dataclass(frozen=True)
class Shape:
    """One native shape of a drawing, positioned in fractions (0..1) of its block's area.

    kind: rect | roundrect | ellipse | line | arrow. Lines/arrows run from (x, y) to (x+w, y+h).
    Text inside a shape is measured and proven like any text box.
    """

    kind: str
    x: float
    y: float
    w: float
    h: float
    fill: str | None = None
    line: str | None = None
    text: tuple[Paragraph, ...] = ()
    role: str = "caption"
    align: str = "center"
    anchor: str = "middle"
    name: str | None = None


@dataclass(frozen=True)
class ShapesBlock(Block):
    """A native drawing (diagram, tile map, Gantt lanes): shapes that may overlap each other on
    purpose, inside one area that must not overlap other boxes."""

    shapes: tuple[Shape, ...] = ()
    aspect: float | None = None  # width / height to keep, or None to fill the area
    name: str | None = None


@dataclass(frozen=True)
class Series:
    """One data series of a chart: a name and one value per category (None = missing).
    For scatter charts ``x`` holds the x values and ``values`` the y values."""

    name: str
    values: tuple[float | None, ...]
    x: tuple[float, ...] | None = None
    color: str | None = None  # theme colour name or '#RRGGBB'; None = the theme's series palette


@dataclass(frozen=True)
class ChartBlock(Block):
    """A native, editable chart (data embedded so "Edit Data" works).

    kind: bar | grouped_bar | stacked_bar | line | scatter | cdf (a line chart of a cumulative
    distribution, prepared by the directive) | xy_line (points joined in order on a numeric x axis:
    a sweep over batch size 1, 4, 8, 64 spaced as numbers, not as categories). Axis titles carry units, e.g. "latency (ms)".
    """

    kind: str = "bar"
    categories: tuple[str, ...] = ()
    series: tuple[Series, ...] = ()
    x_title: str = ""
    y_title: str = ""
    legend: bool = True
    number_format: str = "General"
    horizontal: bool = False
    name: str | None = None
    end_labels: bool = False  # each series named at its last point instead of a legend (layout sets it)

    @property
    def numeric_x(self) -> bool:
        """x is a value axis: scatter and CDF charts, and a line whose series carry x values (numeric
        data on a numeric axis, spaced by value, never a crowded category axis)."""
        return self.kind in ("scatter", "cdf", "xy_line") or (self.kind == "line" and bool(self.series)
                                                   and all(s.x is not None for s in self.series))


@dataclass(frozen=True)
class PageTitles:
    """Titles that say what each page holds, for a slide whose keyed block (``TextBlock.keys``) may
    paginate. Layout alone decides the pages and numbers them once: page k of n is titled
    ``{head}{first}..{last} (k/n)`` (no "(1/1)" when one page holds it all), where ``first`` is the first key of the page's first paragraph and
    ``last`` the last key of its last one; such a title never also gets " (cont.)". More than ``most``
    pages is a layout failure that names ``limit`` (the deck setting that sets ``most``)."""

    head: str
    most: int | None = None
    limit: str = ""


@dataclass(frozen=True)
class Slide:
    """One slide before layout: a title, blocks in named areas of ``layout``, speaker notes, and the
    position of the directive that made it (for diagnostics)."""

    title: str | None
    layout: str
    blocks: tuple[Block, ...]
    notes: str = ""
    origin: Pos | None = None
    directive: str = ""
    pages: PageTitles | None = None
    provenance: tuple[str, ...] = ()  # modes of the sources it shows (core.provenance): its footer badge


def pictures_of(slides: Iterable[Slide]) -> set[str]:
    """The picture files the slides show: what a build reads besides its sources' inputs."""
    return {b.path for s in slides for b in s.blocks if isinstance(b, ImageBlock)}
