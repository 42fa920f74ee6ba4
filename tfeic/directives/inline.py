"""Inline markup of text fields: ``**bold**``, ``*italic*`` or ``_italic_``, and ```code```.

A deliberately small subset of Markdown: enough for slide text, unambiguous to parse, and every
character that is not markup comes out literally (a backslash escapes the next character).
"""

from __future__ import annotations

from ..ir import Paragraph, Span

_MARKERS = ("**", "*", "_", "`")
_MARKUP = frozenset("\\`*_")  # the characters the parser below acts on; text without any is one plain span


def parse_inline(text: str) -> tuple[Span, ...]:
    """Split ``text`` into styled spans. Unclosed markers are kept as literal characters."""
    if _MARKUP.isdisjoint(text):  # most slide text: what the loop below returns, without reading it character by character
        return (Span(text),)
    spans: list[Span] = []
    bold = italic = False
    buf: list[str] = []
    i, n = 0, len(text)

    def flush() -> None:
        if buf:
            spans.append(Span("".join(buf), bold=bold, italic=italic))
            buf.clear()

    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n:
            buf.append(text[i + 1])
            i += 2
            continue
        if ch == "`":
            end = text.find("`", i + 1)
            if end > i:
                flush()
                spans.append(Span(text[i + 1 : end], bold=bold, italic=italic, code=True))
                i = end + 1
                continue
        marker = "**" if text.startswith("**", i) else ch if ch in "*_" else None
        if marker and (_closes(text, i, marker) or (marker == "**" and bold) or (marker != "**" and italic)):
            flush()
            if marker == "**":
                bold = not bold
            else:
                italic = not italic
            i += len(marker)
            continue
        buf.append(ch)
        i += 1
    flush()
    return tuple(spans) or (Span(""),)


def _closes(text: str, i: int, marker: str) -> bool:
    """An opening marker counts only when a matching closer follows (so ``a_b`` stays literal
    unless another ``_`` closes it, and a lone ``*`` is just a star)."""
    after = i + len(marker)
    if after >= len(text) or text[after].isspace():
        return False  # "2 * 3" is a star, not emphasis
    if marker == "_" and i > 0 and text[i - 1].isalnum():
        return False
    return text.find(marker, i + len(marker)) > i + len(marker)


def paragraphs(text: str) -> tuple[Paragraph, ...]:
    """Plain text with inline markup; blank lines separate paragraphs, single newlines are kept."""
    blocks = [b.strip("\n") for b in str(text).split("\n\n")]
    return tuple(Paragraph(parse_inline(b)) for b in blocks if b.strip())
