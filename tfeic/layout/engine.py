"""The layout engine: IR slides + theme -> placed boxes with chosen font sizes, and their proof.

Every block goes into its grid area (non-overlap by construction, then checked). Text is measured
at the role's size and shrunk in 0.5 pt steps to the role's minimum; if it still does not fit and the
block allows it, it is paginated onto continuation slides that repeat the layout and the title with
" (cont.)" and carry only the continuing blocks. Pagination is decided here alone: a directive only
says how a block may split (``paginate``, ``page_step``) and, for pages whose titles say what each
holds (a hex dump's byte range), gives the labels (``TextBlock.keys``, ``Slide.pages``); the pages are
then numbered once, "(2/4)", never also "(cont.)".

Pagination happens at the *largest* size of the shrink ladder at which pagination is possible
(normally the role's preferred size), not at the minimum: more slides at a readable size beat one
dense slide. All pages of a block share that size. Anything else that does not fit is a diagnostic
at the slide's source position; all failures of all slides are raised together.
"""

from __future__ import annotations

import math
from typing import Any, Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import accumulate

from ..core.diagnostics import Diagnostic, LayoutError, Pos
from ..ir import Block, ChartBlock, ImageBlock, Paragraph, ShapesBlock, Slide, Span, TableBlock, TextBlock
from ..theme import TextRole, Theme
from ..theme.contrast import legible, readable_on
from .fonts import MISSING_GLYPH_HINT, MissingGlyph
from .footer import footer_band, footer_blocks
from .grid import content_box, layout_areas
from .normalize import normalize_slide
from .measure import (Faces, Spacing, TextMeasure, Word, WordTooWide, break_lines, fits, measure_text,
                      measure_words, natural_width, split_paragraph, table_cells, text_height, widest_piece,
                      words_of)
from .placed import (EMU_PER_PT, PlacedBox, PlacedChart, PlacedImage, PlacedShape, PlacedShapes, PlacedSlide,
                     PlacedTable, PlacedText, Rect, TextStyle, emu)
from .labels import shape_label, slide_label
from .proof import BoxProof, Proof, SlideProof, geometry_checks
from .readability import ground_of, readability_checks

SHRINK_STEP = 0.5
FOOTER_HINT = "the footer lies in the theme's bottom margin: raise margins.bottom, or shorten footer.text"
CONTINUED = " (cont.)"

Page = tuple[PlacedBox, BoxProof]  # one block's box on one slide, and its proof entry


class UnprovenLayout(LayoutError):
    """The layout failed; ``proof`` still shows every box and check, so ``--proof`` can be written."""

    def __init__(self, proof: Proof):
        super().__init__(proof.failures)
        self.proof = proof


def _pt(value: int) -> float:
    return value / EMU_PER_PT


def _emu_up(points: float) -> int:
    """Points to EMU rounded up (a row is never written shorter than measured), ignoring float dust."""
    return math.ceil(round(points * EMU_PER_PT, 6))


@lru_cache(maxsize=None)
def _sizes(preferred: float, minimum: float, shrink: bool) -> tuple[float, ...]:
    """The shrink ladder: preferred size, then 0.5 pt steps, ending exactly at the minimum.
    Memoised: a theme has a few roles, and every box asks for its role's ladder."""
    sizes = [preferred]
    while shrink and sizes[-1] - SHRINK_STEP >= minimum:
        sizes.append(round(sizes[-1] - SHRINK_STEP, 2))
    if shrink and sizes[-1] > minimum:
        sizes.append(minimum)
    return tuple(sizes)


@lru_cache(maxsize=None)
def _grown(largest: float, sizes: tuple[float, ...], shrink: bool) -> tuple[float, ...]:
    """The ladder a block that fits is tried on: from the role's ``max_size`` down in 0.5 pt steps
    to its preferred size, then the shrink ladder. Text and tables grow to fill their area as they
    shrink to fit it; a block that may not change size (``shrink: false``) keeps its size."""
    if not shrink or largest <= sizes[0]:
        return sizes
    return _sizes(largest, sizes[0], True)[:-1] + sizes


def _at(size: float, sizes: tuple[float, ...], shrink: bool) -> str:
    if len(sizes) > 1:
        return f"at the {size:g} pt minimum"
    return f"at {size:g} pt" + ("" if shrink else " (shrinking is off)")


