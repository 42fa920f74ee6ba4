"""``section``: a divider slide that opens a part of the talk."""

from __future__ import annotations

from ..ir import Paragraph, Slide, TextBlock
from . import DIRECTIVES, Directive
from .inline import parse_inline


@DIRECTIVES.register
class SectionDirective(Directive):
    name = "section"
    summary = "Section divider: a large heading and an optional line under it."
    default_layout = "section"
    schema = {
        "type": "object",
        "properties": {"subtitle": {"type": "string", "description": "One line under the heading."}},
        "required": ["title"],
        "additionalProperties": False,
    }

    def expand(self, spec, data, ctx):
        blocks = [TextBlock(area="title", paragraphs=(Paragraph(parse_inline(spec.options["title"])),), role="cover_title", anchor="bottom")]
        if spec.options.get("subtitle"):
            blocks.append(TextBlock(area="subtitle", paragraphs=(Paragraph(parse_inline(spec.options["subtitle"])),), role="subtitle"))
        return [Slide(title=None, layout=self.layout_of(spec), blocks=tuple(blocks))]
