"""What makes expanding and laying out fast (issue 19) changes no result: memoised words equal the
general splitting, one Layouter per build places slides as fresh ones do (footers included, and a
failing footer still names each slide), the garbage-collector pause restores the collector, and the
expansion short cuts (plain text, options without templates) give what the full paths give."""

from __future__ import annotations

import gc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tfeic.core.gcpause import cyclic_gc_paused
from tfeic.directives.inline import parse_inline
from tfeic.directives.stage import _has_template
from tfeic.ir import Paragraph, Slide, Span, TextBlock
from tfeic.layout import Layouter, UnprovenLayout, layout_slides
from tfeic.layout.measure import Faces, _plain_words, _span_words, words_of
from tfeic.theme import Footer

from .conftest import MONO, SANS, make_theme, para

FACES = Faces(SANS, MONO)
REGULAR = SANS.chain(False, False)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab-/ é.W", max_size=30).filter(lambda t: not t.startswith(" ")))
def test_the_one_span_short_cut_splits_as_the_general_loop(text):
    assert _plain_words(text, REGULAR) == _span_words(((text, REGULAR),))


def test_words_keep_their_positions_and_trailing_spaces():
    words = _plain_words("ab  cd well-known ", REGULAR)
    # "ab" ends at 2, "cd" starts after the two spaces at 4, "well-known" at 7 and ends at 17
    assert [(w.text, w.start, w.end) for w in words] == [("ab", (0, 0), (0, 2)), ("cd", (0, 4), (0, 6)),
                                                        ("well-known", (0, 7), (0, 17))]
    assert words[0].space > words[1].space > 0  # two spaces after "ab", one after "cd"
    assert words[2].space > 0  # the trailing space hangs after the last word
    assert words[2].piece < words[2].width  # "well-" and "known" are its pieces, each narrower than the word


def test_words_are_memoised_by_text_and_font_chain():
    first, again = Paragraph((Span("Wide words"),)), Paragraph((Span("Wide words"),))
    assert first is not again
    assert words_of(first, FACES) is words_of(again, FACES)  # equal spans: split once
    bold = words_of(Paragraph((Span("Wide words", bold=True),)), FACES)
    assert bold[0].width > words_of(first, FACES)[0].width  # the chain is part of the key: bold is wider


def body(text: str, provenance: tuple[str, ...] = (), title: str = "KV pages") -> Slide:
    return Slide(title, "title-body", (TextBlock(area="body", paragraphs=(para(text),)),), provenance=provenance)


def test_one_layouter_places_slides_as_fresh_ones_do():
    theme = make_theme(margin_bottom=40, footer=Footer(text="tfeic", slide_numbers=True))
    slides = [body("one", ("synthetic",)), body("two"), body("three", ("synthetic",)), body("four")]
    layouter = Layouter(theme)
    shared = [layouter.lay_out([s]) for s in slides]
    fresh = [layout_slides([s], theme) for s in slides]
    assert shared == fresh
    assert all(placed[0].footer for placed, _ in shared)  # footers were drawn, and reused ones are equal


def test_a_failing_footer_names_every_slide():
    theme = make_theme(margin_bottom=40, footer=Footer(text="W" * 80))  # one word, wider than the band at any size
    layouter = Layouter(theme)
    for index, title in enumerate(["First", "Second"], 1):
        with pytest.raises(UnprovenLayout) as err:
            layouter.lay_out([body("text", title=title)])
        assert any(f'slide 1 "{title}", box footer text' in d.message for d in err.value.diagnostics), index


@pytest.mark.parametrize("enabled", [True, False])
def test_the_gc_pause_restores_the_collector(enabled):
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        with cyclic_gc_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(ValueError), cyclic_gc_paused():
            raise ValueError("a failing stage")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_plain_text_is_one_span_and_markup_is_still_parsed():
    assert parse_inline("Point 3 of slide 7: pages are fixed size") == (Span("Point 3 of slide 7: pages are fixed size"),)
    assert parse_inline("") == (Span(""),)
    assert parse_inline("a **b** c_d_") == (Span("a "), Span("b", bold=True), Span(" c_d_"))


def test_only_options_holding_a_template_are_rendered():
    assert _has_template({"rows": [["a", "{{ sources.x.y }}"]]})
    assert _has_template({"text": "{% for x in y %}{% endfor %}"})
    assert not _has_template({"text": "braces { } and {x}", "rows": [[1, 2.5, None, True]]})
