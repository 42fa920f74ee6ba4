"""``quote``: a large quotation and its attribution, an example of a plugin directive.

A directive turns its options (and the sources they name) into IR slides: text and style intent in
named grid areas, never coordinates; the layout stage then proves the text fits.
"""

from __future__ import annotations

from tfeic.ir import Paragraph, Slide, Span, TextBlock
from tfeic.directives import Directive


class Quote(Directive):
    name = "quote"
    summary = "A quotation in large type with its attribution; optional word count of a source (example plugin)."
    default_layout = "body-caption"
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["text"],
        "properties": {
            "title": {"type": "string"},
            "text": {"type": "string", "description": "The quotation."},
            "by": {"type": "string", "description": "Who said it."},
            "source": {"type": "string", "description": "A word_count source whose counts go in the caption."},
            "layout": {"type": "string"},
            "notes": {"type": "string"},
        },
    }
    sources = {"source": ("word_count",)}  # option -> accepted kinds; the first is the default name

    def expand(self, spec, data, ctx) -> list[Slide]:
        opts = spec.options
        quote = TextBlock(area="body", paragraphs=(Paragraph((Span(f"\u201c{opts['text']}\u201d", italic=True),)),),
                          role="heading", anchor="middle")
        caption = "\u2014 " + opts["by"] if "by" in opts else ""
        counted = data.get("source")
        if counted is not None:
            caption += f" ({counted.words} words in {counted.lines} lines; longest: {counted.longest})"
        blocks = [quote]
        if caption:
            blocks.append(TextBlock(area="caption", paragraphs=(Paragraph((Span(caption.strip()),)),), role="caption", align="right"))
        return [Slide(title=opts.get("title"), layout=self.layout_of(spec), blocks=tuple(blocks))]
