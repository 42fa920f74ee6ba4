"""Line breaking the renderers agree on. A word that fits a line is never split; a word too long
for one is counted as the most lines any greedy renderer can break it into, whatever break
opportunities it finds inside. Checked against LibreOffice's recorded output and against a
simulated renderer (advance widths read with fontTools) with random break opportunities."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tfeic.ir import Paragraph, Span
from tfeic.layout.measure import Faces, Spacing, WordTooWide, break_lines, measure_text, words_of

from .conftest import MONO, SANS
from .fontfiles import SANS_REGULAR, advance_em

# LibreOffice 7.4 drew this reproducibility-table cell (Liberation Mono 8.5 pt, column 324.88 pt,
# insets 7.2 pt) in 7 lines: it did not break "/tmp/pytest-of-root/..." at its hyphens, but broke the
# word mid-name ("...and_pa" / "s0/p.json"), where the old model counted 6 and the row overflowed.
COMMAND = ("tfeic build /tmp/home/runner/work/tfeic-project-checkout/tfeic-project-checkout/decks/exabyte.yaml "
           "-o /tmp/pytest-of-root/pytest-123/test_every_deck_builds_and_pas0/exabyte.pptx --no-cache --proof "
           "/tmp/pytest-of-root/pytest-123/test_every_deck_builds_and_pas0/p.json")
LIBREOFFICE_LINES = 7


def test_the_cell_libreoffice_drew_taller_than_proven_is_counted_at_least_as_tall():
    spacing = Spacing(1.2, 0.0, 0.0, (7.2, 3.6, 7.2, 3.6))
    measured = measure_text((Paragraph((Span(COMMAND),)),), Faces(MONO, MONO), 8.5, 324.88, spacing)
    assert measured.lines >= LIBREOFFICE_LINES


def _simulate(words: list[list[float]], space: float, width: float, opportunities: list[set[int]],
              fresh: bool) -> int:
    """Lines a greedy renderer draws: words at spaces; a word too long for a line starts on a fresh
    line (``fresh``) or on the current one, and is broken at the last opportunity that fits (an
    index after which it may break), else, on an empty line, after the last character that fits."""
    lines, x, empty = 1, 0.0, True
    for adv, ops in zip(words, opportunities):
        lead = 0.0 if empty else space
        if x + lead + sum(adv) <= width:
            x, empty = x + lead + sum(adv), False
            continue
        if sum(adv) <= width or (fresh and not empty):
            lines, x, empty = lines + (not empty), 0.0, True
            if sum(adv) <= width:
                x, empty = sum(adv), False
                continue
        x += 0.0 if empty else space
        pos = 0
        while x + sum(adv[pos:]) > width:
            fits = [e for e in range(pos + 1, len(adv)) if x + sum(adv[pos:e]) <= width]
            allowed = [e for e in fits if e in ops]
            if allowed or empty:
                pos = max(allowed or fits or [pos + 1])
            lines, x, empty = lines + 1, 0.0, True
        x, empty = x + sum(adv[pos:]), False
    return lines


WORD = st.text(alphabet="aeimwW-/.0", min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(words=st.lists(WORD, min_size=1, max_size=12), width=st.floats(30, 400), size=st.floats(6, 30),
       seed=st.randoms(use_true_random=False), density=st.sampled_from([0.02, 0.1, 0.3, 1.0]), fresh=st.booleans())
def test_no_greedy_renderer_needs_more_lines_than_the_model(words, width, size, seed, density, fresh):
    text = " ".join(words)
    try:
        model = len(break_lines(words_of(Paragraph((Span(text),)), Faces(SANS, MONO)), width, size))
    except WordTooWide:
        assume(False)
    advances = [[advance_em(SANS_REGULAR, c) * size for c in w] for w in words]
    opportunities = [{i for i in range(1, len(w)) if seed.random() < density} for w in words]
    assert model >= _simulate(advances, advance_em(SANS_REGULAR, " ") * size, width, opportunities, fresh)


def test_a_word_that_fits_is_never_split_at_its_hyphen():
    words = words_of(Paragraph((Span("aaaa well-known"),)), Faces(SANS, MONO))
    assert [w.text for w in words] == ["aaaa", "well-known"]
    width = (words[0].width + words[0].space + words[1].width) * 20 - 1  # all but 1 pt of the line
    assert break_lines(words, width, 20) == (0, 1)  # "well-" does not stay on the first line


def test_a_piece_between_break_points_wider_than_the_line_is_refused():
    with pytest.raises(WordTooWide, match="word 'averyveryverylongname/'"):
        break_lines(words_of(Paragraph((Span("/averyveryverylongname/x"),)), Faces(SANS, MONO)), 100, 20)


def test_a_renderer_that_breaks_early_at_every_opportunity_is_covered():
    """Each line ends at an opportunity because the next segment does not fit: 4 lines for a word
    of about 2.4 line widths, which a bound of one line per (line - glyph) of width would miss."""
    size, segment = 20.0, "WWWWW/"
    word = "i/" + segment * 2 + "i"
    width = advance_em(SANS_REGULAR, segment) * size * 1.015  # a segment fits, a segment and an "i" do not
    advances = [advance_em(SANS_REGULAR, c) * size for c in word]
    breaks = {i + 1 for i, c in enumerate(word) if c == "/"}
    drawn = _simulate([advances], 0.0, width, [breaks], fresh=True)
    assert drawn == 4
    model = break_lines(words_of(Paragraph((Span(word),)), Faces(SANS, MONO)), width, size)
    assert len(model) >= drawn
