"""``table``: an inline table of rows; the layout engine continues it (header repeated) when long."""

from __future__ import annotations

from ..ir import Slide
from . import DIRECTIVES, Directive
from .blocks import TABLE_PROPERTIES, table_block, text_block


@DIRECTIVES.register
class TableDirective(Directive):
    name = "table"
    summary = "Native table from inline rows; paginates with the header repeated."
    schema = {
        "type": "object",
        "properties": {**TABLE_PROPERTIES, "caption": {"type": "string", "description": "A line under the table."}},
        "required": ["rows"],
        "additionalProperties": False,
    }

    def expand(self, spec, data, ctx):
        opts = spec.options
        blocks = [table_block(opts, "body")]
        layout = self.layout_of(spec)
        if opts.get("caption"):
            blocks.append(text_block(opts["caption"], "caption", role="caption"))
            layout = spec.options.get("layout", "body-caption")
        return [Slide(title=opts.get("title"), layout=layout, blocks=tuple(blocks))]
