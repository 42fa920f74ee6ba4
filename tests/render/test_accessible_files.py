"""Accessible files, read from the .pptx XML (``pptx_xml``: zipfile and lxml, not tfeic):

- every titled slide's title is its layout's title placeholder (``p:ph type="title"``) on the
  "Title Only" layout, at an explicit position (the proven box, not the master's);
- the shapes of ``p:spTree`` (the reading order of screen readers and of PowerPoint's tab order)
  follow the visual order: top to bottom, then left to right;
- pictures carry alternative text: ``alt``, else the caption, the column heading or the title;
- ``docProps/app.xml`` counts the slides and lists the theme and every slide's title, as PowerPoint
  writes it (python-pptx's template's own app.xml, written by PowerPoint 14, has the same form).
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
import yaml
from pptx_xml import NS, read

from tfeic.pipeline import BuildOptions, compile_deck

REPO = Path(__file__).resolve().parents[2]
DECKS = sorted((REPO / "decks").glob("*.yaml"))


def build(spec: Path) -> bytes:
    return compile_deck(str(spec), BuildOptions(dry_run=True)).pptx


@pytest.fixture(scope="module", params=DECKS, ids=[p.stem for p in DECKS])
def deck(request):
    return read(build(request.param))


def test_every_slide_of_every_deck_has_a_title_placeholder_at_an_explicit_position(deck):
    slides, _ = deck
    for slide in slides:
        placeholders = slide.title_placeholders()
        assert len(placeholders) == 1, slide.part
        assert slide.layout == "Title Only", slide.part
        assert placeholders[0].find("p:spPr/a:xfrm/a:off", NS) is not None, slide.part
        assert slide.title().strip(), slide.part


def test_shapes_are_in_reading_order(deck):
    slides, _ = deck
    for slide in slides:
        corners = [(s.y, s.x) for s in slide.shapes()]
        assert corners == sorted(corners), slide.part


def test_app_xml_counts_the_slides_and_lists_their_titles(deck):
    slides, app = deck
    assert app.findtext("ep:Slides", namespaces=NS) == str(len(slides))
    pairs = [v.text for v in app.iterfind("ep:HeadingPairs/vt:vector/vt:variant/*", NS)]
    assert pairs == ["Theme", "1", "Slide Titles", str(len(slides))]
    titles = [t.text or "" for t in app.iterfind("ep:TitlesOfParts/vt:vector/vt:lpstr", NS)]
    assert titles == ["Office Theme"] + [s.title() for s in slides]


def png(path: Path, width: int, height: int) -> None:
    """A valid grey PNG written by hand (signature, IHDR, IDAT, IEND)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def test_pictures_carry_alternative_text(tmp_path):
    png(tmp_path / "a.png", 8, 4)
    slides = [
        {"kind": "image", "title": "Explicit", "path": "a.png", "alt": "a grey block", "caption": "Caption one"},
        {"kind": "image", "title": "Captioned", "path": "a.png", "caption": "Caption two"},
        {"kind": "image", "title": "Only a title", "path": "a.png"},
        {"kind": "columns", "title": "Columns", "columns": [
            {"heading": "Left heading", "image": {"path": "a.png"}}, {"text": "words"}]},
    ]
    (tmp_path / "d.yaml").write_text(yaml.safe_dump({"title": "Pictures", "slides": slides}))
    decks, _ = read(build(tmp_path / "d.yaml"))
    alts = [[s.descr for s in slide.shapes() if s.tag == "pic"] for slide in decks]
    assert alts == [["a grey block"], ["Caption two"], ["Only a title"], ["Left heading"]]


def test_a_cover_slide_title_is_the_placeholder_too(tmp_path):
    spec = {"title": "Deck & <title>", "slides": [{"kind": "title", "subtitle": "sub"},
                                                  {"kind": "section", "title": "Part one"}]}
    (tmp_path / "d.yaml").write_text(yaml.safe_dump(spec))
    slides, app = read(build(tmp_path / "d.yaml"))
    assert [s.title() for s in slides] == ["Deck & <title>", "Part one"]
    titles = [t.text for t in app.iterfind("ep:TitlesOfParts/vt:vector/vt:lpstr", NS)]
    assert titles == ["Office Theme", "Deck & <title>", "Part one"]
