"""Directive ``kv_linear``: the linear on-disk layout of one block and layer, with byte offsets.

Three bars over the same byte range: the planes (K | V), the heads inside each plane, and the token
stripes inside the first head of K. Labels are short (``K @0``): offsets are relative to the start of
the block-layer chunk, whose absolute pool offset is in the title.
"""

from __future__ import annotations

from tfeic.ir import Paragraph, Shape, ShapesBlock, Slide, Span
from ..palette import PLANE_NAMES, head_color, plane_color, token_color
from tfeic.directives import DIRECTIVES, Directive
from ._options import BLOCK, LAYER, POOL_KINDS, SOURCE, options_schema, pool_block_layer

MAX_LABELS = 8  # labels per bar: each names the first of the segments it spans
BAR_H, LABEL_H, CAPTION_H = 0.14, 0.07, 0.08  # of the drawing's height


def _label(text: str) -> tuple[Paragraph, ...]:
    return (Paragraph((Span(text),)),)


def bar(y: float, segments: list[tuple[str, str]], caption: str) -> list[Shape]:
    """Equal segments (label, colour) across the width at height ``y``, a caption row above and a
    label row below. Labels sit on the slide background, not on the segments' colours (readable
    whatever a segment's shade), each left-aligned under the first segment of the run it spans."""
    n = len(segments)
    every = max(1, -(-n // MAX_LABELS))
    shapes = [Shape("rect", 0.0, y - CAPTION_H - 0.01, 1.0, CAPTION_H, text=_label(caption), role="caption",
                    align="left")]
    shapes += [Shape("rect", i / n, y, 1 / n, BAR_H, fill=color, line="border") for i, (_, color) in enumerate(segments)]
    shapes += [Shape("rect", i / n, y + BAR_H, min(every, n - i) / n, LABEL_H, text=_label(label), role="caption",
                     align="left") for i, (label, _) in enumerate(segments) if i % every == 0]
    return shapes


@DIRECTIVES.register
class KvLinear(Directive):
    name = "kv_linear"
    summary = "Linear byte layout of a block and layer: planes, heads, token stripes, offsets."
    sources = {"source": POOL_KINDS}
    schema = options_schema({"source": SOURCE, "block": BLOCK, "layer": LAYER, "layout": {"const": "title-body"}})

    def expand(self, spec, data, ctx):
        pool, block, layer = pool_block_layer(spec, data)
        g = pool.geometry
        plane, head, token = g.plane_bytes, g.tokens_per_block * g.head_dim * g.elem_bytes, g.head_dim * g.elem_bytes
        planes = [(f"{PLANE_NAMES[kv]} @{kv * plane}", plane_color(kv)) for kv in range(g.kv_factor)]
        heads = [(f"h{h} @{kv * plane + h * head}", head_color(kv, h)) for kv in range(g.kv_factor) for h in range(g.kv_heads)]
        tokens = [(f"t{t}", token_color(t)) for t in range(g.tokens_per_block)]
        if g.layout == "nhd":  # NHD: tokens outside, heads inside each token
            heads = [(f"t{t} @{kv * plane + t * g.kv_heads * token}", token_color(t)) for kv in range(g.kv_factor) for t in range(g.tokens_per_block)]
            tokens = [(f"h{h}", head_color(0, h)) for h in range(g.kv_heads)]
        shapes = (bar(0.10, planes, f"planes: {plane:,} B each")
                  + bar(0.43, heads, f"{'heads' if g.layout == 'hnd' else 'tokens'}: {head if g.layout == 'hnd' else token * g.kv_heads:,} B each")
                  + bar(0.76, tokens, f"inside the first: {token:,} B each ({g.head_dim} x {g.elem_bytes} B)"))
        start = block * g.block_bytes + layer * g.layer_block_bytes
        title = spec.options.get("title", f"Block {block}, layer {layer}: bytes {start:,}..{start + g.layer_block_bytes - 1:,}")
        return [Slide(title, self.layout_of(spec), (ShapesBlock("body", shapes=tuple(shapes), name="linear layout"),),
                      notes=spec.notes, origin=spec.pos, directive=self.name)]
