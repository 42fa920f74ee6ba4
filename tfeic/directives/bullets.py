"""``bullets``: a titled list of (nested) bullet points; paginates between items when long."""

from __future__ import annotations

from ..ir import Slide
from . import DIRECTIVES, Directive
from .blocks import BULLETS_SCHEMA, bullets_block


@DIRECTIVES.register
class BulletsDirective(Directive):
    name = "bullets"
    summary = "Bullet list, nested by indentation of lists; continues on a '(cont.)' slide when long."
    schema = {
        "type": "object",
        "properties": {"items": BULLETS_SCHEMA},
        "required": ["items"],
        "additionalProperties": False,
    }

    def expand(self, spec, data, ctx):
        block = bullets_block(spec.options["items"], "body")
        return [Slide(title=spec.options.get("title"), layout=self.layout_of(spec), blocks=(block,))]
