"""``title``: the cover slide: the deck title (or the slide's own), a subtitle, author and date."""

from __future__ import annotations

from ..ir import Paragraph, Slide, Span, TextBlock
from . import DIRECTIVES, Directive
from .inline import parse_inline


@DIRECTIVES.register
class TitleDirective(Directive):
    name = "title"
    summary = "Cover slide: title, subtitle, author and date."
    default_layout = "cover"
    schema = {
        "type": "object",
        "properties": {
            "subtitle": {"type": "string", "description": "Second line under the title."},
            "byline": {"type": "string", "description": "Author/date line; defaults to the deck's author and date."},
        },
        "additionalProperties": False,
    }

    def expand(self, spec, data, ctx):
        opts = spec.options
        title = opts.get("title") or ctx.deck.title
        byline = opts.get("byline")
        if byline is None:
            byline = " · ".join(x for x in (ctx.deck.author, ctx.deck.date or "") if x)
        lines = [Paragraph(parse_inline(opts["subtitle"]))] if opts.get("subtitle") else []
        if byline:
            lines.append(Paragraph((Span(byline, color="muted"),)))
        blocks = [TextBlock(area="title", paragraphs=(Paragraph(parse_inline(title)),), role="cover_title", anchor="bottom")]
        if lines:
            blocks.append(TextBlock(area="subtitle", paragraphs=tuple(lines), role="subtitle"))
        return [Slide(title=None, layout=self.layout_of(spec), blocks=tuple(blocks))]
