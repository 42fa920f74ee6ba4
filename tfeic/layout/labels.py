"""How diagnostics name slides and shapes, shared by the geometry proof and the readability proof."""

from __future__ import annotations


def slide_label(index: int, title: str | None) -> str:
    """How diagnostics name a slide: ``slide 7 "KV pages"`` (a line break in a title shows as ``\\n``,
    so a diagnostic stays one line)."""
    if not title:
        return f"slide {index}"
    shown = title.replace("\n", "\\n")
    return f'slide {index} "{shown}"'


def shape_label(name: str | None, i: int) -> str:
    return f"'{name}'" if name else f"#{i + 1}"
