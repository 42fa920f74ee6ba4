"""Line breaking and text height. Breaking cases are data (cases/*.json: spans, width, size ->
lines); run with TFEIC_UPDATE_GOLDEN=1 to rewrite their expected lines after a deliberate change,
then review the diff."""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tfeic.ir import Paragraph, Span
from tfeic.layout.fonts import proof_width
from tfeic.layout.measure import (Faces, Spacing, WordTooWide, break_lines, measure_text, split_paragraph,
                                  text_height, words_of)

from .conftest import CASES, MONO, SANS, para

FACES = Faces(SANS, MONO)


def line_texts(paragraph: Paragraph, width: float, size: float) -> list[str]:
    """What each line shows: its words, a space where the source had one, trailing spaces dropped.
    A word too long for a line is shown on its first line, and each further line it may take as "…"."""
    words = words_of(paragraph, FACES)
    starts = break_lines(words, width, size)
    ends = [next((s for s in starts[k + 1:] if s != start), len(words)) for k, start in enumerate(starts)]
    return ["…" if k and starts[k - 1] == start else
            "".join(w.text + (" " if w.space and i < end - 1 else "") for i, w in enumerate(words[start:end], start))
            for k, (start, end) in enumerate(zip(starts, ends))]


@pytest.mark.parametrize("path", sorted(CASES.glob("*.json")), ids=lambda p: p.stem)
def test_line_breaking_case(path):
    case = json.loads(path.read_text())
    spans = tuple(Span(**s) for s in case["spans"]) if "spans" in case else (Span(case["text"]),)
    got = line_texts(Paragraph(spans), case["width"], case["size"])
    if os.environ.get("TFEIC_UPDATE_GOLDEN"):
        case["lines"] = got
        path.write_text(json.dumps(case, indent=2, ensure_ascii=False) + "\n")
    assert got == case["lines"]


def test_every_line_fits_and_the_next_word_would_not():
    paragraph = para("The quick brown fox jumps over the lazy dog and keeps on running far away")
    size, width = 20, 200
    lines = line_texts(paragraph, width, size)
    for line, following in zip(lines, lines[1:]):
        assert proof_width(line, SANS.regular, size) <= width
        assert proof_width(line + " " + following.split()[0], SANS.regular, size) > width


def test_a_word_wider_than_the_line_is_an_error_with_numbers():
    word = "Supercalifragilisticexpialidocious"
    with pytest.raises(WordTooWide) as err:
        break_lines(words_of(para(f"a {word} b"), FACES), 100.0, 20)
    expected = proof_width(word, SANS.regular, 20)
    assert err.value.word == word and err.value.width == pytest.approx(expected)
    assert str(err.value) == f"word '{word}' is {expected:.1f} pt wide, the box has 100.0 pt"


def test_bullets_lose_their_indent_from_the_width():
    spacing = Spacing(1.2, 6.0, 20.0, (7.2, 3.6, 7.2, 3.6))
    text = "twelve words of body text that nearly fill the line here"
    box = proof_width(text, SANS.regular, 20) + 14.4 + 10  # fits plain, not with a 20 pt hang
    plain = measure_text((para(text),), FACES, 20, box, spacing)
    bullet = measure_text((para(text, bullet=True),), FACES, 20, box, spacing)
    assert (plain.lines, bullet.lines) == (1, 2)
    assert spacing.indent(para(text, bullet=True, level=2)) == 60.0
    assert spacing.indent(para(text, level=2)) == 0.0


def test_height_is_lines_times_leading_plus_paragraph_space_and_insets():
    spacing = Spacing(1.2, 6.0, 20.0, (7.2, 3.6, 7.2, 4.4))
    measured = measure_text((para("one"), para("two\nthree")), FACES, 20, 400, spacing)
    assert measured.lines == 3
    assert measured.height == pytest.approx(3.6 + 3 * 20 * 1.2 + 6.0 + 4.4)
    assert text_height([], 20, spacing) == pytest.approx(3.6 + 24 + 4.4)  # an empty box still has a line


def test_splitting_at_line_starts_keeps_every_character_in_order():
    paragraph = Paragraph((Span("alpha beta "), Span("gamma-delta", bold=True), Span(" epsilon zeta eta")))
    words = words_of(paragraph, FACES)
    starts = tuple(dict.fromkeys(break_lines(words, 90, 20)))  # a long word's lines are one unit
    assert len(starts) >= 3
    ends = list(starts[1:]) + [len(words)]
    parts = [split_paragraph(paragraph, words, s, e) for s, e in zip(starts, ends)]
    assert " ".join(p.text.strip() for p in parts) == paragraph.text
    assert any(s.bold for p in parts for s in p.spans)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="abcdefghij-", min_size=1, max_size=8), min_size=1, max_size=30),
       st.floats(min_value=80, max_value=400))
def test_a_wider_box_never_needs_more_lines(words, width):
    paragraph = para(" ".join(words))
    try:
        narrow = len(break_lines(words_of(paragraph, FACES), width, 14))
    except WordTooWide:
        return
    assert len(break_lines(words_of(paragraph, FACES), width + 40, 14)) <= narrow
