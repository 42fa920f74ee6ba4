"""``image``: a picture fitted into the body area (aspect kept), with an optional caption.

Its alternative text (what a screen reader says instead of the picture) is ``alt``, else the caption,
else the slide title, else the file name: never empty."""

from __future__ import annotations

import os

from ..ir import Block, Slide
from . import DIRECTIVES, Directive
from .blocks import IMAGE_PROPERTIES, image_block, text_block


@DIRECTIVES.register
class ImageDirective(Directive):
    name = "image"
    summary = "A PNG/JPEG picture fitted into the slide body, with an optional caption."
    schema = {
        "type": "object",
        "properties": {**IMAGE_PROPERTIES, "caption": {"type": "string", "description": "A line under the image."}},
        "required": ["path"],
        "additionalProperties": False,
    }

    def expand(self, spec, data, ctx):
        opts = spec.options
        path = ctx.path(spec, opts["path"], "path")
        alt = opts.get("alt") or opts.get("caption") or opts.get("title") or os.path.basename(path)
        blocks: list[Block] = [image_block(path, "body", alt, spec.pos_of("path"), ctx.limit("image_pixels"))]
        layout = self.layout_of(spec)
        if opts.get("caption"):
            blocks.append(text_block(opts["caption"], "caption", role="caption"))
            layout = spec.options.get("layout", "body-caption")
        return [Slide(title=opts.get("title"), layout=layout, blocks=tuple(blocks))]
