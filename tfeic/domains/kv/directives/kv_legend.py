"""Directive ``kv_legend``: the geometry table and the colour legend every KV slide uses."""

from __future__ import annotations

from tfeic.ir import Paragraph, Shape, ShapesBlock, Slide, Span, TableBlock
from ..memory import human_bytes
from ..offsets import block_shape
from ..palette import PLANE_NAMES, head_color, tile_shade, token_color
from tfeic.directives import DIRECTIVES, Directive
from ._options import POOL_KINDS, SOURCE, options_schema


def geometry_rows(value) -> tuple[tuple[str, str], ...]:
    g = value.geometry
    dims = ", ".join(str(d) for d in block_shape(g))
    rows = [("layers (L)", str(g.layers)), ("KV heads (Hk)", str(g.kv_heads)), ("tokens per block (T)", str(g.tokens_per_block)),
            ("head dim (D)", str(g.head_dim)), ("KV dtype", f"{g.dtype} ({g.elem_bytes} B)"),
            ("layout", f"{g.layout.upper()} [blocks, {dims}]"),
            ("bytes per token", f"{g.bytes_per_token:,} ({human_bytes(g.bytes_per_token)})"),
            ("block, one layer", f"{g.layer_block_bytes:,} B"),
            ("block, all layers", f"{g.block_bytes:,} ({human_bytes(g.block_bytes)})")]
    if hasattr(value, "num_blocks"):
        rows.append(("blocks in pool", str(value.num_blocks)))
    return tuple(rows)


def legend_shapes(kv_factor: int, heads: int) -> tuple[Shape, ...]:
    """Swatches: each plane with its head shades and the token stripes (the byte views: hex, zoom,
    linear layout), then each plane's tile-map shades (``kv_tiles``: a shade is a value, lightest =
    the plane's lowest mean |x|, full colour = its highest), so one legend is true of every KV slide."""
    shades = min(4, heads)  # head_color cycles through 4 shades: head h has the shade of h mod 4
    which = f"heads 0-{heads - 1}" if heads <= 4 else f"heads 0-{heads - 1}, shade = head mod 4"
    rows = [(f"{PLANE_NAMES[kv]} plane in byte views, {which}" if heads > 1 else f"{PLANE_NAMES[kv]} plane in byte views, head 0",
             [head_color(kv, h) for h in range(shades)]) for kv in range(kv_factor)]
    rows.append(("token stripes (even, odd)", [token_color(0), token_color(1)]))
    rows += [(f"{PLANE_NAMES[kv]} tile maps: mean |x|, low to high", [tile_shade(kv, i / 3) for i in range(4)])
             for kv in range(kv_factor)]
    shapes, step = [], 1.0 / len(rows)
    for i, (label, colors) in enumerate(rows):
        y = i * step + step * 0.15
        for j, color in enumerate(colors):
            shapes.append(Shape("rect", 0.02 + j * 0.08, y, 0.07, step * 0.7, fill=color, line="border"))
        shapes.append(Shape("rect", 0.36, y, 0.64, step * 0.7, text=(Paragraph((Span(label),)),), role="caption", align="left"))
    return tuple(shapes)


@DIRECTIVES.register
class KvLegend(Directive):
    name = "kv_legend"
    summary = "KV geometry table and the colour legend used by all KV slides."
    sources = {"source": POOL_KINDS + ("engine",)}
    default_layout = "two-columns"
    schema = options_schema({"source": {**SOURCE, "description": "A `kv`, `connector_cache` or `engine` source."},
                             "layout": {"const": "two-columns"}})

    def expand(self, spec, data, ctx):
        value = data["source"]
        g = value.geometry
        table = TableBlock("left", header=("quantity", "value"), rows=geometry_rows(value), col_align=("left", "right"))
        legend = ShapesBlock("right", shapes=legend_shapes(g.kv_factor, g.kv_heads), name="legend")
        title = spec.options.get("title", "KV cache geometry and legend")
        return [Slide(title, "two-columns", (table, legend), notes=spec.notes, origin=spec.pos, directive=self.name)]
