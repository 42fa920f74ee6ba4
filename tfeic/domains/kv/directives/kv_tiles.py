"""Directive ``kv_tiles``: K and V planes of one block and layer as head x token tile maps.

Each cell is mean |x| over the head dimension. A plane is drawn so that it can be read without the
notes: its name on top ("K plane: keys"), head labels down the left, token-slot ticks and an axis
title below, and a colour scale at the bottom giving the plane's lowest and highest cell value: a
cell's shade runs from nearly white (the plane's lowest mean |x|) to the full plane colour (its
highest), the same ``tile_shade`` the scale's swatches and ``kv_legend`` use. Above ``MAX_CELLS``
cells per plane, neighbouring tokens are averaged into one cell so the drawing stays editable
(hundreds of shapes, not thousands). Cells carry their value as text only when they are large
enough to hold it.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from tfeic.core.diagnostics import SourceError
from tfeic.ir import Paragraph, Shape, ShapesBlock, Slide, Span
from ..palette import PLANE_NAMES, PLANE_WORDS, tile_shade
from tfeic.directives import DIRECTIVES, Directive, slide_diagnostic
from ._options import BLOCK, LAYER, POOL_KINDS, SOURCE, options_schema, pool_block_layer

if TYPE_CHECKING:  # numpy is imported when a slide is expanded
    import numpy as np

MAX_CELLS = 512
LABEL_MAX_COLUMNS = 8  # about 50 pt per cell in a half-slide column: room for '0.123'
LABEL_MAX_ROWS = 12
MAX_TICKS = 8  # labels per axis (tokens, heads): each names the first column or row it spans
SCALE_STEPS = 6  # swatches of the colour scale, lowest to highest
# The drawing's parts, as (top, height) fractions of the column, and the grid's left edge.
NAME_ROW, GRID_ROWS, TICK_ROW, AXIS_ROW, SCALE_ROW = (0.0, 0.08), (0.09, 0.58), (0.68, 0.07), (0.75, 0.07), (0.85, 0.08)
GRID_X = 0.14


def tile_values(plane: np.ndarray, max_cells: int = MAX_CELLS) -> tuple[np.ndarray, int]:
    """[Hk, T, D] values -> ([Hk, columns] mean |x|, tokens per column): the fewest tokens per column
    that divide the block and keep the plane within ``max_cells`` (all of them in one column at most;
    a plane of more heads than ``max_cells`` is refused by the directive before it gets here)."""
    import numpy as np

    heads, tokens, _ = plane.shape
    needed = min(tokens, max(1, math.ceil(heads * tokens / max_cells)))
    group = next(g for g in range(needed, tokens + 1) if tokens % g == 0)
    means = np.abs(plane).mean(axis=2, dtype=np.float64)  # a float32 sum of values near 3e38 would overflow
    return means.reshape(heads, tokens // group, group).mean(axis=2), group


def value_range(values: np.ndarray) -> tuple[float, float]:
    """Lowest and highest finite cell (0, 0 when none is finite)."""
    import numpy as np

    finite = values[np.isfinite(values)]
    return (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)


def _text(text: str, bold: bool = False) -> tuple[Paragraph, ...]:
    return (Paragraph((Span(text, bold=bold),)),)


def _label(x: float, row: tuple[float, float], w: float, text: str, align: str = "center", name: str | None = None,
           bold: bool = False) -> Shape:
    return Shape("rect", x, row[0], w, row[1], text=_text(text, bold), role="caption", align=align, name=name)


def tile_shapes(values: np.ndarray, kv: int, low: float, high: float) -> list[Shape]:
    """The cells, in the grid part of the column; Inf and NaN cells (bytes decoding so) are drawn full."""
    import numpy as np

    rows, cols = values.shape
    finite = np.isfinite(values)
    label = cols <= LABEL_MAX_COLUMNS and rows <= LABEL_MAX_ROWS
    top, height = GRID_ROWS
    cw, rh = (1 - GRID_X) / cols, height / rows
    shapes = []
    for h in range(rows):
        for c in range(cols):
            v = float(values[h, c])
            fraction = (v - low) / (high - low) if finite[h, c] and high > low else 1.0
            shapes.append(Shape("rect", GRID_X + c * cw, top + h * rh, cw, rh, fill=tile_shade(kv, fraction),
                                line="border", text=_text(f"{v:.2g}") if label else (),
                                name=f"{PLANE_NAMES[kv]} h{h} c{c}"))
    return shapes


def axis_shapes(kv: int, heads: int, cols: int, group: int) -> list[Shape]:
    """Plane name, head labels, token ticks (every ``ceil(cols / MAX_TICKS)``-th column) and axis title."""
    top, height = GRID_ROWS
    shapes = [_label(0.0, NAME_ROW, 1.0, f"{PLANE_NAMES[kv]} plane: {PLANE_WORDS[kv]}", "left", "plane name", True)]
    every, rh = math.ceil(heads / MAX_TICKS), height / heads  # a label spans the rows up to the next
    shapes += [_label(0.0, (top + h * rh, min(every, heads - h) * rh), GRID_X, f"h{h}", "right", f"head {h}")
               for h in range(0, heads, every)]
    every, cw = math.ceil(cols / MAX_TICKS), (1 - GRID_X) / cols
    for c in range(0, cols, every):
        x = max(0.0, GRID_X + (c + 0.5 - every / 2) * cw)
        shapes.append(_label(x, TICK_ROW, min(every * cw, 1.0 - x), str(c * group), name=f"token {c * group}"))
    per = f", {group} per column" if group > 1 else ""
    shapes.append(_label(GRID_X, AXIS_ROW, 1 - GRID_X, f"token slot 0-{cols * group - 1}{per}; rows: KV heads",
                         name="token axis"))
    return shapes


def scale_shapes(kv: int, low: float, high: float, head_dim: int) -> list[Shape]:
    """The colour scale: 'mean |x|, d0-63:' then the lowest value, the swatches, the highest value."""
    left, width = 0.58, 0.24
    step = width / SCALE_STEPS
    shapes = [_label(0.0, SCALE_ROW, 0.42, f"mean |x| of d0-{head_dim - 1}:", "right", "scale title"),
              _label(0.42, SCALE_ROW, left - 0.42, f"{low:.3g}", "right", "scale min")]
    shapes += [Shape("rect", left + i * step, SCALE_ROW[0] + 0.01, step, SCALE_ROW[1] - 0.02,
                     fill=tile_shade(kv, i / (SCALE_STEPS - 1)), line="border", name=f"scale {i}")
               for i in range(SCALE_STEPS)]
    shapes.append(_label(left + width, SCALE_ROW, 1 - left - width, f"{high:.3g}", "left", "scale max"))
    return shapes


@DIRECTIVES.register
class KvTiles(Directive):
    name = "kv_tiles"
    summary = "K and V planes of a block and layer as head x token tile maps (mean |x| over the head dim)."
    sources = {"source": POOL_KINDS}
    default_layout = "two-columns"
    schema = options_schema({"source": SOURCE, "block": BLOCK, "layer": LAYER,
                             "layout": {"const": "two-columns"}})

    def expand(self, spec, data, ctx):
        pool, block, layer = pool_block_layer(spec, data)
        g = pool.geometry
        if g.kv_heads > MAX_CELLS:  # one row per head even with every token in one column
            raise SourceError(slide_diagnostic(spec, "", f"a plane of {g.kv_heads} KV heads needs more "
                                               f"than the {MAX_CELLS} tiles kv_tiles draws (one row per head)", spec.pos_of()))
        blocks, group = [], 1
        for kv, area in zip(range(g.kv_factor), ("left", "right")):
            values, group = tile_values(pool.plane_values(block, layer, kv))
            low, high = value_range(values)
            shapes = (tile_shapes(values, kv, low, high) + axis_shapes(kv, g.kv_heads, values.shape[1], group)
                      + scale_shapes(kv, low, high, g.head_dim))
            blocks.append(ShapesBlock(area, shapes=tuple(shapes), name=f"{PLANE_NAMES[kv]} plane"))
        title = spec.options.get("title", f"K | V planes: block {block}, layer {layer}")
        notes = (f"Rows are the {g.kv_heads} KV heads, columns the {g.tokens_per_block} token slots"
                 + (f" ({group} tokens per column)" if group > 1 else "")
                 + ". Shade: mean |x| over the head dimension, from the plane's lowest cell (lightest) "
                   "to its highest (full colour), as the scale under each plane says.")
        return [Slide(title, "two-columns", tuple(blocks), notes="\n".join(n for n in (spec.notes, notes) if n),
                      origin=spec.pos, directive=self.name)]
