"""The XML gate (``tfeic.render.xmltext``): which characters it replaces, checked against the XML 1.0
``Char`` production itself and against lxml, and what it reports for a deck."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

from lxml import etree

from tfeic.core.diagnostics import Pos
from tfeic.layout.placed import PlacedDeck, PlacedImage
from tfeic.render import render_deck
from tfeic.render.xmltext import xml_safe, xml_safe_deck


def xml_char(cp: int) -> bool:
    """XML 1.0 (fifth edition) production [2], Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] |
    [#xE000-#xFFFD] | [#x10000-#x10FFFF], less the DEL and C1 controls its section 2.2 discourages."""
    allowed = cp in (0x9, 0xA, 0xD) or 0x20 <= cp <= 0xD7FF or 0xE000 <= cp <= 0xFFFD or 0x10000 <= cp <= 0x10FFFF
    return allowed and not 0x7F <= cp <= 0x9F


def test_every_code_point_is_kept_exactly_when_xml_allows_it():
    text = "".join(map(chr, range(0x110000)))
    expected = "".join(chr(cp) if xml_char(cp) else "\ufffd" for cp in range(0x110000))
    safe = xml_safe(text)
    assert safe == expected
    etree.Element("t").text = safe  # lxml takes every character the gate lets through


def test_each_surrogate_is_replaced_and_clean_text_is_the_same_object():
    # a YAML "\ud83d\ude00" escape: layout measures two U+FFFD, so two are drawn (not the emoji)
    assert xml_safe("a\ud83d\ude00b") == "a\ufffd\ufffdb"
    assert xml_safe("\x85next line\x9b31m") == "\ufffdnext line\ufffd31m"  # C1: NEL, CSI
    clean = "tab\there\nnew line\r\u2028 \ufffd \U0010FFFF"
    assert xml_safe(clean) is clean


def test_the_deck_walk_reports_the_first_replacement_and_leaves_picture_paths(sample_deck):
    assert xml_safe_deck(sample_deck) == (sample_deck, None)
    clean, pictured = sample_deck.slides[1], sample_deck.slides[0]
    image = next(b for b in pictured.boxes if isinstance(b, PlacedImage))
    hostile_image = replace(image, path=image.path + "\x07", alt="alt\x07text")
    hostile = replace(pictured, boxes=tuple(hostile_image if b is image else b for b in pictured.boxes),
                      origin=Pos("deck.yaml", 9, 3), notes="n\ufffe")
    deck = replace(sample_deck, slides=(clean, hostile))
    safe, replaced = xml_safe_deck(deck)
    assert (replaced.count, replaced.first, replaced.where, replaced.origin) == (2, "\x07", "slide 2", Pos("deck.yaml", 9, 3))
    assert replaced.diagnostic(lambda *key: Pos("deck.yaml")).format() == (
        "deck.yaml:9:3: warning: 2 characters not allowed in a .pptx replaced by U+FFFD (first: U+0007 in slide 2)")
    drawn = next(b for b in safe.slides[1].boxes if isinstance(b, PlacedImage))
    assert drawn.path == hostile_image.path and drawn.alt == "alt\ufffdtext" and safe.slides[1].notes == "n\ufffd"
    assert safe.slides[0] is deck.slides[0]  # untouched parts are shared, not copied
    unplaced = replace(deck, slides=(clean, replace(hostile, origin=None)))  # a slide with no position
    assert xml_safe_deck(unplaced)[1].diagnostic(lambda *key: Pos("deck.yaml", len(key), 0)).format().startswith(
        "deck.yaml: warning: 2 characters")

    author = PlacedDeck(deck.width, deck.height, sample_deck.slides, title="t", author="a\uffffb")
    _, replaced = xml_safe_deck(author)
    assert (replaced.where, replaced.field, replaced.origin) == ("the deck's author", "author", None)
    assert replaced.diagnostic(lambda *key: Pos("deck.yaml", 3 if key == ("author",) else 1, 9)).format().startswith(
        "deck.yaml:3:9: warning: 1 character not allowed in a .pptx replaced by U+FFFD (first: U+FFFF in the deck's author)")


def test_render_deck_passes_every_string_through_the_gate(sample_deck):
    slides = list(sample_deck.slides)
    slides[0] = replace(slides[0], notes="bell\x07")
    deck = replace(sample_deck, slides=tuple(slides), title="t\x0b", author="\ud800")
    with zipfile.ZipFile(io.BytesIO(render_deck(deck))) as archive:
        core = archive.read("docProps/core.xml").decode()
        notes = archive.read("ppt/notesSlides/notesSlide1.xml").decode()
    assert "<dc:title>t\ufffd</dc:title>" in core and "<dc:creator>\ufffd</dc:creator>" in core
    assert "bell\ufffd" in notes
