"""``code``: commands, shell sessions or configuration, syntax-highlighted as native text runs.

The code is one text box on the theme's ``code_bg`` fill, set in the ``code`` role's monospace font
(measured like any text: the theme's mono face, Liberation Mono for the shipped themes) at the
role's size, never shrunk (a dense page stays at the role's size, 14 pt in the shipped themes); code
too long for one slide continues on "(cont.)" slides, split between lines. Each token class
(``tfeic.domains.code.highlight``) is drawn in the theme colour ``code_<class>`` (keyword, string,
number, comment, name), which the shipped themes choose at 4.5:1 or more against ``code_bg``; a
theme without one draws that class in its ``text`` colour.

Inline ``code:`` is a template like every option (write ``{% raw %}...{% endraw %}`` around literal
``{{``); a file named by ``path:`` is shown as it is.
"""

from __future__ import annotations

from tfeic.core.datafile import InputLimits, read_data
from tfeic.domains.code.highlight import LANGUAGES, highlight
from tfeic.ir import Block, Paragraph, Slide, Span, TextBlock
from tfeic.directives import DIRECTIVES, Directive
from tfeic.directives.blocks import text_block


@DIRECTIVES.register
class CodeDirective(Directive):
    name = "code"
    summary = "Commands or configuration (bash, console, yaml, json, python, toml, ini), syntax-highlighted as editable text."
    schema = {
        "type": "object",
        "properties": {
            "code": {"type": "string", "description": "The code, as it should appear (indentation kept, tabs as 4 spaces)."},
            "path": {"type": "string", "description": "A file holding the code, relative to the deck (instead of `code`)."},
            "language": {"enum": list(LANGUAGES), "default": "text",
                         "description": "How to highlight it: console is a shell session ($ prompts and output)."},
            "caption": {"type": "string", "description": "A line under the code."},
        },
        "oneOf": [{"required": ["code"]}, {"required": ["path"]}],
        "additionalProperties": False,
    }

    def expand(self, spec, data, ctx):
        opts = spec.options
        if "path" in opts:
            source = read_data(ctx.path(spec, opts["path"], "path"), what="code file", limits=InputLimits.of(ctx.deck.options))
        else:
            source = opts["code"]
        blocks: list[Block] = [code_block(source, opts.get("language", "text"), "body")]
        layout = self.layout_of(spec)
        if opts.get("caption"):
            blocks.append(text_block(opts["caption"], "caption", role="caption"))
            layout = opts.get("layout", "body-caption")
        return [Slide(title=opts.get("title"), layout=layout, blocks=tuple(blocks))]


def code_block(source: str, language: str, area: str) -> TextBlock:
    """One paragraph whose lines are the code's lines (line breaks, so no paragraph spacing between
    them), each token class in its theme colour."""
    spans: list[Span] = []
    for number, line in enumerate(highlight(source, language)):
        if number:
            spans.append(Span("\n", code=True))
        spans += [Span(text, code=True, color=f"code_{kind}" if kind else None) for text, kind in line]
    return TextBlock(area=area, paragraphs=(Paragraph(tuple(spans)),), role="code", fill="code_bg",
                     paginate="lines", shrink=False, name="code")
