"""Directive ``kv_tiles``: K and V planes of one block and layer as head x token tile maps.

Each cell is mean |x| over the head dimension, coloured from white to the plane colour relative to
the plane's largest cell. Above ``MAX_CELLS`` cells per plane, neighbouring tokens are averaged into
one cell so the drawing stays editable (hundreds of shapes, not thousands). Cells carry their value
as text only when they are large enough to hold it.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from tfeic.core.diagnostics import SourceError
from tfeic.ir import Paragraph, Shape, ShapesBlock, Slide, Span
from ..palette import PLANE_NAMES, value_color
from tfeic.directives import DIRECTIVES, Directive, slide_diagnostic
from ._options import BLOCK, LAYER, POOL_KINDS, SOURCE, options_schema, pool_block_layer

if TYPE_CHECKING:  # numpy is imported when a slide is expanded
    import numpy as np

MAX_CELLS = 512
LABEL_MAX_COLUMNS = 8  # about 50 pt per cell in a half-slide column: room for '0.123'
LABEL_MAX_ROWS = 12


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


def tile_shapes(values: np.ndarray, kv: int) -> tuple[Shape, ...]:
    import numpy as np

    rows, cols = values.shape
    finite = np.isfinite(values)
    top = float(values[finite].max(initial=0.0)) or 1.0  # Inf and NaN cells (bytes decoding so) are drawn full
    label = cols <= LABEL_MAX_COLUMNS and rows <= LABEL_MAX_ROWS
    shapes = []
    for h in range(rows):
        for c in range(cols):
            v = float(values[h, c])
            text = (Paragraph((Span(f"{v:.2g}"),)),) if label else ()
            shapes.append(Shape("rect", c / cols, h / rows, 1 / cols, 1 / rows,
                                fill=value_color(kv, v / top if finite[h, c] else 1.0),
                                line="border", text=text, name=f"{PLANE_NAMES[kv]} h{h} c{c}"))
    return tuple(shapes)


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
        if pool.geometry.kv_heads > MAX_CELLS:  # one row per head even with every token in one column
            raise SourceError(slide_diagnostic(spec, "", f"a plane of {pool.geometry.kv_heads} KV heads needs more "
                                               f"than the {MAX_CELLS} tiles kv_tiles draws (one row per head)", spec.pos_of()))
        blocks, group = [], 1
        for kv, area in zip(range(pool.geometry.kv_factor), ("left", "right")):
            values, group = tile_values(pool.plane_values(block, layer, kv))
            blocks.append(ShapesBlock(area, shapes=tile_shapes(values, kv), name=f"{PLANE_NAMES[kv]} plane"))
        g = pool.geometry
        title = spec.options.get("title", f"K | V planes: block {block}, layer {layer}")
        notes = (f"Rows are the {g.kv_heads} KV heads, columns the {g.tokens_per_block} token slots"
                 + (f" ({group} tokens per column)" if group > 1 else "")
                 + ". Colour: mean |x| over the head dimension, white = 0, full colour = plane maximum.")
        return [Slide(title, "two-columns", tuple(blocks), notes="\n".join(n for n in (spec.notes, notes) if n),
                      origin=spec.pos, directive=self.name)]
