"""``text``: a titled block of prose with inline **bold**, *italic* and `code`."""

from __future__ import annotations

from ..ir import Slide
from . import DIRECTIVES, Directive
from .blocks import TEXT_SCHEMA, text_block


@DIRECTIVES.register
class TextDirective(Directive):
    name = "text"
    summary = "Paragraphs of text with inline bold, italic and code; continues on a '(cont.)' slide when long."
    schema = {
        "type": "object",
        "properties": {
            "text": TEXT_SCHEMA,
            "role": {"type": "string", "description": "Theme text role (body, code, caption, ...).", "default": "body"},
            "align": {"enum": ["left", "center", "right"]},
        },
        "required": ["text"],
        "additionalProperties": False,
    }

    def expand(self, spec, data, ctx):
        opts = spec.options
        block = text_block(opts["text"], "body", role=opts.get("role", "body"), align=opts.get("align", "left"))
        return [Slide(title=opts.get("title"), layout=self.layout_of(spec), blocks=(block,))]
