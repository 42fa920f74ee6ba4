"""``columns``: two or three columns side by side, each holding bullets, text, a table or an image,
with an optional heading above each."""

from __future__ import annotations

import os

from ..ir import Paragraph, Slide, Span, TextBlock
from . import DIRECTIVES, Directive
from .blocks import BULLETS_SCHEMA, IMAGE_PROPERTIES, TABLE_SCHEMA, TEXT_SCHEMA, bullets_block, image_block, table_block, text_block

AREAS = {2: ("left", "right"), 3: ("left", "middle", "right")}
CONTENT_KINDS = ("bullets", "text", "table", "image")

COLUMN_SCHEMA = {
    "type": "object",
    "properties": {
        "heading": {"type": "string", "description": "A heading above the column."},
        "bullets": BULLETS_SCHEMA,
        "text": TEXT_SCHEMA,
        "table": TABLE_SCHEMA,
        "image": {"type": "object", "properties": IMAGE_PROPERTIES, "required": ["path"], "additionalProperties": False},
    },
    "oneOf": [{"required": [k]} for k in CONTENT_KINDS],
    "additionalProperties": False,
}


@DIRECTIVES.register
class ColumnsDirective(Directive):
    name = "columns"
    summary = "Two or three columns of bullets, text, tables or images, each with an optional heading."
    schema = {
        "type": "object",
        "properties": {"columns": {"type": "array", "minItems": 2, "maxItems": 3, "items": COLUMN_SCHEMA}},
        "required": ["columns"],
        "additionalProperties": False,
    }

    def expand(self, spec, data, ctx):
        cols = spec.options["columns"]
        areas = AREAS[len(cols)]
        headed = any(c.get("heading") for c in cols)
        count = "two" if len(cols) == 2 else "three"
        layout = spec.options.get("layout", f"{count}-columns" + ("-headed" if headed else ""))
        blocks = []
        for i, (col, area) in enumerate(zip(cols, areas)):
            if col.get("heading"):
                blocks.append(TextBlock(area=f"{area}_head", paragraphs=(Paragraph((Span(col["heading"]),)),), role="heading"))
            blocks.append(self._content(spec, ctx, col, area, i))
        return [Slide(title=spec.options.get("title"), layout=layout, blocks=tuple(blocks))]

    @staticmethod
    def _content(spec, ctx, col, area, i):
        """Columns stand side by side, so none of them may continue on a slide of its own."""
        if "bullets" in col:
            return bullets_block(col["bullets"], area, paginate=False)
        if "text" in col:
            return text_block(col["text"], area, paginate=False)
        if "table" in col:
            return table_block(col["table"], area, paginate=False)
        raw = col["image"]["path"]
        path = ctx.path(spec, raw, "columns", i, "image", "path")
        alt = col["image"].get("alt") or col.get("heading") or spec.options.get("title") or os.path.basename(path)
        return image_block(path, area, alt, spec.pos_of("columns", i, "image", "path"),
                           ctx.limit("image_pixels"))
