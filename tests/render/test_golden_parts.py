"""Every part of a rendered deck, byte for byte, against golden files (as Black keeps its cases).

The golden files under ``golden/sample/`` are the zip entries the python-pptx renderer wrote for
this deck (tfeic at commit 8d9bc46, python-pptx 1.0.2, lxml 5), before render wrote its XML as
strings: they pin the package layout (entry order in ``ORDER``), every slide's markup (title
placeholder, bullets, a table with header, bands and a highlighted cell, a drawing of shapes and
connectors, a picture, a slide-number field), a notes slide and the notes master python-pptx adds,
the presentation part, relationships and content types. They were written by that renderer, not by
the code under test, so a change in any byte of the output fails here by entry name.
"""

from __future__ import annotations

import io
import pathlib
import zipfile
from dataclasses import replace

from conftest import build_sample_deck

from tfeic.ir import Paragraph, Span
from tfeic.layout.footer import SLIDE_NUMBER
from tfeic.layout.placed import PlacedDeck, PlacedSlide, PlacedText, Rect, TextStyle, emu
from tfeic.render import render_deck

GOLDEN = pathlib.Path(__file__).parent / "golden" / "sample"


def golden_deck(png_path: str) -> PlacedDeck:
    """The conftest's sample deck and a third slide holding only a slide-number field."""
    deck = build_sample_deck(png_path)
    number = PlacedText(name="slide number", rect=Rect(emu(860), emu(510), emu(80), emu(24)),
                        paragraphs=(Paragraph((Span("99"),)),),
                        style=TextStyle("Arial", "Courier New", 12.0, "5B6776", role="label"),
                        align="right", anchor="middle", placeholder=SLIDE_NUMBER)
    third = PlacedSlide(index=3, title=None, boxes=(), notes="", background="FFFFFF", footer=(number,))
    return replace(deck, slides=deck.slides + (third,))


def test_entries_are_the_golden_ones_in_order(png_path):
    with zipfile.ZipFile(io.BytesIO(render_deck(golden_deck(png_path)))) as archive:
        names = archive.namelist()
        assert names == (GOLDEN / "ORDER").read_text().split()
        for name in names:
            assert archive.read(name) == (GOLDEN / name).read_bytes(), name
