"""The theme's grid as rectangles: content box, columns, rows, and the named areas of a layout.

Non-overlap is by construction: every area is the bounding box of whole grid cells, and cells are
separated by gutters and row gaps. Edges are computed in points and each *edge* is rounded to EMU
(rather than each width), so two areas that do not overlap in points cannot overlap after rounding.
"""

from __future__ import annotations

import re

from ..core.diagnostics import Diagnostic, LayoutError, Pos
from ..theme import GridLayout, Theme
from .placed import Rect, emu

_ROW_HEIGHT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(pt|fr)\s*$")


def _rect(x0: float, y0: float, x1: float, y1: float) -> Rect:
    return Rect(emu(x0), emu(y0), emu(x1) - emu(x0), emu(y1) - emu(y0))


def content_box(theme: Theme) -> Rect:
    """The slide minus its margins: every box must lie inside it."""
    return _rect(theme.margin_left, theme.margin_top,
                 theme.width - theme.margin_right, theme.height - theme.margin_bottom)


def _fail(theme: Theme, name: str, message: str) -> LayoutError:
    return LayoutError(Diagnostic(f"theme '{theme.name}', layout '{name}': {message}", Pos(theme.source or theme.name)))


def _row_edges(theme: Theme, name: str, rows: tuple[str, ...]) -> list[tuple[float, float]]:
    """Top and bottom of every row: ``pt`` rows are fixed, ``fr`` rows share what is left."""
    parsed = []
    for spec in rows:
        m = _ROW_HEIGHT.match(spec)
        if not m:
            raise _fail(theme, name, f"row height '{spec}' is not '<n>pt' or '<n>fr'")
        parsed.append((float(m.group(1)), m.group(2)))
    top, bottom = theme.margin_top, theme.height - theme.margin_bottom
    fixed = sum(v for v, unit in parsed if unit == "pt") + theme.row_gap * (len(rows) - 1)
    fractions = sum(v for v, unit in parsed if unit == "fr")
    free = bottom - top - fixed
    if free < 0:
        raise _fail(theme, name, f"rows need {fixed:.1f} pt, the content box has {bottom - top:.1f} pt")
    edges, y = [], top
    for value, unit in parsed:
        height = value if unit == "pt" else free * value / fractions
        edges.append((y, y + height))
        y += height + theme.row_gap
    return edges


def _column_edges(theme: Theme) -> list[tuple[float, float]]:
    left, right = theme.margin_left, theme.width - theme.margin_right
    width = (right - left - theme.gutter * (theme.columns - 1)) / theme.columns
    return [(left + i * (width + theme.gutter), left + i * (width + theme.gutter) + width)
            for i in range(theme.columns)]


def _cells(theme: Theme, name: str, layout: GridLayout) -> dict[str, list[tuple[int, int, int]]]:
    """Area name -> its cells as (row, first column, last column) in grid columns."""
    if len(layout.areas) != len(layout.rows):
        raise _fail(theme, name, f"{len(layout.areas)} area rows but {len(layout.rows)} row heights")
    cells: dict[str, list[tuple[int, int, int]]] = {}
    for r, row in enumerate(layout.areas):
        names = row.split() if isinstance(row, str) else list(row)
        if not names or theme.columns % len(names):
            raise _fail(theme, name, f"row {r + 1} has {len(names)} names, which does not divide "
                                     f"{theme.columns} columns")
        span = theme.columns // len(names)
        for i, area in enumerate(names):
            if area != ".":
                cells.setdefault(area, []).append((r, i * span, (i + 1) * span - 1))
    return cells


def layout_areas(theme: Theme, name: str) -> dict[str, Rect]:
    """Area name -> rectangle (EMU) for the theme layout ``name``; a KeyError for an unknown layout
    is the caller's to report, since only it knows the slide."""
    layout = theme.layouts[name]
    rows, cols = _row_edges(theme, name, layout.rows), _column_edges(theme)
    areas = {}
    for area, cells in _cells(theme, name, layout).items():
        r0, r1 = min(c[0] for c in cells), max(c[0] for c in cells)
        c0, c1 = min(c[1] for c in cells), max(c[2] for c in cells)
        covered = sum(c[2] - c[1] + 1 for c in cells)
        if covered != (r1 - r0 + 1) * (c1 - c0 + 1):
            raise _fail(theme, name, f"area '{area}' is not a rectangle")
        areas[area] = _rect(cols[c0][0], rows[r0][0], cols[c1][1], rows[r1][1])
    return areas
