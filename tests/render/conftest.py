"""Hand-built placed decks for the render tests: every kind of box, in exact EMU."""

from __future__ import annotations

import struct
import zlib

import pytest

from tfeic.ir import Paragraph, Span
from tfeic.layout.placed import (
    PlacedDeck,
    PlacedImage,
    PlacedShape,
    PlacedShapes,
    PlacedSlide,
    PlacedTable,
    PlacedText,
    Rect,
    TextStyle,
    emu,
)

BODY = TextStyle(family="Liberation Sans", mono_family="Liberation Mono", size=18, color="222222")
CAPTION = TextStyle(family="Liberation Sans", mono_family="Liberation Mono", size=12, color="333333")
INSETS = (91440, 45720, 91440, 45720)


def png_bytes(width: int = 4, height: int = 2) -> bytes:
    """A valid RGB PNG written by hand (signature, IHDR, IDAT, IEND)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@pytest.fixture
def png_path(tmp_path):
    path = tmp_path / "tiny.png"
    path.write_bytes(png_bytes())
    return str(path)


def title_box() -> PlacedText:
    return PlacedText(
        name="title",
        rect=Rect(emu(36), emu(28), emu(888), emu(50)),
        paragraphs=(Paragraph(spans=(Span("KV cache pages"),)),),
        style=TextStyle("Liberation Sans", "Liberation Mono", 32, "111111", bold=True),
        anchor="bottom",
    )


def bullets_box() -> PlacedText:
    return PlacedText(
        name="body",
        rect=Rect(emu(36), emu(90), emu(420), emu(300)),
        paragraphs=(
            Paragraph(spans=(Span("Blocks are "), Span("fixed", bold=True), Span(" size")), bullet=True),
            Paragraph(spans=(Span("offset = "), Span("block * 64", code=True, color="accent")), bullet=True, level=1),
            Paragraph(spans=(Span("plain closing line", italic=True, color="#00FF00"),)),
        ),
        style=BODY,
        paragraph_space=6.0,
        bullet_indent=18.0,
        fill="F0F0F0",
        color_map=(("accent", "C00000"),),
    )


def table_box() -> PlacedTable:
    widths = (emu(120), emu(150), emu(150))
    heights = (emu(30), emu(28), emu(28), emu(28))
    return PlacedTable(
        name="table",
        rect=Rect(emu(480), emu(90), sum(widths), sum(heights)),
        header=("model", "TTFT ms", "TPOT ms"),
        rows=(("llama-8b", "41.2", "9.8"), ("llama-70b", "118.0", "27.5"), ("mixtral", "77.1", "15.0")),
        col_widths=widths,
        row_heights=heights,
        style=CAPTION,
        col_align=("left", "right", "right"),
        highlight=frozenset({(0, 1)}),
        insets=(emu(4), emu(2), emu(4), emu(2)),
        header_fill="1F3864",
        header_color="FFFFFF",
        band_fill="EEEEEE",
        highlight_color="C00000",
    )


def shapes_box() -> PlacedShapes:
    label = (Paragraph(spans=(Span("prefill"),)),)
    return PlacedShapes(
        name="diagram",
        rect=Rect(emu(36), emu(400), emu(600), emu(100)),
        shapes=(
            PlacedShape("rect", Rect(emu(36), emu(400), emu(120), emu(40)), "DDEEFF", "1F3864", label, CAPTION,
                        "center", "middle", INSETS, name="box-a"),
            PlacedShape("roundrect", Rect(emu(200), emu(400), emu(120), emu(40)), "FFEEDD", None, (), None,
                        "center", "middle", INSETS),
            PlacedShape("ellipse", Rect(emu(360), emu(400), emu(60), emu(60)), None, "000000", (), None,
                        "center", "middle", INSETS),
            PlacedShape("arrow", Rect(emu(156), emu(420), emu(44), 0), None, "444444", (), None,
                        "center", "middle", INSETS, name="flow"),
            PlacedShape("line", Rect(emu(600), emu(490), emu(-100), emu(-60)), None, None, (), None,
                        "center", "middle", INSETS),
        ),
    )


def image_box(path: str) -> PlacedImage:
    return PlacedImage(name="figure", rect=Rect(emu(700), emu(400), emu(200), emu(100)), path=path, alt="heat map")


def build_sample_deck(png_path: str) -> PlacedDeck:
    """Two slides: every kind of box with notes on a white slide, then a title on a dark one."""
    first = PlacedSlide(
        index=1,
        title="KV cache pages",
        boxes=(title_box(), bullets_box(), table_box(), shapes_box(), image_box(png_path)),
        notes="Say why pages are fixed size.",
        background="FFFFFF",
    )
    second = PlacedSlide(index=2, title=None, boxes=(title_box(),), notes="", background="202020")
    return PlacedDeck(
        width=emu(960), height=emu(540), slides=(first, second),
        title="KV deck", author="tfeic tests", created="2024-05-01T12:00:00Z",
    )


@pytest.fixture
def sample_deck(png_path) -> PlacedDeck:
    return build_sample_deck(png_path)
