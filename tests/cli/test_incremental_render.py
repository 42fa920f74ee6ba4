"""Rebuilds redraw only the slides whose own parts changed and keep every other slide's entries from
the previous rendering; the result is byte for byte a cold build of the edited deck, whatever changed
(text, a table, notes, a chart's data, a picture's bytes, document properties, a slide added)."""

from __future__ import annotations


import pytest
from PIL import Image

from tfeic.pipeline import BuildOptions, compile_deck
from tfeic.core.cache import Cache, build_cache_dir

DECK = """\
title: Spliced deck
date: "2026-01-02"
theme: light
sources:
  t: {kind: table, path: t.csv}
slides:
  - kind: title
    subtitle: A subtitle
    notes: Opening words.
  - kind: text
    title: Prose
    text: Some words that fit.
  - kind: table
    title: Numbers
    header: [Name, Value]
    rows: [[a, "1"], [b, "2"]]
    notes: About the table.
  - kind: chart
    source: t
    chart: bar
    x: name
    y: v
  - kind: image
    title: A picture
    path: red.png
  - kind: reproducibility
"""
SLIDES = 6


def picture(path, color: str) -> None:
    Image.new("RGB", (4, 2), color).save(path)


@pytest.fixture
def deck(tmp_path):
    (tmp_path / "t.csv").write_text("name,v\na,1\nb,2\n")
    picture(tmp_path / "red.png", "red")
    path = tmp_path / "deck.yaml"
    path.write_text(DECK)
    return path


def rebuild(deck, edit) -> tuple[int, bytes, bytes]:
    """Build, apply ``edit`` to the deck's directory, rebuild with the cache; returns the slides the
    rebuild drew, its bytes, and a cold build's bytes of the edited deck."""
    cache = Cache(build_cache_dir())
    first = compile_deck(str(deck), BuildOptions(), cache=cache)
    assert first.drawn == SLIDES
    edit(deck)
    again = compile_deck(str(deck), BuildOptions(), cache=cache)
    cold = compile_deck(str(deck), BuildOptions())
    return again.drawn, again.pptx, cold.pptx


def replacing(old: str, new: str):
    def edit(deck):
        text = deck.read_text()
        assert old in text
        deck.write_text(text.replace(old, new))

    return edit


# The reproducibility slide shows the spec's digest: any spec edit redraws it too.
@pytest.mark.parametrize("edit", [
    pytest.param(replacing("Some words that fit.", "Other words that fit, and more."), id="text"),
    pytest.param(replacing('[b, "2"]', '[b, "20"]'), id="table"),
    pytest.param(replacing("About the table.", "About the numbers."), id="notes"),
])
def test_an_edited_plain_slide_is_spliced_into_the_cold_bytes(deck, edit):
    drawn, spliced, cold = rebuild(deck, edit)
    assert drawn == 2
    assert spliced == cold


# What each edit redraws, slide by slide (the reproducibility slide lists the spec's and the inputs'
# digests, so it is redrawn by every edit here):
@pytest.mark.parametrize("edit, expected", [
    # the chart slide (its part and workbook hold the data) and the reproducibility slide
    pytest.param(lambda deck: (deck.parent / "t.csv").write_text("name,v\na,1\nb,3\n"), 2, id="chart-data"),
    # the picture's slide (the build keys its directive by the picture's digest, and render keys a slide by
    # that key) and the reproducibility slide; the picture's own bytes are in the shared image part
    pytest.param(lambda deck: picture(deck.parent / "red.png", "blue"), 2, id="picture-bytes"),
    # the slide gaining notes, the next slide with notes (its notes slide is now notesSlide3), reproducibility
    pytest.param(replacing("    text: Some words that fit.\n", "    text: Some words that fit.\n    notes: New.\n"), 3,
                 id="notes-added"),
    # every slide: the deck's title is part of every directive's key (a template may show it)
    pytest.param(replacing("title: Spliced deck", "title: Retitled deck"), SLIDES, id="document-properties"),
    # the new slide and the reproducibility slide after it
    pytest.param(replacing("  - kind: reproducibility\n", "  - kind: text\n    text: One more.\n  - kind: reproducibility\n"),
                 2, id="slide-added"),
])
def test_a_change_outside_plain_slides_redraws_only_the_slides_it_touches(deck, edit, expected):
    drawn, rebuilt, cold = rebuild(deck, edit)
    assert drawn == expected
    assert rebuilt == cold


def test_an_unchanged_deck_keeps_every_entry(deck, build_cache):
    cache = Cache(str(build_cache))
    first = compile_deck(str(deck), BuildOptions(), cache=cache)
    again = compile_deck(str(deck), BuildOptions(), cache=cache)
    assert again.drawn == 0 and again.pptx == first.pptx


def test_a_broken_rendering_record_is_a_full_render(deck, build_cache):
    cache = Cache(str(build_cache))
    first = compile_deck(str(deck), BuildOptions(), cache=cache)
    for entry in (build_cache / "renderings").rglob("*"):
        if entry.is_file():
            entry.write_bytes(b"not a pickle")
    again = compile_deck(str(deck), BuildOptions(), cache=cache)
    assert again.drawn == SLIDES and again.pptx == first.pptx


def test_a_kept_slide_with_a_chart_and_notes_keeps_its_parts_order(deck):
    """A kept slide relates its chart before its notes slide, as drawing it does, so the archive's
    entries come in the order a cold build writes them (they once came notes first)."""
    deck.write_text(DECK.replace("    y: v\n", "    y: v\n    notes: About the chart.\n"))
    drawn, rebuilt, cold = rebuild(deck, replacing("Some words that fit.", "Other words."))
    assert drawn == 2  # the text slide and the reproducibility slide; the chart slide is kept
    assert rebuilt == cold
