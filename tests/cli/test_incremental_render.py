"""Rebuilds redraw only the slides that changed and splice them into the previous rendering; the
result is byte for byte a cold build of the edited deck, and anything the splice cannot keep exact
(a chart, a picture, notes appearing, document properties) falls back to a full render."""

from __future__ import annotations

import io
import zipfile

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


def slide_count(pptx: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(pptx)) as archive:
        return sum(1 for n in archive.namelist() if n.startswith("ppt/slides/slide"))


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


@pytest.mark.parametrize("edit", [
    pytest.param(lambda deck: (deck.parent / "t.csv").write_text("name,v\na,1\nb,3\n"), id="chart-data"),
    pytest.param(lambda deck: picture(deck.parent / "red.png", "blue"), id="picture-bytes"),
    pytest.param(replacing("    text: Some words that fit.\n", "    text: Some words that fit.\n    notes: New.\n"),
                 id="notes-added"),
    pytest.param(replacing("title: Spliced deck", "title: Retitled deck"), id="document-properties"),
    pytest.param(replacing("  - kind: reproducibility\n", "  - kind: text\n    text: One more.\n  - kind: reproducibility\n"),
                 id="slide-added"),
])
def test_a_change_outside_plain_slides_renders_the_whole_deck(deck, edit):
    drawn, rebuilt, cold = rebuild(deck, edit)
    assert drawn == slide_count(cold)
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