def _measure(paragraphs: tuple[Paragraph, ...], faces: Faces, size: float, width: float,
             spacing: Spacing, words: list[tuple[Word, ...]] | None = None) -> TextMeasure | WordTooWide:
    try:
        return measure_words(paragraphs, words or [words_of(p, faces) for p in paragraphs], size, width, spacing)
    except WordTooWide as too_wide:
        return too_wide


def _first_fit(paragraphs, faces, sizes, width, available, spacing) -> tuple[TextMeasure | WordTooWide, bool]:
    """The measure at the largest size that fits, else the outcome at the smallest size (the words
    are split once, then broken at each size)."""
    words = [words_of(p, faces) for p in paragraphs]
    for size in sizes:
        outcome = _measure(paragraphs, faces, size, width, spacing, words)
        if isinstance(outcome, TextMeasure) and fits(outcome.height, available):
            return outcome, True
    return outcome, False


def _overflow(outcome: TextMeasure | WordTooWide, available: float, at: str) -> str:
    if isinstance(outcome, WordTooWide):
        return f"{outcome} {at}"
    over = outcome.height - available
    return f"needs {outcome.height:.1f} pt, has {available:.1f} pt (overfull by {over:.1f} pt) {at}"


@dataclass
class _Context:
    """One output slide being built: the theme, and the failures found so far (with the slide's label)."""

    theme: Theme
    spacing: Spacing
    label: str
    origin: Pos | None
    failures: list[Diagnostic] = field(default_factory=list)

    def fail(self, box: str, message: str, hint: str | None = None) -> list:
        self.failures.append(Diagnostic(f"{self.label}, box {box}: {message}", self.origin, hint))
        return []

    def role(self, box: str, name: str) -> tuple[TextRole, Faces] | None:
        """A text role and the fonts to measure it with; None (and a failure) if the theme lacks its font."""
        role = self.theme.role(name)
        face = self.theme.fonts.get(role.font)
        if face is None:
            self.fail(box, f"text role '{name}' uses font '{role.font}', which the theme does not define")
            return None
        return role, Faces(face, self.theme.fonts.get("mono", face), role.bold, role.italic)

    def style(self, name: str, role: TextRole, size: float, color: str | None = None) -> TextStyle:
        """The placed style of text in role ``name`` (``role``, its value) at ``size``."""
        face = self.theme.fonts[role.font]
        return TextStyle(face.family, self.theme.fonts.get("mono", face).family, size,
                         self.theme.color(color or role.color), role.bold, role.italic, name)

    def insets(self) -> tuple[int, int, int, int]:
        left, top, right, bottom = self.spacing.insets
        return emu(left), emu(top), emu(right), emu(bottom)


def _background(theme: Theme) -> str:
    """RRGGBB of every slide's background (white when the theme names none)."""
    return theme.color(theme.colors.get("background", "#FFFFFF"))


def _rect_points(rect: Rect) -> tuple[float, ...]:
    return tuple(rect.as_points())


# ----------------------------------------------------------------------------------------- text

def _text_page(block: TextBlock, rect: Rect, paragraphs: tuple[Paragraph, ...], role: TextRole,
               measured: TextMeasure, ctx: _Context) -> Page:
    colors = sorted({(s.color, ctx.theme.color(s.color)) for p in paragraphs for s in p.spans if s.color})
    ground = ctx.theme.color(block.fill) if block.fill else _background(ctx.theme)
    # a literal colour comes from data (a KV head's shade): darkened or lightened until readable there
    colors = [(name, legible(rgb, ground, measured.size, role.bold) if name.startswith("#") else rgb)
              for name, rgb in colors]
    box = PlacedText(block.box_name, rect, paragraphs, ctx.style(block.role, role, measured.size, block.color),
                     block.align, block.anchor, ctx.insets(), ctx.theme.paragraph_space,
                     ctx.theme.bullet_indent, ctx.theme.color(block.fill) if block.fill else None,
                     tuple(colors))
    return box, BoxProof(block.box_name, "text", _rect_points(rect), measured.size, measured.lines,
                         measured.height, _pt(rect.h), theme_size=role.size)


