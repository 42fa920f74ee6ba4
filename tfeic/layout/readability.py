"""The readability proof: every text run of a placed slide at or above its role's floor, and in a
colour that meets WCAG AA against what it is drawn on.

It reads only what render writes (``PlacedSlide``): a run's size and colour (``placed.span_color``,
the resolution render uses), and its ground: a text box's or shape's own fill, the fill of the
shape drawn under an unfilled shape of the same drawing, a table cell's fill (header, band), or the
slide background (charts are transparent: render writes no chart fill). Failures are diagnostics at
the slide's YAML position, like overflow (exit 4); the engine runs this on every slide it places and
``proof.check`` runs it again on placed slides alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..core.diagnostics import Diagnostic
from ..ir import Paragraph
from ..theme import Theme
from ..theme.contrast import contrast, required
from .placed import (PlacedBox, PlacedChart, PlacedShape, PlacedShapes, PlacedSlide, PlacedTable, PlacedText,
                     Rect, TextStyle, span_color)
from .labels import shape_label, slide_label

SHOWN = 24  # characters of a failing run quoted in its diagnostic


@dataclass(frozen=True)
class Run:
    """One run as drawn: where, its text, size, weight, colour, and the colour under it (RRGGBB)."""

    where: str
    text: str
    style: TextStyle
    bold: bool
    color: str
    ground: str


def _spans(where: str, paragraphs: tuple[Paragraph, ...], style: TextStyle, ground: str,
           color_map: tuple[tuple[str, str], ...] = ()) -> Iterator[Run]:
    for paragraph in paragraphs:
        for span in paragraph.spans:
            if span.text.strip():
                yield Run(where, span.text, style, style.bold or span.bold, span_color(span, style, color_map), ground)


def _table_runs(where: str, table: PlacedTable, background: str) -> Iterator[Run]:
    """Cells as ``render.table`` draws them: the header bold on its fill, odd body rows on the band,
    highlighted cells bold in the highlight colour. A row's plain cells share one style and ground,
    so they are judged as one run (their texts joined with " | ")."""
    style = table.style
    if table.header is not None:
        header = TextStyle(style.family, style.mono_family, style.size, table.header_color, True, style.italic, style.role)
        yield Run(f"{where}, header", " | ".join(table.header), header, True, table.header_color, table.header_fill)
    for i, row in enumerate(table.rows):
        ground = table.band_fill if i % 2 == 1 and table.band_fill else background
        plain = " | ".join(text for j, text in enumerate(row) if (i, j) not in table.highlight)
        yield Run(f"{where}, row {i + 1}", plain, style, style.bold, style.color, ground)
        for j, text in enumerate(row):
            if (i, j) in table.highlight:
                yield Run(f"{where}, row {i + 1}", text, style, True, table.highlight_color, ground)


def ground_of(rect: Rect, fill: str | None, below: list[PlacedShape], background: str) -> str:
    """What a shape's text is drawn on: its own fill, else the fill of the topmost filled shape drawn
    before it under its centre (a label laid over a tile), else the slide background."""
    if fill:
        return fill
    cx, cy = rect.x + rect.w / 2, rect.y + rect.h / 2
    for other in reversed(below):
        o = other.rect.normalized()
        if other.fill and o.x <= cx <= o.right and o.y <= cy <= o.bottom:
            return other.fill
    return background


def runs(box: PlacedBox, where: str, background: str) -> Iterator[Run]:
    """Every run of text one placed box draws, with what it is drawn on."""
    if isinstance(box, PlacedText):
        yield from _spans(where, box.paragraphs, box.style, box.fill or background, box.color_map)
    elif isinstance(box, PlacedTable):
        yield from _table_runs(where, box, background)
    elif isinstance(box, PlacedShapes):
        for i, shape in enumerate(box.shapes):
            if shape.text and shape.style:
                ground = ground_of(shape.rect, shape.fill, list(box.shapes[:i]), background)
                yield from _spans(f"{where}, shape {shape_label(shape.name, i)}", shape.text, shape.style, ground)
    elif isinstance(box, PlacedChart):
        chart = box.chart
        texts = [*chart.categories, *(s.name for s in chart.series if chart.legend or chart.end_labels), chart.x_title, chart.y_title]
        text = " ".join(t for t in texts if t.strip()) or "axis labels"
        yield Run(f"{where}, chart text", text, box.style, box.style.bold, box.style.color, background)


def is_swatch(text: str) -> bool:
    """A run of block elements (U+2580..U+259F, and spaces) is a colour swatch, not words: the hex
    dump's head bar and token stripe, which repeat what the row's text tag says (so, under WCAG
    1.4.11, colour there is not needed to understand the content). Its size is still checked."""
    return all(0x2580 <= ord(c) <= 0x259F or c.isspace() for c in text)


def _quoted(text: str) -> str:
    shown = text.replace("\n", "\\n")
    return f'"{shown[:SHOWN]}{"..." if len(shown) > SHOWN else ""}"'


FLOOR_HINT = "give the text more room, or raise its role's min_size in the theme"
CONTRAST_HINT = "use a theme colour that contrasts with what the text is drawn on"


def floor_failure(run: Run, theme: Theme, floors: dict[str, float]) -> str | None:
    """Why ``run`` is under its role's floor, or None (``floors`` memoises each role's floor)."""
    role = run.style.role
    if role not in floors:
        floors[role] = theme.floor_for(role) if role else theme.floors.get("label", 0.0)
    if run.style.size >= floors[role]:
        return None
    reading = theme.role(role).reading if role else "label"
    return (f"{run.where}: text {_quoted(run.text)} at {run.style.size:g} pt is under the {floors[role]:g} pt "
            f"floor of '{reading}' text")


def contrast_failure(run: Run) -> str | None:
    """Why ``run`` fails WCAG AA against what it is drawn on, or None (colour swatches are not text)."""
    ratio, need = contrast(run.color, run.ground), required(run.style.size, run.bold)
    if ratio + 1e-9 >= need or is_swatch(run.text):
        return None
    return (f"{run.where}: text {_quoted(run.text)} (#{run.color.upper()} on #{run.ground.upper()}, "
            f"{run.style.size:g} pt) has contrast {ratio:.2f}:1, WCAG AA needs {need:g}:1")


def _drawn(run: Run) -> bool:
    return bool(run.text.strip(" |"))


def readability_checks(slide: PlacedSlide, theme: Theme) -> list[Diagnostic]:
    """Every run of ``slide`` against its floor and for contrast. One diagnostic per box and kind of
    failure: the first failing run, and how many more there are (a hex page can hold hundreds)."""
    label = slide_label(slide.index, slide.title)
    failures = []
    floors: dict[str, float] = {}
    for box in slide.boxes:
        found = list(filter(_drawn, runs(box, f"{label}, box {box.name}", slide.background)))
        for check, hint in ((lambda r: floor_failure(r, theme, floors), FLOOR_HINT), (contrast_failure, CONTRAST_HINT)):
            reasons = [why for why in map(check, found) if why]
            if reasons:
                more = f" (and {len(reasons) - 1} more runs of this box)" if len(reasons) > 1 else ""
                failures.append(Diagnostic(reasons[0] + more, slide.origin, hint))
    return failures
