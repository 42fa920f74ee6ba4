"""``transcript``: the prompt and the response of a ``server`` run, complete.

Never truncated: the text block paginates between lines, so a long answer continues on further
slides. What a slide cannot show is made visible instead of vanishing or breaking the .pptx (XML
cannot hold most control characters, and the theme's fonts have no control pictures or U+FFFD):
controls become their ASCII names (``<NUL>``, ``<ESC>``, ``<U+0085>``), invalid UTF-8 (already
U+FFFD when decoded), lone surrogates and non-characters become ``<?>``; each stand-in is set in
the accent colour so it cannot be mistaken for text the model wrote. Tabs become spaces so that
measuring and rendering agree.
"""

from __future__ import annotations

from itertools import groupby

from tfeic.ir import Paragraph, Slide, Span, TextBlock
from tfeic.directives import DIRECTIVES, Directive
from .inference_metrics import SOURCE_OPTION, provenance, run_of

TAB = "    "
C0_NAMES = ("NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI "
            "DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US").split()
STAND_IN_COLOR = "accent3"


def stand_in(ch: str) -> str | None:
    """The visible stand-in for a character a slide cannot carry, or None when it can carry it."""
    code = ord(ch)
    if code < 0x20:
        return f"<{C0_NAMES[code]}>"
    if code == 0x7F:
        return "<DEL>"
    if 0x80 <= code < 0xA0:
        return f"<U+{code:04X}>"
    if 0xD800 <= code < 0xE000 or code in (0xFFFD, 0xFFFE, 0xFFFF):
        return "<?>"
    return None


def visible(line: str) -> tuple[Span, ...]:
    """One line as spans: plain runs as they are, stand-ins marked in the accent colour."""
    line = line.replace("\t", TAB)
    spans = []
    for marked, run in groupby(line, key=lambda c: stand_in(c) is not None):
        chars = "".join(run)
        if marked:
            spans.append(Span("".join(s for c in chars if (s := stand_in(c)) is not None), color=STAND_IN_COLOR))
        else:
            spans.append(Span(chars))
    return tuple(spans) or (Span(""),)


def lines(text: str) -> tuple[Paragraph, ...]:
    """One paragraph per line (CRLF, CR and LF alike), so pagination can split anywhere between them."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    return tuple(Paragraph(visible(line)) for line in normalised.split("\n"))


def heading(label: str) -> Paragraph:
    return Paragraph((Span(label, bold=True, color="accent2"),))


@DIRECTIVES.register
class TranscriptDirective(Directive):
    name = "transcript"
    summary = "Prompt and response of a server run, paginated and never truncated; control characters shown visibly."
    sources = {"source": ("server",)}
    schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "title": {"type": "string", "description": "Slide title (default: Transcript)."},
            "source": SOURCE_OPTION,
            "role": {"enum": ["code", "body"], "default": "code",
                     "description": "Text style: monospace (code) keeps the model's spacing; body reads as prose."},
        },
    }

    def expand(self, spec, data, ctx):
        run = run_of(spec, data)
        tokens = f"{run.completion_tokens} tokens, " if run.completion_tokens is not None else ""
        paragraphs = (
            heading("Prompt"), *lines(run.prompt),
            heading(f"Response ({tokens}finish: {run.finish_reason or 'n/a'})"), *lines(run.text),
        )
        block = TextBlock("body", paragraphs, role=spec.options.get("role", "code"), paginate="lines", name="transcript")
        return [Slide(title=spec.options.get("title", "Transcript"), layout="title-body", blocks=(block,),
                      notes=spec.notes or provenance(run))]