def _paginate_text(block: TextBlock, faces: Faces, size: float, width: float, available: float,
                   spacing: Spacing) -> list[tuple[tuple[Paragraph, ...], TextMeasure]] | None:
    """Split the text into pages at ``size``: between paragraphs (in multiples of ``page_step`` when
    they fit, else of half as many, down to one), or between any lines. None when one unit (a
    paragraph, or a line) alone is taller than the box, or a word is too wide."""
    whole = _measure(block.paragraphs, faces, size, width, spacing)
    if isinstance(whole, WordTooWide):
        return None
    line = size * spacing.line_height
    units = []  # (paragraph, first line, end line, height)
    for i, starts in enumerate(whole.line_starts):
        if block.paginate == "lines":  # the lines of one long word stay together (its index repeats)
            firsts = [j for j in range(len(starts)) if j == 0 or starts[j] != starts[j - 1]]
            units += [(i, j, end, (end - j) * line) for j, end in zip(firsts, firsts[1:] + [len(starts)])]
        else:
            units.append((i, 0, len(starts), len(starts) * line))
    step = block.page_step if block.paginate == "paragraphs" else 1
    while True:
        pages = _pages_of(block, faces, whole, [units[k:k + step] for k in range(0, len(units), step)],
                          size, width, available, spacing)
        if pages or step == 1:
            return pages
        step = max(1, step // 2)


def _pages_of(block: TextBlock, faces: Faces, whole: TextMeasure, groups: list[list[tuple[int, int, int, float]]],
              size: float, width: float, available: float,
              spacing: Spacing) -> list[tuple[tuple[Paragraph, ...], TextMeasure]] | None:
    """Fill pages with ``groups`` of units (a group never splits); None when a group alone is too tall."""
    budget = available - spacing.insets[1] - spacing.insets[3]
    pages: list[list[tuple[int, int, int]]] = [[]]
    used = 0.0
    for group in groups:
        height = sum(h for *_, h in group) + spacing.paragraph_space * (len(group) - 1)  # groups: whole paragraphs
        cost = height + (spacing.paragraph_space if group[0][1] == 0 and pages[-1] else 0.0)
        if pages[-1] and not fits(used + cost, budget):
            pages.append([])
            cost, used = height, 0.0
        if not fits(cost, budget):
            return None
        for i, first, end, _ in group:
            if pages[-1] and pages[-1][-1][0] == i:
                pages[-1][-1] = (i, pages[-1][-1][1], end)
            else:
                pages[-1].append((i, first, end))
        used += cost
    result = []
    for page in pages:
        paragraphs = tuple(_lines_of(block.paragraphs[i], faces, whole.line_starts[i], first, end)
                           for i, first, end in page)
        measured = measure_text(paragraphs, faces, size, width, spacing)
        if not fits(measured.height, available):
            return None
        result.append((paragraphs, measured))
    return result


def _lines_of(paragraph: Paragraph, faces: Faces, starts: tuple[int, ...], first: int, end: int) -> Paragraph:
    if first == 0 and end == len(starts):
        return paragraph
    words = words_of(paragraph, faces)
    return split_paragraph(paragraph, words, starts[first], starts[end] if end < len(starts) else len(words))


def _fit_text(block: TextBlock, rect: Rect, ctx: _Context) -> list[Page]:
    theme = ctx.theme
    found = ctx.role(block.box_name, block.role)
    if found is None:
        return []
    role, faces = found
    sizes = _sizes(role.size, theme.min_size_for(block.role), block.shrink)
    width, available = _pt(rect.w), _pt(rect.h)
    grown = _grown(theme.max_size_for(block.role), sizes, block.shrink)
    outcome, ok = _first_fit(block.paragraphs, faces, grown, width, available, ctx.spacing)
    if ok:
        assert isinstance(outcome, TextMeasure)  # a fit is a measure
        return [_text_page(block, rect, block.paragraphs, role, outcome, ctx)]
    if block.paginate != "none":
        for size in sizes:
            pages = _paginate_text(block, faces, size, width, available, ctx.spacing)
            if pages:
                return [_text_page(block, rect, paragraphs, role, measured, ctx) for paragraphs, measured in pages]
    hint = (f"one {'paragraph' if block.paginate == 'paragraphs' else 'line'} does not fit even alone"
            if block.paginate != "none" and isinstance(outcome, TextMeasure)
            else "shorten the text, allow pagination, or use a larger area")
    return ctx.fail(block.box_name, _overflow(outcome, available, _at(sizes[-1], sizes, block.shrink)), hint)


# ---------------------------------------------------------------------------------------- table

@dataclass(frozen=True)
class _TableMeasure:
    size: float
    col_widths: tuple[int, ...]  # EMU
    needed: tuple[float, ...]  # points per row, header first
    heights: tuple[int, ...]  # EMU per row: needed rounded up, so what is written is what was proven


def _squeeze(natural: list[float], minimum: list[float], width: float) -> list[float]:
    """Shrink columns in proportion to their natural widths; a column that would drop below its
    widest word is pinned there and the rest share what is left (the caller ensures sum(minimum) <=
    width, so some column always stays free)."""
    pinned: set[int] = set()
    while True:
        free = width - sum(minimum[i] for i in pinned)
        rest = sum(n for i, n in enumerate(natural) if i not in pinned)
        shares = [minimum[i] if i in pinned else n * free / rest for i, n in enumerate(natural)]
        short = {i for i, s in enumerate(shares) if i not in pinned and s < minimum[i]}
        if not short or len(pinned | short) == len(natural):  # the second: float ties at the boundary
            return [max(s, m) for s, m in zip(shares, minimum)]
        pinned |= short


def _column_widths(natural: list[float], minimum: list[float], weights: tuple[float, ...] | None,
                   total: int) -> tuple[int, ...]:
    """Column widths (EMU, summing to ``total``): the given weights; else natural widths stretched to
    fill, or squeezed proportionally without going below any column's widest word."""
    width = _pt(total)
    if weights:
        shares = list(weights)
    elif sum(natural) <= width:
        shares = natural
    else:
        shares = _squeeze(natural, minimum, width)
    edges = [round(total * part / sum(shares)) for part in accumulate(shares, initial=0)]
    return tuple(b - a for a, b in zip(edges, edges[1:]))


@dataclass(frozen=True)
class _Cells:
    """A table's cells as measurable paragraphs (header first), their words, and each cell's natural
    line width and widest piece per point of size: worked out once, whatever sizes the table is tried at."""

    paragraphs: list[list[Paragraph]]
    words: list[list[tuple[Word, ...]]]
    natural: list[list[float]]
    pieces: list[list[float]]

    @classmethod
    def of(cls, paragraphs: list[list[Paragraph]], faces: Faces) -> "_Cells":
        words = [[words_of(cell, faces) for cell in row] for row in paragraphs]
        return cls(paragraphs, words, [[natural_width(w) for w in row] for row in words],
                   [[widest_piece(w) for w in row] for row in words])


def _measure_table(cells: _Cells, size: float, total: int, weights: tuple[float, ...] | None,
                   spacing: Spacing) -> _TableMeasure | str:
    """Column widths and row heights at ``size``, or why the columns cannot hold their words."""
    pad = spacing.insets[0] + spacing.insets[2]
    ncols = len(cells.words[0])
    natural = [max(max(row[c] * size + pad for row in cells.natural), 1.0) for c in range(ncols)]
    # one EMU more than the widest piece: rounding the column edges to EMU may take one from a column
    minimum = [max(row[c] * size + pad for row in cells.pieces) + 1 / EMU_PER_PT for c in range(ncols)]
    if not weights and sum(minimum) > _pt(total):
        return (f"columns need at least {sum(minimum):.1f} pt for their longest words, "
                f"the box has {_pt(total):.1f} pt")
    widths = _column_widths(natural, minimum, weights, total)
    column_pt = [_pt(w) for w in widths]
    needed = []
    for row, row_words in zip(cells.paragraphs, cells.words):
        heights = []
        for c, cell in enumerate(row):
            try:  # measure_words of one paragraph, without building its TextMeasure
                lines = break_lines(row_words[c], spacing.text_width(column_pt[c], cell), size)
            except WordTooWide as e:
                return f"column {c + 1}: {e}"
            heights.append(text_height([len(lines)], size, spacing))
        needed.append(max(heights))
    return _TableMeasure(size, widths, tuple(needed), tuple(_emu_up(h) for h in needed))


def _table_page(block: TableBlock, rect: Rect, header, rows, first: int, m: _TableMeasure,
                row_index: list[int], role: TextRole, ctx: _Context) -> Page:
    """The table box holding ``rows`` at indices ``row_index`` (of all rows), header first."""
    theme = ctx.theme
    h = 1 if header else 0
    heights = m.heights[:h] + tuple(m.heights[h + i] for i in row_index)
    needed = m.needed[:h] + tuple(m.needed[h + i] for i in row_index)
    placed_rect = Rect(rect.x, rect.y, rect.w, sum(heights))
    page_rows = tuple(rows[i] for i in row_index)
    highlight = frozenset((r - first, c) for r, c in block.highlight if r - first in range(len(page_rows)))
    ncols = len(m.col_widths)
    align = tuple((block.col_align or ())[c] if c < len(block.col_align or ()) else "left" for c in range(ncols))
    box = PlacedTable(block.box_name, placed_rect, header, page_rows, m.col_widths, heights,
                      ctx.style(block.role, role, m.size), align, highlight, ctx.insets(),
                      theme.color("table_header_bg", "text"), theme.color("table_header_text", "background"),
                      theme.color("table_band") if "table_band" in theme.colors else None,
                      theme.color("table_highlight", "accent"))
    return box, BoxProof(block.box_name, "table", _rect_points(placed_rect), m.size, len(heights),
                         sum(needed), _pt(rect.h), theme_size=None if block.expect_shrink else role.size)


def _paginate_rows(m: _TableMeasure, has_header: bool, available: int) -> list[list[int]] | None:
    """Rows per page (indices), the header repeated on each; None if one row does not fit alone."""
    head = m.heights[0] if has_header else 0
    pages: list[list[int]] = [[]]
    used = head
    for i, height in enumerate(m.heights[1 if has_header else 0:]):
        if head + height > available:
            return None
        if used + height > available:
            pages.append([])
            used = head
        pages[-1].append(i)
        used += height
    return pages


def _pad(row: tuple[str, ...], ncols: int) -> tuple[str, ...]:
    """Ragged rows get empty cells, so render always draws a rectangular table."""
    return tuple(row) + ("",) * (ncols - len(row))


def _fit_table(block: TableBlock, rect: Rect, ctx: _Context) -> list[Page]:
    theme = ctx.theme
    found = ctx.role(block.box_name, block.role)
    if found is None:
        return []
    role, faces = found
    ncols = max([len(block.header or ())] + [len(r) for r in block.rows])
    if ncols == 0:
        return ctx.fail(block.box_name, "the table has no cells")
    if block.col_weights and (len(block.col_weights) != ncols or min(block.col_weights) <= 0):
        return ctx.fail(block.box_name, f"col_weights needs {ncols} positive numbers, got {list(block.col_weights)}")
    header = _pad(block.header, ncols) if block.header else None
    rows = tuple(_pad(r, ncols) for r in block.rows)
    cells = _Cells.of(table_cells(header, rows, block.highlight), faces)
    sizes = _sizes(role.size, theme.min_size_for(block.role), True)
    outcome = None
    for size in _grown(theme.max_size_for(block.role), sizes, True):
        outcome = _measure_table(cells, size, rect.w, block.col_weights, ctx.spacing)
        if isinstance(outcome, _TableMeasure) and sum(outcome.heights) <= rect.h:
            return [_table_page(block, rect, header, rows, 0, outcome, list(range(len(rows))), role, ctx)]
    if block.paginate:
        for size in sizes:
            m = _measure_table(cells, size, rect.w, block.col_weights, ctx.spacing)
            pages = _paginate_rows(m, header is not None, rect.h) if isinstance(m, _TableMeasure) else None
            if pages and isinstance(m, _TableMeasure):
                return [_table_page(block, rect, header, rows, page[0], m, page, role, ctx) for page in pages]
    at = _at(sizes[-1], sizes, True)
    if isinstance(outcome, str):
        return ctx.fail(block.box_name, f"{outcome} {at}", "use fewer or narrower columns, or a wider area")
    assert outcome is not None  # sizes is never empty
    need = sum(outcome.heights) / EMU_PER_PT
    return ctx.fail(block.box_name, f"needs {need:.1f} pt, has {_pt(rect.h):.1f} pt "
                                    f"(overfull by {need - _pt(rect.h):.1f} pt) {at}",
                    "one row does not fit even alone" if block.paginate else "allow pagination or use a larger area")


# ------------------------------------------------------------------------------- images, shapes

def _fit_aspect(area: Rect, width: int, height: int) -> Rect:
    """The largest rectangle of aspect width:height inside ``area``, centred (integer EMU, inside)."""
    if area.w * height <= area.h * width:
        w, h = area.w, area.w * height // width
    else:
        w, h = area.h * width // height, area.h
    return Rect(area.x + (area.w - w) // 2, area.y + (area.h - h) // 2, w, h)


def _fit_image(block: ImageBlock, rect: Rect, ctx: _Context) -> list[Page]:
    if block.width_px <= 0 or block.height_px <= 0:
        return ctx.fail(block.box_name, f"image {block.path} has no size ({block.width_px} x {block.height_px} px)")
    placed = _fit_aspect(rect, block.width_px, block.height_px)
    return [(PlacedImage(block.box_name, placed, block.path, block.alt),
             BoxProof(block.box_name, "image", _rect_points(placed)))]


def _fit_shapes(block: ShapesBlock, rect: Rect, ctx: _Context) -> list[Page]:
    """Shapes keep their fractional positions inside the area (or inside the largest rectangle of
    ``aspect`` in it); each shape's text is shrunk independently down to its role's minimum."""
    area = _fit_aspect(rect, round(block.aspect * 10**6), 10**6) if block.aspect else rect
    placed: list[PlacedShape] = []
    parts: list[BoxProof] = []
    for i, shape in enumerate(block.shapes):
        x0, x1 = (area.x + round(f * area.w) for f in (shape.x, shape.x + shape.w))
        y0, y1 = (area.y + round(f * area.h) for f in (shape.y, shape.y + shape.h))
        shape_rect = Rect(x0, y0, x1 - x0, y1 - y0)
        label = shape_label(shape.name, i)
        style = None
        if shape.text:
            found = ctx.role(f"{block.box_name}, shape {label}", shape.role)
            if found is None:
                continue
            role, faces = found
            sizes = _sizes(role.size, ctx.theme.min_size_for(shape.role), True)
            available = _pt(abs(shape_rect.h))
            outcome, ok = _first_fit(shape.text, faces, sizes, _pt(abs(shape_rect.w)), available, ctx.spacing)
            if not ok:
                ctx.fail(f"{block.box_name}, shape {label}", _overflow(outcome, available, _at(sizes[-1], sizes, True)),
                         "shorten the text or enlarge the shape")
                continue
            assert isinstance(outcome, TextMeasure)  # a fit is a measure
            style = ctx.style(shape.role, role, outcome.size)
            parts.append(BoxProof(label, "shape", _rect_points(shape_rect), outcome.size, outcome.lines,
                                  outcome.height, available, theme_size=role.size))
        fill = ctx.theme.color(shape.fill) if shape.fill else None
        if style is not None:  # text on a tile: the role's colour if readable there, else black or white
            ground = ground_of(shape_rect, fill, placed, _background(ctx.theme))
            style = replace(style, color=readable_on(ground, style.color, style.size, style.bold))
        placed.append(PlacedShape(shape.kind, shape_rect, fill, ctx.theme.color(shape.line) if shape.line else None,
                                  shape.text, style, shape.align, shape.anchor, ctx.insets(), shape.name))
    return [(PlacedShapes(block.box_name, area, tuple(placed)),
             BoxProof(block.box_name, "shapes", _rect_points(area), parts=tuple(parts)))]


# ---------------------------------------------------------------------------------------- chart

def _fit_chart(block: ChartBlock, rect: Rect, ctx: _Context) -> list[Page]:
    """The chart fills its area; its text size is the largest of the role's ladder at which every
    label, title and the legend fit the bands around the plot area (``layout.charts``)."""
    from .charts import MIN_PLOT, fit_chart  # its tables and rules: only a deck with a chart pays for them

    ragged = [s.name for s in block.series if not block.numeric_x and len(s.values) != len(block.categories)]
    if ragged or not block.series:
        return ctx.fail(block.box_name, f"series {', '.join(ragged)} do not have one value per category"
                        if ragged else "the chart has no series")
    found = ctx.role(block.box_name, "chart")
    if found is None:
        return []
    role, faces = found
    sizes = _sizes(role.size, ctx.theme.min_size_for("chart"), True)
    width, height = _pt(rect.w), _pt(rect.h)
    fit = fit_chart(block, width, height, faces, _grown(ctx.theme.max_size_for("chart"), sizes, True))
    if not fit.ok:
        why = "; ".join(f"{n.part} needs {n.needed:.1f} pt, has {n.available:.1f} pt" for n in fit.needs if not n.ok)
        return ctx.fail(block.box_name, f"{why} {_at(fit.size, sizes, True)}",
                        "shorten labels or titles, use horizontal bars, or give the chart a larger area")
    colors = tuple(ctx.theme.color(s.color) if s.color else ctx.theme.series_color(i) for i, s in enumerate(block.series))
    drawn = replace(block, categories=fit.categories,  # crowded labels thinned in the data itself
                    legend=block.legend and not fit.end_labels, end_labels=fit.end_labels)
    box = PlacedChart(block.box_name, rect, drawn, ctx.style("chart", role, fit.size), colors, fit.plot,
                      (("axis", ctx.theme.color("border", "muted")), ("gridline", ctx.theme.color("gridline", "border"))))
    points = _rect_points(rect)  # every part of the chart's proof is about the chart's rectangle
    parts = tuple(BoxProof(n.part, "chart-text", points, fit.size, None, n.needed, n.available) for n in fit.needs)
    return [(box, BoxProof(block.box_name, "chart", points, fit.size, None,
                           height - fit.plot[3] + MIN_PLOT * height, height, parts, role.size))]


_Fitter = Callable[[Any, Rect, "_Context"], list[Page]]  # takes the block of its type
_FITTERS: dict[type[Block], _Fitter] = {TextBlock: _fit_text, TableBlock: _fit_table, ImageBlock: _fit_image, ShapesBlock: _fit_shapes,
            ChartBlock: _fit_chart}


# --------------------------------------------------------------------------------------- slides

def _fit_block(block: Block, areas: dict[str, Rect], layout: str, ctx: _Context) -> list[Page]:
    rect = areas.get(block.area)
    if rect is None:
        return ctx.fail(block.box_name, f"layout '{layout}' has no area '{block.area}' "
                                        f"(areas: {', '.join(sorted(areas))})")
    fitter = _FITTERS.get(type(block))
    if fitter is None:
        return ctx.fail(block.box_name, f"the layout engine cannot place a {type(block).__name__}")
    return _guarded(fitter, block, rect, ctx)


def _guarded(fitter: _Fitter, block: Block, rect: Rect, ctx: _Context) -> list[Page]:
    """``fitter(block, rect, ctx)``, with a character no theme font holds as the box's failure."""
    try:
        return fitter(block, rect, ctx)
    except MissingGlyph as missing:
        return ctx.fail(block.box_name, str(missing), MISSING_GLYPH_HINT)


def _title_block(title: str) -> TextBlock:
    return TextBlock(area="title", paragraphs=(Paragraph((Span(title),)),), role="title", name="title")


def _title_placeholder(boxes: list[Page]) -> list[Page]:
    """Mark the slide's title box (the first text box in the area "title": the slide's title, or a
    cover's or section's heading) as the one render writes into the layout's title placeholder."""
    for i, (box, proof) in enumerate(boxes):
        if isinstance(box, PlacedText) and box.name == "title":
            return boxes[:i] + [(replace(box, placeholder="title"), proof)] + boxes[i + 1:]
    return boxes


def _continued(title: str | None) -> str | None:
    return title if not title or title.endswith(CONTINUED) else title + CONTINUED


def _page_titles(slide: Slide, fitted: list[list[Page]], ctx: _Context) -> list[str | None]:
    """The title of each output page of ``slide``: its own title and " (cont.)" after it, or, with
    ``slide.pages``, what each page of its keyed block holds, numbered once ("(2/4)"). More pages than
    ``slide.pages.most`` is a failure of the first page."""
    count = max([len(f) for f in fitted] + [1])
    plain = [slide.title] + [_continued(slide.title)] * (count - 1)
    keyed = next(((b.keys, f) for b, f in zip(slide.blocks, fitted) if isinstance(b, TextBlock) and b.keys), None)
    if slide.pages is None or keyed is None or not keyed[1]:
        return plain
    if slide.pages.most is not None and count > slide.pages.most:
        ctx.failures.append(Diagnostic(f"{ctx.label}: needs {count} pages, over the cap of {slide.pages.most} "
                                       f"({slide.pages.limit})", slide.origin, f"show less on this slide, or raise {slide.pages.limit}"))
    keys, pages = keyed
    ends = list(accumulate(len(box.paragraphs) for box, _ in pages if isinstance(box, PlacedText)))
    numbered = len(ends) > 1  # one page needs no "(1/1)"
    return [f"{slide.pages.head}{keys[start][0]}..{keys[end - 1][1]}" + (f" ({page + 1}/{len(ends)})" if numbered else "")
            for page, (start, end) in enumerate(zip([0] + ends, ends))] + plain[len(ends):]


class Layouter:
    """Lays out slides in one theme, working out once what every slide shares: the spacing, the
    content box and footer band, the background, each layout's grid areas, and the footer of each
    provenance. The pipeline lays out each slide alone (so a cached slide can be reused as it is);
    one Layouter per build keeps that from redoing the shared part slide by slide."""

    def __init__(self, theme: Theme):
        self.theme = theme
        self.spacing = Spacing.from_theme(theme)
        self.content, self.band = content_box(theme), footer_band(theme)
        self.background = _background(theme)
        self._grids: dict[str, dict[str, Rect]] = {}
        self._footers: dict[tuple[str, ...], list[Page]] = {}

    def areas(self, layout: str) -> dict[str, Rect] | None:
        """The grid areas of the theme's layout ``layout``; None when the theme has no such layout."""
        if layout not in self._grids and layout in self.theme.layouts:
            self._grids[layout] = layout_areas(self.theme, layout)
        return self._grids.get(layout)

    def footer(self, slide: Slide, ctx: _Context) -> list[Page]:
        """The footer boxes of one output slide (``layout.footer``), fitted and proven like any box.
        They depend only on the theme and the slide's provenance, so a footer that fitted is kept
        for the next slide of that provenance (boxes are immutable values); a failing one is fitted
        again for each slide, so each names its own slide."""
        kept = self._footers.get(slide.provenance)
        if kept is not None:
            return kept
        pages: list[Page] = []
        before = len(ctx.failures)
        for block, rect, mark in footer_blocks(ctx.theme, slide.provenance):
            for box, proof in _guarded(_FITTERS[type(block)], block, rect, ctx):
                pages.append((replace(box, placeholder=mark) if mark and isinstance(box, PlacedText) else box, proof))
        if len(ctx.failures) == before:
            self._footers[slide.provenance] = pages
        ctx.failures[before:] = [replace(d, hint=FOOTER_HINT) for d in ctx.failures[before:]]
        return pages

    def lay_out(self, slides: list[Slide]) -> tuple[list[PlacedSlide], Proof]:
        """Place every slide and prove it; raises ``UnprovenLayout`` (a LayoutError) with every failure
        of every slide, carrying the proof of what was attempted."""
        placed: list[PlacedSlide] = []
        proofs: list[SlideProof] = []
        for slide in slides:
            for placed_slide, slide_proof in _layout_slide(slide, len(placed) + 1, self):
                placed.append(placed_slide)
                proofs.append(slide_proof)
        proof = Proof(self.theme.name, tuple(proofs))
        if not proof.ok:
            raise UnprovenLayout(proof)
        return placed, proof


def _layout_slide(slide: Slide, index: int, layouter: Layouter) -> list[tuple[PlacedSlide, SlideProof]]:
    """One IR slide -> its output slide and any continuation slides its paginated blocks need."""
    theme, spacing = layouter.theme, layouter.spacing
    slide = normalize_slide(slide)
    first = _Context(theme, spacing, slide_label(index, slide.title), slide.origin)
    areas = layouter.areas(slide.layout)
    if areas is None:
        first.failures.append(Diagnostic(f"{first.label}: theme '{theme.name}' has no layout '{slide.layout}' "
                                         f"(layouts: {', '.join(sorted(theme.layouts))})", slide.origin))
        areas = {}
    fitted = [_fit_block(block, areas, slide.layout, first) for block in slide.blocks]
    out = []
    for page, page_title in enumerate(_page_titles(slide, fitted, first)):
        ctx = first if page == 0 else _Context(theme, spacing, slide_label(index + page, page_title), slide.origin)
        boxes = [f[page] for f in fitted if page < len(f)]
        if page_title and "title" in areas:
            boxes = _guarded(_fit_text, _title_block(page_title), areas["title"], ctx) + boxes
        boxes = _title_placeholder(boxes)
        footer = layouter.footer(slide, ctx)
        placed = PlacedSlide(index + page, page_title, tuple(b for b, _ in boxes), slide.notes if page == 0 else "",
                             layouter.background, slide.origin, tuple(b for b, _ in footer))
        pairs, inside, geometry = geometry_checks(placed, layouter.content, layouter.band)
        geometry += readability_checks(placed, theme)
        out.append((placed, SlideProof(placed.index, page_title, slide.origin, slide.layout,
                                       tuple(p for _, p in boxes + footer), pairs, inside,
                                       tuple(ctx.failures + geometry))))
    return out


def layout_slides(slides: list[Slide], theme: Theme) -> tuple[list[PlacedSlide], Proof]:
    """Place every slide and prove it (``Layouter.lay_out``); raises ``UnprovenLayout``."""
    return Layouter(theme).lay_out(slides)
