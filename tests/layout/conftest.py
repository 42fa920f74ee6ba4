"""A theme built directly from the value classes (like themes/light.yaml, without its loader), with
the real Liberation font files, and helpers to make IR text."""

from __future__ import annotations

from pathlib import Path

import pytest

from tfeic.ir import Paragraph, Span
from tfeic.theme import FontFace, GridLayout, TextRole, Theme

FONT_DIR = Path("/usr/share/fonts/truetype/liberation")
CASES = Path(__file__).resolve().parent / "cases"


def face(family: str, stem: str) -> FontFace:
    files = {style: str(FONT_DIR / f"{stem}-{style}.ttf") for style in ("Regular", "Bold", "Italic", "BoldItalic")}
    return FontFace(family, files["Regular"], files["Bold"], files["Italic"], files["BoldItalic"])


SANS = face("Arial", "LiberationSans")
MONO = face("Courier New", "LiberationMono")


def make_theme(**overrides) -> Theme:
    values = dict(
        name="test", margin_top=24, margin_bottom=24, bullet_indent=20, min_size=12,
        colors={"background": "#FFFFFF", "text": "#1B2430", "muted": "#5B6776", "accent": "#76B900",
                "accent2": "#1F6FEB", "table_header_bg": "#1B2430", "table_header_text": "#FFFFFF",
                "table_band": "#F1F4F8", "table_highlight": "#1A7F37"},
        fonts={"sans": SANS, "mono": MONO},
        roles={"title": TextRole("sans", 30, bold=True, min_size=20), "body": TextRole("sans", 20),
               "caption": TextRole("sans", 12, color="muted", min_size=8),
               "table": TextRole("sans", 14, min_size=9), "code": TextRole("mono", 14, min_size=8)},
        layouts={"title-body": GridLayout((("title",), ("body",)), ("52pt", "1fr")),
                 "two-columns": GridLayout((("title", "title"), ("left", "right")), ("52pt", "1fr")),
                 "three-columns": GridLayout((("title",) * 3, ("left", "middle", "right")), ("52pt", "1fr")),
                 "cover": GridLayout(((".",), ("title",), ("subtitle",), (".",)), ("1fr", "120pt", "72pt", "1fr"))},
        source="themes/test.yaml",
    )
    values.update(overrides)
    return Theme(**values)


@pytest.fixture
def theme() -> Theme:
    return make_theme()


def para(text: str, **kwargs) -> Paragraph:
    return Paragraph((Span(text),), **kwargs)
